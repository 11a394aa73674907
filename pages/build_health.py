"""Build health: is each default branch green, how reliable and how slow are its workflows, and
which CI providers and GitHub Actions the repositories use.

Draws only: the numbers come from `standards.build_view` (cached per snapshot and filters through
`common.derived`), the figures from `reports.charts.build`. Facts only: no standards file is
needed. Build states, workflows and checks come from a GitHub collection; CI files and actions
from the repositories' files, so a local snapshot still shows those. A click on a team's bar
segment (or the pickers) lists the repositories in that state; the picks stay in the address
(`?build_health_team=payments&build_health_state=red`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from collectors.facts import BUILD_STATES
from pages import common
from reports.charts import build as build_charts
from standards.build_view import PIN_KINDS, build_view
from standards.repository_view import repository_link

TEAM_KEY = "build_health_team"
STATE_KEY = "build_health_state"
REV_KEY = "build_health_chart_rev"
SEEN_KEY = "build_health_clicked"
#: Red repositories listed beside the chart, longest without a green first.
LONGEST_RED = 8
PIN_HELP = "; ".join(f"{kind}: {said}" for kind, _, said in PIN_KINDS)


def _forget_chart_clicks() -> None:
    """A pick in the lists clears the chart's selection (a chart's selection resets when its key changes)."""
    st.session_state[REV_KEY] = st.session_state.get(REV_KEY, 0) + 1
    st.session_state[SEEN_KEY] = None


def _links(frame: pd.DataFrame, snapshot: int) -> pd.DataFrame:
    """The frame with `page`: the repository's address on the Repository page."""
    return frame.assign(page=[repository_link(r, snapshot=snapshot) for r in frame["repo"]])


REPO_LINK = st.column_config.LinkColumn("Repository", display_text=r"repo=([^&]*)", help="Opens the repository's page")

view = common.require_view()
bv = common.derived(view, build_view, view.snapshot.taken_at)

st.title("Build health")
st.caption(
    f"Snapshot {common.snapshot_label(view.snapshot)} · {view.filters.describe()} · "
    f"default branches as read at {view.snapshot.taken_at[:16].replace('T', ' ')} UTC"
)

if bv.repos.empty:
    st.info("**No repositories here.** Widen the sidebar's filters.", icon=":material/filter_alt_off:")
    st.stop()

# --- the default branches ---------------------------------------------------------------------------------
if bv.collected == 0:
    st.info(
        "**No build health in this snapshot.** Whether a default branch is green, its workflows' success rates "
        "and durations, and the checks on its head come from a GitHub collection, not from the files: "
        f"this snapshot was read from a {view.snapshot.source} source. Collect from GitHub (or GitHub "
        "Enterprise) to see them here. CI providers and GitHub Actions, read from the files, are below.",
        icon=":material/build_circle:",
    )
    st.code("guildboard collect github ORG   # add --base-url https://HOST/api/v3 for GitHub Enterprise",
            language="bash")  # fmt: skip
else:
    totals = bv.totals()
    shown = len(bv.repos)
    cells = st.columns(5)
    cells[0].metric("Builds known", f"{bv.collected} of {shown}", help="Repositories with build health collected",
                    border=True)  # fmt: skip
    for cell, state in zip(cells[1:], BUILD_STATES, strict=True):
        cell.metric(
            state.capitalize(), totals[state], help=f"{totals[state] / shown:.0%} of the repositories shown",
            border=True,
        )  # fmt: skip

    rev = st.session_state.get(REV_KEY, 0)
    left, right = st.columns([3, 2], gap="large")
    with left:
        event = st.plotly_chart(
            build_charts.build_states_per_team(bv.states),
            key=f"build_health_states_chart_{rev}",
            on_select="rerun",
            selection_mode="points",
            alt="Default-branch build state per team",
        )
        st.caption("Teams with most red branches first. Click a segment to list its repositories below.")
    with right:
        st.subheader("Red the longest")
        red = bv.repos_of(state="red").sort_values("days_since_green", ascending=False, na_position="first")
        if red.empty:
            st.success("No default branch is red.", icon=":material/check_circle:")
        else:
            st.dataframe(
                _links(red.head(LONGEST_RED), view.snapshot.id),
                hide_index=True,
                placeholder="–",
                column_order=["page", "team", "days_since_green"],
                column_config={
                    "page": REPO_LINK,
                    "team": st.column_config.TextColumn("Team"),
                    "days_since_green": st.column_config.NumberColumn(
                        "Days since green", help="Empty: no green run seen", format="%d"
                    ),
                },
            )
    clicked = build_charts.build_click(event)
    clicked = clicked if clicked != (None, None) else None
    if clicked != st.session_state.get(SEEN_KEY):  # a new click (or a cleared one) moves the pickers
        st.session_state[SEEN_KEY] = clicked
        if clicked is not None:
            st.session_state[TEAM_KEY], st.session_state[STATE_KEY] = clicked

    st.subheader("Repositories")
    pick_team, pick_state = st.columns(2)
    team = pick_team.selectbox(
        "Team", options=bv.teams, index=None, key=TEAM_KEY, bind="query-params",
        placeholder="Every team (or click a bar above)", on_change=_forget_chart_clicks,
    )  # fmt: skip
    state = pick_state.selectbox(
        "State", options=list(BUILD_STATES), index=None, key=STATE_KEY, bind="query-params",
        placeholder="Every state (or click a bar above)", on_change=_forget_chart_clicks,
    )  # fmt: skip
    rows = bv.repos_of(team, state)
    st.caption(f"{len(rows)} repositories · red first · days since green counted to the snapshot's time")
    st.dataframe(
        _links(rows, view.snapshot.id).assign(median_min=rows["median_duration_s"] / 60),
        hide_index=True,
        placeholder="–",
        column_order=[
            "page",
            "team",
            "state",
            "reason",
            "success_rate",
            "median_min",
            "days_since_green",
            "workflows",
            "failing_checks",
        ],
        column_config={
            "page": REPO_LINK,
            "team": st.column_config.TextColumn("Team"),
            "state": st.column_config.TextColumn("State"),
            "reason": st.column_config.TextColumn("Why", width="large"),
            "success_rate": st.column_config.ProgressColumn(
                "Success rate",
                format="percent",
                min_value=0.0,
                max_value=1.0,
                help="The lowest of its workflows' (successes / completed runs of the latest runs)",
            ),
            "median_min": st.column_config.NumberColumn(
                "Median duration", format="%.1f min", help="The slowest workflow's median run time"
            ),
            "days_since_green": st.column_config.NumberColumn(
                "Days since green", format="%d", help="0: green now. Empty: no green run seen"
            ),
            "workflows": st.column_config.TextColumn("Workflows"),
            "failing_checks": st.column_config.NumberColumn("Failing checks", help="On the head commit"),
        },
    )
    workflows = bv.workflows
    if team is not None or state is not None:
        workflows = workflows[workflows["repo"].isin(rows["repo"])]
    with st.expander(f"Workflows of these repositories ({len(workflows)})"):
        st.dataframe(
            _links(workflows, view.snapshot.id).assign(median_min=workflows["median_duration_s"] / 60),
            hide_index=True,
            placeholder="–",
            column_order=[
                "page",
                "team",
                "workflow",
                "latest_conclusion",
                "success_rate",
                "median_min",
                "last_success_at",
                "runs",
                "path",
            ],
            column_config={
                "page": REPO_LINK,
                "team": st.column_config.TextColumn("Team"),
                "workflow": st.column_config.TextColumn("Workflow"),
                "latest_conclusion": st.column_config.TextColumn("Latest run", help="Empty: still running"),
                "success_rate": st.column_config.ProgressColumn(
                    "Success rate", format="percent", min_value=0.0, max_value=1.0
                ),
                "median_min": st.column_config.NumberColumn("Median duration", format="%.1f min"),
                "last_success_at": st.column_config.DatetimeColumn("Last green", format="distance"),
                "runs": st.column_config.NumberColumn("Runs looked at"),
                "path": st.column_config.TextColumn("File"),
            },
        )

# --- CI providers and actions ---------------------------------------------------------------------------
st.plotly_chart(build_charts.ci_providers_per_team(bv.providers), key="build_health_providers_chart",
                alt="CI providers per team: repositories using each")  # fmt: skip
st.subheader("GitHub Actions in use")
actions = bv.actions
if actions.empty:
    st.info("No GitHub Actions workflow uses an action in these repositories.", icon=":material/info:")
else:
    uses = int(actions["uses"].sum())
    pinned = int(actions.loc[actions["sha"], "uses"].sum())
    st.caption(
        f"{actions['action'].nunique()} actions in {len(actions)} versions · {pinned} of {uses} uses "
        "pinned to a commit sha (a tag can be moved by its owner; a sha cannot)"
    )
    st.dataframe(
        actions,
        hide_index=True,
        placeholder="–",
        column_config={
            "action": st.column_config.TextColumn("Action"),
            "ref": st.column_config.TextColumn("Version", help="The ref after @"),
            "pinned": st.column_config.TextColumn("Pinned to", help=PIN_HELP),
            "sha": st.column_config.CheckboxColumn("Sha-pinned"),
            "repositories": st.column_config.NumberColumn("Repositories"),
            "teams": st.column_config.TextColumn("Teams"),
            "uses": st.column_config.NumberColumn("Uses", help="`uses:` lines across workflow files"),
        },
    )
