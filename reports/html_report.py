"""The HTML report: one self-contained page that works offline, with the dashboard's charts, and
prints cleanly (A4 landscape).

It lays out `standards.report.Report`'s frames in the meeting's order and computes no number of
its own. Safety rests on three things:

- Jinja2 with autoescape: every text from repositories or configuration is escaped, and a link is
  made only from an http(s) URL (`safe_href`); anything else (`javascript:…`) is written as text.
- plotly.js is embedded once; each figure's JSON sits in an inert `<script type="application/json">`
  block with `<`, `>` and `&` written as `\\u003c`, `\\u003e`, `\\u0026` (`figure_json`), so no
  text in a figure can close the tag; one small loader of ours draws them.
- A Content-Security-Policy lets only those two scripts run (by their hashes) and allows no
  network at all, so even a slip in escaping could neither run a script nor fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from reports import cells
from reports.cells import MISSING, is_missing
from reports.charts import build as build_charts
from reports.charts import compliance as compliance_charts
from reports.charts import technologies as technology_charts
from reports.charts import versions as version_charts
from reports.formats import RenderOptions
from standards import agenda as agenda_
from standards.metrics import ORGANISATION
from standards.report import Report, TeamAppendix
from store.db import snapshot_label

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"
#: Rows a table of changes, waivers, drift or builds shows before "+N more".
ROWS_SHOWN = 25
#: Rows a team's findings or repositories show before "+N more".
TEAM_ROWS_SHOWN = 50
#: What a missing value is written as.
#: The widest a chart is drawn (CSS pixels), on screen and on an A4 landscape page (1,047 wide
#: within its margins).
PRINT_WIDTH = 1000
#: The tallest chart printed on a landscape page (710 high within its margins, less a heading).
LANDSCAPE_CHART_HEIGHT = 620
#: A taller chart's section is printed on portrait pages (718 x 1,047 within the margins): the
#: chart drawn this wide, or shrunk to this high, whichever shrinks it more.
PORTRAIT_CHART_WIDTH = 700
PORTRAIT_CHART_HEIGHT = 930
#: A chart is never shrunk below this for print (its text would be unreadable).
PRINT_MIN_ZOOM = 0.5
#: The plotly template every chart is drawn with, whatever the process's default (Streamlit sets
#: its own, whose placeholder colours only its front end fills in).
CHART_TEMPLATE = "plotly_white"
#: A cell with a word longer than this may break it anywhere (short ones, `>=7.1`, never break).
LONG_WORD = 24
#: The only URL schemes a link is made from.
LINK_SCHEMES = ("http://", "https://")
FULL_TABLES = "the full table is in the spreadsheet export (guildboard report --format xlsx)"
NO_STANDARDS = (
    "No standards file was given, so this report holds facts only: no compliance, findings, levels or "
    "waivers. Give one (guildboard report --standards FILE) to judge the repositories."
)


# --- what the template lays out ----------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A piece of a cell: text, and a link when it came from an http(s) URL."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class Cell:
    parts: tuple[Part, ...]
    css: str = ""  # num (right-aligned), prose (long text), url (breaks anywhere)


@dataclass(frozen=True)
class TableView:
    title: str
    headers: tuple[tuple[str, str], ...]  # (label, css class as its cells')
    rows: tuple[tuple[Cell, ...], ...]
    total: int
    empty: str  # what to say when there are no rows

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class NumberView:
    label: str
    value: str
    delta: str | None = None
    trend: str = "flat"  # good, bad, flat, changed: the delta's class
    arrow: str = ""
    verdict: str = ""  # "better" or "worse", written so colour is not the only sign
    help: str = ""
    wide: bool = False  # a line of text rather than one number


@dataclass(frozen=True)
class ChartView:
    number: int
    title: str
    figure: str  # the figure's JSON, safe inside a <script> element
    height: int
    print_width: int  # drawn this wide when printed,
    print_zoom: float  # then shrunk by this
    portrait: bool  # too tall for a landscape page

    @property
    def div_id(self) -> str:
        return f"chart-{self.number}"

    @property
    def data_id(self) -> str:
        return f"fig-{self.number}"


@dataclass
class SectionView:
    id: str
    title: str
    lead: str = ""
    notice: str = ""
    numbers: list[NumberView] = field(default_factory=list)
    charts: list[ChartView] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    subsections: list[SectionView] = field(default_factory=list)
    page_break: bool = True  # start a new page when printed

    @property
    def portrait(self) -> bool:
        """Printed on portrait pages: it holds a chart too tall for a landscape one."""
        return any(chart.portrait for chart in self.charts)


# --- render ---------------------------------------------------------------------------------------------


def render(report: Report, options: RenderOptions) -> bytes:
    """The report as one HTML page (UTF-8)."""
    del options  # no choice applies to the HTML report (a deck template is the deck's)
    charts = _ChartNumbers()
    sections = sections_of(report, charts)
    template = environment().get_template(TEMPLATE)
    page = template.render(
        report=report,
        subtitle=report.subtitle,
        generated=_generated_text(report.generated_at),
        snapshot=snapshot_label(report.snapshot),
        compare=snapshot_label(report.compare) if report.compare else None,
        sections=sections,
        charts=charts.made,
        plotly_js=plotly_js(),
        print_width=PRINT_WIDTH,
        full_tables=FULL_TABLES,
    )
    return page.encode("utf-8")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["csp_hash"] = csp_hash
    return env


@cache
def plotly_js() -> str:
    """plotly.js as the page embeds it (line ends as the HTML parser leaves them, so its hash holds)."""
    from plotly.offline import get_plotlyjs

    text = get_plotlyjs().replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"</script", text, re.IGNORECASE):  # would end the element early
        raise AssertionError("plotly.js holds '</script': it cannot be embedded inline")
    return text


def csp_hash(script: object) -> markupsafe.Markup:
    """`'sha256-…'`: a Content-Security-Policy source allowing exactly this inline script."""
    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    return markupsafe.Markup(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")


def figure_json(fig: go.Figure) -> str:
    """The figure's JSON (data and layout) with `<`, `>` and `&` escaped as JSON unicode escapes:
    the same value to `JSON.parse`, and no `</script>` or `<!--` can appear in the text. Those three
    characters only ever occur inside JSON strings, so replacing them keeps the JSON valid."""
    text = pio.to_json(fig, validate=False, pretty=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def safe_href(url: object) -> str | None:
    """The URL when a link may be made from it (http or https, nothing before the scheme, no
    whitespace or control character); None otherwise (`javascript:`, `data:`, relative)."""
    if not isinstance(url, str) or not url.lower().startswith(LINK_SCHEMES):
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    host = url.split("://", 1)[1].split("/", 1)[0]
    return url if host else None


# --- sections ----------------------------------------------------------------------------------------------


class _ChartNumbers:
    """Numbers the charts in page order and keeps them for the template's data blocks."""

    def __init__(self) -> None:
        self.made: list[ChartView] = []

    def __call__(self, title: str, fig: go.Figure) -> ChartView:
        fig.update_layout(template=pio.templates[CHART_TEMPLATE])
        height = int(fig.layout.height or 450)
        width, zoom, portrait = PRINT_WIDTH, 1.0, height > LANDSCAPE_CHART_HEIGHT
        if portrait:
            zoom = max(PRINT_MIN_ZOOM, min(1.0, PORTRAIT_CHART_HEIGHT / height))
            width = min(PRINT_WIDTH, round(PORTRAIT_CHART_WIDTH / zoom))
        chart = ChartView(len(self.made) + 1, title, figure_json(fig), height, width, round(zoom, 3), portrait)
        self.made.append(chart)
        return chart


def sections_of(report: Report, chart: Callable[[str, go.Figure], ChartView]) -> list[SectionView]:
    """The page's sections in the meeting's order."""
    sections = [headline_section(report)]
    sections += compliance_sections(report, chart)
    sections += [
        drift_section(report, chart),
        fragmentation_section(report, chart),
        build_section(report, chart),
        changes_section(report),
        waivers_section(report),
        review_section(report),
    ]
    if report.judged:
        sections.append(standards_section(report))
    sections.append(teams_section(report))
    sections[0].page_break = False
    return sections


def headline_section(report: Report) -> SectionView:
    section = report.section("headline")
    assert section is not None, "every agenda has a headline"
    # without standards only the first number, the active repositories, means anything (shares
    # are unknown, findings and levels none)
    numbers = [number_view(n) for n in (section.numbers if report.judged else section.numbers[:1])]
    lead = section.summary
    if report.compare is None:
        lead += " · no snapshot to compare with"
    return SectionView("headline", "Headline", lead=lead, numbers=numbers, page_break=False)


def compliance_sections(report: Report, chart: Callable[[str, go.Figure], ChartView]) -> list[SectionView]:
    if not report.judged:
        return [SectionView("compliance", "Compliance by team", notice=NO_STANDARDS)]
    frame = report.team_compliance
    table = table_view(
        "Findings per team",
        frame,
        [("Team", "team"), ("Passing", "share_passing", "share"), ("Waived", "share_waived", "share"),
         ("Pass", "pass"), ("Fail", "fail"), ("Waived findings", "waived"), ("Error", "error"),
         ("Applicable", "applicable")],
        limit=None,
        empty="No team has an active repository.",
    )  # fmt: skip
    by_team = SectionView(
        "compliance",
        "Compliance by team",
        lead="Share of each team's applicable findings that pass; waived is not passing.",
        charts=[chart("Compliance by team", compliance_charts.compliance_by_team(frame))],
        tables=[table],
    )
    heatmap = SectionView(
        "team-standard",
        "Team × standard",
        lead="Share passing per team and standard; a flagged cell has waived findings (their share under it).",
        charts=[chart("Share passing per team and standard", compliance_charts.team_standard_heatmap(report.team_standard))],
    )  # fmt: skip
    return [by_team, heatmap]


def drift_section(report: Report, chart: Callable[[str, go.Figure], ChartView]) -> SectionView:
    summary = report.drift_summary
    judged = summary[summary["target"].notna()] if "target" in summary else summary.iloc[0:0]
    if report.judged:
        nothing = "No standard sets a version target for anything in use."
    else:
        nothing = "No standards file was given, so there are no version targets."
    table = table_view(
        "Furthest from target (the whole organisation)",
        judged,
        [("Technology or runtime", "item", "item"), ("Teams", "teams"), ("Repositories", "repos"),
         ("Target", "target"), ("On target", "on_target"), ("Share on target", "share_on_target", "share"),
         ("Majors behind", "majors_behind_max"), ("Minors behind", "minors_behind_max"),
         ("Versions in use", "versions_in_use")],
        limit=ROWS_SHOWN,
        empty=nothing,
    )  # fmt: skip
    untargeted = len(summary) - len(judged)
    lead = "Share of each team's repositories on the version its standards ask for."
    if untargeted:
        lead += f" {untargeted:,} technologies or runtimes in use have no target."
    return SectionView(
        "drift",
        "Version drift",
        lead=lead,
        charts=[chart("Version drift", version_charts.drift_matrix(report.drift))],
        tables=[table],
    )


def fragmentation_section(report: Report, chart: Callable[[str, go.Figure], ChartView]) -> SectionView:
    frame = report.fragmentation
    org = frame[frame["team"].astype(str) == ORGANISATION].sort_values("category") if len(frame) else frame
    table = table_view(
        "Categories, most fragmented first (the whole organisation)",
        org,
        [("Category", "category"), ("Effective choices", "effective_choices", "decimal"),
         ("Technologies", "technologies"), ("Repositories", "repos"), ("Most used", "top_technology"),
         ("Its share", "top_share", "share")],
        limit=None,
        empty="No technology in use.",
    )  # fmt: skip
    return SectionView(
        "fragmentation",
        "Fragmentation",
        lead="How many ways each kind of thing is done: the effective number of choices (1 is one choice for all).",
        charts=[chart("Fragmentation", technology_charts.fragmentation_heatmap(frame))],
        tables=[table],
    )


def build_section(report: Report, chart: Callable[[str, go.Figure], ChartView]) -> SectionView:
    build = report.build
    repos = build.repos
    table = table_view(
        "Repositories, red first",
        repos,
        [("Repository", "repo"), ("Team", "team"), ("State", "state"), ("Reason", "reason", "prose"),
         ("Success rate", "success_rate", "share"), ("Days since green", "days_since_green"),
         ("Failing checks", "failing_checks")],
        limit=ROWS_SHOWN,
        empty="No repositories in this snapshot.",
    )  # fmt: skip
    return SectionView(
        "build",
        "Build health",
        lead=f"Default-branch builds: {build.collected:,} of {len(repos):,} repositories have build health collected.",
        charts=[chart("Build health", build_charts.build_states_per_team(build.states))],
        tables=[table],
    )


def changes_section(report: Report) -> SectionView:
    title = "Changes since " + (f"snapshot #{report.compare.id}" if report.compare else "the compared snapshot")
    section = SectionView("changes", title)
    if not report.agenda.compared:
        if report.compare is None:
            section.notice = "There is no earlier snapshot to compare with, so there are no changes to show."
        else:
            section.notice = (
                f"Compared with {snapshot_label(report.compare)}, but changes are judged against a standards "
                "file and none was given."
            )
        return section
    if report.compare is not None:
        section.lead = f"Compared with {snapshot_label(report.compare)}."
    for key in ("improved", "regressed", "technologies", "repositories"):
        part = report.section(key)
        if part is not None:
            section.subsections.append(agenda_view(part, f"changes-{key}", page_break=False))
    return section


def waivers_section(report: Report) -> SectionView:
    part = report.section("waivers")
    if not report.judged or part is None:
        return SectionView("waivers", "Waivers", notice=NO_STANDARDS)
    return agenda_view(part, "waivers")


def review_section(report: Report) -> SectionView:
    part = report.section("review")
    if not report.judged or part is None:
        return SectionView("review", "Standards due for review", notice=NO_STANDARDS)
    return agenda_view(part, "review")


def standards_section(report: Report) -> SectionView:
    frame = report.standards_table
    # two short facts to a cell, one a line, so twelve columns fit a page: title and id (the
    # heatmap's columns are ids), level and severity
    frame = frame.assign(
        _standard=[[title, sid] for title, sid in zip(frame["title"], frame["id"], strict=True)],
        _level=[[level, severity] for level, severity in zip(frame["level"], frame["severity"], strict=True)],
    )
    table = table_view(
        "Standards",
        frame,
        [("Standard and id", "_standard", "lines"), ("Level and severity", "_level", "lines"), ("Rule", "rule"),
         ("Applies to", "applies_to"), ("Owner", "owner"), ("Review by", "review_by"),
         ("Passing", "share_passing", "share"), ("Failing repositories", "failing_repos"),
         ("Rationale", "rationale", "prose"), ("Links", "links", "links")],
        limit=None,
        empty="The standards file has no standards.",
    )  # fmt: skip
    return SectionView("standards", "The standards", lead=f"As written in {report.standards_path}.", tables=[table])


def teams_section(report: Report) -> SectionView:
    section = SectionView("teams", "Teams", lead=f"{len(report.teams):,} teams with an active repository.")
    section.subsections = [team_view(report, n, appendix) for n, appendix in enumerate(report.teams, start=1)]
    if section.subsections:  # the first team starts on the Teams heading's page
        section.subsections[0].page_break = False
    if not report.teams:
        section.notice = "No team has an active repository."
    return section


def team_view(report: Report, number: int, appendix: TeamAppendix) -> SectionView:
    head = appendix.headline
    numbers = [NumberView("Active repositories", f"{head.repositories:,}"),
               NumberView("Archived", f"{head.archived:,}")]  # fmt: skip
    tables = []
    if report.judged:
        share = MISSING if is_missing(head.share_passing) else f"{head.share_passing:.0%}"
        numbers += [
            NumberView("Findings passing", share, help=f"of {head.applicable:,} applicable"),
            NumberView("Failing", f"{head.failing:,}"),
            NumberView("Waived", f"{head.waived:,}"),
            NumberView("Errors", f"{head.errors:,}"),
        ]
        levels = " · ".join(f"{count:,} {level}" for level, count in reversed(head.levels.items()))
        numbers.append(NumberView("Levels (active repositories)", levels, wide=True))
        tables.append(
            table_view(
                "Findings, worst first",
                appendix.findings,
                [("Repository", "repo"), ("Standard", "title"), ("Severity", "severity"), ("Status", "status"),
                 ("Detail", "detail", "prose"), ("Evidence", "evidence"), ("Waiver reason", "waiver_reason", "prose"),
                 ("Waiver expires", "waiver_expires")],
                limit=TEAM_ROWS_SHOWN,
                empty="No findings: every applicable standard passes.",
            )
        )  # fmt: skip
    columns: list[tuple[str, ...]] = [("Repository", "repo"), ("Main language", "main_language")]
    if report.judged:
        columns += [("Level", "level"), ("Passing", "share_passing", "share"), ("Failing", "failing"),
                    ("Waived", "waived"), ("Errors", "errors")]  # fmt: skip
    columns += [("Build", "build"), ("Archived", "archived"), ("Last push", "pushed_at", "day"), ("Link", "url", "url")]
    tables.append(table_view("Repositories", appendix.repos, columns, limit=TEAM_ROWS_SHOWN, empty="No repositories."))
    return SectionView(f"team-{number}", f"Team {appendix.team}", numbers=numbers, tables=tables)


def agenda_view(section: agenda_.Section, anchor: str, *, page_break: bool = True) -> SectionView:
    """An agenda section as the meeting shows it: its numbers with deltas, then its tables."""
    return SectionView(
        anchor,
        section.title,
        lead=section.summary,
        numbers=[number_view(n) for n in section.numbers],
        tables=[
            # a table named like its section (Standards due for review) goes without a second heading
            table_view(
                "" if t.title == section.title else t.title,
                t.frame,
                [(str(c), c) for c in t.frame.columns],
                limit=ROWS_SHOWN,
                empty=t.empty,
            )
            for t in section.tables
        ],
        page_break=page_break,
    )


def number_view(number: agenda_.Number) -> NumberView:
    delta = number.delta_text()
    trend, arrow, verdict = "flat", "", ""
    if delta is not None and number.delta and not delta.startswith("±"):
        rising = number.delta > 0
        arrow = "▲" if rising else "▼"
        if number.better == "neither":
            trend = "changed"
        else:
            good = rising == (number.better == "higher")
            trend, verdict = ("good", "better") if good else ("bad", "worse")
    return NumberView(number.label, number.text(), delta, trend, arrow, verdict, number.help)


# --- tables -------------------------------------------------------------------------------------------------


def table_view(
    title: str, frame: pd.DataFrame, columns: Sequence[tuple[str, ...]], *, limit: int | None, empty: str
) -> TableView:
    """`columns` as (label, column) or (label, column, kind); kinds: text (the default), share,
    decimal, day, prose (long text), url (linked when http), links (a list of URLs), lines (a
    list of texts, one a line), item (a drift row). Columns the frame lacks are left out."""
    present = [(c[0], c[1], c[2] if len(c) > 2 else "") for c in columns if c[1] in frame.columns]
    shown = frame if limit is None else frame.head(limit)
    by_column = [[_cell(value, kind) for value in shown[column].tolist()] for _, column, kind in present]
    rows = tuple(tuple(row) for row in zip(*by_column, strict=True)) if by_column else ()
    headers = tuple((label, _column_css(frame[column], kind)) for label, column, kind in present)
    return TableView(title, headers, rows, len(frame), empty)


def _column_css(column: pd.Series, kind: str) -> str:
    if kind in ("share", "decimal") or (
        pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype)
    ):
        return "num"
    return {"url": "url", "links": "url", "prose": "prose"}.get(kind, "")


def _cell(value: Any, kind: str) -> Cell:
    if kind == "url":
        return Cell((Part(MISSING if is_missing(value) else str(value), safe_href(value)),), "url")
    if kind in ("links", "lines"):
        items = list(value) if isinstance(value, Iterable) and not isinstance(value, str) else [value]
        items = [v for v in items if not is_missing(v)]
        if kind == "lines":
            lines = [str(v) for v in items] or [MISSING]
            return Cell(tuple(Part(line) for line in lines), _long(" ".join(lines)))
        return Cell(tuple(Part(str(v), safe_href(v)) for v in items) or (Part(MISSING),), "url")
    text = version_charts.row_label(value) if kind == "item" and isinstance(value, str) else cell_text(value, kind)
    numeric = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)
    css = "num" if numeric or kind in ("share", "decimal") else "prose" if kind == "prose" else ""
    if css != "num":
        css = f"{css} {_long(text)}".strip()
    return Cell((Part(text),), css)


def _long(text: str) -> str:
    """`long` for a text with a word too long for a column (it may break inside a word, or the
    table would run off the page); "" otherwise."""
    return "long" if any(len(word) > LONG_WORD for word in text.split()) else ""


def cell_text(value: Any, kind: str = "") -> str:
    """`reports.cells.cell_text`, timestamps with their time of day (kind day: the day only)."""
    return cells.cell_text(value, kind, with_time=True)


def _generated_text(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso
