"""standards.versions_view: the Versions page's frames, on snapshots built by hand."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from collectors.facts import Runtime
from standards import metrics
from standards import versions_view as vv
from standards.analysis import Analysis, Filters, analyse, narrow
from tests.test_metrics import GUILD, repo, snapshot, tech

TODAY = date(2026, 11, 20)


def py(version: str | None, evidence: str = ".python-version") -> Runtime:
    return Runtime("python", version, evidence=evidence)


# GUILD: react ^18 (radar), python >=3.11 for every team and >=3.12 for payments, nothing for node
ORG = snapshot(
    repo("pay-a", "payments", runtimes=(py("3.12"),)),
    repo("pay-b", "payments", runtimes=(py("3.11"),)),  # payments wants 3.12: a minor behind
    repo("data-a", "data", runtimes=(py("3.9"),)),  # two minors behind 3.11
    repo("data-b", "data", runtimes=(py("3.12"), py("3.12", "Dockerfile"))),
    repo("data-c", "data", runtimes=(py(None, "tox.ini"),)),  # no version: not on target
    repo("data-d", "data", runtimes=(py("system"),)),  # not a version
    repo("web-a", "web", tech("react", "18.2.0")),
    repo("web-b", "web", tech("react", "17.0.2"), runtimes=(Runtime("node", "20", evidence=".nvmrc"),)),
    repo("web-c", "web", tech("react", "16.14.0"), tech("flask", "2.3.0")),
    repo("web-e", "web", tech("react", "19.0.0")),  # above ^18: off target, not behind
    repo("web-f", "web", tech("lodash")),  # no version anywhere
    repo("web-old", "web", tech("react", "15.0.0"), archived=True),
)


def analysis(standards=GUILD) -> Analysis:
    return analyse(ORG, standards, today=TODAY)


@pytest.mark.parametrize(
    ("label", "parsed"),
    [
        ("technology: spring-boot", ("technology", "spring-boot")),
        ("runtime: python", ("runtime", "python")),
        ("library: x", None),
        ("technology:", None),
        ("spring-boot", None),
    ],
)
def test_item_labels_name_a_kind_and_a_name(label: str, parsed: tuple[str, str] | None) -> None:
    assert vv.parse_item(label) == parsed
    if parsed:
        assert vv.item_label(*parsed) == label


def test_drift_is_the_metric_with_an_item_column() -> None:
    drift = vv.drift(analysis())
    assert list(drift.columns) == vv.ITEM_COLUMNS
    pd.testing.assert_frame_equal(drift.drop(columns="item"), metrics.version_drift(GUILD, ORG))
    assert set(drift["item"]) >= {"technology: react", "runtime: python", "runtime: node"}


def test_drift_without_a_standards_file_has_no_targets() -> None:
    drift = vv.drift(analysis(None))
    assert drift["target"].isna().all()
    assert drift["share_on_target"].isna().all()


def test_organisation_sums_the_teams_each_judged_by_its_own_target() -> None:
    org = vv.organisation(analysis()).set_index("item")
    python = org.loc["runtime: python"]
    assert python["target"] == ">=3.11 · >=3.12 (payments)"
    assert python["main_target"] == ">=3.11"
    assert (python["teams"], python["repos"], python["on_target"]) == (2, 6, 2)  # pay-a, data-b
    assert python["share_on_target"] == pytest.approx(2 / 6)
    assert (python["majors_behind_max"], python["minors_behind_max"]) == (0, 2)  # data-a's 3.9
    assert python["versions_in_use"] == "3.12 (2), 3.11 (1), 3.9 (1), system (1), unknown (1)"
    react = org.loc["technology: react"]
    assert (react["repos"], react["on_target"], react["majors_behind_max"]) == (4, 1, 2)  # archived 15 left out


def test_organisation_without_a_target_leaves_the_judgement_missing() -> None:
    node = vv.organisation(analysis()).set_index("item").loc["runtime: node"]
    assert node["target"] is None and node["main_target"] is None
    assert pd.isna(node["on_target"]) and math.isnan(node["share_on_target"]) and pd.isna(node["majors_behind_max"])
    assert node["versions_in_use"] == "20 (1)"


def test_organisation_rows_with_a_target_first_least_on_target_first() -> None:
    assert vv.organisation(analysis())["item"].tolist() == [
        "technology: react",  # 1 of 4
        "runtime: python",  # 2 of 6
        "technology: flask",  # no target, 1 repository each: technologies, then runtimes, by name
        "technology: lodash",
        "runtime: node",
    ]


@pytest.mark.parametrize(
    ("kinds", "every", "items"),
    [
        pytest.param(metrics.KINDS, False, ["technology: react", "runtime: python", "runtime: node"], id="default"),
        pytest.param(
            metrics.KINDS,
            True,
            ["technology: react", "runtime: python", "technology: flask", "runtime: node"],
            id="every-technology-with-a-known-version",  # lodash has none
        ),
        pytest.param(("runtime",), False, ["runtime: python", "runtime: node"], id="runtimes"),
        pytest.param(("technology",), False, ["technology: react"], id="technologies"),
    ],
)
def test_matrix_rows(kinds: tuple[str, ...], every: bool, items: list[str]) -> None:
    a = analysis()
    matrix = vv.matrix(vv.drift(a), vv.organisation(a), kinds, every)
    assert list(matrix["item"].cat.categories) == items
    assert set(matrix["item"].astype(str)) == set(items)
    assert list(matrix["team"].cat.categories) == sorted(set(matrix["team"].astype(str)))


def test_matrix_follows_the_sidebar_filters() -> None:
    a = narrow(analysis(), Filters(teams=("payments",)))
    matrix = vv.matrix(vv.drift(a), vv.organisation(a))
    assert list(matrix["item"].cat.categories) == ["runtime: python"]
    assert matrix["share_on_target"].tolist() == [0.5]


def test_version_bars_judge_each_version_oldest_first() -> None:
    bars = vv.version_bars(analysis(), "technology", "react", "^18")
    assert list(bars.columns) == vv.VERSION_COLUMNS
    assert bars["version"].tolist() == ["16.14.0", "17.0.2", "18.2.0", "19.0.0"]
    assert bars["status"].tolist() == ["behind", "behind", "on target", "off target"]
    assert bars["majors_behind"].tolist() == [2, 1, 0, 0]
    assert bars["repos"].tolist() == [1, 1, 1, 1]


def test_version_bars_put_texts_that_are_not_versions_and_unknown_last() -> None:
    bars = vv.version_bars(analysis(), "runtime", "python", ">=3.11")
    assert bars["version"].tolist() == ["3.9", "3.11", "3.12", "system", vv.UNKNOWN]
    assert bars["status"].tolist() == ["behind", "on target", "on target", "not a version", "unknown"]
    assert bars["repos"].tolist() == [1, 1, 2, 1, 1]  # data-b's two files count once
    assert bars["minors_behind"].tolist()[0] == 2


def test_version_bars_without_a_target_say_so() -> None:
    bars = vv.version_bars(analysis(), "runtime", "node")
    assert bars["status"].tolist() == ["no target"]


def test_version_bars_of_something_unused_are_empty() -> None:
    bars = vv.version_bars(analysis(), "technology", "django", ">=4.2")
    assert bars.empty and list(bars.columns) == vv.VERSION_COLUMNS


@pytest.mark.parametrize(
    ("version", "rows"),
    [
        ("3.12", [("data-b", "data", ".python-version, Dockerfile"), ("pay-a", "payments", ".python-version")]),
        (vv.UNKNOWN, [("data-c", "data", "tox.ini")]),
        ("2.0", []),
    ],
)
def test_repos_on_a_version(version: str, rows: list[tuple[str, str, str]]) -> None:
    got = vv.repos_on(analysis(), "runtime", "python", version)
    assert list(zip(got["repo"], got["team"], got["evidence"], strict=True)) == rows
    assert list(got.columns) == [*vv.SPREAD_COLUMNS, "url"]


def test_repos_on_every_version_oldest_first() -> None:
    got = vv.repos_on(analysis(), "runtime", "python")
    assert got["version"].tolist() == ["3.9", "3.11", "3.12", "3.12", "system", vv.UNKNOWN]
