"""Plan the initial demo organisation: which teams own which repositories, on which stacks and eras.

Randomness is shaped by the spec's team habits (a team's stacks, CI, how modern and how careful it
is), and a few guarantees are laid on top so every seed shows what the dashboard is for: each stack
and each CI provider appears, some repositories sit at the root or in the wrong team's folder, and
some have no CODEOWNERS.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

from demo.model import Repo, sample, weighted
from demo.spec import Spec, Team


def scaled_teams(spec: Spec, n: int) -> list[Team]:
    """The first `n` teams of the spec; past its list, numbered copies (payments-2)."""
    if n < 1:
        raise ValueError("an organisation needs at least one team")
    out = []
    for i in range(n):
        base = spec.teams[i % len(spec.teams)]
        copy = i // len(spec.teams) + 1
        out.append(base if copy == 1 else replace(base, id=f"{base.id}-{copy}", name=f"{base.name} {copy}"))
    return out


class Organisation:
    """The repositories of the demo organisation and the teams that own them."""

    def __init__(self, spec: Spec, teams: list[Team], seed: int) -> None:
        self.spec = spec
        self.seed = seed
        self.teams = teams
        self.by_id = {t.id: t for t in teams}
        self.team_names = {t.id: t.name for t in teams}
        self.repos: list[Repo] = []
        self.initial = 0  # size of the initial organisation; history scales its additions by it
        self._taken: set[str] = set(self.by_id)  # a root-level repository must not shadow a team folder

    # --- the initial organisation -------------------------------------------------------------

    @classmethod
    def plan(cls, spec: Spec, *, repos: int, teams: int, seed: int) -> Organisation:
        if repos < 1:
            raise ValueError("an organisation needs at least one repository")
        org = cls(spec, scaled_teams(spec, teams), seed)
        rng = random.Random(f"{seed}/plan")
        stacks = [s.name for s in spec.stacks.values() if not s.history_only]
        plan = [(org._team_for(stack, i), stack) for i, stack in enumerate(stacks[:repos])]  # every stack once
        while len(plan) < repos:
            team = org.pick_team(rng)
            plan.append((team, weighted(rng, org.stack_mix(team))))
        for team, stack in plan:
            org.add(org.new_repo(team, stack, rng))
        org._place(rng)
        org._cover_ci(rng)
        org.initial = len(org.repos)
        return org

    def pick_team(self, rng: random.Random) -> Team:
        return self.by_id[weighted(rng, {t.id: t.weight for t in self.teams})]

    def stack_mix(self, team: Team) -> dict[str, float]:
        return {s: w for s, w in team.stacks.items() if not self.spec.stacks[s].history_only}

    def _team_for(self, stack: str, i: int) -> Team:
        """The team that uses this stack most, so coverage repositories still look like their team."""
        users = [t for t in self.teams if stack in t.stacks]
        if not users:
            return self.teams[i % len(self.teams)]
        return max(users, key=lambda t: t.stacks[stack])  # max keeps the first of equals: stable

    def _place(self, rng: random.Random) -> None:
        """Move a few repositories to the root and a couple into another team's folder."""
        own = self.spec.ownership
        total = len(self.repos)
        n_root = min(own["root_level"]["n"] + total // own["root_level"]["per"], total // 4)
        n_misfiled = 0
        if len(self.teams) > 1:
            n_misfiled = min(own["misfiled"]["n"] + total // own["misfiled"]["per"], (total - n_root) // 4)
        picked = sample(rng, self.repos, n_root + n_misfiled)
        rng.shuffle(picked)
        for i, repo in enumerate(picked[:n_root]):
            repo.folder = None
            # Cycle through the ways a root-level repository says who owns it: a catalog entry,
            # a CODEOWNERS file, or nothing at all.
            repo.items -= {"catalog", "codeowners"}
            repo.items |= [{"catalog"}, {"codeowners"}, set()][i % 3]
        for repo in picked[n_root:]:
            others = [t.id for t in self.teams if t.id != repo.team]
            repo.folder = rng.choice(others)
            repo.items.add("catalog")  # the catalog names the real owner and wins over the folder

    def _cover_ci(self, rng: random.Random) -> None:
        """Every CI provider of the spec (and "none") shows up at least once."""
        for provider in self.spec.ci:
            counts = Counter(r.ci for r in self.repos)
            if counts[provider]:
                continue
            donors = [r for r in self.repos if counts[r.ci] > 1]
            if donors:
                rng.choice(donors).ci = provider

    # --- one repository -----------------------------------------------------------------------

    def add(self, repo: Repo) -> None:
        self.repos.append(repo)
        self._taken.add(repo.name)

    def new_repo(self, team: Team, stack: str, rng: random.Random, *, newest: bool = False) -> Repo:
        """A repository of `team` on `stack`, its eras drawn from how modern the team is."""
        spec = self.spec
        name, word = self._name(team, stack, rng)
        others = [w for w in team.words if w != word]
        count = int(weighted(rng, {"1": 3, "2": 4, "3": 3}))
        entities = (word, *rng.sample(others, min(len(others), count - 1)))
        levels = {}
        for tool in [*spec.toolchains_of(stack), "actions"]:
            allowed = (
                spec.allowed_eras(stack, tool) if tool != "actions" else list(range(len(spec.toolchains[tool].eras)))
            )
            levels[tool] = allowed[-1] if newest else _era(rng, team.modern, len(spec.toolchains[tool].eras), allowed)
        items = self._hygiene(team, stack, rng)
        extras = []
        for part in spec.stacks[stack].parts():
            for extra, rule in spec.stacks[part.stack].extras.items():
                tool = spec.extras[extra]["toolchain"]
                if levels.get(tool, 0) <= rule.get("max_era", 99) and rng.random() < rule["p"] and extra not in extras:
                    extras.append(extra)
        own = spec.ownership
        return Repo(
            name=name,
            team=team.id,
            folder=team.id,
            stack=stack,
            seed=f"{self.seed}/{name}",
            entities=entities,
            levels=levels,
            ci=weighted(rng, team.ci),
            items=items,
            extras=extras,
            license=weighted(rng, own["licenses"]),
            codeowners_path=weighted(rng, own["codeowners_paths"]),
            year=rng.randint(2015, 2025),
            version=f"{rng.randint(0, 4)}.{rng.randint(0, 24)}.{rng.randint(0, 9)}",
            lifecycle=spec.stacks[stack].lifecycle,
        )

    def _name(self, team: Team, stack: str, rng: random.Random) -> tuple[str, str]:
        """A free name: word-suffix, then word-second-suffix, then numbered."""
        suffixes = list(self.spec.stacks[stack].suffixes)
        words = list(team.words)
        rng.shuffle(words)
        for word in words:
            for suffix in rng.sample(suffixes, len(suffixes)):
                if f"{word}-{suffix}" not in self._taken:
                    return f"{word}-{suffix}", word
        seconds = list(self.spec.name_words)
        rng.shuffle(seconds)
        for word in words:
            for second in seconds:
                for suffix in suffixes:
                    if f"{word}-{second}-{suffix}" not in self._taken:
                        return f"{word}-{second}-{suffix}", word
        n = 2
        while f"{words[0]}-{suffixes[0]}-{n}" in self._taken:
            n += 1
        return f"{words[0]}-{suffixes[0]}-{n}", words[0]

    def _hygiene(self, team: Team, stack: str, rng: random.Random) -> set[str]:
        spec = self.spec
        shift = (team.care - 0.7) / 2
        ships_image = any(spec.stacks[p.stack].docker for p in spec.stacks[stack].parts())
        items = set()
        for item, rate in spec.hygiene_rates.items():
            if item == "docker" and not ships_image:
                continue
            if rng.random() < rate + shift:
                items.add(item)
        if rng.random() < spec.ownership["catalog"] + shift:
            items.add("catalog")
        roll = rng.random()
        for item, rate in spec.updates.items():
            if roll < rate:
                items.add(item)
                break
            roll -= rate
        return items

    # --- reporting ----------------------------------------------------------------------------

    def describe(self) -> str:
        """One line on the initial organisation, for the first step's summary."""
        per_tool = Counter(t for r in self.repos for t in self.spec.toolchains_of(r.stack))
        tools = ", ".join(f"{tool} {n}" for tool, n in sorted(per_tool.items(), key=lambda kv: (-kv[1], kv[0])))
        root = sum(r.folder is None for r in self.repos)
        misfiled = sum(r.folder not in (None, r.team) for r in self.repos)
        return (
            f"{len(self.repos)} repositories in {len(self.teams)} teams ({tools}); "
            f"{root} at the root, {misfiled} in another team's folder"
        )


def _era(rng: random.Random, modern: float, eras: int, allowed: list[int]) -> int:
    """An era index near the team's modernity, then the nearest one the stack allows."""
    target = modern + rng.uniform(-0.45, 0.45)
    wanted = min(max(int(target * eras), 0), eras - 1)
    return min(allowed, key=lambda a: (abs(a - wanted), a))
