"""The schema's revision in a database, and moving it forward with Alembic (`guildboard db upgrade`).

A new database gets the current tables at once (`create_all`, then marked as at the head revision,
in one transaction: Alembic's recipe for building a database from scratch); an existing one only
moves through the migrations under `store/migrations/versions/`, never by itself: `open_store`
refuses a database behind the code and names `guildboard db upgrade`, so a dashboard never alters a
shared database that a collector of an older guildboard still writes. On PostgreSQL both take an
advisory lock and on SQLite creation holds the write lock, so N collectors starting at once on an
empty database create it once. Alembic is
imported only here and only to upgrade: reading a database needs just its version row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, inspect, select, text

from store import schema
from store.config import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")

#: Alembic's own table: one row, the revision the database is at.
version_table = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))

#: Any number, the same in every guildboard: the PostgreSQL advisory lock creation and upgrades hold.
_LOCK_KEY = 4_766_931_220_026


@dataclass(frozen=True)
class Revision:
    """Where a database stands: `revision` (an Alembic id), or `legacy` (a schema version from before migrations)."""

    revision: str | None
    legacy: int | None = None

    @property
    def current(self) -> bool:
        return self.revision == schema.HEAD_REVISION

    @property
    def known(self) -> bool:
        return self.revision in schema.REVISIONS

    def __str__(self) -> str:
        if self.revision is not None:
            return f"schema revision {self.revision}"
        return f"schema version {self.legacy}"


def revision_of(conn: Connection) -> Revision:
    """The revision of a guildboard database (one with `guildboard_meta`)."""
    if inspect(conn).has_table(version_table.name):
        found = conn.execute(select(version_table.c.version_num)).scalars().all()
        if len(found) == 1:
            return Revision(found[0])
        if len(found) > 1:
            raise StoreError(f"the database is at several revisions at once ({', '.join(sorted(found))})")
    value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")).scalar()
    if value is None or not str(value).isdigit():
        raise StoreError(f"unknown guildboard schema version {value!r}")
    return Revision(None, int(value))


def check(conn: Connection, where: str) -> None:
    """Refuse a database this code cannot use as it is, saying what to do."""
    found = revision_of(conn)
    if found.current:
        return
    legacy = {v: k for k, v in schema.LEGACY_SCHEMA_VERSION.items()}
    if found.revision is None and found.legacy in legacy:
        raise StoreError(f"{where} has {found}, from before migrations: run `guildboard db upgrade` (same --db) first")
    if found.known:
        raise StoreError(
            f"{where} has {found}, behind this guildboard's ({schema.HEAD_REVISION}): "
            "run `guildboard db upgrade` (same --db) first; back the database up before"
        )
    if found.revision is None and found.legacy is not None and found.legacy < min(legacy):
        raise StoreError(
            f"{where} has {found}, older than this guildboard's ({max(legacy)}): collect into a new database"
        )
    raise StoreError(
        f"{where} has {found}, newer than this guildboard understands ({schema.HEAD_REVISION}): upgrade guildboard"
    )


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection holding the schema lock: PostgreSQL's advisory lock for the session."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            conn.commit()
        try:
            yield conn
        finally:
            if engine.dialect.name == "postgresql":
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
                conn.commit()


@contextmanager
def _writing(conn: Connection) -> Iterator[None]:
    """On SQLite, one transaction holding the write lock from its first statement (BEGIN IMMEDIATE).

    Python's sqlite3 runs CREATE TABLE outside any transaction, so without it a second process
    would see the tables of a database half created; with it, that process waits for the whole."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    previous = raw.isolation_level
    conn.rollback()
    raw.isolation_level = None  # we say where transactions begin and end
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield
    finally:
        if raw.in_transaction:
            raw.rollback()
        raw.isolation_level = previous


def create(engine: Engine) -> bool:
    """Create the tables in an empty database, marked as at the head revision; False when another
    process got there first."""
    with _locked(engine) as conn, _writing(conn):
        if inspect(conn).has_table(schema.meta.name):
            return False
        schema.metadata.create_all(conn)
        version_table.create(conn)
        conn.execute(version_table.insert().values(version_num=schema.HEAD_REVISION))
        conn.execute(schema.meta.insert().values(key="schema_version", value=str(schema.NEWER_THAN_LEGACY)))
        conn.commit()
        return True


def alembic_config(conn: Connection):
    """Alembic's configuration for our migrations, with the connection to run them on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def upgrade(engine: Engine) -> tuple[Revision, Revision]:
    """Bring a guildboard database to the head revision; (before, after). A database from before
    migrations is first marked as at the revision holding its tables."""
    from alembic import command

    with _locked(engine) as conn:
        if not inspect(conn).has_table(schema.meta.name):
            raise StoreError("not a guildboard database (no guildboard_meta table): collect into it first")
        before = revision_of(conn)
        conn.rollback()
        if before.current:
            return before, before
        config = alembic_config(conn)
        if before.revision is None:
            legacy = {v: k for k, v in schema.LEGACY_SCHEMA_VERSION.items()}
            if before.legacy not in legacy:
                raise StoreError(f"the database has {before}, which no migration starts from: collect into a new one")
            command.stamp(config, legacy[before.legacy])
            conn.commit()
        elif not before.known:
            raise StoreError(f"the database has {before}, newer than this guildboard: upgrade guildboard")
        command.upgrade(config, "head")
        conn.commit()
        after = revision_of(conn)
        conn.rollback()
        return before, after
