"""standards.overview: the Overview page's numbers, on hand-built snapshots in a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from collectors.facts import Dependency, RepoFacts, Warning_
from standards import overview as ov
from store import SnapshotMeta, open_store
from store.frames import SnapshotFrames, load_frames

TAKEN_AT = "2026-11-20T14:03:00Z"


def snapshot_frames(tmp_path: Path, repos: list[RepoFacts], *, label: str | None = None) -> SnapshotFrames:
    """Write `repos` as one snapshot into tmp_path/g.db and read it back as frames."""
    store = open_store(f"sqlite:///{tmp_path}/g.db")
    sid = store.write_snapshot(SnapshotMeta(TAKEN_AT, "local", str(tmp_path), label), repos)
    return load_frames(store, sid)


def org() -> list[RepoFacts]:
    """Three teams; payments has an archived Java repository and the only dependencies."""
    return [
        RepoFacts(
            name="pay-api",
            team="payments",
            languages={"Python": 6000, "Shell": 1000, "Dockerfile": 500},
            other_languages={"YAML": 9000},  # data, not in the breakdown
            dependencies=[
                Dependency("pypi", "fastapi", "0.110"),
                Dependency("pypi", "pydantic", "2.6"),
            ],
        ),
        RepoFacts(
            name="pay-worker",
            team="payments",
            languages={"Python": 2000},
            dependencies=[Dependency("pypi", "fastapi", "0.109", manifest="requirements.txt")],
            warnings=[Warning_("pyproject.toml", "not valid TOML"), Warning_("setup.cfg", "unreadable")],
        ),
        RepoFacts(name="pay-legacy", team="payments", archived=True, languages={"Java": 50_000}),
        RepoFacts(name="search-ui", team="search", languages={"TypeScript": 3000, "CSS": 1000}),
        RepoFacts(name="search-idx", team="search", languages={"Go": 4000}, warnings=[Warning_("go.mod", "bad")]),
        RepoFacts(name="infra", team="platform", languages={"HCL": 800, "Shell": 200}),
        RepoFacts(name="old-site", team="platform", archived=True, languages={"PHP": 7000}),
        RepoFacts(name="notes", team="unassigned"),
    ]


def test_headline_counts_archived_apart_and_languages_of_active_repositories_only(tmp_path: Path) -> None:
    h = ov.headline(snapshot_frames(tmp_path, org()), taken_at=TAKEN_AT)
    assert (h.repositories, h.active_repositories, h.archived_repositories) == (8, 6, 2)
    assert h.teams == 4  # payments, search, platform, unassigned
    # Python Shell Dockerfile TypeScript CSS Go HCL; not Java or PHP (archived only), not YAML (data)
    assert h.languages == 7
    assert (h.dependencies, h.dependency_declarations) == (2, 3)  # fastapi twice counts once
    assert (h.warnings, h.repositories_with_warnings) == (3, 2)
    assert h.taken_at == pd.Timestamp("2026-11-20 14:03", tz="UTC")


@pytest.mark.parametrize(
    ("repos", "expected"),
    [
        pytest.param(
            org(),
            [("payments", 2, 1, 3), ("search", 2, 0, 2), ("platform", 1, 1, 2), ("unassigned", 1, 0, 1)],
            id="most-repositories-first-then-most-active-then-name",
        ),
        pytest.param(
            [RepoFacts(name="b", team="zeta"), RepoFacts(name="a", team="alpha")],
            [("alpha", 1, 0, 1), ("zeta", 1, 0, 1)],
            id="ties-by-name",
        ),
        pytest.param(
            [RepoFacts(name="a", team="t", archived=True), RepoFacts(name="b", team="t", archived=True)],
            [("t", 0, 2, 2)],
            id="only-archived",
        ),
        pytest.param([], [], id="no-repositories"),
    ],
)
def test_repos_per_team(tmp_path: Path, repos: list[RepoFacts], expected: list[tuple]) -> None:
    frame = ov.repos_per_team(snapshot_frames(tmp_path, repos))
    assert list(frame.columns) == ["team", "active", "archived", "total"]
    assert list(frame.itertuples(index=False, name=None)) == expected


def test_top_languages_by_bytes_of_active_repositories(tmp_path: Path) -> None:
    frame = ov.top_languages(snapshot_frames(tmp_path, org()))
    assert frame["language"].tolist() == ["Python", "Go", "TypeScript", "Shell", "CSS", "HCL", "Dockerfile"]
    total = 6000 + 1000 + 500 + 2000 + 3000 + 1000 + 4000 + 800 + 200
    assert frame.set_index("language").loc["Python", "bytes"] == 8000
    assert frame.set_index("language").loc["Python", "share"] == pytest.approx(8000 / total)
    assert frame.set_index("language").loc["Python", "repositories"] == 2
    assert frame.set_index("language").loc["Shell", "repositories"] == 2  # pay-api and infra


@pytest.mark.parametrize(
    ("top_n", "expected"),
    [
        pytest.param(
            2,
            {
                # Python and Go are the organisation's two biggest; the rest is Other
                "payments": [("Python", 8000, 8000 / 9500), ("Other", 1500, 1500 / 9500)],
                "search": [("Go", 4000, 0.5), ("Other", 4000, 0.5)],
                "platform": [("Other", 1000, 1.0)],
            },
            id="top-2-and-other",
        ),
        pytest.param(
            20,
            {
                "payments": [
                    ("Python", 8000, 8000 / 9500),
                    ("Shell", 1000, 1000 / 9500),
                    ("Dockerfile", 500, 500 / 9500),
                ],
                "search": [("Go", 4000, 0.5), ("TypeScript", 3000, 0.375), ("CSS", 1000, 0.125)],
                "platform": [("Shell", 200, 0.2), ("HCL", 800, 0.8)],
            },
            id="all-named-no-other",
        ),
    ],
)
def test_language_bytes_per_team_groups_the_rest_as_other(
    tmp_path: Path, top_n: int, expected: dict[str, list[tuple[str, int, float]]]
) -> None:
    frame = ov.language_bytes_per_team(snapshot_frames(tmp_path, org()), top_n=top_n)
    # Teams with most bytes first (archived bytes left out: payments 9500, search 8000, platform 1000)
    assert list(dict.fromkeys(frame["team"])) == list(expected)
    assert list(frame["team"].cat.categories) == list(expected)
    # One language order for every team: the organisation's biggest first, Other last
    expected_order = ["Python", "Go", "Other"] if top_n == 2 else ["Python", "Go", "TypeScript", "Shell"]
    assert list(frame["language"].cat.categories)[: len(expected_order)] == expected_order
    for team, rows in expected.items():
        got = frame[frame["team"] == team]
        assert got["language"].tolist() == [lang for lang, _, _ in rows]
        assert got["bytes"].tolist() == [b for _, b, _ in rows]
        assert got["share"].tolist() == pytest.approx([s for _, _, s in rows])
        assert got["share"].sum() == pytest.approx(1.0)
    assert "Java" not in set(frame["language"]) and "PHP" not in set(frame["language"])
    assert "unassigned" not in set(frame["team"])  # no bytes, no bar


def test_language_bytes_per_team_can_include_archived(tmp_path: Path) -> None:
    frame = ov.language_bytes_per_team(snapshot_frames(tmp_path, org()), top_n=1, include_archived=True)
    payments = frame[frame["team"] == "payments"].set_index("language")
    assert payments.index.tolist() == ["Java", "Other"]  # Java (50 000 archived bytes) now leads
    assert payments.loc["Java", "share"] == pytest.approx(50_000 / 59_500)


def test_team_table_counts_per_team(tmp_path: Path) -> None:
    table = ov.team_table(snapshot_frames(tmp_path, org())).set_index("team")
    assert table.index.tolist() == ["payments", "search", "platform", "unassigned"]
    assert table.loc["payments"][["repositories", "active", "archived"]].tolist() == [3, 2, 1]
    assert table.loc["payments", "languages"] == 3  # Python, Shell, Dockerfile (Java is archived)
    assert table.loc["payments", "main_language"] == "Python"
    assert table.loc["payments", "dependencies"] == 2  # fastapi and pydantic, distinct
    assert table.loc["payments", "warnings"] == 2
    assert table.loc["search", "main_language"] == "Go"
    assert table.loc["search", "warnings"] == 1
    assert table.loc["platform", "main_language"] == "HCL"  # PHP is archived
    assert pd.isna(table.loc["unassigned", "main_language"])
    assert table.loc["unassigned", "languages"] == 0


def test_overview_repos_of_a_team(tmp_path: Path) -> None:
    o = ov.overview(snapshot_frames(tmp_path, org()), taken_at=TAKEN_AT)
    assert o.repos_of("search")["repo"].tolist() == ["search-idx", "search-ui"]
    got = o.repos_of("search").set_index("repo")
    assert got.loc["search-idx", "warnings"] == 1
    assert got.loc["search-ui", "main_language"] == "TypeScript"
    assert len(o.repos_of(None)) == 8
    assert o.repos_of("nobody").empty


def test_an_empty_snapshot_gives_zeros_and_empty_frames(tmp_path: Path) -> None:
    o = ov.overview(snapshot_frames(tmp_path, []))
    assert (o.headline.repositories, o.headline.teams, o.headline.languages, o.headline.warnings) == (
        0,
        0,
        0,
        0,
    )
    assert o.headline.taken_at is None
    for frame in (o.repos_per_team, o.language_bytes, o.top_languages, o.teams, o.repos):
        assert frame.empty
