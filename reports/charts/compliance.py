"""Compliance figures: how the applicable findings split into pass, waived, fail and error per
team (or per standard), and a team x standard heatmap of the share passing.

Waived is never passing: it has its own segment (orange, hatched) on the bars, and in the
heatmap's cells its own line under the share passing ("+13%") with an orange corner flag the
legend names (a 60-pixel cell has no room for the word). Bars put the worst first (lowest share
passing on top, then the most failing, then by name), because the meeting starts with whoever
needs help; the
heatmap keeps the frame's order (teams by name, standards in the standards file's order) so a
team's row and a standard's column are found where they always are.

Clicks: bars carry the team (or standard) as the first `customdata` item, which
`pages.common.team_from_selection` reads; heatmap cells are clicked through a transparent marker
per cell (Streamlit reports no selection on a plotly heatmap), whose `customdata` is
`[team, standard]` (`cell_from_selection`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from reports.charts.style import (
    FONT_SIZE,
    HATCH,
    MIN_LABELLED_SHARE,
    SHARE_SCALE,
    STATUS_COLOURS,
    STATUS_PATTERNS,
    empty,
    in_order,
    layout,
)

#: Applicable statuses in the order the bars stack (left to right) and the legend lists them.
STATUSES = ("pass", "waived", "fail", "error")
STATUS_NAMES = {"pass": "Pass", "waived": "Waived", "fail": "Fail", "error": "Error"}
#: Text on each status's segment: dark on the light orange, pink and vermillion, white on blue.
TEXT_COLOURS = {"pass": "#FFFFFF", "waived": "#212121", "fail": "#212121", "error": "#212121"}
SHARE_X_TITLE = "Share of applicable findings"
#: What a cell, or a bar, with nothing applicable says.
NOT_APPLICABLE = "n/a"
#: Background of the heatmap's plot: what an n/a cell (no colour) and the gaps between cells show.
EMPTY_CELL = "#EEEEEE"
NOT_APPLICABLE_TEXT = "#616161"
#: The waived flag's legend entry, and how far from a cell's centre it sits (towards the top right).
WAIVED_FLAG_NAME = "Some findings waived: +N% under the share (waived is not passing)"
FLAG_OFFSET = 0.36


def compliance_by_team(frame: pd.DataFrame) -> go.Figure:
    """Horizontal 100 % bars per team: pass, waived, fail and error shares of its applicable
    findings, the worst team on top (lowest share passing, ties by name); teams with nothing
    applicable last, marked n/a.

    `frame` is `standards.levels.compliance(results, by=["team"])` (or `standards.teams.team_compliance`):
    team, pass, fail, waived, error, applicable, share_passing.
    """
    return _status_bars(frame, "team", title="Compliance by team (worst first)", y_title="Team")


def compliance_by_standard(frame: pd.DataFrame) -> go.Figure:
    """The same bars per standard (the least met on top): `frame` is `standards.guild.standards_table`
    (id, title, pass, fail, waived, error, applicable, share_passing)."""
    return _status_bars(frame, "id", title="Compliance by standard (least met first)", y_title="Standard")


def team_standard_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Teams (rows) x standards (columns), coloured by the share of applicable findings passing
    (0..1, `SHARE_SCALE`). Each cell says the share; where some findings are waived, the waived
    share is written under it (`+13%`) and an orange corner flag marks the cell (the legend says
    what it means); a cell with nothing applicable is left grey and says n/a.

    `frame` is `standards.teams.team_standard_matrix`: team, standard, title, applicable, pass,
    waived, fail, error, share_passing, share_waived; the order of `team` and `standard` (first
    seen, or ordered categoricals) is the display order, the first team on top. The axes are
    numbered (cell i, j at x=i, y=j) with the names as tick labels, so marks sit inside a cell.
    """
    title = "Share passing per team and standard"
    if frame.empty:
        return empty(title, "No standards or no teams to compare")
    teams = [str(t) for t in in_order(frame["team"])]
    standards = [str(s) for s in in_order(frame["standard"])]
    # every cell once, in display order (rows of a team, then the next), as plain records: no
    # per-cell pandas lookups, so forty standards by forty teams draw in a few milliseconds
    keyed = frame.assign(team=frame["team"].astype(str), standard=frame["standard"].astype(str))
    grid = pd.MultiIndex.from_product([teams, standards], names=["team", "standard"])
    keyed = keyed.drop_duplicates(["team", "standard"]).set_index(["team", "standard"]).reindex(grid)
    counts = [c for c in ("applicable", *STATUSES) if c in keyed]
    keyed[counts] = keyed[counts].fillna(0)
    records = keyed.reset_index().to_dict("records")
    z: list[list[float | None]] = [[] for _ in teams]
    text: list[list[str]] = [[] for _ in teams]
    marks: dict[str, list] = {"x": [], "y": [], "text": [], "customdata": []}
    flags: dict[str, list] = {"x": [], "y": [], "customdata": []}
    for n, cell in enumerate(records):
        j, i = divmod(n, len(standards))
        team, standard = cell["team"], cell["standard"]
        applicable = int(cell["applicable"])
        z[j].append(float(cell["share_passing"]) if applicable else None)
        text[j].append(cell_text(cell) if applicable else "")
        hover = _cell_hover(team, standard, cell)
        marks["x"].append(i)
        marks["y"].append(j)
        marks["text"].append("" if applicable else NOT_APPLICABLE)
        marks["customdata"].append([team, standard, hover])
        if applicable and int(cell["waived"]) > 0:
            flags["x"].append(i + FLAG_OFFSET)
            flags["y"].append(j - FLAG_OFFSET)
            flags["customdata"].append([team, standard, hover])
    size = _cell_font_size(len(standards))
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=list(range(len(standards))),
            y=list(range(len(teams))),
            zmin=0,
            zmax=1,
            colorscale=SHARE_SCALE,
            text=text,
            texttemplate="%{text}",
            textfont={"size": size},
            xgap=3,
            ygap=3,
            hoverinfo="skip",
            showlegend=False,
            colorbar={"title": {"text": "Share passing", "side": "right"}, "tickformat": ".0%", "len": 0.9},
        )
    )
    # One transparent marker per cell: what a click selects and what the pointer's hover reads
    fig.add_trace(
        go.Scatter(
            x=marks["x"],
            y=marks["y"],
            mode="markers+text",
            text=marks["text"],
            textfont={"size": size, "color": NOT_APPLICABLE_TEXT},
            customdata=marks["customdata"],
            marker={"symbol": "square", "size": 40, "opacity": 0},
            selected={"marker": {"opacity": 0}},
            unselected={"marker": {"opacity": 0}, "textfont": {"color": NOT_APPLICABLE_TEXT}},
            hovertemplate="%{customdata[2]}<extra></extra>",
            showlegend=False,
            name="cells",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=flags["x"],
            y=flags["y"],
            mode="markers",
            customdata=flags["customdata"],
            marker={
                "symbol": "triangle-ne",
                "size": 14,
                "color": STATUS_COLOURS["waived"],
                "line": {"color": "#212121", "width": 1},
            },
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}},
            hovertemplate="%{customdata[2]}<extra></extra>",
            name=WAIVED_FLAG_NAME,
            showlegend=True,
        )
    )
    layout(fig, title, n_rows=len(teams), x_title="Standard", y_title="Team")
    fig.update_layout(
        height=max(380, 260 + 60 * len(teams)),
        plot_bgcolor=EMPTY_CELL,
        hoverlabel={"font": {"size": FONT_SIZE}},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        title={"automargin": True, "yref": "container", "y": 0.99, "yanchor": "top"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "xanchor": "left", "x": 0},
    )
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(len(standards))),
        ticktext=standards,
        range=[-0.5, len(standards) - 0.5],
        side="top",
        tickangle=-40 if len(standards) > 6 else 0,
        showgrid=False,
        zeroline=False,
    )
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(len(teams))),
        ticktext=teams,
        range=[len(teams) - 0.5, -0.5],  # the first team on top
        showgrid=False,
        zeroline=False,
    )
    return fig


def cell_text(cell: Mapping[str, Any]) -> str:
    """`62%`, and `+13%` under it when some findings are waived (the waived share, apart: waived
    is not passing; the cell's corner flag and the legend name it)."""
    text = f"<b>{percent(float(cell['share_passing']))}</b>"
    if int(cell["waived"]) > 0:
        text += f"<br>+{percent(float(cell['share_waived']))}"
    return text


def percent(share: float) -> str:
    """A share as a whole percentage, never rounded to 0 % or 100 % when it is not exactly that."""
    if share <= 0:
        return "0%"
    if share >= 1:
        return "100%"
    value = round(share * 100)
    if value == 0:
        return "<1%"
    if value == 100:
        return ">99%"
    return f"{value}%"


def cell_from_selection(event: object) -> tuple[str, str] | None:
    """The (team, standard) of the first heatmap cell a chart selection event names, if any."""
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        data = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(data, list | tuple) and len(data) >= 2 and all(isinstance(v, str) and v for v in data[:2]):
            return data[0], data[1]
    return None


def _status_bars(frame: pd.DataFrame, column: str, *, title: str, y_title: str) -> go.Figure:
    if frame.empty:
        return empty(title, "Nothing to judge: no standards or no repositories")
    rows = worst_first(frame, column)
    names = rows[column].astype(str).tolist()
    applicable = rows["applicable"].astype(int)
    fig = go.Figure()
    for status in STATUSES:
        counts = rows[status].astype(int) if status in rows else pd.Series(0, index=rows.index)
        if not counts.any() and status != "pass":  # no empty legend entries (errors are rare)
            continue
        shares = (counts / applicable.where(applicable > 0)).fillna(0.0).tolist()
        label = STATUS_NAMES[status]
        fig.add_trace(
            go.Bar(
                name=label,
                orientation="h",
                x=shares,
                y=names,
                customdata=[[n, int(c), int(a)] for n, c, a in zip(names, counts, applicable, strict=True)],
                text=[percent(s) if s >= MIN_LABELLED_SHARE else "" for s in shares],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": TEXT_COLOURS[status], "size": FONT_SIZE},
                marker={
                    "color": STATUS_COLOURS[status],
                    "pattern": {"shape": STATUS_PATTERNS[status], **HATCH},
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                hovertemplate=(
                    f"<b>%{{customdata[0]}}</b><br>{label}: %{{x:.0%}} "
                    "(%{customdata[1]} of %{customdata[2]} applicable findings)<extra></extra>"
                ),
            )
        )
    layout(fig, title, n_rows=len(names), x_title=SHARE_X_TITLE, y_title=y_title)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(names)))
    fig.update_xaxes(range=[0, 1], tickformat=".0%", tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1])
    fig.update_layout(margin={"r": 30})  # room for the 100 % tick label
    for name, count in zip(names, applicable, strict=True):
        if count == 0:
            fig.add_annotation(x=0, y=name, text=f"{NOT_APPLICABLE}: nothing applies", showarrow=False,
                               xanchor="left", font={"size": FONT_SIZE, "color": NOT_APPLICABLE_TEXT})  # fmt: skip
    return fig


def worst_first(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Lowest share passing first, then the most failing share, then by name; nothing applicable last."""
    applicable = frame["applicable"].astype(int)
    share = frame["pass"].astype(int) / applicable.where(applicable > 0)
    fail = frame["fail"].astype(int) / applicable.where(applicable > 0)
    keys = pd.DataFrame(
        {
            "_none": applicable.eq(0).to_numpy(),
            "_share": share.fillna(2.0).to_numpy(),
            "_fail": (-fail.fillna(0.0)).to_numpy(),
            "_name": frame[column].astype(str).to_numpy(),
        },
        index=frame.index,
    )
    order = keys.sort_values(list(keys.columns), kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _cell_hover(team: str, standard: str, cell: Mapping[str, Any]) -> str:
    title = cell.get("title")
    head = f"<b>{team}</b> · {standard}<br>{title if isinstance(title, str) else standard}"
    if int(cell["applicable"]) == 0:
        return f"{head}<br>nothing applies"
    counts = " · ".join(f"{int(cell[s])} {STATUS_NAMES[s].lower()}" for s in STATUSES if s in cell)
    return f"{head}<br>{percent(float(cell['share_passing']))} passing of {int(cell['applicable'])}<br>{counts}"


def _cell_font_size(columns: int) -> int:
    """Cell text as large as the cells allow: a dozen standards fit the axis font, forty do not."""
    for most, size in ((12, FONT_SIZE), (20, 14), (30, 12)):
        if columns <= most:
            return size
    return 10
