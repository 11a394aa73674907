"""Languages: what each team writes, in bytes and in repositories, in GitHub's language colours.

Draws only: the numbers come from `standards.languages_view` (cached per snapshot and filters
through `common.derived`), the figures from `reports.charts` and `reports.charts.languages`.
Facts only: no standards file is needed. A click on a bar (or the pickers below the charts)
lists the repositories behind it; the picked language and team stay in the address
(`?languages_language=Go&languages_team=platform`).
"""

from __future__ import annotations

import streamlit as st

from pages import common
from reports import charts
from reports.charts import languages as language_charts
from reports.charts.style import human_bytes
from standards.languages_view import ALL_TEAMS, languages_view
from standards.overview import OTHER
from standards.repository_view import repository_link

LANGUAGE_KEY = "languages_language"
TEAM_KEY = "languages_team"
MEASURE_KEY = "languages_measure"
REV_KEY = "languages_chart_rev"
#: What the team bars measure: absolute bytes, or each team's mix as 100 %.
MEASURES = ("Bytes", "Share")
#: Languages the repositories-per-language chart shows (most used first).
TOP_LANGUAGES = 15
CHARTS = ("mix", "per_language")


def _forget_chart_clicks() -> None:
    """A pick in the lists clears the charts' selection, so no bar stays highlighted for another
    language or team (a chart's selection resets when its key changes)."""
    st.session_state[REV_KEY] = st.session_state.get(REV_KEY, 0) + 1
    for name in CHARTS:
        st.session_state[f"languages_clicked_{name}"] = None


view = common.require_view()
lv = common.derived(view, languages_view)

st.title("Languages")
st.caption(
    f"Snapshot {common.snapshot_label(view.snapshot)} · {view.filters.describe()} · programming and markup "
    "languages only (data and prose files say nothing about what a team writes)"
)
if lv.rows.empty:
    st.info(
        "**No language breakdown here.** None of the repositories shown has code in a language "
        "GitHub's linguist counts. Widen the sidebar's filters, or collect a snapshot of repositories with code.",
        icon=":material/code_off:",
    )
    st.stop()

# --- headline -----------------------------------------------------------------------------------------
top = lv.per_language.sort_values(["main_of", "used_in"], ascending=False, kind="stable").iloc[0]
cells = st.columns(5)
cells[0].metric("Languages", len(lv.per_language), help="Distinct languages with code in the repositories shown",
                border=True)  # fmt: skip
cells[1].metric("Code", human_bytes(lv.total_bytes), help="Bytes of programming and markup languages", border=True)
cells[2].metric("Repositories", lv.repositories, help="Repositories shown (the sidebar's filters)", border=True)
cells[3].metric(
    "Top main language",
    str(top["language"]),
    help=f"The main language (most bytes) of {top['main_of']} repositories; used in {top['used_in']}",
    border=True,
)
cells[4].metric(
    "Without code",
    lv.without_language,
    help="Repositories with no programming or markup language (docs, config, empty)",
    border=True,
)

# --- charts (a click picks the language and team below) ---------------------------------------------
rev = st.session_state.get(REV_KEY, 0)
left, right = st.columns([3, 2], gap="large")
with left:
    measure = st.segmented_control(
        "Team bars show", MEASURES, default=MEASURES[0], key=MEASURE_KEY, bind="query-params",
        help="Bytes: how much each team writes in each language. Share: each team's mix as 100 %.",
    )  # fmt: skip
    if measure == "Share":
        mix_fig = charts.language_bytes_per_team(lv.mix)
    else:
        mix_fig = language_charts.language_bytes_stacked(lv.mix)
    mix_event = st.plotly_chart(
        mix_fig,
        key=f"languages_mix_chart_{rev}",
        on_select="rerun",
        selection_mode="points",
        alt="Bytes per team by language",
    )
with right:
    shown = lv.per_language.head(TOP_LANGUAGES)
    per_language_event = st.plotly_chart(
        language_charts.repos_per_language(shown),
        key=f"languages_per_language_chart_{rev}",
        on_select="rerun",
        selection_mode="points",
        alt="Repositories per language: main language of, and used in",
    )
    if len(lv.per_language) > len(shown):
        st.caption(f"The {len(shown)} most used of {len(lv.per_language)} languages; the table below lists all.")

clicks = {
    "mix": language_charts.mix_click(mix_event, mix_fig),
    "per_language": (None, language_charts.language_click(per_language_event)),
}
for name, (team, language) in clicks.items():
    seen_key = f"languages_clicked_{name}"
    clicked = (team, language) if (team or language) else None
    if clicked != st.session_state.get(seen_key):  # a new click (or a cleared one) moves the pickers
        st.session_state[seen_key] = clicked
        if clicked is not None:
            st.session_state[TEAM_KEY] = team
            st.session_state[LANGUAGE_KEY] = None if language == OTHER else language

# --- the repositories behind a bar --------------------------------------------------------------------
st.subheader("Repositories behind a bar")
pick_language, pick_team = st.columns(2)
language = pick_language.selectbox(
    "Language",
    options=lv.languages,
    index=None,
    key=LANGUAGE_KEY,
    bind="query-params",
    placeholder="Every language (or click a bar above)",
    on_change=_forget_chart_clicks,
)
team = pick_team.selectbox(
    "Team",
    options=lv.teams,
    index=None,
    key=TEAM_KEY,
    bind="query-params",
    placeholder="Every team (or click a bar above)",
    on_change=_forget_chart_clicks,
)
rows = lv.rows_for(language, team)
what = " · ".join(x for x in (language, team) if x) or "every language of every team"
st.caption(f"{rows['repo'].nunique()} repositories · {human_bytes(int(rows['bytes'].sum()))} of {what}")
st.dataframe(
    rows.assign(page=[repository_link(r, snapshot=view.snapshot.id) for r in rows["repo"]]),
    hide_index=True,
    column_order=["page", "team", "language", "bytes", "share", "main"],
    column_config={
        "page": st.column_config.LinkColumn(
            "Repository", display_text=r"repo=([^&]*)", help="Opens the repository's page"
        ),
        "team": st.column_config.TextColumn("Team"),
        "language": st.column_config.TextColumn("Language"),
        "bytes": st.column_config.NumberColumn("Bytes", format="bytes", help="Bytes of this language"),
        "share": st.column_config.ProgressColumn(
            "Share of the repository",
            format="percent",
            min_value=0.0,
            max_value=1.0,
            help="This language's part of the repository's code",
        ),
        "main": st.column_config.CheckboxColumn("Main language", help="The repository's language with most bytes"),
    },
)

# --- language x team ------------------------------------------------------------------------------------
st.subheader("Languages by team")
repos_tab, bytes_tab = st.tabs(["Repositories using it", "Bytes"])
for tab, value, fmt in ((repos_tab, "repositories", "%d"), (bytes_tab, "bytes", "bytes")):
    table = lv.pivot(value)
    config = {"language": st.column_config.TextColumn("Language", pinned=True)}
    for column in table.columns[1:]:
        config[column] = st.column_config.NumberColumn(
            column, format=fmt, help="The whole organisation (as filtered)" if column == ALL_TEAMS else None
        )
    with tab:
        st.dataframe(table, hide_index=True, column_config=config)
