"""The Languages page's figures: bytes per team by language, and repositories per language.

Frames come from `standards.languages_view` (and `standards.overview.language_bytes_per_team`),
colours from GitHub's language table (`reports.charts.language_colour`), so a language looks the
same on every chart. Segments carry their language's name as well as its colour; "uses it" bars
are hatched apart from "main language" bars. Each figure has a decoder for its clicks
(`mix_click`, `language_click`): the chart knows what it put in a point's `customdata`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from reports.charts import OTHER_PATTERN, language_colour
from reports.charts.style import (
    HATCH,
    MIN_LABELLED_SHARE,
    NEUTRAL_GREY,
    empty,
    human_bytes,
    in_order,
    layout,
    nice_step,
)
from standards.overview import OTHER

#: The two parts of each language's bar in `repos_per_language`: (part, legend name, pattern).
REPO_BARS = (
    ("main_of", "Main language", ""),
    ("used_in", "Used, not main", "/"),
)
BYTES_X_TITLE = "Bytes of code (programming and markup languages)"


def language_bytes_stacked(frame: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bars: each team's bytes split by language, in GitHub's colours.

    `frame` is `standards.overview.language_bytes_per_team` (team, language, bytes, share; its
    categorical order is the display order: first team on top, first language leftmost). Unlike
    `reports.charts.language_bytes_per_team` (each team's mix as 100 %), bar lengths are bytes,
    so a team's size shows too. A segment is named when it is at least `MIN_LABELLED_SHARE` of
    the longest bar.
    """
    title = "Bytes per team by language"
    if frame.empty:
        return empty(title, "No language breakdown in this snapshot")
    teams = [str(t) for t in in_order(frame["team"])]
    longest = float(frame.groupby("team", observed=True)["bytes"].sum().max())
    fig = go.Figure()
    for language in map(str, in_order(frame["language"])):
        rows = frame[frame["language"] == language]
        sizes = rows["bytes"].astype("int64").tolist()
        fig.add_trace(
            go.Bar(
                name=language,
                orientation="h",
                x=sizes,
                y=rows["team"].astype(str).tolist(),
                customdata=[
                    [team, human_bytes(b), language, s]
                    for team, b, s in zip(rows["team"].astype(str), sizes, rows["share"].astype(float), strict=True)
                ],
                text=[language if longest and b / longest >= MIN_LABELLED_SHARE else "" for b in sizes],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                marker={
                    "color": language_colour(language),
                    "pattern": {"shape": OTHER_PATTERN, **HATCH} if language == OTHER else {"shape": ""},
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                hovertemplate=(
                    f"<b>%{{y}}</b><br>{language}: %{{customdata[1]}} "
                    f"(%{{customdata[3]:.0%}} of the team's bytes)<extra></extra>"
                ),
            )
        )
    layout(fig, title, n_rows=len(teams), x_title=BYTES_X_TITLE, y_title="Team")
    fig.update_layout(
        barmode="stack",
        legend={"orientation": "v", "yanchor": "top", "y": 1.0, "xanchor": "left", "x": 1.02},
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(teams)))
    fig.update_xaxes(rangemode="tozero", tickformat="~s", ticksuffix="B")
    return fig


def repos_per_language(frame: pd.DataFrame) -> go.Figure:
    """One bar per language, as long as the repositories using it: the solid part is those whose
    main language it is, the hatched part the others using it; the main count is written inside,
    the total at the end. Bars are in the language's colour; the legend's two grey entries say
    which part is which (the pattern tells them apart, not the colour). The first row on top.

    `frame` is `standards.languages_view.LanguagesView.per_language` (language, main_of, used_in),
    cut to the rows to show.
    """
    title = "Repositories per language"
    if frame.empty:
        return empty(title, "No language breakdown in this snapshot")
    languages = frame["language"].astype(str).tolist()
    colours = [language_colour(lang) for lang in languages]
    main = frame["main_of"].astype("int64").tolist()
    used = frame["used_in"].astype("int64").tolist()
    rest = [u - m for u, m in zip(used, main, strict=True)]
    fig = go.Figure()
    for (part, name, pattern), counts, text, position in (
        (REPO_BARS[0], main, [str(m) if m else "" for m in main], "inside"),
        (REPO_BARS[1], rest, [str(u) for u in used], "outside"),
    ):
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                x=counts,
                y=languages,
                customdata=[[lang, part, m, u] for lang, m, u in zip(languages, main, used, strict=True)],
                text=text,
                textposition=position,
                insidetextanchor="middle",
                textangle=0,
                cliponaxis=False,
                showlegend=False,
                marker={
                    "color": colours,
                    "pattern": {"shape": pattern, **HATCH} if pattern else {"shape": ""},
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                hovertemplate=(
                    "<b>%{y}</b><br>used in %{customdata[3]} repositories,"
                    " the main language of %{customdata[2]}<extra></extra>"
                ),
            )
        )
    for _, name, pattern in REPO_BARS:  # legend entries only: grey, so no language's colour stands for all
        fig.add_trace(
            go.Bar(
                name=name, x=[None], y=[None], orientation="h", hoverinfo="skip",
                marker={"color": NEUTRAL_GREY, "pattern": {"shape": pattern, **HATCH} if pattern else {"shape": ""}},
            )
        )  # fmt: skip
    layout(fig, title, n_rows=len(languages), x_title="Repositories", y_title="Language")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(languages)))
    largest = max(used)
    # room to the right of the longest bar for its written total
    fig.update_xaxes(rangemode="tozero", tickformat="d", dtick=nice_step(largest), range=[0, largest * 1.1 + 0.5])
    return fig


def _points(event: Any) -> list[dict[str, Any]]:
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return []
    return [p for p in points or [] if isinstance(p, dict)]


def mix_click(event: Any, fig: go.Figure) -> tuple[str | None, str | None]:
    """(team, language) of the first segment clicked on a language-mix chart (this module's
    `language_bytes_stacked` or `reports.charts.language_bytes_per_team`); None for what the
    click does not name. The language is the clicked trace's name: `OTHER` for the grouped rest."""
    for point in _points(event):
        data = point.get("customdata")
        team = data[0] if isinstance(data, list | tuple) and data else point.get("y")
        curve = point.get("curve_number")
        language = fig.data[curve].name if isinstance(curve, int) and 0 <= curve < len(fig.data) else None
        if isinstance(team, str) and team:
            return team, language
    return None, None


def language_click(event: Any) -> str | None:
    """The language of the first bar clicked on `repos_per_language`."""
    for point in _points(event):
        data = point.get("customdata")
        language = data[0] if isinstance(data, list | tuple) and data else point.get("y")
        if isinstance(language, str) and language:
            return language
    return None
