"""reports.charts.compliance: figures built from standards.teams' and standards.guild's frames of the
hand-built organisation in test_standards_teams."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.charts import compliance as c
from reports.charts.style import SHARE_SCALE, STATUS_COLOURS, STATUS_PATTERNS
from standards import guild, teams
from standards.levels import compliance
from tests.test_standards_teams import analysis


def traces(fig) -> dict:
    return {t.name: t for t in fig.data}


def test_compliance_by_team_worst_first_with_status_shares_patterns_and_clickable_teams() -> None:
    fig = c.compliance_by_team(teams.team_compliance(analysis()))
    by_name = traces(fig)
    assert [t.name for t in fig.data] == ["Pass", "Waived", "Fail"]  # no error anywhere: no empty legend entry
    order = ["payments", "search", "platform"]  # 3/7, 2/3, 1 passing
    for trace in fig.data:
        assert list(trace.y) == order
        assert trace.orientation == "h"
        assert [d[0] for d in trace.customdata] == order  # what a click reports (team_from_selection)
    assert list(by_name["Pass"].x) == pytest.approx([3 / 7, 2 / 3, 1.0])
    assert list(by_name["Waived"].x) == pytest.approx([0.0, 1 / 3, 0.0])
    assert list(by_name["Fail"].x) == pytest.approx([4 / 7, 0.0, 0.0])
    assert list(by_name["Pass"].text) == ["43%", "67%", "100%"]
    assert list(by_name["Waived"].text) == ["", "33%", ""]  # no "0%" written on an empty segment
    assert list(by_name["Waived"].customdata[1]) == ["search", 1, 3]  # for the hover: 1 of 3 applicable
    for status, name in (("pass", "Pass"), ("waived", "Waived"), ("fail", "Fail")):
        assert by_name[name].marker.color == STATUS_COLOURS[status]
        assert (by_name[name].marker.pattern.shape or "") == STATUS_PATTERNS[status]
    assert by_name["Waived"].marker.pattern.shape and by_name["Fail"].marker.pattern.shape  # not told by colour alone
    assert list(fig.layout.yaxis.categoryarray) == list(reversed(order))  # plotly draws the first at the bottom
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text == "Compliance by team (worst first)"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == (c.SHARE_X_TITLE, "Team")
    assert tuple(fig.layout.xaxis.range) == (0, 1)


def test_compliance_by_team_takes_the_levels_frame_the_overview_passes() -> None:
    frame = compliance(analysis().results, by=["team"])
    fig = c.compliance_by_team(frame)
    assert list(fig.data[0].y) == ["payments", "search", "platform"]


def test_a_team_with_nothing_applicable_goes_last_marked_not_applicable() -> None:
    frame = pd.DataFrame(
        {
            "team": ["alpha", "beta", "gamma"],
            "pass": [0, 1, 1],
            "fail": [0, 1, 0],
            "waived": [0, 0, 0],
            "error": [0, 1, 0],
            "applicable": [0, 3, 1],
            "share_passing": [float("nan"), 1 / 3, 1.0],
        }
    )
    fig = c.compliance_by_team(frame)
    assert list(fig.data[0].y) == ["beta", "gamma", "alpha"]
    assert [t.name for t in fig.data] == ["Pass", "Fail", "Error"]
    assert traces(fig)["Error"].marker.pattern.shape == STATUS_PATTERNS["error"]
    assert [(a.y, a.text) for a in fig.layout.annotations] == [("alpha", "n/a: nothing applies")]


def test_ties_are_broken_by_the_failing_share_then_by_name() -> None:
    frame = pd.DataFrame(
        {"team": ["b", "a", "c"], "pass": [1, 1, 1], "fail": [1, 0, 0], "waived": [0, 1, 1], "error": [0, 0, 0],
         "applicable": [2, 2, 2]}
    )  # fmt: skip
    assert list(c.compliance_by_team(frame).data[0].y) == ["b", "a", "c"]


def test_empty_frames_give_a_titled_empty_figure() -> None:
    fig = c.compliance_by_team(teams.team_compliance(analysis(guild=None)).iloc[0:0])
    assert fig.layout.title.text == "Compliance by team (worst first)"
    assert not fig.data
    heat = c.team_standard_heatmap(teams.team_standard_matrix(analysis(guild=None)))
    assert heat.layout.title.text == "Share passing per team and standard"
    assert not heat.data


def test_compliance_by_standard_uses_the_standards_table() -> None:
    fig = c.compliance_by_standard(guild.standards_table(analysis()))
    assert list(fig.data[0].y) == ["java", "ci", "codeowners", "readme"]  # 0, 1/2, then 3/4 twice: by name
    assert list(traces(fig)["Pass"].x) == pytest.approx([0.0, 0.5, 0.75, 0.75])
    assert fig.layout.yaxis.title.text == "Standard"


# --- the heatmap ------------------------------------------------------------------------------------------


def heatmap():
    return c.team_standard_heatmap(teams.team_standard_matrix(analysis()))


def test_heatmap_cells_are_the_share_passing_teams_as_rows_standards_as_columns() -> None:
    fig = heatmap()
    heat = fig.data[0]
    assert heat.type == "heatmap"
    assert (heat.zmin, heat.zmax) == (0, 1)
    assert list(fig.layout.yaxis.ticktext) == ["payments", "platform", "search"]
    assert list(fig.layout.xaxis.ticktext) == ["readme", "ci", "codeowners", "java"]
    z = [list(row) for row in heat.z]
    assert z[0] == pytest.approx([0.5, 0.5, 0.5, 0.0])  # payments
    assert z[1][:3] == pytest.approx([1.0, 1.0, 1.0]) and z[1][3] is None  # platform: no Java, no colour
    assert z[2][1] == 0.0  # search's waived CI is not passing
    assert tuple(fig.layout.yaxis.range) == (2.5, -0.5)  # the first team on top


def test_heatmap_uses_the_share_scale() -> None:
    reference = c.go.Figure(c.go.Heatmap(z=[[0]], colorscale=SHARE_SCALE)).data[0].colorscale
    assert heatmap().data[0].colorscale == reference


def test_heatmap_writes_the_share_and_the_waived_share_apart_and_n_a() -> None:
    fig = heatmap()
    text = [list(row) for row in fig.data[0].text]
    assert text[0] == ["<b>50%</b>", "<b>50%</b>", "<b>50%</b>", "<b>0%</b>"]
    assert text[2][1] == "<b>0%</b><br>+100%"  # waived shown under the share, never added to it
    assert text[1][3] == ""  # n/a cells have no colour and no share
    cells = fig.data[1]
    by_cell = dict(zip(((d[0], d[1]) for d in cells.customdata), cells.text, strict=True))
    assert by_cell[("platform", "java")] == c.NOT_APPLICABLE
    assert by_cell[("search", "java")] == c.NOT_APPLICABLE
    assert by_cell[("payments", "java")] == ""
    assert len(by_cell) == 12
    flags = fig.data[2]
    assert flags.name == c.WAIVED_FLAG_NAME and flags.showlegend
    assert [(d[0], d[1]) for d in flags.customdata] == [("search", "ci")]  # the one cell with a waived finding
    assert (flags.x[0], flags.y[0]) == pytest.approx((1 + c.FLAG_OFFSET, 2 - c.FLAG_OFFSET))
    assert flags.marker.color == STATUS_COLOURS["waived"]


def test_heatmap_hover_names_the_cell_and_its_counts() -> None:
    cells = heatmap().data[1]
    hover = {(d[0], d[1]): d[2] for d in cells.customdata}
    assert hover[("payments", "readme")] == (
        "<b>payments</b> · readme<br>A README<br>50% passing of 2<br>1 pass · 0 waived · 1 fail · 0 error"
    )
    assert hover[("platform", "java")].endswith("nothing applies")


def test_heatmap_title_and_axes() -> None:
    fig = heatmap()
    assert fig.layout.title.text == "Share passing per team and standard"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("Standard", "Team")
    assert fig.data[0].colorbar.title.text == "Share passing"


@pytest.mark.parametrize(
    ("share", "text"),
    [(0.0, "0%"), (0.004, "<1%"), (0.125, "12%"), (2 / 3, "67%"), (0.996, ">99%"), (1.0, "100%")],
)
def test_percent_never_rounds_to_none_or_all(share: float, text: str) -> None:
    assert c.percent(share) == text


@pytest.mark.parametrize(
    ("event", "cell"),
    [
        ({"selection": {"points": [{"x": 1, "y": 2, "customdata": ["search", "ci", "<b>…</b>"]}]}}, ("search", "ci")),
        ({"selection": {"points": [{"x": 0.5, "y": "search", "customdata": ["search", 1, 3]}]}}, None),  # a bar
        ({"selection": {"points": [{"x": 1, "y": 2}]}}, None),
        ({"selection": {"points": []}}, None),
        ({"selection": {}}, None),
        (None, None),
    ],
)
def test_cell_from_a_chart_click(event: object, cell: tuple[str, str] | None) -> None:
    assert c.cell_from_selection(event) == cell
