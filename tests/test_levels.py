"""Levels and roll-ups: tables of results in, levels, compliance, distributions and scores out."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from standards.evaluate import RESULT_COLUMNS
from standards.levels import LEVEL_ORDER, SEVERITY_WEIGHTS, compliance, level_distribution, repo_levels, scores
from standards.load import parse_standards
from standards.model import SEVERITIES, Standards


def standards_of(levels: dict[str, str]) -> Standards:
    """Standards with these ids and levels (the rule does not matter: results are given)."""
    items = "\n".join(
        f"  - {{id: {sid}, title: {sid}, level: {level}, rule: {{kind: ci-provider}}, rationale: r, owner: o, "
        "review_by: 2027-01-01}"
        for sid, level in levels.items()
    )
    return parse_standards(f"standards:\n{items}\n")


def results_of(rows: list[tuple], standards: Standards) -> pd.DataFrame:
    """Results from (repo, team, standard, status[, severity[, archived]]) rows."""
    level = {s.id: s.level for s in standards.standards}
    records = []
    for r in rows:
        repo, team, sid, status = r[:4]
        severity = r[4] if len(r) > 4 else "medium"
        archived = r[5] if len(r) > 5 else False
        records.append(
            {
                "repo": repo, "team": team, "standard": sid, "title": sid, "level": level[sid], "severity": severity,
                "status": status, "detail": "", "evidence": "", "found": "", "target": "", "waiver_reason": None,
                "waiver_approver": None, "waiver_expires": None, "waiver_expired": False, "archived": archived,
            }
        )  # fmt: skip
    return pd.DataFrame(records, columns=list(RESULT_COLUMNS))


FOUR = {"b1": "bronze", "b2": "bronze", "s1": "silver", "g1": "gold"}


@pytest.mark.parametrize(
    ("levels", "statuses", "level"),
    [
        (FOUR, {"b1": "pass", "b2": "pass", "s1": "pass", "g1": "pass"}, "gold"),
        (FOUR, {"b1": "pass", "b2": "not-applicable", "s1": "pass", "g1": "fail"}, "silver"),
        (FOUR, {"b1": "pass", "b2": "pass", "s1": "fail", "g1": "pass"}, "bronze"),
        (FOUR, {"b1": "pass", "b2": "waived", "s1": "pass", "g1": "pass"}, "none"),
        (FOUR, {"b1": "pass", "b2": "pass", "s1": "pass", "g1": "error"}, "silver"),
        (FOUR, {"b1": "fail", "b2": "pass", "s1": "pass", "g1": "pass"}, "none"),
        (FOUR, dict.fromkeys(FOUR, "not-applicable"), "gold"),
        ({"b1": "bronze", "g1": "gold"}, {"b1": "pass", "g1": "pass"}, "gold"),
        ({"b1": "bronze", "s1": "silver"}, {"b1": "pass", "s1": "pass"}, "silver"),
        ({"b1": "bronze"}, {"b1": "pass"}, "bronze"),
        ({"s1": "silver", "g1": "gold"}, {"s1": "pass", "g1": "waived"}, "silver"),
    ],
    ids=["all-pass", "not-applicable-passes", "silver-fails", "waived-is-not-passed", "error-is-not-passed",
         "a-lower-level-fails", "nothing-applies", "no-silver-standards", "no-gold-standards", "bronze-only",
         "no-bronze-standards"],
)  # fmt: skip
def test_repo_level(levels: dict[str, str], statuses: dict[str, str], level: str) -> None:
    std = standards_of(levels)
    results = results_of([("r", "t", sid, status) for sid, status in statuses.items()], std)
    out = repo_levels(std, results)
    assert out["level"].tolist() == [level]


def test_repo_levels_count_failing_and_waived_and_leave_archived_out() -> None:
    std = standards_of(FOUR)
    results = results_of(
        [
            ("a", "t1", "b1", "fail"), ("a", "t1", "b2", "waived"),
            ("a", "t1", "s1", "fail"), ("a", "t1", "g1", "error"),
            ("b", "t2", "b1", "pass"), ("b", "t2", "b2", "pass"),
            ("b", "t2", "s1", "pass"), ("b", "t2", "g1", "waived"),
            ("old", "t2", "b1", "not-applicable", "medium", True),
            ("old", "t2", "b2", "not-applicable", "medium", True),
        ],
        std,
    )  # fmt: skip
    out = repo_levels(std, results)
    assert list(out.columns) == ["repo", "team", "level", "failing", "waived", "errors"]
    assert out.values.tolist() == [["a", "t1", "none", 2, 1, 1], ["b", "t2", "silver", 0, 1, 0]]


def test_compliance_counts_each_status_and_shares_of_the_applicable() -> None:
    std = standards_of({"s": "bronze", "t": "silver"})
    results = results_of(
        [
            ("a", "x", "s", "pass"), ("b", "x", "s", "fail"), ("c", "y", "s", "waived"), ("d", "y", "s", "error"),
            ("e", "y", "s", "not-applicable"), ("f", "y", "s", "fail", "medium", True),
            ("a", "x", "t", "not-applicable"), ("b", "x", "t", "not-applicable"),
        ],
        std,
    )  # fmt: skip
    out = compliance(results)
    assert list(out.columns) == [
        "standard", "pass", "fail", "waived", "not-applicable", "error", "applicable", "share_passing", "share_waived",
    ]  # fmt: skip
    s = out.set_index("standard").loc["s"]
    assert (s["pass"], s["fail"], s["waived"], s["not-applicable"], s["error"], s["applicable"]) == (1, 1, 1, 1, 1, 4)
    assert (s["share_passing"], s["share_waived"]) == (0.25, 0.25)
    t = out.set_index("standard").loc["t"]
    assert t["applicable"] == 0 and math.isnan(t["share_passing"]) and math.isnan(t["share_waived"])

    by_team = compliance(results, by=("team", "standard")).set_index(["team", "standard"])
    assert by_team.loc[("y", "s"), "applicable"] == 2 and by_team.loc[("y", "s"), "share_waived"] == 0.5
    whole = compliance(results, by=())
    assert len(whole) == 1 and whole["applicable"].iloc[0] == 4 and whole["not-applicable"].iloc[0] == 3


def test_level_distribution_lists_every_level_zero_filled() -> None:
    levels = pd.DataFrame(
        {"repo": ["a", "b", "c", "d"], "team": ["x", "x", "y", "x"], "level": ["gold", "none", "gold", "gold"]}
    )
    whole = level_distribution(levels)
    assert whole["level"].tolist() == list(LEVEL_ORDER)
    assert whole["count"].tolist() == [1, 0, 0, 3]
    assert whole["share"].tolist() == [0.25, 0.0, 0.0, 0.75]
    per_team = level_distribution(levels, by=("team",))
    assert per_team[["team", "level", "count"]].astype({"level": str}).values.tolist() == [
        ["x", "none", 1], ["x", "bronze", 0], ["x", "silver", 0], ["x", "gold", 2],
        ["y", "none", 0], ["y", "bronze", 0], ["y", "silver", 0], ["y", "gold", 1],
    ]  # fmt: skip


def test_level_distribution_of_no_repositories() -> None:
    empty = pd.DataFrame({"repo": [], "team": [], "level": []}, dtype=object)
    assert level_distribution(empty)["count"].tolist() == [0, 0, 0, 0]
    assert level_distribution(empty, by=("team",)).empty


def test_severity_weights_are_a_table_over_every_severity() -> None:
    assert tuple(SEVERITY_WEIGHTS.index) == SEVERITIES
    assert SEVERITY_WEIGHTS.to_dict() == {"info": 0, "low": 1, "medium": 2, "high": 4, "critical": 8}


@pytest.mark.parametrize(
    ("rows", "score"),
    [
        ([("critical", "pass"), ("low", "fail")], 100 * 8 / 9),
        ([("critical", "fail"), ("low", "pass")], 100 * 1 / 9),
        ([("high", "pass"), ("high", "waived")], 50.0),
        ([("high", "pass"), ("high", "error")], 50.0),
        ([("high", "pass"), ("high", "not-applicable"), ("info", "fail")], 100.0),
        ([("info", "pass")], math.nan),
        ([("medium", "not-applicable")], math.nan),
        ([("medium", "pass"), ("medium", "fail", True)], 100.0),
    ],
    ids=["critical-passes", "critical-fails", "waived-is-not-passing", "error-is-not-passing",
         "info-and-na-weigh-nothing", "info-only", "nothing-applies", "archived-left-out"],
)  # fmt: skip
def test_scores(rows: list[tuple], score: float) -> None:
    ids = {f"s{i}": "bronze" for i in range(len(rows))}
    std = standards_of(ids)
    results = results_of(
        [("r", "t", f"s{i}", r[1], r[0], r[2] if len(r) > 2 else False) for i, r in enumerate(rows)], std
    )
    out = scores(results)
    assert list(out.columns) == ["team", "score", "applicable", "weight"]
    got = out["score"].iloc[0] if len(out) else math.nan
    assert (math.isnan(got) and math.isnan(score)) or got == pytest.approx(score)


def test_scores_per_team_and_for_the_organisation() -> None:
    std = standards_of({"s": "bronze", "t": "bronze"})
    results = results_of(
        [("a", "x", "s", "pass", "high"), ("a", "x", "t", "fail", "low"), ("b", "y", "s", "fail", "high")], std
    )
    per_team = scores(results).set_index("team")["score"]
    assert per_team.to_dict() == pytest.approx({"x": 80.0, "y": 0.0})
    whole = scores(results, by=())
    assert list(whole.columns) == ["score", "applicable", "weight"]
    assert whole["score"].iloc[0] == pytest.approx(100 * 4 / 9) and whole["applicable"].iloc[0] == 3
