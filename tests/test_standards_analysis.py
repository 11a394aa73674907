"""standards.analysis and standards.headline: a real snapshot (written to SQLite and read back),
evaluated once, narrowed by the dashboard's filters, summed up in headline figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from collectors.facts import BuildHealth, HygieneItem, RepoFacts, Technology
from standards.analysis import NO_LANGUAGE, Analysis, Filters, analyse, kept_repos, narrow
from standards.headline import guild_headline, headline_delta, worst_findings
from standards.load import parse_standards
from tests.test_standards_overview import snapshot_frames

STANDARDS = parse_standards(
    """
radar:
  akka-http: {ring: hold, replace_with: pekko-http}
  spring-boot: {ring: adopt}
standards:
  - {id: readme, title: A README, level: bronze, severity: medium, rule: {kind: file-exists, paths: ["hygiene:readme"]},
     rationale: r, owner: o, review_by: 2027-01-01}
  - {id: no-hold, title: Nothing on hold, level: silver, severity: critical, rule: {kind: technology-ring, forbid: [hold], unreviewed: false},
     rationale: r, owner: o, review_by: 2027-01-01}
"""
)
TODAY = date(2026, 11, 28)


def org() -> list[RepoFacts]:
    return [
        RepoFacts(name="pay-api", team="payments", languages={"Java": 9000}, hygiene={"readme": HygieneItem(True, "README.md")},
                  technologies=[Technology("spring-boot", "web-framework", "3.3.0", "pom.xml")],
                  build=BuildHealth("green", "ci passed")),
        RepoFacts(name="pay-old", team="payments", languages={"Java": 5000},
                  technologies=[Technology("akka-http", "web-framework", "10.2", "build.sbt")],
                  build=BuildHealth("red", "tests failed")),
        RepoFacts(name="pay-gone", team="payments", archived=True, languages={"Java": 100},
                  technologies=[Technology("akka-http", "web-framework", "10.1", "build.sbt")]),
        RepoFacts(name="search-ui", team="search", languages={"TypeScript": 700}, hygiene={"readme": HygieneItem(True, "README.md")}),
        RepoFacts(name="notes", team="search"),
    ]  # fmt: skip


@pytest.fixture
def analysis(tmp_path: Path) -> Analysis:
    return analyse(snapshot_frames(tmp_path, org()), STANDARDS, today=TODAY)


def test_every_repository_gets_one_row_with_its_level_language_and_build(analysis: Analysis) -> None:
    repos = analysis.repos.set_index("repo")
    assert list(repos.index) == ["notes", "pay-api", "pay-gone", "pay-old", "search-ui"]
    assert repos.loc["pay-api", "level"] == "silver"
    assert repos.loc["pay-old", "level"] == "none"  # no README, and akka-http is on hold
    assert repos.loc["pay-old", "failing"] == 2
    assert repos.loc["pay-gone", "level"] is None  # archived: no level at all
    assert repos.loc["notes", "main_language"] == NO_LANGUAGE
    assert repos.loc["search-ui", "main_language"] == "TypeScript"
    assert repos.loc["pay-old", "build"] == "red"
    assert repos.loc["search-ui", "build"] is None
    assert analysis.teams == ["payments", "search"]
    assert analysis.languages == ["Java", "TypeScript", NO_LANGUAGE]


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        (Filters(), ["notes", "pay-api", "pay-old", "search-ui"]),
        (Filters(include_archived=True), ["notes", "pay-api", "pay-gone", "pay-old", "search-ui"]),
        (Filters(teams=("search",)), ["notes", "search-ui"]),
        (Filters(languages=("Java",)), ["pay-api", "pay-old"]),
        (Filters(languages=("Java",), include_archived=True), ["pay-api", "pay-gone", "pay-old"]),
        (Filters(teams=("search",), languages=(NO_LANGUAGE,)), ["notes"]),
        (Filters(teams=("nobody",)), []),
    ],
)
def test_filters_keep_the_repositories_they_name(analysis: Analysis, filters: Filters, kept: list[str]) -> None:
    assert sorted(kept_repos(analysis, filters)) == kept
    narrowed = narrow(analysis, filters)
    assert sorted(narrowed.repos["repo"]) == kept
    assert set(narrowed.results["repo"]) == set(kept)
    assert set(narrowed.frames.repos["repo"]) == set(kept)
    assert set(narrowed.frames.technologies["repo"]) <= set(kept)


def test_narrowing_never_evaluates_again(analysis: Analysis) -> None:
    narrowed = narrow(analysis, Filters(teams=("payments",)))
    before = analysis.results.set_index(["repo", "standard"])["status"]
    after = narrowed.results.set_index(["repo", "standard"])["status"]
    assert after.to_dict() == {k: before[k] for k in after.index}
    assert narrow(analysis, Filters(include_archived=True)) is analysis


def test_headline_counts_active_repositories_only(analysis: Analysis) -> None:
    head = guild_headline(analysis)
    assert head.repositories == 4
    assert head.archived == 1
    # 4 active x 2 standards; pay-old fails both, notes fails the README: 5 of 8 pass
    assert head.findings == 3
    assert head.share_passing == pytest.approx(5 / 8)
    assert head.levels == {"none": 2, "bronze": 0, "silver": 2, "gold": 0}
    assert (head.hold_in_use, head.repos_on_hold) == (1, 1)  # pay-gone's akka-http is archived
    assert (head.red_builds, head.known_builds) == (1, 2)


def test_headline_without_standards_has_no_compliance(tmp_path: Path) -> None:
    head = guild_headline(analyse(snapshot_frames(tmp_path, org()), None, today=TODAY))
    assert head.share_passing is None
    assert head.levels == {}
    assert head.findings == 0
    assert head.red_builds == 1


def test_headline_delta_subtracts_and_leaves_none_where_unknown(analysis: Analysis, tmp_path: Path) -> None:
    new = guild_headline(analysis)
    old = guild_headline(narrow(analysis, Filters(teams=("search",))))
    delta = headline_delta(new, old)
    assert delta["repositories"] == 2
    assert delta["share_passing"] == pytest.approx(5 / 8 - 3 / 4)
    assert delta["level_silver"] == 1
    assert delta["red_builds"] == 1
    bare = guild_headline(analyse(snapshot_frames(tmp_path / "x", org()), None, today=TODAY))
    assert headline_delta(new, bare)["share_passing"] is None
    assert headline_delta(new, None) == {}


def test_worst_findings_come_most_severe_first(analysis: Analysis) -> None:
    worst = worst_findings(analysis)
    assert list(zip(worst["severity"], worst["repo"], worst["standard"], strict=True)) == [
        ("critical", "pay-old", "no-hold"),
        ("medium", "notes", "readme"),
        ("medium", "pay-old", "readme"),
    ]
    assert len(worst_findings(analysis, limit=1)) == 1
