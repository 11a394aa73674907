"""Benchmark: `Store.seal` of a sharded run of N repositories, against writing the same snapshot directly.

Realistic records: a small generated organisation (the demo generator's repositories, built once and
kept like `collect_local.py`'s) is collected once through the fake GitHub in `tests/fake_github.py`
(`collect github --run --shard 1/1`, so with build health, workflows and checks), and its journaled
records are kept in `benchmarks/.work/`. They are copied under new names up to N repositories and
journaled into a fresh database as `--shards` shards (`open_shard`, `finish_shard`), then sealed.

The baseline, measured in the same run on the same backend: `write_snapshot` of the same N records
already in memory as `RepoFacts`, i.e. the unsharded path's one transaction. Sealing does that write
plus reading and decoding the journal, so its floor is about 1x. Prints wall and CPU seconds of
each and seal / baseline. SQLite by default; `--postgres` starts a throwaway cluster
(`tools/pgcluster.py`), `--db URL` uses a server you have (a database that may be emptied).

    .venv/bin/python benchmarks/seal.py [--repos 4000] [--shards 4] [--sample 100] [--postgres | --db URL]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.collect_github import TOKEN  # noqa: E402
from benchmarks.collect_local import WORK, organisation  # noqa: E402
from collectors.facts import RepoFacts  # noqa: E402
from collectors.shard import shard_of  # noqa: E402
from store.db import SnapshotMeta, open_store  # noqa: E402
from tests.fake_github import FakeGitHub  # noqa: E402

T = TypeVar("T")
STARTED = "2026-11-28T02:00:00+00:00"
RUN = {"source": "github", "root": "github.com/acme", "detectors": "bench", "label": "bench", "options": {}}


def sample_records(repos: int, seed: int = 7) -> list[RepoFacts]:
    """`repos` repositories as `collect github` journals them, collected once and kept."""
    kept = WORK / f"seal-records-{repos}-{seed}.json"
    if not kept.exists():
        root = organisation(repos, 25, seed)
        fake = FakeGitHub.from_local_root(root, "acme", tokens=[TOKEN], rate_limit=10_000_000).start()
        try:
            with tempfile.TemporaryDirectory() as tmp:
                db = f"sqlite:///{tmp}/run.db"
                cmd = [sys.executable, "-c", "import cli; cli.main()", "collect", "github", "acme",
                       "--base-url", fake.base_url, "--db", db, "--cache", f"{tmp}/cache.sqlite",
                       "--quiet", "--run", "S", "--shard", "1/1"]  # fmt: skip
                subprocess.run(cmd, cwd=ROOT, env={**os.environ, "GITHUB_TOKEN": TOKEN}, check=True)
                store = open_store(db, create=False)
                status = store.sharded_run("S")
                assert status is not None
                records = list(store.journaled(status.id).values())
                store.engine.dispose()
        finally:
            fake.stop()
        kept.write_text(json.dumps([r.to_json() for r in records]), encoding="utf-8")
    return [RepoFacts.from_json(r) for r in json.loads(kept.read_text(encoding="utf-8"))]


def organisation_of(sample: list[RepoFacts], repos: int) -> list[RepoFacts]:
    """`repos` records: the sample's, again and again under new names."""
    return [replace(sample[i % len(sample)], name=f"{sample[i % len(sample)].name}-{i}") for i in range(repos)]


def timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """The action's result, its wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def fresh_database(server: str | None, tmp: Path, name: str) -> str:
    if server is None:
        return f"sqlite:///{tmp / name}.db"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=4000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--sample", type=int, default=100, help="repositories actually collected")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL cluster")
    where.add_argument("--db", help="a PostgreSQL server URL whose databases guildboard_seal_* may be replaced")
    args = parser.parse_args()

    records = organisation_of(sample_records(args.sample), args.repos)
    tmp = Path(tempfile.mkdtemp(prefix="guildboard-seal-"))
    tmp.chmod(0o755)  # the cluster runs as `postgres` when we are root: it must reach its folder
    server = args.db
    try:
        if args.postgres:
            from tools.pgcluster import start

            server = start(tmp / "pg")
        direct = open_store(fresh_database(server, tmp, "guildboard_seal_direct"))
        meta = SnapshotMeta(STARTED, RUN["source"], RUN["root"], RUN["label"], detectors=RUN["detectors"])
        _, base_wall, base_cpu = timed(lambda: direct.write_snapshot(meta, records))

        store = open_store(fresh_database(server, tmp, "guildboard_seal_run"))
        for k in range(1, args.shards + 1):
            run = store.open_shard("bench", k, args.shards, started_at=STARTED, **RUN)
            part = [r for r in records if shard_of(r.name, args.shards) == k]
            store.finish_shard(run, k, part, finished_at=STARTED)
        (sid, sealed), wall, cpu = timed(lambda: store.seal("bench", sealed_at=STARTED))
        assert sealed and store.snapshots()[0].repo_count == args.repos
        assert sorted(r.name for r in store.repo_facts(sid)) == sorted(r.name for r in records)
        for s in (direct, store):
            s.engine.dispose()
    finally:
        if args.postgres:
            from tools.pgcluster import stop

            stop(tmp / "pg")
        shutil.rmtree(tmp, ignore_errors=True)

    backend = "SQLite" if server is None else "PostgreSQL"
    print(f"{args.repos} repositories ({args.sample} collected through the fake GitHub, copied), "
          f"{args.shards} shards, {backend}")  # fmt: skip
    print(f"{'':<34}{'wall s':>8}{'CPU s':>8}{'x base':>8}")
    print(f"{'baseline: write_snapshot':<34}{base_wall:8.2f}{base_cpu:8.2f}{1:8.2f}")
    print(f"{'seal':<34}{wall:8.2f}{cpu:8.2f}{wall / base_wall:8.2f}")


if __name__ == "__main__":
    main()
