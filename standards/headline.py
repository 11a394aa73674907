"""The guild's headline figures for one analysed snapshot, and the worst findings behind them.

The Overview page shows them with deltas against the compared snapshot, the meeting deck on its
first slide. Only active repositories count: archived ones reach no level and break no standard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import pandas as pd

from standards.analysis import Analysis
from standards.levels import LEVEL_ORDER, compliance
from standards.model import SEVERITIES
from standards.overview import Overview, overview

#: Columns of `worst_findings`, in order.
FINDING_COLUMNS = ["severity", "standard", "title", "repo", "team", "status", "detail", "evidence", "level"]
#: Statuses a finding has: failing, or broken by an error.
FINDING_STATUSES = ("fail", "error")


@dataclass(frozen=True)
class GuildHeadline:
    """Figures a tech lead reads first. `share_passing` is None without standards (or when
    nothing applies); `levels` counts active repositories per level (empty without standards)."""

    repositories: int  # active
    archived: int
    share_passing: float | None  # pass / applicable findings
    findings: int  # failing or errored (repository, standard) pairs
    waived: int
    levels: dict[str, int]
    hold_in_use: int  # technologies on hold that an active repository uses
    repos_on_hold: int  # active repositories using at least one of them
    red_builds: int  # active repositories whose default branch is red
    known_builds: int  # active repositories whose build state is known


def guild_headline(analysis: Analysis) -> GuildHeadline:
    repos = analysis.repos
    active = repos[~repos["archived"].to_numpy(dtype=bool)]
    results = analysis.results
    standards = analysis.standards
    share: float | None = None
    levels: dict[str, int] = {}
    if standards is not None and standards.standards:
        total = compliance(results, by=())
        value = float(total["share_passing"].iloc[0]) if len(total) else math.nan
        share = None if math.isnan(value) else value
        counts = active["level"].value_counts()
        levels = {level: int(counts.get(level, 0)) for level in LEVEL_ORDER}
    status = results["status"] if len(results) else pd.Series(dtype=object)
    live = ~results["archived"].to_numpy(dtype=bool) if len(results) else []
    hold_names = {n for n, e in standards.radar.items() if e.ring == "hold"} if standards is not None else set()
    techs = analysis.frames.technologies
    on_hold = techs[techs["name"].isin(hold_names) & techs["repo"].isin(active["repo"])]
    build = active["build"]
    return GuildHeadline(
        repositories=len(active),
        archived=int(repos["archived"].sum()),
        share_passing=share,
        findings=int(status[live].isin(FINDING_STATUSES).sum()) if len(results) else 0,
        waived=int((status[live] == "waived").sum()) if len(results) else 0,
        levels=levels,
        hold_in_use=int(on_hold["name"].nunique()),
        repos_on_hold=int(on_hold["repo"].nunique()),
        red_builds=int((build == "red").sum()),
        known_builds=int(build.notna().sum()),
    )


def headline_delta(new: GuildHeadline, old: GuildHeadline | None) -> dict[str, float | None]:
    """new minus old for every number (levels as `level_<name>`); None where either side has none."""
    if old is None:
        return {}
    out: dict[str, float | None] = {}
    for f in fields(GuildHeadline):
        a, b = getattr(new, f.name), getattr(old, f.name)
        if f.name == "levels":
            for level in LEVEL_ORDER:
                x, y = a.get(level), b.get(level)
                out[f"level_{level}"] = None if x is None or y is None else x - y
            continue
        out[f.name] = None if a is None or b is None else a - b
    return out


def worst_findings(analysis: Analysis, limit: int = 50) -> pd.DataFrame:
    """Failing and errored findings of active repositories, the most severe first (then the
    standard's order in the file, then repository): what to talk about first."""
    results = analysis.results
    if not len(results):
        return pd.DataFrame(columns=FINDING_COLUMNS)
    rows = results[results["status"].isin(FINDING_STATUSES) & ~results["archived"].to_numpy(dtype=bool)]
    order = {s.id: i for i, s in enumerate(analysis.standards.standards)} if analysis.standards else {}
    rank = {s: -i for i, s in enumerate(SEVERITIES)}
    rows = rows.assign(
        _sev=rows["severity"].map(rank).fillna(1), _std=rows["standard"].map(order).fillna(len(order))
    ).sort_values(["_sev", "_std", "repo"], kind="stable")
    return rows[FINDING_COLUMNS].head(limit).reset_index(drop=True)


def team_compliance(analysis: Analysis) -> pd.DataFrame:
    """Per team: findings by status and the share passing (`standards.levels.compliance`); the
    teams with nothing applicable are left out (they have no share to compare)."""
    out = compliance(analysis.results, by=["team"])
    return out[out["applicable"] > 0].reset_index(drop=True)


def facts_overview(analysis: Analysis) -> Overview:
    """The Overview's facts (sizes, teams, languages) of the filtered repositories."""
    return overview(analysis.frames)
