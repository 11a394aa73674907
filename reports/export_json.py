"""The JSON export: one snapshot's facts in the documented, versioned format, and the report's
export, which adds what the report judged.

The format is described by `reports/schema/export.schema.json` (JSON Schema 2020-12); a test
validates every export against it, so the file and the code cannot drift apart.

- `export_document` (`guildboard export json`): the snapshot and every repository's facts.
- `render_report` (`guildboard report --format json`, the dashboard's download): the same
  document for the repositories in the report's view (its team filter), plus `findings` (every
  failing, erroring or waived pair of repository and standard), `compared_with`, `filters`,
  `standards` (the standards file's name) and `generated_at`.

Both are version 1: the report's fields are additions, which the schema's policy allows in a
minor change, and a plain export is unchanged. The report's export is written a repository and a
finding a line (`dumps_by_line`), the plain one indented.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from standards.evaluate import RESULT_COLUMNS
from store.db import Snapshot, Store

if TYPE_CHECKING:
    from reports.formats import RenderOptions
    from standards.report import Report

FORMAT = "guildboard-export"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("schema") / "export.schema.json"
#: A finding's fields, in the order they are written (`standards.evaluate.RESULT_COLUMNS`).
FINDING_FIELDS = RESULT_COLUMNS


def snapshot_block(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "id": snapshot.id,
        "taken_at": snapshot.taken_at,
        "source": snapshot.source,
        "root": snapshot.root,
        "label": snapshot.label,
        "repo_count": snapshot.repo_count,
        "warning_count": snapshot.warning_count,
    }


def export_document(store: Store, snapshot: Snapshot) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "snapshot": snapshot_block(snapshot),
        "repositories": [r.to_json() for r in store.repo_facts(snapshot.id)],
    }


def report_document(report: Report) -> dict[str, Any]:
    """The report's export: its repositories' facts (those in `report.tables["repositories"]`),
    and every finding of `report.tables["findings"]`."""
    in_view = set(report.tables["repositories"]["repo"].astype(str)) if "repositories" in report.tables else set()
    findings = report.tables.get("findings")
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "snapshot": snapshot_block(report.snapshot),
        "repositories": [r.to_json() for r in report.records() if r.name in in_view],
        "generated_at": report.generated_at,
        "standards": PurePath(report.standards_path).name if report.standards_path else None,
        "compared_with": snapshot_block(report.compare) if report.compare is not None else None,
        "filters": {
            "teams": list(report.filters.teams),
            "languages": list(report.filters.languages),
            "include_archived": report.filters.include_archived,
        },
        "findings": [] if findings is None else finding_records(findings),
    }


def finding_records(findings: pd.DataFrame) -> list[dict[str, Any]]:
    """The findings frame's rows as JSON objects (`FINDING_FIELDS`; a field the frame lacks is null)."""
    columns = {f: findings[f].tolist() if f in findings.columns else [None] * len(findings) for f in FINDING_FIELDS}
    return [
        {field: json_value(value) for field, value in zip(FINDING_FIELDS, row, strict=True)}
        for row in zip(*columns.values(), strict=True)
    ]


def json_value(value: Any) -> Any:
    """A frame's value as JSON has it: None for missing (None, NaN, NaT, NA, infinities), plain
    numbers and booleans, dates and timestamps as ISO 8601 text, lists as lists, anything else as
    its text."""
    if value is None or isinstance(value, str | bool):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).isoformat()
    if isinstance(value, np.generic):  # numpy's bool, int and float
        value = value.item()
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, date):  # datetimes and pandas' timestamps too
        return value.isoformat()
    if isinstance(value, list | tuple | np.ndarray):
        return [json_value(v) for v in value]
    return str(value)


def render_report(report: Report, options: RenderOptions) -> bytes:
    return dumps_by_line(report_document(report)).encode("utf-8")


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def dumps_by_line(document: dict[str, Any]) -> str:
    """The document with a line per top-level field and per item of a list (a repository, a
    finding): the same JSON as `dumps`, written by the standard library's C encoder, which an
    indent turns off (the benchmark's 5,000 repositories and 15,000 findings: 2.3 s indented,
    0.6 s this way), and still easy to grep and to diff."""

    def encode(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    fields = []
    for key, value in document.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(map(encode, value))
            fields.append(f"  {encode(key)}: [\n    {items}\n  ]")
        else:
            fields.append(f"  {encode(key)}: {encode(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"
