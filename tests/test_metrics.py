"""standards.metrics: version drift, fragmentation, team deviation and the radar against reality,
on snapshots built by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from collectors.catalog import load_catalog
from collectors.facts import RepoFacts, Runtime, Technology
from standards import metrics as m
from standards.load import parse_standards
from store.frames import SnapshotFrames, frames_from_records

GUILD = parse_standards(
    """
radar:
  react: {ring: adopt, version: "^18"}
  django: {ring: adopt, version: ">=4.2"}
  fastapi: {ring: adopt}
  flask: {ring: assess}
  vue: {ring: assess}
  angular: {ring: hold, replace_with: react}
  jquery: {ring: hold, replace_with: react}
standards:
  - id: python-311
    title: Python 3.11 or newer
    level: silver
    rule: {kind: version, runtime: python, constraint: ">=3.11"}
    rationale: 3.10 leaves security support in 2026.
    owner: python-guild
    review_by: 2027-03-01
  - id: python-312-payments
    title: Payments on Python 3.12
    level: gold
    applies_to: {teams: [payments]}
    rule: {kind: version, runtime: python, constraint: ">=3.12"}
    rationale: Payments runs the newest interpreter for its speed.
    owner: payments
    review_by: 2027-03-01
"""
)


def tech(name: str, version: str | None = None) -> Technology:
    return Technology(name, load_catalog()[name].category, version, evidence="package.json")


def repo(name: str, team: str, *techs: Technology, runtimes: tuple[Runtime, ...] = (), archived: bool = False):
    return RepoFacts(name=name, team=team, technologies=list(techs), runtimes=list(runtimes), archived=archived)


def snapshot(*repos: RepoFacts) -> SnapshotFrames:
    return frames_from_records(list(repos))


# --- version drift -------------------------------------------------------------------------------------

DRIFT_ORG = snapshot(
    repo("web-a", "web", tech("react", "18.2.0")),
    repo("web-b", "web", tech("react", "18.3.1")),
    repo("web-c", "web", tech("react", "17.0.2")),
    repo("shop", "shop", tech("react", "16.14.0")),
    repo("shop-admin", "shop", tech("react", "18.2.0"), tech("django", "4.2.11")),
    repo("shop-api", "shop", tech("django", "4.0.10")),
    repo("shop-legacy", "shop", tech("django", "3.2.25")),
    repo("shop-flask", "shop", tech("flask", "2.3.0")),
    repo("shop-old", "shop", tech("react", "15.0.0"), archived=True),
)


@pytest.mark.parametrize(
    ("name", "team", "expected"),
    [
        pytest.param(
            "react",
            "web",
            {
                "repos": 3,
                "on_target": 2,
                "share_on_target": 2 / 3,
                "majors_behind_max": 1,
                "versions_in_use": "18.3.1 (1), 18.2.0 (1), 17.0.2 (1)",
            },
            id="npm-caret-one-major-behind",
        ),
        pytest.param(
            "react",
            "shop",
            {"repos": 2, "on_target": 1, "majors_behind_max": 2, "versions_in_use": "18.2.0 (1), 16.14.0 (1)"},
            id="npm-caret-two-majors-behind-archived-15-left-out",
        ),
        pytest.param(
            "django",
            "shop",
            {
                "repos": 3,
                "on_target": 1,
                "majors_behind_max": 1,
                "minors_behind_max": 0,
                "versions_in_use": "4.2.11 (1), 4.0.10 (1), 3.2.25 (1)",
            },
            id="pypi-at-least-worst-is-a-major-behind",
        ),
    ],
)
def test_drift_counts_repositories_on_target_and_the_furthest_behind(name: str, team: str, expected: dict) -> None:
    drift = m.version_drift(GUILD, DRIFT_ORG)
    row = drift[(drift["kind"] == "technology") & (drift["name"] == name) & (drift["team"] == team)]
    assert len(row) == 1
    got = row.iloc[0]
    for col, value in expected.items():
        assert got[col] == pytest.approx(value) if isinstance(value, float) else got[col] == value, col


def test_drift_minors_behind_within_the_target_major() -> None:
    frames = snapshot(repo("api", "shop", tech("django", "4.0.10")))
    row = m.version_drift(GUILD, frames).iloc[0]
    assert (row["target"], row["on_target"], row["majors_behind_max"], row["minors_behind_max"]) == (">=4.2", 0, 0, 2)


def test_drift_all_on_target_is_zero_behind_not_missing() -> None:
    frames = snapshot(repo("a", "web", tech("react", "18.2.0")), repo("b", "web", tech("react", "18.0.0")))
    row = m.version_drift(GUILD, frames).iloc[0]
    assert (row["on_target"], row["share_on_target"], row["majors_behind_max"], row["minors_behind_max"]) == (
        2,
        1,
        0,
        0,
    )


def test_drift_without_target_still_lists_versions_in_use() -> None:
    drift = m.version_drift(GUILD, DRIFT_ORG)
    row = drift[drift["name"] == "flask"].iloc[0]
    assert row["target"] is None and row["versions"] == ["2.3.0"] and row["versions_in_use"] == "2.3.0 (1)"
    assert pd.isna(row["on_target"]) and math.isnan(row["share_on_target"]) and pd.isna(row["majors_behind_max"])


def test_drift_missing_versions_are_counted_as_unknown_and_not_on_target() -> None:
    frames = snapshot(
        repo("a", "web", tech("react", "18.2.0")),
        repo("b", "web", tech("react")),  # a version the detectors could not find
        repo("c", "web", tech("react")),
    )
    row = m.version_drift(GUILD, frames).iloc[0]
    assert (row["repos"], row["unknown_version"], row["on_target"]) == (3, 2, 1)
    assert row["share_on_target"] == pytest.approx(1 / 3)
    assert row["versions_in_use"] == "18.2.0 (1), unknown (2)"
    assert row["versions"] == ["18.2.0"]


def test_drift_a_use_without_a_version_keeps_its_repository_off_target_as_evaluate_judges() -> None:
    frames = snapshot(
        RepoFacts(
            name="mono",
            team="web",
            technologies=[
                Technology("react", "frontend-framework", "18.2.0", "apps/new/package.json"),
                Technology("react", "frontend-framework", None, "apps/old/package.json"),
            ],
        ),
        repo("site", "web", tech("react", "latest")),  # a moving tag: no version to judge
    )
    row = m.version_drift(GUILD, frames).iloc[0]
    assert (row["repos"], row["unknown_version"], row["on_target"], row["majors_behind_max"]) == (2, 0, 0, 0)
    assert row["versions_in_use"] == "18.2.0 (1), latest (1)"


def test_drift_a_repository_with_two_versions_is_on_target_only_when_both_are() -> None:
    frames = snapshot(
        RepoFacts(
            name="mono",
            team="web",
            technologies=[
                Technology("react", "frontend-framework", "18.2.0", "apps/new/package.json"),
                Technology("react", "frontend-framework", "17.0.2", "apps/old/package.json"),
            ],
        )
    )
    row = m.version_drift(GUILD, frames).iloc[0]
    assert (row["repos"], row["on_target"], row["majors_behind_max"]) == (1, 0, 1)
    assert row["versions_in_use"] == "18.2.0 (1), 17.0.2 (1)"


RUNTIME_ORG = snapshot(
    repo("pay-api", "payments", runtimes=(Runtime("python", "3.12", ".python-version"),)),
    repo("pay-jobs", "payments", runtimes=(Runtime("python", "3.11", ".python-version"),)),
    repo("search", "search", runtimes=(Runtime("python", "3.11", ".python-version"),)),
    repo("search-old", "search", runtimes=(Runtime("python", "3.9", "Dockerfile"),)),
    repo("search-ui", "search", runtimes=(Runtime("node", "20", ".nvmrc"),)),
)


@pytest.mark.parametrize(
    ("name", "team", "target", "on_target", "minors"),
    [
        pytest.param("python", "payments", ">=3.12", 1, 1, id="a-standard-naming-the-team-wins"),
        pytest.param("python", "search", ">=3.11", 1, 2, id="the-standard-for-every-team"),
        pytest.param("node", "search", None, None, None, id="no-standard-no-target"),
    ],
)
def test_runtime_targets_come_from_version_standards(
    name: str, team: str, target: str | None, on_target: int | None, minors: int | None
) -> None:
    drift = m.version_drift(GUILD, RUNTIME_ORG)
    row = drift[(drift["kind"] == "runtime") & (drift["name"] == name) & (drift["team"] == team)].iloc[0]
    assert row["target"] == target
    if on_target is None:
        assert pd.isna(row["on_target"]) and pd.isna(row["minors_behind_max"])
    else:
        assert (row["on_target"], row["majors_behind_max"], row["minors_behind_max"]) == (on_target, 0, minors)


def test_drift_rows_have_fixed_columns_and_order_even_when_empty() -> None:
    assert list(m.version_drift(GUILD, snapshot(repo("a", "t"))).columns) == m.DRIFT_COLUMNS
    drift = m.version_drift(GUILD, DRIFT_ORG)
    keys = list(zip(drift["kind"], drift["name"], drift["team"], strict=True))
    assert keys == sorted(keys) and drift["kind"].iloc[0] == "technology"


def test_version_spread_lists_every_repository_oldest_first_without_archived() -> None:
    spread = m.version_spread(DRIFT_ORG, "technology", "react")
    assert list(spread.columns) == m.SPREAD_COLUMNS
    assert spread[["repo", "version"]].values.tolist() == [
        ["shop", "16.14.0"],
        ["web-c", "17.0.2"],
        ["shop-admin", "18.2.0"],
        ["web-a", "18.2.0"],
        ["web-b", "18.3.1"],
    ]


# --- fragmentation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("techs", "expected_choices", "top", "top_share"),
    [
        pytest.param(["react", "react", "react"], 1.0, "react", 1.0, id="one-technology-is-one-choice"),
        pytest.param(["react", "vue"], 2.0, "react", 0.5, id="two-equally-used-are-two-choices-tie-by-name"),
        pytest.param(["vue", "vue", "react", "react"], 2.0, "react", 0.5, id="two-by-two"),
        pytest.param(
            ["react", "react", "react", "vue"],
            math.exp(-(0.75 * math.log(0.75) + 0.25 * math.log(0.25))),
            "react",
            0.75,
            id="a-dominant-one-is-fewer-than-two",
        ),
        pytest.param(["react", "vue", "angular"], 3.0, "angular", 1 / 3, id="three-equally"),
    ],
)
def test_fragmentation_effective_choices_is_exp_entropy(
    techs: list[str], expected_choices: float, top: str, top_share: float
) -> None:
    frames = snapshot(*(repo(f"r{i}", "web", tech(t)) for i, t in enumerate(techs)))
    frag = m.fragmentation(frames)
    row = frag[(frag["category"] == "frontend-framework") & (frag["team"] == "web")].iloc[0]
    assert row["effective_choices"] == pytest.approx(expected_choices)
    assert (row["top_technology"], row["top_share"]) == (top, pytest.approx(top_share))
    assert row["technologies"] == len(set(techs))


def test_fragmentation_has_an_organisation_row_first_per_category() -> None:
    frames = snapshot(
        repo("a", "web", tech("react")),
        repo("b", "web", tech("react")),
        repo("c", "shop", tech("vue")),
        repo("d", "shop", tech("vue"), tech("django")),
        repo("e", "shop", tech("angular"), archived=True),
    )
    frag = m.fragmentation(frames)
    assert list(frag.columns) == ["category", "team", *m.FRAGMENTATION_COLUMNS[1:]]
    fe = frag[frag["category"] == "frontend-framework"]
    assert fe["team"].tolist() == [m.ORGANISATION, "shop", "web"]
    assert fe["effective_choices"].tolist() == pytest.approx([2.0, 1.0, 1.0])  # angular is archived: left out
    assert fe["repos"].tolist() == [4, 2, 2]
    assert frag["category"].tolist() == sorted(frag["category"])


def test_fragmentation_by_another_repository_column() -> None:
    frames = snapshot(repo("a", "web", tech("react")), RepoFacts(name="b", team="web", visibility="public"))
    assert m.fragmentation(frames, by="visibility")["visibility"].tolist() == [m.ORGANISATION, "(none)"]
    with pytest.raises(ValueError, match="not a column"):
        m.fragmentation(frames, by="colour")


# --- team deviation ------------------------------------------------------------------------------------

DEVIATION_ORG = snapshot(
    repo("web-a", "web", tech("react"), tech("django")),
    repo("web-b", "web", tech("react"), tech("django")),
    repo("web-c", "web", tech("react"), tech("flask")),
    repo("shop-a", "shop", tech("vue"), tech("django")),
    repo("shop-b", "shop", tech("nextjs"), tech("react")),  # Next.js brings React: follows the organisation
    repo("data-a", "data", tech("flask")),
    repo("data-b", "data", tech("angular"), archived=True),
)


def test_team_deviation_is_the_share_of_choices_unlike_the_organisations() -> None:
    dev = m.team_deviation(DEVIATION_ORG)
    assert list(dev.columns) == m.TEAM_DEVIATION_COLUMNS
    got = {
        r.team: (r.deviation, r.categories_compared, r.choices, r.differing_choices, r.differing)
        for r in dev.itertuples()
    }
    assert got == {
        "data": (1.0, 1, 1, 1, ["web-framework: flask vs django"]),
        "shop": (pytest.approx(1 / 3), 2, 3, 1, ["frontend-framework: vue vs react"]),
        "web": (pytest.approx(1 / 6), 2, 6, 1, ["web-framework: flask vs django"]),
    }
    assert dev["team"].tolist() == ["data", "shop", "web"]  # most deviating first


def test_team_category_deviation_names_both_choices() -> None:
    long = m.team_category_deviation(DEVIATION_ORG)
    row = long[(long["team"] == "shop") & (long["category"] == "frontend-framework")].iloc[0]
    assert (row["org_choice"], row["repos"], row["differing_repos"], row["deviation"]) == ("react", 2, 1, 0.5)
    assert row["alternatives"] == ["vue"]
    assert row["team_choice"] == "nextjs"  # a three-way tie, broken by name


# --- the radar against reality -------------------------------------------------------------------------


def test_radar_reality_flags_hold_in_use_rare_adopt_and_unreviewed() -> None:
    frames = snapshot(
        repo("a", "web", tech("react"), tech("angular")),
        repo("b", "web", tech("react"), tech("express")),
        repo("c", "shop", tech("react"), tech("fastapi")),
        repo("d", "shop", tech("vue"), tech("jquery"), archived=True),
    )
    radar = m.radar_reality(GUILD, frames).set_index("technology")
    assert list(m.radar_reality(GUILD, frames).columns) == m.RADAR_COLUMNS
    flags = radar[["ring", "repos", "teams", "hold_in_use", "adopt_rare", "unreviewed_in_use"]]
    assert flags.loc["angular"].tolist() == ["hold", 1, 1, True, False, False]
    assert flags.loc["jquery"].tolist() == ["hold", 0, 0, False, False, False]  # only in an archived repository
    assert flags.loc["react"].tolist() == ["adopt", 3, 2, False, False, False]
    assert flags.loc["fastapi"].tolist() == ["adopt", 1, 1, False, True, False]
    assert flags.loc["django"].tolist() == ["adopt", 0, 0, False, True, False]  # on the radar, used by nobody
    assert flags.loc["express"].tolist() == ["unreviewed", 1, 1, False, False, True]
    assert radar.loc["angular", "replace_with"] == "react"
    assert radar.loc["react", "team_names"] == ["shop", "web"]
    assert radar.loc["django", "category"] == "web-framework"  # from the catalog when nobody uses it
    assert radar["ring"].tolist()[:3] == ["adopt", "adopt", "adopt"] and radar.index[0] == "react"
    assert radar["ring"].iloc[-1] == "unreviewed"


@pytest.mark.parametrize(
    ("active_repos", "users", "rare"),
    [
        pytest.param(10, 1, True, id="one-user-is-rare"),
        pytest.param(10, 2, False, id="two-users-in-a-small-org-is-enough"),
        pytest.param(60, 2, True, id="two-of-sixty-is-below-five-percent"),
        pytest.param(60, 3, False, id="three-of-sixty-is-five-percent"),
    ],
)
def test_adopt_rare_is_fewer_than_two_or_five_percent(active_repos: int, users: int, rare: bool) -> None:
    frames = snapshot(
        *(repo(f"r{i:02}", "t", *([tech("fastapi")] if i < users else [])) for i in range(active_repos)),
        *(repo(f"z{i}", "t", tech("fastapi"), archived=True) for i in range(5)),  # archived: not counted
    )
    radar = m.radar_reality(GUILD, frames).set_index("technology")
    assert radar.loc["fastapi", "adopt_rare"] == rare


def test_ring_usage_has_every_ring_in_order() -> None:
    frames = snapshot(
        repo("a", "web", tech("react"), tech("angular")),
        repo("b", "web", tech("express")),
        repo("c", "web", tech("flask")),
        repo("d", "shop", tech("jquery"), archived=True),
    )
    usage = m.ring_usage(GUILD, frames)
    assert list(usage.columns) == m.RING_USAGE_COLUMNS
    assert usage[["ring", "technologies", "in_use", "repos"]].values.tolist() == [
        ["adopt", 3, 1, 1],  # react, django, fastapi on the radar; react used
        ["trial", 0, 0, 0],
        ["assess", 2, 1, 1],  # flask, vue
        ["hold", 2, 1, 1],  # angular, jquery (archived only)
        ["unreviewed", 1, 1, 1],  # express
    ]
    assert usage["share_of_repos"].tolist() == pytest.approx([1 / 3, 0, 1 / 3, 1 / 3, 1 / 3])


# --- archived repositories -----------------------------------------------------------------------------


def test_archived_repositories_are_left_out_of_every_metric() -> None:
    live = [repo("a", "web", tech("react", "18.2.0"), runtimes=(Runtime("node", "20", ".nvmrc"),))]
    dead = [
        repo(
            "old",
            "legacy",
            tech("angular", "1.0.0"),
            tech("react", "15.0.0"),
            runtimes=(Runtime("node", "8", "x"),),
            archived=True,
        )
    ]
    with_dead, without = snapshot(*live, *dead), snapshot(*live)
    for compute in (
        lambda f: m.version_drift(GUILD, f),
        lambda f: m.version_spread(f, "technology", "react"),
        lambda f: m.version_spread(f, "runtime", "node"),
        m.fragmentation,
        m.team_deviation,
        m.team_category_deviation,
        lambda f: m.radar_reality(GUILD, f),
        lambda f: m.ring_usage(GUILD, f),
    ):
        pd.testing.assert_frame_equal(compute(with_dead), compute(without))


def test_every_metric_keeps_its_columns_on_a_snapshot_without_technologies() -> None:
    empty = snapshot(repo("a", "t"), repo("b", "t", archived=True))
    assert list(m.version_drift(GUILD, empty).columns) == m.DRIFT_COLUMNS
    assert list(m.version_spread(empty, "runtime", "python").columns) == m.SPREAD_COLUMNS
    assert list(m.fragmentation(empty).columns) == ["category", "team", *m.FRAGMENTATION_COLUMNS[1:]]
    assert list(m.team_category_deviation(empty).columns) == m.TEAM_CATEGORY_COLUMNS
    assert list(m.team_deviation(empty).columns) == m.TEAM_DEVIATION_COLUMNS
    assert m.radar_reality(GUILD, empty)["repos"].sum() == 0
    assert m.ring_usage(GUILD, empty)["repos"].tolist() == [0, 0, 0, 0, 0]
