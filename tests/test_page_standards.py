"""The Standards page through Streamlit's AppTest on the real demo database and example standards."""

from __future__ import annotations

from pathlib import Path

import pytest

from pages.common import STANDARDS_ENV
from standards import guild
from standards.analysis import Filters
from standards.load import load_standards
from tests.dashboard_app import STANDARDS, DemoSite, open_page
from tests.test_page_teams import demo_analysis, frame_with

pytestmark = pytest.mark.usefixtures("dashboard")


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_renders_every_standard_with_its_compliance_and_the_waivers(demo_site: DemoSite) -> None:
    at = open_page("standards")
    assert not at.exception
    assert at.title[0].value == "Standards"
    ids = [s.id for s in load_standards(STANDARDS).standards]
    table = frame_with(at, "rationale")
    assert table["id"].tolist() == ids
    expected = guild.standards_table(demo_analysis(demo_site)).set_index("id")
    assert table.set_index("id")["failing_repos"].to_dict() == expected["failing_repos"].to_dict()
    assert metrics(at)["Standards"] == str(len(ids))
    assert metrics(at)["Waivers"] == "4"
    assert len(at.get("plotly_chart")) == 1
    waivers = frame_with(at, "approver")
    assert waivers["expires"].tolist() == sorted(waivers["expires"])  # expired first, then soonest to expire
    assert waivers.iloc[0]["subject"] == "repositories payments/*"  # expired on 2026-10-31
    assert bool(waivers.iloc[0]["expired"])


def test_a_deep_link_opens_one_standard_with_its_reasons_and_failing_repositories(demo_site: DemoSite) -> None:
    at = open_page("standards", {"standards_standard": "ci-configured"})
    assert not at.exception
    assert at.selectbox(key="standards_standard").value == "ci-configured"
    assert at.expander[0].label.startswith("**ci-configured**")
    text = " ".join(m.value for m in at.markdown)
    assert "Two CI systems we can support" in text  # rationale
    assert "Moving Jenkins and CircleCI pipelines" in text  # tradeoffs
    assert "**owner** platform" in text
    findings = frame_with(at, "waiver_expired")
    expected = guild.standard_findings(demo_analysis(demo_site), "ci-configured")
    assert findings["repo"].tolist() == expected["repo"].tolist()
    assert findings["status"].iloc[0] == "fail" and set(findings["status"]) <= {"fail", "error", "waived"}


def test_clicking_a_standards_bar_opens_it() -> None:
    at = open_page("standards")
    at.session_state["standards_bars_0"] = {
        "selection": {"points": [{"x": 0.9, "y": "readme", "customdata": ["readme", 20, 24]}],
                      "point_indices": [0], "box": [], "lasso": []}
    }  # fmt: skip
    at.run()
    assert not at.exception
    assert at.selectbox(key="standards_standard").value == "readme"
    assert at.expander[0].label == "**readme** · A README"


def test_the_sidebar_team_filter_narrows_compliance(demo_site: DemoSite) -> None:
    at = open_page("standards", {"team": ["payments"]})
    assert not at.exception
    only = guild.standards_table(demo_analysis(demo_site, Filters(teams=("payments",)))).set_index("id")
    everyone = guild.standards_table(demo_analysis(demo_site)).set_index("id")
    table = frame_with(at, "rationale").set_index("id")
    assert table["failing_repos"].to_dict() == only["failing_repos"].to_dict()
    assert table.loc["ci-configured", "failing_repos"] < everyone.loc["ci-configured", "failing_repos"]
    head = guild.guild_headline(demo_analysis(demo_site, Filters(teams=("payments",))))
    assert metrics(at)["Waived findings"] == str(head.waived)


def test_a_standards_file_with_problems_lists_them_one_per_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "standards.yaml"
    bad.write_text(
        "standards:\n"
        "  - {id: readme, title: A README, level: platinum, rule: {kind: ci-provider}, rationale: r, owner: o,"
        " review_by: 2027-01-01}\n"
        "  - {id: ci, title: CI, level: bronze, severty: high, rule: {kind: ci-provider}, rationale: r, owner: o,"
        " review_by: 2027-01-01}\n"
    )
    monkeypatch.setenv(STANDARDS_ENV, str(bad))
    at = open_page("standards")
    assert not at.exception
    assert "2 problems" in at.error[0].value
    problems = at.dataframe[0].value
    assert problems["path"].tolist() == ["standards[0].level", "standards[1].severty"]
    assert problems["location"].tolist() == [f"{bad}:2", f"{bad}:3"]
    assert "unknown key" in problems["message"].iloc[1]
    assert not at.metric


def test_without_a_standards_file_the_page_says_how_to_configure_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STANDARDS_ENV)
    at = open_page("standards")
    assert not at.exception
    assert "No standards file" in at.info[0].value
    assert not at.metric


def test_an_empty_database_shows_the_empty_state(empty_dashboard: str) -> None:
    at = open_page("standards")
    assert not at.exception
    assert "Nothing to show yet" in at.info[0].value
