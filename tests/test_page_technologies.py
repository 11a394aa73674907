"""The Technologies page, run through Streamlit's AppTest on the demo organisation."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import STANDARDS_ENV
from tests.dashboard_app import DemoSite, chart_keys, click, open_page, table_after

PAGE = "technologies"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_radar_against_usage_on_the_demo(dashboard: DemoSite) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Technologies"
    shown = metrics(at)
    assert list(shown) == ["Adopt", "Trial", "Assess", "Hold", "Not on the radar"]
    hold = table_after(at, "On hold, still used")
    assert f"On hold, still used: {len(hold)}" in at.markdown[0].value
    assert int(shown["Hold"]) == len(hold)  # every hold technology in use is listed
    assert hold.set_index("technology").loc["jasmine", "replace_with"] == "vitest"
    assert len(table_after(at, "In use, never reviewed")) == int(shown["Not on the radar"])
    assert chart_keys(at) == [
        "technologies_usage_chart_0",
        "technologies_fragmentation_chart_0",
        "technologies_deviation_chart_0",
    ]
    assert "jasmine" in at.selectbox(key="technologies_technology").options
    assert at.selectbox(key="technologies_technology").value is None


def test_an_empty_database_shows_what_to_run(empty_dashboard: str) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert "Nothing to show yet" in at.info[0].value
    assert not at.metric and not at.get("plotly_chart")


def test_without_a_standards_file_usage_and_fragmentation_still_show(
    dashboard: DemoSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STANDARDS_ENV)
    at = open_page(PAGE, {"technologies_technology": "react"})
    assert not at.exception
    assert "The radar needs a standards file" in at.info[0].value
    assert not at.metric  # no rings to count
    assert [s.value for s in at.subheader][:2] == [
        "What the repositories use",
        "Fragmentation: how many ways each category is done",
    ]
    assert len(at.get("plotly_chart")) == 3
    react = table_after(at, "**react**")
    assert len(react) > 0 and "ring" not in at.markdown[0].value


def test_the_team_filter_narrows_every_table(dashboard: DemoSite) -> None:
    everyone = open_page(PAGE)
    web = open_page(PAGE, {"team": ["web-experience"], "technologies_category": "test-framework"})
    payments = open_page(PAGE, {"team": ["payments"], "technologies_category": "test-framework"})
    assert not web.exception and not payments.exception
    assert "jasmine" in table_after(web, "On hold, still used")["technology"].tolist()
    assert "jasmine" not in table_after(payments, "On hold, still used")["technology"].tolist()
    assert "jasmine" not in payments.selectbox(key="technologies_technology").options
    assert int(metrics(payments)["Hold"]) < int(metrics(everyone)["Hold"])
    assert set(table_after(payments, "**test-framework**")["team"]) == {"payments"}
    behind = table_after(web, "**test-framework**")
    assert len(behind) > 0
    assert set(behind["team"]) == {"web-experience"}


def test_a_deep_link_restores_the_technology_the_cell_the_rings_and_the_team(dashboard: DemoSite) -> None:
    at = open_page(
        PAGE,
        {
            "technologies_technology": "karma",
            "technologies_rings": ["Hold"],
            "technologies_category": "test-framework",
            "technologies_team": "web-experience",
            "technologies_deviation_team": "payments",
        },
    )
    assert not at.exception
    assert at.selectbox(key="technologies_technology").value == "karma"
    assert at.selectbox(key="technologies_category").value == "test-framework"
    assert at.selectbox(key="technologies_team").value == "web-experience"
    assert at.selectbox(key="technologies_deviation_team").value == "payments"
    karma = table_after(at, "**karma**")
    hold = table_after(at, "On hold, still used").set_index("technology")
    assert len(karma) == hold.loc["karma", "repos"]  # the rows behind the bar
    assert "ring: **Hold**" in next(m.value for m in at.markdown if m.value.startswith("**karma**"))
    cell = table_after(at, "**test-framework**")
    every_team = table_after(open_page(PAGE, {"technologies_category": "test-framework"}), "**test-framework**")
    web = every_team[every_team["team"] == "web-experience"]
    assert "team" not in cell.columns  # the heading names the team
    assert sorted(zip(cell["repo"], cell["technology"], strict=True)) == sorted(
        zip(web["repo"], web["technology"], strict=True)
    )
    assert "karma" in set(cell["technology"])
    assert set(table_after(at, "A team's choice differs")["team"]) == {"payments"}


def test_clicking_a_bar_or_a_cell_shows_the_repositories_behind_it(dashboard: DemoSite) -> None:
    at = open_page(PAGE)
    at = click(at, "technologies_usage_chart", ["jasmine", "web-experience", 1])
    assert not at.exception
    assert at.selectbox(key="technologies_technology").value == "jasmine"
    jasmine = table_after(at, "**jasmine**")
    assert len(jasmine) > 0 and set(jasmine["team"]) == {"web-experience"}

    at = click(at, "technologies_fragmentation_chart", ["test-framework", "web-experience"])
    assert (at.selectbox(key="technologies_category").value, at.selectbox(key="technologies_team").value) == (
        "test-framework",
        "web-experience",
    )
    assert "jasmine" in set(table_after(at, "**test-framework**")["technology"])
    assert at.selectbox(key="technologies_technology").value == "jasmine"  # the other pick stays

    at = click(at, "technologies_fragmentation_chart", ["test-framework", "(organisation)"])
    assert at.selectbox(key="technologies_team").value is None  # the organisation's column: every team

    at = click(at, "technologies_deviation_chart", "payments")  # a bar of one team: its name
    assert at.selectbox(key="technologies_deviation_team").value == "payments"
    assert set(table_after(at, "A team's choice differs")["team"]) == {"payments"}


def test_picking_in_the_list_clears_the_charts_click(dashboard: DemoSite) -> None:
    at = click(open_page(PAGE), "technologies_usage_chart", ["jasmine", "web-experience", 1])
    at.selectbox(key="technologies_technology").select("karma").run()
    assert not at.exception
    assert at.selectbox(key="technologies_technology").value == "karma"
    assert "technologies_usage_chart_1" in chart_keys(at)  # a new chart: no bar left highlighted
    assert len(table_after(at, "**karma**")) > 0
