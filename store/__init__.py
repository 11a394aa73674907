"""Snapshots in SQL (SQLAlchemy Core): a SQLite file by default, PostgreSQL for a shared deployment.

`store.db` has no pandas, so collection and the JSON export stay light; `store.frames` reads a
snapshot as tidy DataFrames for the dashboard and the reports.
"""

from store.db import (
    DB_ENV,
    DEFAULT_DB,
    Snapshot,
    SnapshotMeta,
    Store,
    StoreError,
    absolute_url,
    database_url,
    open_store,
    safe_url,
)

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "Snapshot",
    "SnapshotMeta",
    "Store",
    "StoreError",
    "absolute_url",
    "database_url",
    "open_store",
    "safe_url",
]
