"""Overview: how the organisation measures up against the guild's standards, and its shape.

Draws only: headline figures and findings come from `standards.headline`, the organisation's
shape from `standards.overview` (both through `common.derived`, cached by snapshot and filters),
the figures from `reports.charts`.
"""

from __future__ import annotations

import streamlit as st

from pages import common
from reports import charts
from reports.charts import compliance as compliance_charts
from standards import headline as hl

TEAM_KEY = "overview_team"
CHARTS = ("compliance", "repos", "languages")


def _forget_chart_clicks() -> None:
    """A team picked in the list clears the charts' selection, so no bar stays highlighted for
    another team (a chart's selection resets when its key changes)."""
    st.session_state["overview_chart_rev"] = st.session_state.get("overview_chart_rev", 0) + 1
    for name in CHARTS:
        st.session_state[f"overview_clicked_{name}"] = None


def _delta(value: float | None, *, percent: bool = False, lower_is_better: bool = False) -> dict:
    """st.metric's delta arguments: '+3' or '-1.5 pp' coloured by whether it is better; no arrow
    and no colour for no change; nothing without a comparison."""
    if value is None or since is None:
        return {}
    text = f"{value * 100:+.1f} pp" if percent else f"{value:+,.0f}"
    if abs(value) < (0.0005 if percent else 0.5):
        return {"delta": "no change", "delta_color": "off", "delta_arrow": "off", "delta_description": since}
    return {"delta": text, "delta_color": "inverse" if lower_is_better else "normal", "delta_description": since}


#: Every report format: the Overview is the whole picture.
REPORT_FORMATS = ("pptx", "html", "xlsx", "csv", "md", "json", "pdf")

view = common.require_view()
head = common.derived(view, hl.guild_headline)
before = common.derived(view, hl.guild_headline, snapshot=view.compare) if view.compare else None
delta = hl.headline_delta(head, before)
facts = common.derived(view, hl.facts_overview)

title, export = st.columns([5, 1], vertical_alignment="bottom")
title.title("Overview")
with export:
    common.report_downloads(view, REPORT_FORMATS, key="overview")
compared = f" · compared with {common.snapshot_label(view.compare)}" if view.compare else " · no comparison"
st.caption(f"Snapshot {common.snapshot_label(view.snapshot)}{compared} · {view.filters.describe()}")

# --- headline: the guild's figures, with deltas against the compared snapshot ------------------------
since = f"since #{view.compare.id}" if view.compare else None
judged = view.standards is not None
archived_help = f"; {head.archived} archived " + (
    "listed too" if view.filters.include_archived else "left out (sidebar: include archived)"
)
top = st.columns(5)
top[0].metric(
    "Repositories",
    f"{head.repositories:,}",
    help="Active repositories the filters keep" + archived_help,
    border=True,
    **_delta(delta.get("repositories")),
)
top[1].metric(
    "Red default branches",
    f"{head.red_builds:,}",
    help=f"Build state known for {head.known_builds} repositories (a GitHub collection reads it)",
    border=True,
    **_delta(delta.get("red_builds"), lower_is_better=True),
)
if judged:
    share = "–" if head.share_passing is None else f"{head.share_passing:.0%}"
    top[2].metric(
        "Findings passing",
        share,
        help="Share of applicable (repository, standard) findings that pass. Waived is not passing.",
        border=True,
        **_delta(delta.get("share_passing"), percent=True),
    )
    top[3].metric(
        "Failing findings",
        f"{head.findings:,}",
        help=f"Failing or errored findings; {head.waived} more are waived",
        border=True,
        **_delta(delta.get("findings"), lower_is_better=True),
    )
    top[4].metric(
        "On hold, in use",
        head.hold_in_use,
        help=f"Technologies the radar puts on hold, still used by {head.repos_on_hold} active repositories",
        border=True,
        **_delta(delta.get("hold_in_use"), lower_is_better=True),
    )
    row = st.columns(6)
    for cell, level in zip(row[:4], ("none", "bronze", "silver", "gold"), strict=True):
        cell.metric(
            "No level" if level == "none" else level.capitalize(),
            head.levels.get(level, 0),
            help="Repositories whose highest level reached is this one"
            + (" (not even bronze)" if level == "none" else ""),
            **_delta(delta.get(f"level_{level}"), lower_is_better=level == "none"),
        )
    facts_cells = row[4:]
else:
    facts_cells = top[2:4]
facts_cells[0].metric("Teams", facts.headline.teams, help="Owners of the repositories shown")
facts_cells[1].metric(
    "Warnings",
    facts.headline.warnings,
    help=f"Files the collection could not read, in {facts.headline.repositories_with_warnings} repositories",
)
if not judged:
    common.standards_note(view.guild)

# --- charts (a click on a bar picks the team below) ------------------------------------------------
rev = st.session_state.get("overview_chart_rev", 0)
events: dict[str, object] = {}
left, right = st.columns(2)
if judged:
    with left:
        events["compliance"] = st.plotly_chart(
            compliance_charts.compliance_by_team(common.derived(view, hl.team_compliance)),
            key=f"overview_compliance_chart_{rev}",
            on_select="rerun",
            selection_mode="points",
        )
    with right:
        events["repos"] = st.plotly_chart(
            charts.repos_per_team(facts.repos_per_team),
            key=f"overview_repos_chart_{rev}",
            on_select="rerun",
            selection_mode="points",
        )
else:
    with left:
        events["repos"] = st.plotly_chart(
            charts.repos_per_team(facts.repos_per_team),
            key=f"overview_repos_chart_{rev}",
            on_select="rerun",
            selection_mode="points",
        )
    with right:
        events["languages"] = st.plotly_chart(
            charts.language_bytes_per_team(facts.language_bytes),
            key=f"overview_languages_chart_{rev}",
            on_select="rerun",
            selection_mode="points",
        )
for name, event in events.items():
    clicked = common.team_from_selection(event)
    seen_key = f"overview_clicked_{name}"
    if clicked != st.session_state.get(seen_key):  # a new click (or a cleared one) moves the filter
        st.session_state[seen_key] = clicked
        st.session_state[TEAM_KEY] = clicked

team = st.selectbox(
    "Team",
    options=facts.repos_per_team["team"].tolist(),
    index=None,
    key=TEAM_KEY,
    placeholder="All teams (or click a bar above)",
    on_change=_forget_chart_clicks,
)

# --- the worst findings ---------------------------------------------------------------------------------
if judged:
    st.subheader("Worst findings" + (f" · {team}" if team else ""))
    worst = common.derived(view, hl.worst_findings, 500)
    if team:
        worst = worst[worst["team"] == team]
    if worst.empty:
        st.success("No failing findings here.", icon=":material/check_circle:")
    else:
        st.dataframe(
            worst.head(15),
            hide_index=True,
            column_config={
                "severity": st.column_config.TextColumn("Severity"),
                "standard": None,
                "title": st.column_config.TextColumn("Standard"),
                "repo": st.column_config.TextColumn("Repository"),
                "team": st.column_config.TextColumn("Team"),
                "status": st.column_config.TextColumn("Status"),
                "detail": st.column_config.TextColumn("What was found", width="large"),
                "evidence": st.column_config.TextColumn("Evidence"),
                "level": st.column_config.TextColumn("Level"),
            },
        )
        if len(worst) > 15:
            st.caption(f"The 15 most severe of {len(worst):,}; every finding is on the Teams and Repository pages.")

# --- tables -------------------------------------------------------------------------------------------
teams_col, langs_col = st.columns([3, 2])
with teams_col:
    st.subheader("Teams")
    st.dataframe(
        facts.teams,
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
        facts.top_languages.head(10),
        hide_index=True,
        column_config={
            "language": st.column_config.TextColumn("Language"),
            "bytes": st.column_config.NumberColumn("Bytes", format="bytes"),
            "share": st.column_config.ProgressColumn("Share", format="percent", min_value=0.0, max_value=1.0),
            "repositories": st.column_config.NumberColumn("Repositories"),
        },
    )

st.subheader("Repositories" + (f" · {team}" if team else ""))
repos = facts.repos_of(team)
st.dataframe(
    repos,
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
        "url": st.column_config.LinkColumn("Link", display_text="open") if repos["url"].notna().any() else None,
    },
)
