"""The Trends page through AppTest: metrics over snapshots, on the demo and on the two hand-built
snapshots of the agenda tests (October, November)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from pages.common import STANDARDS_ENV
from tests.dashboard_app import DemoSite, open_page
from tests.test_page_meeting import write_site
from tests.test_standards_agenda import november, october


@pytest.fixture
def two_months(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return write_site(tmp_path, monkeypatch, october(), november())


def chart(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def values(y: list | dict) -> list[float]:
    """A trace's values: plotly writes a numeric array as base64 bytes with its dtype."""
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return list(y)


def traces(at: AppTest) -> dict[str, list[float]]:
    return {t["name"]: values(t["y"]) for t in chart(at)["data"]}


def summary(at: AppTest):
    return at.dataframe[0].value.set_index("team")


def test_the_demo_renders_compliance_for_every_team(dashboard: DemoSite) -> None:
    at = open_page("trends")
    assert not at.exception
    assert at.title[0].value == "Trends"
    assert at.segmented_control(key="trends_metric").value == "Compliance"
    teams = at.sidebar.multiselect(key="team").options
    assert list(traces(at)) == ["Organisation", *teams]  # the demo's teams, unassigned too
    assert len(next(iter(traces(at).values()))) == 3  # three snapshots
    assert summary(at).index[0] == "Organisation"


def test_compliance_per_team_over_two_snapshots(two_months: str) -> None:
    at = open_page("trends")
    assert not at.exception
    # october: web 1 of 2 pass, shop 4 of 5, everyone 5 of 7; november: 1 of 2, 2 of 3, 3 of 5
    lines = traces(at)
    assert lines["Organisation"] == pytest.approx([5 / 7, 3 / 5])
    assert lines["shop"] == pytest.approx([4 / 5, 2 / 3])
    assert lines["web"] == pytest.approx([0.5, 0.5])
    table = summary(at)
    assert table.loc["Organisation", "first"] == pytest.approx(100 * 5 / 7)
    assert table.loc["shop", "change"] == pytest.approx(100 * (2 / 3 - 4 / 5))
    assert "2 snapshots from 2026-10-16 to 2026-11-16" in at.caption[0].value


def test_a_team_filter_keeps_the_whole_organisations_line(two_months: str) -> None:
    at = open_page("trends", {"team": ["web"]})
    assert not at.exception
    lines = traces(at)
    assert list(lines) == ["Organisation", "web"]
    assert lines["Organisation"] == pytest.approx([5 / 7, 3 / 5])  # every team, not only web
    assert summary(at).index.tolist() == ["Organisation", "web"]


def test_a_deep_link_restores_the_metric_and_the_team(two_months: str) -> None:
    at = open_page("trends", {"trends_metric": "Repositories", "trends_team": "shop"})
    assert not at.exception
    assert at.segmented_control(key="trends_metric").value == "Repositories"
    assert traces(at)["shop"] == [3, 2]  # old-app archived in november, gone removed, new-svc added
    history = at.dataframe[1].value
    assert history["label"].tolist() == [
        "#1 · 2026-10-16 · 2026-10 guild meeting",
        "#2 · 2026-11-16 · 2026-11 guild meeting",
    ]
    assert history["repos"].tolist() == [3, 2]
    assert history["share_passing"].tolist() == pytest.approx([80.0, 100 * 2 / 3])


def test_picking_a_team_lists_its_numbers_for_every_snapshot(two_months: str) -> None:
    at = open_page("trends")
    assert len(at.dataframe) == 1  # no team picked yet
    at.selectbox(key="trends_team").select("web").run()
    assert not at.exception
    history = at.dataframe[1].value
    assert history["repos"].tolist() == [2, 2]


def test_changing_the_metric_redraws_the_chart(two_months: str) -> None:
    at = open_page("trends")
    at.segmented_control(key="trends_metric").set_value("Repositories").run()
    assert chart(at)["layout"]["title"]["text"] == "Active repositories over time"
    assert traces(at)["Organisation"] == [5, 4]


def test_without_standards_facts_still_trend_and_standards_metrics_say_what_to_do(
    two_months: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STANDARDS_ENV)
    at = open_page("trends")
    assert not at.exception
    assert at.segmented_control(key="trends_metric").value == "Fragmentation"
    # front-end frameworks: React twice and Angular, then React twice, Vue and jQuery
    assert traces(at)["web"] == pytest.approx([1.89, 2.83], abs=0.01)
    history = open_page("trends", {"trends_team": "web"}).dataframe[1].value
    assert list(history.columns) == ["snapshot_id", "taken_at", "label", "repos", "effective_choices"]
    at = open_page("trends", {"trends_metric": "Compliance"})
    assert not at.exception
    assert "No standards file" in at.info[0].value
    assert not at.get("plotly_chart")


def test_an_empty_database_shows_the_empty_state(empty_dashboard: str) -> None:
    at = open_page("trends")
    assert not at.exception
    assert "Nothing to show yet" in at.info[0].value
    assert not at.get("plotly_chart")
