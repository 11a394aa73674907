"""Trends: a few numbers per team and for the organisation, one small frame per snapshot, then one
long frame over every snapshot for the Trends page and the reports.

`trend_point` runs once per snapshot (cached per snapshot by `pages.common.over_snapshots`), so it
reads what the analysis already holds (repository rows, evaluation results) and calls only the
metrics it needs, on only the facts they look at: 26 snapshots of 5,000 repositories each pay it.

Pure pandas, no Streamlit. Archived repositories never count (as in `standards.levels` and
`standards.metrics`). Without a standards file the columns that need one are NaN.

Versions on target (`share_on_target`) is weighted by repositories: of every (repository,
versioned thing with a target) pair of the team, the share on target, i.e. the sum of
`version_drift`'s `on_target` over the sum of its `repos`, over rows with a target. An unweighted
mean of the rows' shares would let one repository on an odd runtime weigh as much as 400 on the
main framework; the weighted share also adds up: the organisation's is the same sum over every team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from standards.analysis import Analysis
from standards.levels import compliance, scores
from standards.metrics import ORGANISATION, fragmentation, version_drift
from standards.model import Standards, VersionRule

#: One row per team (the organisation first), in this order.
POINT_COLUMNS = ["team", "repos", "share_passing", "score", "share_on_target", "effective_choices", "red_builds"]
#: `trend_frame`'s columns: the snapshot, then `POINT_COLUMNS`.
TREND_COLUMNS = ["snapshot_id", "taken_at", "label", *POINT_COLUMNS]


@dataclass(frozen=True)
class Metric:
    """How one trend column reads: its label, what it means, which way is better, its unit."""

    column: str
    label: str  # the selector's option and the legend's unit
    title: str  # a chart title
    axis: str  # the value axis title
    meaning: str  # one sentence under the selector
    unit: str  # "share" (0..1, shown as %), "score" (0..100), "count", "number"
    better: str  # "higher", "lower" or "neither"
    needs_standards: bool
    missing: str  # what to say when no snapshot has a value


#: The metrics a trend shows, in the selector's order (the label is the address's value).
METRICS: tuple[Metric, ...] = (
    Metric("share_passing", "Compliance", "Findings passing over time", "Findings passing",
           "Share of applicable findings that pass (waived and errors do not).", "share", "higher", True,
           "No standard applies to these repositories."),
    Metric("share_on_target", "Versions on target", "Versions on target over time", "Repositories on target",
           "Of every repository using a technology or runtime the guild set a version target for, the "
           "share on target.", "share", "higher", True,
           "The standards set no version target for anything these repositories use."),
    Metric("effective_choices", "Fragmentation", "Fragmentation over time", "Technologies per category",
           "How many technologies a category really uses, averaged over categories (1 = one way of "
           "doing it).", "number", "lower", False,
           "No technology found in these repositories."),
    Metric("score", "Score", "Score over time", "Score (0-100)",
           "Severity-weighted share of findings passing: a critical finding weighs 8, a low one 1.",
           "score", "higher", True, "No scored standard applies to these repositories."),
    Metric("red_builds", "Red builds", "Red builds over time", "Repositories with a red build",
           "Active repositories whose default branch's build is red.", "count", "lower", False,
           "No build health in these snapshots (local clones have none)."),
    Metric("repos", "Repositories", "Active repositories over time", "Active repositories",
           "Repositories not archived.", "count", "neither", False, "No repositories."),
)  # fmt: skip
METRIC_BY_LABEL = {m.label: m for m in METRICS}


def trend_point(analysis: Analysis) -> pd.DataFrame:
    """One snapshot's numbers: one row per team with an active repository, the organisation first
    (`ORGANISATION`), then teams by name; columns `POINT_COLUMNS`.

    - `repos`: active repositories; `red_builds`: those whose build is red (NaN when no
      repository of the snapshot has a known build: nothing was collected, not zero red).
    - `share_passing` (`levels.compliance`) and `score` (`levels.scores`): the organisation's from
      the teams' counts, so the results are grouped once.
    - `share_on_target`: see the module; `effective_choices`: the mean over categories of
      `metrics.fragmentation`'s effective choices.
    """
    repos = analysis.repos
    active = repos.loc[~repos["archived"].to_numpy(dtype=bool), ["team", "build"]]
    teams = sorted(set(active["team"]))
    index = pd.Index([ORGANISATION, *teams], name="team", dtype=object)

    counts = active.groupby("team").size()
    counts[ORGANISATION] = len(active)
    red = active.loc[active["build"] == "red"].groupby("team").size()
    red[ORGANISATION] = int(red.sum())
    red = red.reindex(index, fill_value=0).astype("float64")
    if not active["build"].notna().any():
        red[:] = np.nan

    out = pd.DataFrame(
        {
            "team": index.to_numpy(dtype=object),
            "repos": counts.reindex(index, fill_value=0).to_numpy(dtype="int64"),
            "share_passing": _compliance(analysis).reindex(index).to_numpy(dtype="float64"),
            "score": _score(analysis).reindex(index).to_numpy(dtype="float64"),
            "share_on_target": _on_target(analysis).reindex(index).to_numpy(dtype="float64"),
            "effective_choices": _effective_choices(analysis).reindex(index).to_numpy(dtype="float64"),
            "red_builds": red.to_numpy(dtype="float64"),
        }
    )
    return out[POINT_COLUMNS]


def _compliance(analysis: Analysis) -> pd.Series:
    """team -> share of applicable findings passing, the organisation's from the teams' sums."""
    if analysis.standards is None or analysis.results.empty:
        return pd.Series(dtype="float64")
    per_team = compliance(analysis.results, by=("team",)).set_index("team")
    shares = per_team["share_passing"].copy()
    applicable = int(per_team["applicable"].sum())
    shares[ORGANISATION] = per_team["pass"].sum() / applicable if applicable else np.nan
    return shares


def _score(analysis: Analysis) -> pd.Series:
    """team -> score; the organisation's is the weight-weighted mean of the teams' (which is the
    score of all their rows together: each team's score is its passed weight over its weight)."""
    if analysis.standards is None or analysis.results.empty:
        return pd.Series(dtype="float64")
    per_team = scores(analysis.results, by=("team",)).set_index("team")
    weighed = per_team[per_team["weight"] > 0]
    total = float(weighed["weight"].sum())
    out = per_team["score"].copy()
    out[ORGANISATION] = float((weighed["score"] * weighed["weight"]).sum() / total) if total else np.nan
    return out


def _on_target(analysis: Analysis) -> pd.Series:
    """team -> repositories on target over repositories counted, over drift rows with a target."""
    standards = analysis.standards
    if standards is None:
        return pd.Series(dtype="float64")
    technologies, runtimes = targeted_names(standards)
    frames = analysis.frames
    # version_drift works per (thing, team); only things that can have a target matter here
    narrowed = replace(
        frames,
        technologies=frames.technologies[frames.technologies["name"].isin(technologies)],
        runtimes=frames.runtimes[frames.runtimes["name"].isin(runtimes)],
    )
    drift = version_drift(standards, narrowed)
    drift = drift[drift["target"].notna()]
    if drift.empty:
        return pd.Series(dtype="float64")
    sums = drift.groupby("team")[["on_target", "repos"]].sum().astype("float64")
    sums.loc[ORGANISATION] = sums.sum()
    return sums["on_target"] / sums["repos"].where(sums["repos"] > 0)


def targeted_names(standards: Standards) -> tuple[set[str], set[str]]:
    """(technologies, runtimes) that may have a version target: on the radar with a version, or
    named by a `version` standard. A superset of what `metrics.version_drift` finds a target for,
    so narrowing the facts to these names leaves every row with a target as it was."""
    technologies = {name for name, entry in standards.radar.items() if entry.version}
    runtimes: set[str] = set()
    for standard in standards.standards:
        rule = standard.rule
        if isinstance(rule, VersionRule):
            if rule.technology:
                technologies.update({rule.technology, rule.technology.lower()})
            if rule.runtime:
                runtimes.add(rule.runtime)
    return technologies, runtimes


def _effective_choices(analysis: Analysis) -> pd.Series:
    """team -> mean over the categories it uses of the effective number of technologies."""
    frames = analysis.frames
    if frames.technologies.empty:
        return pd.Series(dtype="float64")
    frag = fragmentation(frames, by="team")
    return frag.groupby("team")["effective_choices"].mean()


def trend_frame(points: Sequence[tuple[int, str, str, pd.DataFrame]]) -> pd.DataFrame:
    """The snapshots' points as one long frame (`TREND_COLUMNS`): one row per (snapshot, team),
    oldest snapshot first, the organisation first within each. `points` are (snapshot id, taken
    at as ISO text, a label, `trend_point`'s frame)."""
    parts = [
        frame.assign(snapshot_id=int(sid), taken_at=pd.Timestamp(taken_at), label=label)
        for sid, taken_at, label, frame in points
    ]
    if not parts:
        empty = {c: pd.Series(dtype="float64") for c in POINT_COLUMNS}
        empty.update(
            snapshot_id=pd.Series(dtype="int64"),
            taken_at=pd.Series(dtype="datetime64[ns, UTC]"),
            label=pd.Series(dtype=object),
            team=pd.Series(dtype=object),
            repos=pd.Series(dtype="int64"),
        )
        return pd.DataFrame(empty)[TREND_COLUMNS]
    out = pd.concat(parts, ignore_index=True)
    out["taken_at"] = pd.to_datetime(out["taken_at"], utc=True)
    out = out.assign(_org=(out["team"] != ORGANISATION).astype(int))
    out = out.sort_values(["taken_at", "snapshot_id", "_org", "team"], kind="stable")
    return out[TREND_COLUMNS].reset_index(drop=True)


def teams_to_draw(frame: pd.DataFrame, chosen: Sequence[str] = (), limit: int = 7) -> tuple[list[str], int]:
    """(teams to draw a line for, how many teams were left out). The chosen teams when some are
    chosen, else every team; past `limit`, the biggest (active repositories in the newest snapshot
    they appear in), so a projector shows a readable chart. Sorted by name."""
    teams = frame.loc[frame["team"] != ORGANISATION, ["team", "repos", "taken_at"]]
    if chosen:
        teams = teams[teams["team"].isin(chosen)]
    latest = teams.sort_values("taken_at", kind="stable").drop_duplicates("team", keep="last")
    if len(latest) <= limit:
        return sorted(latest["team"]), 0
    biggest = latest.sort_values(["repos", "team"], ascending=[False, True], kind="stable").head(limit)
    return sorted(biggest["team"]), len(latest) - limit


def metric_summary(frame: pd.DataFrame, metric: Metric, teams: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per team (the organisation first, then by name): the metric's `first` and `latest`
    known values, `change` between them, and `values` (every snapshot's, oldest first, NaN where
    unknown) for a sparkline. `teams`: only these (and the organisation)."""
    rows = frame if teams is None else frame[frame["team"].isin([ORGANISATION, *teams])]
    wide = rows.pivot(index="team", columns="snapshot_id", values=metric.column)
    order = frame.drop_duplicates("snapshot_id")["snapshot_id"].tolist()
    wide = wide.reindex(columns=[s for s in order if s in wide.columns])
    out = []
    for team, values in wide.iterrows():
        known = values.dropna()
        first = float(known.iloc[0]) if len(known) else np.nan
        latest = float(known.iloc[-1]) if len(known) else np.nan
        out.append(
            {
                "team": team,
                "first": first,
                "latest": latest,
                "change": latest - first,
                "values": [None if pd.isna(v) else float(v) for v in values.tolist()],
            }
        )
    result = pd.DataFrame(out, columns=["team", "first", "latest", "change", "values"])
    result = result.assign(_org=(result["team"] != ORGANISATION).astype(int))
    return result.sort_values(["_org", "team"], kind="stable").drop(columns="_org").reset_index(drop=True)


def team_history(frame: pd.DataFrame, team: str) -> pd.DataFrame:
    """Every snapshot's numbers for one team (or the organisation), oldest first: the rows behind
    a point of the chart."""
    rows = frame[frame["team"] == team]
    return rows.drop(columns="team").reset_index(drop=True)
