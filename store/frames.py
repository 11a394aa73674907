"""A snapshot as tidy pandas DataFrames: one row per (repository, fact), ready for `standards/`.

Columns take the dtype of their table column, whether or not there are rows: booleans `bool`,
integers `int64` (`Int64` when nullable, so a missing count stays missing rather than becoming a
float), floats `float64` (NaN for NULL), text `object` (NULL reads as None or NaN: test with `pd.isna`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import pandas as pd
from sqlalchemy import Column, Table, select

from collectors.facts import RepoFacts
from store import schema
from store.db import Store, fact_rows

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
    hand with it. The rows are `store.db.fact_rows`, the very rows `Store.write_snapshot` inserts,
    typed by the same table columns, so both roads give the same columns, dtypes and values (a
    test writes records and compares the two).
    """
    rows = fact_rows(records)
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
