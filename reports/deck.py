"""The meeting deck (PPTX): the report's sections as slides in the meeting's order, with native
PowerPoint charts and tables, so whoever presents can still edit them.

Slides: the title; the headline figures with their deltas; compliance by team (a 100 % bar per
team, worst first, at most `TEAMS_PER_CHART` teams a slide); version drift; fragmentation; build
health; what changed since the compared snapshot (improved, regressed, new technologies,
repositories); waivers expired and expiring; standards due for review; then one appendix slide per
team. Every number comes from `standards.report.Report`: the deck lays frames out, it never
computes a figure the dashboard would not show the same.

Charts are python-pptx chart data (an embedded workbook PowerPoint edits), coloured like the
dashboard (`reports.charts.style`: Okabe-Ito status and build colours), each segment labelled with
its status or state (`Fail 32%`, `red 3`) so pass and fail are never told by colour alone. Tables are native tables written straight as
DrawingML (a few thousand cells through python-pptx's cell objects cost about a second), with their
rows fitted to the room left on the slide and "and N more" under them. Every text from the data
goes in as text, never as markup: XML escaping is lxml's, control characters are written the way
python-pptx writes them (`_x001B_`).

A company template (`RenderOptions.template`, a .pptx) supplies the masters and layouts: its own
slides are removed, layouts are picked by name ("Title Slide", "Title Only") with the usual
indices as fallbacks, and content is placed under the layout's title, within its margins.
Without one, python-pptx's default deck is widened to 16:9 (its masters and layouts too, so a
slide added by hand looks right).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.exc import PackageNotFoundError
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from collectors.facts import BUILD_STATES
from reports.cells import MISSING, cell_text, is_missing
from reports.charts.compliance import STATUS_NAMES, STATUSES, worst_first
from reports.charts.style import (
    BUILD_COLOURS,
    MIN_LABELLED_SHARE,
    NEUTRAL_GREY,
    SERIES_COLOURS,
    STATUS_COLOURS,
    in_order,
)
from reports.charts.versions import row_label
from reports.formats import RenderOptions, ReportError
from standards import agenda as agenda_
from standards.metrics import ORGANISATION
from standards.report import Report, TeamAppendix
from store.db import snapshot_label

# --- sizes -------------------------------------------------------------------------------------------------

#: python-pptx's default deck is 4:3; without a template the deck is 16:9 at PowerPoint's size.
WIDE = (Inches(13.333), Inches(7.5))
#: The layouts each kind of slide takes, by name first, then by the index it has in Office's
#: default masters (a template in another language renames them): the title slide, and every other
#: slide (a "Title and Content" layout loses its empty body). A template without any layout with a
#: title gets its "Blank" one, and a title of our own.
LAYOUTS = {
    "title": (("Title Slide",), (0,)),
    "title_only": (("Title Only", "Title and Content"), (5, 1)),
}
#: Teams on one compliance or build chart: more would make bars too thin to read on a projector.
TEAMS_PER_CHART = 15
#: Bars on a drift or fragmentation chart (the worst ones; the table says how many more).
BARS_SHOWN = 15
#: The most room a bar takes on a chart (inches), gap included, and the least it needs (its label).
BAR_HEIGHT = 0.45
MIN_BAR_HEIGHT = 0.24
#: Rows a table lists at most before "and N more" (fewer when the slide has no room for them).
ROWS_SHOWN = 12
#: Rows of a team's worst findings on its appendix slide.
TEAM_ROWS_SHOWN = 10
#: Lines a table cell may take before its text is cut short with an ellipsis.
CELL_LINES = 2
#: Type sizes (points).
TITLE_SIZE = 30
LEAD_SIZE = 16
TABLE_SIZE = 11
MIN_TABLE_SIZE = 10
TABLE_TITLE_SIZE = 13
CHART_SIZE = 12
NOTE_SIZE = 12
FOOTER_SIZE = 10
BIG_SIZE = 36
SMALL_BIG_SIZE = 26
#: A character's average width, as a share of the type size: DejaVu Sans's, which LibreOffice draws
#: when Calibri is missing; Calibri is narrower, so in PowerPoint the estimates leave room to spare.
CHAR_WIDTH = 0.56
#: A line's height, as a multiple of the type size.
LINE_HEIGHT = 1.2
GAP = Inches(0.2)
#: Cell margins: left and right, top and bottom.
CELL_MARGIN_X = Inches(0.06)
CELL_MARGIN_Y = Inches(0.03)

# --- colours -----------------------------------------------------------------------------------------------

DARK = "212121"
MUTED = "616161"
GOOD = STATUS_COLOURS["pass"].lstrip("#")  # blue: a change for the better
BAD = STATUS_COLOURS["fail"].lstrip("#")  # vermillion: a change for the worse
GRIDLINE = "D9D9D9"
#: Text on a status's or a state's bar segment: white on the dark blue, dark elsewhere.
ON_COLOUR = {"#0072B2": "FFFFFF"}
#: From this share of its bar up, a segment's label names its status too (`Fail 32%`).
NAMED_SHARE = 0.16

# --- texts -------------------------------------------------------------------------------------------------

ELLIPSIS = "…"
NO_STANDARDS = (
    "No standards file was given, so this deck holds facts only: no compliance, findings, levels or waivers. "
    "Give one (guildboard report --standards FILE) to judge the repositories."
)
FACTS_ONLY = "facts only: no standards file"
FULL_TABLES = "every row is in the spreadsheet export"


# --- render ------------------------------------------------------------------------------------------------


def render(report: Report, options: RenderOptions) -> bytes:
    """The meeting deck of `report` as a .pptx file."""
    deck = Deck.open(options.template)
    title_slide(deck, report)
    headline_slide(deck, report)
    compliance_slides(deck, report)
    drift_slide(deck, report)
    fragmentation_slide(deck, report)
    build_slides(deck, report)
    changes_slides(deck, report)
    standing_slide(deck, report, "waivers", "Waivers")
    standing_slide(deck, report, "review", "Standards due for review")
    for appendix in report.teams:
        team_slide(deck, report, appendix)
    deck.add_footers(f"{report.title} · {snapshot_label(report.snapshot)}")
    return deck.save()


# --- geometry ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A rectangle on a slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def below(self, height: int, gap: int = GAP) -> Box:
        """What is left under the first `height` of this box (and a gap)."""
        used = min(self.height, height + gap)
        return Box(self.left, self.top + used, self.width, max(self.height - used, 0))

    def top_part(self, height: int) -> Box:
        return Box(self.left, self.top, self.width, min(height, self.height))

    def columns(self, weights: Sequence[float], gap: int = GAP) -> list[Box]:
        """Side by side, as wide as their weights, `gap` apart."""
        room = self.width - gap * (len(weights) - 1)
        total = float(sum(weights))
        boxes, left = [], self.left
        for weight in weights:
            width = int(room * weight / total)
            boxes.append(Box(left, self.top, width, self.height))
            left += width + gap
        return boxes


# --- the deck ----------------------------------------------------------------------------------------------


class Deck:
    """A presentation being written: its layouts and where content goes under their titles."""

    def __init__(self, prs: Any, *, templated: bool) -> None:
        self.prs = prs
        self.templated = templated
        self.layouts = {key: _layout(prs, names, indices) for key, (names, indices) in LAYOUTS.items()}
        self.content = self._content_box()

    @classmethod
    def open(cls, template: Path | None) -> Deck:
        if template is None:
            prs = Presentation()
            _widen(prs, *WIDE)
            return cls(prs, templated=False)
        path = Path(template)
        if not path.is_file():
            raise ReportError(f"template {path}: no such file; give a PowerPoint deck (.pptx) whose masters to use")
        try:
            prs = Presentation(str(path))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as err:
            raise ReportError(
                f"template {path}: not a PowerPoint deck (.pptx) ({err}); save the template as .pptx and try again"
            ) from None
        _remove_slides(prs)
        return cls(prs, templated=True)

    @property
    def width(self) -> int:
        return int(self.prs.slide_width)

    @property
    def height(self) -> int:
        return int(self.prs.slide_height)

    def _content_box(self) -> Box:
        """Under the title of the "Title Only" layout, as wide as the title, to the bottom margin."""
        title = _title_placeholder(self.layouts["title_only"])
        margin = max(int(Inches(0.4)), int(self.height * 0.06))
        if title is None or title.width is None:
            left, width, top = margin, self.width - 2 * margin, int(self.height * 0.2)
        else:  # where the title's text starts (its default inset), under it
            inset = int(Inches(0.1))
            left, width = int(title.left) + inset, int(title.width) - 2 * inset
            top = int(title.top + title.height + Inches(0.1))
        bottom = self.height - max(int(Inches(0.55)), int(self.height * 0.07))
        return Box(left, top, width, max(bottom - top, int(Inches(1))))

    def slide(self, title: str) -> Any:
        """A content slide with its title set (the "Title Only" layout; other placeholders removed)."""
        slide = self.prs.slides.add_slide(self.layouts["title_only"])
        holder = _title_placeholder(slide)
        for shape in list(slide.placeholders):
            if holder is None or shape.element is not holder.element:
                shape.element.getparent().remove(shape.element)
        if holder is None:
            box = Box(self.content.left, int(Inches(0.3)), self.content.width, self.content.top - int(Inches(0.4)))
            holder = add_text(slide, box, [Line(title, TITLE_SIZE, bold=True)], anchor=MSO_ANCHOR.MIDDLE)
        else:
            holder.text_frame.text = plain(title)
        return slide

    def add_footers(self, text: str) -> None:
        """The snapshot and `n / total` at the foot of every slide but the first (the default deck
        only: a template has its own footer)."""
        if self.templated:
            return
        slides = list(self.prs.slides)
        top = self.content.bottom + int(Inches(0.12))
        height = int(Inches(0.3))
        for number, slide in enumerate(slides[1:], start=2):
            left, right = self.content.columns([4, 1], gap=0)
            add_text(slide, Box(left.left, top, left.width, height), [Line(text, FOOTER_SIZE, colour=MUTED)])
            add_text(slide, Box(right.left, top, right.width, height),
                     [Line(f"{number} / {len(slides)}", FOOTER_SIZE, colour=MUTED, align=PP_ALIGN.RIGHT)])  # fmt: skip

    def save(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def _layout(prs: Any, names: Sequence[str], indices: Sequence[int]) -> Any:
    """The first layout called one of `names` (any master, case-insensitive), else the first at one
    of `indices` that has a title, else the first layout with a title, else "Blank" (or the first)."""
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    by_name = {layout.name.strip().lower(): layout for layout in reversed(layouts)}
    for name in names:
        if name.lower() in by_name:
            return by_name[name.lower()]
    for index in indices:
        if index < len(layouts) and _title_placeholder(layouts[index]) is not None:
            return layouts[index]
    titled = (layout for layout in layouts if _title_placeholder(layout) is not None)
    return next(titled, by_name.get("blank", layouts[0]))


def _title_placeholder(owner: Any) -> Any:
    for shape in owner.placeholders:
        if shape.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            return shape
    return None


def _subtitle_placeholder(slide: Any) -> Any:
    for shape in slide.placeholders:
        if shape.placeholder_format.type in (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY):
            return shape
    return None


def _remove_slides(prs: Any) -> None:
    """Drop a template's own slides (their parts go with the relationship)."""
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def _widen(prs: Any, width: int, height: int) -> None:
    """Resize python-pptx's default deck to `width` x `height`: every shape of its master and
    layouts that has a place of its own is stretched across, the title style made smaller and the
    title placeholder shorter, so the layouts fit the wide slide."""
    scale = width / prs.slide_width
    prs.slide_width, prs.slide_height = width, height
    master = prs.slide_master
    for owner in (master, *master.slide_layouts):
        for shape in owner.shapes:
            xfrm = shape.element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
            if xfrm is None:
                continue
            shape.left, shape.width = int(shape.left * scale), int(shape.width * scale)
    title = _title_placeholder(master)
    if title is not None:
        title.top, title.height = Inches(0.3), Inches(0.95)
    level = master.element.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    if level is not None:
        level.set("algn", "l")  # titles left, where the content starts; the title slide centres its own
        size = level.find(qn("a:defRPr"))
        if size is not None:
            size.set("sz", str(TITLE_SIZE * 100))


# --- text --------------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def plain(text: object) -> str:
    """A value as text for a slide: control characters written as python-pptx writes them
    (`_x001B_`; tab and line feed kept), anything XML cannot hold replaced by U+FFFD."""
    value = _NOT_XML.sub("\ufffd", str(text))
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def clip(text: str, limit: int) -> str:
    """`text`, or its first `limit - 1` characters and an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Line:
    """A paragraph of a text box."""

    text: str
    size: int = LEAD_SIZE
    bold: bool = False
    colour: str | None = None
    align: PP_ALIGN | None = None
    italic: bool = False


def add_text(slide: Any, box: Box, lines: Sequence[Line], *, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> Any:
    """A text box of paragraphs, wrapping at its width, no autofit (sizes are chosen to fit)."""
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = 0
    for n, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        if line.align is not None:
            paragraph.alignment = line.align
        run = paragraph.add_run()
        run.text = plain(line.text).replace("\n", " ")
        font = run.font
        font.size = Pt(line.size)
        font.bold = line.bold
        font.italic = line.italic
        if line.colour:
            font.color.rgb = RGBColor.from_string(line.colour)
    return shape


def text_height(text: str, size: int, width: int) -> int:
    """About how tall `text` at `size` points wraps in `width` EMU."""
    lines = sum(wrapped_lines(part, _chars_per_line(width, size)) for part in text.split("\n"))
    return int(Pt(size * LINE_HEIGHT) * lines + Inches(0.05))


def lead(slide: Any, box: Box, text: str, size: int = LEAD_SIZE, colour: str = DARK) -> Box:
    """A line (or two) of prose at the top of `box`; returns the room left under it."""
    height = text_height(text, size, box.width)
    add_text(slide, box.top_part(height), [Line(text, size, colour=colour)])
    return box.below(height, int(Inches(0.12)))


def notice(deck: Deck, title: str, text: str) -> None:
    """A slide that says why there is nothing to show."""
    slide = deck.slide(title)
    lead(slide, deck.content, text, size=20, colour=MUTED)


def _chars_per_line(width: int, size: int) -> int:
    """Characters of average width that fit a line of `width`, less one: a line seldom ends
    exactly at its edge, which counts most in a narrow column."""
    return max(3, int(width / (Pt(size) * CHAR_WIDTH)) - 1)


# --- tables ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A table column: its header, the frame's column, how its values are written (text, count,
    share, decimal, item: a drift row `technology: x`)."""

    label: str
    key: str
    kind: str = "text"
    longest: int | None = None  # at most this many characters of a text count towards its width

    @property
    def numeric(self) -> bool:
        return self.kind in ("count", "share", "decimal")


def add_table(
    slide: Any,
    box: Box,
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    title: str = "",
    empty: str = "Nothing to list.",
    limit: int = ROWS_SHOWN,
    size: int = TABLE_SIZE,
    lines: int = CELL_LINES,
) -> int:
    """A native table of `frame`'s `columns` at the top of `box`: as many of the first `limit` rows
    as fit its height (each cell at most `lines` lines, cut with an ellipsis), then "and N more"
    under it. Returns the height used."""
    used = 0
    if title:
        height = text_height(title, TABLE_TITLE_SIZE, box.width)
        add_text(slide, box.top_part(height), [Line(title, TABLE_TITLE_SIZE, bold=True)])
        used = height + int(Inches(0.04))
    if frame.empty:
        add_text(slide, Box(box.left, box.top + used, box.width, int(Inches(0.4))),
                 [Line(empty, NOTE_SIZE, colour=MUTED, italic=True)])  # fmt: skip
        return used + int(Inches(0.4))
    columns = [c for c in columns if c.key in frame.columns]
    head = frame.head(limit)
    texts = [[plain(cell_text(v, c.kind)) for v in head[c.key].tolist()] for c in columns]  # by column
    widths, fits = _column_widths(box.width, columns, texts, size)
    while not fits and size > MIN_TABLE_SIZE:  # a narrow table: smaller type before broken headers
        size -= 1
        widths, fits = _column_widths(box.width, columns, texts, size)
    line = int(Pt(size * LINE_HEIGHT))
    per_line = [_chars_per_line(w - 2 * CELL_MARGIN_X, size) for w in widths]
    # a header may take a line more than a cell: a narrow number column under "Days since green"
    header_fits = [_fit(plain(c.label), n, lines + 1) for c, n in zip(columns, per_line, strict=True)]
    headers = [text for text, _ in header_fits]
    header_lines = max(lines for _, lines in header_fits)
    heights = [header_lines * line + 2 * CELL_MARGIN_Y]
    more_height = int(Inches(0.3))
    room = box.height - used - more_height
    rows: list[list[str]] = []
    for r in range(len(head)):
        fitted = [_fit(texts[c][r], per_line[c], lines) for c in range(len(columns))]
        height = max(n for _, n in fitted) * line + 2 * CELL_MARGIN_Y
        if sum(heights) + height > room and rows:
            break
        rows.append([text for text, _ in fitted])
        heights.append(height)
    top = box.top + used
    shape = slide.shapes.add_table(len(rows) + 1, len(columns), Emu(box.left), Emu(top), Emu(box.width),
                                   Emu(sum(heights)))  # fmt: skip
    aligns = ["r" if c.numeric else None for c in columns]
    _fill_cells(shape.table._tbl, [headers, *rows], widths, heights, aligns, size)
    used += sum(heights)
    hidden = len(frame) - len(rows)
    if hidden:
        text = f"{agenda_.more_text(hidden)} ({FULL_TABLES})"
        add_text(slide, Box(box.left, top + sum(heights) + int(Inches(0.04)), box.width, more_height),
                 [Line(text, NOTE_SIZE, colour=MUTED, italic=True)])  # fmt: skip
        used += more_height
    return used


def _column_widths(total: int, columns: Sequence[Column], texts: list[list[str]], size: int) -> tuple[list[int], bool]:
    """Each column as wide as its longest text needs on one line when the table has the room,
    else at least its longest header word and its longest unbreakable word (a date, a version),
    the rest of the width shared in proportion to what each column still lacks. A `weight`
    `longest`
    caps how long a column's texts count (a long prose column takes what the others leave).
    Also says whether every column got at least its least (False: headers would break)."""
    room = total / (Pt(size) * CHAR_WIDTH) - len(columns) * 2 * CELL_MARGIN_X / (Pt(size) * CHAR_WIDTH)
    need, least = [], []
    for column, values in zip(columns, texts, strict=True):
        header = max((len(w) for w in column.label.split()), default=1) * 1.25 + 1  # bold is wider
        longest = max((len(v) for v in values), default=1)
        word = max((len(w) for v in values for w in v.split()), default=1)
        cap = column.longest or 48
        least.append(max(header, min(word, 12) + 1, 3))
        need.append(max(least[-1], min(longest, cap) + 1))
    if sum(need) <= room:  # the room to spare goes to the texts (numbers are as wide as they get)
        spare = room - sum(need)
        texts_need = sum(n for n, c in zip(need, columns, strict=True) if not c.numeric)
        chars = [n if c.numeric or not texts_need else n + spare * n / texts_need
                 for n, c in zip(need, columns, strict=True)]  # fmt: skip
    else:
        short = sum(n - m for n, m in zip(need, least, strict=True)) or 1
        spare = max(room - sum(least), 0)
        chars = [m + spare * (n - m) / short for n, m in zip(need, least, strict=True)]
    text_width = total - len(columns) * 2 * CELL_MARGIN_X
    widths = [int(2 * CELL_MARGIN_X + text_width * c / sum(chars)) for c in chars]
    widths[-1] += total - sum(widths)
    return widths, sum(least) <= room


def _fit(text: str, per_line: int, most: int) -> tuple[str, int]:
    """`text` cut to what wraps into `most` lines of `per_line` characters (an ellipsis at the
    cut), and the lines it takes."""
    kept: list[str] = []
    lines = 0
    for part in text.split("\n"):
        need = wrapped_lines(part, per_line)
        if lines + need <= most:
            kept.append(part)
            lines += need
            continue
        room = most - lines
        if room > 0:
            kept.append(_cut(part, per_line, room))
        elif kept:
            kept[-1] += ELLIPSIS
        return "\n".join(kept), most
    return "\n".join(kept), max(lines, 1)


def _cut(text: str, per_line: int, lines: int) -> str:
    """The longest start of `text` that, with an ellipsis, wraps into `lines` lines: at a word's
    end when that keeps most of the room, else wherever it must (a long word is broken)."""
    low, high = 0, len(text)  # the longest prefix that fits is in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if wrapped_lines(text[:middle].rstrip() + ELLIPSIS, per_line) <= lines:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    at_word = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut
    if len(at_word) >= 0.75 * len(cut):
        cut = at_word
    return cut.rstrip() + ELLIPSIS


def wrapped_lines(text: str, per_line: int) -> int:
    """The lines `text` takes when wrapped into lines of `per_line` characters as PowerPoint and
    LibreOffice wrap it: at spaces and after hyphens, a piece longer than a line broken across
    lines."""
    lines, used = 1, 0
    for word in text.split(" "):
        for n, piece in enumerate(_HYPHENATED.findall(word) or [""]):
            space = 1 if used and n == 0 else 0
            size = len(piece)
            if used + space + size <= per_line:
                used += space + size
                continue
            if used:
                lines += 1
            while size > per_line:
                lines += 1
                size -= per_line
            used = size
    return lines


_HYPHENATED = re.compile(r"[^-]*-|[^-]+")


def _fill_cells(
    tbl: Any, rows: list[list[str]], widths: list[int], heights: list[int], aligns: list[str | None], size: int
) -> None:
    """Write the column widths, the row heights and each cell's text as DrawingML paragraphs (one
    per line of the text), in one pass over the table's XML; the header row bold."""
    for column, width in zip(tbl.find(qn("a:tblGrid")).iter(qn("a:gridCol")), widths, strict=True):
        column.set("w", str(width))
    margins = {"marL": str(int(CELL_MARGIN_X)), "marR": str(int(CELL_MARGIN_X)), "marT": str(int(CELL_MARGIN_Y)),
               "marB": str(int(CELL_MARGIN_Y))}  # fmt: skip
    sz = str(size * 100)
    for r, tr in enumerate(tbl.iter(qn("a:tr"))):
        tr.set("h", str(heights[r]))
        for c, tc in enumerate(tr.iter(qn("a:tc"))):
            body = tc.find(qn("a:txBody"))
            for p in body.findall(qn("a:p")):
                body.remove(p)
            for part in rows[r][c].split("\n"):
                p = etree.SubElement(body, qn("a:p"))
                if aligns[c]:
                    etree.SubElement(p, qn("a:pPr"), algn=aligns[c])
                if part:
                    run = etree.SubElement(p, qn("a:r"))
                    props = etree.SubElement(run, qn("a:rPr"), lang="en-GB", sz=sz, dirty="0")
                    if r == 0:
                        props.set("b", "1")
                    etree.SubElement(run, qn("a:t")).text = part
                else:
                    etree.SubElement(p, qn("a:endParaRPr"), lang="en-GB", sz=sz, dirty="0")
            tc_pr = tc.find(qn("a:tcPr"))
            if tc_pr is None:
                tc_pr = etree.SubElement(tc, qn("a:tcPr"))
            for key, value in margins.items():
                tc_pr.set(key, value)


# --- charts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str  # "#RRGGBB"
    labels: str = "General"  # the data labels' number format (Excel's)


def bar_chart(
    slide: Any,
    box: Box,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool,
    value_format: str,
    maximum: float | None = None,
    major_unit: float | None = None,
    legend: bool = True,
) -> Any:
    """Horizontal bars, the first category on top; stacked series when `stacked`. Each series'
    data labels sit inside its bars in its own number format (Excel's: a condition can hide a
    label too small to fit, a literal can name the series on its bars), the value axis is in
    `value_format`."""
    data = CategoryChartData(number_format=value_format)
    data.categories = [clip(plain(c), 40) for c in categories]
    for s in series:
        data.add_series(plain(s.name), [float(v) for v in s.values])
    kind = XL_CHART_TYPE.BAR_STACKED if stacked else XL_CHART_TYPE.BAR_CLUSTERED
    # no taller than its bars need: two teams are two bars, not two slabs
    height = min(box.height, int(Inches(0.8 + (0.35 if legend else 0) + BAR_HEIGHT * len(categories))))
    frame = slide.shapes.add_chart(kind, Emu(box.left), Emu(box.top), Emu(box.width), Emu(height), data)
    chart = frame.chart
    chart.font.size = Pt(CHART_SIZE)
    chart.font.color.rgb = RGBColor.from_string(DARK)
    chart.has_title = False  # the slide's title says what it is
    chart.has_legend = legend and len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_SIZE)
    plot = chart.plots[0]
    plot.gap_width = 45
    if stacked:
        plot.overlap = 100
    plot.vary_by_categories = False
    categories_axis = chart.category_axis
    categories_axis.reverse_order = True  # the first category on top, as it is read
    categories_axis.tick_labels.font.size = Pt(CHART_SIZE)
    categories_axis.format.line.color.rgb = RGBColor.from_string(NEUTRAL_GREY.lstrip("#"))
    categories_axis.has_major_gridlines = False
    values_axis = chart.value_axis
    _value_axis_at_bottom(values_axis)
    values_axis.minimum_scale = 0
    if maximum is not None:
        values_axis.maximum_scale = maximum
    if major_unit is not None:
        values_axis.major_unit = major_unit
    values_axis.tick_labels.number_format = value_format
    values_axis.tick_labels.number_format_is_linked = False
    values_axis.tick_labels.font.size = Pt(CHART_SIZE)
    values_axis.has_major_gridlines = True
    values_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string(GRIDLINE)
    values_axis.format.line.fill.background()
    for s, drawn in zip(series, plot.series, strict=True):
        colour = s.colour.lstrip("#")
        fill = drawn.format.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(colour)
        drawn.format.line.color.rgb = RGBColor.from_string("FFFFFF")
        drawn.invert_if_negative = False
        labels = drawn.data_labels
        labels.show_value = True
        labels.number_format = s.labels
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.CENTER if stacked else XL_LABEL_POSITION.INSIDE_BASE
        labels.font.size = Pt(CHART_SIZE - 1)
        labels.font.color.rgb = RGBColor.from_string(ON_COLOUR.get(s.colour.upper(), DARK))
    return frame


def _value_axis_at_bottom(values_axis: Any) -> None:
    """With the categories reversed, the value axis would cross at the first one (on top): it
    crosses at the last instead, which is at the bottom (PowerPoint's "at maximum category")."""
    crosses = values_axis._element.find(qn("c:crosses"))  # python-pptx writes one on every axis
    if crosses is not None:
        crosses.set("val", "max")


def share_labels(name: str) -> str:
    """A share's label: `Fail 32%`, `12%` when the segment is narrow, nothing below
    `MIN_LABELLED_SHARE` (it would not fit). The name on the bar means the colour is never the
    only sign of the status."""
    return f'[<{MIN_LABELLED_SHARE}]"";[<{NAMED_SHARE}]0%;"{name} "0%'


def count_labels(name: str) -> str:
    """A count's label: `red 3`, nothing for none."""
    return f'"{name} "#,##0;-#,##0;""'


def chunks(items: Sequence[Any], most: int) -> list[list[Any]]:
    """`items` in as few even runs of at most `most` as there can be (40 -> 14, 13, 13)."""
    if not items:
        return []
    count = math.ceil(len(items) / most)
    size = math.ceil(len(items) / count)
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def numbered(title: str, n: int, count: int) -> str:
    return title if count <= 1 else f"{title} ({n}/{count})"


# --- numbers -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A big number as a slide shows it."""

    label: str
    value: str
    delta: str | None = None
    colour: str = MUTED  # the delta's
    note: str = ""


def figure(number: agenda_.Number) -> Figure:
    """The number, and its change: `▲ +3.0 pts · better` in blue, `▼ -2 · worse` in vermillion,
    `±0` in grey; the word is there so the colour is never the only sign."""
    delta = number.delta_text()
    if delta is None:
        return Figure(number.label, number.text(), note=number.help)
    if not number.delta or delta.startswith("±"):
        return Figure(number.label, number.text(), f"{delta} · no change", MUTED, number.help)
    rising = number.delta > 0
    arrow = "▲" if rising else "▼"
    if number.better == "neither":
        return Figure(number.label, number.text(), f"{arrow} {delta}", MUTED, number.help)
    good = rising == (number.better == "higher")
    return Figure(number.label, number.text(), f"{arrow} {delta} · {'better' if good else 'worse'}",
                  GOOD if good else BAD, number.help)  # fmt: skip


def figures(slide: Any, box: Box, items: Sequence[Figure], *, per_row: int, big: int = BIG_SIZE) -> int:
    """Numbers in a grid, `per_row` across: the value large, its label, its change under it.
    Returns the height used."""
    if not items:
        return 0
    height = _figure_height(box, items, per_row, big)
    top = box.top
    for start in range(0, len(items), per_row):
        cells = box.columns([1] * per_row, gap=int(Inches(0.15)))
        for item, cell in zip(items[start : start + per_row], cells, strict=False):
            lines = [Line(item.value, big, bold=True), Line(item.label, 14, colour=MUTED)]
            if item.delta:
                lines.append(Line(item.delta, 14, bold=True, colour=item.colour))
            add_text(slide, Box(cell.left, top, cell.width, height), lines)
        top += height + int(Inches(0.1))
    return top - box.top


def figures_height(box: Box, items: Sequence[Figure], *, per_row: int, big: int = BIG_SIZE) -> int:
    """The height `figures` takes."""
    rows = math.ceil(len(items) / per_row)
    return rows * (_figure_height(box, items, per_row, big) + int(Inches(0.1))) if items else 0


def _figure_height(box: Box, items: Sequence[Figure], per_row: int, big: int) -> int:
    """One row of figures: the value, and the most lines a label and its change wrap into."""
    cell_width = box.columns([1] * per_row, gap=int(Inches(0.15)))[0].width
    per_line = _chars_per_line(cell_width, 14)
    bold = max(3, int(per_line / 1.2))  # the change is in bold, which is wider
    lines = max(wrapped_lines(item.label, per_line) + (wrapped_lines(item.delta, bold) if item.delta else 0)
                for item in items)  # fmt: skip
    return int(Pt(big * 1.25) + Pt(14 * LINE_HEIGHT) * lines + Inches(0.15))


def bars_that_fit(box: Box, legend: bool = True) -> int:
    """How many bars a chart in `box` can draw and still label each one."""
    room = box.height / Inches(1) - 0.8 - (0.35 if legend else 0)
    return max(3, int(room / MIN_BAR_HEIGHT))


# --- slides ------------------------------------------------------------------------------------------------


def title_slide(deck: Deck, report: Report) -> None:
    slide = deck.prs.slides.add_slide(deck.layouts["title"])
    standards = f"standards: {Path(report.standards_path).name}" if report.standards_path else FACTS_ONLY
    lines = [report.subtitle, f"Generated {_generated_text(report.generated_at)}", standards]
    title = _title_placeholder(slide)
    if title is not None:
        title.text_frame.text = plain(report.title)
        if not deck.templated:
            title.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    else:
        add_text(slide, deck.content.top_part(int(Inches(1.2))), [Line(report.title, 40, bold=True)])
    body = _subtitle_placeholder(slide)
    if body is None:
        add_text(slide, deck.content.below(int(Inches(1.4))), [Line(text, 18) for text in lines])
        return
    frame = body.text_frame
    frame.text = ""
    for n, text in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = plain(text)
        run.font.size = Pt(18 if n == 0 else 16)
    for shape in list(slide.placeholders):
        if shape.element is not body.element and (title is None or shape.element is not title.element):
            shape.element.getparent().remove(shape.element)


def headline_slide(deck: Deck, report: Report) -> None:
    section = report.section("headline")
    slide = deck.slide("Headline")
    if section is None:
        return
    text = section.summary
    if any(n.delta is not None for n in section.numbers) and report.compare is not None:
        text += f" · changes since {snapshot_label(report.compare)}"
    elif report.compare is None:
        text += " · no snapshot to compare with"
    room = lead(slide, deck.content, text)
    # without standards only the first number, the active repositories, means anything
    numbers = section.numbers if report.judged else section.numbers[:1]
    items = [figure(n) for n in numbers]
    main, levels = items[:5], items[5:]
    heading = int(Inches(0.45))
    fits = False
    for big in (BIG_SIZE, 30, 24):  # smaller figures on a small slide
        small = big - 6
        need = figures_height(room, main, per_row=5, big=big) + heading
        need += figures_height(room, levels, per_row=5, big=small)
        fits = need <= room.height
        if fits:
            break
    used = figures(slide, room, main, per_row=5, big=big)
    if levels and fits:
        room = room.below(used, 0)
        add_text(slide, room.top_part(int(Inches(0.35))), [Line("Repositories by level reached", 14, bold=True)])
        figures(slide, room.below(heading, 0), levels, per_row=5, big=small)
    elif levels:  # no room for a second row of figures: the levels as a line
        text = " · ".join(f"{f.label}: {f.value}" + (f" ({f.delta})" if f.delta else "") for f in levels)
        room = lead(slide, room.below(used, 0), text, size=14)
    if not report.judged:
        lead(slide, room.below(used, int(Inches(0.3))), NO_STANDARDS, size=14, colour=MUTED)


def compliance_slides(deck: Deck, report: Report) -> None:
    title = "Compliance by team"
    if not report.judged:
        notice(deck, title, NO_STANDARDS)
        return
    frame = report.team_compliance
    if frame.empty:
        notice(deck, title, "No team has an active repository in this snapshot.")
        return
    rows = worst_first(frame, "team")
    applicable = rows["applicable"].astype("int64")
    shares = {s: (rows[s].astype("int64") / applicable.where(applicable > 0)).fillna(0.0) for s in STATUSES}
    statuses = [s for s in STATUSES if s == "pass" or int(rows[s].sum())]  # no empty legend entries
    text = "Share of each team's applicable findings, worst first; waived is not passing."
    room = deck.content.below(text_height(text, LEAD_SIZE, deck.content.width), int(Inches(0.12)))
    parts = chunks(list(range(len(rows))), min(TEAMS_PER_CHART, bars_that_fit(room)))
    for n, part in enumerate(parts, start=1):
        slide = deck.slide(numbered(title, n, len(parts)))
        room = lead(slide, deck.content, text)
        chart_box, table_box = room.columns([1.3, 1])
        series = [Series(STATUS_NAMES[s], shares[s].iloc[part].tolist(), STATUS_COLOURS[s], share_labels(STATUS_NAMES[s]))
                  for s in statuses]  # fmt: skip
        drawn = bar_chart(slide, chart_box, rows["team"].astype(str).iloc[part].tolist(), series, stacked=True,
                          value_format="0%", maximum=1.0, major_unit=0.2)  # fmt: skip
        add_table(slide, table_box, rows.iloc[part],
                  [Column("Team", "team"), Column("Passing", "share_passing", "share"),
                   Column("Failing", "fail", "count"), Column("Waived", "waived", "count"),
                   Column("Applicable", "applicable", "count")],
                  limit=TEAMS_PER_CHART, title="The numbers")  # fmt: skip
        none = rows["team"].iloc[part][applicable.iloc[part].eq(0).to_numpy()].astype(str).tolist()
        if none:
            note = chart_box.below(drawn.height, 0)
            lead(slide, note, f"Nothing applies (n/a): {', '.join(none)}", NOTE_SIZE, MUTED)


def drift_slide(deck: Deck, report: Report) -> None:
    title = "Version drift"
    summary = report.drift_summary
    judged = summary[summary["target"].notna()] if "target" in summary else summary.iloc[0:0]
    if judged.empty:
        slide = deck.slide(title)
        why = ("No standard sets a version target for anything in use." if report.judged
               else "No standards file was given, so there are no version targets.")  # fmt: skip
        room = lead(slide, deck.content, f"{why} The most used technologies and runtimes, with their versions:")
        add_table(slide, room, summary.sort_values("repos", ascending=False, kind="stable"),
                  [Column("Technology or runtime", "item", "item"), Column("Category", "category"),
                   Column("Repositories", "repos", "count"), Column("Teams", "teams", "count"),
                   Column("Versions in use", "versions_in_use")],
                  empty="No technology or runtime in use.")  # fmt: skip
        return
    slide = deck.slide(title)
    untargeted = len(summary) - len(judged)
    text = "Share of the repositories on the version their standards ask for, least on target first."
    if untargeted:
        text += f" {untargeted:,} technologies or runtimes in use have no target."
    room = lead(slide, deck.content, text)
    chart_box, table_box = room.columns([1, 1.35])
    shown = judged.head(min(BARS_SHOWN, bars_that_fit(chart_box, legend=False)))
    bar_chart(slide, chart_box, [row_label(i) for i in shown["item"].astype(str)],
              [Series("Share on target", shown["share_on_target"].fillna(0.0).tolist(), STATUS_COLOURS["pass"], "0%")],
              stacked=False, value_format="0%", maximum=1.0, major_unit=0.2, legend=False)  # fmt: skip
    add_table(slide, table_box, judged,
              [Column("Technology or runtime", "item", "item"), Column("Target", "target"),
               Column("Versions in use", "versions_in_use"), Column("On target", "share_on_target", "share"),
               Column("Repos", "repos", "count")],
              title="Furthest from target")  # fmt: skip


def fragmentation_slide(deck: Deck, report: Report) -> None:
    title = "Fragmentation"
    frame = report.fragmentation
    org = frame[frame["team"].astype(str) == ORGANISATION] if len(frame) else frame
    if org.empty:
        notice(deck, title, "No technology in use in these repositories.")
        return
    org = org.sort_values("category", kind="stable")  # the categorical's order: most fragmented first
    slide = deck.slide(title)
    room = lead(slide, deck.content, "How many ways each kind of thing is done across the organisation: the effective "
                "number of choices (1: one technology for all; n: n used equally). Most fragmented first.")  # fmt: skip
    chart_box, table_box = room.columns([1, 1.35])
    shown = org.head(min(BARS_SHOWN, bars_that_fit(chart_box, legend=False)))
    bar_chart(slide, chart_box, shown["category"].astype(str).tolist(),
              [Series("Effective choices", shown["effective_choices"].astype(float).tolist(), SERIES_COLOURS[4], "0.0")],
              stacked=False, value_format="0", legend=False)  # fmt: skip
    add_table(slide, table_box, org,
              [Column("Category", "category"), Column("Effective choices", "effective_choices", "decimal"),
               Column("Technologies", "technologies", "count"), Column("Repos", "repos", "count"),
               Column("Most used", "top_technology"), Column("Its share", "top_share", "share")],
              title="Categories, most fragmented first")  # fmt: skip


def build_slides(deck: Deck, report: Report) -> None:
    title = "Build health"
    build = report.build
    states = build.states
    if states.empty or int(states["repositories"].sum()) == 0:
        notice(deck, title, "No repositories in this snapshot.")
        return
    known = states[states["state"].astype(str) != "unknown"]
    if int(known["repositories"].sum()) == 0:
        notice(deck, title, "Build health is not collected for this snapshot: every repository's default-branch "
               "build is unknown. It comes from guildboard collect github (local clones have none).")  # fmt: skip
        return
    teams = [str(t) for t in in_order(states["team"])]
    counts = states.assign(team=states["team"].astype(str), state=states["state"].astype(str)).pivot_table(
        index="team", columns="state", values="repositories", aggfunc="sum", observed=True
    )
    counts = counts.reindex(index=teams, columns=list(BUILD_STATES)).fillna(0).astype("int64")
    totals = build.totals()
    text = (f"Default-branch builds: {build.collected:,} of {len(build.repos):,} repositories have build health "
            "collected · " + " · ".join(f"{totals[s]:,} {s}" for s in BUILD_STATES))  # fmt: skip
    room = deck.content.below(text_height(text, LEAD_SIZE, deck.content.width), int(Inches(0.12)))
    parts = chunks(teams, min(TEAMS_PER_CHART, bars_that_fit(room)))
    for n, part in enumerate(parts, start=1):
        slide = deck.slide(numbered(title, n, len(parts)))
        room = lead(slide, deck.content, text)
        chart_box, table_box = room.columns([1.5, 1])
        series = [Series(s, counts.loc[part, s].tolist(), BUILD_COLOURS[s], count_labels(s)) for s in BUILD_STATES]
        bar_chart(slide, chart_box, part, series, stacked=True, value_format="#,##0")
        red = build.repos[(build.repos["state"] == "red") & build.repos["team"].isin(part)]
        add_table(slide, table_box, red,
                  [Column("Repository", "repo"), Column("Team", "team"), Column("Reason", "reason"),
                   Column("Days since green", "days_since_green", "count")],
                  title="Red builds", empty="No red build in these teams.")  # fmt: skip


def changes_slides(deck: Deck, report: Report) -> None:
    if not report.agenda.compared:
        if report.compare is None:
            text = "Nothing is compared: there is no earlier snapshot (or none was asked for), so there are no changes."
        else:
            text = (f"Compared with {snapshot_label(report.compare)}, but changes are judged against a standards file "
                    "and none was given.")  # fmt: skip
        notice(deck, "Changes", text)
        return
    since = f"Since {snapshot_label(report.compare)}: " if report.compare is not None else ""
    for key in ("improved", "regressed", "technologies", "repositories"):
        section = report.section(key)
        if section is not None:
            agenda_slide(deck, section, since)


def standing_slide(deck: Deck, report: Report, key: str, title: str) -> None:
    """An agenda section that needs the standards file (waivers, reviews due); a notice without it."""
    section = report.section(key)
    if not report.judged or section is None:
        notice(deck, title, NO_STANDARDS)
        return
    agenda_slide(deck, section)


def agenda_slide(deck: Deck, section: agenda_.Section, prefix: str = "") -> None:
    """An agenda section: its summary, its numbers, then its tables side by side."""
    slide = deck.slide(section.title)
    room = lead(slide, deck.content, prefix + section.summary)
    used = figures(slide, room, [figure(n) for n in section.numbers], per_row=max(len(section.numbers), 4),
                   big=SMALL_BIG_SIZE)  # fmt: skip
    room = room.below(used, int(Inches(0.1)))
    tables = section.tables
    if not tables:
        return
    for table, box in zip(tables, room.columns([1] * len(tables), gap=int(Inches(0.3))), strict=True):
        columns = [
            Column(str(c), str(c), "count" if pd.api.types.is_integer_dtype(table.frame[c].dtype) else "text")
            for c in table.frame.columns
        ]
        name = "" if table.title == section.title else table.title
        add_table(slide, box, table.frame, columns, title=name, empty=table.empty)


def team_slide(deck: Deck, report: Report, appendix: TeamAppendix) -> None:
    head = appendix.headline
    slide = deck.slide(f"Team {appendix.team}")
    items = [Figure("Active repositories", f"{head.repositories:,}"), Figure("Archived", f"{head.archived:,}")]
    if report.judged:
        share = MISSING if is_missing(head.share_passing) else f"{head.share_passing:.0%}"
        items += [
            Figure("Findings passing", share),
            Figure("Failing", f"{head.failing:,}"),
            Figure("Waived", f"{head.waived:,}"),
            Figure("Errors", f"{head.errors:,}"),
        ]
    room = deck.content
    used = figures(slide, room, items, per_row=6, big=SMALL_BIG_SIZE)
    room = room.below(used, 0)
    if report.judged:
        levels = " · ".join(f"{count:,} {level}" for level, count in reversed(head.levels.items()))
        room = lead(slide, room, f"Levels reached by its active repositories: {levels} · {head.applicable:,} "
                    "applicable findings", size=14, colour=MUTED)  # fmt: skip
    if report.judged and not appendix.findings.empty:
        findings = appendix.findings.assign(
            status=[f"{s} until {e}" if s == "waived" and not is_missing(e) else s
                    for s, e in zip(appendix.findings["status"], appendix.findings["waiver_expires"], strict=True)],
            detail=[f"waived: {w} · {d}" if isinstance(w, str) and w else d
                    for d, w in zip(appendix.findings["detail"], appendix.findings["waiver_reason"], strict=True)],
        )  # fmt: skip
        add_table(slide, room, findings,
                  [Column("Repository", "repo", longest=36), Column("Standard", "title", longest=30),
                   Column("Severity", "severity"), Column("Status", "status"), Column("Detail", "detail")],
                  title="Worst findings", limit=TEAM_ROWS_SHOWN, lines=3)  # fmt: skip
        return
    columns = [Column("Repository", "repo"), Column("Main language", "main_language")]
    if report.judged:
        columns += [Column("Level", "level"), Column("Passing", "share_passing", "share")]
    columns += [Column("Build", "build"), Column("Last push", "pushed_at")]
    name = "Repositories, lowest level first" if report.judged else "Repositories"
    add_table(slide, room, appendix.repos, columns, title=name, limit=TEAM_ROWS_SHOWN,
              empty="No active repositories.")  # fmt: skip


def _generated_text(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso
