"""The Trends figure: one metric over snapshots, a line per team and a heavier one for the
organisation.

Takes `standards.trends.trend_frame` rows (already cut to the teams to draw) and a
`standards.trends.Metric`. Lines stay apart without colour: each team has its own marker symbol
and dash, the organisation a thick solid black line with large markers. Every line ends in its name and
latest value (moved apart so no two overlap), and every earlier organisation point has its value
written above it on a white ground, readable across the team lines.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from reports.charts.style import DASHES, FONT_SIZE, SERIES_COLOURS, SYMBOLS, empty, in_order, layout
from standards.metrics import ORGANISATION
from standards.trends import Metric

ORGANISATION_NAME = "Organisation"
ORGANISATION_COLOUR = "#000000"
#: Team lines take the palette without its black (the organisation's) and yellow (a thin yellow
#: line is lost on white, above all on a projector).
TEAM_COLOURS = tuple(c for c in SERIES_COLOURS if c not in (ORGANISATION_COLOUR, "#F0E442"))
#: Team lines never take the organisation's solid dash or circle marker.
TEAM_DASHES = tuple(d for d in DASHES if d != "solid")
TEAM_SYMBOLS = tuple(s for s in SYMBOLS if s != "circle")
#: Snapshots up to this many get a tick each (their dates); more, plotly picks the ticks.
MAX_SNAPSHOT_TICKS = 12
#: The chart's height as `style.layout` rows, and the share of the value axis an end label needs.
HEIGHT_ROWS = 10
LABEL_GAP = 0.055


def value_text(value: float | None, unit: str) -> str:
    """A metric's value as written on the chart and in tables: 73%, 81, 2.4, 12."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if unit == "share":
        return f"{value:.0%}"
    if unit == "number":
        return f"{value:.1f}"
    return f"{value:.0f}"


def series_style(position: int) -> dict[str, object]:
    """The colour, marker symbol and dash of the `position`-th team line (0-based)."""
    return {
        "colour": TEAM_COLOURS[position % len(TEAM_COLOURS)],
        "symbol": TEAM_SYMBOLS[position % len(TEAM_SYMBOLS)],
        "dash": TEAM_DASHES[position % len(TEAM_DASHES)],
    }


def trend_lines(frame: pd.DataFrame, metric: Metric, *, highlight: pd.Timestamp | None = None) -> go.Figure:
    """Lines of `metric` over the snapshots: the organisation's first and emphasised, then one per
    team in the frame's order. `highlight`: the snapshot the rest of the dashboard shows, marked
    with a dotted line. Points carry `customdata` [team, snapshot label, value text] so a click
    names the team."""
    title = metric.title
    if frame.empty or frame[metric.column].notna().sum() == 0:
        return empty(title, metric.missing)
    fig = go.Figure()
    low, high = value_range(frame[metric.column], metric.unit)
    ends: list[tuple[float, str, str, pd.Timestamp]] = []  # (value, text, colour, x) of each line's end
    teams = [t for t in in_order(frame["team"]) if t != ORGANISATION]
    for position, team in enumerate([ORGANISATION, *teams]):
        rows = frame[frame["team"] == team].sort_values("taken_at", kind="stable")
        values = rows[metric.column].astype("float64")
        texts = [value_text(v, metric.unit) for v in values]
        is_org = team == ORGANISATION
        name = ORGANISATION_NAME if is_org else str(team)
        style = (
            {"colour": ORGANISATION_COLOUR, "symbol": "circle", "dash": "solid"}
            if is_org
            else series_style(position - 1)
        )
        fig.add_trace(
            go.Scatter(
                name=name,
                x=rows["taken_at"],
                y=values,
                mode="lines+markers",
                line={"color": style["colour"], "width": 5 if is_org else 2.5, "dash": style["dash"]},
                marker={
                    "symbol": style["symbol"],
                    "size": 14 if is_org else 10,
                    "color": style["colour"],
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                customdata=[[team, label, text] for label, text in zip(rows["label"], texts, strict=True)],
                hovertemplate=f"<b>{name}</b><br>%{{customdata[1]}}<br>{metric.label}: %{{customdata[2]}}<extra></extra>",
                connectgaps=False,
            )
        )
        last = values.last_valid_index()
        if last is None:
            continue
        ends.append(
            (
                float(values[last]),
                f"{name} {texts[rows.index.get_loc(last)]}",
                style["colour"],
                rows.loc[last, "taken_at"],
            )
        )
        if is_org:
            for x, y, text, index in zip(rows["taken_at"], values, texts, rows.index, strict=True):
                if text and index != last:
                    fig.add_annotation(
                        x=x, y=y, text=f"<b>{text}</b>", yshift=24, showarrow=False, bgcolor="rgba(255,255,255,0.85)",
                        font={"size": FONT_SIZE, "color": ORGANISATION_COLOUR},
                    )  # fmt: skip
    placed = spread([v for v, _, _, _ in ends], gap=(high - low) * LABEL_GAP, high=high)
    for (_, text, colour, x), y in zip(ends, placed, strict=True):
        fig.add_annotation(
            x=x, y=y, text=f"<b>{text}</b>", xanchor="left", xshift=14, showarrow=False,
            font={"size": FONT_SIZE, "color": colour}, bgcolor="rgba(255,255,255,0.85)",
        )  # fmt: skip
    layout(fig, title, n_rows=HEIGHT_ROWS, x_title="Snapshot taken", y_title=metric.axis)
    # the legend below the plot: with many teams it wraps, and above it would run into the title
    fig.update_layout(
        hovermode="closest",
        legend={"title": {"text": ""}, "orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
        margin={"t": 70, "b": 150},
    )
    fig.update_yaxes(range=[low, high], tickformat={"share": ".0%", "count": "d"}.get(metric.unit, ""))
    _time_axis(fig, frame)
    if highlight is not None:
        _mark(fig, highlight)
    return fig


def value_range(values: pd.Series, unit: str) -> tuple[float, float]:
    """The value axis: shares 0-100 %, scores 0-100, counts and numbers from zero; room above for
    the organisation's labels."""
    if unit == "share":
        return 0.0, 1.08
    if unit == "score":
        return 0.0, 108.0
    top = float(values.max()) if values.notna().any() else 1.0
    return 0.0, max(1.0, top) * 1.15


def spread(values: list[float], *, gap: float, high: float) -> list[float]:
    """Label heights near `values` (in the order given), at least `gap` apart: pushed up from the
    lowest, then, if the top one is past `high`, down from there."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [values[i] for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    if placed and placed[-1] > high:
        placed[-1] = high
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gap)
    out = [0.0] * len(values)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out


def _time_axis(fig: go.Figure, frame: pd.DataFrame) -> None:
    """A tick per snapshot (its date) when there are few; room on the right for the end labels."""
    taken = sorted(frame["taken_at"].drop_duplicates())
    if len(taken) <= MAX_SNAPSHOT_TICKS:
        fig.update_xaxes(tickvals=taken, ticktext=[t.strftime("%Y-%m-%d") for t in taken], tickangle=0)
    if len(taken) > 1:
        span = taken[-1] - taken[0]
        fig.update_xaxes(range=[taken[0] - span * 0.04, taken[-1] + span * 0.28])


def _mark(fig: go.Figure, when: pd.Timestamp) -> None:
    """A dotted vertical line at the snapshot shown elsewhere, labelled at its foot."""
    fig.add_shape(
        type="line", xref="x", yref="paper", x0=when, x1=when, y0=0, y1=1,
        line={"color": "#616161", "width": 2, "dash": "dot"},
    )  # fmt: skip
    fig.add_annotation(
        x=when, xref="x", y=0, yref="paper", yanchor="bottom", xanchor="right", xshift=-6, text="shown snapshot",
        showarrow=False, font={"size": FONT_SIZE - 2, "color": "#616161"},
    )  # fmt: skip
