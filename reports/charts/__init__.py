"""Chart builders: one aggregated frame in, one plotly Figure out.

The dashboard shows these figures, the HTML report embeds them and the deck draws the same numbers
as native charts. This module holds the Overview's figures; each other area has its module beside
it (`reports.charts.teams`, ...), and `reports.charts.style` the look they share. Every builder takes a small frame from `standards/` (one bar or one segment per
row), never raw fact rows. Figures are styled for a projector: large type, a title, labelled axes,
values written on the bars, and nothing told by colour alone (archived bars are hatched as well as
grey; language segments carry their name).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from collectors.detectors.languages import language_colour as github_colour
from reports.charts.style import (
    FONT_SIZE,
    HATCH,
    MIN_LABELLED_SHARE,
    NEUTRAL_GREY,
    TITLE_SIZE,
    empty,
    human_bytes,
    in_order,
    layout,
    nice_step,
)
from standards.overview import OTHER

__all__ = [
    "FONT_SIZE",
    "TITLE_SIZE",
    "language_bytes_per_team",
    "language_colour",
    "repos_per_team",
]

ACTIVE_COLOUR = "#2F5D8A"
ARCHIVED_COLOUR = "#BDBDBD"
ARCHIVED_PATTERN = "/"
OTHER_PATTERN = "."

LANGUAGE_X_TITLE = "Share of the team's bytes (active repositories)"


def repos_per_team(frame: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bars: active and archived repositories per team, the biggest team on top.

    `frame` is `standards.overview.repos_per_team`: team, active, archived, in display order.
    """
    title = "Repositories per team"
    if frame.empty:
        return empty(title, "No repositories in this snapshot")
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
    layout(fig, title, n_rows=len(teams), x_title="Repositories", y_title="Team")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(teams)))
    fig.update_xaxes(rangemode="tozero", tickformat="d", dtick=nice_step(int(frame["total"].max())))
    return fig


def language_bytes_per_team(frame: pd.DataFrame) -> go.Figure:
    """Horizontal 100 % bars: each team's bytes split by language, in GitHub's language colours.

    `frame` is `standards.overview.language_bytes_per_team`: team, language, bytes, share; the
    order of `team` and `language` (ordered categoricals, else first appearance) is the display
    order: first team on top, first language leftmost and first in the legend.
    """
    title = "Language mix per team"
    if frame.empty:
        return empty(title, "No language breakdown in this snapshot")
    teams = [str(t) for t in in_order(frame["team"])]
    fig = go.Figure()
    for language in map(str, in_order(frame["language"])):
        rows = frame[frame["language"] == language]
        shares = rows["share"].astype(float).tolist()
        fig.add_trace(
            go.Bar(
                name=language,
                orientation="h",
                x=shares,
                y=rows["team"].astype(str).tolist(),
                customdata=[[team, human_bytes(b)] for team, b in zip(rows["team"], rows["bytes"], strict=True)],
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
    layout(fig, title, n_rows=len(teams), x_title=LANGUAGE_X_TITLE, y_title="Team")
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
