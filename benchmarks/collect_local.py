"""Benchmark: `guildboard collect local` over a generated organisation, against git's own floor.

Prints repositories per second, wall time and peak memory of a whole collection (the real command
in a fresh process: start-up, detection and the snapshot write included), and in the same run the
floor: `git ls-tree -r -l HEAD` over every repository, sequentially and with the same number of
parallel workers. The ratio to the parallel floor is the figure to watch.

    .venv/bin/python benchmarks/collect_local.py [--repos 1000] [--workers N] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from collectors.sources.local import find_repositories  # noqa: E402
from demo import build_organisation  # noqa: E402

WORK = HERE / ".work"


def organisation(repos: int, teams: int, seed: int) -> Path:
    """Build the organisation once and keep it (git-ignored) for later runs with the same size."""
    root = WORK / f"org-{repos}-{teams}-{seed}"
    done = root / ".complete"
    if not done.exists():
        started = time.perf_counter()
        build_organisation(root, repos=repos, teams=teams, seed=seed)
        done.touch()
        print(f"built {repos} repositories in {time.perf_counter() - started:.1f} s (cached in {root})")
    return root


def ls_tree(repo: Path) -> None:
    subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "-l", "HEAD"], check=True, capture_output=True)


def floor(repos: list[Path], workers: int) -> float:
    started = time.perf_counter()
    if workers == 1:
        for repo in repos:
            ls_tree(repo)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(ls_tree, repos))
    return time.perf_counter() - started


def collect(root: Path, workers: int) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `guildboard collect local` in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-c", "import cli; cli.main()", "collect", "local", str(root),
               "--db", f"sqlite:///{tmp}/bench.db", "--workers", str(workers), "--quiet"]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=HERE.parent)
        wall = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--teams", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3, help="take the best of this many runs of each")
    args = parser.parse_args()

    root = organisation(args.repos, args.teams, args.seed)
    repos = find_repositories(root)
    files = sum(
        len(subprocess.run(["git", "-C", str(r), "ls-tree", "-r", "--name-only", "HEAD"], capture_output=True,
                           check=True).stdout.splitlines())
        for r in repos
    )  # fmt: skip
    floor_seq = min(floor(repos, 1) for _ in range(args.rounds))
    floor_par = min(floor(repos, args.workers) for _ in range(args.rounds))
    runs = [collect(root, args.workers) for _ in range(args.rounds)]
    wall = min(w for w, _ in runs)
    peak_mib = max(p for _, p in runs) / 1024

    print(f"organisation: {len(repos)} repositories, {files} tracked files, {os.cpu_count()} CPUs, "
          f"{args.workers} workers, best of {args.rounds}")  # fmt: skip
    print(f"floor, git ls-tree sequential : {floor_seq:7.2f} s")
    print(f"floor, git ls-tree {args.workers} parallel : {floor_par:7.2f} s")
    print(f"guildboard collect local      : {wall:7.2f} s   {len(repos) / wall:7.1f} repos/s   "
          f"{files / wall:9.0f} files/s   peak RSS {peak_mib:.0f} MiB")  # fmt: skip
    print(f"ratio to the parallel floor   : {wall / floor_par:7.2f}x")
    print(f"ratio to the sequential floor : {wall / floor_seq:7.2f}x")


if __name__ == "__main__":
    main()
