"""Snapshots in SQL (SQLAlchemy Core): a SQLite file by default, PostgreSQL for a shared deployment.

`store.config` names the database without importing SQLAlchemy; `store.db` opens it, writes and
reads snapshots (no pandas, so collection and the JSON export stay light); `store.frames` reads a
snapshot as tidy DataFrames for the dashboard and the reports. Names are loaded on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from store.config import DB_ENV, DEFAULT_DB, StoreError, database_url

_FROM_DB = ("Snapshot", "SnapshotMeta", "Store", "absolute_url", "open_store", "safe_url", "snapshot_label")

__all__ = ["DB_ENV", "DEFAULT_DB", "StoreError", "database_url", *_FROM_DB]


def __getattr__(name: str) -> Any:
    if name in _FROM_DB:
        return getattr(import_module("store.db"), name)
    raise AttributeError(f"module 'store' has no attribute {name!r}")
