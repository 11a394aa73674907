"""The look every guildboard chart shares: sizes for a projector, a colour-blind-safe palette, and
small helpers (layout, empty figure, tick steps, byte sizes). Chart modules import from here.

Status colours follow Okabe and Ito's palette, which stays distinct for the common kinds of colour
blindness; every chart also tells status by a pattern or a written label, never by colour alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

FONT_SIZE = 16
TITLE_SIZE = 22
#: A segment narrower than this share of its bar gets no written label (it would not fit).
MIN_LABELLED_SHARE = 0.08
NEUTRAL_GREY = "#9E9E9E"
#: Light hatching over a segment's own colour: the pattern tells the segment apart (not colour
#: alone), the label on it stays readable.
HATCH = {"fillmode": "overlay", "fgcolor": "#616161", "size": 10, "solidity": 0.25}

#: One colour and one pattern per result status (Okabe-Ito), in the order bars stack.
STATUS_COLOURS = {
    "pass": "#0072B2",  # blue
    "waived": "#E69F00",  # orange
    "fail": "#D55E00",  # vermillion
    "error": "#CC79A7",  # reddish purple
    "not-applicable": "#BDBDBD",  # grey
}
STATUS_PATTERNS = {"pass": "", "waived": "/", "fail": "x", "error": ".", "not-applicable": ""}
#: Build states, same idea: green/red are never told by colour alone (the name is on the bar).
BUILD_COLOURS = {"green": "#0072B2", "pending": "#F0E442", "red": "#D55E00", "unknown": "#BDBDBD"}
BUILD_PATTERNS = {"green": "", "pending": ".", "red": "x", "unknown": "/"}
#: Levels, lowest first: a sequential blue scale (none is grey).
LEVEL_COLOURS = {"none": "#BDBDBD", "bronze": "#9ECAE1", "silver": "#4292C6", "gold": "#08306B"}
#: For heatmaps of a share (0..1): perceptually uniform and readable with colour blindness.
SHARE_SCALE = "Cividis"
#: Line and marker symbols for series that must stay apart without colour (trends).
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "triangle-down", "pentagon", "hexagon")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
#: A qualitative palette for series (teams) that stays apart under colour blindness (Okabe-Ito).
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def in_order(column: pd.Series) -> list:
    """The values of a column in display order: an ordered categorical's order, else first seen."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        present = set(column)
        return [c for c in column.cat.categories if c in present]
    return list(dict.fromkeys(column))


def layout(fig: go.Figure, title: str, *, n_rows: int, x_title: str, y_title: str) -> None:
    fig.update_layout(
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"},
        font={"size": FONT_SIZE},
        height=max(320, 150 + 44 * n_rows),
        margin={"l": 10, "r": 10, "t": 90, "b": 60},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "xanchor": "left",
            "x": 0,
            "traceorder": "normal",  # stacked bars would reverse it
            "font": {"size": FONT_SIZE},
        },
        bargap=0.25,
        uniformtext={"minsize": 12, "mode": "hide"},
    )
    # Tick and axis-title sizes are set on the axes: a template (Streamlit's) sets them there too
    fig.update_xaxes(title={"text": x_title, "font": {"size": FONT_SIZE}}, tickfont={"size": FONT_SIZE})
    fig.update_yaxes(
        title={"text": y_title, "font": {"size": FONT_SIZE}}, tickfont={"size": FONT_SIZE}, automargin=True
    )


def empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"},
        font={"size": FONT_SIZE},
        height=320,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[{"text": message, "showarrow": False, "font": {"size": FONT_SIZE}}],
    )
    return fig


def nice_step(largest: int, ticks: int = 8) -> int:
    """A whole tick step (1, 2, 5, 10, 20, 50, ...) giving at most `ticks` steps up to `largest`."""
    decade = 1
    while True:
        for factor in (1, 2, 5):
            if decade * factor * ticks >= largest:
                return decade * factor
        decade *= 10


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
