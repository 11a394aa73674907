"""Build the demo organisation on disk: real git repositories under one root, evolved over dated steps.

`build_demo` is what `guildboard demo` calls: it writes the initial organisation, yields, then
applies one history step at a time and yields after each, so the caller can collect a snapshot of
the root per step. Everything is derived from the seed and a fixed anchor date, never the clock or
the user's git configuration: the same arguments give the same commit shas.

    python -m demo --repos 1000 --history 0 --no-checkout --root /tmp/org   # time a build
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from demo.gitstore import commit_tree
from demo.history import Evolution
from demo.model import Repo
from demo.organisation import Organisation
from demo.render import render
from demo.spec import Spec, load_spec

#: A file at the root that marks it as a demo organisation, so a rebuild may wipe it.
MARKER = ".guildboard-demo"


@dataclass(frozen=True)
class DemoStep:
    index: int  # 0 = the initial organisation
    date: datetime  # timezone-aware UTC; the commits of this step carry this date
    label: str  # e.g. "2026-05 guild meeting"
    summary: str  # one line: what changed in this step


def build_demo(
    root: Path,
    *,
    repos: int = 64,
    teams: int = 8,
    history: int = 6,
    seed: int = 7,
    checkout: bool = True,
    jobs: int | None = None,
) -> Iterator[DemoStep]:
    """Create (wiping root first) the organisation under root and evolve it; yields after each step
    is on disk, so the caller can collect a snapshot of root at that step.

    `history` counts the steps after the initial one. `checkout` also fills each working tree (for
    people; the collector reads git objects); `jobs` is the number of git processes at once.
    """
    if history < 0:
        raise ValueError("history must be 0 or more")
    spec = load_spec()
    root = Path(root)
    org = Organisation.plan(spec, repos=repos, teams=teams, seed=seed)
    dates = step_dates(spec, history, seed)
    _prepare(root)
    writer = _Writer(root, spec, org, checkout=checkout, jobs=jobs)
    writer.write(org.repos, {}, dates[0])
    yield DemoStep(0, dates[0], _label(dates[0]), org.describe())

    evolution = Evolution(org, seed)
    for index in range(1, history + 1):
        summary, changes = evolution.step(index)
        changed = [r for r in org.repos if r.name in changes]
        writer.write(changed, changes, dates[index])
        yield DemoStep(index, dates[index], _label(dates[index]), summary)


def build_organisation(
    root: Path, *, repos: int, teams: int, seed: int, checkout: bool = False, jobs: int | None = None
) -> list[Path]:
    """Only the initial organisation (for benchmarks): the repositories' paths, sorted.

    Working trees are left empty unless `checkout`, since the collector reads git objects.
    """
    for _ in build_demo(root, repos=repos, teams=teams, history=0, seed=seed, checkout=checkout, jobs=jobs):
        pass
    return sorted(p.parent for p in Path(root).glob("**/.git") if p.is_dir())


def step_dates(spec: Spec, history: int, seed: int) -> list[datetime]:
    """One date per step, a month apart and a few days jittered, the last 0-3 days before the anchor."""
    rng = random.Random(f"{seed}/dates")
    last = spec.anchor.astimezone(UTC) - timedelta(days=seed % 4)
    dates = []
    for index in range(history + 1):
        back = history - index
        date = _months_before(last, back)
        if back:
            date -= timedelta(days=rng.randint(0, 3), minutes=rng.randint(0, 90))
        dates.append(date)
    return dates


def _months_before(date: datetime, months: int) -> datetime:
    year, month = divmod(date.year * 12 + date.month - 1 - months, 12)
    return date.replace(year=year, month=month + 1, day=min(date.day, 28))


def _label(date: datetime) -> str:
    return f"{date:%Y-%m} guild meeting"


def _prepare(root: Path) -> None:
    """Wipe a previous demo organisation; refuse to wipe anything else."""
    if root.exists():
        if any(root.iterdir()) and not (root / MARKER).exists():
            raise FileExistsError(f"{root}: not empty and not a demo organisation (no {MARKER}); not wiping it")
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / MARKER).write_text("A guildboard demo organisation: `guildboard demo` rebuilds it from scratch.\n")


class _Writer:
    """Renders and commits repositories in parallel; each repository is one fast-import."""

    def __init__(self, root: Path, spec: Spec, org: Organisation, *, checkout: bool, jobs: int | None) -> None:
        self.root = root
        self.spec = spec
        self.org = org
        self.checkout = checkout
        self.jobs = jobs or min(8, 2 * (os.cpu_count() or 1))

    def write(self, repos: list[Repo], messages: dict[str, list[str]], when: datetime) -> None:
        def one(repo: Repo) -> None:
            files = render(self.spec, repo, self.org.team_names)
            commit_tree(
                self.root / repo.path,
                files,
                message=_message(messages.get(repo.name) or ["Initial import"]),
                when=when,
                author=self.spec.author,
                first=not repo.committed,
                checkout=self.checkout,
            )

        with ThreadPoolExecutor(self.jobs) as pool:
            list(pool.map(one, repos))  # list(): re-raise the first failure here
        for repo in repos:
            repo.committed = True


def _message(lines: list[str]) -> str:
    """The first change is the subject; further changes of the same step become the body."""
    if len(lines) == 1:
        return lines[0]
    return lines[0] + "\n\n" + "\n".join(f"- {line}" for line in lines[1:])


def main(argv: list[str] | None = None) -> int:
    """Build an organisation and print how long each step took."""
    parser = argparse.ArgumentParser(prog="python -m demo", description=main.__doc__)
    parser.add_argument("--root", type=Path, default=Path("data/demo"))
    parser.add_argument("--repos", type=int, default=64)
    parser.add_argument("--teams", type=int, default=8)
    parser.add_argument("--history", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-checkout", dest="checkout", action="store_false")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    started = last = time.perf_counter()
    for step in build_demo(
        args.root,
        repos=args.repos,
        teams=args.teams,
        history=args.history,
        seed=args.seed,
        checkout=args.checkout,
        jobs=args.jobs,
    ):
        now = time.perf_counter()
        print(f"{step.index:>2} {step.date:%Y-%m-%d} {now - last:6.2f}s  {step.summary}")
        last = now
    print(f"total {time.perf_counter() - started:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
