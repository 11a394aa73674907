"""Technologies: the radar as agreed against what the repositories use, how many ways each category
is done per team, and how far each team's choices are from the organisation's.

Draws only: the frames come from `standards.technologies` (through `common.derived`), the figures
from `reports.charts.technologies`. A click on a bar or a cell, or the pickers under each chart
(kept in the address), shows the repositories behind it. Without a standards file there is no
radar: the page says so and shows usage and fragmentation, which are facts.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from pages import common
from reports.charts import technologies as charts
from standards import metrics
from standards import technologies as tech

PAGE = "technologies"
TECHNOLOGY_KEY = "technologies_technology"
RINGS_KEY = "technologies_rings"
CATEGORY_KEY = "technologies_category"
TEAM_KEY = "technologies_team"
DEVIATION_TEAM_KEY = "technologies_deviation_team"

#: A ring's headline: whether more technologies in use is good (normal), bad (inverse) or neither.
RING_DELTA_COLOURS = {"adopt": "normal", "trial": "off", "assess": "off", "hold": "inverse", "unreviewed": "inverse"}

BEHIND_COLUMNS = {
    "repo": st.column_config.TextColumn("Repository"),
    "team": st.column_config.TextColumn("Team"),
    "technology": st.column_config.TextColumn("Technology"),
    "category": st.column_config.TextColumn("Category"),
    "version": st.column_config.TextColumn("Version", help="As the files name it; several joined"),
    "evidence": st.column_config.TextColumn("Evidence", help="The files that name it"),
    "url": st.column_config.LinkColumn("Link", display_text="open"),
}


# --- clicks: a chart's click moves the picker under it; a pick clears the chart's selection -----------


def _chart_key(name: str) -> str:
    return f"{PAGE}_{name}_chart_{st.session_state.get(f'{PAGE}_{name}_rev', 0)}"


def _forget_clicks(name: str) -> Callable[[], None]:
    """on_change of a picker: drop the chart's selection (a new key), so no bar stays highlighted
    for something else."""

    def forget() -> None:
        st.session_state[f"{PAGE}_{name}_rev"] = st.session_state.get(f"{PAGE}_{name}_rev", 0) + 1
        st.session_state[f"{PAGE}_{name}_seen"] = None

    return forget


def _new_click(name: str, event: object) -> list | None:
    """The `customdata` of the point just clicked on chart `name`; None when the selection has not
    changed since the last run (a rerun for another reason keeps the pickers as they are)."""
    data = _clicked(event)
    seen_key = f"{PAGE}_{name}_seen"
    if data == st.session_state.get(seen_key) or data is None:
        st.session_state[seen_key] = data
        return None
    st.session_state[seen_key] = data
    return data


def _clicked(event: object) -> list | None:
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and data:
            return list(data)
        if isinstance(data, str):
            return [data]
    return None


def _table(frame: pd.DataFrame, columns: dict, *, height: int | str = "auto", leave_out: tuple[str, ...] = ()) -> None:
    """A table with readable headings, without the columns the heading above already says (and the
    link column when no row has a link)."""
    shown = [c for c in columns if c in frame.columns and c not in leave_out and (c != "url" or frame[c].notna().any())]
    st.dataframe(frame[shown], hide_index=True, column_config=columns, height=height)


# --- the page ---------------------------------------------------------------------------------------------

view = common.require_view()
radar = common.derived(view, tech.radar)
ring_usage = common.derived(view, tech.rings)
with_radar = ring_usage is not None

st.title("Technologies")
st.caption(
    f"Snapshot {common.snapshot_label(view.snapshot)} · {view.filters.describe()} · archived repositories "
    "are left out (dead code does not say what a team uses)"
)

if not with_radar:
    if view.guild.path is None:
        st.info(
            "**The radar needs a standards file.** Without one nothing says which technologies the guild "
            "adopted, trials or put on hold, so this page shows what the repositories use and how many ways "
            "each category is done: facts only.",
            icon=":material/radar:",
        )
        st.code(
            "guildboard serve --standards standards.yaml\n"
            f"# or: export {common.STANDARDS_ENV}=/path/to/standards.yaml\n"
            "# a starting point with a radar: data/standards.example.yaml",
            language="bash",
        )
    else:
        common.standards_empty_state(view.guild)
else:
    # --- the rings at a glance, and what the meeting should talk about ----------------------------------
    before = common.derived(view, tech.rings, snapshot=view.compare) if view.compare is not None else None
    previous = before.set_index("ring")["in_use"] if before is not None else None
    st.caption(
        "Technologies in use, per ring"
        + (f" (change since {common.snapshot_label(view.compare)})" if view.compare is not None else "")
    )
    cells = st.columns(len(ring_usage))
    for cell, row in zip(cells, ring_usage.itertuples(), strict=True):
        listed = "in use and not on the radar" if row.ring == metrics.UNREVIEWED else f"of {row.technologies} on it"
        cell.metric(
            charts.ring_label(row.ring),
            f"{row.in_use}",
            delta=int(row.in_use - previous[row.ring]) if previous is not None else None,
            delta_color=RING_DELTA_COLOURS[row.ring],
            help=f"{row.in_use} technologies {listed}, used by {row.repos} active repositories "
            f"({row.share_of_repos:.0%})",
            border=True,
        )

    hold, rare, unreviewed = (tech.callouts(radar, flag) for flag in ("hold_in_use", "adopt_rare", "unreviewed_in_use"))
    # two beside each other and the longest (every technology nobody reviewed) under them, so every
    # table keeps its columns readable on a laptop with the sidebar open
    left, middle = st.columns(2)
    with left.container(border=True):
        st.markdown(f"**:material/block: On hold, still used: {len(hold)}**")
        st.caption("The guild agreed to move away; each is a migration still to do.")
        _table(
            hold,
            {
                "technology": st.column_config.TextColumn("Technology"),
                "repos": st.column_config.NumberColumn("Repos", width=64),
                "replace_with": st.column_config.TextColumn("Move to"),
                "team_names": st.column_config.ListColumn("Teams"),
            },
            height=250,
        )
    with middle.container(border=True):
        st.markdown(f"**:material/trending_down: Adopted, rarely used: {len(rare)}**")
        st.caption("An agreement nobody follows, or a ring to reconsider.")
        _table(
            rare,
            {
                "technology": st.column_config.TextColumn("Technology"),
                "repos": st.column_config.NumberColumn("Repos", width=64),
                "team_names": st.column_config.ListColumn("Teams"),
            },
            height=250,
        )
    with st.container(border=True):
        st.markdown(f"**:material/help: In use, never reviewed: {len(unreviewed)}**")
        st.caption("Not on the radar: nobody agreed on them.")
        _table(
            unreviewed,
            {
                "technology": st.column_config.TextColumn("Technology"),
                "repos": st.column_config.NumberColumn("Repos", width=64),
                "category": st.column_config.TextColumn("Category"),
                "teams": st.column_config.NumberColumn("Teams", width=64),
                "team_names": st.column_config.ListColumn("Which teams"),
            },
            height=250,
        )

# --- usage, grouped by ring (or by category without a radar) ----------------------------------------------
in_use = radar[radar["repos"] > 0]
if with_radar:
    st.subheader("The radar against usage")
    shown_rings = st.pills(
        "Rings",
        options=list(metrics.RING_ORDER),
        selection_mode="multi",
        default=list(metrics.RING_ORDER),
        format_func=charts.ring_label,
        key=RINGS_KEY,
        bind="query-params",
        help="One ring shows all of its technologies; several show the most used of each.",
    ) or list(metrics.RING_ORDER)
    per_ring = None if len(shown_rings) == 1 else tech.DEFAULT_PER_RING
    bars = tech.usage_bars(radar, shown_rings, per_ring)
    listed = radar[radar["ring"].isin(shown_rings)].groupby("ring").size()
    drawn = bars.groupby("group").size()
    hidden = {ring: int(n - drawn.get(ring, 0)) for ring, n in listed.items() if n > drawn.get(ring, 0)}
    title = "Repositories using each technology, by ring"
    if hidden:
        more = ", ".join(f"{charts.ring_label(r)} {hidden[r]}" for r in metrics.RING_ORDER if r in hidden)
        st.caption(
            f"The {tech.DEFAULT_PER_RING} most used of each ring; not drawn: {more}. Pick a single ring to "
            "see all of it, or any technology in the list under the chart."
        )
else:
    st.subheader("What the repositories use")
    bars = tech.usage_bars(radar, per_group=tech.DEFAULT_TOP)
    title = f"The {min(tech.DEFAULT_TOP, len(in_use))} most used technologies, by category"
    st.caption(f"{len(in_use)} technologies in use; pick any of them in the list under the chart.")

usage_event = st.plotly_chart(
    charts.technology_usage(bars, title=title),
    key=_chart_key("usage"),
    on_select="rerun",
    selection_mode="points",
    alt=title,
)
if (clicked := _new_click("usage", usage_event)) is not None:
    st.session_state[TECHNOLOGY_KEY] = clicked[0]

technology = st.selectbox(
    "Technology",
    options=sorted(in_use["technology"].astype(str)),
    index=None,
    key=TECHNOLOGY_KEY,
    bind="query-params",
    placeholder="Pick a technology (or click a bar above) to list its repositories",
    on_change=_forget_clicks("usage"),
)
if technology is not None:
    entry = radar[radar["technology"] == technology].iloc[0]
    ring = charts.ring_label(entry["ring"]) if with_radar else None
    st.markdown(
        f"**{technology}** · {entry['category'] or 'no category'}"
        + (f" · ring: **{ring}**" if ring else "")
        + (f" · move to **{entry['replace_with']}**" if entry["replace_with"] else "")
        + f" · {entry['repos']} repositories in {entry['teams']} team{'' if entry['teams'] == 1 else 's'}"
    )
    _table(common.derived(view, tech.repos_behind, technology), BEHIND_COLUMNS, leave_out=("technology", "category"))

# --- fragmentation ---------------------------------------------------------------------------------------
st.subheader("Fragmentation: how many ways each category is done")
st.caption(
    "Each cell is the effective number of technologies a team uses for a category: 1.0 when every "
    "repository uses the same one, n when n are used equally, in between when one dominates. Most "
    "fragmented categories on top."
)
frag = common.derived(view, tech.fragmentation)
frag_event = st.plotly_chart(
    charts.fragmentation_heatmap(frag),
    key=_chart_key("fragmentation"),
    on_select="rerun",
    selection_mode="points",
    alt="Effective number of technology choices per category and team",
)
if (clicked := _new_click("fragmentation", frag_event)) is not None:
    st.session_state[CATEGORY_KEY] = clicked[0]
    st.session_state[TEAM_KEY] = None if clicked[1] == metrics.ORGANISATION else clicked[1]

pick_category, pick_team = st.columns(2)
category = pick_category.selectbox(
    "Category",
    options=[str(c) for c in frag["category"].cat.categories],
    index=None,
    key=CATEGORY_KEY,
    bind="query-params",
    placeholder="Pick a category (or click a cell above)",
    on_change=_forget_clicks("fragmentation"),
)
team = pick_team.selectbox(
    "Team",
    options=[str(t) for t in frag["team"].cat.categories if t != metrics.ORGANISATION],
    index=None,
    key=TEAM_KEY,
    bind="query-params",
    placeholder="Every team",
    on_change=_forget_clicks("fragmentation"),
)
if category is not None:
    behind = common.derived(view, tech.repos_behind, None, category, team)
    cell = frag[(frag["category"] == category) & (frag["team"] == (team or metrics.ORGANISATION))]
    if cell.empty:
        st.caption(f"{team} has no active repository using a {category} technology.")
    else:
        row = cell.iloc[0]
        st.markdown(
            f"**{category}** · {team or 'whole organisation'}: {row['technologies']} technologies in "
            f"{row['repos']} repositories, {row['effective_choices']:.1f} effective choices; most used "
            f"**{row['top_technology']}** ({row['top_share']:.0%})"
        )
        _table(behind, BEHIND_COLUMNS, leave_out=("category",) + (("team",) if team else ()))

# --- team deviation ----------------------------------------------------------------------------------------
st.subheader("Team deviation")
st.caption(
    "A team's choice differs when a repository uses a category without the organisation's most common "
    "technology for it (a Next.js repository that also uses React follows a React organisation)."
)
deviation = common.derived(view, tech.deviation)
dev_event = st.plotly_chart(
    charts.team_deviation(deviation),
    key=_chart_key("deviation"),
    on_select="rerun",
    selection_mode="points",
    alt="Share of each team's technology choices that differ from the organisation's",
)
if (clicked := _new_click("deviation", dev_event)) is not None:
    st.session_state[DEVIATION_TEAM_KEY] = clicked[0]
deviation_team = st.selectbox(
    "Team",
    options=deviation["team"].astype(str).tolist(),
    index=None,
    key=DEVIATION_TEAM_KEY,
    bind="query-params",
    placeholder="Every team (or click a bar above)",
    on_change=_forget_clicks("deviation"),
)
_table(
    tech.differing(common.derived(view, tech.deviation_by_category), deviation_team),
    {
        "team": st.column_config.TextColumn("Team"),
        "category": st.column_config.TextColumn("Category"),
        "org_choice": st.column_config.TextColumn("Organisation's choice", help="Most used in the organisation"),
        "team_choice": st.column_config.TextColumn("Team's choice", help="Most used in the team"),
        "alternatives": st.column_config.TextColumn("Used instead", help="By the repositories that differ"),
        "differing_repos": st.column_config.NumberColumn("Differing repos"),
        "repos": st.column_config.NumberColumn("Repos", help="The team's repositories using the category"),
        "deviation": st.column_config.ProgressColumn("Share differing", format="percent", min_value=0.0, max_value=1.0),
    },
)
