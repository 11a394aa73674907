"""standards.agenda: the meeting's sections from a real diff of two hand-built snapshots evaluated
by the real rules, and the small pieces (numbers, positions, the tables a slide lists) table-driven."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from collectors.catalog import load_catalog
from collectors.facts import RepoFacts, Runtime, Technology
from standards import agenda as ag
from standards.analysis import Analysis, analyse
from standards.diff import diff_snapshots
from standards.load import parse_standards
from store.frames import frames_from_records

TODAY = date(2026, 11, 28)


def standards_yaml(today: date) -> str:
    """The guild's file, its dates set from `today`: no-hold is 27 days past its review, one waiver
    expired 8 days ago, one expires in 12 days, one in half a year."""

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    return f"""
radar:
  react: {{ring: adopt, version: "^18"}}
  fastapi: {{ring: adopt}}
  vue: {{ring: assess}}
  angular: {{ring: hold, replace_with: react}}
  jquery: {{ring: hold, replace_with: react}}
standards:
  - id: no-hold
    title: No technology on hold
    level: bronze
    severity: high
    rule: {{kind: technology-ring, unreviewed: false}}
    rationale: Hold technologies carry known risk.
    owner: architecture-guild
    review_by: {day(-27)}
  - id: python-311
    title: Python 3.11 or newer
    level: silver
    severity: medium
    rule: {{kind: version, runtime: python, constraint: ">=3.11"}}
    rationale: 3.10 leaves security support in 2026.
    owner: python-guild
    review_by: {day(185)}
waivers:
  - {{standard: no-hold, repo: old-*, reason: retired next quarter, approver: cto, expires: {day(-8)}}}
  - {{standard: python-311, team: data, reason: pinned by the vendor, approver: raj, expires: {day(12)}}}
  - {{standard: python-311, team: ops, reason: far off, approver: raj, expires: {day(185)}}}
"""


GUILD = parse_standards(standards_yaml(TODAY))


def tech(name: str, version: str | None = None) -> Technology:
    return Technology(name, load_catalog()[name].category, version, evidence="package.json")


def python(version: str) -> Runtime:
    return Runtime("python", version, evidence=".python-version")


def october() -> list[RepoFacts]:
    """web-a on React 17 beside Angular (on hold); api on Python 3.12; gone and old-app still there."""
    return [
        RepoFacts(name="web-a", team="web", technologies=[tech("react", "17.0.2"), tech("angular", "15.0.0")]),
        RepoFacts(name="web-b", team="web", technologies=[tech("react", "18.2.0")]),
        RepoFacts(name="api", team="shop", runtimes=[python("3.12")]),
        RepoFacts(name="gone", team="shop", runtimes=[python("3.9")]),
        RepoFacts(name="old-app", team="shop", technologies=[tech("react", "18.2.0")]),
    ]


def november() -> list[RepoFacts]:
    """web-a moved to React 18 and dropped Angular; web-b took up Vue and jQuery; api went back to
    Python 3.10; new-svc (FastAPI) is new, gone is gone, old-app is archived."""
    return [
        RepoFacts(name="web-a", team="web", technologies=[tech("react", "18.2.0")]),
        RepoFacts(name="web-b", team="web",
                  technologies=[tech("react", "18.2.0"), tech("vue", "3.4.0"), tech("jquery", "3.7.1")]),
        RepoFacts(name="api", team="shop", runtimes=[python("3.10")]),
        RepoFacts(name="new-svc", team="shop", technologies=[tech("fastapi", "0.110.0")]),
        RepoFacts(name="old-app", team="shop", archived=True, technologies=[tech("react", "18.2.0")]),
    ]  # fmt: skip


def analysis(repos: list[RepoFacts], sid: int) -> Analysis:
    return analyse(frames_from_records(repos, snapshot_id=sid), GUILD, today=TODAY)


@pytest.fixture(scope="module")
def plan() -> ag.Agenda:
    old, new = analysis(october(), 1), analysis(november(), 2)
    diff = diff_snapshots(old.frames, new.frames, GUILD, old_results=old.results, new_results=new.results, today=TODAY)
    return ag.agenda(diff, ag.headline(new), ag.headline(old), standards=GUILD, today=TODAY)


def section(plan: ag.Agenda, key: str) -> ag.Section:
    return next(s for s in plan.sections if s.key == key)


def numbers(sec: ag.Section) -> dict[str, tuple[str, str | None]]:
    return {n.label: (n.text(), n.delta_text()) for n in sec.numbers}


# --- headline ----------------------------------------------------------------------------------------------


def test_headline_counts_active_repositories_findings_and_levels() -> None:
    # november: web-a pass/n.a.; web-b fail (jQuery); api pass/fail (3.10); new-svc pass/n.a.
    h = ag.headline(analysis(november(), 2))
    assert h.repositories == 4
    assert h.share_passing == pytest.approx(3 / 5)
    assert h.score == pytest.approx(100 * (4 + 4 + 4) / (4 * 4 + 2))
    assert (h.failing, h.waived) == (2, 0)
    assert h.levels == (("none", 1), ("bronze", 1), ("silver", 2), ("gold", 0))


def test_headline_without_standards_has_no_shares_and_no_levels() -> None:
    h = ag.headline(analyse(frames_from_records(november()), None, today=TODAY))
    assert h.repositories == 4
    assert math.isnan(h.share_passing) and math.isnan(h.score)
    assert dict(h.levels) == {"none": 0, "bronze": 0, "silver": 0, "gold": 0}


def test_the_sections_come_in_the_meetings_order(plan: ag.Agenda) -> None:
    assert [s.key for s in plan.sections] == [
        "headline", "improved", "regressed", "technologies", "repositories", "waivers", "review",
    ]  # fmt: skip
    assert [s.title for s in plan.sections][:3] == ["Headline", "What improved", "What regressed"]
    assert plan.compared and len(plan) == 7


def test_the_headline_gives_each_number_and_its_change(plan: ag.Agenda) -> None:
    # october: web-a fail, web-b pass, api pass x2, gone pass/fail, old-app pass: 5 of 7 applicable
    got = numbers(section(plan, "headline"))
    assert got["Active repositories"] == ("4", "-1")
    assert got["Findings passing"] == ("60%", "-11.4 pts")
    assert got["Failing findings"] == ("2", "±0")
    assert got["Silver repositories"] == ("2", "-1")
    assert section(plan, "headline").summary == "4 active repositories · 60% of applicable findings pass (-11.4 pts)"


def test_what_improved_lists_resolved_findings_by_standard_and_upgrades(plan: ag.Agenda) -> None:
    sec = section(plan, "improved")
    assert numbers(sec) == {"Findings resolved": ("1", None), "Version upgrades": ("1", None)}
    resolved, upgrades = sec.tables
    assert resolved.frame.to_dict("records") == [
        {"Standard": "No technology on hold", "Severity": "high", "Repositories": 1, "Teams": "web"}
    ]
    assert resolved.rows["repo"].tolist() == ["web-a"]
    assert upgrades.frame.to_dict("records") == [
        {"What": "react", "Repositories": 1, "Teams": "web", "Change": "17.0.2 → 18.2.0"}
    ]
    assert sec.summary == "1 finding resolved · 1 version upgrade"


def test_what_regressed_lists_new_findings_most_severe_first_and_downgrades(plan: ag.Agenda) -> None:
    sec = section(plan, "regressed")
    new, downgrades = sec.tables
    assert new.frame["Standard"].tolist() == ["No technology on hold", "Python 3.11 or newer"]
    assert new.frame["Severity"].tolist() == ["high", "medium"]
    assert downgrades.frame.to_dict("records") == [
        {"What": "python (runtime)", "Repositories": 1, "Teams": "shop", "Change": "3.12 → 3.10"}
    ]


def test_new_technologies_put_what_is_new_to_the_organisation_and_not_agreed_first(plan: ag.Agenda) -> None:
    sec = section(plan, "technologies")
    table = sec.tables[0].frame
    assert table[["Technology", "Ring", "New to the organisation"]].values.tolist() == [
        ["jquery", "hold", "yes"],
        ["vue", "assess", "yes"],
        ["fastapi", "adopt", "yes"],
    ]
    assert numbers(sec)["On hold or unreviewed"] == ("1", None)
    assert sec.summary == "3 technologies taken up in 2 repositories · 3 new to the organisation"


def test_repositories_added_removed_and_archived(plan: ag.Agenda) -> None:
    sec = section(plan, "repositories")
    assert [t.frame["Repository"].tolist() for t in sec.tables] == [["new-svc"], ["gone"], ["old-app"]]
    assert sec.summary == "1 added · 1 removed · 1 archived"


def test_waivers_expired_and_expiring_name_what_they_waive(plan: ag.Agenda) -> None:
    expired, expiring = section(plan, "waivers").tables
    assert expired.frame.to_dict("records") == [
        {"Standard": "no-hold", "Waived for": "repo old-*", "Approver": "cto", "Expires": date(2026, 11, 20),
         "Days ago": 8}
    ]  # fmt: skip
    assert expiring.frame[["Waived for", "Days left"]].values.tolist() == [["team data", 12]]


def test_standards_due_for_review(plan: ag.Agenda) -> None:
    table = section(plan, "review").tables[0].frame
    assert table[["Id", "Owner", "Days overdue"]].values.tolist() == [["no-hold", "architecture-guild", 27]]


def test_without_a_diff_the_agenda_is_the_headline_and_the_standards_file() -> None:
    plan = ag.agenda(None, ag.headline(analysis(november(), 2)), None, standards=GUILD, today=TODAY)
    assert not plan.compared
    assert [s.key for s in plan.sections] == ["headline", "waivers", "review"]
    assert all(n.delta is None for n in plan.sections[0].numbers)
    assert plan.sections[0].summary == "4 active repositories · 60% of applicable findings pass"
    assert [len(t.frame) for t in plan.sections[1].tables] == [1, 1]
    assert len(plan.sections[2].tables[0].frame) == 1


def test_without_a_diff_or_standards_the_standing_items_are_empty() -> None:
    expired, expiring, due = ag.standing(None, TODAY)
    assert expired.empty and expiring.empty and due.empty
    plan = ag.agenda(None, ag.headline(analysis(november(), 2)), None, standards=None, today=TODAY)
    assert [t.empty for t in plan.sections[1].tables] == [
        "No waiver has expired.",
        "No waiver expires within 30 days.",
    ]


# --- positions and pieces ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 1), ("", 1), ("abc", 1), ("2.5", 1), ("0", 1), ("-3", 1), ("1", 1), (" 3 ", 3), ("7", 7), ("99", 7)],
)
def test_a_section_position_clamps_to_the_first_and_the_last(raw: str | None, expected: int) -> None:
    assert ag.clamp_section(raw, 7) == expected


def test_the_agenda_at_a_position_clamps_too(plan: ag.Agenda) -> None:
    assert plan.at(3).key == "regressed"
    assert plan.at(0).key == "headline"
    assert plan.at(42).key == "review"


@pytest.mark.parametrize(
    ("number", "text", "delta"),
    [
        (ag.Number("n", 1204, 3), "1,204", "+3"),
        (ag.Number("n", 12, -4), "12", "-4"),
        (ag.Number("n", 12, 0), "12", "±0"),
        (ag.Number("n", 0.734, 0.0125, unit="share"), "73%", "+1.2 pts"),
        (ag.Number("n", 0.734, 0.0, unit="share"), "73%", "±0 pts"),
        (ag.Number("n", 0.734, -0.0004, unit="share"), "73%", "±0 pts"),
        (ag.Number("n", 81.0, -0.04, unit="score"), "81", "±0"),
        (ag.Number("n", 81.26, -2.04, unit="score"), "81", "-2.0"),
        (ag.Number("n", math.nan, math.nan, unit="share"), "–", None),
        (ag.Number("n", 5), "5", None),
    ],
)
def test_numbers_read_as_a_slide_shows_them(number: ag.Number, text: str, delta: str | None) -> None:
    assert (number.text(), number.delta_text()) == (text, delta)


@pytest.mark.parametrize(("rows", "shown", "hidden", "said"), [(3, 3, 0, ""), (8, 8, 0, ""), (11, 8, 3, "and 3 more")])
def test_top_rows_and_how_many_more(rows: int, shown: int, hidden: int, said: str) -> None:
    head, more = ag.top(pd.DataFrame({"x": range(rows)}))
    assert (len(head), more, ag.more_text(more)) == (shown, hidden, said)


@pytest.mark.parametrize(
    ("teams", "expected"),
    [
        (["web"], "web"),
        (["shop", "web", "web"], "web, shop"),
        (["a", "b", "c", "d", "e", "d"], "d, a, b +2 more"),
    ],
)
def test_teams_text_names_the_busiest_first(teams: list[str], expected: str) -> None:
    assert ag.teams_text(pd.Series(teams)) == expected


def test_findings_by_standard_orders_by_severity_then_repositories() -> None:
    findings = pd.DataFrame(
        [
            ("a", "t1", "readme", "A README", "low"),
            ("b", "t1", "readme", "A README", "low"),
            ("c", "t2", "readme", "A README", "low"),
            ("a", "t1", "secrets", "No secrets", "critical"),
            ("a", "t1", "ci", "CI configured", "low"),
        ],
        columns=["repo", "team", "standard", "title", "severity"],
    )
    out = ag.findings_by_standard(findings)
    assert out.values.tolist() == [
        ["No secrets", "critical", 1, "t1"],
        ["A README", "low", 3, "t1, t2"],
        ["CI configured", "low", 1, "t1"],
    ]


def test_changes_by_name_gives_the_commonest_moves_first() -> None:
    changes = pd.DataFrame(
        [
            ("a", "t", "technology", "spring-boot", "2.7.18", "3.2.5"),
            ("b", "t", "technology", "spring-boot", "2.7.18", "3.2.5"),
            ("c", "u", "technology", "spring-boot", "2.6.0", "3.2.5"),
            ("d", "u", "technology", "spring-boot", "2.5.0", "3.1.0"),
            ("e", "u", "runtime", "java", "11", "17"),
        ],
        columns=["repo", "team", "kind", "name", "old_version", "new_version"],
    )
    out = ag.changes_by_name(changes)
    assert out.values.tolist() == [
        ["spring-boot", 4, "t, u", "2.7.18 → 3.2.5 (2), 2.5.0 → 3.1.0, +1 more"],
        ["java (runtime)", 1, "u", "11 → 17"],
    ]


@pytest.mark.parametrize(
    "build",
    [ag.findings_by_standard, ag.changes_by_name, ag.technologies_by_name],
)
def test_a_slide_table_of_nothing_keeps_its_columns(build) -> None:
    columns = {
        ag.findings_by_standard: ["repo", "team", "standard", "title", "severity"],
        ag.changes_by_name: ["repo", "team", "kind", "name", "old_version", "new_version"],
        ag.technologies_by_name: ["repo", "team", "technology", "category", "ring", "new_to_org"],
    }[build]
    out = build(pd.DataFrame(columns=columns))
    assert out.empty
    assert "Repositories" in out.columns
