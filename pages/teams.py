"""Teams: how every team meets every standard, and one team in detail.

Draws only: the frames come from `standards.teams` (through `common.derived`, cached), the figures
from `reports.charts.compliance`. A click on a heatmap cell picks that team and standard below
(the rows behind the cell); a click on a team's bar picks the team. The pickers are bound to the
address (`?teams_team=payments&teams_standard=readme`), so a link reopens the same view.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from pages import common
from reports.charts import compliance as charts
from standards import teams as teams_
from standards.levels import LEVEL_ORDER

TEAM_KEY = "teams_team"
STANDARD_KEY = "teams_standard"
_REV_KEY = "teams_chart_rev"
_SEEN_CELL = "teams_clicked_cell"
_SEEN_BAR = "teams_clicked_bar"

#: A team's tables for a spreadsheet, and the deck with its appendix slide.
REPORT_FORMATS = ("xlsx", "csv", "pptx")

LEVEL_LABELS = {"none": "No level", "bronze": "Bronze", "silver": "Silver", "gold": "Gold"}


def _share_column(label: str, help_text: str) -> dict:
    """A share shown as a bar with a whole percentage (the frame's 0..1 share times 100, `_as_percent`)."""
    return st.column_config.ProgressColumn(label, format="%.0f%%", min_value=0, max_value=100, help=help_text)


def _as_percent(frame: pd.DataFrame, column: str = "share_passing") -> pd.DataFrame:
    """The share column as 0..100, for `_share_column` (a whole percentage reads at a distance)."""
    return frame.assign(**{column: frame[column] * 100})


FINDING_COLUMNS = {
    "severity": st.column_config.TextColumn("Severity"),
    "status": st.column_config.TextColumn("Status", help="Waived is not passed: it is debt with an expiry"),
    "repo": st.column_config.TextColumn("Repository"),
    "team": st.column_config.TextColumn("Team"),
    "standard": st.column_config.TextColumn("Standard"),
    "title": st.column_config.TextColumn("Title"),
    "level": st.column_config.TextColumn("Level"),
    "detail": st.column_config.TextColumn("What was found", width="large"),
    "evidence": st.column_config.TextColumn("Evidence", help="The file it was found in"),
    "found": st.column_config.TextColumn("Found"),
    "target": st.column_config.TextColumn("Target"),
    "waiver_reason": st.column_config.TextColumn("Waiver reason"),
    "waiver_approver": st.column_config.TextColumn("Approved by"),
    "waiver_expires": st.column_config.DateColumn("Waiver expires"),
    "waiver_expired": st.column_config.CheckboxColumn("Waiver expired"),
}


def _forget_chart_clicks() -> None:
    """A pick in a list clears the charts' selection (a chart's selection resets when its key
    changes), so no cell or bar stays highlighted for another team."""
    st.session_state[_REV_KEY] = st.session_state.get(_REV_KEY, 0) + 1
    st.session_state[_SEEN_CELL] = None
    st.session_state[_SEEN_BAR] = None


def _percent(share: float) -> str:
    return "n/a" if share is None or math.isnan(share) else charts.percent(share)


view = common.require_view()
title, export = st.columns([5, 1], vertical_alignment="bottom")
title.title("Teams")
with export:
    common.report_downloads(view, REPORT_FORMATS, key="teams")
st.caption(
    f"Snapshot {common.snapshot_label(view.snapshot)} · {view.filters.describe()} · judged on {view.today} (UTC)"
)
guild = common.require_standards(view)

matrix = common.derived(view, teams_.team_standard_matrix)
by_team = common.derived(view, teams_.team_compliance)
summary = common.derived(view, teams_.team_summary)

# --- across every team (a click picks the team, and the standard, below) ------------------------------
rev = st.session_state.get(_REV_KEY, 0)
heat_event = st.plotly_chart(
    charts.team_standard_heatmap(matrix),
    key=f"teams_heatmap_{rev}",
    on_select="rerun",
    selection_mode="points",
    alt="Share of applicable findings passing, per team and standard",
)
st.caption(
    "Each cell: the share of the team's applicable findings that pass. An orange corner and a second "
    "line (+N%) give the share waived: waived is debt, never passing. Grey cells (n/a): the standard "
    "applies to none of the team's repositories. Click a cell for the rows behind it."
)
bars_col, table_col = st.columns(2)
with bars_col:
    bars_event = st.plotly_chart(
        charts.compliance_by_team(by_team),
        key=f"teams_bars_{rev}",
        on_select="rerun",
        selection_mode="points",
        alt="Pass, waived, fail and error shares of each team's applicable findings",
    )
with table_col:
    st.subheader(
        "Levels per team",
        help="Active repositories at each level: a level is reached when its standards, "
        "and those of every level below, all pass (waived is not passing)",
    )
    st.dataframe(
        summary,
        hide_index=True,
        column_config={
            "team": st.column_config.TextColumn("Team"),
            "repositories": st.column_config.NumberColumn("Repos", help="Active repositories", width="small"),
            "archived": None,
            **{lv: st.column_config.NumberColumn(LEVEL_LABELS[lv], help=f"Repositories at {lv}", width="small")
               for lv in LEVEL_ORDER},
            "applicable": None,
            "share_passing": None,  # the bars beside say it, with waived and failing
            "waived": None,
            "fail": None,
            "error": None,
        },
    )  # fmt: skip

cell = charts.cell_from_selection(heat_event)
if cell != st.session_state.get(_SEEN_CELL):  # a new click on a cell picks its team and standard
    st.session_state[_SEEN_CELL] = cell
    if cell is not None:
        st.session_state[TEAM_KEY], st.session_state[STANDARD_KEY] = cell
bar = common.team_from_selection(bars_event)
if bar != st.session_state.get(_SEEN_BAR):  # a new click on a bar picks that team, every standard
    st.session_state[_SEEN_BAR] = bar
    if bar is not None:
        st.session_state[TEAM_KEY], st.session_state[STANDARD_KEY] = bar, None

# --- one team -----------------------------------------------------------------------------------------
team_options = summary["team"].tolist()
standard_options = [s.id for s in guild.standards]
for key, options in ((TEAM_KEY, team_options), (STANDARD_KEY, standard_options)):
    if st.session_state.get(key) not in (None, *options):  # filtered out since it was picked
        st.session_state[key] = None

st.header("Team detail")
pick_team, pick_standard = st.columns(2)
team = pick_team.selectbox(
    "Team",
    options=team_options,
    index=None,
    key=TEAM_KEY,
    bind="query-params",
    placeholder="Pick a team (or click a bar or a cell above)",
    on_change=_forget_chart_clicks,
)
standard = pick_standard.selectbox(
    "Standard",
    options=standard_options,
    index=None,
    key=STANDARD_KEY,
    bind="query-params",
    placeholder="Every standard (or click a cell above)",
    on_change=_forget_chart_clicks,
    help="With a team: that team's results for the standard (a cell of the heatmap); alone: every team's.",
)

if standard is not None:
    found = guild.standard(standard)
    whose = f"team {team}" if team else "every team"
    st.subheader(f"{found.title if found else standard}: {whose}")
    rows = common.derived(view, teams_.cell_results, team, standard)
    if rows.empty:
        st.info("No repositories in view for this standard.", icon=":material/info:")
    else:
        st.dataframe(
            rows,
            hide_index=True,
            column_order=["status", "repo", *([] if team else ["team"]), "detail", "evidence", "found", "target", "waiver_reason",
                          "waiver_expires", "waiver_expired"],
            column_config=FINDING_COLUMNS,
        )  # fmt: skip

if team is None:
    if standard is None:
        st.info(
            "Pick a team, or click a team's bar or a cell above, for its repositories, levels, findings and waivers.",
            icon=":material/groups:",
        )
    st.stop()

head = common.derived(view, teams_.team_headline, team)
before = common.derived(view, teams_.team_headline, team, snapshot=view.compare) if view.compare else None
st.subheader(f"Team {team}")
cells = st.columns(4)
cells[0].metric(
    "Repositories", head.repositories, help=f"Active repositories; {head.archived} archived not counted", border=True
)
delta, since = None, ""
if before is not None and not math.isnan(before.share_passing) and not math.isnan(head.share_passing):
    points = round(100 * (head.share_passing - before.share_passing))
    delta = f"{points:+d} pts" if points else None  # no arrow for no change
    since = f" · {f'{points:+d} points' if points else 'no change'} since {common.snapshot_label(view.compare)}"
cells[1].metric(
    "Share passing",
    _percent(head.share_passing),
    delta=delta,
    help=f"Of {head.applicable} applicable findings; waived ones are not passing{since}",
    border=True,
)
cells[2].metric("Failing findings", head.failing, help=f"{head.errors} more could not be judged (errors)", border=True)
cells[3].metric("Waived findings", head.waived, help="Debt with a name and an expiry, not passing", border=True)
cells = st.columns(4)
for cell, level in zip(cells, reversed(LEVEL_ORDER), strict=True):
    cell.metric(
        f"{LEVEL_LABELS[level]} repositories", head.levels[level], help=f"Active repositories at {level}", border=True
    )

st.subheader("Repositories")
st.dataframe(
    _as_percent(common.derived(view, teams_.team_repos, team)),
    hide_index=True,
    column_config={
        "repo": st.column_config.TextColumn("Repository"),
        "main_language": st.column_config.TextColumn("Main language"),
        "level": st.column_config.TextColumn("Level", help="The highest level whose standards (and those below) all pass"),
        "share_passing": _share_column("Passing", "Share of its applicable findings that pass"),
        "failing": st.column_config.NumberColumn("Failing"),
        "waived": st.column_config.NumberColumn("Waived"),
        "errors": st.column_config.NumberColumn("Errors"),
        "build": st.column_config.TextColumn("Build", help="Default branch (GitHub sources)"),
        "archived": st.column_config.CheckboxColumn("Archived"),
        "pushed_at": st.column_config.DatetimeColumn("Last push", format="distance"),
        "url": st.column_config.LinkColumn("Link", display_text="open"),
    },
)  # fmt: skip

st.subheader("Findings", help="Failing, error and waived results, the worst severity first")
findings = common.derived(view, teams_.team_findings, team)
if findings.empty:
    st.success(f"{team} has no failing, error or waived findings.", icon=":material/check_circle:")
else:
    st.dataframe(
        findings,
        hide_index=True,
        column_order=["severity", "status", "repo", "standard", "title", "level", "detail", "evidence", "found",
                      "target", "waiver_expires", "waiver_expired"],
        column_config=FINDING_COLUMNS,
    )  # fmt: skip

st.subheader(
    "Waivers", help="Waivers naming the team or one of its repositories: expired first, then soonest to expire"
)
waivers = common.derived(view, teams_.team_waivers, team)
if waivers.empty:
    st.caption(f"No waiver covers {team}.")
else:
    common.waivers_table(
        waivers, findings_help="Findings of this team it covers: waived while it holds, failing once expired"
    )
