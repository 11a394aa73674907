"""What `guildboard check` prints: one repository's results as text, JSON, GitHub workflow
annotations or SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).

The results frame comes from `standards.evaluate`; nothing here decides a status, it only says it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from standards.model import SEVERITIES, Standards

FORMATS = ("text", "json", "github", "sarif")
#: Severity -> GitHub annotation command and SARIF level.
GITHUB_COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "warning", "info": "notice"}
SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "warning", "info": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/guildboard/guildboard"


@dataclass(frozen=True)
class CheckReport:
    repo: str
    team: str
    level: str  # the highest level reached, or "none"
    results: pd.DataFrame  # standards.evaluate's columns, one row per standard
    fail_on: str  # the lowest severity that fails the check

    def failing(self) -> pd.DataFrame:
        """Rows that fail the check: fail or error at or above `fail_on` (waived ones do not)."""
        threshold = SEVERITIES.index(self.fail_on)
        rows = self.results[self.results["status"].isin(["fail", "error"])]
        return rows[rows["severity"].map(SEVERITIES.index) >= threshold]

    def counts(self) -> dict[str, int]:
        return {
            s: int((self.results["status"] == s).sum()) for s in ("pass", "fail", "waived", "not-applicable", "error")
        }

    @property
    def exit_code(self) -> int:
        return 1 if len(self.failing()) else 0


def render(report: CheckReport, fmt: str, standards: Standards) -> str:
    return RENDERERS[fmt](report, standards)


def render_text(report: CheckReport, _: Standards) -> str:
    marks = {"fail": "FAIL", "error": "ERROR", "waived": "WAIVED", "pass": "ok", "not-applicable": "n/a"}
    order = {"fail": 0, "error": 1, "waived": 2, "pass": 3, "not-applicable": 4}
    lines = [f"{report.repo} (team {report.team}): level {report.level}"]
    rows = report.results.assign(_o=report.results["status"].map(order)).sort_values(["_o", "level", "standard"])
    for row in rows.itertuples():
        where = f" ({row.evidence})" if _text(row.evidence) else ""
        lines.append(f"  {marks.get(row.status, row.status):<6} [{row.severity}] {row.standard}: {row.title}{where}")
        if row.status in ("fail", "error", "waived") and _text(row.detail):
            lines.append(f"         {row.detail}")
        if row.status == "waived":
            lines.append(f"         waived until {row.waiver_expires} by {row.waiver_approver}: {row.waiver_reason}")
        elif row.status == "fail" and bool(row.waiver_expired):
            lines.append(f"         waiver expired on {row.waiver_expires}: {row.waiver_reason}")
    c = report.counts()
    lines.append(
        f"{c['fail']} failing, {c['error']} errors, {c['waived']} waived, {c['pass']} passing, "
        f"{c['not-applicable']} not applicable; {len(report.failing())} at or above {report.fail_on}"
    )
    return "\n".join(lines) + "\n"


def render_json(report: CheckReport, _: Standards) -> str:
    rows = json.loads(report.results.to_json(orient="records", date_format="iso"))
    doc = {
        "repo": report.repo,
        "team": report.team,
        "level": report.level,
        "fail_on": report.fail_on,
        "passed": report.exit_code == 0,
        "counts": report.counts(),
        "results": rows,
    }
    return json.dumps(doc, indent=2) + "\n"


def render_github(report: CheckReport, _: Standards) -> str:
    """Workflow commands GitHub turns into annotations on the run and the pull request."""
    lines = []
    for row in report.results[report.results["status"].isin(["fail", "error", "waived"])].itertuples():
        command = GITHUB_COMMAND.get(row.severity, "warning") if row.status != "waived" else "notice"
        props = [f"title={_prop(f'{row.standard}: {row.title}')}"]
        if _text(row.evidence):
            props.insert(0, f"file={_prop(str(row.evidence))}")
        state = "waived: " if row.status == "waived" else ""
        lines.append(f"::{command} {','.join(props)}::{_data(state + (_text(row.detail) or row.title))}")
    c = report.counts()
    lines.append(f"guildboard: level {report.level}; {c['fail']} failing, {c['waived']} waived, {c['pass']} passing")
    return "\n".join(lines) + "\n"


def render_sarif(report: CheckReport, standards: Standards) -> str:
    """SARIF 2.1.0: one rule per standard, one result per failing or waived one (waived ones as
    suppressed, so code scanning shows them apart)."""
    rules = []
    for std in standards.standards:
        rule: dict[str, Any] = {
            "id": std.id,
            "name": std.title,
            "shortDescription": {"text": std.title},
            "fullDescription": {"text": std.rationale},
            "defaultConfiguration": {"level": SARIF_LEVEL[std.severity]},
            "properties": {"level": std.level, "severity": std.severity, "owner": std.owner},
        }
        if std.links:
            rule["helpUri"] = std.links[0]
        rules.append(rule)
    index = {std.id: i for i, std in enumerate(standards.standards)}
    results = []
    for row in report.results[report.results["status"].isin(["fail", "error", "waived"])].itertuples():
        result: dict[str, Any] = {
            "ruleId": row.standard,
            "ruleIndex": index.get(row.standard, 0),
            "level": SARIF_LEVEL.get(row.severity, "warning"),
            "message": {"text": _text(row.detail) or row.title},
        }
        if _text(row.evidence):  # a finding about the whole repository (no README) has no file to point at
            result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": _text(row.evidence)}}}]
        if row.status == "waived":
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": f"{row.waiver_reason} ({row.waiver_approver})",
                }
            ]
        results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "guildboard", "informationUri": INFO_URI, "rules": rules}},
                "results": results,
                "properties": {"repository": report.repo, "team": report.team, "guildboardLevel": report.level},
            }
        ],
    }
    return json.dumps(doc, indent=2) + "\n"


RENDERERS: dict[str, Callable[[CheckReport, Standards], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _data(text: str) -> str:
    """Escape a workflow command's message as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
