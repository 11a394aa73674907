"""standards.trends: one snapshot's numbers per team and for the organisation, and the long frame
over snapshots, on hand-built snapshots evaluated by the real rules."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from collectors.catalog import load_catalog
from collectors.facts import BuildHealth, RepoFacts, Runtime, Technology
from standards import trends
from standards.analysis import Filters, analyse, narrow
from standards.levels import compliance, scores
from standards.load import parse_standards
from standards.metrics import ORGANISATION, version_drift
from store.frames import frames_from_records

TODAY = date(2026, 11, 28)
ORG = ORGANISATION

GUILD = parse_standards(
    """
radar:
  react: {ring: adopt, version: "^18"}
  angular: {ring: hold, replace_with: react}
  fastapi: {ring: adopt}
standards:
  - id: no-hold
    title: No technology on hold
    level: bronze
    severity: high
    rule: {kind: technology-ring, unreviewed: false}
    rationale: Hold technologies carry known risk.
    owner: architecture-guild
    review_by: 2027-06-01
  - id: python-311
    title: Python 3.11 or newer
    level: silver
    severity: medium
    rule: {kind: version, runtime: python, constraint: ">=3.11"}
    rationale: 3.10 leaves security support in 2026.
    owner: python-guild
    review_by: 2027-06-01
"""
)


def tech(name: str, version: str | None = None) -> Technology:
    return Technology(name, load_catalog()[name].category, version, evidence="package.json")


def python(version: str) -> Runtime:
    return Runtime("python", version, evidence="pyproject.toml")


def build(state: str) -> BuildHealth:
    return BuildHealth(state, reason="the last run")


def org(*, builds: bool = True) -> list[RepoFacts]:
    """web: three React repositories (one off target, one also on Angular, which is on hold);
    shop: two Python services (one on 3.9, with a red build), plus an archived Angular app."""
    return [
        RepoFacts(name="web-a", team="web", technologies=[tech("react", "18.2.0")], build=build("green") if builds else None),
        RepoFacts(name="web-b", team="web", technologies=[tech("react", "17.0.2"), tech("angular", "15.0.0")]),
        RepoFacts(name="web-c", team="web", technologies=[tech("react", "18.3.1")]),
        RepoFacts(name="api", team="shop", runtimes=[python("3.12")], technologies=[tech("fastapi", "0.110")]),
        RepoFacts(name="api-old", team="shop", runtimes=[python("3.9")], build=build("red") if builds else None),
        RepoFacts(name="legacy", team="shop", archived=True, technologies=[tech("angular", "1.8.0")],
                  build=build("red") if builds else None),
    ]  # fmt: skip


def point(repos: list[RepoFacts], standards=GUILD, filters: Filters | None = None) -> pd.DataFrame:
    analysis = analyse(frames_from_records(repos), standards, today=TODAY)
    return trends.trend_point(narrow(analysis, filters or Filters()))


def row(frame: pd.DataFrame, team: str) -> pd.Series:
    found = frame[frame["team"] == team]
    assert len(found) == 1, team
    return found.iloc[0]


# web: no-hold pass, fail, pass (high, 4 each); python-311 not applicable. 2/3 pass, score 8/12.
# shop: no-hold pass, pass; python-311 pass, fail (medium, 2). 3/4 pass, score 10/12.
# organisation: 5/7 pass, score 18/24 = 75.
EXPECTED = {
    ORG: {"repos": 5, "share_passing": 5 / 7, "score": 75.0, "share_on_target": 3 / 5, "red_builds": 1},
    "shop": {"repos": 2, "share_passing": 3 / 4, "score": 100 * 10 / 12, "share_on_target": 1 / 2, "red_builds": 1},
    "web": {"repos": 3, "share_passing": 2 / 3, "score": 100 * 8 / 12, "share_on_target": 2 / 3, "red_builds": 0},
}


@pytest.mark.parametrize("team", list(EXPECTED))
def test_point_counts_each_team_and_the_organisation(team: str) -> None:
    got = row(point(org()), team)
    for column, value in EXPECTED[team].items():
        assert got[column] == pytest.approx(value), column


def test_point_lists_the_organisation_first_then_teams_by_name_with_fixed_columns() -> None:
    frame = point(org())
    assert frame["team"].tolist() == [ORG, "shop", "web"]
    assert list(frame.columns) == trends.POINT_COLUMNS
    assert frame["repos"].dtype == "int64"


def test_on_target_is_weighted_by_repositories_not_a_mean_of_rows() -> None:
    # rows with a target: react/web 2 of 3, python/shop 1 of 2: weighted 3/5, a mean of rows 7/12
    assert row(point(org()), ORG)["share_on_target"] == pytest.approx(0.6)
    assert row(point(org()), ORG)["share_on_target"] != pytest.approx((2 / 3 + 1 / 2) / 2)


def test_organisation_numbers_equal_the_roll_ups_over_every_row() -> None:
    analysis = analyse(frames_from_records(org()), GUILD, today=TODAY)
    got = row(trends.trend_point(analysis), ORG)
    assert got["share_passing"] == pytest.approx(compliance(analysis.results, by=()).loc[0, "share_passing"])
    assert got["score"] == pytest.approx(scores(analysis.results, by=()).loc[0, "score"])


def test_narrowing_the_facts_to_targeted_names_keeps_every_drift_row_with_a_target() -> None:
    analysis = analyse(frames_from_records(org()), GUILD, today=TODAY)
    drift = version_drift(GUILD, analysis.frames)
    drift = drift[drift["target"].notna()]
    sums = drift.groupby("team")[["on_target", "repos"]].sum()
    got = trends.trend_point(analysis).set_index("team")["share_on_target"]
    for team, counts in sums.iterrows():
        assert got[team] == pytest.approx(counts["on_target"] / counts["repos"])
    assert trends.targeted_names(GUILD) == ({"react"}, {"python"})


def test_effective_choices_average_the_categories_each_team_uses() -> None:
    frame = point(org())
    # web's front-end framework: React in 3 repositories, Angular in 1: exp(entropy of 3/4, 1/4)
    two_ways = math.exp(-(0.75 * math.log(0.75) + 0.25 * math.log(0.25)))
    assert row(frame, "web")["effective_choices"] == pytest.approx(two_ways)
    assert row(frame, "shop")["effective_choices"] == pytest.approx(1.0)  # FastAPI only
    assert row(frame, ORG)["effective_choices"] == pytest.approx((two_ways + 1.0) / 2)


def test_without_standards_the_standards_columns_are_missing_and_the_facts_remain() -> None:
    frame = point(org(), standards=None)
    assert frame["team"].tolist() == [ORG, "shop", "web"]
    for column in ("share_passing", "score", "share_on_target"):
        assert frame[column].isna().all(), column
    assert frame["repos"].tolist() == [5, 2, 3]
    assert frame["red_builds"].tolist() == [1, 1, 0]
    assert frame["effective_choices"].notna().all()


def test_red_builds_are_missing_not_zero_when_no_build_was_collected() -> None:
    frame = point(org(builds=False))
    assert frame["red_builds"].isna().all()


def test_an_archived_repository_counts_nowhere_even_when_the_filter_shows_archived() -> None:
    frame = point(org(), filters=Filters(include_archived=True))
    assert row(frame, "shop")["repos"] == 2
    assert row(frame, "shop")["red_builds"] == 1  # legacy's red build is not counted
    assert row(frame, "shop")["share_passing"] == pytest.approx(3 / 4)


def test_a_team_with_only_archived_repositories_has_no_row() -> None:
    repos = [*org(), RepoFacts(name="old", team="gone", archived=True)]
    assert "gone" not in point(repos, filters=Filters(include_archived=True))["team"].tolist()


def test_an_empty_snapshot_gives_the_organisation_row_only() -> None:
    frame = point([RepoFacts(name="x", team="t", archived=True)])
    assert frame["team"].tolist() == [ORG]
    assert frame.loc[0, "repos"] == 0
    assert frame[["share_passing", "score", "share_on_target", "effective_choices"]].isna().all().all()


# --- over snapshots -------------------------------------------------------------------------------------


def points() -> list[tuple[int, str, str, pd.DataFrame]]:
    """Two snapshots given newest first; in the older one web-c did not exist yet."""
    older = point([r for r in org() if r.name != "web-c"])
    newer = point(org())
    return [(9, "2026-11-17T10:00:00+00:00", "#9", newer), (4, "2026-10-17T09:00:00+00:00", "#4", older)]


def test_trend_frame_is_oldest_first_with_the_organisation_first_in_each_snapshot() -> None:
    frame = trends.trend_frame(points())
    assert list(frame.columns) == trends.TREND_COLUMNS
    assert list(zip(frame["snapshot_id"], frame["team"], strict=True)) == [
        (4, ORG), (4, "shop"), (4, "web"), (9, ORG), (9, "shop"), (9, "web"),
    ]  # fmt: skip
    assert frame["taken_at"].tolist()[0] == pd.Timestamp("2026-10-17 09:00", tz="UTC")
    assert frame.loc[frame["snapshot_id"] == 4, "repos"].tolist() == [4, 2, 2]


def test_trend_frame_of_no_snapshot_is_empty_with_its_columns() -> None:
    frame = trends.trend_frame([])
    assert frame.empty
    assert list(frame.columns) == trends.TREND_COLUMNS


@pytest.mark.parametrize(
    ("chosen", "limit", "expected"),
    [
        pytest.param((), 7, (["shop", "web"], 0), id="every-team-when-few"),
        pytest.param(("web",), 7, (["web"], 0), id="the-chosen-teams"),
        pytest.param((), 1, (["web"], 1), id="the-biggest-past-the-limit"),
        pytest.param(("shop", "web"), 1, (["web"], 1), id="the-biggest-chosen-past-the-limit"),
    ],
)
def test_teams_to_draw(chosen: tuple[str, ...], limit: int, expected: tuple[list[str], int]) -> None:
    assert trends.teams_to_draw(trends.trend_frame(points()), chosen, limit) == expected


def test_metric_summary_gives_first_latest_change_and_the_series() -> None:
    compliance_ = trends.METRIC_BY_LABEL["Compliance"]
    summary = trends.metric_summary(trends.trend_frame(points()), compliance_).set_index("team")
    assert summary.index.tolist() == [ORG, "shop", "web"]
    # web before web-c: no-hold pass, fail: 1/2; after: 2/3
    assert summary.loc["web", "first"] == pytest.approx(0.5)
    assert summary.loc["web", "latest"] == pytest.approx(2 / 3)
    assert summary.loc["web", "change"] == pytest.approx(2 / 3 - 0.5)
    assert summary.loc["web", "values"] == pytest.approx([0.5, 2 / 3])


def test_metric_summary_keeps_a_gap_where_a_team_was_missing() -> None:
    newer = point(org())
    older = point([r for r in org() if r.team != "web"])
    frame = trends.trend_frame([(1, "2026-01-01T00:00:00Z", "#1", older), (2, "2026-02-01T00:00:00Z", "#2", newer)])
    summary = trends.metric_summary(frame, trends.METRIC_BY_LABEL["Repositories"], teams=["web"]).set_index("team")
    assert summary.index.tolist() == [ORG, "web"]
    assert summary.loc["web", "values"] == [None, 3.0]
    assert summary.loc["web", "first"] == summary.loc["web", "latest"] == 3.0


def test_team_history_is_the_rows_behind_a_point() -> None:
    history = trends.team_history(trends.trend_frame(points()), "web")
    assert history["snapshot_id"].tolist() == [4, 9]
    assert history["repos"].tolist() == [2, 3]
    assert "team" not in history.columns


def test_every_metric_names_a_trend_column_once() -> None:
    columns = [m.column for m in trends.METRICS]
    assert sorted(columns) == sorted(set(trends.POINT_COLUMNS) - {"team"})
    assert len(trends.METRIC_BY_LABEL) == len(trends.METRICS)
    assert all(m.better in ("higher", "lower", "neither") for m in trends.METRICS)
    assert all(m.unit in ("share", "score", "count", "number") for m in trends.METRICS)
