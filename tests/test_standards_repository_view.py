"""standards.repository_view: one repository's facts, links to its files on the host, and links to
the Repository page, on the GitHub-shaped organisation of test_standards_build_view."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from collectors.facts import RepoFacts
from standards import repository_view as rv
from standards.analysis import Analysis, analyse
from standards.load import parse_standards
from store import open_store
from store.frames import frames_from_records, load_frames
from tests.test_standards_build_view import PAY_API_HEAD, SHA, github_org, github_snapshot

GUILD_YAML = """
version: 1
radar:
  fastapi: {ring: adopt}
standards:
  - id: readme
    title: A README
    level: bronze
    severity: medium
    rule: {kind: file-exists, paths: [README.md]}
    rationale: Newcomers start there.
    owner: guild
    review_by: 2027-01-01
  - id: licence
    title: A licence
    level: bronze
    severity: low
    rule: {kind: file-exists, paths: [LICENSE]}
    rationale: Lawyers ask.
    owner: guild
    review_by: 2027-01-01
  - id: green
    title: Default branch green
    level: silver
    severity: high
    rule: {kind: build-health, require_green: true, min_success_rate: 0.8}
    rationale: A red main blocks releases.
    owner: platform
    review_by: 2027-01-01
  - id: java-only
    title: Java 21
    level: gold
    severity: low
    applies_to: {languages: [Java]}
    rule: {kind: version, runtime: java, constraint: ">=21"}
    rationale: LTS.
    owner: guild
    review_by: 2027-01-01
waivers:
  - standard: licence
    repo: acme/pay-api
    reason: Licence decided with legal in Q1
    approver: cto
    expires: 2027-03-31
"""
GUILD = parse_standards(GUILD_YAML)


@pytest.fixture
def analysis(tmp_path: Path) -> Analysis:
    url, sid = github_snapshot(tmp_path)
    return analyse(load_frames(open_store(url), sid), GUILD, today=date(2026, 11, 28))


@pytest.mark.parametrize(
    ("url", "ref", "path", "expected"),
    [
        pytest.param("https://github.com/acme/pay-api", "main", "README.md",
                     "https://github.com/acme/pay-api/blob/main/README.md", id="github"),
        pytest.param("https://ghe.acme.io/web/search-ui", SHA, ".github/workflows/ci.yml",
                     f"https://ghe.acme.io/web/search-ui/blob/{SHA}/.github/workflows/ci.yml", id="enterprise"),
        pytest.param("https://github.com/acme/pay-api/", "main", "./docs/Read Me.md",
                     "https://github.com/acme/pay-api/blob/main/docs/Read%20Me.md", id="spaces-and-dot-slash"),
        pytest.param("https://github.com/acme/pay-api.git", "release/2.x", "a#b?.txt",
                     "https://github.com/acme/pay-api/blob/release/2.x/a%23b%3F.txt", id="git-suffix-and-odd-chars"),
        pytest.param("http://ghe.local:8080/acme/x", "main", "/src/a.py",
                     "http://ghe.local:8080/acme/x/blob/main/src/a.py", id="port-and-leading-slash"),
        pytest.param(None, "main", "README.md", None, id="local-clone-no-url"),
        pytest.param("https://github.com/acme/pay-api", None, "README.md", None, id="no-ref"),
        pytest.param("https://github.com/acme/pay-api", "main", "", None, id="no-path"),
        pytest.param("https://github.com/acme/pay-api", "main", None, None, id="path-none"),
        pytest.param("https://gitlab.com/acme/pay-api", "main", "README.md", None, id="gitlab"),
        pytest.param("https://github.com/acme", "main", "README.md", None, id="an-organisation-not-a-repo"),
        pytest.param("https://github.com/acme/pay-api/tree/main", "main", "README.md", None, id="deeper-path"),
        pytest.param("file:///src/acme/pay-api", "main", "README.md", None, id="file-url"),
        pytest.param("/src/acme/pay-api", "main", "README.md", None, id="a-folder"),
    ],
)  # fmt: skip
def test_file_url(url: str | None, ref: str | None, path: str | None, expected: str | None) -> None:
    assert rv.file_url(url, ref, path) == expected


@pytest.mark.parametrize(
    ("name", "snapshot", "expected"),
    [
        ("acme/pay-api", None, "repository?repo=acme/pay-api"),
        ("acme/pay-api", 7, "repository?repo=acme/pay-api&snapshot=7"),
        ("team a/repo&b", None, "repository?repo=team%20a/repo%26b"),
        ("données", None, "repository?repo=donn%C3%A9es"),
    ],
)
def test_repository_link(name: str, snapshot: int | None, expected: str) -> None:
    assert rv.repository_link(name, snapshot=snapshot) == expected


def test_every_fact_of_a_github_repository_links_to_its_files_at_the_head(analysis: Analysis) -> None:
    facts = rv.repository_facts(analysis, "acme/pay-api")
    assert facts is not None and facts.host_links
    base = f"https://github.com/acme/pay-api/blob/{PAY_API_HEAD}"
    about = facts.about
    assert (about["team"], about["team_source"], about["default_branch"], about["head"]) == (
        "payments", "github-team", "main", PAY_API_HEAD,
    )  # fmt: skip
    assert (about["visibility"], about["topics"], about["main_language"]) == (
        "private",
        ["python", "team-payments"],
        "Python",
    )
    assert facts.team_candidates.values.tolist() == [
        ["github-team", rv.TEAM_SOURCES["github-team"], "payments", True],  # in the team order: it came first
        ["codeowners", rv.TEAM_SOURCES["codeowners"], "payments-core", False],
    ]
    assert facts.languages[["language", "bytes", "counted"]].values.tolist() == [
        ["Python", 6000, True],
        ["Shell", 1000, True],
        ["YAML", 900, False],
    ]
    assert facts.languages["share"].tolist()[:2] == pytest.approx([6 / 7, 1 / 7])
    assert pd.isna(facts.languages["share"].iloc[2])  # data has no share of the code
    assert facts.technologies[["technology", "version", "ring", "link"]].values.tolist() == [
        ["fastapi", "0.110", "adopt", f"{base}/requirements.txt"]
    ]
    assert facts.dependencies[["name", "scope", "link"]].values.tolist() == [
        ["fastapi", "runtime", f"{base}/requirements.txt"],
        ["pytest", "dev", f"{base}/requirements-dev.txt"],
    ]
    assert facts.runtimes[["runtime", "version", "link"]].values.tolist() == [
        ["python", "3.12", f"{base}/.python-version"]
    ]
    assert facts.actions[["action", "pinned", "link"]].values.tolist() == [
        ["actions/checkout", "sha", f"{base}/.github/workflows/ci.yml"],
        ["actions/setup-python", "version", f"{base}/.github/workflows/ci.yml"],
    ]
    hygiene = facts.hygiene.set_index("item")
    assert hygiene.loc["readme", "link"] == f"{base}/README.md"
    assert not hygiene.loc["license", "present"] and hygiene.loc["license", "link"] is None
    assert facts.build == {
        "state": "red",
        "reason": "latest run of ci failed on a1b2c3d",
        "commit": PAY_API_HEAD,
        "checked_at": "2026-11-20T14:00:00Z",
    }
    assert facts.workflows["workflow"].tolist() == ["ci", "release"]
    assert facts.workflows["last_success_at"].iloc[0] == pd.Timestamp("2026-11-06 10:00", tz="UTC")
    assert facts.checks["state"].tolist() == ["success", "failure", "error"]  # by name: ci / lint first
    assert facts.warnings[["path", "message", "link"]].values.tolist() == [
        ["pyproject.toml", "not valid TOML", f"{base}/pyproject.toml"]
    ]


def test_findings_what_needs_doing_first_with_waivers_and_evidence_links(analysis: Analysis) -> None:
    findings = rv.repository_facts(analysis, "acme/pay-api").findings
    base = f"https://github.com/acme/pay-api/blob/{PAY_API_HEAD}"
    assert findings[["status", "standard"]].values.tolist() == [
        ["fail", "green"],
        ["waived", "licence"],
        ["pass", "readme"],
        ["not-applicable", "java-only"],
    ]
    green = findings.iloc[0]
    assert "the default branch is red" in green["detail"]
    assert (green["evidence"], green["link"]) == (".github/workflows/ci.yml", f"{base}/.github/workflows/ci.yml")
    assert findings.iloc[1]["waiver"] == "Licence decided with legal in Q1, approved by cto (until 2027-03-31)"
    assert findings.iloc[2]["link"] == f"{base}/README.md"
    assert findings.iloc[3]["link"] is None and findings.iloc[3]["waiver"] is None


def test_a_repository_on_github_enterprise_without_a_head_links_at_its_default_branch(analysis: Analysis) -> None:
    facts = rv.repository_facts(analysis, "web/search-ui")
    assert facts.host_links
    assert facts.hygiene["link"].tolist() == ["https://ghe.acme.io/web/search-ui/blob/develop/docs/Read%20Me.md"]
    assert facts.team_candidates.values.tolist() == [["default", rv.TEAM_SOURCES["default"], "search", True]]


def test_a_local_clone_has_no_links_and_no_build_and_no_rings_without_standards() -> None:
    local = [RepoFacts(name="svc", team="t", head="f" * 40, default_branch="main",
                       technologies=[], hygiene={}, languages={"Go": 10})]  # fmt: skip
    facts = rv.repository_facts(analyse(frames_from_records(local), None, today=date(2026, 11, 28)), "svc")
    assert not facts.host_links and facts.build is None
    assert facts.findings.empty and list(facts.findings.columns)[:2] == ["status", "title"]
    techs = rv.repository_facts(analyse(frames_from_records(github_org()), None, today=date(2026, 11, 28)),
                                "acme/pay-api").technologies  # fmt: skip
    assert techs["ring"].tolist() == [None]


def test_an_unknown_repository_gives_none(analysis: Analysis) -> None:
    assert rv.repository_facts(analysis, "acme/nope") is None


@pytest.mark.parametrize(
    ("text", "ecosystems", "scopes", "names"),
    [
        ("", (), (), ["fastapi", "pytest"]),
        ("FAST", (), (), ["fastapi"]),
        ("-dev", (), (), ["pytest"]),  # matches the manifest requirements-dev.txt
        ("", ("npm",), (), []),
        ("", ("pypi",), ("dev",), ["pytest"]),
        ("  ", (), ("runtime", "dev"), ["fastapi", "pytest"]),
    ],
)
def test_dependencies_matching(analysis: Analysis, text: str, ecosystems: tuple, scopes: tuple, names: list) -> None:
    deps = rv.repository_facts(analysis, "acme/pay-api").dependencies
    assert rv.dependencies_matching(deps, text, ecosystems, scopes)["name"].tolist() == names
