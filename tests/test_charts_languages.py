"""reports.charts.languages: the Languages page's figures, from standards.languages_view's frames."""

from __future__ import annotations

import pytest

from collectors.detectors.languages import language_colour as github_colour
from reports import charts
from reports.charts import languages as lc
from reports.charts.style import HATCH, NEUTRAL_GREY
from standards.languages_view import languages_view
from standards.overview import OTHER
from tests.test_standards_languages_view import of, org


def test_bytes_per_team_stacks_each_language_in_its_github_colour() -> None:
    fig = lc.language_bytes_stacked(languages_view(of(org()), 2).mix)
    assert [t.name for t in fig.data] == ["Python", "Go", OTHER]  # the organisation's biggest first
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Python"].y) == ["payments"]
    assert list(by_name["Python"].x) == [8000]
    assert list(by_name["Go"].y) == ["search", "platform"]
    assert list(by_name["Go"].x) == [5000, 200]
    assert list(by_name[OTHER].x) == [1000, 3000, 800]
    assert by_name["Python"].marker.color.lower() == "#3572a5"
    assert by_name["Go"].marker.color.lower() == github_colour("Go").lower()
    assert by_name[OTHER].marker.color == NEUTRAL_GREY
    assert by_name[OTHER].marker.pattern.shape == charts.OTHER_PATTERN  # Other told apart by a hatch too
    assert all(t.orientation == "h" for t in fig.data)
    assert all(t.textangle == 0 for t in fig.data)  # a narrow segment hides its name rather than turning it
    assert fig.layout.barmode == "stack"
    assert list(fig.layout.yaxis.categoryarray) == ["platform", "search", "payments"]  # most bytes on top
    assert fig.layout.title.text == "Bytes per team by language"
    assert fig.layout.xaxis.title.text == lc.BYTES_X_TITLE
    assert fig.layout.yaxis.title.text == "Team"
    assert (fig.layout.xaxis.tickformat, fig.layout.xaxis.ticksuffix) == ("~s", "B")


def test_bytes_per_team_names_segments_of_at_least_8_percent_of_the_longest_bar() -> None:
    fig = lc.language_bytes_stacked(languages_view(of(org()), 2).mix)
    by_name = {t.name: t for t in fig.data}
    # the longest bar is payments' 9000 bytes: 800 bytes (8.9 %) is named, 200 bytes (2.2 %) is not
    assert list(by_name[OTHER].text) == [OTHER, OTHER, OTHER]
    assert list(by_name["Go"].text) == ["Go", ""]  # platform's 200 bytes of Go: hover only
    team, size, language, share = by_name["Go"].customdata[1]
    assert (team, size, language) == ("platform", "200 B", "Go")
    assert share == pytest.approx(0.2)


def test_repositories_per_language_solid_main_and_hatched_rest_with_totals_written() -> None:
    frame = languages_view(of(org())).per_language
    fig = lc.repos_per_language(frame)
    main, rest, legend_main, legend_rest = fig.data
    languages = ["Go", "Python", "TypeScript", "HCL", "Shell"]
    assert list(main.y) == list(rest.y) == languages
    assert list(main.x) == [1, 2, 1, 1, 0]
    assert list(rest.x) == [2, 0, 0, 0, 1]  # used in, less main of: the bar's length is "used in"
    assert list(main.text) == ["1", "2", "1", "1", ""]
    assert list(rest.text) == ["3", "2", "1", "1", "1"]  # the total, at the end of the bar
    assert rest.textposition == "outside"
    assert list(main.marker.color) == [charts.language_colour(lang) for lang in languages]
    assert main.marker.pattern.shape in ("", None)
    assert rest.marker.pattern.shape == "/"
    assert not main.showlegend and not rest.showlegend
    # the legend: grey, so that no language's colour stands for every language
    assert (legend_main.name, legend_rest.name) == ("Main language", "Used, not main")
    assert legend_main.marker.color == legend_rest.marker.color == NEUTRAL_GREY
    assert legend_rest.marker.pattern.shape == "/" and legend_rest.marker.pattern.solidity == HATCH["solidity"]
    assert list(fig.layout.yaxis.categoryarray) == list(reversed(languages))
    assert fig.layout.title.text == "Repositories per language"
    assert (fig.layout.xaxis.title.text, fig.layout.yaxis.title.text) == ("Repositories", "Language")
    assert fig.layout.xaxis.range[1] > 3  # room for the written total of the longest bar


def test_clicks_name_the_team_and_the_language() -> None:
    mix = languages_view(of(org()), 2).mix
    for fig in (lc.language_bytes_stacked(mix), charts.language_bytes_per_team(mix)):
        go_trace = [t.name for t in fig.data].index("Go")
        event = {
            "selection": {"points": [{"curve_number": go_trace, "y": "search", "customdata": ["search", "5.0 kB"]}]}
        }
        assert lc.mix_click(event, fig) == ("search", "Go")
        other = {"selection": {"points": [{"curve_number": 2, "y": "platform", "customdata": ["platform", "800 B"]}]}}
        assert lc.mix_click(other, fig) == ("platform", OTHER)
        assert lc.mix_click({"selection": {"points": []}}, fig) == (None, None)
        assert lc.mix_click(None, fig) == (None, None)
        assert lc.mix_click({"selection": {"points": [{"curve_number": 99, "y": "search"}]}}, fig) == ("search", None)
    per = {"selection": {"points": [{"curve_number": 1, "y": "Go", "customdata": ["Go", "used_in", 1, 3]}]}}
    assert lc.language_click(per) == "Go"
    assert lc.language_click({"selection": {"points": [{"y": "HCL"}]}}) == "HCL"
    assert lc.language_click({"selection": {}}) is None


@pytest.mark.parametrize("builder", [lc.language_bytes_stacked, lc.repos_per_language])
def test_no_code_draws_a_titled_figure_with_a_message(builder) -> None:
    view = languages_view(of([]))
    fig = builder(view.mix if builder is lc.language_bytes_stacked else view.per_language)
    assert len(fig.data) == 0
    assert fig.layout.title.text
    assert "No language breakdown" in fig.layout.annotations[0].text
