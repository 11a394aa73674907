"""Benchmark: detection alone, in-process, against git's own floor measured in the same run.

Over (a) the generated organisation of 1,000 repositories and (b) the real-code corpus of
`tests/corpus/` (fetched on first use), prints files and repositories per second of detection
(`collect_view` over every repository: opening the local view, every registered detector, team
resolution), and the floor: per repository, `git ls-tree -r -l HEAD` plus reading, through one
`git cat-file --batch`, just the files the detectors want (`collectors.detectors.wanted_globs()`).
Both run on the same number of worker threads; each is the best of N rounds. The ratio
detection / floor is the figure to watch (aim: under 2).

    .venv/bin/python benchmarks/detect.py [--workers N] [--rounds 3] [--only org|corpus]
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from collectors.detectors import DETECTORS, wanted_globs  # noqa: E402
from collectors.run import collect_view  # noqa: E402
from collectors.sources.local import find_repositories, open_local  # noqa: E402
from tests.corpus.fetch import FetchError, fetch_corpus  # noqa: E402

WORK = HERE / ".work"
GIT_ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"}


def organisation(repos: int = 1000, teams: int = 25, seed: int = 7) -> Path:
    """The generated organisation, built once and kept (git-ignored), as collect_local.py keeps it."""
    root = WORK / f"org-{repos}-{teams}-{seed}"
    if not (root / ".complete").exists():
        from demo import build_organisation

        started = time.perf_counter()
        build_organisation(root, repos=repos, teams=teams, seed=seed)
        (root / ".complete").touch()
        print(f"built {repos} repositories in {time.perf_counter() - started:.1f} s (cached in {root})")
    return root


# --- the floor: list, then read the wanted files, with git alone -----------------------------------


def _globs_matcher(globs: tuple[str, ...]) -> Callable[[str], bool]:
    """RepoView.matching's rule in one regex each: a glob without a slash matches a file name."""
    by_name = [fnmatch.translate(g) for g in globs if "/" not in g]
    by_path = [fnmatch.translate(g) for g in globs if "/" in g]
    name_rx = re.compile("|".join(by_name)) if by_name else None
    path_rx = re.compile("|".join(by_path)) if by_path else None

    def wanted(path: str) -> bool:
        name = path.rsplit("/", 1)[-1]
        return bool((name_rx and name_rx.match(name)) or (path_rx and path_rx.match(path)))

    return wanted


def floor_one(repo: Path, wanted: Callable[[str], bool]) -> tuple[int, int]:
    """(files listed, bytes read) for one repository: ls-tree, then cat-file of the wanted blobs."""
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "-l", "-z", "HEAD"], capture_output=True, check=True, env=GIT_ENV
    ).stdout
    shas: list[bytes] = []
    files = 0
    for entry in listing.split(b"\x00"):
        if not entry:
            continue
        info, _, path = entry.partition(b"\t")
        mode, kind, sha, _size = info.split()
        if kind != b"blob" or mode == b"120000":
            continue
        files += 1
        if wanted(path.decode("utf-8", "surrogateescape")):
            shas.append(sha)
    if not shas:
        return files, 0
    out = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"], input=b"\n".join(shas) + b"\n",
        capture_output=True, check=True, env=GIT_ENV,
    ).stdout  # fmt: skip
    return files, len(out)


def detect_one(repo: Path, root: Path) -> int:
    """Files of one repository, after every registered detector has run over it."""
    view = open_local(repo, root)
    try:
        collect_view(view)
        return len(view.files())
    finally:
        view.close()


def timed(work: Callable[[Path], object], repos: list[Path], workers: int, rounds: int) -> tuple[float, list]:
    """Best wall time of `rounds` runs of `work` over every repository on `workers` threads."""
    best = float("inf")
    results: list = []
    for _ in range(rounds):
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(work, repos))
        best = min(best, time.perf_counter() - started)
    return best, results


def measure(label: str, root: Path, workers: int, rounds: int) -> None:
    repos = find_repositories(root)
    wanted = _globs_matcher(wanted_globs())
    floor_s, floor_out = timed(lambda r: floor_one(r, wanted), repos, workers, rounds)
    detect_s, _ = timed(lambda r: detect_one(r, root), repos, workers, rounds)
    files = sum(f for f, _ in floor_out)
    read_mb = sum(b for _, b in floor_out) / 1e6
    print(f"\n{label}: {len(repos)} repositories, {files} tracked files, {read_mb:.1f} MB of wanted files read")
    print(f"  floor (ls-tree + cat-file of wanted files): {floor_s:7.2f} s  {len(repos) / floor_s:8.1f} repos/s  "
          f"{files / floor_s:10.0f} files/s")  # fmt: skip
    print(f"  detection (collect_view, in-process)      : {detect_s:7.2f} s  {len(repos) / detect_s:8.1f} repos/s  "
          f"{files / detect_s:10.0f} files/s")  # fmt: skip
    print(f"  ratio detection / floor                   : {detect_s / floor_s:7.2f}x   (aim: < 2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3, help="take the best of this many runs of each")
    parser.add_argument("--only", choices=("org", "corpus"), help="measure one data set only")
    args = parser.parse_args()

    print(f"{os.cpu_count()} CPUs, {args.workers} workers, best of {args.rounds}; "
          f"{len(DETECTORS)} detectors: {', '.join(d.name for d in DETECTORS)}; {len(wanted_globs())} globs wanted")  # fmt: skip
    if args.only in (None, "org"):
        measure("generated organisation (1000 repos, 25 teams, seed 7)", organisation(), args.workers, args.rounds)
    if args.only in (None, "corpus"):
        try:
            corpus = fetch_corpus(log=print)
        except FetchError as err:
            sys.exit(f"corpus: {err}")
        measure("real-code corpus (tests/corpus/projects.yaml)", corpus, args.workers, args.rounds)


if __name__ == "__main__":
    main()
