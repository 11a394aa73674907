"""The Repository page through Streamlit's AppTest: a GitHub snapshot with build health and a
standards file (exact values, links to files on the host), the demo organisation, no standards,
and an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import STANDARDS_ENV
from store import DB_ENV
from tests.dashboard_app import dashboard, demo_site, empty_dashboard, open_page  # noqa: F401 (fixtures)
from tests.test_standards_build_view import PAY_API_HEAD, github_snapshot
from tests.test_standards_repository_view import GUILD_YAML

BASE = f"https://github.com/acme/pay-api/blob/{PAY_API_HEAD}"


@pytest.fixture
def github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The GitHub organisation of the build-view tests, judged by GUILD_YAML."""
    url, _ = github_snapshot(tmp_path)
    standards = tmp_path / "standards.yaml"
    standards.write_text(GUILD_YAML)
    monkeypatch.setenv(DB_ENV, url)
    monkeypatch.setenv(STANDARDS_ENV, str(standards))
    return url


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, *columns: str):
    """The first table holding all these columns."""
    for frame in (d.value for d in at.dataframe):
        if set(columns) <= set(frame.columns):
            return frame
    raise AssertionError(f"no table with {columns}")


def test_without_a_pick_the_page_lists_the_repositories_to_open(github: str) -> None:
    at = open_page("repository")
    assert not at.exception
    picker = at.selectbox(key="repo")
    assert picker.value is None
    assert picker.options == [
        "acme/docs-site", "acme/infra", "acme/pay-api", "acme/pay-worker", "acme/search-idx", "web/search-ui",
    ]  # fmt: skip
    listing = at.dataframe[0].value
    assert listing.set_index("repo").loc["acme/pay-api", "page"] == "repository?repo=acme/pay-api&snapshot=1"
    assert not at.metric


def test_a_deep_link_shows_every_fact_of_the_repository(github: str) -> None:
    at = open_page("repository", {"repo": "acme/pay-api"})
    assert not at.exception
    assert at.selectbox(key="repo").value == "acme/pay-api"
    assert at.header[0].value == "acme/pay-api"
    # waived is not passed: the bronze licence standard keeps it below bronze
    assert metrics(at) == {"Team": "payments", "Main language": "Python", "Level": "none", "Build": "✗ red",
                           "Failing": "1"}  # fmt: skip
    about = next(m.value for m in at.markdown if "Default branch" in m.value)
    for said in ("`main`", f"`{PAY_API_HEAD[:12]}`", "private", "`python`, `team-payments`",
                 "https://github.com/acme/pay-api"):  # fmt: skip
        assert said in about
    team = table_with(at, "source", "decided")
    assert team[["source", "team", "decided"]].values.tolist() == [
        ["github-team", "payments", True],
        ["codeowners", "payments-core", False],
    ]
    assert table_with(at, "technology", "ring")[["technology", "ring", "link"]].values.tolist() == [
        ["fastapi", "adopt", f"{BASE}/requirements.txt"]
    ]
    assert table_with(at, "runtime")["link"].tolist() == [f"{BASE}/.python-version"]
    assert table_with(at, "image")["link"].tolist() == [f"{BASE}/Dockerfile"]
    assert table_with(at, "provider", "path")["link"].tolist() == [
        f"{BASE}/.github/workflows/ci.yml",
        f"{BASE}/.github/workflows/release.yml",
    ]
    assert table_with(at, "action", "pinned")["pinned"].tolist() == ["sha", "version"]
    assert table_with(at, "item", "present")["state"].tolist() == ["✓ present", "✗ missing", "✓ present"]
    workflows = table_with(at, "workflow", "runs")
    assert workflows[["workflow", "latest_conclusion", "success_rate", "median_min"]].values.tolist() == [
        ["ci", "failure", 0.75, 5.0],
        ["release", "success", 1.0, 2.0],
    ]
    assert table_with(at, "kind", "app")["state"].tolist() == ["success", "failure", "error"]
    assert table_with(at, "message")[["path", "link"]].values.tolist() == [["pyproject.toml", f"{BASE}/pyproject.toml"]]
    assert "**✗ red**: latest run of ci failed on a1b2c3d" in " ".join(m.value for m in at.markdown)


def test_findings_list_what_fails_first_with_evidence_linked_on_the_host(github: str) -> None:
    at = open_page("repository", {"repo": "acme/pay-api"})
    findings = table_with(at, "status", "waiver")
    assert findings[["status", "standard"]].values.tolist() == [
        ["✗ fail", "green"],
        ["◐ waived", "licence"],
        ["✓ pass", "readme"],
    ]  # not-applicable hidden until asked for
    assert findings["link"].tolist()[0] == f"{BASE}/.github/workflows/ci.yml"
    assert findings["waiver"].tolist()[1] == "Licence decided with legal in Q1, approved by cto (until 2027-03-31)"
    at.checkbox(key="repository_hide_not_applicable").uncheck().run()
    assert table_with(at, "status", "waiver")["standard"].tolist()[-1] == "java-only"


def test_a_github_enterprise_repository_links_at_its_default_branch(github: str) -> None:
    at = open_page("repository", {"repo": "web/search-ui"})
    assert not at.exception
    assert metrics(at)["Build"] == "◔ pending"
    assert table_with(at, "item", "present")["link"].tolist() == [
        "https://ghe.acme.io/web/search-ui/blob/develop/docs/Read%20Me.md"
    ]


def test_the_dependency_filter_narrows_the_table(github: str) -> None:
    at = open_page("repository", {"repo": "acme/pay-api"})
    assert table_with(at, "ecosystem", "scope")["name"].tolist() == ["fastapi", "pytest"]
    at.text_input(key="repository_dependency_filter").input("-dev").run()
    assert table_with(at, "ecosystem", "scope")[["name", "link"]].values.tolist() == [
        ["pytest", f"{BASE}/requirements-dev.txt"]
    ]
    at.text_input(key="repository_dependency_filter").input("").run()
    at.multiselect(key="repository_dependency_scopes").select("runtime").run()
    assert table_with(at, "ecosystem", "scope")["name"].tolist() == ["fastapi"]


def test_the_team_filter_narrows_the_picker_and_a_link_still_opens_a_repository_outside_it(github: str) -> None:
    at = open_page("repository", {"team": ["search"]})
    assert at.selectbox(key="repo").options == ["acme/search-idx", "web/search-ui"]
    at = open_page("repository", {"team": ["search"], "repo": "acme/pay-api"})
    assert not at.exception
    assert at.selectbox(key="repo").options == ["acme/pay-api", "acme/search-idx", "web/search-ui"]
    assert at.selectbox(key="repo").value == "acme/pay-api"
    assert "outside the sidebar's filters" in " ".join(c.value for c in at.caption)
    assert metrics(at)["Team"] == "payments"


def test_an_archived_repository_opens_from_a_link(github: str) -> None:
    at = open_page("repository", {"repo": "acme/pay-legacy"})
    assert not at.exception
    assert metrics(at)["Build"] == "✗ red"
    assert "**archived**" in " ".join(c.value for c in at.caption)


def test_an_unknown_repository_says_so(github: str) -> None:
    at = open_page("repository", {"repo": "acme/gone"})
    assert not at.exception
    assert "No repository 'acme/gone'" in at.warning[0].value
    assert at.selectbox(key="repo").value is None


def test_without_standards_the_facts_show_and_the_findings_say_what_is_needed(
    github: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STANDARDS_ENV)
    at = open_page("repository", {"repo": "acme/pay-api"})
    assert not at.exception
    assert metrics(at)["Level"] == "—" and metrics(at)["Failing"] == "—"
    assert "No standards file" in at.info[0].value
    assert "guildboard serve --standards standards.yaml" in at.code[0].value
    techs = table_with(at, "technology")
    assert techs["technology"].tolist() == ["fastapi"]
    assert techs["ring"].isna().all()  # rings come from the standards file's radar


@pytest.mark.usefixtures("dashboard")
def test_a_demo_repository_renders_without_host_links() -> None:
    at = open_page("repository")
    first = at.selectbox(key="repo").options[0]
    at = open_page("repository", {"repo": first})
    assert not at.exception
    assert at.header[0].value == first
    hygiene = table_with(at, "item", "present")
    assert hygiene["link"].isna().all()  # a local clone: paths stay text
    assert len(table_with(at, "status", "waiver")) > 0


@pytest.mark.usefixtures("empty_dashboard")
def test_an_empty_database_shows_the_empty_state() -> None:
    at = open_page("repository")
    assert not at.exception
    assert "Nothing to show yet" in at.info[0].value
