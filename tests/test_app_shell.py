"""The dashboard's frame, on every page: renders on the demo and on an empty database, the
compare-to snapshot and the filters kept in the address, and the standards file's three states."""

from __future__ import annotations

from pathlib import Path

import pytest

from pages.common import _COMPARE_KEY, STANDARDS_ENV
from store import open_store
from tests.dashboard_app import PAGES, DemoSite, open_page


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def delta(at, label: str) -> str | None:
    return next(m.proto.delta for m in at.metric if m.label == label) or None


def active_repos(site: DemoSite, snapshot_id: int | None = None, **where: str) -> int:
    store = open_store(site.db_url, create=False)
    from store.frames import load_frames

    frames = load_frames(store, snapshot_id or store.snapshots()[0].id)
    repos = frames.repos[~frames.repos["archived"]]
    for column, value in where.items():
        repos = repos[repos[column] == value]
    return len(repos)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo(dashboard: DemoSite, page: str) -> None:
    at = open_page(page, {"repo": "payments/payment-api"} if page == "repository" else None)
    assert not at.exception, at.exception
    assert at.title, f"{page} has no title"
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_what_to_do_on_an_empty_database(empty_dashboard: str, page: str) -> None:
    at = open_page(page)
    assert not at.exception, at.exception
    assert "Nothing to show yet" in at.info[0].value
    assert "guildboard collect local ROOT" in at.code[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_a_standards_file(
    dashboard: DemoSite, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.delenv(STANDARDS_ENV)
    at = open_page(page)
    assert not at.exception, at.exception
    assert "No standards file" in at.sidebar.caption[-1].value


def test_the_compared_snapshot_is_the_one_before_unless_the_address_says(dashboard: DemoSite) -> None:
    snaps = open_store(dashboard.db_url, create=False).snapshots()
    newest, before, first = snaps[0].id, snaps[1].id, snaps[-1].id
    at = open_page("overview")
    assert at.sidebar.selectbox(key=_COMPARE_KEY).value == before
    assert "compare" not in at.query_params
    assert delta(at, "Repositories") is not None  # a delta against the snapshot before

    at = open_page("overview", {"compare": str(first)})
    assert at.sidebar.selectbox(key=_COMPARE_KEY).value == first
    assert at.query_params["compare"] == str(first)

    at = open_page("overview", {"compare": "none"})
    assert at.sidebar.selectbox(key=_COMPARE_KEY).value == 0  # "nothing (no deltas)"
    assert delta(at, "Repositories") is None
    assert "no comparison" in at.caption[0].value

    at = open_page("overview", {"compare": "999"})
    assert "Cannot compare with '999'" in at.sidebar.warning[0].value
    assert at.sidebar.selectbox(key=_COMPARE_KEY).value == before
    assert newest not in at.sidebar.selectbox(key=_COMPARE_KEY).options


def test_picking_a_comparison_writes_it_to_the_address_and_keeps_it_across_pages(dashboard: DemoSite) -> None:
    snaps = open_store(dashboard.db_url, create=False).snapshots()
    at = open_page("overview")
    at.sidebar.selectbox(key=_COMPARE_KEY).select(snaps[-1].id).run()
    assert at.query_params["compare"] == str(snaps[-1].id)
    at.query_params.pop("compare")  # a page switch drops the parameter
    at.switch_page("pages/teams.py").run()
    assert at.sidebar.selectbox(key=_COMPARE_KEY).value == snaps[-1].id
    assert at.query_params["compare"] == str(snaps[-1].id)


def test_the_team_filter_in_the_address_narrows_every_figure(dashboard: DemoSite) -> None:
    at = open_page("overview")
    assert metric(at, "Repositories") == str(active_repos(dashboard))
    team = at.sidebar.multiselect(key="team").options[0]
    at = open_page("overview", {"team": [team]})
    assert at.sidebar.multiselect(key="team").value == [team]
    assert metric(at, "Repositories") == str(active_repos(dashboard, team=team))
    assert metric(at, "Teams") == "1"
    assert set(at.dataframe[-1].value["team"]) == {team}


def test_the_language_filter_keeps_repositories_by_main_language(dashboard: DemoSite) -> None:
    at = open_page("overview", {"lang": ["Go"]})
    assert at.sidebar.multiselect(key="lang").value == ["Go"]
    shown = at.dataframe[-1].value
    assert len(shown) and set(shown["main_language"]) == {"Go"}


def test_a_broken_standards_file_is_listed_not_a_crash(
    dashboard: DemoSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "standards.yaml"
    bad.write_text("standards:\n  - id: x\n    title: X\n    rule: {kind: no-such-kind}\n")
    monkeypatch.setenv(STANDARDS_ENV, str(bad))
    at = open_page("overview")
    assert not at.exception
    assert "problems" in at.sidebar.error[0].value
    at = open_page("teams")
    assert not at.exception
    assert "cannot be used" in at.error[0].value
    assert "standards[0]" in at.code[0].value  # every problem listed, with its place
