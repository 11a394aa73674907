"""Benchmark: `guildboard collect github` against the fake GitHub with latency on every request.

Serves a generated organisation (the demo generator's repositories) from the fake GitHub in
`tests/fake_github.py` over loopback, with `--latency` seconds added to every answer, and runs the
real command twice into one database: a first run (nothing cached) and a rerun with no push in
between. Prints, for each: wall time, requests per repository (by endpoint), files downloaded.
The floor, measured in the same run: one request per repository at the same latency and
concurrency, i.e. what the cheapest conceivable per-repository collection would cost.

    .venv/bin/python benchmarks/collect_github.py [--repos 1000] [--latency 0.03] [--workers 8]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.collect_local import organisation  # noqa: E402
from tests.fake_github import FakeGitHub  # noqa: E402

TOKEN = "bench-token"


def run(fake: FakeGitHub, db: str, cache: Path, workers: int) -> tuple[float, float, dict[str, int], str]:
    """Wall seconds, the collector's own CPU seconds (the fake shares the machine), counts, summary."""
    fake.reset_counts()
    cmd = [sys.executable, "-c", "import cli; cli.main()", "collect", "github", "acme",
           "--base-url", fake.base_url, "--db", db, "--cache", str(cache), "--workers", str(workers), "--quiet"]  # fmt: skip
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "GITHUB_TOKEN": TOKEN}, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"collect failed: {err.read()}")
        return wall, usage.ru_utime + usage.ru_stime, dict(fake.counts), out.read().strip()


def floor(fake: FakeGitHub, names: list[str], workers: int) -> float:
    """One plain GET per repository at the same latency and concurrency."""
    import requests

    session = requests.Session()
    headers = {"Authorization": f"token {TOKEN}"}

    def one(name: str) -> None:
        session.get(f"{fake.base_url}/repos/acme/{name}", headers=headers, timeout=30).raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, names))
    return time.perf_counter() - started


def show(label: str, wall: float, cpu: float, counts: dict[str, int], repos: int, summary: str) -> None:
    total = sum(counts.values())
    by = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    print(f"{label}: {wall:.1f} s wall, collector CPU {cpu:.1f} s")
    print(f"    {total} requests = {total / repos:.3f} per repository ({by})")
    print(f"    {summary}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--teams", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency", type=float, default=0.03, help="seconds added to every answer")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    root = organisation(args.repos, args.teams, args.seed)
    with FakeGitHub.from_local_root(root, "acme", tokens=[TOKEN]) as fake, tempfile.TemporaryDirectory() as tmp:
        fake.faults.latency = args.latency
        names = sorted(p.parent.name for p in root.glob("**/.git"))
        print(f"{len(names)} repositories, {args.latency * 1000:.0f} ms per request, {args.workers} workers")
        floor_s = floor(fake, names, args.workers)
        print(f"floor (one request per repository): {floor_s:.1f} s")
        db = f"sqlite:///{tmp}/bench.db"
        cache = Path(tmp) / "cache.sqlite"
        wall, cpu, counts, summary = run(fake, db, cache, args.workers)
        show("first run", wall, cpu, counts, len(names), summary)
        print(f"    ratio to the floor: {wall / floor_s:.1f}x; blobs served {sum(fake.blobs_served.values())}")
        fake.blobs_served.clear()
        wall2, cpu2, counts2, summary2 = run(fake, db, cache, args.workers)
        show("rerun, no push", wall2, cpu2, counts2, len(names), summary2)
        print(f"    ratio to the floor: {wall2 / floor_s:.1f}x; blobs served again {sum(fake.blobs_served.values())}")


if __name__ == "__main__":
    main()
