"""`guildboard report` end to end: the real command in a fresh process on the demo database."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

from cli import REPORT_FORMATS
from reports.formats import FORMATS
from store import open_store
from tests.dashboard_app import DemoSite
from tests.test_cli import run


def report(site: DemoSite, *args: str, cwd: Path) -> tuple[int, str, str]:
    done = run("report", "--db", site.db_url, "--standards", str(site.standards), *args, cwd=cwd)
    return done.returncode, done.stdout, done.stderr


def test_the_command_offers_every_format_of_the_formats_table() -> None:
    assert tuple(FORMATS) == REPORT_FORMATS


@pytest.mark.parametrize(
    ("out", "check"),
    [
        ("deck.pptx", lambda data: len(Presentation(io.BytesIO(data)).slides) > 5),
        ("tables.xlsx", lambda data: "repositories" in openpyxl.load_workbook(io.BytesIO(data)).sheetnames),
        ("tables.zip", lambda data: "repositories.csv" in zipfile.ZipFile(io.BytesIO(data)).namelist()),
        (
            "report.html",
            lambda data: data.startswith(b"<!DOCTYPE html>") or data.lower().startswith(b"<!doctype html>"),
        ),
        ("summary.md", lambda data: data.decode("utf-8").startswith("# ")),
        ("facts.json", lambda data: json.loads(data)["format"] == "guildboard-export"),
    ],
)
def test_the_format_follows_the_extension_and_the_file_is_written_whole(
    demo_site: DemoSite, tmp_path: Path, out: str, check
) -> None:
    code, _, err = report(demo_site, "--out", out, cwd=tmp_path)
    assert code == 0, err
    assert f"wrote {out}" in err
    assert check((tmp_path / out).read_bytes())
    assert not list(tmp_path.glob("*.part"))


def test_markdown_to_standard_output_for_one_team_and_no_comparison(demo_site: DemoSite, tmp_path: Path) -> None:
    snapshot = open_store(demo_site.db_url, create=False).snapshots()[0]
    teams = sorted({r.team for r in open_store(demo_site.db_url, create=False).repo_facts(snapshot.id)})
    code, out, err = report(demo_site, "--format", "md", "--team", teams[0], "--compare", "none", "--out", "-",
                            cwd=tmp_path)  # fmt: skip
    assert code == 0, err
    assert f"teams {teams[0]}" in out and "no comparison" in out


def test_json_for_one_team_holds_only_its_repositories_and_findings(demo_site: DemoSite, tmp_path: Path) -> None:
    snapshot = open_store(demo_site.db_url, create=False).snapshots()[0]
    teams = sorted({r.team for r in open_store(demo_site.db_url, create=False).repo_facts(snapshot.id)})
    code, out, err = report(demo_site, "--format", "json", "--team", teams[-1], "--out", "-", cwd=tmp_path)
    assert code == 0, err
    document = json.loads(out)
    assert document["repositories"] and {r["team"] for r in document["repositories"]} == {teams[-1]}
    assert {f["team"] for f in document["findings"]} <= {teams[-1]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--out", "report.txt"), "say which format to write: --format pptx|html|xlsx|csv|md|json|pdf"),
        (("--out", "-"), "say which format to write"),
        (("--format", "md", "--template", "deck.pptx", "--out", "x.md"), "--template applies to --format pptx only"),
        (("--team", "nobody", "--out", "x.md"), "no team 'nobody'"),
        (("--snapshot", "999", "--out", "x.md"), "no snapshot '999'"),
        (("--compare", "label:never", "--out", "x.md"), "no snapshot 'label:never'"),
        (("--template", "missing.pptx", "--out", "x.pptx"), "missing.pptx"),
    ],
)
def test_a_bad_request_is_one_line_and_exit_2(demo_site: DemoSite, tmp_path: Path, args: tuple, message: str) -> None:
    code, _, err = report(demo_site, *args, cwd=tmp_path)
    assert code == 2, err
    assert err.startswith("guildboard: ") and message in err
    assert "Traceback" not in err
    assert not [p for p in tmp_path.iterdir() if p.name != "missing.pptx"]


def test_a_broken_standards_file_lists_its_problems(demo_site: DemoSite, tmp_path: Path) -> None:
    bad = tmp_path / "standards.yaml"
    bad.write_text("standards:\n  - id: x\n    level: platinum\n", encoding="utf-8")
    done = run("report", "--db", demo_site.db_url, "--standards", str(bad), "--out", "x.md", cwd=tmp_path)
    assert done.returncode == 2
    assert "the standards file has problems" in done.stderr and f"{bad}:" in done.stderr
    assert not (tmp_path / "x.md").exists()


def test_without_standards_the_report_says_facts_only(demo_site: DemoSite, tmp_path: Path) -> None:
    done = run("report", "--db", demo_site.db_url, "--format", "md", "--out", "-", cwd=tmp_path,
               env={"GUILDBOARD_STANDARDS": ""})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "standards file" in done.stdout.lower()
