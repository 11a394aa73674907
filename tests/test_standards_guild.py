"""standards.guild: the Standards page's frames, on the hand-built organisation of test_standards_teams."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest

from standards import guild as g
from standards.analysis import Filters
from standards.load import parse_standards
from tests.test_standards_teams import GUILD, analysis


def test_standards_table_one_row_per_standard_in_file_order_with_reasons() -> None:
    out = g.standards_table(analysis())
    assert list(out.columns) == g.STANDARD_COLUMNS
    assert out["id"].tolist() == ["readme", "ci", "codeowners", "java"]
    readme = out.set_index("id").loc["readme"]
    assert (readme["kind"], readme["rule"], readme["applies_to"]) == ("file-exists", "paths: hygiene:readme",
                                                                      g.EVERY_REPOSITORY)  # fmt: skip
    assert readme["links"] == ["https://wiki.example.com/readme"]
    assert readme["tradeoffs"] is None  # none written down
    assert out.set_index("id").loc["ci", "tradeoffs"] == "Migrations cost days."
    assert out.set_index("id").loc["java", "applies_to"] == "languages: Java"


@pytest.mark.parametrize(
    ("standard", "expected"),
    [
        pytest.param("readme", (4, 3, 0, 1, 0.75, 0.0, 1), id="readme"),
        pytest.param("ci", (4, 2, 1, 1, 0.5, 0.25, 1), id="waived-counted-apart-not-passing"),
        pytest.param("java", (1, 0, 0, 1, 0.0, 0.0, 1), id="only-where-it-applies"),
    ],
)
def test_standards_table_compliance(standard: str, expected: tuple) -> None:
    row = g.standards_table(analysis()).set_index("id").loc[standard]
    applicable, passed, waived, failed, share, share_waived, failing_repos = expected
    assert (row["applicable"], row["pass"], row["waived"], row["fail"]) == (applicable, passed, waived, failed)
    assert row["share_passing"] == pytest.approx(share)
    assert row["share_waived"] == pytest.approx(share_waived)
    assert row["failing_repos"] == failing_repos


@pytest.mark.parametrize(
    ("standard", "due", "days"),
    [("readme", False, 222), ("ci", True, 0), ("codeowners", True, -293), ("java", False, 42)],
    ids=["in-the-future", "due-on-its-day", "overdue", "soon"],
)
def test_review_due_on_its_day_and_after(standard: str, due: bool, days: int) -> None:
    row = g.standards_table(analysis()).set_index("id").loc[standard]
    assert (bool(row["review_due"]), row["review_in_days"]) == (due, days)


def test_a_standard_that_applies_nowhere_has_no_share_and_zero_counts() -> None:
    row = g.standards_table(analysis(Filters(teams=("platform",)))).set_index("id").loc["java"]
    assert row["applicable"] == 0 and row["failing_repos"] == 0
    assert math.isnan(row["share_passing"])


def test_guild_headline() -> None:
    head = g.guild_headline(analysis())
    assert head.standards == 4
    assert head.per_level == {"bronze": 2, "silver": 2, "gold": 0}
    assert head.applicable == 13  # 4 + 4 + 4 + 1 (java applies to pay-api only)
    assert head.share_passing == pytest.approx(8 / 13)
    assert (head.waived, head.reviews_due, head.waivers, head.waivers_expired) == (1, 2, 3, 1)


def test_standard_findings_fail_before_waived() -> None:
    out = g.standard_findings(analysis(), "ci")
    assert list(out.columns) == g.FINDING_COLUMNS
    assert list(zip(out["repo"], out["status"], strict=True)) == [("pay-api", "fail"), ("search-ui", "waived")]
    assert out["waiver_approver"].tolist() == ["security", "cto"]
    assert g.standard_findings(analysis(), "no-such-standard").empty


def test_waivers_expired_first_then_soonest_with_the_findings_they_cover() -> None:
    out = g.waivers_table(analysis())
    assert list(out.columns) == g.WAIVER_COLUMNS
    assert out["subject"].tolist() == ["repositories PAY-*", "team search", "repositories nomatch/*"]
    assert out["expires"].tolist() == [date(2026, 10, 31), date(2026, 12, 31), date(2027, 2, 1)]
    assert out["expired"].tolist() == [True, False, False]
    assert out["days_left"].tolist() == [-20, 41, 73]
    assert out["repositories"].tolist() == [1, 1, 0]  # the glob matching nothing covers nothing
    assert out["title"].tolist() == ["CI on GitHub Actions", "CI on GitHub Actions", "A CODEOWNERS file"]
    assert out["team"].tolist() == [None, "search", None]


def test_a_waiver_holds_through_its_last_day() -> None:
    later = g.waivers_table(replace(analysis(), today=date(2027, 1, 1)))
    assert later.set_index("subject").loc["team search", ["expired", "days_left"]].tolist() == [True, -1]
    last = g.waivers_table(replace(analysis(), today=date(2026, 12, 31)))
    assert last.set_index("subject").loc["team search", ["expired", "days_left"]].tolist() == [False, 0]


def test_without_standards_or_waivers_the_frames_are_empty_with_their_columns() -> None:
    bare = analysis(guild=None)
    assert g.standards_table(bare).empty and list(g.standards_table(bare).columns) == g.STANDARD_COLUMNS
    assert g.waivers_table(bare).empty and list(g.waivers_table(bare).columns) == g.WAIVER_COLUMNS
    no_waivers = analysis(guild=GUILD.model_copy(update={"waivers": []}))
    assert g.waivers_table(no_waivers).empty


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        pytest.param(
            "s.yaml:41: standards[3].rule.version: '>=3.2,': not a valid version range",
            [("s.yaml:41", "standards[3].rule.version", "'>=3.2,': not a valid version range")],
            id="file-line-path-message-with-a-colon",
        ),
        pytest.param(
            "/srv/g/s.yaml: (top): expected a mapping", [("/srv/g/s.yaml", "(top)", "expected a mapping")], id="no-line"
        ),
        pytest.param(
            "no standards file at /x/s.yaml",
            [(None, None, "no standards file at /x/s.yaml")],
            id="another-shape-is-all-message",
        ),
        pytest.param(
            "a.yaml:5: standards[0].level: Input should be 'bronze'\n\na.yaml:13: standards[1].severty: unknown key",
            [
                ("a.yaml:5", "standards[0].level", "Input should be 'bronze'"),
                ("a.yaml:13", "standards[1].severty", "unknown key"),
            ],
            id="one-row-per-line-blank-lines-skipped",
        ),
        pytest.param(None, [], id="no-problem"),
    ],
)
def test_problem_table(text: str | None, rows: list[tuple]) -> None:
    out = g.problem_table(text)
    assert list(out.columns) == g.PROBLEM_COLUMNS
    assert [tuple(r) for r in out.itertuples(index=False)] == rows


def _one(rule: str, applies_to: str = "") -> object:
    extra = f", applies_to: {applies_to}" if applies_to else ""
    text = f"standards:\n  - {{id: s, title: S, level: bronze, rule: {rule}{extra}, rationale: r, owner: o, review_by: 2027-01-01}}\n"
    return parse_standards(text).standards[0]


@pytest.mark.parametrize(
    ("rule", "applies_to", "described", "where"),
    [
        ("{kind: ci-provider, allowed: [github-actions, gitlab-ci]}", "", "allowed: github-actions, gitlab-ci",
         g.EVERY_REPOSITORY),
        ("{kind: ci-provider}", "{teams: [payments], exclude_repos: ['*-sandbox']}", "(defaults)",
         "teams: payments; exclude repos: *-sandbox"),
        ("{kind: actions-pinned, mode: major, min_major: {actions/checkout: 4}}", "{archived: true}",
         "mode: major; min major: actions/checkout 4", "archived: yes"),
        ("{kind: build-health, require_green: true, max_days_since_green: 14}", "",
         "require green: yes; max days since green: 14; unknown: not-applicable", g.EVERY_REPOSITORY),
    ],
    ids=["a-list", "defaults-and-a-restriction", "a-mapping-and-archived", "booleans-and-numbers"],
)  # fmt: skip
def test_rule_and_applies_to_in_one_line(rule: str, applies_to: str, described: str, where: str) -> None:
    standard = _one(rule, applies_to)
    assert g.describe_rule(standard) == described
    assert g.describe_applies_to(standard) == where
