"""The HTML report (`reports/html_report.py`) and the PDF printed from it (`reports/pdf.py`).

Each page is read back by real parsers (lxml, and the standard library's tokenizer for the
scripts); the browser tests open the file in Debian's headless Chromium with every request that
is not `file://` aborted and recorded; the PDF is Chromium's, checked with poppler. Screenshots and
page images go to `tests/artifacts/html/` to look at.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from reports import html_report, pdf
from reports.charts import build, compliance, technologies, versions
from reports.formats import FORMATS, RenderOptions, ReportError
from standards.report import Report
from tests.report_data import HOSTILE, JS_URL, PIPE_REPO, SCRIPT_TEAM, TOPIC

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "html"
#: The report's sections (h2) in the meeting's order, after the Contents.
JUDGED_SECTIONS = ["Headline", "Compliance by team", "Team × standard", "Version drift", "Fragmentation",
                   "Build health", "Changes since snapshot #{compare}", "Waivers", "Standards due for review",
                   "The standards", "Teams"]  # fmt: skip
#: Which builder draws the chart in which section, from which frame of the report.
CHARTS = {
    "compliance": lambda r: compliance.compliance_by_team(r.team_compliance),
    "team-standard": lambda r: compliance.team_standard_heatmap(r.team_standard),
    "drift": lambda r: versions.drift_matrix(r.drift),
    "fragmentation": lambda r: technologies.fragmentation_heatmap(r.fragmentation),
    "build": lambda r: build.build_states_per_team(r.build.states),
}
#: Markup from the hostile texts that must never reach the page as markup.
RAW_MARKUP = (b"<script>alert", b"<img src=x", b"<svg onload", b"<b onmouseover", b"</script><script>")


def needs_chromium() -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; .ci/run installs it", pytrace=False)
        pytest.skip("needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def demo_html(demo_report: Report) -> bytes:
    return FORMATS["html"].render(demo_report)


@pytest.fixture(scope="module")
def hostile_html(hostile_report: Report) -> bytes:
    return html_report.render(hostile_report, RenderOptions())


@pytest.fixture(scope="module")
def facts_html(facts_only_report: Report) -> bytes:
    return html_report.render(facts_only_report, RenderOptions())


def parse(page: bytes) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def visible_text(doc: lxml.html.HtmlElement) -> str:
    """The body's text as a reader sees it: no script or style contents."""
    body = doc.body
    return "".join(
        text
        for el in body.iter()
        for text in (el.text if el.tag not in ("script", "style") else None, el.tail)
        if isinstance(el.tag, str) and text
    )


def scripts(doc: lxml.html.HtmlElement) -> tuple[list[lxml.html.HtmlElement], list[lxml.html.HtmlElement]]:
    """(classic scripts, JSON data blocks)."""
    every = doc.xpath("//script")
    data = [s for s in every if s.get("type") == "application/json"]
    return [s for s in every if s not in data], data


def chart_block(doc: lxml.html.HtmlElement, section: str) -> dict:
    """The figure drawn in a section: its chart div names its data block."""
    (div,) = doc.xpath(f"//section[@id='{section}']/figure/div[contains(@class, 'chart')]")
    (block,) = doc.xpath(f"//script[@id='{div.get('data-figure')}']")
    return json.loads(block.text)


def table_after(doc: lxml.html.HtmlElement, section: str, title: str) -> lxml.html.HtmlElement:
    """The table block whose heading starts with `title` in a section."""
    for block in doc.xpath(f"//section[@id='{section}']//div[@class='table-block']"):
        if block[0].text_content().startswith(title):
            return block
    raise AssertionError(f"no table {title!r} in #{section}")


class ScriptCounter(HTMLParser):
    """The standard library's tokenizer: script start tags and their type, as a second parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs).get("type"))


# --- the demo report --------------------------------------------------------------------------------------


def test_the_demo_report_embeds_plotly_js_once_and_one_data_block_per_chart(demo_html: bytes) -> None:
    doc = parse(demo_html)
    classic, data = scripts(doc)
    assert len(classic) == 2
    assert classic[0].text == html_report.plotly_js()
    assert "Plotly.newPlot" in classic[1].text and len(classic[1].text) < 3000  # the loader, ours
    assert demo_html.count(b"* plotly.js v") == 1
    charts = doc.xpath("//div[contains(@class, 'chart') and @data-figure]")
    assert (
        [c.get("data-figure") for c in charts]
        == [b.get("id") for b in data]
        == ["fig-1", "fig-2", "fig-3", "fig-4", "fig-5"]
    )
    for block in data:
        figure = json.loads(block.text)
        assert set(figure) >= {"data", "layout"}
    # the page asks for nothing from elsewhere: no src, no stylesheet, links only to repositories
    assert doc.xpath("//*[@src]") == [] and doc.xpath("//link") == []
    assert b"https://cdn" not in demo_html.replace(html_report.plotly_js().encode(), b"")


def test_each_chart_is_the_figure_its_builder_draws_from_the_reports_frame(
    demo_report: Report, demo_html: bytes
) -> None:
    doc = parse(demo_html)
    for section, builder in CHARTS.items():
        expected = json.loads(pio.to_json(builder(demo_report), validate=False))
        drawn = chart_block(doc, section)
        assert drawn["data"] == expected["data"], section
        assert drawn["layout"]["title"] == expected["layout"]["title"]
    bars = chart_block(doc, "compliance")["data"]
    assert set(bars[0]["y"]) == set(demo_report.team_compliance["team"])  # one bar per team


def test_charts_are_drawn_with_the_reports_template_whatever_the_default(
    hostile_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Streamlit, imported by the dashboard that also offers this report, makes its own template
    # the default: one whose colours are placeholders only its front end fills in
    pio.templates["placeholder"] = go.layout.Template(layout={"colorway": ["#000001"]})
    try:
        monkeypatch.setattr(pio.templates, "default", "placeholder")
        doc = parse(html_report.render(hostile_report, RenderOptions()))
    finally:
        monkeypatch.undo()
        del pio.templates["placeholder"]
    ours = list(pio.templates[html_report.CHART_TEMPLATE].layout.colorway)
    _, data = scripts(doc)
    assert data and all(json.loads(b.text)["layout"]["template"]["layout"]["colorway"] == ours for b in data)
    assert all("#000001" not in b.text for b in data)


def test_sections_come_in_the_meetings_order_with_a_contents_list_linking_each(
    demo_report: Report, demo_html: bytes
) -> None:
    doc = parse(demo_html)
    headings = [h.text_content() for h in doc.xpath("//h2")]
    assert demo_report.compare is not None
    assert headings == ["Contents", *(t.format(compare=demo_report.compare.id) for t in JUDGED_SECTIONS)]
    teams = [h.text_content() for h in doc.xpath("//section[@id='teams']/section/h3")]
    assert teams == [f"Team {t.team}" for t in demo_report.teams] and len(teams) == 5
    targets = [a.get("href") for a in doc.xpath("//nav[@class='contents']//a")]
    assert len(targets) == len(headings) - 1 + 4 + len(teams)  # sections, changes' four parts, teams
    for target in targets:
        assert target.startswith("#") and len(doc.xpath(f"//*[@id='{target[1:]}']")) == 1
    text = visible_text(doc)
    assert demo_report.subtitle in text and demo_report.standards_path in text
    assert demo_report.generated_at[:10] in text


def test_the_headline_shows_each_number_with_its_change(demo_report: Report, demo_html: bytes) -> None:
    doc = parse(demo_html)
    cards = doc.xpath("//section[@id='headline']//div[contains(concat(' ', @class, ' '), ' number ')]")
    numbers = demo_report.section("headline").numbers
    assert [c.xpath("div[@class='value']")[0].text for c in cards] == [n.text() for n in numbers]
    for card, number in zip(cards, numbers, strict=True):
        delta = card.xpath("div[@class='delta']")
        assert number.delta_text() in delta[0].text_content()
        if number.better != "neither" and number.delta:  # a change is told by word, not colour alone
            good = (number.delta > 0) == (number.better == "higher")
            assert ("better" if good else "worse") in delta[0].text_content()


def test_a_long_table_shows_its_first_rows_and_says_how_many_more(demo_report: Report, demo_html: bytes) -> None:
    repos = len(demo_report.build.repos)
    assert repos > html_report.ROWS_SHOWN  # the demo has more repositories than a table shows
    block = table_after(parse(demo_html), "build", "Repositories, red first")
    assert len(block.xpath(".//tbody/tr")) == html_report.ROWS_SHOWN
    assert f"+{repos - html_report.ROWS_SHOWN} more" in block.xpath(".//p[@class='more']")[0].text
    assert block.xpath(".//thead/tr/th")[0].text == "Repository"


def test_each_team_section_lists_its_findings_and_repositories(demo_report: Report, demo_html: bytes) -> None:
    doc = parse(demo_html)
    for number, appendix in enumerate(demo_report.teams, start=1):
        repos = table_after(doc, f"team-{number}", "Repositories")
        names = [tr.xpath("td")[0].text for tr in repos.xpath(".//tbody/tr")]
        assert names == appendix.repos["repo"].head(html_report.TEAM_ROWS_SHOWN).tolist()
        findings = table_after(doc, f"team-{number}", "Findings")
        assert len(findings.xpath(".//tbody/tr")) == min(len(appendix.findings), html_report.TEAM_ROWS_SHOWN)


def test_the_facts_only_report_says_there_is_no_standards_file(facts_only_report: Report, facts_html: bytes) -> None:
    doc = parse(facts_html)
    notice = doc.xpath("//section[@id='compliance']/p[@class='notice']")[0].text
    assert "No standards file" in notice
    assert doc.xpath("//section[@id='team-standard']") == [] and doc.xpath("//section[@id='standards']") == []
    assert "none: facts only" in visible_text(doc)
    assert doc.xpath("//section[starts-with(@id, 'team-')]//h4[starts-with(., 'Findings')]") == []
    assert len(doc.xpath("//section[starts-with(@id, 'team-')]")) == len(facts_only_report.teams)
    _, data = scripts(doc)
    assert [b.get("id") for b in data] == ["fig-1", "fig-2", "fig-3"]  # drift, fragmentation, build


# --- hostile text ---------------------------------------------------------------------------------------------


def test_hostile_text_is_shown_as_text_and_never_becomes_markup(hostile_html: bytes) -> None:
    doc = parse(hostile_html)
    text = visible_text(doc)
    # every hostile text the report carries is on the page, as text (a repository's topics are not
    # among the report's frames, so TOPIC is not shown at all)
    for hostile in HOSTILE:
        if hostile != TOPIC:
            assert hostile in text, hostile
    for raw in RAW_MARKUP:
        assert raw not in hostile_html, raw
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            assert not re.sub(r"\s", "", value).lower().startswith(("javascript:", "data:", "vbscript:")), (name, value)


def test_the_only_scripts_are_plotly_our_loader_and_inert_data(hostile_html: bytes) -> None:
    doc = parse(hostile_html)
    classic, data = scripts(doc)
    assert classic[0].text == html_report.plotly_js() and "Plotly.newPlot" in classic[1].text
    assert len(classic) == 2
    assert [b.get("id") for b in data] == [f"fig-{n}" for n in range(1, len(data) + 1)]
    counter = ScriptCounter()
    counter.feed(hostile_html.decode("utf-8"))
    assert counter.scripts == ["application/json"] * len(data) + [None, None]
    # the Content-Security-Policy lets exactly those two scripts run, and nothing be fetched
    (policy,) = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    hashes = re.findall(r"'sha256-([^']+)'", policy)
    assert hashes == [base64.b64encode(hashlib.sha256(s.text.encode()).digest()).decode() for s in classic]
    assert "default-src 'none'" in policy and "unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    # a hostile team name is in the figures' data, escaped so it cannot end the block
    block = hostile_html.split(b'id="fig-1">', 1)[1].split(b"</script>", 1)[0]
    assert b"<" not in block and b">" not in block
    assert SCRIPT_TEAM in json.dumps(json.loads(block))  # the same text once parsed


def test_a_link_is_made_only_from_an_http_url(hostile_html: bytes) -> None:
    doc = parse(hostile_html)
    hrefs = [a.get("href") for a in doc.xpath("//a[@href]") if not a.get("href").startswith("#")]
    assert hrefs == ["https://github.example/acme/pipes"]
    cells = doc.xpath("//td[@class='url']")
    assert JS_URL in [c.text for c in cells]  # written out, not linked
    assert any(td.text == PIPE_REPO for td in doc.xpath("//td"))


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://github.com/acme/api", True),
        ("HTTP://github.example/acme", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" https://github.com/acme/api", False),  # browsers strip it; we do not link it
        ("https://github.com/acme/api\njavascript:x", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/x", False),
        ("https://", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_href_allows_http_and_https_only(url: object, linked: bool) -> None:
    assert html_report.safe_href(url) == (url if linked else None)


def test_figure_json_cannot_close_its_script_element() -> None:
    title = "</script><!-- <script>alert(1)</script> & more"
    fig = go.Figure(go.Bar(x=[1], y=[title]), layout={"title": {"text": title}})
    text = html_report.figure_json(fig)
    assert not set("<>&") & set(text)
    assert json.loads(text)["data"][0]["y"] == [title]
    assert json.loads(text) == json.loads(pio.to_json(fig, validate=False))


# --- in a browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    needs_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])  # fmt: skip
        try:
            yield chromium
        finally:
            chromium.close()


def open_offline(browser, path: Path) -> tuple[object, list[str], list[str]]:
    """The page loaded with every request that is not `file://` aborted; (page, requests
    attempted elsewhere, errors: page errors, console errors, CSP violations)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, device_scale_factor=1)
    elsewhere: list[str] = []
    errors: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            elsewhere.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda err: errors.append(f"page error: {err}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-charts='drawn']", timeout=60_000)
    return page, elsewhere, errors


@pytest.mark.slow
def test_the_report_loads_offline_and_draws_every_chart(browser, demo_html: bytes, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(demo_html)
    page, elsewhere, errors = open_offline(browser, path)
    try:
        drawn = page.eval_on_selector_all(
            "div.chart", "divs => divs.map(d => [d.id, d.querySelectorAll('.main-svg').length])"
        )
        assert [d for d in drawn if d[1] == 0] == [] and len(drawn) == 5
        assert elsewhere == [] and errors == []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "demo.png"), full_page=True)
        # printed, a chart is drawn at the width its page has room for, and no table runs off an
        # A4 landscape page (1,047 CSS pixels within its margins)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 1047, "height": 710})
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        widths = page.eval_on_selector_all("div.chart", "divs => divs.map(d => d._fullLayout.width)")
        wanted = page.eval_on_selector_all("div.chart", "divs => divs.map(d => Number(d.dataset.printWidth))")
        assert widths == wanted and html_report.PRINT_WIDTH in widths
        too_wide = page.eval_on_selector_all(
            "div.table-wrap",
            "ws => ws.filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.parentNode.textContent.slice(0, 40))",
        )
        assert too_wide == []
    finally:
        page.close()


@pytest.mark.slow
def test_hostile_text_runs_nothing_in_the_browser(browser, hostile_html: bytes, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_bytes(hostile_html)
    page, elsewhere, errors = open_offline(browser, path)
    try:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        box = page.locator("#chart-1").bounding_box()  # hover labels hold team names too
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.45)
        page.wait_for_timeout(300)
        live = page.evaluate(
            """() => ({
                scripts: document.scripts.length,
                handlers: [...document.querySelectorAll('*')].flatMap(el =>
                    [...el.attributes].filter(a => a.name.toLowerCase().startsWith('on')).map(a => el.tagName + ' ' + a.name)),
                images: document.querySelectorAll('img').length,
            })"""
        )
        charts = page.eval_on_selector_all("div.chart", "divs => divs.length")
        assert live == {"scripts": charts + 2, "handlers": [], "images": 0}
        assert dialogs == [] and elsewhere == [] and errors == []
        assert SCRIPT_TEAM in page.inner_text("#team-1-title")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)
    finally:
        page.close()


# --- PDF ----------------------------------------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    """Each page's size as pdfinfo prints it (`841.92 x 594.96 pts (A4)`)."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return re.findall(r"Page\s+\d+ size:\s+(.+)", out)


@pytest.mark.slow
def test_the_pdf_is_the_report_printed_on_a4_pages(demo_report: Report) -> None:
    needs_chromium()
    document = FORMATS["pdf"].render(demo_report)
    assert document.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "demo.pdf"
    path.write_bytes(document)
    if shutil.which("pdfinfo") is None:
        assert len(re.findall(rb"/Type\s*/Page\b", document)) > 1
        return
    sizes = pdf_pages(path)
    assert len(sizes) > 1
    assert sizes[0] == "841.92 x 594.96 pts (A4)"  # landscape
    assert "594.96 x 841.92 pts (A4)" in sizes  # the tall heatmaps' sections, portrait
    if shutil.which("pdftoppm"):  # page images to look at
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "6", str(path), str(ARTIFACTS / "page")],
                       check=True, timeout=120)  # fmt: skip


def test_without_chromium_the_pdf_names_the_package_to_install(
    hostile_report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no chromium on it
    monkeypatch.delenv(pdf.CHROMIUM_ENV, raising=False)
    with pytest.raises(ReportError) as err:
        pdf.render(hostile_report, RenderOptions())
    assert "Debian package `chromium`" in str(err.value) and "apt-get install chromium" in str(err.value)
    assert pdf.CHROMIUM_ENV in str(err.value)


def test_a_chromium_named_by_the_environment_must_exist(
    hostile_report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(tmp_path / "no-such-chrome"))
    with pytest.raises(ReportError, match=f"{pdf.CHROMIUM_ENV}=.*is not an executable file"):
        pdf.render(hostile_report, RenderOptions())


def test_a_failing_chromium_is_reported_with_its_error_output(
    hostile_report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'starting' >&2\necho 'Missing X server or $DISPLAY' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(broken))
    with pytest.raises(ReportError) as err:
        pdf.render(hostile_report, RenderOptions())
    assert "exit code 3" in str(err.value) and "Missing X server or $DISPLAY" in str(err.value)


def test_a_chromium_that_prints_nothing_is_an_error(tmp_path: Path) -> None:
    quiet = tmp_path / "chromium"
    quiet.write_text("#!/bin/sh\nexit 0\n")
    quiet.chmod(0o755)
    with pytest.raises(ReportError, match="did not print the report: it wrote no error output"):
        pdf.print_html(b"<!DOCTYPE html><p>x</p>", chromium=str(quiet))


def test_a_chromium_that_hangs_is_stopped(tmp_path: Path) -> None:
    slow = tmp_path / "chromium"
    slow.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")  # a helper process too, in its group
    slow.chmod(0o755)
    with pytest.raises(ReportError, match="did not finish printing the report within 1 s"):
        pdf.print_html(b"<!DOCTYPE html><p>x</p>", chromium=str(slow), timeout_s=1)
