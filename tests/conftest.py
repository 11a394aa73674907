"""Shared fixtures: real git repositories and real SQLite files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.db import Store, open_store


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'guildboard.db'}"


@pytest.fixture
def store(db_url: str) -> Store:
    return open_store(db_url)
