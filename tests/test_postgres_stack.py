"""The whole way from the store on PostgreSQL: the same snapshots give the same frames as on SQLite,
every dashboard page renders from it, and a report is built from it."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pandas as pd
import pytest

from pages.common import STANDARDS_ENV
from standards.report import report_from_store
from store import DB_ENV, open_store
from store.db import SnapshotMeta
from store.frames import SnapshotFrames, load_frames
from tests.dashboard_app import PAGES, DemoSite, open_page

TODAY = date(2026, 11, 28)


@pytest.fixture(scope="module")
def postgres_demo(demo_site: DemoSite, postgres_server: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo's snapshots, oldest first, copied into a PostgreSQL database of their own."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"gb_stack_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    source, target = open_store(demo_site.db_url, create=False), open_store(url)
    for snap in reversed(source.snapshots()):
        meta = SnapshotMeta(snap.taken_at, snap.source, snap.root, snap.label, snap.detectors)
        target.write_snapshot(meta, source.repo_facts(snap.id))
    target.engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Row order is not part of a frame's meaning (PostgreSQL may return rows in another order)."""
    key = frame.map(repr)  # some cells hold lists: sort by their text
    return frame.iloc[key.sort_values(list(key.columns)).index].reset_index(drop=True)


def test_the_same_snapshots_give_the_same_frames_on_both_backends(demo_site: DemoSite, postgres_demo: str) -> None:
    sqlite, postgres = open_store(demo_site.db_url, create=False), open_store(postgres_demo, create=False)
    assert [(s.taken_at, s.label, s.repo_count, s.warning_count) for s in sqlite.snapshots()] == [
        (s.taken_at, s.label, s.repo_count, s.warning_count) for s in postgres.snapshots()
    ]
    for a, b in zip(sqlite.snapshots(), postgres.snapshots(), strict=True):
        left, right = load_frames(sqlite, a.id), load_frames(postgres, b.id)
        for f in fields(SnapshotFrames):
            if f.name != "snapshot_id":
                pd.testing.assert_frame_equal(tidy(getattr(left, f.name)), tidy(getattr(right, f.name)))
        assert sqlite.repo_facts(a.id) == postgres.repo_facts(b.id)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_from_postgresql(
    postgres_demo: str, demo_site: DemoSite, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv(DB_ENV, postgres_demo)
    monkeypatch.setenv(STANDARDS_ENV, str(demo_site.standards))
    at = open_page(page, {"repo": "payments/payment-api"} if page == "repository" else None)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.sidebar.selectbox  # the snapshot picker: the snapshots were read from PostgreSQL


def test_a_report_from_postgresql_equals_the_one_from_sqlite(demo_site: DemoSite, postgres_demo: str) -> None:
    reports = [
        report_from_store(open_store(url, create=False), standards_path=demo_site.standards, today=TODAY)
        for url in (demo_site.db_url, postgres_demo)
    ]
    left, right = reports
    pd.testing.assert_frame_equal(tidy(left.team_compliance), tidy(right.team_compliance))
    assert [(s.key, s.summary, s.numbers) for s in left.agenda.sections] == [
        (s.key, s.summary, s.numbers) for s in right.agenda.sections
    ]
    assert left.tables.keys() == right.tables.keys()
    for name in left.tables:
        pd.testing.assert_frame_equal(tidy(left.tables[name]), tidy(right.tables[name]), obj=name)
