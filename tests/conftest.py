"""Shared fixtures: real git repositories, real SQLite files in tmp_path, real PostgreSQL databases.

PostgreSQL tests need a server: `GUILDBOARD_TEST_POSTGRES` names one by its SQLAlchemy URL (a
superuser's, on a throwaway cluster: `.ci/run` starts one with `tools/pgcluster.py`). Each test gets
a database of its own, dropped afterwards. Without the variable those tests are skipped, and say so;
`.ci/run` always sets it, so CI never skips them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import Store, open_store

POSTGRES_ENV = "GUILDBOARD_TEST_POSTGRES"

#: The store's backends: a test taking `any_db_url` runs once on each.
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'guildboard.db'}"


@pytest.fixture
def store(db_url: str) -> Store:
    return open_store(db_url)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The URL of the PostgreSQL server the tests may create databases on."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} (see tools/pgcluster.py)")
    return url


def _admin(server: str):
    from sqlalchemy import create_engine

    return create_engine(server, isolation_level="AUTOCOMMIT", pool_size=1)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped (connections and all) after the test."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"gb_{uuid.uuid4().hex[:16]}"
    admin = _admin(postgres_server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'guildboard.db'}"
    return request.getfixturevalue("postgres_url")


# Property tests explore new inputs on a developer's machine; in CI they replay a fixed set, so a
# red build always names an input anyone can reproduce.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# The dashboard's fixtures (a demo database built once per session), for every page's tests.
from tests.dashboard_app import dashboard, demo_site, empty_dashboard  # noqa: E402, F401
from tests.report_data import demo_report, facts_only_report, hostile_report  # noqa: E402, F401
