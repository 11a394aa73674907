"""Versions: how far each team's technologies and runtimes are from the guild's version targets,
and which repositories are on which version.

Draws only: the frames come from `standards.versions_view` (through `common.derived`), the figures
from `reports.charts.versions`. A click on a matrix cell picks its technology or runtime below; a
click on a version bar lists the repositories on that version. The pickers do the same and are kept
in the address. Without a standards file there are no targets: the versions in use still show.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from pages import common
from reports.charts import versions as charts
from standards import metrics
from standards import versions_view as vv

PAGE = "versions"
KINDS_KEY = "versions_kinds"
EVERY_KEY = "versions_all"
ITEM_KEY = "versions_item"
VERSION_KEY = "versions_version"
KIND_LABELS = {"technology": "Technologies", "runtime": "Runtimes"}


def _chart_key(name: str) -> str:
    return f"{PAGE}_{name}_chart_{st.session_state.get(f'{PAGE}_{name}_rev', 0)}"


def _forget_clicks(*names: str, reset: tuple[str, ...] = ()) -> Callable[[], None]:
    """on_change of a picker: drop the charts' selections (new keys), so no bar or cell stays
    highlighted for something else, and reset the pickers that depended on this one."""

    def forget() -> None:
        for name in names:
            st.session_state[f"{PAGE}_{name}_rev"] = st.session_state.get(f"{PAGE}_{name}_rev", 0) + 1
            st.session_state[f"{PAGE}_{name}_seen"] = None
        for key in reset:
            st.session_state[key] = None

    return forget


def _new_click(name: str, event: object) -> list | None:
    """The `customdata` of the point just clicked on chart `name`; None when the selection has not
    changed since the last run."""
    data = None
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        points = []
    for point in points or []:
        found = point.get("customdata")
        if isinstance(found, list | tuple) and found:
            data = list(found)
            break
    seen_key = f"{PAGE}_{name}_seen"
    changed = data is not None and data != st.session_state.get(seen_key)
    st.session_state[seen_key] = data
    return data if changed else None


def _no_target(value: object) -> str:
    return value if isinstance(value, str) and value else charts.NO_TARGET


view = common.require_view()
per_team = common.derived(view, vv.drift)
org = common.derived(view, vv.organisation)

st.title("Versions")
st.caption(
    f"Snapshot {common.snapshot_label(view.snapshot)} · {view.filters.describe()} · archived repositories "
    "are left out · a team is judged by its own target when a standard names it"
)
if view.standards is None:
    if view.guild.path is None:
        st.info(
            "**No targets without a standards file.** The versions in use are shown; how far they are from "
            "the guild's targets needs the radar's versions and the `version` standards of a standards file.",
            icon=":material/flag:",
        )
        st.code(
            f"guildboard serve --standards standards.yaml\n# or: export {common.STANDARDS_ENV}=/path/to/standards.yaml",
            language="bash",
        )
    else:
        common.standards_empty_state(view.guild)

# --- the drift matrix -------------------------------------------------------------------------------------
controls = st.columns([2, 3])
kinds = controls[0].pills(
    "Show",
    options=list(metrics.KINDS),
    selection_mode="multi",
    default=list(metrics.KINDS),
    format_func=KIND_LABELS.get,
    key=KINDS_KEY,
    bind="query-params",
) or list(metrics.KINDS)
every = controls[1].toggle(
    "Also technologies without a target",
    key=EVERY_KEY,
    bind="query-params",
    help="By default the matrix shows every runtime and the technologies the guild set a version target for.",
)
matrix = vv.matrix(per_team, org, kinds, every)
shown = org[org["kind"].isin(kinds)]
with_target = shown[shown["target"].notna()]
st.caption(
    f"{matrix['item'].nunique()} rows: "
    + (
        "every technology and runtime with a known version"
        if every
        else "every runtime and the technologies with a target"
    )
    + f" · {len(with_target)} of {len(shown)} with a target. Click a cell to see its repositories below."
)
matrix_event = st.plotly_chart(
    charts.drift_matrix(matrix),
    key=_chart_key("matrix"),
    on_select="rerun",
    selection_mode="points",
    alt="Share of each team's repositories on the version target, per technology and runtime",
)
if (clicked := _new_click("matrix", matrix_event)) is not None:
    st.session_state[ITEM_KEY] = clicked[0]
    st.session_state[VERSION_KEY] = None

# --- one line per technology or runtime -------------------------------------------------------------------
st.subheader("Per technology and runtime")
table = shown.assign(target=shown["target"].map(_no_target))
st.dataframe(
    table[
        [
            "name",
            "kind",
            "target",
            "share_on_target",
            "on_target",
            "repos",
            "majors_behind_max",
            "minors_behind_max",
            "unknown_version",
            "teams",
            "versions_in_use",
        ]
    ],
    hide_index=True,
    height=420,
    column_config={
        "name": st.column_config.TextColumn("Technology or runtime"),
        "kind": st.column_config.TextColumn("Kind"),
        "teams": st.column_config.NumberColumn("Teams"),
        "repos": st.column_config.NumberColumn("Repos"),
        "versions_in_use": st.column_config.TextColumn(
            "Versions in use", help="Newest first; repositories in brackets"
        ),
        "target": st.column_config.TextColumn("Target", help="A target only some teams have names them"),
        "on_target": st.column_config.NumberColumn("On target", help="Repositories whose every use the target allows"),
        "share_on_target": st.column_config.ProgressColumn(
            "Share on target", format="percent", min_value=0.0, max_value=1.0, width=140
        ),
        "majors_behind_max": st.column_config.NumberColumn("Majors behind", help="Of the version furthest behind"),
        "minors_behind_max": st.column_config.NumberColumn("Minors behind", help="Of the version furthest behind"),
        "unknown_version": st.column_config.NumberColumn("No version", help="Repositories naming no version"),
    },
)

# --- the repositories on each version -------------------------------------------------------------------------
st.subheader("Repositories on each version")
item = st.selectbox(
    "Technology or runtime",
    options=shown["item"].tolist(),
    index=0 if len(shown) else None,
    key=ITEM_KEY,
    bind="query-params",
    placeholder="Pick a technology or runtime (or click a cell above)",
    on_change=_forget_clicks("matrix", "versions", reset=(VERSION_KEY,)),
    help="Those with a target first, least on target first.",
)
parsed = vv.parse_item(item) if item else None
if parsed is None:
    st.caption("Nothing with a version in these repositories.")
    st.stop()
kind, name = parsed
entry = org[org["item"] == item].iloc[0]
bars = common.derived(view, vv.version_bars, kind, name, entry["main_target"])
target = entry["target"]
st.markdown(
    f"**{name}** ({kind}) · target: **{_no_target(target)}**"
    + (
        f" · {int(entry['on_target'])} of {entry['repos']} repositories on target"
        if not pd.isna(entry["on_target"])
        else f" · {entry['repos']} repositories"
    )
)
versions_event = st.plotly_chart(
    charts.version_bars(bars, title=f"Repositories per version of {name}"),
    key=_chart_key("versions"),
    on_select="rerun",
    selection_mode="points",
    alt=f"Repositories per version of {name}",
)
if (clicked := _new_click("versions", versions_event)) is not None:
    st.session_state[VERSION_KEY] = clicked[0]
version = st.selectbox(
    "Version",
    options=bars["version"].astype(str).tolist(),
    index=None,
    key=VERSION_KEY,
    bind="query-params",
    placeholder="Every version (or click a bar above)",
    on_change=_forget_clicks("versions"),
)
rows = common.derived(view, vv.repos_on, kind, name, version)
st.caption("A repository naming two versions (a Dockerfile and a lock file that disagree) is listed on each.")
columns = {
    "repo": st.column_config.TextColumn("Repository"),
    "team": st.column_config.TextColumn("Team"),
    "version": st.column_config.TextColumn("Version"),
    "evidence": st.column_config.TextColumn("Evidence", help="The files naming this version"),
    "url": st.column_config.LinkColumn("Link", display_text="open"),
}
st.dataframe(
    rows[[c for c in columns if c != "url" or rows["url"].notna().any()]],
    hide_index=True,
    column_config=columns,
)
