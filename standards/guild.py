"""The Standards page's frames: the guild's standards with their reasons and current compliance,
their waivers with expiry, and a rejected standards file's problems as rows.

Pure pandas over an `Analysis` (a snapshot evaluated and narrowed to the sidebar's filters), so
the page calls these through `pages.common.derived` and the reports list the same rows. Archived
repositories never count (as in `standards.levels`). Waived is never passed: every share here is
of applicable findings (pass, fail, waived, error), and waived findings are counted apart.

Dates are judged on `analysis.today` (UTC). A standard is due for review on its `review_by` day
and after (as the meeting's `standards.diff.standards_due` says); a waiver holds through its
`expires` day, so it has expired from the day after.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from standards.analysis import Analysis
from standards.levels import compliance
from standards.metrics import none_for_missing
from standards.model import LEVELS, SEVERITIES, Standard, Standards

#: `standards_table`'s columns, in order.
STANDARD_COLUMNS = [
    "id",
    "title",
    "level",
    "severity",
    "kind",
    "rule",
    "applies_to",
    "owner",
    "review_by",
    "review_due",
    "review_in_days",
    "rationale",
    "tradeoffs",
    "links",
    "applicable",
    "pass",
    "waived",
    "fail",
    "error",
    "share_passing",
    "share_waived",
    "failing_repos",
]
#: `waivers_table`'s columns: `subject` says whom it covers in words, `days_left` is negative once
#: expired, `repositories` counts the findings it covers in the analysis (waived while it holds,
#: failing again once expired).
WAIVER_COLUMNS = [
    "standard",
    "title",
    "subject",
    "team",
    "repo",
    "reason",
    "approver",
    "expires",
    "days_left",
    "expired",
    "repositories",
]
#: `standard_findings`' columns.
FINDING_COLUMNS = [
    "repo",
    "team",
    "status",
    "detail",
    "evidence",
    "found",
    "target",
    "waiver_reason",
    "waiver_approver",
    "waiver_expires",
    "waiver_expired",
]
#: `problem_table`'s columns.
PROBLEM_COLUMNS = ["location", "path", "message"]

#: Statuses a standard has something to fix for, worst first: how findings are listed.
FINDING_ORDER = ("fail", "error", "waived")
#: Every status, in the order a standard's or a cell's rows are listed.
STATUS_ORDER = (*FINDING_ORDER, "pass", "not-applicable")
#: What an empty `applies_to` means.
EVERY_REPOSITORY = "every repository"

# `standards.load.Problem.__str__`: `file[:line]: path: message` (path `(top)` for the whole file)
_PROBLEM = re.compile(r"^(?P<location>.+?(?::\d+)?): (?P<path>[^\s:]+): (?P<message>.*)$")


@dataclass(frozen=True)
class GuildHeadline:
    """The figures at the top of the Standards page."""

    standards: int
    per_level: dict[str, int]  # bronze, silver, gold: standards of each level
    share_passing: float  # of applicable findings over every standard; NaN when nothing applies
    applicable: int
    waived: int  # findings waived
    reviews_due: int  # standards whose review_by is today or past
    waivers: int  # waivers in the file
    waivers_expired: int


def standards_table(analysis: Analysis) -> pd.DataFrame:
    """One row per standard, in the file's order: what it asks (kind, rule, applies_to), why
    (rationale, tradeoffs, links), who and when (owner, review_by, review_due, review_in_days) and
    how the repositories meet it now (status counts, shares of applicable, failing_repos)."""
    guild = analysis.standards
    if guild is None or not guild.standards:
        return _empty(STANDARD_COLUMNS)
    counts = compliance(analysis.results, by=["standard"]).set_index("standard")
    failing = active_results(analysis.results)
    failing_repos = failing[failing["status"] == "fail"].groupby("standard")["repo"].nunique()
    rows = []
    for s in guild.standards:
        got = counts.loc[s.id] if s.id in counts.index else None
        days = (s.review_by - analysis.today).days
        rows.append(
            {
                "id": s.id,
                "title": s.title,
                "level": s.level,
                "severity": s.severity,
                "kind": s.rule.kind,
                "rule": describe_rule(s),
                "applies_to": describe_applies_to(s),
                "owner": s.owner,
                "review_by": s.review_by,
                "review_due": days <= 0,
                "review_in_days": days,
                "rationale": s.rationale,
                "tradeoffs": s.tradeoffs or None,
                "links": list(s.links),
                **{c: int(got[c]) if got is not None else 0 for c in ("applicable", "pass", "waived", "fail", "error")},
                "share_passing": float(got["share_passing"]) if got is not None else np.nan,
                "share_waived": float(got["share_waived"]) if got is not None else np.nan,
                "failing_repos": int(failing_repos.get(s.id, 0)),
            }
        )
    out = pd.DataFrame(rows, columns=STANDARD_COLUMNS)
    ints = ["review_in_days", "applicable", "pass", "waived", "fail", "error", "failing_repos"]
    out = out.astype({**dict.fromkeys(ints, "int64"), "review_due": "bool", "share_passing": "float64",
                      "share_waived": "float64"})  # fmt: skip
    return none_for_missing(out)


def guild_headline(analysis: Analysis) -> GuildHeadline:
    """How many standards of each level, the share of applicable findings passing, reviews due,
    waivers and how many of them expired."""
    guild = analysis.standards or Standards()
    total = compliance(analysis.results, by=()).iloc[0]
    return GuildHeadline(
        standards=len(guild.standards),
        per_level={lv: sum(s.level == lv for s in guild.standards) for lv in LEVELS},
        share_passing=float(total["share_passing"]),
        applicable=int(total["applicable"]),
        waived=int(total["waived"]),
        reviews_due=sum(s.review_by <= analysis.today for s in guild.standards),
        waivers=len(guild.waivers),
        waivers_expired=sum(w.expires < analysis.today for w in guild.waivers),
    )


def standard_findings(analysis: Analysis, standard: str) -> pd.DataFrame:
    """The repositories one standard has something to say against (fail, error, waived), worst
    status first, then by team and repository."""
    rows = active_results(analysis.results)
    rows = rows[(rows["standard"] == standard) & rows["status"].isin(FINDING_ORDER)]
    return sort_by_status(rows, ["team", "repo"])[FINDING_COLUMNS]


def waivers_table(analysis: Analysis, team: str | None = None) -> pd.DataFrame:
    """The file's waivers (only those covering `team` when given: naming it, or a repository glob
    matching one of its repositories), expired first, then the soonest to expire.

    `repositories` counts the active findings each waiver covers in the analysis (of `team` when
    given). A finding several waivers match is covered by the one the evaluation chose, recognised
    by its standard, reason, approver and expiry.
    """
    guild = analysis.standards
    if guild is None or not guild.waivers:
        return _empty(WAIVER_COLUMNS)
    results = active_results(analysis.results)
    if team is not None:
        results = results[results["team"] == team]
    covered = results[(results["status"] == "waived") | results["waiver_expired"].astype(bool)]
    counts = covered.groupby(["standard", "waiver_reason", "waiver_approver", "waiver_expires"]).size()
    repos = analysis.repos.loc[analysis.repos["team"] == team, "repo"].tolist() if team is not None else []
    rows = []
    for w in guild.waivers:
        if team is not None and w.team != team and not (w.repo and _matches_any(w.repo, repos)):
            continue
        found = guild.standard(w.standard)
        days = (w.expires - analysis.today).days
        rows.append(
            {
                "standard": w.standard,
                "title": found.title if found else None,
                "subject": f"team {w.team}" if w.team else f"repositories {w.repo}",
                "team": w.team,
                "repo": w.repo,
                "reason": w.reason,
                "approver": w.approver,
                "expires": w.expires,
                "days_left": days,
                "expired": days < 0,
                "repositories": int(counts.get((w.standard, w.reason, w.approver, w.expires), 0)),
            }
        )
    out = pd.DataFrame(rows, columns=WAIVER_COLUMNS)
    if out.empty:
        return _empty(WAIVER_COLUMNS)
    out = out.astype({"days_left": "int64", "expired": "bool", "repositories": "int64"})
    # expiry ascending puts the expired (before today) first, the longest expired leading
    out = out.sort_values(["expires", "standard", "subject"], kind="stable").reset_index(drop=True)
    return none_for_missing(out)


def problem_table(problem: str | None) -> pd.DataFrame:
    """A rejected standards file's problems (`standards.load.StandardsError`'s text, one per line)
    as rows: location (file and line), path in the file, message. A line of another shape (a
    missing file) is all message."""
    rows = []
    for line in (problem or "").splitlines():
        if not line.strip():
            continue
        match = _PROBLEM.match(line.strip())
        if match:
            rows.append(match.groupdict())
        else:
            rows.append({"location": None, "path": None, "message": line.strip()})
    return none_for_missing(pd.DataFrame(rows, columns=PROBLEM_COLUMNS, dtype=object))


def describe_rule(standard: Standard) -> str:
    """The rule's settings in one line (`allowed: github-actions, gitlab-ci`), its kind left out;
    settings left at an empty value are not named."""
    settings = standard.rule.model_dump(exclude={"kind"}, exclude_defaults=False)
    return _describe(settings) or "(defaults)"


def describe_applies_to(standard: Standard) -> str:
    """Which repositories the standard is about, in one line; `EVERY_REPOSITORY` when unrestricted."""
    settings = standard.applies_to.model_dump()
    if not settings.get("archived"):
        settings.pop("archived", None)
    return _describe(settings) or EVERY_REPOSITORY


def _describe(settings: dict[str, Any]) -> str:
    parts = []
    for key, value in settings.items():
        if value in (None, "", [], {}):
            continue
        parts.append(f"{key.replace('_', ' ')}: {_value(value)}")
    return "; ".join(parts)


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _matches_any(glob: str, names: list[str]) -> bool:
    """A waiver's repository glob against repository names, case-insensitively as evaluation does."""
    pattern = glob.lower()
    return any(fnmatch.fnmatchcase(name.lower(), pattern) for name in names)


def active_results(results: pd.DataFrame) -> pd.DataFrame:
    """Results of active repositories: archived ones never count."""
    return results[~results["archived"].astype(bool)]


def sort_by_status(rows: pd.DataFrame, then: list[str], *, severity_first: bool = False) -> pd.DataFrame:
    """Rows in `STATUS_ORDER` (the worst severity before that when asked), then by `then`."""
    keys = {"_status": rows["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})}
    if severity_first:
        rank = {s: -i for i, s in enumerate(SEVERITIES)}  # critical first
        keys = {"_severity": rows["severity"].map(rank), **keys}
    out = rows.assign(**keys).sort_values([*keys, *then], kind="stable").drop(columns=list(keys))
    return out.reset_index(drop=True)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
