"""The report's JSON export (`reports.export_json.render_report`): the documented format of
`guildboard export json` for the repositories in view, plus the findings, validated against
`reports/schema/export.schema.json` with a real JSON Schema validator."""

from __future__ import annotations

import copy
import json
import math
from datetime import UTC, date, datetime
from typing import Any

import jsonschema
import numpy as np
import pandas as pd
import pytest

from reports import export_json
from reports.export_json import FINDING_FIELDS, SCHEMA_PATH, export_document, json_value
from reports.formats import FORMATS
from standards.report import Report, report_from_store
from store import open_store
from tests.dashboard_app import DemoSite
from tests.report_data import FORMULA_REPO, IMG_REPO, JS_URL, PIPE_REPO, REASON, SCRIPT_TEAM, TITLE, TOPIC

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def render(report: Report) -> dict[str, Any]:
    return json.loads(FORMATS["json"].render(report).decode("utf-8"))


@pytest.fixture(scope="module")
def demo_doc(demo_report: Report) -> dict[str, Any]:
    return render(demo_report)


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("which", ["demo_report", "facts_only_report", "hostile_report"])
def test_every_report_export_validates_against_the_schema(request: pytest.FixtureRequest, which: str) -> None:
    doc = render(request.getfixturevalue(which))
    VALIDATOR.validate(doc)
    assert (doc["format"], doc["version"]) == (export_json.FORMAT, export_json.FORMAT_VERSION)


def test_the_plain_export_is_unchanged_and_still_validates(demo_site: DemoSite) -> None:
    store = open_store(demo_site.db_url, create=False)
    doc = export_document(store, store.resolve_snapshot("latest"))
    VALIDATOR.validate(doc)
    assert list(doc) == ["format", "version", "snapshot", "repositories"]


def test_the_report_export_is_the_plain_export_for_its_repositories_plus_the_judgement(
    demo_site: DemoSite, demo_report: Report, demo_doc: dict[str, Any]
) -> None:
    plain = export_document(open_store(demo_site.db_url, create=False), demo_report.snapshot)
    assert demo_doc["snapshot"] == plain["snapshot"]
    in_view = set(demo_report.tables["repositories"]["repo"])
    assert demo_doc["repositories"] == [r for r in plain["repositories"] if r["name"] in in_view]
    assert list(demo_doc)[4:] == ["generated_at", "standards", "compared_with", "filters", "findings"]
    assert demo_doc["generated_at"] == demo_report.generated_at
    assert demo_doc["standards"] == "standards.example.yaml"  # the file's name, not where it lies
    assert demo_report.compare is not None
    assert demo_doc["compared_with"] == export_json.snapshot_block(demo_report.compare)
    assert demo_doc["filters"] == {"teams": [], "languages": [], "include_archived": False}


def test_every_finding_of_the_report_is_exported_field_by_field(demo_report: Report, demo_doc: dict[str, Any]) -> None:
    frame = demo_report.tables["findings"]
    assert len(demo_doc["findings"]) == len(frame) > 0
    assert all(list(f) == list(FINDING_FIELDS) for f in demo_doc["findings"])
    for finding, (_, row) in zip(demo_doc["findings"], frame.iterrows(), strict=True):
        for name in ("repo", "team", "standard", "title", "level", "severity", "status", "detail", "evidence"):
            assert finding[name] == row[name], name
        for name in ("waiver_reason", "waiver_approver"):
            assert finding[name] == (None if pd.isna(row[name]) else row[name]), name
        expires = row["waiver_expires"]
        assert finding["waiver_expires"] == (None if pd.isna(expires) else expires.isoformat())
    assert {f["status"] for f in demo_doc["findings"]} <= {"fail", "error", "waived"}


def test_a_team_filter_keeps_that_teams_repositories_and_findings(
    demo_site: DemoSite, demo_report: Report, demo_doc: dict[str, Any]
) -> None:
    team = "payments"
    report = report_from_store(open_store(demo_site.db_url, create=False), teams=(team,),
                               standards_path=demo_site.standards)  # fmt: skip
    doc = render(report)
    VALIDATOR.validate(doc)
    names = [r["name"] for r in doc["repositories"]]
    assert sorted(names) == sorted(report.tables["repositories"]["repo"])
    assert 0 < len(names) < len(demo_doc["repositories"])
    assert {r["team"] for r in doc["repositories"]} == {team}
    assert len(doc["findings"]) == len(report.tables["findings"]) > 0
    assert {f["team"] for f in doc["findings"]} == {team} and {f["repo"] for f in doc["findings"]} <= set(names)
    assert doc["filters"]["teams"] == [team]


def test_the_facts_only_export_has_no_standards_and_no_findings(facts_only_report: Report) -> None:
    doc = render(facts_only_report)
    assert (doc["standards"], doc["findings"]) == (None, [])
    assert len(doc["repositories"]) == len(facts_only_report.tables["repositories"])


def test_hostile_strings_round_trip_exactly(hostile_report: Report) -> None:
    doc = render(hostile_report)
    repos = {r["name"]: r for r in doc["repositories"]}
    assert set(repos) == {IMG_REPO, FORMULA_REPO, PIPE_REPO}
    assert repos[IMG_REPO]["team"] == SCRIPT_TEAM
    assert repos[IMG_REPO]["url"] == JS_URL and repos[IMG_REPO]["topics"] == [TOPIC]
    assert doc["snapshot"]["label"] == "<i>November</i>" and doc["compared_with"]["label"] == "<i>October</i>"
    waived = [f for f in doc["findings"] if f["status"] == "waived"]
    assert waived and all((f["waiver_reason"], f["title"], f["team"]) == (REASON, TITLE, SCRIPT_TEAM) for f in waived)
    assert {f["repo"] for f in doc["findings"]} <= {IMG_REPO, FORMULA_REPO, PIPE_REPO}


def test_the_export_is_written_a_repository_and_a_finding_a_line(demo_report: Report) -> None:
    text = FORMATS["json"].render(demo_report).decode("utf-8")
    doc = json.loads(text)
    assert doc == json.loads(export_json.dumps(export_json.report_document(demo_report)))
    lines = text.splitlines()
    for field in ("repositories", "findings"):
        start = lines.index(f'  "{field}": [')
        items = lines[start + 1 : start + 1 + len(doc[field])]
        assert [json.loads(line.strip().rstrip(",")) for line in items] == doc[field]
        assert lines[start + 1 + len(doc[field])].strip().startswith("]")


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        (lambda d: d, True),
        (lambda d: d.pop("filters"), False),  # a report's export names all of its parts
        (lambda d: d["findings"][0].update(status="pass"), False),
        (lambda d: d["findings"][0].pop("waiver_expires"), False),
        (lambda d: d.update(extra=1), False),
        (lambda d: d.update(compared_with=None), True),
        (lambda d: d.update(standards=None, findings=[]), True),
        (lambda d: [d.pop(k) for k in ("generated_at", "standards", "compared_with", "filters", "findings")], True),
    ],
)
def test_the_schema_holds_a_report_exports_shape(demo_doc: dict[str, Any], change, valid: bool) -> None:
    doc = copy.deepcopy(demo_doc)
    change(doc)
    assert VALIDATOR.is_valid(doc) is valid


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("<b>", "<b>"),
        (np.bool_(True), True),
        (np.int64(3), 3),
        (2.5, 2.5),
        (float("nan"), None),
        (np.float64("inf"), None),
        (pd.NA, None),
        (pd.NaT, None),
        (np.datetime64("NaT"), None),
        (date(2026, 12, 1), "2026-12-01"),
        (pd.Timestamp("2026-11-20T10:00:00Z"), "2026-11-20T10:00:00+00:00"),
        (datetime(2026, 11, 20, 10, tzinfo=UTC), "2026-11-20T10:00:00+00:00"),
        ([1, math.nan], [1, None]),
    ],
)
def test_json_value_makes_a_frames_value_json_safe(value: object, expected: object) -> None:
    assert json_value(value) == expected
    json.dumps(json_value(value), allow_nan=False)
