"""Chart builders: one aggregated frame in, one plotly Figure out.

The dashboard shows these figures, the HTML report embeds them and the deck draws the same numbers
as native charts. Every builder takes a small frame from `standards/` (one bar or one segment per
row), never raw fact rows. Figures are styled for a projector: large type, a title, labelled axes,
values written on the bars, and nothing told by colour alone (archived bars are hatched as well as
grey; language segments carry their name).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from collectors.detectors.languages import language_colour as github_colour
from standards.overview import OTHER

#: For languages without a GitHub colour, and for the "Other" bucket.
NEUTRAL_GREY = "#9E9E9E"
ACTIVE_COLOUR = "#2F5D8A"
ARCHIVED_COLOUR = "#BDBDBD"
ARCHIVED_PATTERN = "/"
OTHER_PATTERN = "."
#: Light hatching over the segment's own colour: the pattern tells the segment apart (not colour
#: alone), the label on it stays readable.
HATCH = {"fillmode": "overlay", "fgcolor": "#616161", "size": 10, "solidity": 0.25}

LANGUAGE_X_TITLE = "Share of the team's bytes (active repositories)"

FONT_SIZE = 16
TITLE_SIZE = 22
#: A segment narrower than this share of its bar gets no written label (it would not fit).
MIN_LABELLED_SHARE = 0.08


def repos_per_team(frame: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bars: active and archived repositories per team, the biggest team on top.

    `frame` is `standards.overview.repos_per_team`: team, active, archived, in display order.
    """
    title = "Repositories per team"
    if frame.empty:
        return _empty(title, "No repositories in this snapshot")
    teams = frame["team"].astype(str).tolist()
    fig = go.Figure()
    for column, name, colour, pattern in (
        ("active", "Active", ACTIVE_COLOUR, ""),
        ("archived", "Archived", ARCHIVED_COLOUR, ARCHIVED_PATTERN),
    ):
        counts = frame[column].astype(int).tolist()
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                x=counts,
                y=teams,
                customdata=teams,
                text=[str(c) if c else "" for c in counts],
                textposition="inside",
                insidetextanchor="middle",
                marker={"color": colour, "pattern": {"shape": pattern, **HATCH}},
                textfont={"color": "#FFFFFF" if column == "active" else "#212121"},
                hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{x}}<extra></extra>",
            )
        )
    _layout(fig, title, n_rows=len(teams), x_title="Repositories", y_title="Team")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(teams)))
    fig.update_xaxes(rangemode="tozero", tickformat="d", dtick=_nice_step(int(frame["total"].max())))
    return fig


def language_bytes_per_team(frame: pd.DataFrame) -> go.Figure:
    """Horizontal 100 % bars: each team's bytes split by language, in GitHub's language colours.

    `frame` is `standards.overview.language_bytes_per_team`: team, language, bytes, share; the
    order of `team` and `language` (ordered categoricals, else first appearance) is the display
    order: first team on top, first language leftmost and first in the legend.
    """
    title = "Language mix per team"
    if frame.empty:
        return _empty(title, "No language breakdown in this snapshot")
    teams = [str(t) for t in _in_order(frame["team"])]
    fig = go.Figure()
    for language in map(str, _in_order(frame["language"])):
        rows = frame[frame["language"] == language]
        shares = rows["share"].astype(float).tolist()
        fig.add_trace(
            go.Bar(
                name=language,
                orientation="h",
                x=shares,
                y=rows["team"].astype(str).tolist(),
                customdata=[[team, _human_bytes(b)] for team, b in zip(rows["team"], rows["bytes"], strict=True)],
                text=[language if s >= MIN_LABELLED_SHARE else "" for s in shares],
                textposition="inside",
                insidetextanchor="middle",
                marker={
                    "color": language_colour(language),
                    "pattern": {"shape": OTHER_PATTERN, **HATCH} if language == OTHER else {"shape": ""},
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                hovertemplate=(f"<b>%{{y}}</b><br>{language}: %{{x:.1%}} of bytes (%{{customdata[1]}})<extra></extra>"),
            )
        )
    _layout(fig, title, n_rows=len(teams), x_title=LANGUAGE_X_TITLE, y_title="Team")
    # Up to a dozen names: a column at the right, in stacking order, clear of the title
    fig.update_layout(
        barmode="stack",
        legend={"orientation": "v", "yanchor": "top", "y": 1.0, "xanchor": "left", "x": 1.02},
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(teams)))
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    return fig


def language_colour(name: str) -> str:
    """GitHub's colour for a language; neutral grey for "Other" and for languages it has none for."""
    if name == OTHER:
        return NEUTRAL_GREY
    return github_colour(name) or NEUTRAL_GREY


def _in_order(column: pd.Series) -> list:
    """The values of a column in display order: an ordered categorical's order, else first seen."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        present = set(column)
        return [c for c in column.cat.categories if c in present]
    return list(dict.fromkeys(column))


def _layout(fig: go.Figure, title: str, *, n_rows: int, x_title: str, y_title: str) -> None:
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


def _empty(title: str, message: str) -> go.Figure:
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


def _nice_step(largest: int, ticks: int = 8) -> int:
    """A whole tick step (1, 2, 5, 10, 20, 50, ...) giving at most `ticks` steps up to `largest`."""
    decade = 1
    while True:
        for factor in (1, 2, 5):
            if decade * factor * ticks >= largest:
                return decade * factor
        decade *= 10


def _human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
