"""The Versions page, run through Streamlit's AppTest on the demo organisation."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import STANDARDS_ENV
from tests.dashboard_app import DemoSite, chart_keys, click, open_page, table_after

PAGE = "versions"


def per_item(at: AppTest):
    """The table with one row per technology or runtime."""
    return table_after_subheader(at, "Per technology and runtime")


def table_after_subheader(at: AppTest, text: str):
    seen = False
    for element in at.main:
        if element.type == "subheader" and element.value == text:
            seen = True
        elif seen and element.type == "dataframe":
            return element.value
    raise AssertionError(f"no table after {text!r}")


def repositories(at: AppTest):
    """The drill-down table: the repositories on the version picked (every version when none)."""
    return table_after(at, "A repository naming two versions")


def test_the_drift_matrix_and_the_versions_of_the_worst_on_target_on_the_demo(dashboard: DemoSite) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Versions"
    table = per_item(at)
    with_target = table[table["target"] != "no target"]
    assert len(with_target) > 0
    assert table.iloc[: len(with_target)]["target"].tolist() == with_target["target"].tolist()  # targets first
    assert with_target["share_on_target"].is_monotonic_increasing  # least on target first
    spring = table.set_index("name").loc["spring-boot"]
    assert spring["target"] == ">=3.2"
    first = f"{table.iloc[0]['kind']}: {table.iloc[0]['name']}"
    assert at.selectbox(key="versions_item").value == first  # the drill-down opens on the worst
    assert chart_keys(at) == ["versions_matrix_chart_0", "versions_versions_chart_0"]
    assert len(repositories(at)) > 0


def test_an_empty_database_shows_what_to_run(empty_dashboard: str) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert "Nothing to show yet" in at.info[0].value
    assert not at.get("plotly_chart")


def test_without_a_standards_file_every_row_says_no_target(
    dashboard: DemoSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STANDARDS_ENV)
    at = open_page(PAGE, {"versions_item": "technology: spring-boot"})
    assert not at.exception
    assert "No targets without a standards file" in at.info[0].value
    assert set(per_item(at)["target"]) == {"no target"}
    assert "target: **no target**" in next(m.value for m in at.markdown if m.value.startswith("**spring-boot**"))
    assert len(repositories(at)) > 0


def test_the_team_filter_narrows_the_tables(dashboard: DemoSite) -> None:
    everyone = per_item(open_page(PAGE)).set_index("name")
    at = open_page(PAGE, {"team": ["payments"], "versions_item": "technology: spring-boot"})
    assert not at.exception
    payments = per_item(at).set_index("name")
    assert set(payments["teams"]) == {1}
    assert payments.loc["spring-boot", "repos"] < everyone.loc["spring-boot", "repos"]
    assert set(repositories(at)["team"]) == {"payments"}


def test_a_deep_link_restores_the_kinds_the_item_and_the_version(dashboard: DemoSite) -> None:
    at = open_page(PAGE, {"versions_kinds": ["Runtimes"], "versions_item": "runtime: node", "versions_version": "18"})
    assert not at.exception
    assert set(per_item(at)["kind"]) == {"runtime"}
    assert at.selectbox(key="versions_item").value == "runtime: node"
    assert at.selectbox(key="versions_version").value == "18"
    rows = repositories(at)
    assert len(rows) > 0 and set(rows["version"]) == {"18"}
    every = open_page(PAGE, {"versions_all": "true"})
    assert len(per_item(every)) == len(per_item(open_page(PAGE)))  # the table lists everything either way
    assert at.toggle(key="versions_all").value is False and every.toggle(key="versions_all").value is True
    assert "every technology and runtime with a known version" in every.caption[1].value


def test_clicking_a_cell_then_a_version_bar_lists_the_repositories_on_it(dashboard: DemoSite) -> None:
    at = open_page(PAGE)
    at = click(at, "versions_matrix_chart", ["technology: spring-boot", "payments"])
    assert not at.exception
    assert at.selectbox(key="versions_item").value == "technology: spring-boot"
    every_version = repositories(at)
    version = every_version["version"].iloc[0]
    at = click(at, "versions_versions_chart", [version, 1])
    assert at.selectbox(key="versions_version").value == version
    on_it = repositories(at)
    assert set(on_it["version"]) == {version}
    assert sorted(on_it["repo"]) == sorted(every_version[every_version["version"] == version]["repo"])


def test_picking_another_item_forgets_the_version(dashboard: DemoSite) -> None:
    at = open_page(PAGE, {"versions_item": "runtime: node", "versions_version": "18"})
    at.selectbox(key="versions_item").select("runtime: java").run()
    assert not at.exception
    assert at.selectbox(key="versions_version").value is None
    assert set(repositories(at)["version"]) > {"17"}  # every version of java again
    assert "versions_versions_chart_1" in chart_keys(at)
