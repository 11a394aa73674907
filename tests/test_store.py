"""The store: round trips, schema versions, atomic snapshots."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from collectors.facts import (
    ActionUse,
    CiFile,
    Dependency,
    DockerImage,
    HygieneItem,
    RepoFacts,
    Runtime,
    Technology,
    Warning_,
)
from store import schema
from store.db import SnapshotMeta, Store, StoreError, open_store
from store.frames import load_frames, snapshots_frame


def full_repo(name: str = "payments/api") -> RepoFacts:
    return RepoFacts(
        name=name,
        team="payments",
        team_source="folder",
        default_branch="main",
        head="a" * 40,
        archived=True,
        pushed_at="2026-03-01T12:00:00+00:00",
        url=None,
        topics=["java", "team-payments"],
        languages={"Java": 12000, "Shell": 300},
        other_languages={"YAML": 800},
        dependencies=[
            Dependency(
                "maven",
                "org.springframework.boot:spring-boot-starter-web",
                "3.2.1",
                None,
                "runtime",
                "pom.xml",
            ),
            Dependency("npm", "react", "^18.2.0", "18.2.0", "runtime", "web/package.json"),
        ],
        technologies=[Technology("spring-boot", "web-framework", "3.2.1", "pom.xml")],
        runtimes=[Runtime("java", "21", "pom.xml"), Runtime("node", None, ".nvmrc")],
        docker_images=[DockerImage("eclipse-temurin", "21-jre", None, "run", "Dockerfile")],
        ci_files=[CiFile("github-actions", ".github/workflows/ci.yml")],
        actions=[ActionUse("actions/checkout", "v4", ".github/workflows/ci.yml")],
        hygiene={"readme": HygieneItem(True, "README.md"), "codeowners": HygieneItem(False)},
        warnings=[Warning_("web/package.json", "not valid JSON: line 3")],
    ).normalise()


META = SnapshotMeta("2026-03-02T08:00:00+00:00", "local", "/srv/org", "march")


def test_snapshot_round_trips_every_fact(store: Store) -> None:
    repos = [full_repo(), full_repo("web/site"), RepoFacts(name="empty").normalise()]
    sid = store.write_snapshot(META, repos)
    assert store.repo_facts(sid) == sorted(repos, key=lambda r: r.name)
    (snap,) = store.snapshots()
    assert (snap.id, snap.repo_count, snap.warning_count, snap.label) == (sid, 3, 2, "march")


def test_round_trip_through_json_export_format() -> None:
    repo = full_repo()
    assert RepoFacts.from_json(json.loads(json.dumps(repo.to_json()))) == repo


def test_frames_are_tidy_one_row_per_fact(store: Store) -> None:
    sid = store.write_snapshot(META, [full_repo(), full_repo("web/site")])
    store.write_snapshot(META, [full_repo("other")])  # another snapshot must not leak in
    frames = load_frames(store, sid)
    assert list(frames.repos["repo"]) == ["payments/api", "web/site"]
    assert frames.repos["archived"].dtype == bool and frames.repos["archived"].all()
    assert len(frames.dependencies) == 4 and set(frames.dependencies["repo"]) == {"payments/api", "web/site"}
    java = frames.languages[(frames.languages.language == "Java")]
    assert list(java["bytes"]) == [12000, 12000] and java["counted"].all()
    assert not frames.languages[frames.languages.language == "YAML"]["counted"].any()


def test_frames_of_an_empty_snapshot_have_columns(store: Store) -> None:
    sid = store.write_snapshot(META, [])
    frames = load_frames(store, sid)
    assert frames.dependencies.empty and list(frames.dependencies.columns)[:3] == [
        "repo",
        "ecosystem",
        "name",
    ]


def test_snapshots_newest_first_and_resolved_by_id_latest_or_label(store: Store) -> None:
    a = store.write_snapshot(SnapshotMeta("2026-01-01T00:00:00+00:00", "local", "/o", "jan"), [])
    b = store.write_snapshot(SnapshotMeta("2026-02-01T00:00:00+00:00", "local", "/o", "feb"), [])
    old = store.write_snapshot(SnapshotMeta("2025-12-01T00:00:00+00:00", "local", "/o", None), [])
    assert [s.id for s in store.snapshots()] == [b, a, old]
    assert store.resolve_snapshot("latest").id == b
    assert store.resolve_snapshot(str(a)).id == a
    assert store.resolve_snapshot("label:jan").id == a
    with pytest.raises(StoreError, match="no snapshot '99'"):
        store.resolve_snapshot("99")
    frame = snapshots_frame(store)
    assert list(frame["id"]) == [b, a, old] and str(frame["taken_at"].dt.tz) == "UTC"


def test_no_snapshot_is_a_clear_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no snapshot yet"):
        store.resolve_snapshot("latest")


def test_sqlite_runs_in_wal_mode(store: Store, tmp_path: Path) -> None:
    store.write_snapshot(META, [])
    with sqlite3.connect(tmp_path / "guildboard.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_of_a_newer_schema_is_refused(store: Store, db_url: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(schema.meta).where(schema.meta.c.key == "schema_version").values(value="99"))
    with pytest.raises(StoreError, match="schema version 99, newer than this guildboard"):
        open_store(db_url)


def test_database_that_is_not_guildboards_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StoreError, match="not guildboard's"):
        open_store(f"sqlite:///{path}")


def test_missing_database_is_not_created_when_reading(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no database at"):
        open_store(f"sqlite:///{tmp_path / 'nope.db'}", create=False)
    assert not (tmp_path / "nope.db").exists()


def test_password_never_appears_in_store_errors() -> None:
    with pytest.raises(StoreError) as err:
        open_store("postgresql+nosuchdriver://user:hunter2@localhost/db")
    assert "hunter2" not in str(err.value)


WRITER = """
import sys, time
from collectors.facts import Dependency, RepoFacts
from store.db import SnapshotMeta, open_store
store = open_store(sys.argv[1])
store.write_snapshot(SnapshotMeta("2026-01-01T00:00:00+00:00", "local", "/o", "kept"), [RepoFacts(name="kept")])
repos = [RepoFacts(name=f"r{i}", dependencies=[Dependency("npm", f"p{j}", "1") for j in range(40)]) for i in range(8000)]
print("writing", flush=True)
store.write_snapshot(SnapshotMeta("2026-02-01T00:00:00+00:00", "local", "/o", "partial"), repos)
print("done", flush=True)
"""


@pytest.mark.parametrize("delay", [0.2, 0.8])
def test_write_killed_half_way_leaves_earlier_snapshots_and_no_partial_one(db_url: str, delay: float) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_url], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    store = open_store(db_url)
    assert [s.label for s in store.snapshots()] == ["kept"]
    with store.engine.connect() as conn:
        orphans = conn.execute(select(schema.repos.c.repo).where(schema.repos.c.snapshot_id != 1)).all()
        deps = conn.execute(select(schema.FACT_TABLES[0].table.c.repo)).all()
    assert orphans == [] and deps == []
