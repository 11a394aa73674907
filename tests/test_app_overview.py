"""The dashboard shell and its Overview page, run through Streamlit's AppTest on real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from collectors.facts import RepoFacts, Warning_
from pages.common import empty_state_commands, snapshot_label, team_from_selection
from store import DB_ENV, Snapshot, SnapshotMeta, open_store
from tests.test_standards_overview import org

APP = Path(__file__).resolve().parent.parent / "app.py"
TIMEOUT = 30  # the first run imports plotly and pandas


@pytest.fixture
def two_snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """#1 (October): one repository; #2 (November, newest): the `org()` of the standards tests."""
    url = f"sqlite:///{tmp_path}/g.db"
    store = open_store(url)
    store.write_snapshot(
        SnapshotMeta("2026-10-16T09:00:00Z", "local", "/src/acme", "2026-10 guild meeting"),
        [RepoFacts(name="first", team="payments", languages={"Python": 100}, warnings=[Warning_("a", "b")])],
    )
    store.write_snapshot(SnapshotMeta("2026-11-20T14:03:00Z", "local", "/src/acme", "2026-11 guild meeting"), org())
    monkeypatch.setenv(DB_ENV, url)
    return url


def run(query: dict[str, str] | None = None, state: dict[str, object] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


NOVEMBER = {  # no standards file: the facts only; archived repositories left out (the sidebar's default)
    "Repositories": "6",
    "Red default branches": "0",
    "Teams": "4",
    "Warnings": "3",
}


def test_overview_shows_the_newest_snapshot_and_pins_it_in_the_address(two_snapshots: str) -> None:
    at = run()
    assert not at.exception
    assert metrics(at) == NOVEMBER
    assert at.title[0].value == "Overview"
    assert at.query_params == {"snapshot": "2"}  # a copied link reopens this snapshot
    picker = at.sidebar.selectbox[0]
    assert picker.options == [
        "#2 · 2026-11-20 · 2026-11 guild meeting",
        "#1 · 2026-10-16 · 2026-10 guild meeting",
    ]
    assert picker.value == 2
    assert not at.sidebar.info  # no "a newer snapshot exists"
    teams = at.dataframe[0].value
    assert teams["team"].tolist() == ["payments", "search", "platform", "unassigned"]
    assert teams.set_index("team").loc["payments", "warnings"] == 2
    assert len(at.dataframe[-1].value) == 6  # every active repository until a team is picked


def test_snapshot_query_parameter_selects_that_snapshot(two_snapshots: str) -> None:
    at = run({"snapshot": "1"})
    assert not at.exception
    assert metrics(at) == {"Repositories": "1", "Red default branches": "0", "Teams": "1", "Warnings": "1"}
    assert at.sidebar.selectbox[0].value == 1
    assert at.query_params == {"snapshot": "1"}
    assert "A newer snapshot exists: #2" in at.sidebar.info[0].value


@pytest.mark.parametrize("param", ["99", "latest-ish", ""])
def test_an_unknown_snapshot_parameter_falls_back_to_the_newest_and_says_so(two_snapshots: str, param: str) -> None:
    at = run({"snapshot": param})
    assert not at.exception
    assert metrics(at) == NOVEMBER
    assert f"No snapshot {param!r}" in at.sidebar.warning[0].value
    assert at.query_params == {"snapshot": "2"}


def test_picking_a_snapshot_in_the_sidebar_moves_the_page_and_the_address(two_snapshots: str) -> None:
    at = run()
    at.sidebar.selectbox[0].select(1).run()
    assert not at.exception
    assert metrics(at)["Repositories"] == "1"
    assert at.query_params == {"snapshot": "1"}


def test_the_picker_follows_the_address_back_and_survives_a_dropped_parameter(two_snapshots: str) -> None:
    at = run()
    at.query_params["snapshot"] = "1"  # the browser's back button, or a link opened in this tab
    at.run()
    assert metrics(at)["Repositories"] == "1"
    assert at.sidebar.selectbox[0].value == 1
    at.query_params.clear()  # a page switch drops the parameter; the picker keeps its snapshot
    at.run()
    assert metrics(at)["Repositories"] == "1"
    assert at.query_params == {"snapshot": "1"}


def test_picking_a_team_filters_the_repository_table(two_snapshots: str) -> None:
    at = run(state={"overview_team": "search"})
    assert not at.exception
    assert at.selectbox(key="overview_team").value == "search"
    assert at.dataframe[-1].value["repo"].tolist() == ["search-idx", "search-ui"]
    at.selectbox(key="overview_team").select("platform").run()
    assert at.dataframe[-1].value["repo"].tolist() == ["infra"]  # old-site is archived


def test_including_archived_repositories_lists_them(two_snapshots: str) -> None:
    at = run({"archived": "true"}, state={"overview_team": "platform"})
    assert not at.exception
    assert metrics(at)["Repositories"] == "6"  # the headline counts active repositories
    assert at.dataframe[-1].value["repo"].tolist() == ["infra", "old-site"]


def _not_guildboard(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("create table customers (id integer)")


@pytest.mark.parametrize(
    ("prepare", "said"),
    [
        pytest.param(lambda path: None, "no database at", id="missing-file"),
        pytest.param(lambda path: open_store(f"sqlite:///{path}"), "holds no snapshot yet", id="no-snapshot"),
        pytest.param(_not_guildboard, "not guildboard's", id="another-apps-database"),
        pytest.param(lambda path: path.write_bytes(b"this is not sqlite" * 100), "cannot open", id="not-sqlite"),
    ],
)
def test_without_a_usable_database_the_page_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prepare, said: str
) -> None:
    path = tmp_path / "data" / "g.db"
    path.parent.mkdir()
    prepare(path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv(DB_ENV, url)
    at = run({"snapshot": "3"})
    assert not at.exception
    assert not at.metric
    assert "Nothing to show yet" in at.info[0].value
    assert at.code[0].value == empty_state_commands(url)
    assert f"guildboard collect local ROOT --db '{url}'" in at.code[0].value
    assert "guildboard demo --serve" in at.code[0].value
    assert said in at.caption[0].value


def test_a_collection_finishing_shows_up_on_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/g.db"
    store = open_store(url)
    monkeypatch.setenv(DB_ENV, url)
    at = run()
    assert "Nothing to show yet" in at.info[0].value
    store.write_snapshot(SnapshotMeta("2026-11-20T14:03:00Z", "local", "/src/acme"), org())
    at.run()
    assert not at.exception
    assert metrics(at) == NOVEMBER


@pytest.mark.parametrize(
    ("event", "team"),
    [
        ({"selection": {"points": [{"y": "search", "x": 2, "customdata": "search"}]}}, "search"),
        (
            {"selection": {"points": [{"y": "search", "x": 0.5, "customdata": ["search", "4.0 kB"]}]}},
            "search",
        ),
        ({"selection": {"points": [{"y": "platform", "x": 1}]}}, "platform"),
        ({"selection": {"points": []}}, None),
        ({"selection": {}}, None),
        (None, None),
    ],
)
def test_team_from_a_chart_click(event: object, team: str | None) -> None:
    assert team_from_selection(event) == team


@pytest.mark.parametrize(
    ("label", "root", "expected"),
    [
        ("2026-11 guild meeting", "/src/acme", "#7 · 2026-11-20 · 2026-11 guild meeting"),
        (None, "/src/acme", "#7 · 2026-11-20 · local acme"),
    ],
)
def test_snapshot_label(label: str | None, root: str, expected: str) -> None:
    snap = Snapshot(7, "2026-11-20T14:03:00Z", "local", root, label, 3, 0)
    assert snapshot_label(snap) == expected


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("sqlite:///data/guildboard.db", f"--db 'sqlite:///{Path.cwd() / 'data' / 'guildboard.db'}'"),
        ("sqlite:////srv/g.db", "--db 'sqlite:////srv/g.db'"),
        ("postgresql://lead:s3cret@db.internal/guild", "--db 'postgresql://lead:***@db.internal/guild'"),
    ],
)
def test_the_command_to_run_names_this_database_from_any_folder_without_its_password(url: str, shown: str) -> None:
    assert shown in empty_state_commands(url)
