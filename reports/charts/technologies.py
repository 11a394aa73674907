"""The Technologies page's figures: the radar against usage, fragmentation per category and team,
and how far each team's choices are from the organisation's.

Each builder takes one small frame from `standards.technologies` (one bar or one cell per row).
Rings are told by position and a written group label (the bars are grouped by ring), and by a
pattern as well as a colour; the fragmentation heatmap writes its number in every cell.

Streamlit reports no selection for a click on a heatmap, so `clickable_cells` lays an invisible
marker over each cell: a click on the cell selects the marker, whose `customdata` names the cell.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reports.charts.style import FONT_SIZE, HATCH, empty, in_order, layout, nice_step
from standards.metrics import ORGANISATION

#: One colour and one pattern per ring (Okabe-Ito): hold is hatched, unreviewed striped.
RING_COLOURS = {
    "adopt": "#0072B2",
    "trial": "#56B4E9",
    "assess": "#E69F00",
    "hold": "#D55E00",
    "unreviewed": "#BDBDBD",
}
RING_PATTERNS = {"adopt": "", "trial": "", "assess": ".", "hold": "x", "unreviewed": "/"}
#: How a ring is written on the chart (the group label beside its bars, the legend).
RING_LABELS = {
    "adopt": "Adopt",
    "trial": "Trial",
    "assess": "Assess",
    "hold": "Hold",
    "unreviewed": "Not on the radar",
}
#: Bars without a radar (no ring to colour by).
USAGE_COLOUR = "#2F5D8A"
#: Fragmentation: one choice is light, many are dark (sequential, readable with colour blindness).
FRAGMENTATION_SCALE = "Blues"
DEVIATION_COLOUR = "#2F5D8A"
#: How the organisation's column of a per-team heatmap is labelled.
ORGANISATION_LABEL = "Whole organisation"
#: The size of the number written in a heatmap cell by how many columns share the width (the first
#: row whose column count is not exceeded); past the last, cells are too narrow to write in.
FRAGMENTATION_TEXT_SIZES = ((12, FONT_SIZE - 2), (20, FONT_SIZE - 4), (28, FONT_SIZE - 6))
#: Pixels per bar of a long horizontal bar chart, per row of a heatmap.
BAR_ROW = 30
CELL_ROW = 36

USAGE_X_TITLE = "Repositories using it (active)"
#: Hover text as large as the chart's own (read from the back of a meeting room).
HOVER_LABEL = {"font": {"size": FONT_SIZE}}
#: Pixels per character of a bar's written text, and the most the right margin gives it.
TEXT_CHAR_WIDTH = 9
MAX_TEXT_MARGIN = 280


def technology_usage(frame: pd.DataFrame, *, title: str = "The radar against usage") -> go.Figure:
    """Horizontal bars, one per technology, grouped by ring (or by category without a radar).

    `frame` is `standards.technologies.usage_bars`: group, technology, ring, repos, teams,
    team_names, note, in display order (the first row on top). The group is written beside its
    bars (a two-level axis), each ring is a legend entry with its colour and pattern, and the count
    is written at the end of each bar with its note ("2 · move to pekko").
    """
    if frame.empty:
        return empty(title, "No technology in use in these repositories")
    groups = [RING_LABELS.get(str(g), str(g)) for g in frame["group"]]
    fig = go.Figure()
    rings = [r for r in in_order(frame["ring"].astype(object))]
    for ring in rings:
        mine = (frame["ring"].isna()) if ring is None else (frame["ring"] == ring)
        rows = frame[mine.to_numpy()]
        group = [g for g, keep in zip(groups, mine, strict=True) if keep]
        counts = rows["repos"].astype(int).tolist()
        fig.add_trace(
            go.Bar(
                name=RING_LABELS.get(ring, "Repositories") if ring else "Repositories",
                orientation="h",
                x=counts,
                y=[group, rows["technology"].astype(str).tolist()],
                customdata=[
                    [tech, ", ".join(names), n_teams]
                    for tech, names, n_teams in zip(rows["technology"], rows["team_names"], rows["teams"], strict=True)
                ],
                text=[f"{n} · {note}" if note else str(n) for n, note in zip(counts, rows["note"], strict=True)],
                textposition="outside",
                cliponaxis=False,
                marker={
                    "color": RING_COLOURS.get(ring, USAGE_COLOUR) if ring else USAGE_COLOUR,
                    "pattern": {"shape": RING_PATTERNS.get(ring, "") if ring else "", **HATCH},
                    "line": {"color": "#616161", "width": 1},
                },
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{x} repositories in %{customdata[2]} teams"
                    "<br>%{customdata[1]}<extra></extra>"
                ),
            )
        )
    layout(fig, title, n_rows=len(frame), x_title=USAGE_X_TITLE, y_title="")
    largest = int(frame["repos"].max())
    longest = max(len(text) for trace in fig.data for text in trace.text)
    fig.update_layout(
        height=max(320, 170 + BAR_ROW * len(frame)),
        bargap=0.2,
        showlegend=any(r is not None for r in rings),
        uniformtext={"minsize": FONT_SIZE - 2, "mode": "show"},
    )
    room_for_text(fig, longest)
    fig.update_yaxes(autorange="reversed", dividercolor="#616161", dividerwidth=1, tickson="boundaries")
    fig.update_xaxes(range=[0, max(1, largest) * 1.05], tickformat="d", dtick=nice_step(max(1, largest)))
    fig.update_layout(hoverlabel=HOVER_LABEL)
    return fig


def fragmentation_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Category x team: the effective number of technologies each team uses per category, written
    in every cell (1.0: one technology; n: n used equally), the organisation's column first.

    `frame` is `standards.technologies.fragmentation`: category, team (ordered categoricals, the
    display order: first category on top), technologies, repos, effective_choices, top_technology,
    top_share. A cell with no repository using the category is left blank.
    """
    title = "How many ways each category is done, per team"
    if frame.empty:
        return empty(title, "No technology in use in these repositories")
    categories = [str(c) for c in in_order(frame["category"])]
    teams = [str(t) for t in in_order(frame["team"])]
    table = {(str(r["category"]), str(r["team"])): r for r in frame.to_dict("records")}
    z, text, hover, points = [], [], [], []
    for category in categories:
        z_row, text_row, hover_row = [], [], []
        for team in teams:
            cell = table.get((category, team))
            if cell is None:
                z_row.append(None)
                text_row.append("")
                hover_row.append("")
                continue
            choices = float(cell["effective_choices"])
            z_row.append(choices)
            text_row.append(f"{choices:.1f}")
            hover_row.append(
                f"<b>{category}</b> · {_team_label(team)}<br>{choices:.1f} effective choices: "
                f"{int(cell['technologies'])} technologies in {int(cell['repos'])} repositories"
                f"<br>most used: {cell['top_technology']} ({float(cell['top_share']):.0%})"
            )
            points.append((_team_label(team), category, [category, team], hover_row[-1]))
        z.append(z_row)
        text.append(text_row)
        hover.append(hover_row)
    x = [_team_label(t) for t in teams]
    text_size = cell_text_size(len(teams), FRAGMENTATION_TEXT_SIZES)
    # the organisation's cells run higher than any team's: the scale follows the teams' (the
    # organisation's darkest cells saturate), so the teams' differences stay visible
    per_team = frame.loc[frame["team"].astype(str) != ORGANISATION, "effective_choices"]
    top = float(per_team.max()) if len(per_team) else float(frame["effective_choices"].max())
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=categories,
            text=text,
            texttemplate="%{text}" if text_size else "",
            textfont={"size": text_size or FONT_SIZE},
            colorscale=FRAGMENTATION_SCALE,
            zmin=1,
            zmax=max(2.0, top),
            xgap=2,
            ygap=2,
            hoverinfo="skip",
            colorbar={
                "title": {"text": "Effective choices", "side": "right"},
                "thickness": 18,
                "lenmode": "pixels",
                "len": 320,
                "y": 1,
                "yanchor": "top",
            },
        )
    )
    clickable_cells(fig, points)
    layout(fig, title, n_rows=len(categories), x_title="Team", y_title="Category")
    # team names along the top (read before scrolling down a long heatmap), slanted to fit
    fig.update_layout(
        height=max(420, 260 + CELL_ROW * len(categories)),
        plot_bgcolor="#FFFFFF",
        margin={"t": 230},
        title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
    )
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=categories, showgrid=False)
    fig.update_xaxes(
        side="top", tickangle=-35, categoryorder="array", categoryarray=x, showgrid=False, title={"standoff": 8}
    )
    fig.update_layout(hoverlabel=HOVER_LABEL)
    return fig


def team_deviation(frame: pd.DataFrame) -> go.Figure:
    """Horizontal bars: the share of each team's (repository, category) choices that differ from
    the organisation's most common technology, most deviating team on top.

    `frame` is `standards.metrics.team_deviation`: team, deviation, choices, differing_choices.
    """
    title = "How far each team's choices are from the organisation's"
    if frame.empty:
        return empty(title, "No technology in use in these repositories")
    teams = frame["team"].astype(str).tolist()
    shares = frame["deviation"].astype(float).tolist()
    fig = go.Figure(
        go.Bar(
            orientation="h",
            x=shares,
            y=teams,
            customdata=teams,
            text=[
                f"{s:.0%} · {d} of {c}"
                for s, d, c in zip(shares, frame["differing_choices"], frame["choices"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            marker={"color": DEVIATION_COLOUR},
            hovertemplate="<b>%{y}</b><br>%{text} choices differ<extra></extra>",
            name="Differing choices",
        )
    )
    layout(fig, title, n_rows=len(teams), x_title="Share of the team's choices that differ", y_title="Team")
    fig.update_layout(showlegend=False)
    room_for_text(fig, max(len(text) for text in fig.data[0].text))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 1.02], tickformat=".0%", tickvals=[0, 0.25, 0.5, 0.75, 1])
    fig.update_layout(hoverlabel=HOVER_LABEL)
    return fig


def clickable_cells(fig: go.Figure, points: list[tuple[str, str, list, str]]) -> None:
    """An invisible square marker over each heatmap cell (x, y, customdata, hover text), so a click
    on a cell reports a selection naming it (Streamlit reports none for a heatmap)."""
    if not points:
        return
    xs, ys, data, hover = zip(*points, strict=True)
    fig.add_trace(
        go.Scatter(
            x=list(xs),
            y=list(ys),
            customdata=list(data),
            hovertext=list(hover),
            hovertemplate="%{hovertext}<extra></extra>",
            mode="markers",
            marker={"symbol": "square", "size": 28, "color": "rgba(0,0,0,0)"},
            selected={"marker": {"color": "rgba(0,0,0,0)"}},
            unselected={"marker": {"opacity": 1}},
            showlegend=False,
            name="cells",
        )
    )


def room_for_text(fig: go.Figure, longest: int) -> None:
    """The text written after the longest bars runs into the right margin: make the margin as wide
    as the longest text (in characters), so nothing is cut at the chart's edge."""
    fig.update_layout(margin={"r": min(MAX_TEXT_MARGIN, 20 + TEXT_CHAR_WIDTH * longest)})


def cell_text_size(columns: int, sizes: tuple[tuple[int, int], ...]) -> int | None:
    """The font size for a heatmap's cell text with this many columns (None: too many to write in)."""
    return next((size for most, size in sizes if columns <= most), None)


def _team_label(team: str) -> str:
    return ORGANISATION_LABEL if team == ORGANISATION else team


def ring_label(ring: str | None) -> str:
    """How a ring is written for people (`Not on the radar` for unreviewed)."""
    return RING_LABELS.get(ring or "", ring or "")
