"""Evolve the demo organisation one guild meeting at a time, as `history:` in the spec says.

Each action is a verb with a selection (`where`, `share`, `count`); this module implements one
method per verb and nothing about particular technologies. A step returns which repositories
changed and why, so only those are committed, with the step's date.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from demo.model import Repo, sample, weighted
from demo.organisation import Organisation
from demo.spec import SpecError

Action = dict[str, Any]


class Evolution:
    def __init__(self, org: Organisation, seed: int) -> None:
        self.org = org
        self.spec = org.spec
        self.rng = random.Random(f"{seed}/history")  # apart from the plan's, so history never reshapes step 0

    def step(self, index: int) -> tuple[str, dict[str, list[str]]]:
        """Apply history entry `index` (1-based): the summary, and commit messages per changed repository."""
        changes: dict[str, list[str]] = {}
        says: list[str] = []
        for action in self._entry(index)["actions"]:
            verb: Callable[[Action], tuple[list[Repo], dict[str, Any]]] = getattr(self, f"_{action['do']}")
            repos, values = verb(action)
            if not repos:
                continue
            values |= {
                "n": len(repos),
                "n_repos": f"{len(repos)} {_repositories(len(repos))}",
                "n_more": f"{len(repos)} more {_repositories(len(repos))}",
                "repos": _list(r.path for r in repos),
                "teams": _list(sorted({r.team for r in repos})),
            }
            try:
                says.append(action["say"].format_map(values))
                message = action["message"].format_map(values)
            except KeyError as err:
                raise SpecError(f"history: {action['do']}: unknown field {err} in `say` or `message`") from None
            for repo in repos:
                changes.setdefault(repo.name, []).append(message)
        return "; ".join(says) or "no changes", changes

    def _entry(self, index: int) -> Action:
        history = self.spec.history
        if index <= len(history):
            return history[index - 1]
        repeats = [h for h in history if h.get("repeat")]
        return repeats[(index - len(history) - 1) % len(repeats)]

    # --- selection ----------------------------------------------------------------------------

    def _pick(self, action: Action, eligible: Callable[[Repo], bool] = lambda r: True) -> list[Repo]:
        where = action.get("where") or {}
        candidates = [r for r in self.org.repos if not r.archived and self._matches(r, where) and eligible(r)]
        wanted = round(action["share"] * len(candidates)) if "share" in action else 0
        wanted = max(wanted, action.get("count", 0 if "share" in action else 1))
        return sample(self.rng, candidates, wanted)

    def _matches(self, repo: Repo, where: dict[str, Any]) -> bool:
        teams = [t for t in _as_list(where.get("team")) if t in self.org.by_id]
        if teams and repo.team not in teams:  # teams the organisation lacks are ignored
            return False
        if "stack" in where and repo.stack not in _as_list(where["stack"]):
            return False
        if "toolchain" in where and where["toolchain"] not in self.spec.toolchains_of(repo.stack):
            return False
        if "ci" in where and repo.ci != where["ci"]:
            return False
        if not set(_as_list(where.get("has"))) <= repo.items:
            return False
        if set(_as_list(where.get("lacks"))) & repo.items:
            return False
        return where.get("lacks_extra") not in repo.extras

    # --- verbs --------------------------------------------------------------------------------

    def _set_era(self, action: Action) -> tuple[list[Repo], dict[str, Any]]:
        tool, to, sources = action["toolchain"], action["to"], action.get("from")

        def eligible(repo: Repo) -> bool:
            if tool not in repo.levels:
                return False
            level = repo.levels[tool]
            if (level not in sources) if sources is not None else level >= to:
                return False
            return tool == "actions" or to in self.spec.allowed_eras(repo.stack, tool)

        repos = self._pick(action, eligible)
        for repo in repos:
            repo.levels[tool] = to
        era = self.spec.toolchains[tool].eras[to]
        return repos, {k: v for k, v in era.items() if isinstance(v, str)}

    def _add_repos(self, action: Action) -> tuple[list[Repo], dict[str, Any]]:
        where = action.get("where") or {}
        count = action.get("count", 1) + (self.org.initial // action["per"] if "per" in action else 0)
        teams = [t for t in _as_list(where.get("team")) if t in self.org.by_id]
        added = []
        for _ in range(count):
            team = self.org.by_id[teams[0]] if teams else self.org.pick_team(self.rng)
            stack = where.get("stack") or weighted(self.rng, self.org.stack_mix(team))
            repo = self.org.new_repo(team, stack, self.rng, newest=action.get("era") == "newest")
            if repo.lifecycle == "production":
                repo.lifecycle = "experimental"  # new in the catalog until it has run for a while
            self.org.add(repo)
            added.append(repo)
        return added, {}

    def _add(self, action: Action) -> tuple[list[Repo], dict[str, Any]]:
        item = action["item"]
        repos = self._pick(action, lambda r: item not in r.items)
        for repo in repos:
            repo.items.add(item)
        return repos, {}

    def _drop(self, action: Action) -> tuple[list[Repo], dict[str, Any]]:
        item = action["item"]
        repos = self._pick(action, lambda r: item in r.items)
        for repo in repos:
            repo.items.discard(item)
        return repos, {}

    def _add_extra(self, action: Action) -> tuple[list[Repo], dict[str, Any]]:
        name = action["extra"]
        tool = self.spec.extras[name]["toolchain"]
        repos = self._pick(action, lambda r: name not in r.extras and tool in self.spec.toolchains_of(r.stack))
        for repo in repos:
            repo.extras.append(name)
        return repos, {}

    def _restack(self, action: Action) -> tuple[list[Repo], dict[str, Any]]:
        target = action["to"]
        repos = self._pick(action, lambda r: r.stack != target)
        for repo in repos:
            repo.stack = target
            for tool in self.spec.toolchains_of(target):
                allowed = self.spec.allowed_eras(target, tool)
                level = repo.levels.get(tool, 0)
                repo.levels[tool] = (
                    level if level in allowed else min((a for a in allowed if a >= level), default=allowed[-1])
                )
        return repos, {}

    def _switch_ci(self, action: Action) -> tuple[list[Repo], dict[str, Any]]:
        target = action["to"]
        repos = self._pick(action, lambda r: r.ci != target)
        for repo in repos:
            repo.ci = target
        return repos, {}

    def _archive(self, action: Action) -> tuple[list[Repo], dict[str, Any]]:
        repos = self._pick(action)
        for repo in repos:
            repo.lifecycle = "archived"  # the local collector reads this from catalog-info.yaml
            repo.items.add("catalog")
        return repos, {}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | set) else [value]


def _repositories(n: int) -> str:
    return "repository" if n == 1 else "repositories"


def _list(names: Any) -> str:
    names = list(names)
    if len(names) <= 3:
        return ", ".join(names)
    return f"{', '.join(names[:3])} and {len(names) - 3} more"
