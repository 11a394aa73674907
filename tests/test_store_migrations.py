"""Schema migrations: the migrations build exactly the tables the code describes, a database behind
the code is refused until `guildboard db upgrade`, and upgrading keeps every row. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, make_url, select, text

from cli import cli
from collectors.facts import RepoFacts
from store import migrate, schema
from store.db import SnapshotMeta, StoreError, database_revision, open_store, safe_url, upgrade_database

META = SnapshotMeta("2026-03-02T08:00:00+00:00", "github", "github.com/acme", "march", "d1")


@pytest.fixture
def db_url(any_db_url: str) -> str:
    return any_db_url


def migrate_to(url: str, revision: str) -> None:
    """Build a database through the migrations alone, up to `revision`."""
    engine = create_engine(url)
    with engine.connect() as conn:
        command.upgrade(migrate.alembic_config(conn), revision)
        conn.commit()
    engine.dispose()


def legacy_database(url: str) -> None:
    """A database as guildboard wrote it before migrations: revision 0001's tables, no alembic_version."""
    migrate_to(url, "0001")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    engine.dispose()


def test_revisions_listed_in_the_schema_are_the_migrations_in_order() -> None:
    config = migrate.alembic_config(None)  # type: ignore[arg-type]
    chain = [r.revision for r in ScriptDirectory.from_config(config).walk_revisions()]
    assert tuple(reversed(chain)) == schema.REVISIONS
    assert ScriptDirectory.from_config(config).get_current_head() == schema.HEAD_REVISION


def test_migrations_build_exactly_the_tables_the_code_describes(db_url: str) -> None:
    migrate_to(db_url, "head")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), schema.metadata)
    engine.dispose()
    assert differences == []  # a change to store/schema.py without its migration fails here


def test_a_new_database_and_a_migrated_one_are_alike(db_url: str, tmp_path: Path) -> None:
    open_store(db_url).engine.dispose()  # created from the tables at once
    other = f"sqlite:///{tmp_path / 'migrated.db'}"
    legacy_database(other)
    upgrade_database(other)
    for url in (db_url, other):
        engine = create_engine(url)
        with engine.connect() as conn:
            assert migrate.revision_of(conn) == migrate.Revision(schema.HEAD_REVISION)
            marker = conn.execute(select(schema.meta.c.value)).scalars().all()
            tables = set(inspect(conn).get_table_names())
        engine.dispose()
        assert marker == [str(schema.NEWER_THAN_LEGACY)]
        assert tables == {*schema.metadata.tables, "alembic_version"}


def test_a_database_from_before_migrations_is_refused_then_upgraded_with_its_rows(db_url: str) -> None:
    legacy_database(db_url)
    engine = create_engine(db_url)
    repo = RepoFacts(name="acme/api", team="payments", head="a" * 40, languages={"Go": 10}).normalise()
    with engine.begin() as conn:  # what a version-2 guildboard wrote: a snapshot and an unfinished run
        sid = conn.execute(
            schema.snapshots.insert().values(
                taken_at=META.taken_at,
                source="github",
                root="github.com/acme",
                label="old",
                repo_count=1,
                warning_count=0,
                facts_version=1,
                detectors="d1",
            )
        ).inserted_primary_key[0]
        conn.execute(
            text(
                "INSERT INTO repos (snapshot_id, repo, team, team_source, archived, topics, fork, team_candidates) "
                "VALUES (:sid, 'acme/api', 'payments', 'topic', false, '[]', false, '{}')"
            ),
            {"sid": sid},
        )
        conn.execute(text("INSERT INTO languages VALUES (:sid, 'acme/api', 'Go', 10, true)"), {"sid": sid})
        run = conn.execute(
            text(
                "INSERT INTO runs (source, root, started_at, options) "
                "VALUES ('github', 'github.com/acme', '2026-03-03T00:00:00+00:00', '{}') RETURNING id"
            )
        ).scalar_one()
        conn.execute(
            text("INSERT INTO run_repos (run_id, repo, head, record) VALUES (:run, 'acme/api', :head, :record)"),
            {"run": run, "head": "a" * 40, "record": json.dumps(repo.to_json())},
        )
    engine.dispose()

    for create in (True, False):
        with pytest.raises(StoreError, match=r"schema version 2, from before migrations: run `guildboard db upgrade`"):
            open_store(db_url, create=create)
    assert database_revision(db_url) == migrate.Revision(None, 2)

    before, after = upgrade_database(db_url)
    assert (before, after) == (migrate.Revision(None, 2), migrate.Revision(schema.HEAD_REVISION))
    store = open_store(db_url, create=False)
    (snap,) = store.snapshots()
    assert (snap.id, snap.label) == (sid, "old")
    (got,) = store.repo_facts(sid)
    assert (got.name, got.team, got.languages) == ("acme/api", "payments", {"Go": 10})
    (unfinished,) = store.unfinished_runs("github", "github.com/acme")
    assert store.journaled(unfinished.id) == {"acme/api": repo}
    assert upgrade_database(db_url) == (after, after)  # a second upgrade does nothing


def test_a_database_one_revision_behind_names_the_upgrade_command(db_url: str) -> None:
    migrate_to(db_url, "0001")
    with pytest.raises(
        StoreError, match=r"schema revision 0001, behind this guildboard's \(0002\): run `guildboard db upgrade`"
    ):
        open_store(db_url, create=False)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert "run_shards" not in inspect(conn).get_table_names()  # refused, not altered
    engine.dispose()


def test_db_upgrade_and_status_commands(db_url: str) -> None:
    migrate_to(db_url, "0001")
    runner = CliRunner()
    status = runner.invoke(cli, ["db", "status", "--db", db_url])
    assert status.exit_code == 0 and "schema revision 0001; this guildboard's is 0002" in status.output
    first = runner.invoke(cli, ["db", "upgrade", "--db", db_url])
    assert first.exit_code == 0 and "from schema revision 0001 to schema revision 0002" in first.output
    again = runner.invoke(cli, ["db", "upgrade", "--db", db_url])
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert "this guildboard's" in runner.invoke(cli, ["db", "status", "--db", db_url]).output
    open_store(db_url, create=False).engine.dispose()


def test_db_upgrade_creates_a_missing_or_empty_database(db_url: str) -> None:
    """A deployment's first step is the same `db upgrade` as every night's."""
    if db_url.startswith("postgresql"):
        create_engine(db_url).connect().close()
    else:
        Path(make_url(db_url).database).unlink(missing_ok=True)
    first = subprocess.run(
        [sys.executable, "-m", "cli", "db", "upgrade", "--db", db_url], capture_output=True, text=True, timeout=60
    )
    assert first.returncode == 0, first.stderr
    assert (
        f"created guildboard's tables in {safe_url(db_url)}, at schema revision {schema.HEAD_REVISION}" in first.stdout
    )
    assert database_revision(db_url) == migrate.Revision(schema.HEAD_REVISION)
    again = CliRunner().invoke(cli, ["db", "upgrade", "--db", db_url])
    assert again.exit_code == 0 and "nothing to do" in again.output
    assert open_store(db_url, create=False).snapshots() == []


def test_db_upgrade_refuses_a_database_holding_other_tables(db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    done = subprocess.run(
        [sys.executable, "-m", "cli", "db", "upgrade", "--db", db_url], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "holds tables that are not guildboard's (invoices)" in done.stderr
    assert "Traceback" not in done.stderr
    assert set(inspect(create_engine(db_url)).get_table_names()) == {"invoices"}


def test_a_password_in_the_url_never_shows(postgres_url: str) -> None:
    url = postgres_url.replace("postgres@", "postgres:hunter2@", 1)
    open_store(url).engine.dispose()
    for args in (["db", "status"], ["db", "upgrade"], ["snapshots"]):
        done = subprocess.run(
            [sys.executable, "-m", "cli", *args, "--db", url], capture_output=True, text=True, timeout=60
        )
        assert "hunter2" not in done.stdout + done.stderr
        assert done.returncode == 0, done.stderr


CREATE = """
import sys
from store.db import open_store
store = open_store(sys.argv[1])
print(len(store.snapshots()))
"""


@pytest.mark.parametrize("attempt", range(3))
def test_collectors_starting_at_once_on_an_empty_database_create_it_once(db_url: str, attempt: int) -> None:
    """On PostgreSQL under the advisory lock; on SQLite (a file not there yet) under its write lock."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE, db_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [err for _, err in results]
    assert all(out.strip() == "0" for out, _ in results)
    assert database_revision(db_url) == migrate.Revision(schema.HEAD_REVISION)
