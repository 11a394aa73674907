"""The Markdown summary (`reports/markdown.py`), read back by a real CommonMark parser with GFM
tables (markdown-it-py): every table keeps its shape, every text stays text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reports import markdown
from reports.formats import FORMATS
from standards import agenda as agenda_
from standards.report import Report, report_from_store
from store import open_store
from tests.report_data import HOSTILE, JS_URL, PIPE_REPO, SCRIPT_TEAM, TITLE, TODAY, write_hostile_database

#: Tokens that would make a text something other than text.
MARKUP = {"html_inline", "html_block", "link_open", "image", "code_inline", "em_open", "strong_open", "s_open"}


def parser() -> MarkdownIt:
    return MarkdownIt().enable("table")


@dataclass
class Table:
    lines: tuple[int, int]  # the source lines it spans, [start, end)
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def cell_text(inline: Token) -> str:
    """What a reader sees in a cell: its text, with every escape and entity decoded."""
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "text_special"))


def parse(text: str) -> tuple[list[Token], list[Table]]:
    tokens = parser().parse(text)
    tables: list[Table] = []
    row: list[str] | None = None
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            assert token.map is not None
            tables.append(Table((token.map[0], token.map[1]), []))
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            assert row is not None
            row.append(cell_text(tokens[i + 1]))
        elif token.type == "tr_close":
            assert row is not None
            if tables[-1].header:
                tables[-1].rows.append(row)
            else:
                tables[-1].header = row
    return tokens, tables


def every_token(tokens: list[Token]) -> list[Token]:
    return [t for token in tokens for t in (token, *(token.children or []))]


def section_of(tokens: list[Token], heading: str) -> list[Token]:
    """The tokens under the second-level heading `heading`, up to the next one."""
    start = next(
        i for i, t in enumerate(tokens) if t.type == "inline" and t.content == heading and tokens[i - 1].tag == "h2"
    )
    end = next((i for i in range(start + 2, len(tokens)) if tokens[i].type == "heading_open" and tokens[i].tag == "h2"), len(tokens))  # fmt: skip
    return tokens[start + 2 : end]


def paragraphs(tokens: list[Token]) -> list[str]:
    return [cell_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open"]


@pytest.fixture(scope="module")
def demo_md(demo_report: Report) -> str:
    return FORMATS["md"].render(demo_report).decode("utf-8")


@pytest.fixture(scope="module")
def hostile_md(hostile_report: Report) -> str:
    return FORMATS["md"].render(hostile_report).decode("utf-8")


@pytest.fixture(scope="module")
def hostile_facts_md(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The hostile organisation without standards: its teams table lists every repository."""
    url, _ = write_hostile_database(tmp_path_factory.mktemp("hostile-facts"))
    return FORMATS["md"].render(report_from_store(open_store(url, create=False), today=TODAY)).decode("utf-8")


@pytest.mark.parametrize("which", ["demo_md", "hostile_md", "hostile_facts_md"])
def test_every_table_row_has_the_headers_cells_and_one_line(request: pytest.FixtureRequest, which: str) -> None:
    text: str = request.getfixturevalue(which)
    tokens, tables = parse(text)
    assert tables
    lines = text.splitlines()
    for table in tables:
        assert all(len(row) == len(table.header) for row in table.rows), table.header
        # the parser pads a short row: count the source's cells too (unescaped pipes, less the edges)
        source = lines[table.lines[0] : table.lines[1]]
        assert len(source) == len(table.rows) + 2, table.header
        for line in source:
            assert len(re.findall(r"(?<!\\)(?:\\\\)*\|", line)) == len(table.header) + 1, line
    # each row's cells and counts sit in the right columns: a tr per row, nothing stray
    trs = sum(1 for t in tokens if t.type == "tr_open")
    assert trs == sum(len(t.rows) + 1 for t in tables)


def test_the_summary_has_the_meetings_sections_in_order(demo_report: Report, demo_md: str) -> None:
    tokens, _ = parse(demo_md)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings == ["Headline", "Compliance by team", "Version drift", "Fragmentation", "Build health",
                        f"Changes since snapshot #{demo_report.compare.id}", "Waivers", "Standards due for review",
                        "Teams"]  # fmt: skip
    assert tokens[1].content == demo_report.title and paragraphs(tokens)[0] == demo_report.subtitle


def test_the_headline_gives_each_number_with_its_change(demo_report: Report, demo_md: str) -> None:
    _, tables = parse(demo_md)
    headline = demo_report.section("headline")
    assert headline is not None
    table = next(t for t in tables if t.header == ["Number", "Value", "Change"])
    assert table.rows == [[n.label, n.text(), n.delta_text() or markdown.MISSING] for n in headline.numbers]
    assert any(row[0] == "Findings passing" and row[2].endswith(" pts") for row in table.rows)


def test_compliance_lists_every_team_with_its_share(demo_report: Report, demo_md: str) -> None:
    _, tables = parse(demo_md)
    table = next(t for t in tables if t.header[:2] == ["Team", "Passing"])
    frame = demo_report.team_compliance
    assert [r[0] for r in table.rows] == list(frame["team"])
    assert [r[1] for r in table.rows] == [f"{v:.0%}" for v in frame["share_passing"]]


def test_an_agenda_table_shows_its_first_rows_and_says_how_many_more(demo_report: Report, demo_md: str) -> None:
    section = demo_report.section("technologies")
    assert section is not None
    frame = section.tables[0].frame
    assert len(frame) > agenda_.ROWS_SHOWN, "the demo takes up more technologies than a slide lists"
    tokens, tables = parse(demo_md)
    table = next(t for t in tables if t.header == list(frame.columns))
    assert [r[0] for r in table.rows] == list(frame["Technology"].head(agenda_.ROWS_SHOWN))
    assert f"And {len(frame) - agenda_.ROWS_SHOWN} more." in paragraphs(tokens)


def test_the_facts_only_summary_says_there_is_no_standards_file_where_compliance_would_be(
    facts_only_report: Report,
) -> None:
    tokens, tables = parse(FORMATS["md"].render(facts_only_report).decode("utf-8"))
    for heading in ("Compliance by team", "Waivers", "Standards due for review"):
        assert paragraphs(section_of(tokens, heading))[0].startswith("No standards file was given"), heading
    assert not any(t.header[:2] == ["Team", "Passing"] for t in tables)
    teams = next(t for t in tables if t.header[0] == "Team" and "Repositories" in t.header)
    assert [r[0] for r in teams.rows] == [a.team for a in facts_only_report.teams]


def test_hostile_text_never_becomes_html_a_link_or_emphasis(hostile_md: str, hostile_facts_md: str) -> None:
    for text in (hostile_md, hostile_facts_md):
        tokens, tables = parse(text)
        kinds = {t.type for t in every_token(tokens)}
        assert not kinds & MARKUP, kinds & MARKUP
        assert not any("javascript:" in (t.attrs.get("href") or "") for t in every_token(tokens) if t.attrs)
        assert "<script" not in text and "<img" not in text and "<b " not in text
        assert "](javascript" not in text
    _, tables = parse(hostile_md)
    cells = {cell for table in tables for row in table.rows for cell in row}
    assert {SCRIPT_TEAM, TITLE, "plain|team"} <= cells  # shown as the text it is


def test_the_pipes_and_newlines_repository_stays_in_one_cell(hostile_facts_md: str) -> None:
    _, tables = parse(hostile_facts_md)
    teams = next(t for t in tables if t.header == ["Team", "Active repositories", "Archived", "Repositories"])
    row = next(r for r in teams.rows if r[0] == "plain|team")
    assert row == ["plain|team", "1", "0", PIPE_REPO.replace("\n", " ")]


@pytest.mark.parametrize("text", HOSTILE)
def test_each_hostile_text_reads_back_as_itself_in_a_cell_and_in_a_line(text: str) -> None:
    shown = markdown._BREAKS.sub(" ", text).strip()
    tokens, tables = parse(markdown.table(["a", "b"], [[text, "end"]]))
    assert tables[0].rows == [[shown, "end"]]
    tokens = parser().parse(f"- {markdown.inline(text)}\n\n{markdown.inline(text)}\n")
    assert not {t.type for t in every_token(tokens)} & MARKUP
    assert paragraphs(tokens) == [shown, shown]


def test_a_javascript_link_written_in_markdown_stays_text() -> None:
    for text in (f"[x]({JS_URL})", f"<{JS_URL}>", f"![x]({JS_URL})", "[x]: javascript:alert(1)\n\n[x]"):
        tokens = parser().parse(markdown.inline(text) + "\n")
        assert not {t.type for t in every_token(tokens)} & MARKUP, text
        assert paragraphs(tokens) == [markdown._BREAKS.sub(" ", text).strip()]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a|b", r"a\|b"),
        ("back\\slash", r"back\\slash"),
        ("line\nbreak\r\nand\ttab", "line break  and tab"),
        ("<b>&amp;</b>", "&lt;b>&amp;amp;&lt;/b>"),
        ("*em* _em_ `code` ~s~ $x$", r"\*em\* \_em\_ \`code\` \~s\~ \$x\$"),
        ("[x](y)", r"\[x\](y)"),
        (">=3.2", ">=3.2"),
    ],
)
def test_escape_keeps_a_text_inert_and_readable(text: str, escaped: str) -> None:
    assert markdown.escape(text) == escaped


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("# not a heading", r"\# not a heading"), ("- not a list", r"\- not a list"), ("+ x", r"\+ x"),
     ("1. not ordered", r"1\. not ordered"), ("12) no", r"12\) no"), ("> not a quote", r"\> not a quote"),
     ("=====", r"\====="), ("  padded  ", "padded"), ("a - b", "a - b")],
)  # fmt: skip
def test_inline_also_escapes_what_would_open_a_block(text: str, escaped: str) -> None:
    assert markdown.inline(text) == escaped


@given(cells=st.lists(st.text(), min_size=1, max_size=4))
def test_no_text_breaks_a_tables_shape(cells: list[str]) -> None:
    header = [f"h{i}" for i in range(len(cells) + 1)]
    _, tables = parse(
        "before\n\n" + markdown.table(header, [[*cells, "end"], ["x"] * len(cells) + ["end"]]) + "after\n"
    )
    assert len(tables) == 1
    expected = [markdown._BREAKS.sub(" ", c).strip() for c in cells]
    assert [[c.strip() for c in row] for row in tables[0].rows] == [[*expected, "end"], ["x"] * len(cells) + ["end"]]


@given(text=st.text())
def test_no_text_becomes_markup_in_a_line(text: str) -> None:
    tokens = parser().parse(f"{markdown.inline(text)}\n\nafter\n")
    assert not {t.type for t in every_token(tokens)} & MARKUP
    shown = markdown._BREAKS.sub(" ", text).strip()
    assert [p.strip() for p in paragraphs(tokens)] == ([shown] if shown else []) + ["after"]


def test_the_summary_is_utf8_text_starting_with_its_title(demo_report: Report) -> None:
    data = FORMATS["md"].render(demo_report)
    assert data.decode("utf-8").startswith(f"# {demo_report.title}\n")
