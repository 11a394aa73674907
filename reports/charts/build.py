"""The Build health page's figures: default-branch states per team, CI providers per team.

Frames come from `standards.build_view`. Build states use `BUILD_COLOURS` and `BUILD_PATTERNS`
and write the state's name on its segment, so red and green are never told by colour alone.
`build_click` decodes a click on the states chart: the chart knows what it put in `customdata`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from collectors.facts import BUILD_STATES
from reports.charts.style import (
    BUILD_COLOURS,
    BUILD_PATTERNS,
    FONT_SIZE,
    HATCH,
    SHARE_SCALE,
    empty,
    in_order,
    layout,
    nice_step,
)

#: Text on a state's segment: dark on the light colours, white on the dark ones.
#: From this share up, a cell of the share scale is light enough for dark text.
LIGHT_FROM = 0.6
STATE_TEXT_COLOURS = {"green": "#FFFFFF", "pending": "#212121", "red": "#FFFFFF", "unknown": "#212121"}


def build_states_per_team(frame: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bars: each team's repositories by default-branch state, best state
    leftmost, each segment hatched by state and labelled with its name and count.

    `frame` is `standards.build_view.BuildView.states`: team, state, repositories; the order of
    `team` is the display order (first on top).
    """
    title = "Default-branch build per team"
    if frame.empty or int(frame["repositories"].sum()) == 0:
        return empty(title, "No repositories in this snapshot")
    teams = [str(t) for t in in_order(frame["team"])]
    fig = go.Figure()
    for state in BUILD_STATES:
        rows = frame[frame["state"] == state]
        counts = rows["repositories"].astype("int64").tolist()
        team_names = rows["team"].astype(str).tolist()
        fig.add_trace(
            go.Bar(
                name=state,
                orientation="h",
                x=counts,
                y=team_names,
                customdata=[[team, state] for team in team_names],
                text=[f"{state} {c}" if c else "" for c in counts],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": STATE_TEXT_COLOURS[state]},
                marker={
                    "color": BUILD_COLOURS[state],
                    "pattern": {"shape": BUILD_PATTERNS[state], **HATCH},
                    "line": {"color": "#FFFFFF", "width": 1},
                },
                hovertemplate=f"<b>%{{y}}</b><br>{state}: %{{x}} repositories<extra></extra>",
            )
        )
    layout(fig, title, n_rows=len(teams), x_title="Repositories", y_title="Team")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(teams)))
    largest = int(frame.groupby("team", observed=True)["repositories"].sum().max())
    fig.update_xaxes(rangemode="tozero", tickformat="d", dtick=nice_step(largest))
    return fig


def ci_providers_per_team(frame: pd.DataFrame) -> go.Figure:
    """A team x CI provider grid: each cell's colour is the share of the team's repositories
    using the provider, its text the number of repositories (blank when none).

    `frame` is `standards.build_view.BuildView.providers`: team, provider, repositories, share;
    providers in their display order (left to right), teams first on top.
    """
    title = "CI providers per team"
    if frame.empty:
        return empty(title, "No repositories in this snapshot")
    teams = [str(t) for t in in_order(frame["team"])]
    providers = [str(p) for p in in_order(frame["provider"])]
    grid = frame.pivot_table(index="team", columns="provider", values="share", aggfunc="sum", observed=True)
    counts = frame.pivot_table(index="team", columns="provider", values="repositories", aggfunc="sum", observed=True)
    grid = grid.reindex(index=teams, columns=providers)
    counts = counts.reindex(index=teams, columns=providers).fillna(0).astype("int64")
    shares = grid.to_numpy()
    fig = go.Figure(
        go.Heatmap(
            z=shares,
            x=providers,
            y=teams,
            customdata=counts.to_numpy(),
            colorscale=SHARE_SCALE,
            zmin=0,
            zmax=1,
            xgap=3,
            ygap=3,
            colorbar={"title": {"text": "Share of the<br>team's repos"}, "tickformat": ".0%"},
            hovertemplate="<b>%{y}</b> · %{x}<br>%{customdata} repositories (%{z:.0%})<extra></extra>",
        )
    )
    # the count on each cell, dark on the light end of the scale and white on the dark end
    fig.update_layout(
        annotations=[
            {
                "x": provider,
                "y": team,
                "text": str(count),
                "showarrow": False,
                "font": {"size": FONT_SIZE, "color": "#212121" if share >= LIGHT_FROM else "#FFFFFF"},
            }
            for team, row, share_row in zip(teams, counts.to_numpy().tolist(), shares.tolist(), strict=True)
            for provider, count, share in zip(providers, row, share_row, strict=True)
            if count
        ]
    )
    layout(fig, title, n_rows=len(teams), x_title="CI provider", y_title="Team")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(teams)))
    fig.update_xaxes(side="bottom", showgrid=False)
    fig.update_yaxes(showgrid=False)
    return fig


def build_click(event: Any) -> tuple[str | None, str | None]:
    """(team, state) of the first segment clicked on `build_states_per_team`."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None, None
    for point in points or []:
        data = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(data, list | tuple) and len(data) == 2 and all(isinstance(v, str) for v in data):
            return data[0], data[1]
    return None, None
