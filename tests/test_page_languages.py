"""The Languages page through Streamlit's AppTest: on a hand-built snapshot (exact values), on the
demo organisation, and on an empty database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from collectors.facts import RepoFacts
from pages.common import STANDARDS_ENV
from store import DB_ENV, SnapshotMeta, open_store
from tests.dashboard_app import dashboard, demo_site, empty_dashboard, open_page  # noqa: F401 (fixtures)
from tests.test_standards_languages_view import org


@pytest.fixture
def hand_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """`org()` of the languages-view tests as one snapshot, and no standards file."""
    url = f"sqlite:///{tmp_path / 'g.db'}"
    open_store(url).write_snapshot(SnapshotMeta("2026-11-20T14:03:00Z", "local", "/src/acme", "Nov"), org())
    monkeypatch.setenv(DB_ENV, url)
    monkeypatch.delenv(STANDARDS_ENV, raising=False)
    return url


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def behind(at: AppTest):
    """The table of the repositories behind a bar."""
    return at.dataframe[0].value


def pivot(at: AppTest, n: int):
    """The language x team tables: 0 repositories, 1 bytes."""
    return at.dataframe[1 + n].value.set_index("language")


def test_the_page_shows_each_language_by_team_in_bytes_and_repositories(hand_built: str) -> None:
    at = open_page("languages")
    assert not at.exception
    assert at.title[0].value == "Languages"
    assert metrics(at) == {
        "Languages": "5",
        "Code": "18.0 kB",
        "Repositories": "6",
        "Top main language": "Python",
        "Without code": "1",
    }
    assert chart_titles(at) == ["Bytes per team by language", "Repositories per language"]
    repos = pivot(at, 0)
    assert list(repos.columns) == ["payments", "search", "platform", "All teams"]
    assert repos.loc["Go"].tolist() == [0, 2, 1, 3]
    assert pivot(at, 1).loc["Python"].tolist() == [8000, 0, 0, 8000]
    rows = behind(at)
    assert len(rows) == 8  # every (repository, language) until something is picked
    assert rows["page"].iloc[0] == "repository?repo=pay-api&snapshot=1"  # most bytes first, linked
    assert at.selectbox(key="languages_language").options == ["Go", "HCL", "Python", "Shell", "TypeScript"]


def test_a_deep_link_restores_the_language_the_team_and_the_measure(hand_built: str) -> None:
    at = open_page("languages", {"languages_language": "Go", "languages_team": "search", "languages_measure": "Share"})
    assert not at.exception
    assert at.selectbox(key="languages_language").value == "Go"
    assert at.selectbox(key="languages_team").value == "search"
    assert behind(at)[["repo", "bytes", "main"]].values.tolist() == [["search-idx", 4000, True],
                                                                     ["search-ui", 1000, False]]  # fmt: skip
    assert behind(at)["share"].tolist() == pytest.approx([1.0, 0.25])
    assert chart_titles(at)[0] == "Language mix per team"  # the 100 % chart


def test_picking_a_language_lists_its_repositories(hand_built: str) -> None:
    at = open_page("languages")
    at.selectbox(key="languages_language").select("Python").run()
    assert not at.exception
    assert behind(at)["repo"].tolist() == ["pay-api", "pay-worker"]


def test_a_click_on_a_language_bar_lists_the_repositories_using_it(hand_built: str) -> None:
    click = {"selection": {"points": [{"curve_number": 1, "y": "Go", "customdata": ["Go", "used_in", 1, 3]}]}}
    at = open_page("languages", state={"languages_per_language_chart_0": click})
    assert not at.exception
    assert at.selectbox(key="languages_language").value == "Go"
    assert at.selectbox(key="languages_team").value is None
    assert behind(at)["repo"].tolist() == ["search-idx", "search-ui", "infra"]


def test_a_click_on_a_team_segment_picks_the_team_and_the_language(hand_built: str) -> None:
    # the bytes chart's traces are the organisation's languages, biggest first: Python, Go, ...
    click = {"selection": {"points": [{"curve_number": 1, "y": "platform", "customdata": ["platform", "200 B"]}]}}
    at = open_page("languages", state={"languages_mix_chart_0": click})
    assert not at.exception
    assert (at.selectbox(key="languages_team").value, at.selectbox(key="languages_language").value) == (
        "platform",
        "Go",
    )
    assert behind(at)[["repo", "bytes"]].values.tolist() == [["infra", 200]]


def test_the_team_filter_of_the_sidebar_narrows_everything(hand_built: str) -> None:
    at = open_page("languages", {"team": ["search"]})
    assert not at.exception
    assert metrics(at)["Repositories"] == "2"
    assert metrics(at)["Languages"] == "2"
    assert at.selectbox(key="languages_language").options == ["Go", "TypeScript"]
    assert list(pivot(at, 0).columns) == ["search", "All teams"]
    assert set(behind(at)["team"]) == {"search"}


def test_archived_repositories_count_when_the_sidebar_includes_them(hand_built: str) -> None:
    at = open_page("languages", {"archived": "true"})
    assert not at.exception
    assert metrics(at)["Repositories"] == "7"
    assert "Java" in at.selectbox(key="languages_language").options


@pytest.mark.usefixtures("dashboard")
def test_the_demo_organisation_renders_with_and_without_standards(monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page("languages")
    assert not at.exception
    assert int(metrics(at)["Languages"]) > 3
    assert len(behind(at)) > 10
    monkeypatch.delenv(STANDARDS_ENV)
    at = open_page("languages")
    assert not at.exception
    assert int(metrics(at)["Languages"]) > 3  # facts only: no standards file needed


@pytest.mark.usefixtures("empty_dashboard")
def test_an_empty_database_shows_the_empty_state() -> None:
    at = open_page("languages")
    assert not at.exception
    assert "Nothing to show yet" in at.info[0].value
    assert not at.metric


def test_a_snapshot_without_code_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    open_store(url).write_snapshot(SnapshotMeta("2026-11-20T14:03:00Z", "local", "/src"),
                                   [RepoFacts(name="notes", team="t", other_languages={"Markdown": 10})])  # fmt: skip
    monkeypatch.setenv(DB_ENV, url)
    at = open_page("languages")
    assert not at.exception
    assert "No language breakdown here" in at.info[0].value
