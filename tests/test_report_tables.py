"""The report's tables as XLSX and as a zip of CSV files (`reports/spreadsheet.py`).

Every file is read back by a real reader: openpyxl for the workbook, the csv module for the zip
(and LibreOffice Calc, when it is installed, for the hostile workbook). The demo report's tables
are compared with the frames they came from, cell by cell where it matters.
"""

from __future__ import annotations

import csv
import io
import math
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.workbook.workbook import Workbook

from reports import spreadsheet
from reports.formats import FORMATS
from standards.report import Report
from tests.report_data import FORMULA_REPO, HOSTILE, PIPE_REPO, SCRIPT_TEAM

SOFFICE = shutil.which("soffice")


def read_xlsx(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def read_zip(data: bytes) -> dict[str, list[list[str]]]:
    """Each CSV file of the zip as rows of fields (the BOM taken off, as Excel does)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"), newline="")))
            for name in archive.namelist()
        }


@pytest.fixture(scope="module")
def demo_book(demo_report: Report) -> Workbook:
    return read_xlsx(FORMATS["xlsx"].render(demo_report))


@pytest.fixture(scope="module")
def hostile_xlsx(hostile_report: Report) -> bytes:
    return FORMATS["xlsx"].render(hostile_report)


@pytest.fixture(scope="module")
def demo_zip(demo_report: Report) -> bytes:
    return FORMATS["csv"].render(demo_report)


# --- XLSX ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["demo_report", "facts_only_report", "hostile_report"])
def test_every_table_is_a_sheet_after_the_summary_with_its_header_and_rows(
    request: pytest.FixtureRequest, which: str
) -> None:
    report: Report = request.getfixturevalue(which)
    book = read_xlsx(FORMATS["xlsx"].render(report))
    assert book.sheetnames == ["summary", *report.tables]
    for name, frame in report.tables.items():
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(frame.columns), name
        assert len(rows) - 1 == len(frame), name


def test_every_sheet_has_a_bold_frozen_header_a_filter_and_fitted_widths(demo_book: Workbook) -> None:
    for sheet in demo_book:
        columns = sheet.max_column
        last = openpyxl.utils.get_column_letter(columns)
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        widths = [sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i in range(1, columns + 1)]
        assert all(spreadsheet.MIN_WIDTH <= w <= spreadsheet.MAX_WIDTH for w in widths), (sheet.title, widths)
    standards = demo_book["standards"]
    header = [c.value for c in standards[1]]
    width = {name: standards.column_dimensions[openpyxl.utils.get_column_letter(i)].width
             for i, name in enumerate(header, start=1)}  # fmt: skip
    assert width["rationale"] == spreadsheet.MAX_WIDTH  # long prose: capped
    assert width["id"] < width["title"] < width["rationale"]


def _cell(book: Workbook, sheet: str, column: str, row: int) -> openpyxl.cell.Cell:
    """The cell of the frame's `row` (0-based) in `column`."""
    header = [c.value for c in book[sheet][1]]
    return book[sheet].cell(row=row + 2, column=header.index(column) + 1)


#: (sheet, column, how the frame's value reads back, the cell's data type, its number format)
TYPED_CELLS = [
    ("metrics", "share_passing", lambda v: v, "n", "0.0%"),
    ("metrics", "repos", int, "n", "General"),
    ("metrics", "score", lambda v: v, "n", "General"),
    ("standards", "review_by", lambda v: datetime(v.year, v.month, v.day), "d", "yyyy-mm-dd"),
    ("standards", "review_due", bool, "b", "General"),
    ("standards", "links", lambda v: "; ".join(v) or None, "s", "General"),
    ("repositories", "pushed_at", lambda v: pd.Timestamp(v).tz_convert("UTC").tz_localize(None).to_pydatetime(),
     "d", "yyyy-mm-dd hh:mm:ss"),
    ("repositories", "archived", bool, "b", "General"),
    ("findings", "repo", str, "s", "General"),
]  # fmt: skip


@pytest.mark.parametrize(("sheet", "column", "expected", "data_type", "number_format"), TYPED_CELLS)
def test_values_keep_their_type_shares_show_as_percentages_and_dates_are_dates(
    demo_report: Report, demo_book: Workbook, sheet: str, column: str, expected, data_type: str, number_format: str
) -> None:
    frame = demo_report.tables[sheet]
    assert len(frame), sheet
    for row in range(min(len(frame), 5)):
        value = frame[column].iloc[row]
        cell = _cell(demo_book, sheet, column, row)
        assert cell.value == expected(value), (sheet, column, row)
        if cell.value is not None:
            assert (cell.data_type, cell.number_format) == (data_type, number_format), (sheet, column)


def test_a_missing_value_is_an_empty_cell(demo_report: Report, demo_book: Workbook) -> None:
    metrics = demo_report.tables["metrics"]
    row = int(metrics["red_builds"].isna().to_numpy().argmax())
    assert math.isnan(metrics["red_builds"].iloc[row])
    assert _cell(demo_book, "metrics", "red_builds", row).value is None
    findings = demo_report.tables["findings"]
    row = int(findings["waiver_reason"].isna().to_numpy().argmax())
    assert _cell(demo_book, "findings", "waiver_reason", row).value is None


def test_the_summary_sheet_says_what_the_report_is_and_gives_each_number_with_its_change(
    demo_report: Report, demo_book: Workbook
) -> None:
    rows = list(demo_book["summary"].iter_rows())
    assert [c.value for c in rows[0]] == spreadsheet.SUMMARY_COLUMNS
    about = {r[1].value: r[2].value for r in rows[1:] if r[0].value == "report"}
    assert about["title"] == demo_report.title and about["subtitle"] == demo_report.subtitle
    assert about["standards file"] == demo_report.standards_path
    assert about["generated at"] == datetime.fromisoformat(demo_report.generated_at).replace(tzinfo=None)
    numbers = {(r[0].value, r[1].value): r for r in rows[1:] if r[0].value != "report"}
    expected = [(s.title, n) for s in demo_report.agenda.sections for n in s.numbers]
    assert list(numbers) == [(title, n.label) for title, n in expected]
    passing = numbers[("Headline", "Findings passing")]
    headline = demo_report.section("headline")
    assert headline is not None
    number = next(n for n in headline.numbers if n.label == "Findings passing")
    assert (passing[2].value, passing[2].number_format) == (pytest.approx(number.value), "0.0%")
    assert (passing[3].value, passing[3].number_format) == (pytest.approx(number.delta), "+0.0%;-0.0%;0.0%")


def test_the_facts_only_summary_names_no_standards_file(facts_only_report: Report) -> None:
    book = read_xlsx(FORMATS["xlsx"].render(facts_only_report))
    about = {r[1]: r[2] for r in book["summary"].iter_rows(values_only=True) if r[0] == "report"}
    assert about["standards file"].startswith("none")


def test_formula_looking_text_reads_back_as_the_same_text(hostile_report: Report, hostile_xlsx: bytes) -> None:
    book = read_xlsx(hostile_xlsx)
    repos = hostile_report.tables["repositories"]
    row = repos["repo"].tolist().index(FORMULA_REPO)
    cell = _cell(book, "repositories", "repo", row)
    assert (cell.value, cell.data_type) == (FORMULA_REPO, "s")
    # every text of every table reads back as itself, as text: markup, links, pipes and line breaks
    seen = set()
    for name, frame in hostile_report.tables.items():
        sheet = book[name]
        for column_index, column in enumerate(frame.columns, start=1):
            for row_index, value in enumerate(frame[column].tolist(), start=2):
                if isinstance(value, str) and value:
                    cell = sheet.cell(row=row_index, column=column_index)
                    assert (cell.value, cell.data_type) == (value, "s"), (name, column, row_index)
                    seen.add(value)
    assert {FORMULA_REPO, PIPE_REPO, SCRIPT_TEAM} <= seen
    assert sum(text in seen for text in HOSTILE) >= 6


@pytest.mark.parametrize(
    ("text", "read_back"),
    [
        ('=HYPERLINK("http://evil.example","click")', '=HYPERLINK("http://evil.example","click")'),
        ("=1+1", "=1+1"),
        ("+1", "+1"),
        ("-2", "-2"),
        ("@SUM(A1)", "@SUM(A1)"),
        ("\tcmd", "\tcmd"),
        ("\r=1", "\r=1"),
        ("bell\x07 and escape\x1b[31m red", "bell and escape[31m red"),
        ("nul\x00byte", "nulbyte"),
        ("\ufffe not a character", " not a character"),
        ("line\nbreak and cr\r\nlf", "line\nbreak and cr\r\nlf"),
        ("  spaces kept  ", "  spaces kept  "),
        ("_x0041_ is not an A", "_x0041_ is not an A"),
        ("x" * 40_000, "x" * spreadsheet.MAX_CELL_TEXT),
    ],
)
def test_any_text_is_written_as_text_and_xml_illegal_characters_are_removed(text: str, read_back: str) -> None:
    frame = pd.DataFrame({"text": pd.Series([text], dtype=object), "n": [1]})
    book = read_xlsx(spreadsheet.write_xlsx([("t", frame)]))
    cell = book["t"]["A2"]
    assert (cell.value, cell.data_type) == (read_back, "s")


def test_an_unpaired_surrogate_is_removed_not_a_crash() -> None:
    frame = pd.DataFrame({"text": pd.Series(["lone \ud800 half"], dtype=object)})
    assert read_xlsx(spreadsheet.write_xlsx([("t", frame)]))["t"]["A2"].value == "lone  half"


def test_values_of_every_kind_are_written_as_excel_has_them() -> None:
    frame = pd.DataFrame(
        {
            "mixed": pd.Series([[1, "a"], {"k": 1}, pd.NaT, date(1899, 1, 1), 2.5, float("inf")], dtype=object),
            "nullable": pd.array([1, None, 3, None, 5, 6], dtype="Int64"),
            "category": pd.Categorical(["x", "y", "x", "y", "x", "y"]),
            "when": pd.to_datetime(["2026-01-02T03:04:05+01:00"] * 6, utc=True),
            "success_rate": [0.5, float("nan"), 1.0, 0.0, 0.25, 0.75],
        }
    )
    rows = list(read_xlsx(spreadsheet.write_xlsx([("t", frame)]))["t"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["1; a", '{"k": 1}', None, "1899-01-01", 2.5, None]
    assert [r[1] for r in rows] == [1, None, 3, None, 5, 6]
    assert [r[2] for r in rows] == ["x", "y", "x", "y", "x", "y"]
    assert rows[0][3] == datetime(2026, 1, 2, 2, 4, 5)  # in UTC
    assert [r[4] for r in rows] == [0.5, None, 1.0, 0.0, 0.25, 0.75]


def test_a_table_longer_than_a_sheet_goes_on_in_numbered_sheets() -> None:
    frame = pd.DataFrame({"repo": [f"r{i}" for i in range(11)], "n": range(11)})
    book = read_xlsx(spreadsheet.write_xlsx([("dependencies", frame)], max_rows=5))
    assert book.sheetnames == ["dependencies", "dependencies (2)", "dependencies (3)"]
    read = [list(sheet.iter_rows(values_only=True)) for sheet in book]
    assert all(rows[0] == ("repo", "n") for rows in read)
    assert [r[1] for rows in read for r in rows[1:]] == list(range(11))
    assert [len(rows) for rows in read] == [5, 5, 4]
    assert all(sheet.freeze_panes == "A2" and sheet.auto_filter.ref for sheet in book)


@pytest.mark.parametrize(
    ("names", "titles"),
    [
        (["summary", "repositories"], ["summary", "repositories"]),
        (["a" * 40, "a" * 40], ["a" * 31, "a" * 27 + " (2)"]),
        (["Findings", "findings"], ["Findings", "findings (2)"]),
        (["a/b:c*?[d]\\"], ["a_b_c___d__"]),
        (["'quoted'", ""], ["quoted", "sheet"]),
    ],
)
def test_sheet_titles_are_valid_and_unique(names: list[str], titles: list[str]) -> None:
    assert spreadsheet.sheet_titles(names) == titles


def test_the_same_report_gives_the_same_workbook(demo_report: Report) -> None:
    assert FORMATS["xlsx"].render(demo_report) == FORMATS["xlsx"].render(demo_report)


def test_libreoffice_calc_reads_the_formula_looking_name_as_text(hostile_xlsx: bytes, tmp_path: Path) -> None:
    """A second real reader: Calc converts the workbook to CSV, one file per sheet."""
    if SOFFICE is None:
        pytest.skip("needs LibreOffice Calc (apt-get install libreoffice-calc)")
    book = tmp_path / "hostile.xlsx"
    book.write_bytes(hostile_xlsx)
    every_sheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    try:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                        every_sheet, "--outdir", str(tmp_path), str(book)],
                       capture_output=True, timeout=180, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.skip("LibreOffice did not finish converting within 3 minutes")
    converted = tmp_path / "hostile-repositories.csv"
    if not converted.exists():
        pytest.skip("LibreOffice without Calc cannot open a workbook (apt-get install libreoffice-calc)")
    rows = list(csv.reader(io.StringIO(converted.read_text(encoding="utf-8"), newline="")))
    assert rows[0][0] == "repo"
    assert [r[0] for r in rows[1:]] == [FORMULA_REPO, 'evil/<img src=x onerror="alert(1)">', PIPE_REPO]


# --- CSV zip ------------------------------------------------------------------------------------------------


def test_the_zip_holds_the_summary_and_a_csv_per_table(demo_report: Report, demo_zip: bytes) -> None:
    files = read_zip(demo_zip)
    assert list(files) == ["summary.csv", *(f"{name}.csv" for name in demo_report.tables)]
    for name, frame in demo_report.tables.items():
        rows = files[f"{name}.csv"]
        assert rows[0] == list(frame.columns), name
        assert len(rows) - 1 == len(frame), name


def test_csv_files_are_utf8_with_a_bom_and_crlf_line_ends(demo_zip: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(demo_zip)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert data.startswith(b"\xef\xbb\xbf"), name
            assert data.count(b"\r\n") >= 1 and b"\n" not in data.replace(b"\r\n", b""), name


def test_csv_values_read_back_as_written_with_numbers_dates_and_booleans_plain(
    demo_report: Report, demo_zip: bytes
) -> None:
    files = read_zip(demo_zip)
    standards = demo_report.tables["standards"]
    rows = files["standards.csv"]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["id"] == standards["id"].iloc[0]
    assert first["review_by"] == standards["review_by"].iloc[0].isoformat()
    assert first["review_due"] in ("TRUE", "FALSE")
    assert float(first["share_passing"]) == standards["share_passing"].iloc[0]
    assert int(first["applicable"]) == standards["applicable"].iloc[0]
    assert first["links"] == "; ".join(standards["links"].iloc[0])
    metrics = dict(zip(files["metrics.csv"][0], files["metrics.csv"][1], strict=True))
    assert metrics["red_builds"] == ""  # NaN: an empty field


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=b", "a=b"),
        ("1-2", "1-2"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_csv_text_that_a_spreadsheet_would_evaluate_is_prefixed_with_a_quote(text: str, written: str) -> None:
    assert spreadsheet.csv_text(text) == written
    frame = pd.DataFrame({"text": [text], "number": [-1]})
    rows = list(csv.reader(io.StringIO(spreadsheet.csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[1] == [written, "-1"]  # a negative number is a number, never prefixed


def test_hostile_text_round_trips_through_the_csv_files_with_formulas_prefixed(hostile_report: Report) -> None:
    files = read_zip(FORMATS["csv"].render(hostile_report))
    for name, frame in hostile_report.tables.items():
        rows = files[f"{name}.csv"]
        for column_index, column in enumerate(frame.columns):
            for row_index, value in enumerate(frame[column].tolist(), start=1):
                if isinstance(value, str):
                    assert rows[row_index][column_index] == spreadsheet.csv_text(value), (name, column)
    repos = [r[0] for r in files["repositories.csv"][1:]]
    assert "'" + FORMULA_REPO in repos and PIPE_REPO in repos


def test_the_same_report_gives_the_same_zip_bytes_dated_when_it_was_made(demo_report: Report, demo_zip: bytes) -> None:
    assert FORMATS["csv"].render(demo_report) == demo_zip
    made = datetime.fromisoformat(demo_report.generated_at)
    with zipfile.ZipFile(io.BytesIO(demo_zip)) as archive:
        stamps = {info.date_time for info in archive.infolist()}
    assert stamps == {(made.year, made.month, made.day, made.hour, made.minute, made.second // 2 * 2)}
