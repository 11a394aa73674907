"""Overview: how big the organisation is, who owns which repositories, and what each team writes.

Draws only: the numbers come from `standards.overview` (through the cached loader in
`pages.common`), the figures from `reports.charts`.
"""

from __future__ import annotations

import streamlit as st

from pages import common
from reports import charts

TEAM_KEY = "overview_team"
CHARTS = ("repos", "languages")


def _forget_chart_clicks() -> None:
    """A team picked in the list clears the charts' selection, so no bar stays highlighted for
    another team (a chart's selection resets when its key changes)."""
    st.session_state["overview_chart_rev"] = st.session_state.get("overview_chart_rev", 0) + 1
    for name in CHARTS:
        st.session_state[f"overview_clicked_{name}"] = None


view = common.require_view()
ov = common.load_overview(view.db_url, view.snapshot.id, view.generation, view.snapshot.taken_at)
head = ov.headline

st.title("Overview")
taken = f"{head.taken_at:%Y-%m-%d %H:%M} UTC" if head.taken_at is not None else view.snapshot.taken_at
st.caption(
    f"Snapshot {common.snapshot_label(view.snapshot)} · heads read {taken} · "
    f"{view.snapshot.source} `{view.snapshot.root}`"
)

# --- headline ---------------------------------------------------------------------------------------
cells = st.columns(6)
cells[0].metric(
    "Repositories",
    head.repositories,
    help=f"{head.active_repositories} active, {head.archived_repositories} archived",
    border=True,
)
cells[1].metric("Active repositories", head.active_repositories, help="Not archived", border=True)
cells[2].metric("Teams", head.teams, help="Owners found for the repositories, `unassigned` included", border=True)
cells[3].metric(
    "Languages",
    head.languages,
    help="Distinct programming and markup languages in active repositories",
    border=True,
)
cells[4].metric(
    "Dependencies",
    head.dependencies,
    help=f"Distinct packages (ecosystem and name), from {head.dependency_declarations} declarations",
    border=True,
)
cells[5].metric(
    "Warnings",
    head.warnings,
    help=f"Files the collection could not read, in {head.repositories_with_warnings} repositories",
    border=True,
)

# --- charts (a click on a bar picks the team below) ------------------------------------------------
rev = st.session_state.get("overview_chart_rev", 0)
left, right = st.columns(2)
with left:
    repos_event = st.plotly_chart(
        charts.repos_per_team(ov.repos_per_team),
        key=f"overview_repos_chart_{rev}",
        on_select="rerun",
        selection_mode="points",
        alt="Repositories per team, active and archived",
    )
with right:
    langs_event = st.plotly_chart(
        charts.language_bytes_per_team(ov.language_bytes),
        key=f"overview_languages_chart_{rev}",
        on_select="rerun",
        selection_mode="points",
        alt="Share of each team's bytes by language",
    )
for name, event in zip(CHARTS, (repos_event, langs_event), strict=True):
    clicked = common.team_from_selection(event)
    seen_key = f"overview_clicked_{name}"
    if clicked != st.session_state.get(seen_key):  # a new click (or a cleared one) moves the filter
        st.session_state[seen_key] = clicked
        st.session_state[TEAM_KEY] = clicked

# --- tables -------------------------------------------------------------------------------------------
teams_col, langs_col = st.columns([3, 2])
with teams_col:
    st.subheader("Teams")
    st.dataframe(
        ov.teams,
        hide_index=True,
        column_config={
            "team": st.column_config.TextColumn("Team"),
            "repositories": st.column_config.NumberColumn("Repositories"),
            "active": st.column_config.NumberColumn("Active"),
            "archived": st.column_config.NumberColumn("Archived"),
            "languages": st.column_config.NumberColumn("Languages", help="In active repositories"),
            "main_language": st.column_config.TextColumn("Main language", help="Most bytes, active repositories"),
            "dependencies": st.column_config.NumberColumn("Dependencies", help="Distinct packages"),
            "warnings": st.column_config.NumberColumn("Warnings"),
        },
    )
with langs_col:
    st.subheader("Top languages")
    st.dataframe(
        ov.top_languages.head(10),
        hide_index=True,
        column_config={
            "language": st.column_config.TextColumn("Language"),
            "bytes": st.column_config.NumberColumn("Bytes", format="bytes"),
            "share": st.column_config.ProgressColumn("Share", format="percent", min_value=0.0, max_value=1.0),
            "repositories": st.column_config.NumberColumn("Repositories"),
        },
    )

st.subheader("Repositories")
team = st.selectbox(
    "Team",
    options=ov.repos_per_team["team"].tolist(),
    index=None,
    key=TEAM_KEY,
    placeholder="All teams (or click a bar above)",
    on_change=_forget_chart_clicks,
)
st.dataframe(
    ov.repos_of(team),
    hide_index=True,
    column_config={
        "repo": st.column_config.TextColumn("Repository"),
        "team": st.column_config.TextColumn("Team"),
        "archived": st.column_config.CheckboxColumn("Archived"),
        "main_language": st.column_config.TextColumn("Main language"),
        "languages": st.column_config.NumberColumn("Languages"),
        "dependencies": st.column_config.NumberColumn("Dependencies"),
        "warnings": st.column_config.NumberColumn("Warnings"),
        "default_branch": st.column_config.TextColumn("Default branch"),
        "pushed_at": st.column_config.DatetimeColumn("Last push", format="distance"),
        "url": st.column_config.LinkColumn("Link", display_text="open"),
    },
)
