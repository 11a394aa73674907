"""Benchmark: every dashboard page's script run, first (cold caches) and once its data is cached.

Builds a database of `--snapshots` snapshots of an organisation of N repositories for each N in
`--repos` (the generator of `benchmarks/evaluate.py`: the demo organisation copied with new names,
teams and drifting versions) and a standards file widened to `--standards` standards, then runs
each page through Streamlit's AppTest: once cold, then `--rounds` more times in the same session
(the best is printed). The baseline, measured in the same run, is a page that only draws the
sidebar (the frame every page pays for). Aim: every cached run under 1 s at 5,000 repositories.

    .venv/bin/python benchmarks/pages.py [--repos 1000 5000] [--snapshots 26] [--standards 40]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from benchmarks.evaluate import organisation, seed_records, widened_yaml  # noqa: E402
from standards import STANDARDS_ENV  # noqa: E402
from store import DB_ENV, SnapshotMeta, open_store, schema  # noqa: E402

PAGES = (
    "overview",
    "teams",
    "technologies",
    "versions",
    "languages",
    "build_health",
    "trends",
    "repository",
    "standards",
    "meeting",
)
BASELINE = "sidebar only"


def build_database(path: Path, repos: int, teams: int, snapshots: int) -> str:
    """A database of `snapshots` monthly snapshots of the generated organisation (kept when it exists)."""
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    seed = seed_records()
    store = open_store(f"sqlite:///{path}.part")
    for step in range(snapshots):
        records = organisation(seed, repos, teams, step)
        taken = f"{2024 + step // 12:04d}-{step % 12 + 1:02d}-15T09:00:00Z"
        store.write_snapshot(SnapshotMeta(taken, "local", "/bench/org", f"step {step}"), records)
    store.engine.dispose()
    Path(f"{path}.part").rename(path)
    return url


def write_standards(path: Path, count: int, teams: int) -> Path:
    path.write_text(widened_yaml(ROOT / "data" / "standards.example.yaml", count, teams))
    return path


#: The baseline app: the sidebar every page draws (snapshot, comparison, filters, the analysis).
FRAME_ONLY = """
import streamlit as st
from pages import common
st.set_page_config(layout="wide")
with common.frame():
    common.require_view()
"""


def run_page(page: str | None, query: dict[str, str], rounds: int, app: Path = ROOT / "app.py") -> tuple[float, float]:
    """(cold seconds, best cached seconds) of one page's script run through AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(app), default_timeout=1800)
    at.query_params.update(query)
    if page is not None:
        at.switch_page(f"pages/{page}.py")
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    warm = []
    for _ in range(rounds):
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    return cold, min(warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument("--snapshots", type=int, default=26)
    parser.add_argument("--standards", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="Keep (and reuse) the databases in this folder.")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="guildboard-pages-"))
    work.mkdir(parents=True, exist_ok=True)
    standards = write_standards(work / "standards.yaml", args.standards, args.teams)
    os.environ[STANDARDS_ENV] = str(standards)
    for repos in args.repos:
        started = time.perf_counter()
        url = build_database(work / f"pages-{repos}-{args.snapshots}.db", repos, args.teams, args.snapshots)
        print(f"\n{repos} repositories, {args.snapshots} snapshots, {args.standards} standards "
              f"(database ready in {time.perf_counter() - started:.0f} s)")  # fmt: skip
        os.environ[DB_ENV] = url
        store = open_store(url, create=False)
        with store.engine.connect() as conn:
            newest = store.snapshots()[0].id
            first_repo = conn.execute(
                select(schema.repos.c.repo).where(schema.repos.c.snapshot_id == newest).order_by(schema.repos.c.repo)
            ).first()[0]
        store.engine.dispose()
        frame_only = ROOT / "_bench_frame_only.py"  # beside app.py, so `pages` imports the same way
        frame_only.write_text(FRAME_ONLY)
        try:
            timings = {BASELINE: run_page(None, {}, args.rounds, app=frame_only)}
        finally:
            frame_only.unlink(missing_ok=True)
        base_warm = timings[BASELINE][1]
        for page in PAGES:
            query = {"repo": first_repo} if page == "repository" else {}
            timings[page] = run_page(page, query, args.rounds)
        print(f"{'page':<16}{'first run':>12}{'cached':>10}{'x baseline':>12}")
        for page, (cold, warm) in timings.items():
            ratio = warm / base_warm if base_warm else float("nan")
            flag = "" if warm < 1.0 else "  (over 1 s)"
            print(f"{page:<16}{cold:>10.2f} s{warm:>8.2f} s{ratio:>11.1f}x{flag}")


if __name__ == "__main__":
    main()
