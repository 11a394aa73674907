"""Trends: compliance, versions on target, fragmentation (and more) over every snapshot, a line per
team and one for the organisation.

Draws only: each snapshot's numbers come from `standards.trends.trend_point`, worked out once per
snapshot through `common.over_snapshots` (cached per snapshot); the figure from
`reports.charts.trends`. The snapshots are worked out for the whole organisation under the
sidebar's languages and archived filters; the sidebar's teams only pick the lines, so changing
teams costs no snapshot again.

Address: `?trends_metric=Compliance` (the metric shown), `?trends_team=payments` (the team whose
numbers are listed below the chart).
"""

from __future__ import annotations

import time
from dataclasses import replace

import pandas as pd
import streamlit as st

from pages import common
from reports.charts import trends as trend_charts
from standards import trends
from standards.analysis import Filters
from standards.metrics import ORGANISATION

METRIC_KEY = "trends_metric"
TEAM_KEY = "trends_team"
#: Team lines drawn at most (with the organisation's): more is spaghetti on a projector.
MAX_LINES = 7
#: A snapshot that takes longer than this was not cached: show the progress from then on.
SLOW_SECONDS = 0.2
HISTORY_COLUMNS = ("label", "repos", "share_passing", "score", "share_on_target", "effective_choices", "red_builds")


def _points(view: common.View, filters: Filters) -> list[tuple[common.Snapshot, pd.DataFrame]]:
    """Every snapshot's point, oldest first. The first time (a snapshot not cached), a spinner and
    then a progress bar say how far it got."""
    snaps = sorted(view.snapshots, key=lambda s: (s.taken_at, s.id))
    slot = st.empty()
    out = []
    showing = False
    for i, snap in enumerate(snaps, start=1):
        started = time.perf_counter()
        one = replace(view, snapshots=(snap,))
        if showing:
            out += common.over_snapshots(one, trends.trend_point, filters=filters)
        else:  # a spinner shows only when this takes more than half a second: not on a cached run
            with st.spinner(f"Working out snapshot {i} of {len(snaps)} (once: then it is kept)…"):
                out += common.over_snapshots(one, trends.trend_point, filters=filters)
        showing = showing or time.perf_counter() - started > SLOW_SECONDS
        if showing:
            slot.progress(i / len(snaps), text=f"Working out snapshot {i} of {len(snaps)} (once: then it is kept)…")
    slot.empty()
    return out


def _pick_team_from_chart(event: object) -> None:
    clicked = common.team_from_selection(event)
    if clicked != st.session_state.get("trends_clicked"):  # a new click (or a cleared one) picks the team
        st.session_state["trends_clicked"] = clicked
        if clicked:
            st.session_state[TEAM_KEY] = trend_charts.ORGANISATION_NAME if clicked == ORGANISATION else clicked


def _scaled(values: pd.Series, metric: trends.Metric) -> pd.Series:
    """Shares as percentages for the tables."""
    return values * 100 if metric.unit == "share" else values


view = common.require_view()
st.title("Trends")

whole_org = Filters(languages=view.filters.languages, include_archived=view.filters.include_archived)
frame = trends.trend_frame(
    [(s.id, s.taken_at, common.snapshot_label(s), point) for s, point in _points(view, whole_org)]
)
taken = frame.drop_duplicates("snapshot_id")["taken_at"]
st.caption(
    f"{len(taken)} snapshot{'s' if len(taken) != 1 else ''} from {taken.min():%Y-%m-%d} to {taken.max():%Y-%m-%d}"
    f" · {view.filters.describe()} · the organisation line counts every team"
    + (" (of these languages)" if view.filters.languages else "")
)
if len(taken) == 1:
    st.info("Only one snapshot so far: collect another to see a trend.", icon=":material/timeline:")

labels = [m.label for m in trends.METRICS]
chosen_label = st.segmented_control(
    "Metric",
    labels,
    default="Compliance" if view.standards is not None else "Fragmentation",
    required=True,
    key=METRIC_KEY,
    bind="query-params",
    help="What the chart and the tables show; the address keeps it.",
)
metric = trends.METRIC_BY_LABEL[chosen_label or labels[0]]
better = {"higher": "Higher is better.", "lower": "Lower is better.", "neither": ""}[metric.better]
st.caption(f"{metric.meaning} {better}")

if metric.needs_standards and view.standards is None:
    common.standards_empty_state(view.guild)
    st.stop()

all_teams = sorted(set(frame["team"]) - {ORGANISATION})
teams = [t for t in all_teams if t in view.filters.teams] if view.filters.teams else all_teams
drawn, left_out = trends.teams_to_draw(frame, view.filters.teams, limit=MAX_LINES)
event = st.plotly_chart(
    trend_charts.trend_lines(
        frame[frame["team"].isin([ORGANISATION, *drawn])],
        metric,
        highlight=pd.Timestamp(view.snapshot.taken_at),
    ),
    key="trends_chart",
    on_select="rerun",
    selection_mode="points",
    alt=f"{metric.title}: the organisation and {len(drawn)} teams",
)
has_values = bool(frame[metric.column].notna().any())
if left_out and has_values:
    st.caption(
        f"Lines for the {len(drawn)} biggest of {len(drawn) + left_out} teams; pick teams in the sidebar to "
        "draw others. The table below lists every team."
    )
_pick_team_from_chart(event)

# --- every team: first, latest, change, and the line in small -------------------------------------------
if has_values:
    st.subheader(f"{metric.label} per team")
    summary = trends.metric_summary(frame, metric, teams=teams)
    unit_format = {"share": "%.0f%%", "score": "%.0f", "count": "%d", "number": "%.1f"}[metric.unit]
    change_format = {"share": "%+.0f pts", "score": "%+.0f", "count": "%+d", "number": "%+.1f"}[metric.unit]
    st.dataframe(
        summary.assign(
            team=summary["team"].replace({ORGANISATION: trend_charts.ORGANISATION_NAME}),
            first=_scaled(summary["first"], metric),
            latest=_scaled(summary["latest"], metric),
            change=_scaled(summary["change"], metric),
            values=[[v for v in values if v is not None] for values in summary["values"]],  # a gap: skipped
        ),
        hide_index=True,
        column_config={
            "team": st.column_config.TextColumn("Team"),
            "first": st.column_config.NumberColumn("First snapshot", format=unit_format),
            "latest": st.column_config.NumberColumn("Latest snapshot", format=unit_format),
            "change": st.column_config.NumberColumn("Change", format=change_format, help=better),
            "values": st.column_config.LineChartColumn("Over the snapshots", help="Oldest snapshot left"),
        },
    )

# --- one team's numbers, every snapshot: the rows behind a point ----------------------------------------
st.subheader("One team, every number")
team = st.selectbox(
    "Team",
    options=[trend_charts.ORGANISATION_NAME, *teams],
    index=None,
    key=TEAM_KEY,
    bind="query-params",
    placeholder="Pick a team (or click a point in the chart)",
)
if team is not None:
    history = trends.team_history(frame, ORGANISATION if team == trend_charts.ORGANISATION_NAME else team)
    history = history.assign(
        share_passing=history["share_passing"] * 100, share_on_target=history["share_on_target"] * 100
    ).dropna(axis="columns", how="all")  # no standards, no build health: no column of blanks
    st.dataframe(
        history,
        hide_index=True,
        column_order=[c for c in HISTORY_COLUMNS if c in history.columns],
        column_config={
            "label": st.column_config.TextColumn("Snapshot"),
            "repos": st.column_config.NumberColumn("Repositories", format="%d"),
            "share_passing": st.column_config.ProgressColumn(
                "Findings passing", format="%.0f%%", min_value=0, max_value=100
            ),
            "score": st.column_config.NumberColumn("Score", format="%.0f"),
            "share_on_target": st.column_config.ProgressColumn(
                "Versions on target", format="%.0f%%", min_value=0, max_value=100
            ),
            "effective_choices": st.column_config.NumberColumn(
                "Technologies per category", format="%.1f", help="Mean effective choices (fragmentation)"
            ),
            "red_builds": st.column_config.NumberColumn("Red builds", format="%d"),
        },
    )
