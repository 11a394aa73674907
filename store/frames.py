"""A snapshot as tidy pandas DataFrames: one row per (repository, fact), ready for `standards/`.

Columns take the dtype of their table column, whether or not there are rows: booleans `bool`,
integers `int64` (`Int64` when nullable, so a missing count stays missing rather than becoming a
float), floats `float64` (NaN for NULL), text `object` (NULL reads as None or NaN: test with `pd.isna`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

import pandas as pd
from sqlalchemy import Column, Table, select

from collectors.facts import BuildHealth, HygieneItem, RepoFacts
from store import schema
from store.db import Store

FRAME_TABLES: dict[str, Table] = {
    "repos": schema.repos,
    "languages": schema.languages,
    "hygiene": schema.hygiene,
    "build_health": schema.build_health,
    **{ft.table.name: ft.table for ft in schema.FACT_TABLES},
}


@dataclass(frozen=True)
class SnapshotFrames:
    """Every fact table of one snapshot; `repos` has one row per repository.

    `repos.topics` (a list) and `repos.team_candidates` (source -> team) stay JSON text, as stored:
    a frame cell holding a container is awkward in pandas, and `json.loads` is there when needed.
    `build_health` has a row only for repositories whose build is known.
    """

    snapshot_id: int
    repos: pd.DataFrame
    languages: pd.DataFrame  # counted=True: the language breakdown; False: data and prose
    hygiene: pd.DataFrame
    dependencies: pd.DataFrame
    technologies: pd.DataFrame
    runtimes: pd.DataFrame
    docker_images: pd.DataFrame
    ci_files: pd.DataFrame
    actions: pd.DataFrame
    warnings: pd.DataFrame
    build_health: pd.DataFrame
    workflows: pd.DataFrame  # runs int64; success_rate, median_duration_s float64
    checks: pd.DataFrame


assert {f.name for f in fields(SnapshotFrames)} - {"snapshot_id"} == set(FRAME_TABLES)


def load_frames(store: Store, snapshot_id: int) -> SnapshotFrames:
    """Read one snapshot's tables; columns are there (typed, empty) even when a table has no rows."""
    frames: dict[str, pd.DataFrame] = {}
    with store.engine.connect() as conn:
        for name, table in FRAME_TABLES.items():
            cols = [c for c in table.c if c.name != "snapshot_id"]
            query = select(*cols).where(table.c.snapshot_id == snapshot_id)
            frame = pd.read_sql(query, conn)
            for col in cols:
                dtype = _dtype(col)
                if dtype is not None:
                    frame[col.name] = frame[col.name].astype(dtype)
            frames[name] = frame
    return SnapshotFrames(snapshot_id=snapshot_id, **frames)


def _dtype(col: Column) -> str | None:
    """The pandas dtype for a table column; None leaves text as read."""
    kind = col.type.python_type
    if kind is bool:
        return "boolean" if col.nullable else "bool"
    if kind is int:
        return "Int64" if col.nullable else "int64"
    if kind is float:
        return "float64"
    return None


def snapshots_frame(store: Store) -> pd.DataFrame:
    """Every snapshot, newest first, with `taken_at` as UTC timestamps."""
    snaps = store.snapshots()
    frame = pd.DataFrame(
        [s.__dict__ for s in snaps],
        columns=["id", "taken_at", "source", "root", "label", "repo_count", "warning_count", "detectors"],
    )
    frame["taken_at"] = pd.to_datetime(frame["taken_at"], utc=True, format="ISO8601")
    return frame


def frames_from_records(records: Sequence[RepoFacts], snapshot_id: int = 0) -> SnapshotFrames:
    """The frames `load_frames` would read after `Store.write_snapshot(records)`, without a database.

    `guildboard check` evaluates one repository on disk this way, and tests build snapshots by
    hand with it. The rows are flattened as `store.db` writes them and typed by the same table
    columns, so both roads give the same columns, dtypes and values (a test writes records and
    compares the two). Rows are tuples in the tables' column order, read with one `attrgetter`
    per kind of fact: `dataclasses.asdict` would deep-copy every value and cost ten times as much.
    """
    rows: dict[str, list[tuple]] = {name: [] for name in FRAME_TABLES}
    hygiene, build = _ROW_OF[HygieneItem], _ROW_OF[BuildHealth]
    lists = [(ft.table.name, ft.attribute, _ROW_OF[ft.item]) for ft in schema.FACT_TABLES]
    for r in records:
        name = r.name
        rows["repos"].append(
            (
                name,
                r.team,
                r.team_source,
                r.default_branch,
                r.head,
                r.archived,
                r.pushed_at,
                r.url,
                json.dumps(list(r.topics)),
                r.fork,
                r.visibility,
                json.dumps(dict(r.team_candidates)),
            )
        )
        rows["languages"] += [(name, lang, size, True) for lang, size in r.languages.items()]
        rows["languages"] += [(name, lang, size, False) for lang, size in r.other_languages.items()]
        rows["hygiene"] += [(name, item, *hygiene(h)) for item, h in r.hygiene.items()]
        if r.build is not None:
            rows["build_health"].append((name, *build(r.build)))
        for table, attribute, row_of in lists:
            rows[table] += [(name, *row_of(x)) for x in getattr(r, attribute)]
    frames: dict[str, pd.DataFrame] = {}
    for name, table in FRAME_TABLES.items():
        cols = [c for c in table.c if c.name != "snapshot_id"]
        frame = pd.DataFrame.from_records(rows[name], columns=[c.name for c in cols])
        for col in cols:
            dtype = _dtype(col)
            if dtype is not None:
                frame[col.name] = frame[col.name].astype(dtype)
        frames[name] = frame
    return SnapshotFrames(snapshot_id=snapshot_id, **frames)


def _row_of(kind: type) -> Callable[[Any], tuple]:
    names = [f.name for f in fields(kind)]
    get = attrgetter(*names)
    return get if len(names) > 1 else lambda x: (get(x),)


#: Fact item type -> its values as a tuple, in field order.
_ROW_OF: dict[type, Callable[[Any], tuple]] = {
    kind: _row_of(kind) for kind in (HygieneItem, BuildHealth, *(ft.item for ft in schema.FACT_TABLES))
}

# The tuples above follow the tables' column order; a table changed without them fails here, at import.
_REPO_COLUMNS = (
    *("repo", "team", "team_source", "default_branch", "head", "archived"),
    *("pushed_at", "url", "topics", "fork", "visibility", "team_candidates"),
)
assert tuple(c.name for c in schema.repos.c)[1:] == _REPO_COLUMNS
assert [c.name for c in schema.languages.c][1:] == ["repo", "language", "bytes", "counted"]
assert [c.name for c in schema.hygiene.c][1:] == ["repo", "item", *(f.name for f in fields(HygieneItem))]
assert [c.name for c in schema.build_health.c][1:] == ["repo", *(f.name for f in fields(BuildHealth))]
assert all(
    [c.name for c in ft.table.c][1:] == ["repo", *(f.name for f in fields(ft.item))] for ft in schema.FACT_TABLES
)
