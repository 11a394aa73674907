"""The store's tables: tidy, one row per (snapshot, repository, fact).

Fact tables are described once in `FACT_TABLES` (table name, the `RepoFacts` attribute, its item
type); writing and reading both walk that description, so adding a kind of fact is one entry.
The one-per-repository facts (`repos`, `build_health`) and the dict-shaped ones (`languages`,
`hygiene`) are written out by hand. `runs` and `run_repos` are the journal of collections under
way: they are never read as snapshots.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, fields

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from collectors.facts import (
    ActionUse,
    CheckResult,
    CiFile,
    Dependency,
    DockerImage,
    Runtime,
    Technology,
    Warning_,
    WorkflowHealth,
)

#: The Alembic revisions (`store/migrations/versions/`), oldest first: a change to the tables below
#: is a new migration and a new last entry here (a test holds the two together). A database at an
#: earlier revision is refused until `guildboard db upgrade`; one at a revision not listed is newer.
REVISIONS = ("0001", "0002")
HEAD_REVISION = REVISIONS[-1]

#: Before migrations, `guildboard_meta.schema_version` said which tables a database had: version 2
#: is revision 0001's tables. Revision 0002 sets it to 3, so an older guildboard refuses the
#: database as newer than itself rather than misreading it.
LEGACY_SCHEMA_VERSION = {"0001": 2}
NEWER_THAN_LEGACY = 3

metadata = MetaData()

meta = Table(
    "guildboard_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("taken_at", String(40), nullable=False),  # ISO 8601 UTC: when the heads were read
    Column("source", String(32), nullable=False),  # local, github
    Column("root", Text, nullable=False),  # the folder or organisation collected
    Column("label", Text),
    Column("repo_count", Integer, nullable=False),
    Column("warning_count", Integer, nullable=False),
    Column("facts_version", Integer, nullable=False),
    # A fingerprint of the collection code: a later collection only carries facts over from a
    # snapshot whose detectors are the same, since other code could read the same head differently.
    Column("detectors", String(64)),
)

repos = Table(
    "repos",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    Column("repo", String(512), primary_key=True),
    Column("team", String(255), nullable=False),
    Column("team_source", String(64), nullable=False),
    Column("default_branch", String(255)),
    Column("head", String(64)),
    Column("archived", Boolean, nullable=False),
    Column("pushed_at", String(40)),
    Column("url", Text),
    Column("topics", Text, nullable=False),  # JSON list
    Column("fork", Boolean, nullable=False),
    Column("visibility", String(16)),  # public, private, internal; NULL for a local clone
    Column("team_candidates", Text, nullable=False),  # JSON object: source -> team, every source that named one
)


def _fact_table(name: str, *columns: Column) -> Table:
    table = Table(
        name,
        metadata,
        Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="CASCADE"), nullable=False),
        Column("repo", String(512), nullable=False),
        *columns,
    )
    Index(f"ix_{name}_snapshot_repo", table.c.snapshot_id, table.c.repo)
    return table


languages = _fact_table(
    "languages",
    Column("language", String(128), nullable=False),
    Column("bytes", BigInteger, nullable=False),
    Column("counted", Boolean, nullable=False),  # programming/markup (the breakdown) or data/prose
)

hygiene = _fact_table(
    "hygiene",
    Column("item", String(64), nullable=False),
    Column("present", Boolean, nullable=False),
    Column("path", Text),
    Column("detail", Text),
)


# One row per repository whose `build` is known (a local clone has none).
build_health = _fact_table(
    "build_health",
    Column("state", String(16), nullable=False),  # green, pending, red, unknown
    Column("reason", Text, nullable=False),
    Column("commit", String(64)),
    Column("checked_at", String(40)),
)


@dataclass(frozen=True)
class FactTable:
    table: Table
    attribute: str  # the list on RepoFacts
    item: type  # the dataclass of one row


#: Column types for the scalar annotations a fact item may use; `str` is String(n) or Text.
_SCALAR_TYPES: dict[type, type[TypeEngine]] = {int: BigInteger, float: Float, bool: Boolean}


def _column(name: str, annotation: object, length: int | None) -> Column:
    """A column typed from a field's annotation, so numbers are stored (and read back) as numbers."""
    args = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    nullable = type(None) in args
    base = [a for a in args if a is not type(None)]
    if len(base) != 1 or (base[0] is not str and base[0] not in _SCALAR_TYPES):
        raise TypeError(f"fact field {name!r}: cannot store {annotation!r} (str, int, float or bool, maybe | None)")
    if base[0] is str:
        return Column(name, String(length) if length else Text, nullable=nullable)
    return Column(name, _SCALAR_TYPES[base[0]], nullable=nullable)


def _list_table(table_name: str, attribute: str, item: type, lengths: dict[str, int]) -> FactTable:
    """A table whose columns are the item dataclass's fields (short keys as bounded strings)."""
    hints = typing.get_type_hints(item)  # resolves the string annotations of `from __future__ import annotations`
    cols = [_column(f.name, hints[f.name], lengths.get(f.name)) for f in fields(item)]
    return FactTable(_fact_table(table_name, *cols), attribute, item)


FACT_TABLES: tuple[FactTable, ...] = (
    _list_table("dependencies", "dependencies", Dependency, {"ecosystem": 32, "name": 512, "scope": 32}),
    _list_table("technologies", "technologies", Technology, {"name": 128, "category": 64}),
    _list_table("runtimes", "runtimes", Runtime, {"name": 64}),
    _list_table("docker_images", "docker_images", DockerImage, {}),
    _list_table("ci_files", "ci_files", CiFile, {"provider": 64}),
    _list_table("actions", "actions", ActionUse, {}),
    _list_table("warnings", "warnings", Warning_, {}),
    _list_table(
        "workflows",
        "workflows",
        WorkflowHealth,
        {"latest_conclusion": 32, "latest_at": 40, "last_success_at": 40},
    ),
    _list_table("checks", "checks", CheckResult, {"kind": 16, "app": 128, "state": 32}),
)

# --- the run journal ---------------------------------------------------------------------------
# A collection journals each repository as it is read, so an interrupted run resumes where it
# stopped; only `finish_run` turns a run into a snapshot, so a partial run is never one.
# A sharded run (`name` set) is shared by N collectors, each journaling its own shard; `seal`
# turns it into one snapshot once every shard has reported, and keeps the run as the record.

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(32), nullable=False),
    Column("root", Text, nullable=False),
    Column("started_at", String(40), nullable=False),  # ISO 8601 UTC
    Column("detectors", String(64)),  # the collection code's fingerprint, as on snapshots
    Column("label", Text),
    Column("options", Text, nullable=False),  # JSON object: what the run was asked, to resume it alike
    Column("name", String(128)),  # a sharded run's RUN_ID, given by its collectors (unique)
    Column("shards", Integer),  # how many shards a sharded run has
    Column("snapshot_id", Integer),  # the snapshot a sealed run became
    Column("sealed_at", String(40)),
)
Index("ix_runs_source_root", runs.c.source, runs.c.root)
Index("ux_runs_name", runs.c.name, unique=True)  # an index, not a constraint: SQLite adds it without a table rebuild

run_repos = Table(
    "run_repos",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("repo", String(512), nullable=False),
    Column("head", String(64)),
    Column("record", Text, nullable=False),  # JSON: RepoFacts.to_json()
    Column("shard", Integer),  # the shard that collected it (sharded runs)
    PrimaryKeyConstraint("run_id", "repo"),
)

#: One row per shard of a sharded run that started; `finished_at` is set when its part is whole.
run_shards = Table(
    "run_shards",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("shard", Integer, nullable=False),  # 1..shards
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("repo_count", Integer),
    PrimaryKeyConstraint("run_id", "shard"),
)
