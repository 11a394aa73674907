"""Where the database is, and the store's one error type: no SQLAlchemy here, so the command
line can name them without paying for the database layer's import until it is needed."""

from __future__ import annotations

import os

DEFAULT_DB = "sqlite:///data/guildboard.db"
DB_ENV = "GUILDBOARD_DB"


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, then `GUILDBOARD_DB`, then the default SQLite file."""
    return url or os.environ.get(DB_ENV) or DEFAULT_DB
