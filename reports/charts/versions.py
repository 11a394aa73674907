"""The Versions page's figures: the drift matrix (technology or runtime x team) and the repositories
on each version of one technology or runtime.

Each builder takes one small frame from `standards.versions_view`. The matrix colours a cell by its
share of repositories on target (SHARE_SCALE) and writes the share, the versions in use and how
far behind the furthest is; a cell with no target is grey and says "no target". Version bars tell
their status by pattern and written label as well as colour.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from reports.charts.style import (
    FONT_SIZE,
    HATCH,
    SHARE_SCALE,
    STATUS_COLOURS,
    STATUS_PATTERNS,
    empty,
    in_order,
    layout,
    nice_step,
)
from reports.charts.technologies import HOVER_LABEL, cell_text_size, clickable_cells, room_for_text

#: The grey of a cell whose team has no target for the thing.
NO_TARGET_COLOUR = "#E0E0E0"
NO_TARGET = "no target"
#: Versions written out in a cell up to this many (else "n versions"), and up to this many characters.
MAX_LISTED_VERSIONS = 2
MAX_LISTED_CHARS = 10
CELL_ROW = 66
#: A cell's text size by how many teams share the width (see `technologies.cell_text_size`): a
#: cell holds three short lines, so it needs more width than a number.
MATRIX_TEXT_SIZES = ((8, FONT_SIZE - 3), (12, FONT_SIZE - 4), (16, FONT_SIZE - 5))
#: A version bar's colour and pattern by status: on target like a pass, behind like a failure.
VERSION_COLOURS = {
    "on target": STATUS_COLOURS["pass"],
    "behind": STATUS_COLOURS["fail"],
    "off target": STATUS_COLOURS["waived"],
    "not a version": STATUS_COLOURS["not-applicable"],
    "unknown": STATUS_COLOURS["not-applicable"],
    "no target": "#2F5D8A",
}
VERSION_PATTERNS = {
    "on target": STATUS_PATTERNS["pass"],
    "behind": STATUS_PATTERNS["fail"],
    "off target": "/",
    "not a version": ".",
    "unknown": ".",
    "no target": "",
}
BAR_ROW = 34


def behind_label(majors: object, minors: object, *, short: bool = False) -> str:
    """`1 major behind`, `2 minors behind` (short, for a cell: `−1 major`, `−2 minors`), or ""
    when nothing is behind (or it is unknown)."""
    if _missing(majors) or _missing(minors):
        return ""
    for count, unit in ((int(majors), "major"), (int(minors), "minor")):  # type: ignore[call-overload]
        if count:
            plural = "s" if count > 1 else ""
            return f"−{count} {unit}{plural}" if short else f"{count} {unit}{plural} behind"
    return ""


def row_label(item: str) -> str:
    """How a matrix row is written: `spring-boot` for a technology, `java (runtime)` for a runtime."""
    kind, _, name = item.partition(": ")
    return f"{name} (runtime)" if kind == "runtime" else name or item


def versions_label(versions: list[str], unknown: int) -> str:
    """What a narrow cell can say of the versions in use: them (`17, 11`) when short, else how many
    (`4 versions`); `2 unknown` when no version is known (the hover lists everything)."""
    listed = ", ".join(versions)
    if not versions:
        return f"{unknown} unknown" if unknown else ""
    if len(versions) <= MAX_LISTED_VERSIONS and len(listed) <= MAX_LISTED_CHARS:
        return listed
    return f"{len(versions)} versions"


def drift_matrix(frame: pd.DataFrame) -> go.Figure:
    """Technology or runtime x team: the share of the team's repositories on target, written in the
    cell with the versions in use and how far the furthest is behind.

    `frame` is `standards.versions_view.matrix`: item (written as `row_label`) and team (ordered categoricals: first item on
    top), versions, unknown_version, versions_in_use, target, on_target, repos, share_on_target,
    majors_behind_max, minors_behind_max. A team with no target for the thing gets a grey cell
    that says "no target" (and its versions); a team not using it, a blank.
    """
    title = "Share of repositories on target, per team"
    if frame.empty:
        return empty(title, "No versioned technology or runtime in these repositories")
    items = [str(i) for i in in_order(frame["item"])]
    teams = [str(t) for t in in_order(frame["team"])]
    cells = {(str(r["item"]), str(r["team"])): r for r in frame.to_dict("records")}
    text_size = cell_text_size(len(teams), MATRIX_TEXT_SIZES)
    judged_z, judged_text, grey_z, grey_text, points = [], [], [], [], []
    for item in items:
        row_z, row_text, row_grey, row_grey_text = [], [], [], []
        for team in teams:
            cell = cells.get((item, team))
            if cell is None:
                row_z.append(None)
                row_text.append("")
                row_grey.append(None)
                row_grey_text.append("")
                continue
            versions = versions_label(list(cell["versions"]), int(cell["unknown_version"]))
            share = cell["share_on_target"]
            if _missing(cell["target"]) or _missing(share):
                row_z.append(None)
                row_text.append("")
                row_grey.append(0)
                row_grey_text.append(f"<i>{NO_TARGET}</i><br>{versions}")
                judged = f"no target · {int(cell['repos'])} repositories"
            else:
                behind = behind_label(cell["majors_behind_max"], cell["minors_behind_max"])
                short = behind_label(cell["majors_behind_max"], cell["minors_behind_max"], short=True)
                row_z.append(float(share))
                row_text.append("<br>".join(p for p in (f"<b>{float(share):.0%}</b>", versions, short) if p))
                row_grey.append(None)
                row_grey_text.append("")
                judged = f"{int(cell['on_target'])} of {int(cell['repos'])} on target ({cell['target']})" + (
                    f" · {behind}" if behind else ""
                )
            points.append(
                (
                    team,
                    row_label(item),
                    [item, team],
                    f"<b>{item}</b> · {team}<br>{judged}<br>{cell['versions_in_use']}",
                )
            )
        judged_z.append(row_z)
        judged_text.append(row_text)
        grey_z.append(row_grey)
        grey_text.append(row_grey_text)
    labels = [row_label(i) for i in items]
    common = {
        "x": teams,
        "y": labels,
        "texttemplate": "%{text}" if text_size else "",
        "xgap": 3,
        "ygap": 3,
        "hoverinfo": "skip",
    }
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=grey_z,
            text=grey_text,
            colorscale=[[0, NO_TARGET_COLOUR], [1, NO_TARGET_COLOUR]],
            showscale=False,
            textfont={"size": text_size or FONT_SIZE, "color": "#424242"},
            name=NO_TARGET,
            **common,
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=judged_z,
            text=judged_text,
            colorscale=SHARE_SCALE,
            zmin=0,
            zmax=1,
            textfont={"size": text_size or FONT_SIZE},
            # under the matrix, so the cells get the width a colour bar at the side would take
            colorbar={
                "title": {"text": "Share on target", "side": "top"},
                "tickformat": ".0%",
                "orientation": "h",
                "thickness": 16,
                "lenmode": "pixels",
                "len": 360,
                "x": 0,
                "xanchor": "left",
                "y": 0,
                "yref": "container",
                "yanchor": "bottom",
            },
            name="share on target",
            **common,
        )
    )
    clickable_cells(fig, points)
    layout(fig, title, n_rows=len(items), x_title="Team", y_title="")
    fig.update_layout(
        height=max(460, 290 + CELL_ROW * len(items)),
        plot_bgcolor="#FFFFFF",
        margin={"t": 200, "b": 110},
        title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
    )
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels, showgrid=False)
    fig.update_xaxes(
        side="top", tickangle=-35, categoryorder="array", categoryarray=teams, showgrid=False, title={"standoff": 8}
    )
    fig.update_layout(hoverlabel=HOVER_LABEL)
    return fig


def version_bars(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Horizontal bars: repositories per version, oldest version on top, each bar's status (on
    target, behind, ...) told by colour, pattern and the label written after it
    (`6 · 1 major behind`).

    `frame` is `standards.versions_view.version_bars`: version, repos, teams, status,
    majors_behind, minors_behind, in display order.
    """
    if frame.empty:
        return empty(title, "No repository uses it")
    fig = go.Figure()
    versions = frame["version"].astype(str).tolist()
    for status in in_order(frame["status"]):
        rows = frame[frame["status"] == status]
        counts = rows["repos"].astype(int).tolist()
        labels = [
            behind_label(m, n) if status == "behind" else status
            for m, n in zip(rows["majors_behind"], rows["minors_behind"], strict=True)
        ]
        fig.add_trace(
            go.Bar(
                name=status,
                orientation="h",
                x=counts,
                y=rows["version"].astype(str).tolist(),
                customdata=[[v, t] for v, t in zip(rows["version"].astype(str), rows["teams"], strict=True)],
                text=[f"{c} · {label}" for c, label in zip(counts, labels, strict=True)],
                textposition="outside",
                cliponaxis=False,
                marker={
                    "color": VERSION_COLOURS.get(str(status), VERSION_COLOURS["no target"]),
                    "pattern": {"shape": VERSION_PATTERNS.get(str(status), ""), **HATCH},
                    "line": {"color": "#616161", "width": 1},
                },
                hovertemplate="<b>%{y}</b><br>%{x} repositories in %{customdata[1]} teams<extra></extra>",
            )
        )
    layout(fig, title, n_rows=len(frame), x_title="Repositories", y_title="Version")
    largest = int(frame["repos"].max())
    fig.update_layout(height=max(320, 170 + BAR_ROW * len(frame)), bargap=0.2)
    room_for_text(fig, max(len(text) for trace in fig.data for text in trace.text))
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(versions)), type="category")
    fig.update_xaxes(range=[0, max(1, largest) * 1.05], tickformat="d", dtick=nice_step(max(1, largest)))
    fig.update_layout(hoverlabel=HOVER_LABEL)
    return fig


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
