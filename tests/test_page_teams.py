"""The Teams page through Streamlit's AppTest on the real demo database and example standards."""

from __future__ import annotations

from datetime import date

import pytest

from pages.common import STANDARDS_ENV
from standards import teams
from standards.analysis import Analysis, Filters, analyse, narrow
from standards.evaluate import utc_today
from standards.load import load_standards
from store import open_store
from store.frames import load_frames
from tests.dashboard_app import STANDARDS, DemoSite, open_page

pytestmark = pytest.mark.usefixtures("dashboard")


def demo_analysis(site: DemoSite, filters: Filters | None = None, today: date | None = None) -> Analysis:
    """The newest snapshot of the demo evaluated as the page does (to compare what it shows)."""
    store = open_store(site.db_url, create=False)
    frames = load_frames(store, store.snapshots()[0].id)
    whole = analyse(frames, load_standards(STANDARDS), today=today or utc_today())
    return narrow(whole, filters or Filters())


def frame_with(at, column: str):
    """The first table on the page with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_renders_the_heatmap_the_bars_and_every_team(demo_site: DemoSite) -> None:
    at = open_page("teams")
    assert not at.exception
    assert at.title[0].value == "Teams"
    assert len(at.get("plotly_chart")) == 2  # the heatmap and the bars
    expected = teams.team_summary(demo_analysis(demo_site))
    summary = frame_with(at, "share_passing")
    assert summary["team"].tolist() == expected["team"].tolist()
    assert len(summary) >= 3
    assert summary["repositories"].tolist() == expected["repositories"].tolist()
    assert at.selectbox(key="teams_team").value is None
    assert at.selectbox(key="teams_team").options == expected["team"].tolist()
    assert "Pick a team" in at.info[0].value
    assert not at.metric  # no team detail until a team is picked


def test_a_deep_link_opens_a_team_and_the_rows_behind_a_cell(demo_site: DemoSite) -> None:
    at = open_page("teams", {"teams_team": "payments", "teams_standard": "ci-configured"})
    assert not at.exception
    assert at.selectbox(key="teams_team").value == "payments"
    assert at.selectbox(key="teams_standard").value == "ci-configured"
    assert (at.query_params["teams_team"], at.query_params["teams_standard"]) == ("payments", "ci-configured")
    assert "CI on GitHub Actions or GitLab CI: team payments" in [s.value for s in at.subheader]
    rows = frame_with(at, "waiver_expired")
    assert set(rows["team"]) == {"payments"} and set(rows["standard"]) == {"ci-configured"}
    expected = teams.cell_results(demo_analysis(demo_site), "payments", "ci-configured")
    assert rows["repo"].tolist() == expected["repo"].tolist()
    assert rows["status"].iloc[0] == "fail"  # the worst first: Jenkins, its waiver expired on 2026-10-31
    head = teams.team_headline(demo_analysis(demo_site), "payments")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Repositories"] == str(head.repositories)
    assert metrics["Failing findings"] == str(head.failing)
    assert metrics["No level repositories"] == str(head.levels["none"])
    waivers = frame_with(at, "approver")
    assert waivers.iloc[0]["subject"] == "repositories payments/*"
    assert bool(waivers.iloc[0]["expired"])  # expired first


def test_the_team_detail_lists_repositories_findings_worst_first(demo_site: DemoSite) -> None:
    at = open_page("teams", {"teams_team": "data-platform"})
    assert not at.exception
    titles = [s.value for s in at.subheader]
    assert {"Team data-platform", "Repositories", "Findings", "Waivers"} <= set(titles)
    repos = frame_with(at, "main_language")
    expected = teams.team_repos(demo_analysis(demo_site), "data-platform")
    assert repos["repo"].tolist() == expected["repo"].tolist()
    assert repos["share_passing"].max() <= 100 and repos["share_passing"].max() > 1  # shown as a percentage
    findings = frame_with(at, "severity")
    ranks = findings["severity"].map({"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}).tolist()
    assert ranks == sorted(ranks)
    assert set(findings["status"]) <= {"fail", "error", "waived"}


def test_clicking_a_heatmap_cell_picks_its_team_and_standard() -> None:
    at = open_page("teams")
    at.session_state["teams_heatmap_0"] = {
        "selection": {"points": [{"x": 1, "y": 1, "customdata": ["payments", "readme", "hover"]}],
                      "point_indices": [1], "box": [], "lasso": []}
    }  # fmt: skip
    at.run()
    assert not at.exception
    assert (at.selectbox(key="teams_team").value, at.selectbox(key="teams_standard").value) == ("payments", "readme")
    rows = frame_with(at, "waiver_expired")
    assert set(rows["team"]) == {"payments"} and set(rows["standard"]) == {"readme"}


def test_clicking_a_teams_bar_picks_the_team_and_every_standard() -> None:
    at = open_page("teams", {"teams_standard": "readme"})
    at.session_state["teams_bars_0"] = {
        "selection": {"points": [{"x": 0.5, "y": "platform", "customdata": ["platform", 3, 9]}],
                      "point_indices": [0], "box": [], "lasso": []}
    }  # fmt: skip
    at.run()
    assert not at.exception
    assert at.selectbox(key="teams_team").value == "platform"
    assert at.selectbox(key="teams_standard").value is None
    assert "Team platform" in [s.value for s in at.subheader]


def test_picking_a_team_in_the_list_opens_its_detail() -> None:
    # (the browser writes a bound widget's value to the address; AppTest has no browser, so the
    # deep-link test above covers the address, read back)
    at = open_page("teams")
    at.selectbox(key="teams_team").select("payments").run()
    assert not at.exception
    assert "Team payments" in [s.value for s in at.subheader]
    assert set(frame_with(at, "severity")["team"]) == {"payments"}


def test_the_sidebar_team_filter_narrows_every_table(demo_site: DemoSite) -> None:
    at = open_page("teams", {"team": ["payments", "platform"]})
    assert not at.exception
    assert frame_with(at, "share_passing")["team"].tolist() == ["payments", "platform"]
    assert at.selectbox(key="teams_team").options == ["payments", "platform"]


def test_a_team_filtered_out_since_it_was_picked_is_dropped_not_an_error() -> None:
    at = open_page("teams", {"teams_team": "payments", "team": ["platform"]})
    assert not at.exception
    assert at.selectbox(key="teams_team").value is None
    assert not at.metric


def test_without_a_standards_file_the_page_says_how_to_configure_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STANDARDS_ENV)
    at = open_page("teams")
    assert not at.exception
    assert "No standards file" in at.info[0].value
    assert not at.get("plotly_chart")


def test_an_empty_database_shows_the_empty_state(empty_dashboard: str) -> None:
    at = open_page("teams")
    assert not at.exception
    assert "Nothing to show yet" in at.info[0].value
    assert not at.get("plotly_chart")
