"""reports.charts.build: the Build health page's figures, from standards.build_view's frames."""

from __future__ import annotations

import math

import plotly.colors
import pytest

from reports.charts import build as bc
from reports.charts.style import BUILD_COLOURS, BUILD_PATTERNS, SHARE_SCALE
from standards import build_view as bv
from tests.test_standards_build_view import TAKEN_AT, github_org, of


def view() -> bv.BuildView:
    return bv.build_view(of(github_org()), TAKEN_AT)


def test_states_per_team_one_hatched_trace_per_state_with_its_name_written() -> None:
    fig = bc.build_states_per_team(view().states)
    assert [t.name for t in fig.data] == ["green", "pending", "red", "unknown"]
    by_state = {t.name: t for t in fig.data}
    teams = ["payments", "search", "platform"]
    for state, trace in by_state.items():
        assert list(trace.y) == teams
        assert trace.marker.color == BUILD_COLOURS[state]
        assert trace.marker.pattern.shape == BUILD_PATTERNS[state]
        assert [list(c) for c in trace.customdata] == [[team, state] for team in teams]
    assert list(by_state["green"].x) == [1, 1, 0]
    assert list(by_state["red"].x) == [1, 0, 0]
    assert list(by_state["unknown"].x) == [0, 0, 2]
    # the state is written on its segment (red and green never by colour alone), nothing on an empty one
    assert list(by_state["green"].text) == ["green 1", "green 1", ""]
    assert list(by_state["pending"].text) == ["", "pending 1", ""]
    assert list(by_state["unknown"].text) == ["", "", "unknown 2"]
    assert by_state["pending"].textfont.color == "#212121"  # dark on yellow
    assert by_state["red"].textfont.color == "#FFFFFF"
    assert {BUILD_PATTERNS["red"], BUILD_PATTERNS["pending"], BUILD_PATTERNS["unknown"]} == {"x", ".", "/"}
    assert fig.layout.barmode == "stack"
    assert list(fig.layout.yaxis.categoryarray) == list(reversed(teams))  # most red on top
    assert fig.layout.title.text == "Default-branch build per team"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("Repositories", "Team")
    assert fig.layout.xaxis.dtick == 1


def test_ci_providers_grid_colours_the_share_and_writes_the_count() -> None:
    fig = bc.ci_providers_per_team(view().providers)
    (grid,) = fig.data
    providers = ["github-actions", "circleci", "gitlab-ci", "jenkins", bv.NO_CI]
    assert list(grid.x) == providers  # most used first, "no CI file" last
    assert list(grid.y) == ["payments", "platform", "search"]
    z = [[None if math.isnan(v) else round(v, 2) for v in row] for row in grid.z]
    assert z == [
        [1.0, None, None, 0.5, None],
        [None, None, 0.5, None, 0.5],
        [1.0, 0.5, None, None, None],
    ]
    assert (grid.zmin, grid.zmax) == (0, 1)
    written = {(a.y, a.x): (a.text, a.font.color) for a in fig.layout.annotations}
    assert written == {
        ("payments", "github-actions"): ("2", "#212121"),  # 100 %: light cell, dark text
        ("payments", "jenkins"): ("1", "#FFFFFF"),
        ("platform", "gitlab-ci"): ("1", "#FFFFFF"),
        ("platform", bv.NO_CI): ("1", "#FFFFFF"),
        ("search", "github-actions"): ("2", "#212121"),
        ("search", "circleci"): ("1", "#FFFFFF"),
    }
    assert fig.layout.title.text == "CI providers per team"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("CI provider", "Team")


def test_the_grid_uses_the_shared_share_scale() -> None:
    fig = bc.ci_providers_per_team(view().providers)
    expected = plotly.colors.get_colorscale(SHARE_SCALE)
    assert [c for _, c in fig.data[0].colorscale] == [c for _, c in expected]


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            {"selection": {"points": [{"x": 1, "y": "payments", "customdata": ["payments", "red"]}]}},
            ("payments", "red"),
        ),
        ({"selection": {"points": [{"x": 1, "y": "payments"}]}}, (None, None)),
        ({"selection": {"points": []}}, (None, None)),
        (None, (None, None)),
    ],
)
def test_build_click(event, expected) -> None:
    assert bc.build_click(event) == expected


@pytest.mark.parametrize("builder", [bc.build_states_per_team, bc.ci_providers_per_team])
def test_no_repositories_draw_a_titled_figure_with_a_message(builder) -> None:
    empty = bv.build_view(of([]), TAKEN_AT)
    fig = builder(empty.states if builder is bc.build_states_per_team else empty.providers)
    assert len(fig.data) == 0
    assert fig.layout.title.text
    assert "No repositories" in fig.layout.annotations[0].text
