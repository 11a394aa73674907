"""The report's tables as a spreadsheet (XLSX) and as a zip of CSV files.

Both hold `Report.tables` (repositories, findings, metrics, changes, standards, waivers, then every
fact table, one row per fact) after a `summary` of the report: its title, subtitle, when it was
made, the standards file, and every agenda number with its change since the compared snapshot.
Nothing is computed here; values are written as the frames hold them.

**XLSX.** A sheet per table: the header bold and frozen, an auto filter over the used range,
columns as wide as their content (up to `MAX_WIDTH`). Numbers are numbers, shares (`share*`,
`*_share`, `*_rate` columns) numbers shown as percentages, dates and timestamps real dates
(timestamps in UTC, Excel has no time zones; `*_at` columns of ISO 8601 text are read as
timestamps), booleans TRUE/FALSE, lists joined with `; `, missing values (and empty texts and
lists) empty cells. A table longer than a sheet goes on in `name (2)`, `name (3)`…

The file is written here (a zip of a few XML parts) rather than through openpyxl's writer, for
speed: 120,000 rows of 7 texts take openpyxl's write-only mode 9.2 s and this 1.0 s; the 5,000
repositories of `benchmarks/reports.py` (280,000 rows, 1.6 million cells) take 2 to 3 s. openpyxl
is the reader the tests check every file with (LibreOffice Calc too, when installed).

*Formula-looking text stays text.* Every text is a shared string (`t="s"`), which Excel and
LibreOffice never evaluate: a repository named `=HYPERLINK("http://evil.example","click")` reads
back as that text, not a link. Characters XML cannot hold (control characters but tab, newline and
carriage return; unpaired surrogates) are removed, a text longer than Excel's 32,767 characters is
cut there, and `_xHHHH_` in a text is escaped so Excel does not decode it.

**CSV zip.** `<table>.csv` per table and `summary.csv`, RFC 4180 (the csv module: CRLF line ends,
fields with commas, quotes or line breaks quoted, quotes doubled), UTF-8 *with* a byte order mark:
Excel, the tool most people open these with, reads a CSV without one in the machine's legacy code
page and garbles every non-ASCII name; Python reads it with `encoding="utf-8-sig"`, and pandas'
`read_csv` skips it by itself. Dates are ISO 8601, booleans TRUE/FALSE, shares decimals (0.75).

*CSV formula injection.* A spreadsheet evaluates a CSV field that starts with `=`, `+`, `-`, `@`,
tab or carriage return as a formula. Such a *text* field is written with a `'` in front
(`'=HYPERLINK(…)`), which Excel and LibreOffice show as the text itself; a program reading the CSV
sees the quote and should strip it from text fields that start with `'` followed by one of those
characters. Numbers (a negative count) are numbers and are never prefixed.

Same report, same bytes: the zip entries carry the report's generation time, in a fixed order.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

from reports.formats import RenderOptions
from standards.report import Report
from store.db import snapshot_label

#: Rows an Excel sheet holds, the header's included.
MAX_ROWS = 1_048_576
#: Characters in a sheet's title.
MAX_TITLE = 31
#: Characters Excel keeps in a cell.
MAX_CELL_TEXT = 32_767
#: Column widths, in characters.
MIN_WIDTH, MAX_WIDTH = 6, 60
#: The first sheet (and `summary.csv`).
SUMMARY = "summary"
SUMMARY_COLUMNS = ["section", "item", "value", "change", "note"]
#: What a list in a cell is joined with (a version range may hold a comma).
LIST_SEPARATOR = "; "
#: How a text may start that a spreadsheet would take for a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
#: Rows of a sheet's XML put together before they are written out.
CHUNK_ROWS = 20_000

# The cell formats of styles.xml, by index (cellXfs).
PLAIN, HEADER, SHARE, DAY, TIMESTAMP, SHARE_CHANGE, COUNT_CHANGE, SCORE_CHANGE, SCORE = range(9)
_NUMBER_FORMATS = {  # cellXfs index -> (numFmtId, format code)
    SHARE: (164, "0.0%"),
    DAY: (165, "yyyy-mm-dd"),
    TIMESTAMP: (166, "yyyy-mm-dd hh:mm:ss"),
    SHARE_CHANGE: (167, "+0.0%;-0.0%;0.0%"),
    COUNT_CHANGE: (168, "+#,##0;-#,##0;0"),
    SCORE_CHANGE: (169, "+0.0;-0.0;0.0"),
    SCORE: (170, "0.0"),
}
_VALUE_STYLE = {"share": SHARE, "score": SCORE}
_CHANGE_STYLE = {"share": SHARE_CHANGE, "score": SCORE_CHANGE, "count": COUNT_CHANGE}

#: Characters XML 1.0 cannot hold.
_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Excel's escape for a character in a text (`_x000D_`); a literal one is escaped in turn.
_EXCEL_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_SERIAL_DAY = date(1900, 3, 1)  # before it Excel's serial days count a 29 February 1900


@dataclass(frozen=True, slots=True)
class Styled:
    """A value written with a given cell format (the summary's shares and changes)."""

    value: Any
    style: int


# --- the tables, as both formats write them ------------------------------------------------------------


def summary_frame(report: Report) -> pd.DataFrame:
    """The summary: what the report is (title, snapshot, comparison, filters, when, standards
    file), then every number of the agenda with its change, section by section."""
    meta = [
        ("title", report.title),
        ("subtitle", report.subtitle),
        ("snapshot", snapshot_label(report.snapshot)),
        ("compared with", snapshot_label(report.compare) if report.compare else "none"),
        ("filters", report.filters.describe()),
        ("generated at", _generated(report.generated_at)),
        ("standards file", report.standards_path or "none: facts only, no compliance"),
    ]
    rows: list[dict[str, Any]] = [
        {"section": "report", "item": item, "value": value, "change": None, "note": None} for item, value in meta
    ]
    for section in report.agenda.sections:
        for number in section.numbers:
            rows.append(
                {
                    "section": section.title,
                    "item": number.label,
                    "value": Styled(number.value, _VALUE_STYLE.get(number.unit, PLAIN)),
                    "change": Styled(number.delta, _CHANGE_STYLE.get(number.unit, COUNT_CHANGE)),
                    "note": number.help or None,
                }
            )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _generated(iso: str) -> datetime | str:
    try:
        return _utc_naive(datetime.fromisoformat(iso))
    except ValueError:
        return iso


def all_tables(report: Report) -> list[tuple[str, pd.DataFrame]]:
    return [(SUMMARY, summary_frame(report)), *report.tables.items()]


def is_share(column: str) -> bool:
    """A share (0..1) by its name: `share`, `share_passing`, `top_share`, `success_rate`."""
    words = str(column).lower().split("_")
    return "share" in words or words[-1] == "rate"


#: How a column's values are written: every value a str or None (text), an int (int), a float or
#: None (float), a bool (bool), or anything `_scalar` gives (any).
TEXT, INT, FLOAT, BOOL, ANY = "text", "int", "float", "bool", "any"


def column_values(series: pd.Series, *, timestamps: bool) -> tuple[str, list[Any]]:
    """A column as its kind and plain Python values: None for missing (None, NaN, NaT, NA,
    infinities), str, bool, int, float, date, datetime (naive, in UTC), or `Styled`; lists joined,
    anything else as its text. `timestamps`: read a `*_at` column of ISO 8601 texts as datetimes.
    A column of one type is converted in one pass, the rest value by value."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        series = series.astype(object)
        dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return BOOL, series.tolist()
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return INT, series.tolist()
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return FLOAT, [v if math.isfinite(v) else None for v in series.tolist()]
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return ANY, _datetimes(series)
    if timestamps and str(series.name).endswith("_at") and not pd.api.types.is_numeric_dtype(dtype):
        parsed = _parse_timestamps(series)
        if parsed is not None:
            return ANY, parsed
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return TEXT, [v if isinstance(v, str) else None for v in series.tolist()]
    return ANY, [_scalar(v) for v in series.tolist()]


def _datetimes(series: pd.Series) -> list[Any]:
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    return [None if v is pd.NaT or v is None else v.to_pydatetime() for v in series.tolist()]


def _parse_timestamps(series: pd.Series) -> list[Any] | None:
    """`2026-09-16T09:34:00+00:00` texts as datetimes; None when any text is not one."""
    present = series.dropna()
    if present.empty or not all(isinstance(v, str) for v in present.tolist()):
        return None
    try:
        parsed = pd.to_datetime(series, utc=True, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        return None
    return _datetimes(parsed)


def _scalar(value: Any) -> Any:
    if type(value) is str:
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Styled):
        return Styled(_scalar(value.value), value.style)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, pd.Timestamp):
        return _utc_naive(value.to_pydatetime())
    if isinstance(value, datetime):
        return _utc_naive(value)
    if isinstance(value, date):
        return value
    if isinstance(value, str):  # a str subclass
        return str(value)
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Series):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        texts = [_text(_scalar(v)) for v in items]
        return LIST_SEPARATOR.join(t for t in texts if t) or None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return str(value)


def _utc_naive(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


def _text(value: Any) -> str:
    """A plain value as the CSV writes it (and a list's items are joined)."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, Styled):
        return _text(value.value)
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat() + ("Z" if value.tzinfo is None else "")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def sheet_titles(names: Sequence[str]) -> list[str]:
    """A valid, unique (as Excel compares them: ignoring case) sheet title for each name: at most
    31 characters, none of `[]:*?/\\`, not starting or ending with an apostrophe."""
    taken: set[str] = set()
    titles = []
    for name in names:
        base = _SHEET_TITLE_FORBIDDEN.sub("_", _ILLEGAL_XML.sub("", str(name))).strip("'").strip() or "sheet"
        title, n = base[:MAX_TITLE], 1
        while title.lower() in taken:
            n += 1
            suffix = f" ({n})"
            title = base[: MAX_TITLE - len(suffix)].rstrip() + suffix
        taken.add(title.lower())
        titles.append(title)
    return titles


def split_rows(frame: pd.DataFrame, max_rows: int = MAX_ROWS) -> list[pd.DataFrame]:
    """The frame in parts that fit a sheet of `max_rows` rows under its header (one part at least)."""
    per_sheet = max_rows - 1
    if len(frame) <= per_sheet:
        return [frame]
    return [frame.iloc[start : start + per_sheet] for start in range(0, len(frame), per_sheet)]


# --- XLSX --------------------------------------------------------------------------------------------------


def render_xlsx(report: Report, options: RenderOptions) -> bytes:
    """The workbook: `summary`, then a sheet per table of `report.tables`."""
    return write_xlsx(all_tables(report), title=report.title, created=report.generated_at)


def write_xlsx(
    tables: Sequence[tuple[str, pd.DataFrame]], *, title: str = "", created: str = "", max_rows: int = MAX_ROWS
) -> bytes:
    """An XLSX file of `tables` (name, frame), a sheet each, in order; a table longer than
    `max_rows` (the header's row included) continues on `name (2)` and so on."""
    parts: list[tuple[str, pd.DataFrame]] = []
    for name, frame in tables:
        for n, part in enumerate(split_rows(frame, max_rows), start=1):
            parts.append((name if n == 1 else f"{name} ({n})", part))
    titles = sheet_titles([name for name, _ in parts])
    when = _zip_time(created)
    strings = _SharedStrings()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        put = _entry_writer(book, when)
        put("[Content_Types].xml", _content_types(len(parts)))
        put("_rels/.rels", _ROOT_RELS)
        put("docProps/core.xml", _core(title, created))
        put("docProps/app.xml", _APP)
        put("xl/workbook.xml", _workbook(titles, parts))
        put("xl/_rels/workbook.xml.rels", _workbook_rels(len(parts)))
        put("xl/styles.xml", _styles())
        for index, (_, frame) in enumerate(parts, start=1):
            info = _zip_info(f"xl/worksheets/sheet{index}.xml", when)
            big = frame.shape[0] * max(frame.shape[1], 1) > 20_000_000
            with book.open(info, "w", force_zip64=big) as out:
                for chunk in _sheet_xml(frame, strings, selected=index == 1):
                    out.write(chunk.encode("utf-8"))
        put("xl/sharedStrings.xml", strings.xml())
    return buffer.getvalue()


class _SharedStrings:
    """The workbook's text, each distinct text once, in the order first written: text -> index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{_xml_text(text)}</t></si>' for text in self.index)
        return f'{_XML_DECLARATION}<sst xmlns="{_MAIN_NS}" uniqueCount="{len(self.index)}">{items}</sst>'


def _xml_text(text: str) -> str:
    """A text as a cell's XML holds it: illegal characters out, cut at Excel's limit, `_xHHHH_`
    escaped, markup characters escaped, carriage returns as references (a parser turns a raw one
    into a line feed)."""
    text = _ILLEGAL_XML.sub("", text)[:MAX_CELL_TEXT]
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F_\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(text: str) -> str:
    return _xml_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_xml(frame: pd.DataFrame, strings: _SharedStrings, *, selected: bool) -> Iterator[str]:
    columns = [str(c) for c in frame.columns]
    letters = [column_letter(i) for i in range(len(columns))]
    values = [column_values(frame.iloc[:, i], timestamps=True) for i in range(len(columns))]
    shares = [is_share(c) for c in columns]
    last = f"{letters[-1]}{len(frame) + 1}" if columns else "A1"
    used = f"A1:{last}"
    tab = ' tabSelected="1"' if selected else ""
    view = (
        f'<sheetViews><sheetView workbookViewId="0"{tab}>'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
    )
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{_width(name, column)}" customWidth="1"/>'
        for i, (name, column) in enumerate(zip(columns, values, strict=True), start=1)
    )
    yield (
        f'{_XML_DECLARATION}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f'<dimension ref="{used}"/>{view}<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{widths}</cols>" if widths else "")
        + "<sheetData>"
    )
    header = "".join(
        f'<c r="{letter}1" s="{HEADER}" t="s"><v>{strings(name)}</v></c>'
        for letter, name in zip(letters, columns, strict=True)
    )
    yield f'<row r="1">{header}</row>'
    for start in range(0, len(frame), CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, len(frame))
        rows = [str(r) for r in range(start + 2, stop + 2)]
        by_column = [
            _cells(kind, column[start:stop], rows, letter, share, strings)
            for (kind, column), letter, share in zip(values, letters, shares, strict=True)
        ]
        yield (
            "".join(
                f'<row r="{row}">{"".join(row_cells)}</row>'
                for row, row_cells in zip(rows, zip(*by_column, strict=True), strict=True)
            )
            if by_column
            else "".join(f'<row r="{row}"/>' for row in rows)
        )
    yield "</sheetData>" + (f'<autoFilter ref="{used}"/>' if columns else "") + "</worksheet>"


def _cells(
    kind: str, values: list[Any], rows: list[str], letter: str, share: bool, strings: _SharedStrings
) -> list[str]:
    """The XML of a column's cells, one per row ("" for an empty cell); a column of one type in
    one comprehension, the others value by value."""
    style = _STYLE_ATTR[SHARE if share else PLAIN]
    if kind == TEXT:
        index = strings.index
        return [
            "" if not v else f'<c r="{letter}{r}" t="s"><v>{index.setdefault(v, len(index))}</v></c>'
            for v, r in zip(values, rows, strict=True)
        ]
    if kind == INT:
        return [f'<c r="{letter}{r}"{style}><v>{v}</v></c>' for v, r in zip(values, rows, strict=True)]
    if kind == FLOAT:
        return [
            "" if v is None else f'<c r="{letter}{r}"{style}><v>{v!r}</v></c>'
            for v, r in zip(values, rows, strict=True)
        ]
    if kind == BOOL:
        return [f'<c r="{letter}{r}" t="b"><v>{1 if v else 0}</v></c>' for v, r in zip(values, rows, strict=True)]
    return list(map(_cell_writer(letter, share, strings), values, rows))


def _cell_writer(letter: str, share: bool, strings: _SharedStrings) -> Callable[..., str]:
    """The function writing one cell of a column of mixed values: (value, row number[, format])
    -> the cell's XML."""
    number_style = SHARE if share else PLAIN

    def cell(value: Any, row: str, style: int | None = None) -> str:
        kind = type(value)
        if kind is str:
            return f'<c r="{letter}{row}" t="s"><v>{strings(value)}</v></c>' if value else ""
        if value is None:
            return ""
        if kind is int or kind is float:
            return f'<c r="{letter}{row}"{_STYLE_ATTR[number_style if style is None else style]}><v>{value!r}</v></c>'
        if kind is bool:
            return f'<c r="{letter}{row}" t="b"><v>{int(value)}</v></c>'
        if kind is datetime or kind is date:
            serial = _serial(value)
            if serial is None:  # before Excel's calendar is right: the date as text
                return cell(value.isoformat(), row)
            if kind is date:
                return f'<c r="{letter}{row}" s="{DAY}"><v>{int(serial)}</v></c>'
            return f'<c r="{letter}{row}" s="{TIMESTAMP}"><v>{serial!r}</v></c>'
        if kind is Styled:
            return cell(value.value, row, value.style)
        return cell(_scalar(value), row, style)

    return cell


_STYLE_ATTR = {PLAIN: "", **{style: f' s="{style}"' for style in range(HEADER, SCORE + 1)}}


def _serial(value: date) -> float | None:
    """Excel's serial day (1900 system); None before 1 March 1900 (written as text instead)."""
    day = value.date() if isinstance(value, datetime) else value
    if day < _FIRST_SERIAL_DAY:
        return None
    serial = float((day - _EXCEL_EPOCH).days)
    if isinstance(value, datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        serial += seconds / 86400
    return serial


def _width(header: str, column: tuple[str, list[Any]]) -> float:
    """Characters wide: the longest of the header and the values as shown, plus a margin."""
    kind, values = column
    longest = len(header) + 3  # room for the filter's button
    if kind == TEXT:
        longest = max(longest, max((len(v) for v in values if v is not None), default=0))
    elif kind == INT:
        longest = max(longest, max((len(f"{v:,}") for v in (min(values), max(values))), default=0) if values else 0)
    elif kind == BOOL:
        longest = max(longest, 5)
    elif kind == FLOAT:
        longest = max(longest, 10)
    else:
        longest = max(longest, max((_shown_width(v) for v in values if v is not None), default=0))
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))


def _shown_width(value: Any) -> int:
    if isinstance(value, Styled):
        return _shown_width(value.value) if value.value is not None else 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    if isinstance(value, int):
        return len(f"{value:,}")
    if isinstance(value, float):
        return 10
    return len(str(value))


# --- the package's fixed parts ---------------------------------------------------------------------------

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROOT_RELS = (
    f'{_XML_DECLARATION}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL_NS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    f'{_XML_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>guildboard</Application></Properties>"
)


def _content_types(sheets: int) -> str:
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>' for i in range(1, sheets + 1)
    )
    return (
        f'{_XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        f"{overrides}</Types>"
    )


def _core(title: str, created: str) -> str:
    when = ""
    stamp = _generated(created) if created else None
    if isinstance(stamp, datetime):
        when = (
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp.isoformat()}Z</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp.isoformat()}Z</dcterms:modified>'
        )
    return (
        f"{_XML_DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_xml_text(title)}</dc:title><dc:creator>guildboard</dc:creator>{when}</cp:coreProperties>"
    )


def _workbook(titles: Sequence[str], parts: Sequence[tuple[str, pd.DataFrame]]) -> str:
    sheets = "".join(
        f'<sheet name="{_attr(title)}" sheetId="{i}" r:id="rId{i}"/>' for i, title in enumerate(titles, start=1)
    )
    # Excel keeps each sheet's filter range in a hidden name; it opens a file without one, but
    # writes one back, so it is written here too
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{_attr(_quoted_sheet(title))}!$A$1:${column_letter(frame.shape[1] - 1)}${len(frame) + 1}</definedName>"
        for i, (title, (_, frame)) in enumerate(zip(titles, parts, strict=True))
        if frame.shape[1]
    )
    return (
        f'{_XML_DECLARATION}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "") + "</workbook>"
    )


def _quoted_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _workbook_rels(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, sheets + 1)
    )
    return (
        f'{_XML_DECLARATION}<Relationships xmlns="{_PKG_REL_NS}">{rels}'
        f'<Relationship Id="rId{sheets + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{sheets + 2}" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )


def _styles() -> str:
    formats = "".join(
        f'<numFmt numFmtId="{fid}" formatCode="{_attr(code)}"/>' for fid, code in _NUMBER_FORMATS.values()
    )
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>']  # fmt: skip
    for style in range(SHARE, SCORE + 1):
        fid, _ = _NUMBER_FORMATS[style]
        xfs.append(f'<xf numFmtId="{fid}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    return (
        f'{_XML_DECLARATION}<styleSheet xmlns="{_MAIN_NS}">'
        f'<numFmts count="{len(_NUMBER_FORMATS)}">{formats}</numFmts>'
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


# --- zip entries, the same bytes for the same report ------------------------------------------------------


def _zip_time(iso: str) -> tuple[int, int, int, int, int, int]:
    """The report's generation time as a zip entry's (from 1980, as zip counts; to the even second)."""
    stamp = _generated(iso) if iso else None
    if not isinstance(stamp, datetime) or stamp.year < 1980 or stamp.year > 2107:
        return (1980, 1, 1, 0, 0, 0)
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second // 2 * 2)


def _zip_info(name: str, when: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever the machine, so the bytes do not depend on it
    info.external_attr = 0o644 << 16
    return info


def _entry_writer(
    book: zipfile.ZipFile, when: tuple[int, int, int, int, int, int]
) -> Callable[[str, str | bytes], None]:
    def put(name: str, data: str | bytes) -> None:
        book.writestr(_zip_info(name, when), data.encode("utf-8") if isinstance(data, str) else data)

    return put


# --- CSV zip -----------------------------------------------------------------------------------------------


def render_csv_zip(report: Report, options: RenderOptions) -> bytes:
    """A zip of `summary.csv` and `<table>.csv` per table (see the module's notes)."""
    return write_csv_zip(all_tables(report), created=report.generated_at)


def write_csv_zip(tables: Iterable[tuple[str, pd.DataFrame]], *, created: str = "") -> bytes:
    when = _zip_time(created)
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        put = _entry_writer(archive, when)
        for name, frame in tables:
            put(_file_name(name, used), csv_bytes(frame))
    return buffer.getvalue()


def _file_name(name: str, used: set[str]) -> str:
    """`<name>.csv`, safe as a file name anywhere, unique in the zip."""
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", str(name)).strip(" .") or "table"
    file, n = f"{base}.csv", 1
    while file.lower() in used:
        n += 1
        file = f"{base} ({n}).csv"
    used.add(file.lower())
    return file


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """One table as CSV: UTF-8 with a BOM, RFC 4180, formula-looking text prefixed with `'`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([csv_text(str(c)) for c in frame.columns])
    columns = [_csv_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
    if columns:
        writer.writerows(zip(*columns, strict=True))
    else:
        writer.writerows([] for _ in range(len(frame)))
    return out.getvalue().encode("utf-8-sig", errors="replace")


def _csv_column(series: pd.Series) -> list[Any]:
    """A column's fields: text protected, booleans TRUE/FALSE, numbers as they are (the csv module
    writes a float as its shortest exact text), missing values None (an empty field)."""
    kind, values = column_values(series, timestamps=False)
    if kind == TEXT:
        first = _FORMULA_FIRST
        return [("'" + v if v[:1] in first else v) if v is not None else None for v in values]
    if kind in (INT, FLOAT):
        return values
    if kind == BOOL:
        return ["TRUE" if v else "FALSE" for v in values]
    return [_csv_field(v) for v in values]


def _csv_field(value: Any) -> str:
    if isinstance(value, Styled):
        value = value.value
    return csv_text(value) if type(value) is str else _text(value)


def csv_text(text: str) -> str:
    """A text field, with `'` in front when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
