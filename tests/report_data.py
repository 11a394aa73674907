"""Reports to render in tests: the demo organisation's, and one full of hostile text.

`demo_report` is the report of the shared demo database (`tests.dashboard_app.demo_site`: 24
repositories, 4 teams, 3 snapshots) judged by the example standards file, compared with the
snapshot before. `hostile_report` is built from two real snapshots in a SQLite file whose team,
repository, topic, URL, standard and waiver texts are markup, script, `javascript:` links and
spreadsheet formulas, so every format's escaping is tried on the same data. `HOSTILE` lists the
texts; a renderer's output must hold each one only as inert text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from collectors.facts import CiFile, Dependency, HygieneItem, RepoFacts, Runtime, Technology
from standards.report import Report, report_from_store
from store import SnapshotMeta, open_store
from tests.dashboard_app import STANDARDS, DemoSite

TODAY = date(2026, 11, 20)

SCRIPT_TEAM = "<script>alert('team')</script>"
IMG_REPO = 'evil/<img src=x onerror="alert(1)">'
JS_URL = "javascript:alert(document.cookie)"
FORMULA_REPO = '=HYPERLINK("http://evil.example","click")'
PIPE_REPO = "pipes|and|newlines\nrepo"
TOPIC = "<svg onload=alert('topic')>"
REASON = "</script><script>alert('reason')</script>"
TITLE = "<b onmouseover=alert('title')>README</b>"

#: Every hostile text the report carries.
HOSTILE = (SCRIPT_TEAM, IMG_REPO, JS_URL, FORMULA_REPO, PIPE_REPO, TOPIC, REASON, TITLE)

HOSTILE_STANDARDS = f"""
radar:
  django: {{ring: adopt, version: ">=4.2", reason: "<i>ours</i> <script>alert('radar')</script>"}}
standards:
  - id: readme
    title: {TITLE!r}
    level: bronze
    severity: medium
    rule: {{kind: file-exists, paths: ["hygiene:readme"]}}
    rationale: "<script>alert('rationale')</script>"
    tradeoffs: "[x](javascript:alert(1))"
    owner: "<u>dx</u>"
    review_by: 2026-01-31
  - id: python
    title: Python 3.11
    level: silver
    severity: high
    rule: {{kind: version, runtime: python, constraint: ">=3.11"}}
    rationale: Security support.
    owner: python
    review_by: 2027-06-30
waivers:
  - {{standard: readme, team: {SCRIPT_TEAM!r}, reason: {REASON!r}, approver: "<i>cto</i>", expires: 2026-12-01}}
"""


def _hostile_org(second: bool) -> list[RepoFacts]:
    hyg = {"readme": HygieneItem(True, "README.md")}
    repos = [
        RepoFacts(name=IMG_REPO, team=SCRIPT_TEAM, languages={"Python": 4000}, url=JS_URL, topics=[TOPIC],
                  runtimes=[Runtime("python", "3.9" if not second else "3.12", "pyproject.toml")],
                  dependencies=[Dependency("pypi", "django", declared="4.2", manifest="pyproject.toml")],
                  technologies=[Technology("django", "web-framework", "4.2", "pyproject.toml")],
                  ci_files=[CiFile("github-actions", ".github/workflows/<x>.yml")]),
        RepoFacts(name=FORMULA_REPO, team=SCRIPT_TEAM, languages={"Python": 1000}, hygiene=hyg,
                  runtimes=[Runtime("python", "3.10", "pyproject.toml")]),
        RepoFacts(name=PIPE_REPO, team="plain|team", languages={"Go": 2000}, hygiene=hyg if second else {},
                  url="https://github.example/acme/pipes"),
    ]  # fmt: skip
    return [r.normalise() for r in repos]


def write_hostile_database(folder: Path) -> tuple[str, Path]:
    """Two snapshots (the second with an upgrade, a resolved finding) and the standards file."""
    url = f"sqlite:///{folder / 'hostile.db'}"
    store = open_store(url)
    store.write_snapshot(
        SnapshotMeta("2026-10-20T10:00:00Z", "local", "/src/<acme>", "<i>October</i>"), _hostile_org(False)
    )
    store.write_snapshot(
        SnapshotMeta("2026-11-20T10:00:00Z", "local", "/src/<acme>", "<i>November</i>"), _hostile_org(True)
    )
    standards = folder / "hostile-standards.yaml"
    standards.write_text(HOSTILE_STANDARDS, encoding="utf-8")
    return url, standards


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    url, standards = write_hostile_database(tmp_path_factory.mktemp("hostile-report"))
    return report_from_store(open_store(url, create=False), standards_path=standards, today=TODAY)


@pytest.fixture(scope="session")
def demo_report(demo_site: DemoSite) -> Report:
    return report_from_store(open_store(demo_site.db_url, create=False), standards_path=STANDARDS)


@pytest.fixture(scope="session")
def facts_only_report(demo_site: DemoSite) -> Report:
    """The demo's report without a standards file: facts, no compliance."""
    return report_from_store(open_store(demo_site.db_url, create=False))
