"""Shared fixtures: real git repositories and real SQLite files in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store.db import Store, open_store


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'guildboard.db'}"


@pytest.fixture
def store(db_url: str) -> Store:
    return open_store(db_url)


# Property tests explore new inputs on a developer's machine; in CI they replay a fixed set, so a
# red build always names an input anyone can reproduce.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# The dashboard's fixtures (a demo database built once per session), for every page's tests.
from tests.dashboard_app import dashboard, demo_site, empty_dashboard  # noqa: E402, F401
from tests.report_data import demo_report, facts_only_report, hostile_report  # noqa: E402, F401
