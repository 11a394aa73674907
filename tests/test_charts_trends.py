"""reports.charts.trends: the lines over snapshots, on small hand-built trend frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reports.charts import trends as charts
from reports.charts.style import DASHES, SYMBOLS
from standards.metrics import ORGANISATION
from standards.trends import METRIC_BY_LABEL, TREND_COLUMNS

COMPLIANCE = METRIC_BY_LABEL["Compliance"]
RED = METRIC_BY_LABEL["Red builds"]
FRAGMENTATION = METRIC_BY_LABEL["Fragmentation"]

OCT = pd.Timestamp("2026-10-17 09:00", tz="UTC")
NOV = pd.Timestamp("2026-11-17 10:00", tz="UTC")


def frame(rows: list[tuple]) -> pd.DataFrame:
    """(snapshot id, taken at, team, share_passing, effective_choices, red_builds) rows."""
    records = [
        {
            "snapshot_id": sid,
            "taken_at": taken,
            "label": f"#{sid}",
            "team": team,
            "repos": 3,
            "share_passing": share,
            "score": math.nan,
            "share_on_target": math.nan,
            "effective_choices": choices,
            "red_builds": red,
        }
        for sid, taken, team, share, choices, red in rows
    ]
    return pd.DataFrame(records, columns=TREND_COLUMNS)


TWO = frame(
    [
        (1, OCT, ORGANISATION, 0.70, 2.5, math.nan),
        (1, OCT, "payments", 0.50, 1.5, math.nan),
        (1, OCT, "search", 0.90, 3.0, math.nan),
        (2, NOV, ORGANISATION, 0.73, 2.4, math.nan),
        (2, NOV, "payments", 0.65, 1.5, math.nan),
        (2, NOV, "search", 0.88, 3.2, math.nan),
    ]
)


def annotations(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_one_line_per_team_after_the_organisations_with_the_frames_values() -> None:
    fig = charts.trend_lines(TWO, COMPLIANCE)
    assert [t.name for t in fig.data] == ["Organisation", "payments", "search"]
    assert list(fig.data[0].y) == [0.70, 0.73]
    assert list(fig.data[1].y) == [0.50, 0.65]
    assert [c[0] for c in fig.data[2].customdata] == ["search", "search"]  # a click names the team
    assert [c[2] for c in fig.data[1].customdata] == ["50%", "65%"]


def test_the_organisation_line_is_emphasised_and_team_lines_differ_without_colour() -> None:
    fig = charts.trend_lines(TWO, COMPLIANCE)
    org, *teams = fig.data
    assert org.line.width > max(t.line.width for t in teams)
    assert (org.line.dash, org.marker.symbol) == ("solid", "circle")
    styles = {(t.line.dash, t.marker.symbol) for t in teams}
    assert len(styles) == len(teams)
    assert all(t.line.dash != "solid" and t.marker.symbol != "circle" for t in teams)


def test_every_line_ends_in_its_name_and_value_and_organisation_points_carry_theirs() -> None:
    texts = annotations(charts.trend_lines(TWO, COMPLIANCE))
    assert "<b>Organisation 73%</b>" in texts
    assert "<b>payments 65%</b>" in texts
    assert "<b>search 88%</b>" in texts
    assert "<b>70%</b>" in texts  # the organisation's earlier point


def test_title_axes_and_the_share_scale() -> None:
    fig = charts.trend_lines(TWO, COMPLIANCE)
    assert fig.layout.title.text == COMPLIANCE.title
    assert fig.layout.yaxis.title.text == COMPLIANCE.axis
    assert fig.layout.xaxis.title.text == "Snapshot taken"
    assert fig.layout.yaxis.tickformat == ".0%"
    assert list(fig.layout.yaxis.range) == [0, 1.08]
    assert list(fig.layout.xaxis.ticktext) == ["2026-10-17", "2026-11-17"]


def test_a_number_metric_starts_at_zero_with_room_above_the_highest() -> None:
    fig = charts.trend_lines(TWO, FRAGMENTATION)
    assert list(fig.layout.yaxis.range) == [0, pytest.approx(3.2 * 1.15)]
    assert "<b>search 3.2</b>" in annotations(fig)


def test_the_shown_snapshot_is_marked() -> None:
    fig = charts.trend_lines(TWO, COMPLIANCE, highlight=NOV)
    assert [s.x0 for s in fig.layout.shapes] == [NOV]
    assert "shown snapshot" in annotations(fig)


def test_a_metric_with_no_value_says_why_instead_of_an_empty_plot() -> None:
    fig = charts.trend_lines(TWO, RED)
    assert not fig.data
    assert annotations(fig) == [RED.missing]
    assert fig.layout.title.text == RED.title


def test_a_team_missing_from_a_snapshot_leaves_a_gap_and_ends_at_its_last_value() -> None:
    rows = frame(
        [
            (1, OCT, ORGANISATION, 0.7, 1.0, 1.0),
            (1, OCT, "payments", math.nan, 1.0, 1.0),
            (2, NOV, ORGANISATION, 0.8, 1.0, 1.0),
            (2, NOV, "payments", 0.6, 1.0, 1.0),
        ]
    )
    fig = charts.trend_lines(rows, COMPLIANCE)
    assert fig.data[1].connectgaps is False
    assert "<b>payments 60%</b>" in annotations(fig)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([0.2, 0.5, 0.8], [0.2, 0.5, 0.8], id="apart-already"),
        pytest.param([0.50, 0.51, 0.2], [0.50, 0.60, 0.2], id="close-pushed-up"),
        pytest.param([1.0, 0.99, 0.98], [1.0, 0.9, 0.8], id="past-the-top-pushed-down"),
        pytest.param([], [], id="nothing"),
    ],
)
def test_end_labels_are_spread_apart(values: list[float], expected: list[float]) -> None:
    assert charts.spread(values, gap=0.1, high=1.0) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(0.734, "share", "73%"), (81.4, "score", "81"), (2.46, "number", "2.5"), (12.0, "count", "12"),
     (math.nan, "share", ""), (None, "count", "")],
)  # fmt: skip
def test_value_text(value: float | None, unit: str, text: str) -> None:
    assert charts.value_text(value, unit) == text


def test_team_styles_repeat_only_after_every_dash_and_symbol_was_used() -> None:
    styles = [charts.series_style(i) for i in range(len(DASHES) - 1)]
    assert len({(s["dash"], s["symbol"]) for s in styles}) == len(styles)
    assert "#F0E442" not in charts.TEAM_COLOURS and "#000000" not in charts.TEAM_COLOURS
    assert set(charts.TEAM_SYMBOLS) < set(SYMBOLS)
