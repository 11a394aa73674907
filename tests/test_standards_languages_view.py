"""standards.languages_view: bytes and repositories per language and team, on hand-built snapshots."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from collectors.facts import RepoFacts
from standards.analysis import Analysis, Filters, analyse, narrow
from standards.languages_view import ALL_TEAMS, languages_view
from standards.overview import OTHER
from store.frames import frames_from_records


def of(records: list[RepoFacts], filters: Filters | None = None) -> Analysis:
    return narrow(analyse(frames_from_records(records), None, today=date(2026, 11, 28)), filters or Filters())


def org() -> list[RepoFacts]:
    """payments writes Python (and a little Shell), search Go and TypeScript, platform Go and HCL;
    an archived Java repository and a repository of docs only."""
    return [
        RepoFacts(name="pay-api", team="payments", languages={"Python": 6000, "Shell": 1000},
                  other_languages={"YAML": 9000}),
        RepoFacts(name="pay-worker", team="payments", languages={"Python": 2000}),
        RepoFacts(name="pay-legacy", team="payments", archived=True, languages={"Java": 50_000}),
        RepoFacts(name="search-ui", team="search", languages={"TypeScript": 3000, "Go": 1000}),
        RepoFacts(name="search-idx", team="search", languages={"Go": 4000}),
        RepoFacts(name="infra", team="platform", languages={"HCL": 800, "Go": 200}),
        RepoFacts(name="notes", team="platform", other_languages={"Markdown": 700}),
    ]  # fmt: skip


def test_repositories_per_language_main_of_and_used_in_most_used_first() -> None:
    per = languages_view(of(org())).per_language
    assert per.values.tolist() == [
        ["Go", 1, 3, 5200],  # used in search-ui, search-idx, infra; the main language of search-idx only
        ["Python", 2, 2, 8000],
        ["TypeScript", 1, 1, 3000],  # ties on use and main: more bytes first
        ["HCL", 1, 1, 800],
        ["Shell", 0, 1, 1000],
    ]
    assert list(per.columns) == ["language", "main_of", "used_in", "bytes"]


def test_rows_behind_a_bar_give_bytes_and_the_share_of_the_repository() -> None:
    view = languages_view(of(org()))
    go = view.rows_for("Go")
    assert go[["repo", "team", "bytes", "main"]].values.tolist() == [
        ["search-idx", "search", 4000, True],
        ["search-ui", "search", 1000, False],
        ["infra", "platform", 200, False],
    ]
    assert go["share"].tolist() == pytest.approx([1.0, 0.25, 0.2])
    assert view.rows_for("Go", "platform")["repo"].tolist() == ["infra"]
    assert view.rows_for(None, "payments")[["repo", "language"]].values.tolist() == [
        ["pay-api", "Python"],
        ["pay-worker", "Python"],
        ["pay-api", "Shell"],
    ]
    assert view.rows_for("Klingon").empty


def test_the_language_by_team_pivots_count_a_repository_once_in_all_teams() -> None:
    view = languages_view(of(org()))
    repos = view.pivot("repositories").set_index("language")
    # teams by bytes: payments 9000, search 8000, platform 1000; languages by bytes
    assert list(repos.columns) == ["payments", "search", "platform", ALL_TEAMS]
    assert list(repos.index) == ["Python", "Go", "TypeScript", "Shell", "HCL"]
    assert repos.loc["Go"].tolist() == [0, 2, 1, 3]
    assert repos.loc["Python"].tolist() == [2, 0, 0, 2]
    sizes = view.pivot("bytes").set_index("language")
    assert sizes.loc["Go"].tolist() == [0, 5000, 200, 5200]
    assert sizes.loc["Shell"].tolist() == [1000, 0, 0, 1000]
    with pytest.raises(ValueError, match="repositories or bytes"):
        view.pivot("teams")


def test_headline_numbers_and_pickers() -> None:
    view = languages_view(of(org()))
    assert view.repositories == 6  # the archived one is left out by default
    assert view.without_language == 1  # notes: Markdown is prose
    assert view.total_bytes == 6000 + 1000 + 2000 + 3000 + 1000 + 4000 + 800 + 200
    assert view.languages == ["Go", "HCL", "Python", "Shell", "TypeScript"]
    assert view.teams == ["payments", "platform", "search"]


def test_the_mix_is_overviews_frame_with_the_rest_as_other() -> None:
    mix = languages_view(of(org()), 2).mix
    got = {(str(t), str(lang)): b for t, lang, b, _ in mix.itertuples(index=False, name=None)}
    assert got == {
        ("payments", "Python"): 8000,
        ("payments", OTHER): 1000,
        ("search", "Go"): 5000,
        ("search", OTHER): 3000,
        ("platform", "Go"): 200,
        ("platform", OTHER): 800,
    }


@pytest.mark.parametrize(
    ("filters", "languages", "repositories"),
    [
        pytest.param(Filters(teams=("search",)), ["Go", "TypeScript"], 2, id="a-team"),
        pytest.param(Filters(languages=("Python",)), ["Python", "Shell"], 2, id="a-main-language"),
        pytest.param(Filters(include_archived=True), ["Go", "HCL", "Java", "Python", "Shell", "TypeScript"], 7,
                     id="archived-included"),
    ],
)  # fmt: skip
def test_the_sidebar_filters_decide_what_counts(filters: Filters, languages: list[str], repositories: int) -> None:
    view = languages_view(of(org(), filters))
    assert view.languages == languages
    assert view.repositories == repositories
    if filters.include_archived:
        assert view.rows_for("Java")[["repo", "share", "main"]].values.tolist() == [["pay-legacy", 1.0, True]]
        assert "Java" in set(view.mix["language"].astype(str))


def test_an_organisation_without_code_gives_empty_typed_tables() -> None:
    view = languages_view(of([RepoFacts(name="notes", team="t", other_languages={"Markdown": 10})]))
    assert view.rows.empty and view.per_language.empty and view.table.empty and view.mix.empty
    assert view.without_language == 1 and view.total_bytes == 0
    assert view.pivot("bytes").columns.tolist() == ["language", ALL_TEAMS]
    assert view.rows["bytes"].dtype == "int64"


def test_two_rows_of_one_language_in_one_repository_add_up() -> None:
    # the store keeps one row per (repo, language); a hand-built frame might not
    analysis = of([RepoFacts(name="a", team="t", languages={"Go": 300, "C": 100})])
    frames = analysis.frames
    doubled = pd.concat([frames.languages, frames.languages[frames.languages["language"] == "Go"]])
    view = languages_view(replace(analysis, frames=replace(frames, languages=doubled)))
    assert view.rows_for("Go")[["bytes", "share"]].values.tolist() == [[600, 600 / 700]]
