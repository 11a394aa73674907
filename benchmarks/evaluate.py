"""Benchmark: evaluating the standards, the divergence metrics and the snapshot diff at scale.

Builds an organisation of `--repos` repositories by collecting the demo organisation once and
copying its records with new names, teams and shifted versions (so every rule has work to do),
and `--snapshots` snapshots of it that drift a little each step; takes the example standards file
and widens it to `--standards` standards (team-scoped copies). Prints the time of one snapshot's
evaluation, levels and roll-ups, each metric, and one diff, best of `--rounds`; and, as the
baseline measured in the same run, the time to build the snapshot's frames from its records.

    .venv/bin/python benchmarks/evaluate.py [--repos 5000] [--standards 40] [--snapshots 26]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from collectors.facts import RepoFacts, Runtime, Technology  # noqa: E402
from collectors.run import collect_local  # noqa: E402
from demo import build_organisation  # noqa: E402
from standards.diff import diff_snapshots  # noqa: E402
from standards.evaluate import evaluate  # noqa: E402
from standards.levels import compliance, repo_levels, scores  # noqa: E402
from standards.load import parse_standards  # noqa: E402
from standards.metrics import fragmentation, radar_reality, team_deviation, version_drift  # noqa: E402
from store.frames import frames_from_records  # noqa: E402

TODAY = date(2026, 11, 28)


def seed_records() -> list[RepoFacts]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "org"
        build_organisation(root, repos=64, teams=8, seed=7)
        return collect_local(root).repos


def shift(version: str | None, rng: random.Random) -> str | None:
    """The same version, or one a major or minor away: drift for the metrics to measure."""
    if not version or not version[:1].isdigit():
        return version
    parts = version.split(".")
    try:
        major = int(parts[0])
    except ValueError:
        return version
    roll = rng.random()
    if roll < 0.15:
        parts[0] = str(max(0, major - 1))
    elif roll < 0.3 and len(parts) > 1 and parts[1].isdigit():
        parts[1] = str(int(parts[1]) + 1)
    return ".".join(parts)


def organisation(seed: list[RepoFacts], repos: int, teams: int, step: int) -> list[RepoFacts]:
    out = []
    for i in range(repos):
        base = seed[i % len(seed)]
        rng = random.Random(f"{i}/{step // 3}")  # versions move every few steps
        out.append(
            replace(
                base,
                name=f"team-{i % teams:02d}/{base.name.rsplit('/', 1)[-1]}-{i}",
                team=f"team-{i % teams:02d}",
                technologies=[
                    Technology(t.name, t.category, shift(t.version, rng), t.evidence) for t in base.technologies
                ],
                runtimes=[Runtime(r.name, shift(r.version, rng), r.evidence) for r in base.runtimes],
                archived=base.archived or (i % 97 == 0 and step > 10),
            )
        )
    return out[: repos - step * 3] if step < 5 else out  # a few repositories appear over time


def widen(path: Path, count: int, teams: int) -> object:
    """The example standards, plus team-scoped copies until there are `count`."""
    return parse_standards(widened_yaml(path, count, teams))


def widened_yaml(path: Path, count: int, teams: int) -> str:
    """The text of `widen`'s standards file."""
    import yaml

    data = yaml.safe_load(path.read_text())
    base = list(data["standards"])
    i = 0
    while len(data["standards"]) < count:
        copy = dict(base[i % len(base)])
        copy["id"] = f"{copy['id']}-t{i}"
        copy["applies_to"] = {"teams": [f"team-{i % teams:02d}"]}
        data["standards"].append(copy)
        i += 1
    return yaml.safe_dump(data, sort_keys=False)


def best(fn: Callable[[], object], rounds: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=5000)
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument("--standards", type=int, default=40)
    parser.add_argument("--snapshots", type=int, default=26)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    seed = seed_records()
    standards = widen(ROOT / "data" / "standards.example.yaml", args.standards, args.teams)
    snaps = [organisation(seed, args.repos, args.teams, step) for step in range(args.snapshots)]
    print(f"{len(snaps[-1])} repositories, {len(standards.standards)} standards, {len(snaps)} snapshots")

    t_frames, frames = best(lambda: frames_from_records(snaps[-1]), args.rounds)
    old_frames = frames_from_records(snaps[-4])  # versions move every third step
    t_eval, results = best(lambda: evaluate(standards, frames, today=TODAY), args.rounds)
    t_levels, _ = best(
        lambda: (repo_levels(standards, results), compliance(results), compliance(results, by=("team", "standard")),
                 scores(results)),
        args.rounds,
    )  # fmt: skip
    metrics = {
        "version drift": lambda: version_drift(standards, frames),
        "fragmentation": lambda: fragmentation(frames),
        "team deviation": lambda: team_deviation(frames),
        "radar against reality": lambda: radar_reality(standards, frames),
    }
    t_metrics = {name: best(fn, args.rounds)[0] for name, fn in metrics.items()}
    old_results = evaluate(standards, old_frames, today=TODAY)
    t_diff, diff = best(
        lambda: diff_snapshots(
            old_frames, frames, standards, old_results=old_results, new_results=results, today=TODAY
        ),
        args.rounds,
    )
    all_snaps, _ = best(
        lambda: [evaluate(standards, frames_from_records(s), today=TODAY) for s in snaps], 1
    )  # the trends page's work, once

    print(f"baseline: frames from records {t_frames:.2f} s")
    print(f"evaluation: {t_eval:.2f} s ({len(results)} results; {t_eval / t_frames:.1f}x the baseline)")
    print(f"levels and roll-ups: {t_levels:.2f} s")
    for name, seconds in t_metrics.items():
        print(f"{name}: {seconds:.2f} s")
    one = t_eval + t_levels + sum(t_metrics.values())
    print(f"one snapshot's evaluation and metrics: {one:.2f} s (aim: under 2 s)")
    print(f"diff of two snapshots: {t_diff:.2f} s ({diff.summary()})")
    print(f"every snapshot evaluated (trends): {all_snaps:.1f} s for {len(snaps)} snapshots")


if __name__ == "__main__":
    main()
