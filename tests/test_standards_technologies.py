"""standards.technologies: the Technologies page's frames, on snapshots built by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from collectors.catalog import load_catalog
from collectors.facts import Technology
from standards import metrics
from standards import technologies as t
from standards.analysis import Analysis, Filters, analyse, narrow
from standards.load import parse_standards
from tests.test_metrics import repo, snapshot, tech

TODAY = date(2026, 11, 20)

RADAR = parse_standards(
    """
radar:
  react: {ring: adopt}
  fastapi: {ring: adopt}
  date-fns: {ring: adopt}
  vue: {ring: trial}
  flask: {ring: assess}
  angular: {ring: hold, replace_with: react}
  jquery: {ring: hold, replace_with: react}
  six: {ring: hold}
"""
)


def also(name: str, version: str | None, evidence: str) -> Technology:
    """A second file naming a technology (a monorepo's other package.json)."""
    return Technology(name, load_catalog().get(name).category, version, evidence=evidence)


ORG = snapshot(
    repo("web-a", "web", tech("react", "18.2.0"), also("react", "18.2.0", "admin/package.json"), tech("jquery")),
    repo("web-b", "web", tech("react", "17.0.2"), tech("vue", "3.4.0"), tech("lodash", "4.17.21")),
    repo("web-c", "web", tech("angular", "16.0.0"), tech("lodash", "4.17.21")),
    repo("shop", "shop", tech("react", "18.3.1"), tech("django", "4.2.11"), tech("six", "1.16.0")),
    repo("shop-api", "shop", tech("flask", "2.3.0"), tech("express", "4.19.2")),
    repo("shop-ui", "shop", tech("vue", "3.3.0")),
    repo("shop-old", "shop", tech("angular", "12.0.0"), tech("fastapi", "0.1"), archived=True),
)


def analysis(standards=RADAR) -> Analysis:
    return analyse(ORG, standards, today=TODAY)


def test_radar_without_a_standards_file_lists_usage_with_no_ring_and_no_flags() -> None:
    radar = t.radar(analysis(None))
    assert radar["ring"].isna().all()
    assert not radar[["hold_in_use", "adopt_rare", "unreviewed_in_use"]].to_numpy().any()
    assert radar.set_index("technology").loc["react", "repos"] == 3  # web-a, web-b, shop; archived left out
    assert "fastapi" not in set(radar["technology"])  # only the archived repository uses it


def test_radar_with_a_standards_file_is_the_metric() -> None:
    pd.testing.assert_frame_equal(t.radar(analysis()), metrics.radar_reality(RADAR, ORG))


def test_rings_are_none_without_a_standards_file() -> None:
    assert t.rings(analysis(None)) is None
    assert t.rings(analysis())["ring"].tolist() == list(metrics.RING_ORDER)


@pytest.mark.parametrize(
    ("technology", "note"),
    [
        pytest.param("angular", "move to react", id="hold-in-use-with-a-replacement"),
        pytest.param("six", "on hold", id="hold-in-use-without-a-replacement"),
        pytest.param("fastapi", "not used", id="adopt-only-in-an-archived-repository"),
        pytest.param("date-fns", "not used", id="adopt-nowhere"),
        pytest.param("react", "", id="adopt-and-used"),
        pytest.param("lodash", "", id="unreviewed"),
    ],
)
def test_usage_bar_notes(technology: str, note: str) -> None:
    bars = t.usage_bars(t.radar(analysis()), per_group=None)
    assert bars.set_index("technology").loc[technology, "note"] == note


def test_usage_bars_group_by_ring_in_ring_order_most_used_first_and_cut_per_ring() -> None:
    bars = t.usage_bars(t.radar(analysis()), per_group=2)
    assert bars["group"].tolist() == ["adopt", "adopt", "trial", "assess", "hold", "hold", "unreviewed", "unreviewed"]
    assert bars["technology"].tolist()[:2] == ["react", "date-fns"]  # react (3); the rest 0, by name
    assert bars[bars["group"] == "hold"]["technology"].tolist() == ["angular", "jquery"]  # 1 each, by name
    assert bars[bars["group"] == "unreviewed"]["technology"].tolist() == ["lodash", "django"]  # 2, then 1 by name
    assert bars.set_index("technology").loc["lodash", "team_names"] == ["web"]


def test_usage_bars_show_only_the_rings_asked_for_and_all_of_one_ring() -> None:
    bars = t.usage_bars(t.radar(analysis()), ("hold",), per_group=None)
    assert bars["technology"].tolist() == ["angular", "jquery", "six"]
    assert set(bars["group"]) == {"hold"}


def test_usage_bars_without_a_radar_group_the_most_used_by_category() -> None:
    bars = t.usage_bars(t.radar(analysis(None)), per_group=4)
    # the 4 most used: react 3, lodash 2, vue 2, then angular (1, first by name); react's category first
    assert list(zip(bars["group"], bars["technology"], strict=True)) == [
        ("frontend-framework", "react"),
        ("frontend-framework", "vue"),
        ("frontend-framework", "angular"),
        ("utility-library", "lodash"),
    ]
    assert bars["note"].tolist() == ["", "", "", ""]


def test_usage_bars_of_nothing_is_an_empty_frame_with_the_columns() -> None:
    empty = t.usage_bars(t.radar(analyse(snapshot(), None, today=TODAY)))
    assert empty.empty and list(empty.columns) == t.BAR_COLUMNS


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("hold_in_use", ["angular", "jquery", "six"]),
        ("adopt_rare", ["date-fns", "fastapi"]),  # fewer than 2 repositories: 0 each
        ("unreviewed_in_use", ["lodash", "django", "express"]),
    ],
)
def test_callouts_list_the_flagged_technologies_most_used_first(flag: str, expected: list[str]) -> None:
    assert t.callouts(t.radar(analysis()), flag)["technology"].tolist() == expected


def test_fragmentation_orders_categories_most_fragmented_first_and_the_organisation_first() -> None:
    frag = t.fragmentation(analysis())
    categories = list(frag["category"].cat.categories)
    # frontend: react 3, vue 2, angular 1, jquery 1 -> the most ways; date-time is not used
    assert categories[0] == "frontend-framework"
    assert list(frag["team"].cat.categories) == [metrics.ORGANISATION, "shop", "web"]
    cell = frag[(frag["category"] == "web-framework") & (frag["team"] == "shop")].iloc[0]
    assert (cell["technologies"], cell["repos"]) == (3, 2)  # django, flask, express in shop and shop-api


def test_repos_behind_a_technology_one_row_per_repository_files_joined() -> None:
    rows = t.repos_behind(analysis(), "react")
    assert rows["repo"].tolist() == ["shop", "web-a", "web-b"]  # by team, then repository
    assert list(rows.columns) == t.BEHIND_COLUMNS
    web_a = rows.set_index("repo").loc["web-a"]
    assert (web_a["version"], web_a["evidence"]) == ("18.2.0", "package.json, admin/package.json")
    radar = t.radar(analysis()).set_index("technology")
    assert len(rows) == radar.loc["react", "repos"]  # as many rows as the bar counts


def test_repos_behind_leave_archived_repositories_out_and_say_none_for_no_version() -> None:
    assert t.repos_behind(analysis(), "fastapi").empty  # only shop-old, archived
    jquery = t.repos_behind(analysis(), "jquery")
    assert jquery["repo"].tolist() == ["web-a"] and jquery["version"].tolist() == [None]


@pytest.mark.parametrize(
    ("team", "repos"),
    [
        ("shop", ["shop", "shop-api"]),
        ("web", []),
        (metrics.ORGANISATION, ["shop", "shop-api"]),
        (None, ["shop", "shop-api"]),
    ],
)
def test_repos_behind_a_fragmentation_cell(team: str | None, repos: list[str]) -> None:
    rows = t.repos_behind(analysis(), None, "web-framework", team)
    assert sorted(set(rows["repo"])) == repos
    if repos:
        frag = t.fragmentation(analysis())
        cell = frag[(frag["category"] == "web-framework") & (frag["team"] == (team or metrics.ORGANISATION))]
        assert rows["repo"].nunique() == cell["repos"].iloc[0]
        assert sorted(rows["technology"]) == ["django", "express", "flask"]


def test_repos_behind_follow_the_sidebar_filters() -> None:
    narrowed = narrow(analysis(), Filters(teams=("shop",)))
    assert t.repos_behind(narrowed, "react")["repo"].tolist() == ["shop"]


def test_differing_lists_where_a_team_leaves_the_organisations_choice() -> None:
    long = t.deviation_by_category(analysis())
    rows = t.differing(long)
    # the organisation's frontend choice is react; web-c (angular) and shop-ui (vue) differ
    frontend = rows[rows["category"] == "frontend-framework"].set_index("team")
    assert frontend.loc["web", "alternatives"] == "angular"
    assert frontend.loc["shop", "alternatives"] == "vue"
    assert (rows["differing_repos"] > 0).all()
    assert set(t.differing(long, "web")["team"]) == {"web"}
    assert t.deviation(analysis())["team"].tolist() == metrics.team_deviation(ORG)["team"].tolist()
