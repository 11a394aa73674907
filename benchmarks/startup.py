"""Benchmark: a whole `guildboard collect local` over the real-code corpus, start-up included.

Prints the corpus's size (repositories, tracked files, MB), the wall time of
`guildboard collect local <corpus> --db sqlite:///<tmp>/x.db --quiet` in a fresh process (best of
N: interpreter start, imports, detection, the snapshot write), beside the bare interpreter's start
and `import cli` alone, then the ten imports that cost most (`python -X importtime -c "import
cli"`, cumulative), so the next engineer sees what start-up costs. Aim: well under 1.5 s wall on
2 cores for the ~two dozen projects (~150 MB) of the corpus.

    .venv/bin/python benchmarks/startup.py [--rounds 5] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from tests.corpus.fetch import FetchError, fetch_corpus  # noqa: E402

AIM_SECONDS = 1.5


def guildboard_command() -> list[str]:
    """The installed console script beside this interpreter, as a user runs it; else through cli."""
    script = Path(sys.executable).with_name("guildboard")
    return [str(script)] if script.exists() else [sys.executable, "-c", "import cli; cli.main()"]


def best_wall(cmd: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)
        best = min(best, time.perf_counter() - started)
    return best


def corpus_size(root: Path) -> tuple[int, int, int]:
    """(repositories, tracked files, bytes) of every repository under root, as git lists them."""
    repos = files = size = 0
    for repo in sorted(p for p in root.iterdir() if (p / ".git").is_dir()):
        out = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "-l", "HEAD"], capture_output=True,
                             check=True, text=True).stdout  # fmt: skip
        repos += 1
        for line in out.splitlines():
            fields = line.split("\t", 1)[0].split()
            if fields[1] == "blob":
                files += 1
                size += int(fields[3]) if fields[3].isdigit() else 0
    return repos, files, size


def import_costs(top: int) -> tuple[float, list[tuple[int, int, str]]]:
    """(`import cli` total in s, the `top` imports by cumulative µs as (cumulative, self, name))."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import cli"], capture_output=True,
                          text=True, check=True, cwd=REPO)  # fmt: skip
    rows: list[tuple[int, int, str]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        own, cumulative, name = (part.strip(" ") for part in line.removeprefix("import time:").split("|", 2))
        rows.append((int(cumulative), int(own), name.rstrip()))
    total = next((c for c, _, n in rows if n.strip() == "cli"), max((c for c, _, _ in rows), default=0))
    return total / 1e6, sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="take the best of this many runs")
    parser.add_argument("--workers", type=int, default=None, help="passed to collect local (default: its own)")
    args = parser.parse_args()

    try:
        root = fetch_corpus(log=print)
    except FetchError as err:
        sys.exit(f"corpus: {err}")
    repos, files, size = corpus_size(root)
    print(f"corpus: {repos} repositories, {files} tracked files, {size / 1e6:.0f} MB ({root})")
    print(f"machine: {os.cpu_count()} CPUs; best of {args.rounds}")

    python_s = best_wall([sys.executable, "-c", "pass"], args.rounds)
    import_s = best_wall([sys.executable, "-c", "import cli"], args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [*guildboard_command(), "collect", "local", str(root), "--db", f"sqlite:///{tmp}/x.db", "--quiet"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        collect_s = best_wall(cmd, args.rounds)
    verdict = "within" if collect_s < AIM_SECONDS else "OVER"
    print(f"python -c pass                   : {python_s:6.2f} s")
    print(f'python -c "import cli"           : {import_s:6.2f} s')
    print(f"guildboard collect local <corpus>: {collect_s:6.2f} s   {verdict} the {AIM_SECONDS} s aim; "
          f"{repos / collect_s:.1f} repos/s, {files / collect_s:.0f} files/s, {size / 1e6 / collect_s:.0f} MB/s")  # fmt: skip

    total, rows = import_costs(10)
    print(f"\n`import cli`: {total:.2f} s under -X importtime; the 10 costliest imports (cumulative, self):")
    for cumulative, own, name in rows:
        print(f"  {cumulative / 1e3:8.1f} ms {own / 1e3:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
