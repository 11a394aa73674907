"""Team ownership: teams file, catalog-info, CODEOWNERS, host hints, folder, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.facts import Facts
from collectors.teams import TeamsFile, TeamsFileError, folder_team, read_catalog, resolve_team
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


def test_host_hints_come_after_codeowners_and_before_the_folder(tmp_path: Path) -> None:
    view = open_repo(make_repo(tmp_path / "r", {"a.py": "1"}))
    view.meta.team_hints = {"github-team": "platform"}
    assert resolve_team(view, Facts(), folder_team="folder") == ("platform", "github-team")


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
