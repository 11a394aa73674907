"""The tech-lead meeting's agenda: what changed since the last snapshot, in the order the meeting
talks about it, as sections of big numbers and short tables.

Pure pandas over `standards.diff.SnapshotDiff` and two `Headline`s (one per snapshot), so the
Meeting page and the slide deck show the same sections, numbers and rows. Each section's tables
come twice: `frame`, one row per thing to talk about (a standard, a technology, a repository) with
readable column names, most important first; and `rows`, every diff row behind it.

Without a snapshot to compare with there is no diff: the agenda is the headline without deltas,
and what the standards file says by itself (waivers expired or expiring, standards due).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from standards import diff as diff_
from standards.analysis import Analysis
from standards.levels import LEVEL_ORDER, compliance, scores
from standards.metrics import RING_ORDER, none_for_missing
from standards.model import SEVERITIES, Standards

#: Rows a slide lists before "and N more".
ROWS_SHOWN = 8
#: Teams named in a cell before "+N more".
TEAMS_NAMED = 3
#: Days ahead a waiver counts as expiring (as `standards.diff.diff_snapshots` judges it).
EXPIRING_WITHIN_DAYS = 30
#: The rings a new technology is talked about first: the ones nobody agreed on.
RING_CONCERN = ("hold", "unreviewed", "assess", "trial", "adopt")
assert set(RING_CONCERN) == set(RING_ORDER)


@dataclass(frozen=True)
class Headline:
    """One snapshot's headline numbers (active repositories only); shares NaN without standards."""

    repositories: int
    share_passing: float
    score: float
    failing: int  # findings failing
    waived: int  # findings waived
    levels: tuple[tuple[str, int], ...]  # (level, repositories), "none" first


def headline(analysis: Analysis) -> Headline:
    """The headline numbers of one (narrowed) snapshot: cheap, and cached per snapshot by the page."""
    repos = analysis.repos[~analysis.repos["archived"].to_numpy(dtype=bool)]
    share = score = math.nan
    if analysis.standards is not None and not analysis.results.empty:
        share = float(compliance(analysis.results, by=()).loc[0, "share_passing"])
        score = float(scores(analysis.results, by=()).loc[0, "score"])
    counts = repos["level"].value_counts()
    levels = tuple((level, int(counts.get(level, 0))) for level in LEVEL_ORDER)
    return Headline(
        repositories=len(repos),
        share_passing=share,
        score=score,
        failing=int(repos["failing"].sum()),
        waived=int(repos["waived"].sum()),
        levels=levels,
    )


@dataclass(frozen=True)
class Number:
    """A big number on a slide: its value, and its change since the compared snapshot."""

    label: str
    value: float | None
    delta: float | None = None
    unit: str = "count"  # count, share (0..1), score (0..100)
    better: str = "neither"  # higher, lower, neither: which way a change is good
    help: str = ""

    def text(self) -> str:
        """`1,204`, `73%`, `81`; an en dash when unknown."""
        if self.value is None or _nan(self.value):
            return "–"
        if self.unit == "share":
            return f"{self.value:.0%}"
        if self.unit == "score":
            return f"{self.value:.0f}"
        return f"{int(self.value):,}"

    def delta_text(self) -> str | None:
        """`+3`, `-1.5 pts` (a share's change in percentage points), `+2.0`; `±0` (`±0 pts`) when
        the change rounds to nothing as written; None when unknown."""
        if self.delta is None or _nan(self.delta):
            return None
        if self.unit == "share":
            return points_text(self.delta)
        if self.unit == "score":
            return f"{self.delta:+.1f}" if round(self.delta, 1) else "±0"
        return f"{int(self.delta):+,d}" if self.delta else "±0"


def points_text(delta: float) -> str:
    """A change of a share in percentage points: `+1.2 pts`, `-0.4 pts`, `±0 pts` (never `-0.0`)."""
    points = round(delta * 100, 1)
    return f"{points:+.1f} pts" if points else "±0 pts"


@dataclass(frozen=True)
class Table:
    """What a slide lists (`frame`, readable columns, most important first) and every row behind it."""

    title: str
    frame: pd.DataFrame
    rows: pd.DataFrame
    empty: str  # what to say when there is nothing


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    summary: str
    numbers: tuple[Number, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Agenda:
    sections: tuple[Section, ...]
    compared: bool  # False: no snapshot to compare with, so no changes

    def __len__(self) -> int:
        return len(self.sections)

    def at(self, position: int) -> Section:
        """The section at a 1-based position, clamped to the first and the last."""
        return self.sections[min(max(position, 1), len(self.sections)) - 1]


def clamp_section(raw: object, count: int) -> int:
    """A 1-based section position from the address: a whole number clamped to 1..count; anything
    else (missing, text) is the first."""
    text = str(raw).strip() if raw is not None else ""
    try:
        position = int(text)
    except ValueError:
        return 1
    return min(max(position, 1), max(count, 1))


def top(frame: pd.DataFrame, n: int = ROWS_SHOWN) -> tuple[pd.DataFrame, int]:
    """The first `n` rows, and how many more there are."""
    return frame.head(n), max(len(frame) - n, 0)


def more_text(hidden: int) -> str:
    """`and 4 more`, or "" when nothing is hidden."""
    return f"and {hidden:,} more" if hidden else ""


# --- the agenda ------------------------------------------------------------------------------------------


def agenda(
    diff: diff_.SnapshotDiff | None,
    now: Headline,
    before: Headline | None,
    *,
    standards: Standards | None,
    today: date,
) -> Agenda:
    """The sections in the meeting's order. With a diff: headline, what improved, what regressed,
    new technologies, repositories, waivers, standards due. Without one: headline (no deltas),
    waivers, standards due, worked out from the standards file alone."""
    if diff is None:
        expired, expiring, due = standing(standards, today)
        sections = (_headline(now, None), _waivers(expired, expiring), _standards_due(due))
        return Agenda(sections=sections, compared=False)
    sections = (
        _headline(now, before),
        _improved(diff),
        _regressed(diff),
        _technologies(diff.technologies_introduced),
        _repositories(diff),
        _waivers(diff.waivers_expired, diff.waivers_expiring),
        _standards_due(diff.standards_due),
    )
    return Agenda(sections=sections, compared=True)


def standing(standards: Standards | None, today: date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(waivers expired, waivers expiring, standards due) from the standards file alone, as a diff
    would give them; empty frames without a standards file."""
    if standards is None:
        standards = Standards()
    expired, expiring = diff_.waivers_due(standards, today, EXPIRING_WITHIN_DAYS)
    return expired, expiring, diff_.standards_due(standards, today)


def _headline(now: Headline, before: Headline | None) -> Section:
    def delta(attr: str) -> float | None:
        return None if before is None else getattr(now, attr) - getattr(before, attr)

    levels_before = dict(before.levels) if before is not None else {}
    numbers = [
        Number("Active repositories", now.repositories, delta("repositories"), "count", "neither"),
        Number("Findings passing", now.share_passing, delta("share_passing"), "share", "higher",
               "Share of applicable findings that pass (waived and errors do not)."),
        Number("Score", now.score, delta("score"), "score", "higher",
               "Severity-weighted share passing, 0-100."),
        Number("Failing findings", now.failing, delta("failing"), "count", "lower"),
        Number("Waived findings", now.waived, delta("waived"), "count", "lower", "Waived is debt, not a pass."),
    ]  # fmt: skip
    for level, count in reversed(now.levels):
        label = "No level" if level == LEVEL_ORDER[0] else f"{level.capitalize()} repositories"
        change = None if before is None else count - levels_before.get(level, 0)
        better = "lower" if level == LEVEL_ORDER[0] else "higher"
        numbers.append(Number(label, count, change, "count", better))
    summary = f"{now.repositories:,} active repositories"
    if not _nan(now.share_passing):
        summary += f" · {now.share_passing:.0%} of applicable findings pass"
    if before is not None and not _nan(now.share_passing) and not _nan(before.share_passing):
        summary += f" ({points_text(now.share_passing - before.share_passing)})"
    return Section("headline", "Headline", summary, tuple(numbers), ())


def _improved(diff: diff_.SnapshotDiff) -> Section:
    resolved = diff.findings_resolved
    upgrades = diff.version_changes[diff.version_changes["direction"] == "upgrade"].reset_index(drop=True)
    return Section(
        "improved",
        "What improved",
        f"{_count(len(resolved), 'finding')} resolved · {_count(len(upgrades), 'version upgrade')}",
        (
            Number("Findings resolved", len(resolved), better="higher"),
            Number("Version upgrades", len(upgrades), better="higher"),
        ),
        (
            Table("Findings resolved, by standard", findings_by_standard(resolved), resolved,
                  "No finding resolved."),
            Table("Version upgrades", changes_by_name(upgrades), upgrades, "No version upgraded."),
        ),
    )  # fmt: skip


def _regressed(diff: diff_.SnapshotDiff) -> Section:
    new = diff.findings_new
    downgrades = diff.version_changes[diff.version_changes["direction"] == "downgrade"].reset_index(drop=True)
    return Section(
        "regressed",
        "What regressed",
        f"{_count(len(new), 'new finding')} · {_count(len(downgrades), 'version downgrade')}",
        (
            Number("New findings", len(new), better="lower"),
            Number("Version downgrades", len(downgrades), better="lower"),
        ),
        (
            Table("New findings, by standard", findings_by_standard(new), new, "No new finding."),
            Table("Version downgrades", changes_by_name(downgrades), downgrades, "No version went back."),
        ),
    )


def _technologies(introduced: pd.DataFrame) -> Section:
    per_tech = technologies_by_name(introduced)
    new_to_org = int((per_tech["New to the organisation"] == "yes").sum())
    unagreed = int(per_tech["Ring"].isin(("hold", "unreviewed")).sum())
    repos = int(introduced["repo"].nunique())
    return Section(
        "technologies",
        "New technologies",
        f"{_count(len(per_tech), 'technology', 'technologies')} taken up in {_count(repos, 'repository', 'repositories')}"
        f" · {new_to_org} new to the organisation",
        (
            Number("Technologies taken up", len(per_tech), better="neither"),
            Number("New to the organisation", new_to_org, better="neither"),
            Number(
                "On hold or unreviewed",
                unagreed,
                better="lower",
                help="Technologies the radar puts on hold, or does not list: nobody agreed on them.",
            ),
        ),
        (Table("Technologies taken up", per_tech, introduced, "No repository took up a technology."),),
    )


def _repositories(diff: diff_.SnapshotDiff) -> Section:
    parts = (("Added", diff.repos_added), ("Removed", diff.repos_removed), ("Archived", diff.repos_archived))
    return Section(
        "repositories",
        "Repositories",
        " · ".join(f"{len(frame):,} {name.lower()}" for name, frame in parts),
        tuple(Number(f"Repositories {name.lower()}", len(frame)) for name, frame in parts),
        tuple(
            Table(f"Repositories {name.lower()}", _repo_table(frame), frame, f"No repository {name.lower()}.")
            for name, frame in parts
        ),
    )


def _waivers(expired: pd.DataFrame, expiring: pd.DataFrame) -> Section:
    return Section(
        "waivers",
        "Waivers",
        f"{len(expired):,} expired · {len(expiring):,} expiring within {EXPIRING_WITHIN_DAYS} days",
        (
            Number("Waivers expired", len(expired), better="lower", help="Their findings fail again."),
            Number(f"Expiring within {EXPIRING_WITHIN_DAYS} days", len(expiring), better="lower"),
        ),
        (
            Table("Waivers expired", waiver_table(expired, "days_ago"), expired, "No waiver has expired."),
            Table(
                f"Waivers expiring within {EXPIRING_WITHIN_DAYS} days",
                waiver_table(expiring, "days_left"),
                expiring,
                f"No waiver expires within {EXPIRING_WITHIN_DAYS} days.",
            ),
        ),
    )


def _standards_due(due: pd.DataFrame) -> Section:
    table = pd.DataFrame(
        {
            "Standard": due["title"].astype(object),
            "Id": due["id"].astype(object),
            "Owner": due["owner"].astype(object),
            "Review by": due["review_by"].astype(object),
            "Days overdue": due["days_overdue"].astype("int64"),
        }
    )
    return Section(
        "review",
        "Standards due for review",
        f"{_count(len(due), 'standard')} past the date the guild set to look at it again",
        (Number("Standards due for review", len(due), better="lower"),),
        (Table("Standards due for review", table, due, "No standard is due for review."),),
    )


# --- what a slide lists ----------------------------------------------------------------------------------


def findings_by_standard(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per standard: Standard (title), Severity, Repositories, Teams; most severe first,
    then most repositories, then title."""
    columns = ["Standard", "Severity", "Repositories", "Teams"]
    if findings.empty:
        return _empty(columns, ints=("Repositories",))
    grouped = findings.groupby("standard", sort=False)
    out = pd.DataFrame(
        {
            "Standard": grouped["title"].first(),
            "Severity": grouped["severity"].first(),
            "Repositories": grouped["repo"].nunique().astype("int64"),
            "Teams": ranked_text(findings, ["standard"], "team", TEAMS_NAMED),
        }
    )
    rank = out["Severity"].map({s: i for i, s in enumerate(SEVERITIES)}).fillna(-1)
    out = out.assign(_rank=-rank, _repos=-out["Repositories"])
    return out.sort_values(["_rank", "_repos", "Standard"], kind="stable")[columns].reset_index(drop=True)


def changes_by_name(changes: pd.DataFrame) -> pd.DataFrame:
    """One row per technology or runtime whose version moved: What, Repositories, Teams, Change
    (the commonest old -> new moves, with repositories each); most repositories first."""
    columns = ["What", "Repositories", "Teams", "Change"]
    if changes.empty:
        return _empty(columns, ints=("Repositories",))
    keys = ["kind", "name"]
    moved = changes.assign(move=changes["old_version"].astype(str) + " → " + changes["new_version"].astype(str))
    grouped = moved.groupby(keys, sort=True)
    names = grouped["name"].first()
    kinds = grouped["kind"].first()
    rows = pd.DataFrame(
        {
            "What": names.where(kinds == "technology", names + " (runtime)"),
            "Repositories": grouped["repo"].nunique(),
            "Teams": ranked_text(moved, keys, "team", TEAMS_NAMED),
            "Change": ranked_text(moved, keys, "move", 2, counts=True, more=", +{} more"),
        }
    )
    out = rows.reset_index(drop=True)[columns].astype({"Repositories": "int64"})
    out = out.assign(_repos=-out["Repositories"])
    return out.sort_values(["_repos", "What"], kind="stable")[columns].reset_index(drop=True)


def technologies_by_name(introduced: pd.DataFrame) -> pd.DataFrame:
    """One row per technology taken up: Technology, Category, Ring, New to the organisation
    (yes/no), Repositories, Teams. New to the organisation first, then by ring (hold, unreviewed,
    assess, trial, adopt: what nobody agreed on first), most repositories, name."""
    columns = ["Technology", "Category", "Ring", "New to the organisation", "Repositories", "Teams"]
    if introduced.empty:
        return _empty(columns, ints=("Repositories",))
    grouped = introduced.groupby("technology", sort=True)
    out = pd.DataFrame(
        {
            "Technology": grouped["technology"].first(),
            "Category": grouped["category"].first(),
            "Ring": grouped["ring"].first(),
            "New to the organisation": grouped["new_to_org"].any().map({True: "yes", False: "no"}),
            "Repositories": grouped["repo"].nunique().astype("int64"),
            "Teams": ranked_text(introduced, ["technology"], "team", TEAMS_NAMED),
        }
    )
    out = out.assign(
        _new=(out["New to the organisation"] != "yes").astype(int),
        _ring=out["Ring"].map({r: i for i, r in enumerate(RING_CONCERN)}).fillna(len(RING_CONCERN)),
        _repos=-out["Repositories"],
    )
    out = out.sort_values(["_new", "_ring", "_repos", "Technology"], kind="stable")
    return none_for_missing(out[columns].reset_index(drop=True))


def waiver_table(waivers: pd.DataFrame, days: str) -> pd.DataFrame:
    """Standard, Waived for (`repo x` or `team y`), Approver, Expires, and Days ago or Days left."""
    label = {"days_ago": "Days ago", "days_left": "Days left"}[days]
    subject = [
        f"repo {repo}" if isinstance(repo, str) and repo else f"team {team}"
        for repo, team in zip(waivers["repo"].tolist(), waivers["team"].tolist(), strict=True)
    ]
    return pd.DataFrame(
        {
            "Standard": waivers["standard"].astype(object),
            "Waived for": pd.Series(subject, index=waivers.index, dtype=object),
            "Approver": waivers["approver"].astype(object),
            "Expires": waivers["expires"].astype(object),
            label: waivers[days].astype("int64"),
        }
    ).reset_index(drop=True)


def teams_text(teams: pd.Series) -> str:
    """`payments, search +2 more`: the teams with the most rows first (then by name)."""
    frame = pd.DataFrame({"_all": 0, "team": teams.astype(str).to_numpy()})
    return str(ranked_text(frame, ["_all"], "team", TEAMS_NAMED).iloc[0]) if len(frame) else ""


def ranked_text(
    frame: pd.DataFrame,
    keys: list[str],
    column: str,
    limit: int,
    *,
    counts: bool = False,
    separator: str = ", ",
    more: str = " +{} more",
) -> pd.Series:
    """Per group of `keys`: the `limit` commonest values of `column` (most rows first, then by
    text) joined, each with its rows in brackets when `counts` and more than one, and `more`
    (a template, its own separator included) naming how many other values there are. One pass
    over the frame, whatever the number of groups."""
    tally = frame.groupby([*keys, column], sort=False).size().rename("_n").reset_index()
    tally = tally.sort_values([*keys, "_n", column], ascending=[True] * len(keys) + [False, True], kind="stable")
    tally["_rank"] = tally.groupby(keys, sort=False).cumcount()
    texts = tally[column].astype(str)
    if counts:
        texts = texts.where(tally["_n"] <= 1, texts + " (" + tally["_n"].astype(str) + ")")
    shown = tally.assign(_text=texts)[tally["_rank"] < limit].groupby(keys, sort=True)["_text"].agg(separator.join)
    others = (tally.groupby(keys, sort=True).size() - limit).clip(lower=0)
    suffix = others.map(lambda n: more.format(n) if n else "")
    return shown + suffix.reindex(shown.index, fill_value="")


def _repo_table(repos: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Repository": repos["repo"].astype(object), "Team": repos["team"].astype(object)})


def _empty(columns: list[str], *, ints: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in ints else object) for c in columns})


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def _nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)
