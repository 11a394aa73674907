"""Team ownership: teams file, catalog-info, CODEOWNERS, host hints, folder, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.facts import Facts
from collectors.teams import (
    DEFAULT_TEAM_ORDER,
    TEAM_SOURCES,
    TeamOrderError,
    TeamsFile,
    TeamsFileError,
    choose_team,
    folder_team,
    parse_team_order,
    read_catalog,
    resolve_team,
    team_candidates,
    topic_team,
)
from tests.gitrepo import make_repo, open_repo

CATALOG = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  tags: [java, payments]\nspec:\n  owner: group:default/catalog-team\n  lifecycle: production\n"
TEAMS = "teams:\n  file-team:\n    - 'payments/*'\n  other:\n    - '*'\n"


@pytest.mark.parametrize(
    ("files", "teams_file", "folder", "expected"),
    [
        (
            {"CODEOWNERS": "* @acme/owners-team\n", "catalog-info.yaml": CATALOG},
            TEAMS,
            "f",
            ("file-team", "teams-file"),
        ),
        (
            {"CODEOWNERS": "* @acme/owners-team\n", "catalog-info.yaml": CATALOG},
            None,
            "f",
            ("catalog-team", "catalog-info"),
        ),
        (
            {".github/CODEOWNERS": "# owners\n*.js @acme/web\n* @acme/owners-team @jane\n"},
            None,
            "f",
            ("owners-team", "codeowners"),
        ),
        ({"docs/CODEOWNERS": "* @solo-dev\n"}, None, "f", ("solo-dev", "codeowners")),
        (
            {"CODEOWNERS": "* @acme/first\n/src/ @acme/src\n* @acme/last\n"},
            None,
            None,
            ("last", "codeowners"),
        ),
        ({"CODEOWNERS": "/src/ @acme/src\n"}, None, "payments", ("payments", "folder")),
        ({"README.md": "x"}, None, "payments", ("payments", "folder")),
        ({"README.md": "x"}, None, None, ("unassigned", "default")),
        ({"catalog-info.yaml": "spec: [unclosed\n"}, None, "f", ("f", "folder")),
    ],
)
def test_team_resolution_order(
    tmp_path: Path,
    files: dict[str, str],
    teams_file: str | None,
    folder: str | None,
    expected: tuple[str, str],
) -> None:
    repo = make_repo(tmp_path / "payments" / "api", files)
    tf = None
    if teams_file:
        (tmp_path / "teams.yaml").write_text(teams_file)
        tf = TeamsFile.load(tmp_path / "teams.yaml")
    view = open_repo(repo, tmp_path)
    assert view.meta.name == "payments/api"
    assert resolve_team(view, Facts(), teams_file=tf, folder_team=folder) == expected


def test_host_hints_come_before_the_folder(tmp_path: Path) -> None:
    view = open_repo(make_repo(tmp_path / "r", {"a.py": "1"}))
    view.meta.team_hints = {"github-team": "platform"}
    assert resolve_team(view, Facts(), folder_team="folder") == ("platform", "github-team")


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (DEFAULT_TEAM_ORDER, ("cat", "catalog-info")),
        (("codeowners", "catalog-info"), ("owners", "codeowners")),
        (("github-team", "catalog-info"), ("gh", "github-team")),
        (("topic",), ("tp", "topic")),
        (("folder",), ("dir", "folder")),
        (("teams-file",), ("unassigned", "default")),
    ],
    ids=["default", "codeowners-first", "github-first", "topic-only", "folder-only", "nothing-matches"],
)
def test_team_order_is_configurable_and_every_candidate_is_kept(
    tmp_path: Path, order: tuple[str, ...], expected: tuple[str, str]
) -> None:
    files = {"catalog-info.yaml": "spec:\n  owner: group:default/cat\n", "CODEOWNERS": "* @acme/owners\n"}
    view = open_repo(make_repo(tmp_path / "r", files))
    view.meta.team_hints = {"github-team": "gh", "topic": "tp"}
    found = team_candidates(view, Facts(), folder_team="dir")
    assert found == {"catalog-info": "cat", "codeowners": "owners", "github-team": "gh", "topic": "tp", "folder": "dir"}
    assert choose_team(found, order) == expected


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("teams-file,catalog-info,codeowners", True),
        (" topic , folder ", True),
        ("catalog-info,catalog-info", False),
        ("owners", False),
        ("", False),
    ],
)
def test_team_order_parsing(text: str, ok: bool) -> None:
    if ok:
        assert set(parse_team_order(text)) <= set(TEAM_SOURCES)
    else:
        with pytest.raises(TeamOrderError, match="bad team order"):
            parse_team_order(text)


@pytest.mark.parametrize(
    ("topics", "expected"),
    [(["team-payments", "python"], "payments"), (["team-b", "team-a"], "a"), (["team-"], None), ([], None)],
)
def test_topic_team(topics: list[str], expected: str | None) -> None:
    assert topic_team(topics) == expected


def test_malformed_catalog_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    view = open_repo(make_repo(tmp_path / "r", {"catalog-info.yaml": "spec: [unclosed\n"}))
    facts = Facts()
    assert read_catalog(view, facts).owner is None
    assert [w.path for w in facts.warnings] == ["catalog-info.yaml"]
    assert "not valid YAML" in facts.warnings[0].message


def test_catalog_gives_lifecycle_and_tags(tmp_path: Path) -> None:
    view = open_repo(make_repo(tmp_path / "r", {"catalog-info.yaml": CATALOG}))
    info = read_catalog(view, Facts())
    assert (info.owner, info.lifecycle, info.tags) == ("catalog-team", "production", ["java", "payments"])


@pytest.mark.parametrize(("name", "team"), [("payments/api", "payments"), ("a/b/c", "a"), ("solo", None)])
def test_folder_team_is_the_first_folder_under_the_root(name: str, team: str | None) -> None:
    assert folder_team(name) == team


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("teams: [a, b]\n", "expected a mapping `teams:`"),
        ("nothing: here\n", "expected a mapping `teams:`"),
        ("teams:\n  a: 3\n  b: [ok]\n  c: [1]\n", "teams.a: expected a list"),
        ("teams: {a: [x\n", "not valid YAML"),
    ],
)
def test_bad_teams_file_is_rejected_naming_the_file_and_place(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "teams.yaml"
    path.write_text(text)
    with pytest.raises(TeamsFileError) as err:
        TeamsFile.load(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_bad_teams_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "teams.yaml"
    path.write_text("teams:\n  a: 3\n  b: [ok]\n  c: [1]\n")
    with pytest.raises(TeamsFileError) as err:
        TeamsFile.load(path)
    assert "teams.a:" in str(err.value) and "teams.c:" in str(err.value) and "teams.b" not in str(err.value)


def test_teams_file_first_matching_rule_wins() -> None:
    tf = TeamsFile([("a", "payments/*"), ("b", "payments/api"), ("c", "*")])
    assert [tf.team_for(n) for n in ("payments/api", "web", "payments")] == ["a", "c", "c"]
