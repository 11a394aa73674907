"""`guildboard check`: one repository on disk against the standards, as its own CI runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import make_repo

ROOT = Path(__file__).resolve().parent.parent

STANDARDS = """
radar:
  react: {ring: adopt, version: ">=18.2.0"}
  moment: {ring: hold, replace_with: date-fns}
standards:
  - {id: readme, title: A README, level: bronze, severity: medium, rule: {kind: file-exists, paths: ["hygiene:readme"]},
     rationale: r, owner: o, review_by: 2027-01-01}
  - {id: no-hold, title: Nothing on hold, level: bronze, severity: high, rule: {kind: technology-ring, unreviewed: false},
     rationale: r, owner: o, review_by: 2027-01-01, links: ["https://wiki.example.com/radar"]}
  - {id: react-18, title: React 18.2+, level: silver, severity: low, rule: {kind: version, technology: react},
     rationale: r, owner: o, review_by: 2027-01-01}
waivers:
  - {standard: react-18, repo: acme/web, reason: "upgrade in Q1", approver: jane, expires: 2099-01-01}
"""

PACKAGE = json.dumps({"dependencies": {"react": "^17.0.2", "moment": "2.29.4"}})


def check(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", "check", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_REPOSITORY": "", **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "standards.yaml").write_text(STANDARDS)
    repo = make_repo(tmp_path / "web", {"package.json": PACKAGE, "src/app.js": "x()\n"})
    return repo, tmp_path / "standards.yaml"


def test_text_output_and_exit_codes(setup: tuple[Path, Path]) -> None:
    repo, standards = setup
    done = check(str(repo), "--standards", str(standards), "--name", "acme/web")
    assert done.returncode == 1, done.stderr
    assert "FAIL" in done.stdout and "moment is on hold: move to date-fns" in done.stdout
    assert "WAIVED" in done.stdout and "upgrade in Q1" in done.stdout  # waived is shown, never as a pass
    assert "level none" in done.stdout
    high_only = check(str(repo), "--standards", str(standards), "--name", "acme/web", "--fail-on", "critical")
    assert high_only.returncode == 0  # failing findings below the threshold do not fail the check


def test_passing_repository_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "standards.yaml").write_text(STANDARDS)
    repo = make_repo(
        tmp_path / "ok", {"README.md": "# ok\n", "package.json": json.dumps({"dependencies": {"react": "18.3.1"}})}
    )
    done = check(str(repo), "--standards", str(tmp_path / "standards.yaml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "level silver" in done.stdout


def test_json_and_github_formats(setup: tuple[Path, Path]) -> None:
    repo, standards = setup
    doc = json.loads(check(str(repo), "--standards", str(standards), "--format", "json", "--name", "acme/web").stdout)
    by = {r["standard"]: r for r in doc["results"]}
    assert doc["passed"] is False and by["no-hold"]["status"] == "fail" and by["react-18"]["status"] == "waived"
    assert by["readme"]["status"] == "fail"
    gh = check(str(repo), "--standards", str(standards), "--format", "github", "--name", "acme/web").stdout
    assert "::error file=package.json,title=no-hold%3A Nothing on hold::" in gh
    assert "::warning title=readme%3A A README::" in gh
    assert "::notice file=package.json,title=react-18%3A React 18.2+::waived: " in gh


def test_sarif_output(setup: tuple[Path, Path], tmp_path: Path) -> None:
    repo, standards = setup
    out = tmp_path / "out.sarif"
    done = check(str(repo), "--standards", str(standards), "--format", "sarif", "--out", str(out), "--name", "acme/web")
    assert done.returncode == 1
    sarif = json.loads(out.read_text())
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["readme", "no-hold", "react-18"]
    assert run["tool"]["driver"]["rules"][1]["helpUri"] == "https://wiki.example.com/radar"
    results = {r["ruleId"]: r for r in run["results"]}
    assert results["no-hold"]["level"] == "error"
    assert results["no-hold"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "package.json"
    assert "locations" not in results["readme"]  # about the whole repository: no file to point at
    assert results["react-18"]["suppressions"][0]["status"] == "accepted"


def test_bad_standards_file_exits_two_with_every_problem(setup: tuple[Path, Path], tmp_path: Path) -> None:
    repo, _ = setup
    bad = tmp_path / "bad.yaml"
    bad.write_text("standards:\n  - {id: x, title: t, level: platinum, rule: {kind: nope}}\n")
    done = check(str(repo), "--standards", str(bad))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    for path in ("standards[0].level", "standards[0].rule", "standards[0].rationale", "standards[0].owner"):
        assert f"bad.yaml:2: {path}" in done.stderr


def test_the_example_standards_run_on_a_demo_repository(tmp_path: Path) -> None:
    from demo import build_organisation

    root = tmp_path / "org"
    paths = build_organisation(root, repos=8, teams=2, seed=7, checkout=False)
    done = check(str(paths[0]), "--standards", str(ROOT / "data" / "standards.example.yaml"), "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    doc = json.loads(done.stdout)
    assert len(doc["results"]) >= 16 and not [r for r in doc["results"] if r["status"] == "error"]
