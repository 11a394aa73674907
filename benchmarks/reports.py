"""Benchmark: every report format of an organisation of N repositories: time and file size.

Builds (or reuses with `--keep`) a database of two monthly snapshots of the generated organisation
(`benchmarks/evaluate.py`'s generator, `--teams` teams) and the example standards widened to
`--standards` standards, then builds the report once (`standards.report.report_from_store`: load,
evaluate both snapshots, diff) and renders each format from it, `--rounds` times (the best is
printed). The baseline, measured in the same run, is loading and evaluating the reported snapshot
alone: what any view of the snapshot pays before a format adds its own cost. Aim: the deck and the
HTML page under 10 s each at 5,000 repositories, report included. "report from cached" is what the
dashboard's export buttons pay before rendering: its analyses and diff are cached already.

    .venv/bin/python benchmarks/reports.py [--repos 5000] [--formats pptx html ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.evaluate import best  # noqa: E402
from benchmarks.pages import build_database, write_standards  # noqa: E402
from reports.formats import FORMATS, RenderOptions, ReportError  # noqa: E402
from standards.analysis import Filters, analyse  # noqa: E402
from standards.diff import diff_snapshots  # noqa: E402
from standards.evaluate import utc_today  # noqa: E402
from standards.load import load_standards  # noqa: E402
from standards.report import build_report, report_from_store  # noqa: E402
from store import open_store  # noqa: E402
from store.frames import load_frames  # noqa: E402


def size_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} kB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, nargs="+", default=[5000])
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument("--standards", type=int, default=40)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=list(FORMATS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="Keep (and reuse) the databases in this folder.")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="guildboard-reports-"))
    work.mkdir(parents=True, exist_ok=True)
    standards_path = write_standards(work / "standards.yaml", args.standards, args.teams)
    for repos in args.repos:
        started = time.perf_counter()
        url = build_database(work / f"reports-{repos}-2.db", repos, args.teams, 2)
        print(f"\n{repos} repositories, {args.teams} teams, 2 snapshots, {args.standards} standards "
              f"(database ready in {time.perf_counter() - started:.0f} s)")  # fmt: skip
        measure(url, standards_path, args.formats, args.rounds)


def measure(url: str, standards_path: Path, formats: list[str], rounds: int) -> None:
    store = open_store(url, create=False)
    newest = store.snapshots()[0]
    guild = load_standards(standards_path)
    baseline, _ = best(lambda: analyse(load_frames(store, newest.id), guild, today=utc_today()), rounds)
    built, report = best(lambda: report_from_store(store, standards_path=standards_path), rounds)
    print(f"{'step':<26}{'time':>9}{'x baseline':>12}{'size':>11}{'with report':>13}")
    print(f"{'baseline: one snapshot':<26}{baseline:>7.2f} s{1.0:>11.1f}x")
    print(f"{'report (both, diff)':<26}{built:>7.2f} s{built / baseline:>11.1f}x")
    # the dashboard's export buttons start from its cached analyses and diff: only the views remain
    now, before = (analyse(load_frames(store, s.id), guild, today=utc_today()) for s in (newest, report.compare))
    diff = diff_snapshots(before.frames, now.frames, guild, old_results=before.results, new_results=now.results,
                          today=now.today)  # fmt: skip
    cached, _ = best(lambda: build_report(now, before, snapshot=newest, compare=report.compare, filters=Filters(),
                                          standards_path=str(standards_path), diff=diff), rounds)  # fmt: skip
    print(f"{'report from cached (app)':<26}{cached:>7.2f} s{cached / baseline:>11.1f}x")
    for name in formats:
        fmt = FORMATS[name]
        try:
            took, data = best(lambda fmt=fmt: fmt.render(report, RenderOptions()), rounds)
        except ReportError as err:  # a missing Chromium: say so, measure the rest
            print(f"{'render ' + name:<26}  skipped: {err}")
            continue
        total = took + built
        flag = "  (over 10 s)" if name in ("pptx", "html") and total >= 10 else ""
        print(f"{'render ' + name:<26}{took:>7.2f} s{took / baseline:>11.1f}x{size_text(len(data)):>11}"
              f"{total:>11.2f} s{flag}")  # fmt: skip
    store.engine.dispose()


if __name__ == "__main__":
    main()
