"""reports.charts.versions: the Versions page's figures, from standards.versions_view's frames of a
hand-built snapshot."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from reports.charts import versions as charts
from reports.charts.style import SHARE_SCALE
from standards import versions_view as vv
from tests.test_standards_versions_view import analysis


@pytest.mark.parametrize(
    ("majors", "minors", "long", "short"),
    [
        (1, 0, "1 major behind", "−1 major"),
        (2, 3, "2 majors behind", "−2 majors"),
        (0, 1, "1 minor behind", "−1 minor"),
        (0, 2, "2 minors behind", "−2 minors"),
        (0, 0, "", ""),
        (pd.NA, pd.NA, "", ""),
        (None, 1, "", ""),
    ],
)
def test_behind_labels(majors: object, minors: object, long: str, short: str) -> None:
    assert charts.behind_label(majors, minors) == long
    assert charts.behind_label(majors, minors, short=True) == short


@pytest.mark.parametrize(
    ("versions", "unknown", "label"),
    [
        (["17", "11"], 0, "17, 11"),
        (["3.12"], 2, "3.12"),  # the hover says how many are unknown
        (["3.2.5", "2.7.18"], 0, "2 versions"),  # too long for a cell
        (["3", "2", "1"], 0, "3 versions"),
        ([], 4, "4 unknown"),
        ([], 0, ""),
    ],
)
def test_versions_label(versions: list[str], unknown: int, label: str) -> None:
    assert charts.versions_label(versions, unknown) == label


@pytest.mark.parametrize(
    ("item", "label"),
    [("technology: react", "react"), ("runtime: python", "python (runtime)")],
)
def test_row_labels(item: str, label: str) -> None:
    assert charts.row_label(item) == label


def matrix():
    a = analysis()
    return vv.matrix(vv.drift(a), vv.organisation(a))


def test_drift_matrix_colours_the_share_on_target_and_writes_versions_and_how_far_behind() -> None:
    fig = charts.drift_matrix(matrix())
    grey, judged, cells = fig.data
    assert list(judged.y) == ["react", "python (runtime)", "node (runtime)"]
    assert list(judged.x) == ["data", "payments", "web"]
    assert judged.colorscale == go.Heatmap(colorscale=SHARE_SCALE).colorscale
    assert (judged.zmin, judged.zmax) == (0, 1)
    # react in web: web-a of 4 on ^18; 16.14.0 is two majors behind
    assert judged.z[0][2] == pytest.approx(0.25)
    assert judged.text[0][2] == "<b>25%</b><br>4 versions<br>−2 majors"
    # python in payments: 1 of 2 on >=3.12, 3.11 a minor behind
    assert judged.z[1][1] == pytest.approx(0.5)
    assert judged.text[1][1] == "<b>50%</b><br>3.12, 3.11<br>−1 minor"
    # node has no target: a grey cell that says so, nothing on the share scale
    assert judged.z[2][2] is None
    assert grey.z[2][2] == 0 and grey.text[2][2] == "<i>no target</i><br>20"
    assert grey.showscale is False
    assert judged.z[0][0] is None and grey.z[0][0] is None  # data uses no react: blank
    assert ["runtime: python", "payments"] in [list(c) for c in cells.customdata]  # what a click names
    assert len(cells.customdata) == len(matrix())
    assert fig.layout.title.text == "Share of repositories on target, per team"
    assert fig.layout.xaxis.title.text == "Team"


def test_drift_matrix_of_nothing_says_so() -> None:
    fig = charts.drift_matrix(matrix().iloc[0:0])
    assert not fig.data
    assert "No versioned" in fig.layout.annotations[0].text


def test_version_bars_tell_status_by_pattern_and_label_oldest_version_on_top() -> None:
    bars = vv.version_bars(analysis(), "runtime", "python", ">=3.11")
    fig = charts.version_bars(bars, title="python")
    by_name = {trace.name: trace for trace in fig.data}
    assert list(by_name) == ["behind", "on target", "not a version", "unknown"]
    assert list(by_name["on target"].y) == ["3.11", "3.12"] and list(by_name["on target"].x) == [1, 2]
    assert list(by_name["on target"].text) == ["1 · on target", "2 · on target"]
    assert list(by_name["behind"].text) == ["1 · 2 minors behind"]
    assert by_name["behind"].marker.pattern.shape == "x"
    assert by_name["on target"].marker.pattern.shape == ""
    assert by_name["unknown"].marker.pattern.shape == "."
    assert [row[0] for row in by_name["on target"].customdata] == ["3.11", "3.12"]  # what a click names
    # plotly draws the first category at the bottom: reversed, the oldest version is on top
    assert list(fig.layout.yaxis.categoryarray) == [vv.UNKNOWN, "system", "3.12", "3.11", "3.9"]
    assert (fig.layout.title.text, fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == (
        "python",
        "Repositories",
        "Version",
    )


def test_version_bars_of_nothing_say_so() -> None:
    fig = charts.version_bars(vv.version_bars(analysis(), "technology", "django"), title="django")
    assert not fig.data and fig.layout.annotations[0].text == "No repository uses it"


def test_every_version_status_has_a_colour_and_a_pattern() -> None:
    assert set(charts.VERSION_COLOURS) == set(charts.VERSION_PATTERNS) == set(vv.STATUSES)
