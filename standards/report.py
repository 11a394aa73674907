"""The report: every frame the exports draw, for one snapshot and the one it is compared with.

Built once from the analyses (the same ones the dashboard caches), then handed to each format in
`reports/` (deck, HTML, spreadsheet, CSV, Markdown, PDF): a format lays the frames out, it never
computes a number of its own, so the deck, the HTML page and the dashboard always agree.

The sections follow the tech-lead meeting: the headline with its deltas, compliance by team,
version drift, fragmentation, build health, what changed since the compared snapshot, waivers
expired and expiring, standards due for review, then one appendix per team. `tables` holds the
data behind them as flat sheets (repositories, findings, metrics, changes and every fact table)
for the spreadsheet and the CSV zip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from collectors.facts import RepoFacts
from standards import agenda as agenda_
from standards import guild as guild_
from standards import teams as teams_
from standards import technologies as tech_
from standards import trends as trends_
from standards import versions_view as versions_
from standards.analysis import Analysis, Filters, analyse, narrow
from standards.build_view import BuildView, build_view
from standards.diff import SnapshotDiff, diff_snapshots
from standards.evaluate import utc_today
from standards.load import load_standards
from store.config import StoreError
from store.db import Snapshot, Store, snapshot_label
from store.frames import FRAME_TABLES, load_frames

#: The columns of the `changes` table: one row per change between the two snapshots.
CHANGE_COLUMNS = ["change", "repo", "team", "subject", "before", "after", "detail"]
#: What each part of the snapshot diff is called in the `changes` table.
CHANGE_KINDS = {
    "repos_added": "repository added",
    "repos_removed": "repository removed",
    "repos_archived": "repository archived",
    "findings_new": "new finding",
    "findings_resolved": "finding resolved",
    "technologies_introduced": "technology introduced",
    "technologies_dropped": "technology dropped",
    "version_changes": "version changed",
    "waivers_expired": "waiver expired",
    "waivers_expiring": "waiver expiring",
    "standards_due": "standard due for review",
}
#: The fact tables exported as they are stored (one row per fact): every frame of a snapshot but
#: `repos` (the report has its own repositories table), so a new kind of fact is exported too.
FACT_TABLES = tuple(name for name in FRAME_TABLES if name != "repos")


@dataclass(frozen=True)
class TeamAppendix:
    """One team's page at the end of the deck: its numbers, its findings, its repositories."""

    team: str
    headline: teams_.TeamHeadline
    findings: pd.DataFrame  # standards.teams.team_findings: worst first
    repos: pd.DataFrame  # standards.teams.team_repos: lowest level first


@dataclass(frozen=True)
class Report:
    """Everything a report shows, ready to lay out."""

    title: str
    snapshot: Snapshot
    compare: Snapshot | None
    filters: Filters
    today: date
    generated_at: str  # ISO 8601 UTC, to the second
    standards_path: str | None  # the standards file judged by; None: facts only
    agenda: agenda_.Agenda  # headline numbers with deltas, changes, waivers, standards due
    team_compliance: pd.DataFrame  # standards.teams.team_compliance (charts.compliance.compliance_by_team)
    team_standard: pd.DataFrame  # standards.teams.team_standard_matrix (the heatmap)
    drift: pd.DataFrame  # standards.versions_view.matrix (charts.versions.drift_matrix)
    drift_summary: pd.DataFrame  # standards.versions_view.organisation: one row per technology or runtime
    fragmentation: pd.DataFrame  # standards.technologies.fragmentation (charts.technologies.fragmentation_heatmap)
    build: BuildView  # states per team (charts.build.build_states_per_team), repositories red first
    standards_table: pd.DataFrame  # standards.guild.standards_table
    teams: tuple[TeamAppendix, ...]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # sheet name -> flat frame
    #: The snapshot's repositories as `RepoFacts` (the JSON export's records), read only when asked:
    #: every repository of the snapshot, the caller keeps those in `tables["repositories"]`.
    records: Callable[[], list[RepoFacts]] = field(default=lambda: [], repr=False, compare=False)

    @property
    def subtitle(self) -> str:
        """`Snapshot #7 · 2026-11-20 · … · compared with #5 · … · all active repositories`."""
        compared = f"compared with {snapshot_label(self.compare)}" if self.compare else "no comparison"
        return f"Snapshot {snapshot_label(self.snapshot)} · {compared} · {self.filters.describe()}"

    @property
    def judged(self) -> bool:
        """True when a standards file was given (compliance, findings and waivers mean something)."""
        return self.standards_path is not None

    def section(self, key: str) -> agenda_.Section | None:
        """The agenda's section by key (`headline`, `improved`, `regressed`, `technologies`,
        `repositories`, `waivers`, `standards`); None when the agenda has no such section."""
        return next((s for s in self.agenda.sections if s.key == key), None)


def build_report(
    now: Analysis,
    before: Analysis | None,
    *,
    snapshot: Snapshot,
    compare: Snapshot | None,
    filters: Filters,
    standards_path: str | None,
    diff: SnapshotDiff | None = None,
    title: str = "Guild standards report",
    generated_at: datetime | None = None,
    records: Callable[[], list[RepoFacts]] | None = None,
) -> Report:
    """The report of `now` (already narrowed to `filters`), compared with `before` when given.

    `diff` may be passed when the caller has it cached (the dashboard); otherwise it is worked out
    here when both a comparison and standards are there.
    """
    if before is None:
        compare = None
    if diff is None and before is not None and now.standards is not None:
        diff = diff_snapshots(before.frames, now.frames, now.standards, old_results=before.results,
                              new_results=now.results, today=now.today)  # fmt: skip
    head_now = agenda_.headline(now)
    head_before = agenda_.headline(before) if before is not None else None
    plan = agenda_.agenda(diff, head_now, head_before, standards=now.standards, today=now.today)
    per_team = versions_.drift(now)
    org = versions_.organisation(now, per_team)
    build = build_view(now, snapshot.taken_at)
    when = (generated_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    report = Report(
        title=title,
        snapshot=snapshot,
        compare=compare,
        filters=filters,
        today=now.today,
        generated_at=when.isoformat(),
        standards_path=standards_path if now.standards is not None else None,
        agenda=plan,
        team_compliance=teams_.team_compliance(now),
        team_standard=teams_.team_standard_matrix(now),
        drift=versions_.matrix(per_team, org),
        drift_summary=org,
        fragmentation=tech_.fragmentation(now),
        build=build,
        standards_table=guild_.standards_table(now),
        teams=team_appendices(now),
        records=records or (lambda: []),
    )
    report.tables.update(data_tables(now, diff))
    return report


def team_appendices(analysis: Analysis) -> tuple[TeamAppendix, ...]:
    """One appendix per team with an active repository, by name. The repositories and results are
    split by team once, and each team's frames worked out on its own share (`standards.teams`'
    functions, given an analysis holding only that team): linear in the organisation, not in
    teams x repositories."""
    repos_of = dict(tuple(analysis.repos.groupby("team", sort=False, observed=True)))
    results_of = dict(tuple(analysis.results.groupby("team", sort=False, observed=True)))
    no_results = analysis.results.iloc[0:0]
    out = []
    for team in teams_.teams(analysis):
        own = replace(analysis, repos=repos_of[team], results=results_of.get(team, no_results))
        out.append(TeamAppendix(team, teams_.team_headline(own, team), teams_.team_findings(own, team),
                                teams_.team_repos(own, team)))  # fmt: skip
    return tuple(out)


def data_tables(analysis: Analysis, diff: SnapshotDiff | None) -> dict[str, pd.DataFrame]:
    """The flat tables behind the report, sheet name -> frame: repositories, findings (every
    evaluated pair that is not passing or not applicable), metrics (per team and the organisation),
    changes (since the compared snapshot), standards, waivers, then every fact table as stored,
    narrowed to the repositories in view."""
    results = analysis.results
    findings = results[results["status"].isin(("fail", "error", "waived"))].reset_index(drop=True)
    tables: dict[str, pd.DataFrame] = {
        "repositories": analysis.repos.reset_index(drop=True),
        "findings": findings,
        "metrics": trends_.trend_point(analysis),
        "changes": changes_table(diff),
        "standards": guild_.standards_table(analysis),
        "waivers": guild_.waivers_table(analysis),
    }
    for name in FACT_TABLES:
        tables[name] = getattr(analysis.frames, name).reset_index(drop=True)
    return tables


def changes_table(diff: SnapshotDiff | None) -> pd.DataFrame:
    """Every change of the diff as one long table (`CHANGE_COLUMNS`), in `CHANGE_KINDS` order."""
    if diff is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CHANGE_COLUMNS})
    parts: list[pd.DataFrame] = []
    for attr, change in CHANGE_KINDS.items():
        frame = getattr(diff, attr)
        if frame.empty:
            continue
        parts.append(pd.DataFrame({"change": change, **_change_columns(attr, frame)}))
    if not parts:
        return changes_table(None)
    out = pd.concat(parts, ignore_index=True).reindex(columns=CHANGE_COLUMNS)
    return out.astype(object).where(out.notna(), None)


def _change_columns(attr: str, frame: pd.DataFrame) -> dict[str, object]:
    """repo, team, subject, before, after, detail for one part of the diff."""

    def col(name: str) -> object:
        return frame[name].to_numpy(dtype=object) if name in frame else None

    if attr.startswith("repos_"):
        return {"repo": col("repo"), "team": col("team")}
    if attr == "findings_new":
        return {"repo": col("repo"), "team": col("team"), "subject": col("standard"), "before": col("old_status"),
                "after": "fail", "detail": col("detail")}  # fmt: skip
    if attr == "findings_resolved":
        return {"repo": col("repo"), "team": col("team"), "subject": col("standard"), "before": "fail",
                "after": col("new_status"), "detail": col("detail")}  # fmt: skip
    if attr.startswith("technologies_"):
        return {"repo": col("repo"), "team": col("team"), "subject": col("technology"), "after": col("version"),
                "detail": col("ring")}  # fmt: skip
    if attr == "version_changes":
        return {"repo": col("repo"), "team": col("team"), "subject": frame["kind"].astype(str) + " " + frame["name"].astype(str),
                "before": col("old_version"), "after": col("new_version"), "detail": col("direction")}  # fmt: skip
    if attr.startswith("waivers_"):
        return {"repo": col("repo"), "team": col("team"), "subject": col("standard"), "after": frame["expires"].astype(str),
                "detail": col("reason")}  # fmt: skip
    return {"subject": col("id"), "after": frame["review_by"].astype(str), "detail": col("owner")}


#: `--compare` values that mean "the snapshot before the reported one" and "no comparison".
COMPARE_PREVIOUS = "previous"
COMPARE_NONE = "none"


def report_from_store(
    store: Store,
    *,
    snapshot_ref: str = "latest",
    compare_ref: str = COMPARE_PREVIOUS,
    teams: tuple[str, ...] = (),
    standards_path: Path | None = None,
    today: date | None = None,
    title: str = "Guild standards report",
) -> Report:
    """The report the command line asks for: a snapshot (`ID|latest|label:TEXT`) compared with
    another (`ID|previous|label:TEXT|none`), narrowed to `teams`, judged by the standards file.

    Raises `StoreError` for an unknown snapshot or team and `StandardsError` for a bad standards
    file, each with a message a person can act on.
    """
    snapshot = store.resolve_snapshot(snapshot_ref)
    ref = (compare_ref or COMPARE_PREVIOUS).strip()
    if ref.lower() == COMPARE_NONE:
        compare = None
    elif ref.lower() == COMPARE_PREVIOUS:
        compare = store.snapshot_before(snapshot)
    else:
        compare = store.resolve_snapshot(ref)
        if compare.id == snapshot.id:
            raise StoreError(f"--compare {ref!r} is the reported snapshot itself; name an older one, or none")
    standards = load_standards(standards_path) if standards_path is not None else None
    judged_on = today or utc_today()
    filters = Filters(teams=tuple(sorted(set(teams))))
    now_whole = analyse(load_frames(store, snapshot.id), standards, today=judged_on)
    if teams:
        known = set(now_whole.repos["team"])
        unknown = sorted(set(teams) - known)
        if unknown:
            listed = ", ".join(sorted(known)[:20]) or "none"
            raise StoreError(f"no team {', '.join(map(repr, unknown))} in snapshot #{snapshot.id}; its teams: {listed}")
    now = narrow(now_whole, filters)
    before = None
    if compare is not None:
        before = narrow(analyse(load_frames(store, compare.id), standards, today=judged_on), filters)
    return build_report(now, before, snapshot=snapshot, compare=compare, filters=filters, title=title,
                        standards_path=str(standards_path) if standards_path is not None else None,
                        records=lambda: store.repo_facts(snapshot.id))  # fmt: skip
