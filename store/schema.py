"""The store's tables: tidy, one row per (snapshot, repository, fact).

Fact tables are described once in `FACT_TABLES` (table name, the `RepoFacts` attribute, its item
type); writing and reading both walk that description, so adding a kind of fact is one entry.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from collectors.facts import ActionUse, CiFile, Dependency, DockerImage, Runtime, Technology, Warning_

#: Bump on any change to the tables below; a database of another version is refused.
SCHEMA_VERSION = 1

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


@dataclass(frozen=True)
class FactTable:
    table: Table
    attribute: str  # the list on RepoFacts
    item: type  # the dataclass of one row


def _list_table(table_name: str, attribute: str, item: type, lengths: dict[str, int]) -> FactTable:
    """A table whose columns are the item dataclass's fields (short keys as bounded strings)."""
    cols = [
        Column(f.name, String(lengths[f.name]) if f.name in lengths else Text, nullable="None" in str(f.type))
        for f in fields(item)
    ]
    return FactTable(_fact_table(table_name, *cols), attribute, item)


FACT_TABLES: tuple[FactTable, ...] = (
    _list_table("dependencies", "dependencies", Dependency, {"ecosystem": 32, "name": 512, "scope": 32}),
    _list_table("technologies", "technologies", Technology, {"name": 128, "category": 64}),
    _list_table("runtimes", "runtimes", Runtime, {"name": 64}),
    _list_table("docker_images", "docker_images", DockerImage, {}),
    _list_table("ci_files", "ci_files", CiFile, {"provider": 64}),
    _list_table("actions", "actions", ActionUse, {}),
    _list_table("warnings", "warnings", Warning_, {}),
)
