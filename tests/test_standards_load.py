"""Reading a standards file: a good one loads; a bad one is refused with every problem and its place."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from standards.load import SCHEMA_PATH, StandardsError, json_schema, load_standards, parse_standards

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "standards.example.yaml"

GOOD = """
radar:
  spring-boot: {ring: adopt, version: ">=3.2", reason: "one Java web stack"}
  jquery: {ring: hold, replace_with: react, reason: "legacy"}
standards:
  - id: no-hold
    title: No technology on hold
    level: bronze
    severity: high
    rule: {kind: technology-ring}
    rationale: Hold technologies carry known risk.
    owner: platform-guild
    review_by: 2027-03-01
waivers:
  - standard: no-hold
    repo: acme/billing
    reason: migration planned in Q1
    approver: jane
    expires: 2027-01-31
"""


def test_a_good_file_loads() -> None:
    std = parse_standards(GOOD)
    assert std.radar["jquery"].replace_with == "react"
    assert std.standards[0].rule.kind == "technology-ring" and std.standards[0].rule.forbid == ["hold"]
    assert std.waivers[0].expires == date(2027, 1, 31)


BAD = """
radar:
  spring-boot: {ring: adopted}
  no-such-tech: {ring: hold}
  react: {ring: adopt, version: "^^18"}
standards:
  - id: no-hold
    title: No technology on hold
    level: platinum
    severty: high
    rule: {kind: technology-ring}
    rationale: r
    owner: o
    review_by: 2027-03-01
  - id: one-framework
    title: One web framework
    level: silver
    rule: {kind: max-per-category, category: web-frameworks, max: 0}
    rationale: r
    owner: o
    review_by: not-a-date
  - id: Bad Id
    title: t
    level: gold
    rule: {kind: teleport}
    rationale: r
    owner: o
    review_by: 2027-01-01
waivers:
  - standard: no-hold
    reason: r
    approver: a
    expires: 2027-01-01
"""


def test_a_bad_file_lists_every_schema_problem_with_its_path_and_line() -> None:
    with pytest.raises(StandardsError) as caught:
        parse_standards(BAD, "standards.yaml")
    got = {(p.path, p.line) for p in caught.value.problems}
    assert ("radar.spring-boot.ring", 3) in got
    assert ("standards[0].level", 9) in got
    assert ("standards[0].severty", 10) in got
    assert ("standards[1].rule.max", 18) in got
    assert ("standards[1].review_by", 21) in got
    assert ("standards[2].id", 22) in got
    assert any(path.startswith("standards[2].rule") for path, _ in got)
    assert ("waivers[0]", 30) in got
    text = str(caught.value)
    assert "standards.yaml:10: standards[0].severty: unknown key (a typo?)" in text
    assert "name exactly one of repo or team" in text


def test_semantic_problems_are_listed_together() -> None:
    text = """
radar:
  no-such-tech: {ring: hold}
  react: {ring: adopt, version: "^^18"}
  jquery: {ring: hold, replace_with: nothing-like-it}
standards:
  - {id: a, title: t, level: bronze, rule: {kind: max-per-category, category: web-frameworks}, rationale: r, owner: o, review_by: 2027-01-01}
  - {id: a, title: t, level: bronze, rule: {kind: version, technology: django}, rationale: r, owner: o, review_by: 2027-01-01}
waivers:
  - {standard: b, team: payments, reason: r, approver: x, expires: 2027-01-01}
"""
    with pytest.raises(StandardsError) as caught:
        parse_standards(text, "s.yaml")
    got = {p.path: (p.line, p.message) for p in caught.value.problems}
    assert got["radar.no-such-tech"][0] == 3 and "not in the technology catalog" in got["radar.no-such-tech"][1]
    assert "radar.react.version" in got
    assert "radar.jquery.replace_with" in got
    assert "unknown category 'web-frameworks'" in got["standards[0].rule.category"][1]
    assert "already used" in got["standards[1].id"][1]
    assert "no constraint" in got["standards[1].rule.constraint"][1]
    assert got["waivers[0].standard"] == (10, "no standard with id 'b'")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("radar: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("version: 2\n", "version"),
        ("", "expected a mapping"),
    ],
)
def test_unusable_files(text: str, message: str) -> None:
    with pytest.raises(StandardsError, match=message):
        parse_standards(text)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StandardsError, match="cannot read"):
        load_standards(tmp_path / "nope.yaml")


def test_the_example_file_loads_and_passes_its_own_schema() -> None:
    std = load_standards(EXAMPLE)
    assert len(std.standards) >= 10 and std.waivers and std.radar
    assert {s.rule.kind for s in std.standards} >= {
        "technology-ring", "version", "max-per-category", "file-exists", "ci-provider", "actions-pinned",
        "build-health", "dependency",
    }  # fmt: skip
    jsonschema.validate(json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str)), json_schema())


def test_the_committed_json_schema_is_the_generated_one() -> None:
    """Regenerate with: .venv/bin/python -c 'from standards.load import write_json_schema; write_json_schema()'"""
    assert json.loads(SCHEMA_PATH.read_text()) == json.loads(json.dumps(json_schema(), sort_keys=True))


def test_every_hygiene_item_the_detector_reports_is_accepted(tmp_path: Path) -> None:
    from collectors.detectors import hygiene
    from tests.gitrepo import make_repo, open_repo

    found = hygiene.detect(open_repo(make_repo(tmp_path / "r", {"a.py": "1\n"})))
    paths = ", ".join(f'"hygiene:{item.replace("_", "-")}"' for item in sorted(found.hygiene))
    text = f"""
standards:
  - {{id: a, title: t, level: bronze, rule: {{kind: file-exists, paths: [{paths}]}}, rationale: r, owner: o, review_by: 2027-01-01}}
"""
    assert parse_standards(text).standards[0].rule.paths[0].startswith("hygiene:")


def test_unknown_hygiene_item_is_refused() -> None:
    text = """
standards:
  - {id: a, title: t, level: bronze, rule: {kind: file-exists, paths: ["hygiene:readmee"]}, rationale: r, owner: o, review_by: 2027-01-01}
"""
    with pytest.raises(
        StandardsError, match=r"standards\[0\]\.rule\.paths\[0\]: unknown hygiene item 'hygiene:readmee'"
    ):
        parse_standards(text, "s.yaml")
