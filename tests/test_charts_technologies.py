"""reports.charts.technologies: the Technologies page's figures, from standards.technologies' frames
of a hand-built snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.charts import technologies as charts
from standards import metrics
from standards import technologies as t
from tests.test_standards_technologies import analysis


def test_usage_bars_one_trace_per_ring_grouped_by_ring_label_with_counts_and_notes() -> None:
    bars = t.usage_bars(t.radar(analysis()), per_group=None)
    fig = charts.technology_usage(bars, title="Radar")
    assert [trace.name for trace in fig.data] == ["Adopt", "Trial", "Assess", "Hold", "Not on the radar"]
    hold = fig.data[3]
    groups, technologies = hold.y
    assert list(technologies) == ["angular", "jquery", "six"]
    assert set(groups) == {"Hold"}  # the ring written beside its bars
    assert list(hold.x) == [1, 1, 1]
    assert list(hold.text) == ["1 · move to react", "1 · move to react", "1 · on hold"]
    assert [row[0] for row in hold.customdata] == ["angular", "jquery", "six"]  # what a click names
    # a ring is told by its pattern as well as its colour
    assert hold.marker.pattern.shape == "x"
    assert fig.data[4].marker.pattern.shape == "/"
    assert fig.data[0].marker.pattern.shape in ("", None)
    assert {trace.marker.color for trace in fig.data} == set(charts.RING_COLOURS.values())
    adopt = fig.data[0]
    assert list(adopt.y[1]) == ["react", "date-fns", "fastapi"] and list(adopt.x) == [3, 0, 0]
    assert list(adopt.text) == ["3", "0 · not used", "0 · not used"]
    assert fig.layout.title.text == "Radar"
    assert fig.layout.xaxis.title.text == charts.USAGE_X_TITLE
    assert fig.layout.yaxis.autorange == "reversed"  # the first row on top
    assert fig.layout.showlegend is True


def test_usage_bars_without_a_radar_are_one_series_grouped_by_category() -> None:
    bars = t.usage_bars(t.radar(analysis(None)), per_group=3)
    fig = charts.technology_usage(bars, title="Most used")
    assert len(fig.data) == 1
    (trace,) = fig.data
    assert list(trace.y[0]) == ["frontend-framework", "frontend-framework", "utility-library"]
    assert list(trace.y[1]) == ["react", "vue", "lodash"]
    assert list(trace.x) == [3, 2, 2]
    assert trace.marker.color == charts.USAGE_COLOUR
    assert fig.layout.showlegend is False


def test_usage_of_nothing_is_an_empty_figure_that_says_so() -> None:
    fig = charts.technology_usage(pd.DataFrame(columns=t.BAR_COLUMNS), title="Radar")
    assert not fig.data
    assert fig.layout.annotations[0].text == "No technology in use in these repositories"


def test_fragmentation_heatmap_writes_every_cell_and_names_it_for_a_click() -> None:
    frag = t.fragmentation(analysis())
    fig = charts.fragmentation_heatmap(frag)
    heat, cells = fig.data
    categories = list(frag["category"].cat.categories)
    assert list(heat.y) == categories
    assert list(heat.x) == [charts.ORGANISATION_LABEL, "shop", "web"]
    row = categories.index("web-framework")
    expected = frag[(frag["category"] == "web-framework") & (frag["team"] == "shop")]["effective_choices"].iloc[0]
    assert heat.z[row][1] == pytest.approx(expected)
    assert heat.text[row][1] == f"{expected:.1f}"
    assert heat.z[row][2] is None and heat.text[row][2] == ""  # web uses no web framework
    # one invisible marker per filled cell, naming (category, team) for a click
    filled = len(frag)
    assert len(cells.customdata) == filled
    assert ["web-framework", "shop"] in [list(c) for c in cells.customdata]
    assert [metrics.ORGANISATION in c for c in cells.customdata].count(True) == len(categories)
    assert cells.mode == "markers" and cells.marker.color == "rgba(0,0,0,0)"
    # the scale follows the teams' cells, not the organisation's (which run higher)
    teams_max = frag.loc[frag["team"] != metrics.ORGANISATION, "effective_choices"].max()
    assert heat.zmax == pytest.approx(max(2.0, teams_max))
    assert fig.layout.title.text == "How many ways each category is done, per team"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("Team", "Category")


def test_team_deviation_bars_write_the_share_and_the_counts() -> None:
    frame = pd.DataFrame(
        {
            "team": ["web", "shop"],
            "deviation": [0.75, 0.25],
            "categories_compared": [2, 3],
            "choices": [4, 8],
            "differing_choices": [3, 2],
            "differing": [[], []],
        }
    )
    fig = charts.team_deviation(frame)
    (bar,) = fig.data
    assert list(bar.y) == ["web", "shop"] and list(bar.x) == [0.75, 0.25]
    assert list(bar.text) == ["75% · 3 of 4", "25% · 2 of 8"]
    assert list(bar.customdata) == ["web", "shop"]
    assert fig.layout.xaxis.tickformat == ".0%"
    assert fig.layout.xaxis.title.text == "Share of the team's choices that differ"


def test_every_ring_has_a_colour_a_pattern_and_a_label() -> None:
    assert set(charts.RING_COLOURS) == set(charts.RING_PATTERNS) == set(charts.RING_LABELS) == set(metrics.RING_ORDER)
    assert len(set(charts.RING_PATTERNS.values())) >= 4  # hold and unreviewed are not told by colour alone
    assert charts.ring_label("unreviewed") == "Not on the radar"
    assert charts.ring_label(None) == ""
