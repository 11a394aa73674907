"""standards.diff: what changed between two hand-built snapshots, with hand-built evaluation results
(so these tests do not depend on any rule), and the standards file's dates judged on a given day."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from collectors.facts import RepoFacts, Runtime, Technology
from standards.diff import (
    STANDARDS_DUE_COLUMNS,
    TECH_DROPPED_COLUMNS,
    TECH_INTRODUCED_COLUMNS,
    VERSION_CHANGE_COLUMNS,
    WAIVER_COLUMNS,
    SnapshotDiff,
    diff_snapshots,
)
from standards.evaluate import RESULT_COLUMNS as EVALUATE_COLUMNS
from standards.load import parse_standards
from standards.model import Standards, Waiver
from store.frames import frames_from_records

TODAY = date(2026, 6, 15)

GUILD = parse_standards(
    """
radar:
  react: {ring: adopt, version: "^18"}
  fastapi: {ring: adopt}
  angular: {ring: hold, replace_with: react}
  vue: {ring: assess}
standards:
  - id: no-hold
    title: No technology on hold
    level: bronze
    severity: high
    rule: {kind: technology-ring}
    rationale: Hold technologies carry known risk.
    owner: architecture-guild
    review_by: 2026-06-01
  - id: readme
    title: A README
    level: bronze
    severity: low
    rule: {kind: file-exists, paths: [README*]}
    rationale: Newcomers start there.
    owner: docs-guild
    review_by: 2026-06-15
  - id: no-secrets
    title: No secrets in the repository
    level: bronze
    severity: critical
    rule: {kind: file-exists, paths: [.gitleaks.toml]}
    rationale: Leaked keys are incidents.
    owner: security
    review_by: 2026-06-16
waivers:
  - {standard: readme, repo: ui, reason: docs site instead, approver: jane, expires: 2026-06-14}
  - {standard: no-hold, team: shop, reason: migration in Q3, approver: raj, expires: 2026-06-15}
  - {standard: no-hold, repo: web, reason: react rewrite, approver: raj, expires: 2026-07-15}
  - {standard: readme, repo: api, reason: internal, approver: jane, expires: 2026-07-16}
"""
)


def t(name: str, category: str, version: str | None = None) -> Technology:
    return Technology(name, category, version, evidence="manifest")


OLD = frames_from_records(
    [
        RepoFacts(
            name="api",
            team="payments",
            technologies=[t("django", "web-framework", "4.0.10")],
            runtimes=[Runtime("python", "3.10", ".python-version")],
        ),
        RepoFacts(
            name="web",
            team="payments",
            technologies=[t("react", "frontend-framework", "17.0.2"), t("flask", "web-framework", "2.3.0")],
        ),
        RepoFacts(name="legacy", team="payments", technologies=[t("angular", "frontend-framework", "15.0.0")]),
        RepoFacts(name="shop", team="shop", technologies=[t("vue", "frontend-framework", "3.4.0")]),
        RepoFacts(
            name="ui",
            team="shop",
            technologies=[t("react", "frontend-framework", "18.2.0"), t("express", "web-framework")],
            runtimes=[Runtime("node", "lts", ".nvmrc")],
        ),
    ],
    snapshot_id=1,
)
NEW = frames_from_records(
    [
        RepoFacts(
            name="api",
            team="payments",
            technologies=[t("django", "web-framework", "4.2.11"), t("fastapi", "web-framework", "0.110.0")],
            runtimes=[Runtime("python", "3.12", ".python-version")],
        ),
        RepoFacts(name="web", team="payments", technologies=[t("react", "frontend-framework", "16.14.0")]),
        RepoFacts(name="shop", team="shop", archived=True, technologies=[t("vue", "frontend-framework", "3.4.0")]),
        RepoFacts(
            name="ui",
            team="shop",
            technologies=[t("react", "frontend-framework", "18.2.0"), t("express", "web-framework", "4.18.0")],
            runtimes=[Runtime("node", "20", ".nvmrc")],
        ),
        RepoFacts(
            name="search",
            team="search",
            technologies=[t("svelte", "frontend-framework", "4.2.0"), t("react", "frontend-framework", "18.3.1")],
        ),
    ],
    snapshot_id=2,
)

RESULT_COLUMNS = [c for c in EVALUATE_COLUMNS if c != "archived"]


def results(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    """Evaluation results as `standards.evaluate.evaluate` returns them, from (repo, team, standard, status)."""
    out = []
    for repo, team, standard, status in rows:
        std = GUILD.standard(standard)
        assert std is not None
        out.append(
            {
                "repo": repo,
                "team": team,
                "standard": standard,
                "title": std.title,
                "level": std.level,
                "severity": std.severity,
                "status": status,
                "detail": f"{standard} {status} on {repo}",
                "evidence": None,
                "found": None,
                "target": None,
                "waiver_reason": None,
                "waiver_approver": None,
                "waiver_expires": None,
                "waiver_expired": False,
            }
        )
    return pd.DataFrame(out, columns=RESULT_COLUMNS)


OLD_RESULTS = results(
    ("api", "payments", "no-hold", "pass"),
    ("legacy", "payments", "no-hold", "fail"),  # the repository is removed: not resolved
    ("web", "payments", "readme", "fail"),  # passes now: resolved
    ("ui", "shop", "readme", "fail"),  # waived now: not resolved
    ("shop", "shop", "readme", "fail"),  # archived now, not applicable: resolved
    ("api", "payments", "readme", "fail"),  # still failing: neither new nor resolved
    ("web", "payments", "no-hold", "waived"),  # the waiver went: a new finding
    ("ui", "shop", "no-hold", "error"),  # was not failing, passes now: not resolved
)
NEW_RESULTS = results(
    ("api", "payments", "no-hold", "fail"),
    ("web", "payments", "readme", "pass"),
    ("ui", "shop", "readme", "waived"),
    ("shop", "shop", "readme", "not-applicable"),
    ("api", "payments", "readme", "fail"),
    ("web", "payments", "no-hold", "fail"),
    ("web", "payments", "no-secrets", "fail"),  # a standard added since: new, most severe first
    ("search", "search", "no-hold", "fail"),  # a new repository
    ("search", "search", "readme", "error"),  # an error is not a failing finding
    ("ui", "shop", "no-hold", "pass"),
)


@pytest.fixture(scope="module")
def diff() -> SnapshotDiff:
    return diff_snapshots(OLD, NEW, GUILD, old_results=OLD_RESULTS, new_results=NEW_RESULTS, today=TODAY)


def rows(frame: pd.DataFrame, *cols: str) -> list[tuple]:
    return [tuple(r) for r in frame[list(cols)].itertuples(index=False)]


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("repos_added", [("search", "search")]),
        ("repos_removed", [("legacy", "payments")]),
        ("repos_archived", [("shop", "shop")]),
    ],
)
def test_repositories_added_removed_and_archived(diff: SnapshotDiff, part: str, expected: list[tuple]) -> None:
    frame = getattr(diff, part)
    assert list(frame.columns) == ["repo", "team"]
    assert rows(frame, "repo", "team") == expected


def test_new_findings_fail_now_and_did_not_fail_before(diff: SnapshotDiff) -> None:
    assert rows(diff.findings_new, "repo", "standard", "severity", "old_status") == [
        ("web", "no-secrets", "critical", None),
        ("api", "no-hold", "high", "pass"),
        ("web", "no-hold", "high", "waived"),
        ("search", "no-hold", "high", None),
    ]
    assert diff.findings_new.iloc[0]["title"] == "No secrets in the repository"
    assert diff.findings_new.iloc[0]["detail"] == "no-secrets fail on web"


def test_resolved_findings_pass_or_stop_applying_and_a_removed_repository_resolves_nothing(diff: SnapshotDiff) -> None:
    assert rows(diff.findings_resolved, "repo", "standard", "new_status", "detail") == [
        ("web", "readme", "pass", "readme fail on web"),
        ("shop", "readme", "not-applicable", "readme fail on shop"),
    ]


def test_technologies_introduced_flag_what_no_repository_used_before(diff: SnapshotDiff) -> None:
    assert list(diff.technologies_introduced.columns) == TECH_INTRODUCED_COLUMNS
    assert rows(diff.technologies_introduced, "repo", "technology", "version", "ring", "new_to_org", "repo_added") == [
        ("api", "fastapi", "0.110.0", "adopt", True, False),
        ("search", "svelte", "4.2.0", "unreviewed", True, True),
        ("search", "react", "18.3.1", "adopt", False, True),
    ]


def test_technologies_dropped_include_removed_and_archived_repositories(diff: SnapshotDiff) -> None:
    assert list(diff.technologies_dropped.columns) == TECH_DROPPED_COLUMNS
    assert rows(diff.technologies_dropped, "repo", "technology", "ring", "gone_from_org", "repo_gone") == [
        ("legacy", "angular", "hold", True, True),
        ("web", "flask", "unreviewed", True, False),
        ("shop", "vue", "assess", True, True),
    ]


def test_version_changes_say_the_direction_and_skip_a_version_that_only_appeared(diff: SnapshotDiff) -> None:
    assert list(diff.version_changes.columns) == VERSION_CHANGE_COLUMNS
    assert rows(diff.version_changes, "repo", "kind", "name", "old_version", "new_version", "direction") == [
        ("api", "technology", "django", "4.0.10", "4.2.11", "upgrade"),
        ("web", "technology", "react", "17.0.2", "16.14.0", "downgrade"),
        ("ui", "runtime", "node", "lts", "20", "changed"),  # "lts" is no version to compare
        ("api", "runtime", "python", "3.10", "3.12", "upgrade"),
    ]  # express had no version before: not listed


def test_waivers_and_standards_due_on_the_day(diff: SnapshotDiff) -> None:
    assert rows(diff.waivers_expired, "standard", "repo", "expires", "days_ago") == [
        ("readme", "ui", date(2026, 6, 14), 1)
    ]
    assert rows(diff.waivers_expiring, "standard", "team", "repo", "days_left") == [
        ("no-hold", "shop", None, 0),
        ("no-hold", None, "web", 30),
    ]  # api's expires in 31 days: outside the window
    assert rows(diff.standards_due, "id", "owner", "days_overdue") == [
        ("no-hold", "architecture-guild", 14),
        ("readme", "docs-guild", 0),
    ]


def test_summary_counts_every_part(diff: SnapshotDiff) -> None:
    assert diff.summary() == {
        "repos_added": 1,
        "repos_removed": 1,
        "repos_archived": 1,
        "findings_new": 4,
        "findings_resolved": 2,
        "technologies_introduced": 3,
        "technologies_dropped": 3,
        "version_changes": 4,
        "waivers_expired": 1,
        "waivers_expiring": 2,
        "standards_due": 2,
        "technologies_new_to_org": 2,
    }


@pytest.mark.parametrize(
    ("expires", "expired", "expiring"),
    [
        pytest.param(TODAY - timedelta(days=1), 1, None, id="the-day-after-expiry-it-has-expired"),
        pytest.param(TODAY, None, 0, id="on-its-last-day-it-still-holds"),
        pytest.param(TODAY + timedelta(days=1), None, 1, id="tomorrow"),
        pytest.param(TODAY + timedelta(days=30), None, 30, id="the-last-day-of-the-window"),
        pytest.param(TODAY + timedelta(days=31), None, None, id="outside-the-window"),
        pytest.param(TODAY - timedelta(days=400), 400, None, id="long-gone"),
    ],
)
def test_waiver_expiry_is_judged_on_its_last_day(expires: date, expired: int | None, expiring: int | None) -> None:
    waiver = Waiver(standard="readme", repo="api", reason="r", approver="a", expires=expires)
    diff = diff_snapshots(
        NEW,
        NEW,
        GUILD.model_copy(update={"waivers": [waiver]}),
        old_results=NEW_RESULTS,
        new_results=NEW_RESULTS,
        today=TODAY,
    )
    assert diff.waivers_expired["days_ago"].tolist() == ([expired] if expired is not None else [])
    assert diff.waivers_expiring["days_left"].tolist() == ([expiring] if expiring is not None else [])


def test_the_window_is_a_parameter() -> None:
    waiver = Waiver(standard="readme", team="shop", reason="r", approver="a", expires=TODAY + timedelta(days=8))
    guild = GUILD.model_copy(update={"waivers": [waiver]})
    for within, count in ((7, 0), (8, 1)):
        diff = diff_snapshots(
            NEW, NEW, guild, old_results=NEW_RESULTS, new_results=NEW_RESULTS, today=TODAY, within_days=within
        )
        assert len(diff.waivers_expiring) == count


@pytest.mark.parametrize(
    ("review_by", "due"),
    [
        pytest.param(TODAY, 0, id="today-is-due"),
        pytest.param(TODAY - timedelta(days=3), 3, id="overdue"),
        pytest.param(TODAY + timedelta(days=1), None, id="tomorrow-is-not-yet"),
    ],
)
def test_a_standard_is_due_for_review_on_its_review_date(review_by: date, due: int | None) -> None:
    std = GUILD.standards[0].model_copy(update={"review_by": review_by})
    guild = Standards(radar=GUILD.radar, standards=[std])
    diff = diff_snapshots(NEW, NEW, guild, old_results=NEW_RESULTS, new_results=NEW_RESULTS, today=TODAY)
    assert list(diff.standards_due.columns) == STANDARDS_DUE_COLUMNS
    assert diff.standards_due["days_overdue"].tolist() == ([due] if due is not None else [])


def test_a_snapshot_against_itself_changes_nothing_and_keeps_every_column() -> None:
    empty = frames_from_records([])
    no_results = results()
    quiet = Standards(radar=GUILD.radar)
    for old, new, old_r, new_r in ((NEW, NEW, NEW_RESULTS, NEW_RESULTS), (empty, empty, no_results, no_results)):
        diff = diff_snapshots(old, new, quiet, old_results=old_r, new_results=new_r, today=TODAY)
        assert set(diff.summary().values()) == {0}
        assert list(diff.waivers_expired.columns) == [*WAIVER_COLUMNS, "days_ago"]
        assert list(diff.waivers_expiring.columns) == [*WAIVER_COLUMNS, "days_left"]
        assert list(diff.findings_new.columns)[:6] == ["repo", "team", "standard", "title", "severity", "detail"]
        assert list(diff.technologies_introduced.columns) == TECH_INTRODUCED_COLUMNS
        assert list(diff.version_changes.columns) == VERSION_CHANGE_COLUMNS
