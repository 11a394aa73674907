"""The store: round trips, schema versions, atomic snapshots; on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
from sqlalchemy import Float, Integer, String, select, update

from collectors.facts import (
    ActionUse,
    BuildHealth,
    CheckResult,
    CiFile,
    Dependency,
    DockerImage,
    HygieneItem,
    RepoFacts,
    Runtime,
    Technology,
    Warning_,
    WorkflowHealth,
)
from reports.export_json import SCHEMA_PATH, export_document
from store import migrate, schema
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
        fork=True,
        visibility="internal",
        team_candidates={"folder": "payments", "codeowners": "payments-core"},
        build=BuildHealth("red", "ci.yml failed on the head", "a" * 40, "2026-03-02T07:59:00Z"),
        workflows=[
            WorkflowHealth("CI", ".github/workflows/ci.yml", 12, "failure", "2026-03-02T07:00:00Z", 5 / 6, 431.5, None),
            WorkflowHealth("nightly", None, 0, None, None, None, None, None),
            WorkflowHealth(
                "release",
                ".github/workflows/release.yml",
                3,
                "success",
                "2026-02-27T10:00:00Z",
                1.0,
                0.1,
                "2026-02-27T10:04:00Z",
            ),
        ],
        checks=[
            CheckResult("build", "check-run", "github-actions", "failure"),
            CheckResult("ci/jenkins", "status", None, "pending"),
        ],
    ).normalise()


META = SnapshotMeta("2026-03-02T08:00:00+00:00", "local", "/srv/org", "march")


@pytest.fixture
def db_url(any_db_url: str) -> str:
    """Every test here that takes `db_url` or `store` runs on SQLite and on PostgreSQL."""
    return any_db_url


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    """For what only SQLite has: its file, WAL mode, its column affinities."""
    return open_store(f"sqlite:///{tmp_path / 'guildboard.db'}")


def test_snapshot_round_trips_every_fact(store: Store) -> None:
    repos = [full_repo(), full_repo("web/site"), RepoFacts(name="empty").normalise()]
    sid = store.write_snapshot(META, repos)
    assert store.repo_facts(sid) == sorted(repos, key=lambda r: r.name)
    (snap,) = store.snapshots()
    assert (snap.id, snap.repo_count, snap.warning_count, snap.label) == (sid, 3, 2, "march")


def test_a_nul_in_hostile_text_is_stored_on_every_backend(store: Store, db_url: str) -> None:
    hostile = RepoFacts(
        name="acme/evil",
        dependencies=[Dependency("npm", "left\x00pad", "1.0.0", None, "runtime", "package.json")],
        warnings=[Warning_("package.json", "unexpected \x00 in a name")],
    ).normalise()
    sid = store.write_snapshot(SnapshotMeta(META.taken_at, "local", "/o", "night\x00ly"), [hostile])
    (got,) = store.repo_facts(sid)
    nul = "\ufffd" if db_url.startswith("postgresql") else "\x00"  # PostgreSQL text cannot hold NUL
    assert got.dependencies[0].name == f"left{nul}pad" and got.warnings[0].message == f"unexpected {nul} in a name"
    assert store.snapshots()[0].label == f"night{nul}ly"
    assert len(load_frames(store, sid).dependencies) == 1


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


def test_new_facts_round_trip_exactly_including_floats_and_nulls(store: Store) -> None:
    clone = RepoFacts(name="local/clone", workflows=[WorkflowHealth("CI", None, 1, None, None, None, None, None)])
    repos = [full_repo(), clone.normalise()]
    sid = store.write_snapshot(META, repos)
    got = {r.name: r for r in store.repo_facts(sid)}
    assert got == {r.name: r for r in repos}
    ci = next(w for w in got["payments/api"].workflows if w.workflow == "CI")
    assert (ci.runs, ci.success_rate, ci.median_duration_s) == (12, 5 / 6, 431.5)  # exact, not rounded text
    assert (got["local/clone"].build, got["local/clone"].fork, got["local/clone"].team_candidates) == (None, False, {})


def test_numbers_are_stored_as_numbers(sqlite_store: Store, tmp_path: Path) -> None:
    sqlite_store.write_snapshot(META, [full_repo()])
    with sqlite3.connect(tmp_path / "guildboard.db") as conn:
        kinds = conn.execute(
            "SELECT typeof(runs), typeof(success_rate), typeof(median_duration_s) FROM workflows ORDER BY workflow"
        ).fetchall()
    assert kinds == [("integer", "real", "real"), ("integer", "null", "null"), ("integer", "real", "real")]
    workflows, checks = schema.metadata.tables["workflows"].c, schema.metadata.tables["checks"].c
    assert isinstance(workflows.runs.type, Integer) and not workflows.runs.nullable
    assert isinstance(workflows.success_rate.type, Float) and workflows.success_rate.nullable
    assert isinstance(checks.state.type, String) and not checks.state.nullable and checks.app.nullable


def test_an_unstorable_fact_field_is_refused_when_the_table_is_described() -> None:
    with pytest.raises(TypeError, match="cannot store"):
        schema._column("tags", list[str], None)
    with pytest.raises(TypeError, match="cannot store"):
        schema._column("either", int | str, None)


def test_frames_of_build_workflows_checks_and_the_new_repo_columns(store: Store) -> None:
    sid = store.write_snapshot(META, [full_repo(), RepoFacts(name="clone").normalise()])
    frames = load_frames(store, sid)
    repos = frames.repos.set_index("repo")
    assert repos["fork"].dtype == bool and list(repos.loc[["payments/api", "clone"], "fork"]) == [True, False]
    assert repos.loc["payments/api", "visibility"] == "internal" and pd.isna(repos.loc["clone", "visibility"])
    assert json.loads(repos.loc["payments/api", "team_candidates"]) == {
        "codeowners": "payments-core",
        "folder": "payments",
    }
    assert json.loads(repos.loc["clone", "team_candidates"]) == {}
    assert frames.build_health.to_dict("records") == [
        {
            "repo": "payments/api",
            "state": "red",
            "reason": "ci.yml failed on the head",
            "commit": "a" * 40,
            "checked_at": "2026-03-02T07:59:00Z",
        }
    ]
    workflows = frames.workflows.set_index("workflow")
    assert workflows["runs"].dtype == "int64" and workflows["success_rate"].dtype == "float64"
    assert workflows["median_duration_s"].dtype == "float64"
    assert workflows.loc["CI", "success_rate"] == 5 / 6 and pd.isna(workflows.loc["nightly", "success_rate"])
    assert sorted(frames.checks["name"]) == ["build", "ci/jenkins"] and set(frames.checks["repo"]) == {"payments/api"}


def test_frames_of_an_empty_snapshot_are_typed(store: Store) -> None:
    frames = load_frames(store, store.write_snapshot(META, []))
    assert list(frames.build_health.columns) == ["repo", "state", "reason", "commit", "checked_at"]
    assert frames.workflows.empty and frames.workflows["runs"].dtype == "int64"
    assert frames.workflows["success_rate"].dtype == "float64" and frames.repos["fork"].dtype == bool


def test_export_with_a_build_and_without_one_matches_the_json_schema(store: Store) -> None:
    sid = store.write_snapshot(META, [full_repo(), RepoFacts(name="empty").normalise()])
    doc = export_document(store, store.resolve_snapshot(sid))
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
    validator.validate(doc)
    by_name = {r["name"]: r for r in doc["repositories"]}
    assert (
        by_name["payments/api"]["build"]["state"] == "red" and len(by_name["payments/api"]["build"]["workflows"]) == 3
    )
    assert by_name["empty"]["build"] == {
        "state": None,
        "reason": None,
        "commit": None,
        "checked_at": None,
        "workflows": [],
        "checks": [],
    }
    # The schema holds the new fields to their meaning, not only to their presence.
    for path, value in [
        (("build", "state"), "purple"),
        (("build", "reason"), None),  # a state needs its reason
        (("build", "workflows", 0, "success_rate"), 1.5),
        (("build", "workflows", 0, "runs"), 2.5),
        (("build", "checks", 0, "surprise"), 1),
        (("visibility",), "secret"),
        (("team_candidates", "astrology"), "payments"),
    ]:
        bad = json.loads(json.dumps(doc))
        target = next(r for r in bad["repositories"] if r["name"] == "payments/api")
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert not validator.is_valid(bad), path


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


def test_sqlite_runs_in_wal_mode(sqlite_store: Store, tmp_path: Path) -> None:
    sqlite_store.write_snapshot(META, [])
    with sqlite3.connect(tmp_path / "guildboard.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_of_a_newer_schema_is_refused(store: Store, db_url: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(migrate.version_table).values(version_num="0099"))
    for create in (True, False):
        with pytest.raises(StoreError, match=r"schema revision 0099, newer than this guildboard understands \(0002\)"):
            open_store(db_url, create=create)


def test_latest_snapshot_of_a_source_and_root_optionally_by_detectors(store: Store) -> None:
    assert store.latest_snapshot("local", "/o") is None

    def take(taken_at: str, source: str, root: str, detectors: str | None) -> int:
        return store.write_snapshot(SnapshotMeta(taken_at, source, root, None, detectors), [])

    a = take("2026-01-01T00:00:00+00:00", "local", "/o", "d1")
    b = take("2026-02-01T00:00:00+00:00", "local", "/o", "d2")
    take("2026-03-01T00:00:00+00:00", "local", "/other", "d1")
    take("2026-03-01T00:00:00+00:00", "github", "/o", "d1")
    take("2025-12-01T00:00:00+00:00", "local", "/o", "d1")
    latest = store.latest_snapshot("local", "/o")
    assert latest is not None and (latest.id, latest.detectors) == (b, "d2")
    by_code = store.latest_snapshot("local", "/o", detectors="d1")
    assert by_code is not None and by_code.id == a
    assert store.latest_snapshot("local", "/o", detectors="d3") is None
    assert [s.detectors for s in store.snapshots()][:2] == ["d1", "d1"]  # the two taken on 2026-03-01


def test_database_of_schema_version_1_is_refused_and_left_alone(sqlite_store: Store, tmp_path: Path) -> None:
    sqlite_store.engine.dispose()
    path = tmp_path / "guildboard.db"
    with sqlite3.connect(path) as conn:  # take the database back to version 1's layout
        for table in ("run_shards", "run_repos", "runs", "build_health", "workflows", "checks", "alembic_version"):
            conn.execute(f"DROP TABLE {table}")
        for column in ("fork", "visibility", "team_candidates"):
            conn.execute(f"ALTER TABLE repos DROP COLUMN {column}")
        conn.execute("ALTER TABLE snapshots DROP COLUMN detectors")
        conn.execute("UPDATE guildboard_meta SET value = '1' WHERE key = 'schema_version'")
    for create in (True, False):
        with pytest.raises(
            StoreError, match=r"schema version 1, older than this guildboard's \(2\): collect into a new"
        ):
            open_store(f"sqlite:///{path}", create=create)
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "runs" not in tables and "workflows" not in tables  # refused, not half-upgraded


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


def kill_while_writing(script: str, db_url: str, delay: float) -> None:
    """Run `script` (which prints "writing" as its write starts) and SIGKILL it `delay` s later."""
    proc = subprocess.Popen([sys.executable, "-c", script, db_url], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)


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
    kill_while_writing(WRITER, db_url, delay)
    store = open_store(db_url)
    assert [s.label for s in store.snapshots()] == ["kept"]
    with store.engine.connect() as conn:
        orphans = conn.execute(select(schema.repos.c.repo).where(schema.repos.c.snapshot_id != 1)).all()
        deps = conn.execute(select(schema.FACT_TABLES[0].table.c.repo)).all()
    assert orphans == [] and deps == []
