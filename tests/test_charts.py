"""reports.charts: figures built from standards.overview's frames of a hand-built snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.detectors.languages import language_colour as github_colour
from collectors.facts import RepoFacts
from reports import charts
from reports.charts import style
from standards import overview as ov
from tests.test_standards_overview import org, snapshot_frames


def test_repos_per_team_stacks_active_and_hatched_archived_biggest_team_on_top(tmp_path: Path) -> None:
    fig = charts.repos_per_team(ov.repos_per_team(snapshot_frames(tmp_path, org())))
    active, archived = fig.data
    assert (active.name, archived.name) == ("Active", "Archived")
    assert active.orientation == archived.orientation == "h"
    teams = ["payments", "search", "platform", "unassigned"]
    assert list(active.y) == list(archived.y) == teams
    assert list(active.x) == [2, 2, 1, 1]
    assert list(archived.x) == [1, 0, 1, 0]
    assert list(archived.text) == ["1", "", "1", ""]  # no "0" written on an empty segment
    assert list(active.customdata) == teams  # what a click on a bar reports
    # plotly draws the first category at the bottom: the array is reversed to put payments on top
    assert list(fig.layout.yaxis.categoryarray) == list(reversed(teams))
    assert fig.layout.barmode == "stack"
    # archived is told apart by a hatch as well as by colour
    assert archived.marker.pattern.shape == charts.ARCHIVED_PATTERN
    assert active.marker.pattern.shape in (None, "")
    assert fig.layout.title.text == "Repositories per team"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("Repositories", "Team")
    assert fig.layout.xaxis.dtick == 1  # whole repositories, no 0.5 ticks
    assert fig.layout.legend.traceorder == "normal"  # Active first, as stacked


@pytest.mark.parametrize(
    ("largest", "step"),
    [(0, 1), (3, 1), (8, 1), (9, 2), (16, 2), (17, 5), (40, 5), (41, 10), (100, 20), (5000, 1000)],
)
def test_repository_axis_ticks_are_whole_and_few(largest: int, step: int) -> None:
    assert style.nice_step(largest) == step


def test_language_mix_one_trace_per_language_in_github_colours(tmp_path: Path) -> None:
    frame = ov.language_bytes_per_team(snapshot_frames(tmp_path, org()), top_n=2)
    fig = charts.language_bytes_per_team(frame)
    by_name = {t.name: t for t in fig.data}
    assert [t.name for t in fig.data] == ["Python", "Go", "Other"]  # legend order: biggest first, Other last
    assert list(by_name["Python"].y) == ["payments"]
    assert list(by_name["Python"].x) == pytest.approx([8000 / 9500])
    assert list(by_name["Go"].y) == ["search"]
    assert list(by_name["Other"].y) == ["payments", "search", "platform"]
    assert list(by_name["Other"].x) == pytest.approx([1500 / 9500, 0.5, 1.0])
    assert by_name["Python"].marker.color.lower() == "#3572a5"  # GitHub's Python blue
    assert by_name["Go"].marker.color.lower() == github_colour("Go").lower()
    assert by_name["Other"].marker.color == charts.NEUTRAL_GREY
    assert by_name["Other"].marker.pattern.shape == charts.OTHER_PATTERN
    assert list(fig.layout.yaxis.categoryarray) == ["platform", "search", "payments"]
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.tickformat == ".0%" and list(fig.layout.xaxis.range) == [0, 1]
    assert fig.layout.xaxis.title.text == "Share of the team's bytes (active repositories)"
    assert fig.layout.title.text == "Language mix per team"


def test_language_mix_names_only_segments_wide_enough_to_hold_a_label(tmp_path: Path) -> None:
    repos = [RepoFacts(name="a", team="t", languages={"Python": 950, "Shell": 50})]
    fig = charts.language_bytes_per_team(ov.language_bytes_per_team(snapshot_frames(tmp_path, repos)))
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Python"].text) == ["Python"]
    assert list(by_name["Shell"].text) == [""]  # 5 % is under MIN_LABELLED_SHARE; the hover still has it
    assert list(by_name["Shell"].customdata) == [["t", "50 B"]]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("Python", "#3572a5"),
        ("TypeScript", "#3178c6"),
        ("Other", charts.NEUTRAL_GREY),
        ("Klingon", charts.NEUTRAL_GREY),  # unknown to GitHub
        ("", charts.NEUTRAL_GREY),
    ],
)
def test_language_colour(language: str, expected: str) -> None:
    assert charts.language_colour(language).lower() == expected.lower()


@pytest.mark.parametrize(
    ("builder", "frame_of", "message"),
    [
        (charts.repos_per_team, ov.repos_per_team, "No repositories"),
        (charts.language_bytes_per_team, ov.language_bytes_per_team, "No language breakdown"),
    ],
)
def test_an_empty_snapshot_draws_a_titled_figure_with_a_message(tmp_path: Path, builder, frame_of, message) -> None:
    fig = builder(frame_of(snapshot_frames(tmp_path, [])))
    assert len(fig.data) == 0
    assert fig.layout.title.text
    assert message in fig.layout.annotations[0].text


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1_234_567, "1.2 MB"), (5 * 10**12, "5000.0 GB")],
)
def test_human_bytes(size: int, text: str) -> None:
    assert style.human_bytes(size) == text
