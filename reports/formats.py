"""Every report format in one table: its name, file extension, media type and renderer.

The command line (`guildboard report --format`) and the dashboard's download buttons both read
this table, so a format added here is offered in both. A renderer is named by module and function
and imported only when used: the dashboard does not load python-pptx or openpyxl until someone
clicks a button.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from standards.report import Report
from store.db import Snapshot


class ReportError(Exception):
    """A report cannot be made (a missing program, a bad template); the text says what to do."""


@dataclass(frozen=True)
class RenderOptions:
    """What a person may choose beyond the report's content."""

    template: Path | None = None  # a company deck (.pptx) whose masters and layouts the deck uses


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    mime: str
    renderer: str  # "module:function", the function taking (Report, RenderOptions) -> bytes
    label: str  # what a download button says
    description: str  # one line for --help and the README

    def render(self, report: Report, options: RenderOptions | None = None) -> bytes:
        module, _, function = self.renderer.partition(":")
        return getattr(importlib.import_module(module), function)(report, options or RenderOptions())

    def file_name(self, snapshot: Snapshot) -> str:
        """`guildboard-7-2026-11-20.pptx`: the snapshot's id and day, so exports sort and never clash."""
        return f"guildboard-{snapshot.id}-{snapshot.taken_at[:10]}.{self.extension}"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
               "reports.deck:render", "Meeting deck (PPTX)",
               "the meeting deck: native, editable charts and tables; --template supplies the masters"),
        Format("html", "html", "text/html", "reports.html_report:render", "HTML report",
               "one self-contained page with the dashboard's charts; works offline and prints cleanly"),
        Format("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "reports.spreadsheet:render_xlsx", "Spreadsheet (XLSX)",
               "a sheet per table (repositories, findings, metrics, changes, facts): header frozen, filters on"),
        Format("csv", "zip", "application/zip", "reports.spreadsheet:render_csv_zip", "Tables (CSV zip)",
               "a zip of the same tables as CSV files"),
        Format("md", "md", "text/markdown", "reports.markdown:render", "Summary (Markdown)",
               "a summary and tables to paste into a wiki or a chat"),
        Format("json", "json", "application/json", "reports.export_json:render_report", "Facts and findings (JSON)",
               "facts and findings in the documented format (reports/schema/export.schema.json)"),
        Format("pdf", "pdf", "application/pdf", "reports.pdf:render", "PDF report",
               "the HTML report printed by headless Chromium (needs the chromium package)"),
    )
}  # fmt: skip


def get(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ReportError(f"no report format {name!r}; choose one of {', '.join(FORMATS)}") from None
