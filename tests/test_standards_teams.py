"""standards.teams: the Teams page's frames, on a hand-built organisation evaluated for real."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from collectors.facts import CiFile, HygieneItem, RepoFacts, Runtime
from standards import teams as t
from standards.analysis import Analysis, Filters, analyse, narrow
from standards.load import parse_standards
from store.frames import frames_from_records

TODAY = date(2026, 11, 20)

#: Four standards (two bronze, two silver) and three waivers: search's CI (holds), the payments
#: repositories' CI (expired on 2026-10-31), and one whose glob matches no repository.
GUILD = parse_standards(
    """
standards:
  - {id: readme, title: A README, level: bronze, severity: medium, rule: {kind: file-exists, paths: ["hygiene:readme"]},
     rationale: Where on-call starts., owner: dx, review_by: 2027-06-30, links: ["https://wiki.example.com/readme"]}
  - {id: ci, title: CI on GitHub Actions, level: bronze, severity: high,
     rule: {kind: ci-provider, allowed: [github-actions]}, rationale: One CI., tradeoffs: Migrations cost days.,
     owner: platform, review_by: 2026-11-20}
  - {id: codeowners, title: A CODEOWNERS file, level: silver, severity: low,
     rule: {kind: file-exists, paths: ["hygiene:codeowners"]}, rationale: Reviews reach owners., owner: dx,
     review_by: 2026-01-31}
  - {id: java, title: Java 17, level: silver, severity: critical, applies_to: {languages: [Java]},
     rule: {kind: version, runtime: java, constraint: ">=17"}, rationale: Spring Boot 3 needs it., owner: java,
     review_by: 2027-01-01}
waivers:
  - {standard: ci, team: search, reason: Moving in Q1, approver: cto, expires: 2026-12-31}
  - {standard: ci, repo: "PAY-*", reason: PCI pipeline, approver: security, expires: 2026-10-31}
  - {standard: codeowners, repo: "nomatch/*", reason: Nothing, approver: dx, expires: 2027-02-01}
"""
)


def hygiene(*present: str) -> dict[str, HygieneItem]:
    return {key: HygieneItem(True, key.upper()) for key in present}


def org() -> list[RepoFacts]:
    """payments: pay-api (Java 11, Jenkins, no CODEOWNERS), pay-web (no README); search: search-ui
    (Jenkins, waived) and an archived repository; platform: infra, which meets everything."""
    return [
        RepoFacts(name="pay-api", team="payments", languages={"Java": 5000}, runtimes=[Runtime("java", "11", "pom.xml")],
                  hygiene=hygiene("readme"), ci_files=[CiFile("jenkins", "Jenkinsfile")],
                  pushed_at="2026-11-01T10:00:00Z"),
        RepoFacts(name="pay-web", team="payments", languages={"Python": 3000}, hygiene=hygiene("codeowners"),
                  ci_files=[CiFile("github-actions", ".github/workflows/ci.yml")]),
        RepoFacts(name="search-ui", team="search", languages={"TypeScript": 3000},
                  hygiene=hygiene("readme", "codeowners"), ci_files=[CiFile("jenkins", "Jenkinsfile")]),
        RepoFacts(name="search-old", team="search", archived=True, languages={"PHP": 100}),
        RepoFacts(name="infra", team="platform", languages={"HCL": 800}, hygiene=hygiene("readme", "codeowners"),
                  ci_files=[CiFile("github-actions", ".github/workflows/ci.yml")]),
    ]  # fmt: skip


def analysis(filters: Filters | None = None, *, guild=GUILD) -> Analysis:
    """The organisation evaluated on TODAY, narrowed as the sidebar would (archived left out)."""
    whole = analyse(frames_from_records(org()), guild, today=TODAY)
    return narrow(whole, filters or Filters())


def whole() -> Analysis:
    """Not narrowed: the archived repository's rows are still in the results."""
    return analyse(frames_from_records(org()), GUILD, today=TODAY)


# --- the team x standard matrix -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("team", "standard", "expected"),
    [
        pytest.param("payments", "readme", (2, 1, 0, 1, 0.5, 0.0), id="one-of-two-passes"),
        pytest.param("payments", "ci", (2, 1, 0, 1, 0.5, 0.0), id="an-expired-waiver-fails-again"),
        pytest.param("payments", "java", (1, 0, 0, 1, 0.0, 0.0), id="only-the-java-repository-applies"),
        pytest.param("search", "ci", (1, 0, 1, 0, 0.0, 1.0), id="waived-is-not-passing"),
        pytest.param("search", "java", (0, 0, 0, 0, math.nan, math.nan), id="nothing-applies-is-nan"),
        pytest.param("platform", "codeowners", (1, 1, 0, 0, 1.0, 0.0), id="all-pass"),
    ],
)
def test_matrix_cell_counts_and_shares(team: str, standard: str, expected: tuple) -> None:
    matrix = t.team_standard_matrix(analysis())
    row = matrix[(matrix["team"] == team) & (matrix["standard"] == standard)]
    assert len(row) == 1
    got = row.iloc[0]
    applicable, passed, waived, failed, share, share_waived = expected
    assert (got["applicable"], got["pass"], got["waived"], got["fail"]) == (applicable, passed, waived, failed)
    assert got["share_passing"] == pytest.approx(share, nan_ok=True)
    assert got["share_waived"] == pytest.approx(share_waived, nan_ok=True)


def test_matrix_has_every_pair_teams_by_name_standards_in_file_order() -> None:
    matrix = t.team_standard_matrix(analysis())
    assert list(matrix.columns) == t.MATRIX_COLUMNS
    assert len(matrix) == 3 * 4
    assert list(dict.fromkeys(matrix["team"])) == ["payments", "platform", "search"]
    assert list(dict.fromkeys(matrix["standard"])) == ["readme", "ci", "codeowners", "java"]
    assert matrix.set_index(["team", "standard"]).loc[("search", "ci"), "title"] == "CI on GitHub Actions"


def test_archived_repositories_never_count_even_unnarrowed() -> None:
    narrowed, unnarrowed = t.team_standard_matrix(analysis()), t.team_standard_matrix(whole())
    pd.testing.assert_frame_equal(narrowed, unnarrowed)
    # search's archived repository adds no applicable row: search's readme is 1 of 1, not of 2
    cell = unnarrowed.set_index(["team", "standard"]).loc[("search", "readme")]
    assert (cell["applicable"], cell["pass"]) == (1, 1)


def test_matrix_without_standards_is_empty_with_its_columns() -> None:
    matrix = t.team_standard_matrix(analysis(guild=None))
    assert matrix.empty
    assert list(matrix.columns) == t.MATRIX_COLUMNS


def test_a_team_filter_keeps_only_that_teams_rows() -> None:
    matrix = t.team_standard_matrix(analysis(Filters(teams=("search",))))
    assert set(matrix["team"]) == {"search"}


# --- per team -------------------------------------------------------------------------------------------


def test_team_compliance_counts_each_status_and_shares_of_applicable() -> None:
    out = t.team_compliance(analysis()).set_index("team")
    assert list(out.index) == ["payments", "platform", "search"]
    assert out.loc["payments", ["pass", "fail", "waived", "applicable"]].tolist() == [3, 4, 0, 7]
    assert out.loc["payments", "share_passing"] == pytest.approx(3 / 7)
    assert out.loc["search", ["pass", "waived", "applicable"]].tolist() == [2, 1, 3]
    assert out.loc["search", "share_passing"] == pytest.approx(2 / 3)  # the waived third is not passing
    assert out.loc["search", "share_waived"] == pytest.approx(1 / 3)
    assert out.loc["platform", "share_passing"] == 1.0


def test_team_summary_counts_levels_of_active_repositories() -> None:
    out = t.team_summary(analysis(Filters(include_archived=True))).set_index("team")
    assert list(out.columns) == t.SUMMARY_COLUMNS[1:]
    assert out.loc["search", ["repositories", "archived", "none", "bronze", "silver"]].tolist() == [1, 1, 1, 0, 0]
    assert out.loc["platform", ["repositories", "none", "silver", "gold"]].tolist() == [1, 0, 1, 0]
    assert out.loc["payments", ["none", "fail", "waived"]].tolist() == [2, 4, 0]


def test_team_headline() -> None:
    head = t.team_headline(analysis(Filters(include_archived=True)), "search")
    assert (head.repositories, head.archived) == (1, 1)
    assert head.levels == {"none": 1, "bronze": 0, "silver": 0, "gold": 0}
    assert (head.applicable, head.waived, head.failing, head.errors) == (3, 1, 0, 0)
    assert head.share_passing == pytest.approx(2 / 3)


def test_team_headline_of_a_team_with_nothing_in_view_is_nan_not_an_error() -> None:
    head = t.team_headline(analysis(Filters(teams=("platform",))), "payments")
    assert head.repositories == 0
    assert math.isnan(head.share_passing)


def test_team_repos_lowest_level_and_most_failing_first_archived_last() -> None:
    out = t.team_repos(analysis(Filters(include_archived=True)), "payments")
    assert list(out.columns) == t.REPO_COLUMNS
    assert out["repo"].tolist() == ["pay-api", "pay-web"]  # both "none"; pay-api fails 3, pay-web 1
    assert out["failing"].tolist() == [3, 1]
    assert out["share_passing"].tolist() == pytest.approx([1 / 4, 2 / 3])
    assert out.loc[0, "pushed_at"] == pd.Timestamp("2026-11-01 10:00", tz="UTC")
    search = t.team_repos(analysis(Filters(include_archived=True)), "search")
    assert search["repo"].tolist() == ["search-ui", "search-old"]
    assert search["archived"].tolist() == [False, True]
    assert search.loc[1, "level"] is None


def test_team_findings_worst_severity_first() -> None:
    out = t.team_findings(analysis(), "payments")
    assert list(out.columns) == t.FINDING_COLUMNS
    assert list(zip(out["severity"], out["standard"], out["repo"], strict=True)) == [
        ("critical", "java", "pay-api"),
        ("high", "ci", "pay-api"),
        ("medium", "readme", "pay-web"),
        ("low", "codeowners", "pay-api"),
    ]
    ci = out[out["standard"] == "ci"].iloc[0]
    assert (ci["status"], ci["waiver_reason"], bool(ci["waiver_expired"])) == ("fail", "PCI pipeline", True)


def test_team_findings_fail_before_error_before_waived_within_a_severity() -> None:
    a = analysis()
    results = a.results.copy()
    status = {("infra", "readme"): "waived", ("infra", "ci"): "error", ("infra", "codeowners"): "fail"}
    for (repo, standard), value in status.items():
        results.loc[(results["repo"] == repo) & (results["standard"] == standard), ["status", "severity"]] = [
            value,
            "high",
        ]
    out = t.team_findings(replace(a, results=results), "platform")
    assert out["status"].tolist() == ["fail", "error", "waived"]


def test_team_waivers_are_those_naming_the_team_or_matching_its_repositories() -> None:
    payments = t.team_waivers(analysis(), "payments")
    assert payments["subject"].tolist() == ["repositories PAY-*"]  # globs match case-insensitively
    assert payments[["expired", "days_left", "repositories"]].iloc[0].tolist() == [True, -20, 1]
    search = t.team_waivers(analysis(), "search")
    assert search[["subject", "expired", "days_left", "repositories"]].iloc[0].tolist() == [
        "team search",
        False,
        41,
        1,
    ]
    assert t.team_waivers(analysis(), "platform").empty


@pytest.mark.parametrize(
    ("team", "standard", "rows"),
    [
        pytest.param("payments", "readme", [("pay-web", "fail"), ("pay-api", "pass")], id="a-cell-worst-first"),
        pytest.param("payments", "java", [("pay-api", "fail"), ("pay-web", "not-applicable")], id="n/a-rows-listed"),
        pytest.param(
            None,
            "ci",
            [("pay-api", "fail"), ("search-ui", "waived"), ("pay-web", "pass"), ("infra", "pass")],
            id="a-column",
        ),
        pytest.param(
            "search",
            None,
            [("search-ui", "waived"), ("search-ui", "pass"), ("search-ui", "pass"), ("search-ui", "not-applicable")],
            id="a-row",
        ),
    ],
)
def test_cell_results_are_the_rows_behind_a_cell(team: str | None, standard: str | None, rows: list) -> None:
    out = t.cell_results(analysis(), team, standard)
    assert list(zip(out["repo"], out["status"], strict=True)) == rows
