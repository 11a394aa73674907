"""The meeting deck (`reports/deck.py`), written to real .pptx files and read back with python-pptx:
the slides in the meeting's order, every chart's categories and values against the frames behind
it, deltas only when compared, the facts-only and hostile reports, a company template, forty teams.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from collectors.facts import BuildHealth, HygieneItem, RepoFacts, Runtime
from reports import deck
from reports.formats import FORMATS, RenderOptions, ReportError
from standards.metrics import ORGANISATION
from standards.report import Report, report_from_store
from store import SnapshotMeta, open_store
from tests.dashboard_app import DemoSite
from tests.report_data import FORMULA_REPO, HOSTILE, IMG_REPO, PIPE_REPO, REASON, SCRIPT_TEAM, TITLE

TODAY = date(2026, 11, 20)

# --- reading a deck back -------------------------------------------------------------------------------------


def read(data: bytes):
    return Presentation(io.BytesIO(data))


def title_of(slide) -> str:
    if slide.shapes.title is not None:
        return slide.shapes.title.text_frame.text
    return ""


def titles(prs) -> list[str]:
    return [title_of(slide) for slide in prs.slides]


def texts(slide) -> list[str]:
    """Every text on a slide: text boxes and placeholders, and each table cell."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out += [cell.text_frame.text for row in shape.table.rows for cell in row.cells]
    return out


def all_texts(prs) -> list[str]:
    return [text for slide in prs.slides for text in texts(slide)]


def charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def tables(slide) -> list:
    return [shape.table for shape in slide.shapes if shape.has_table]


def slides_titled(prs, prefix: str) -> list:
    return [slide for slide in prs.slides if title_of(slide).startswith(prefix)]


def series_values(chart) -> dict[str, list[float]]:
    return {s.name: list(s.values) for s in chart.plots[0].series}


def close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, abs_tol=1e-9) for x, y in zip(a, b, strict=True))


# --- decks -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_deck(demo_report: Report):
    return read(deck.render(demo_report, RenderOptions()))


def teams_records(teams: int) -> list[RepoFacts]:
    """Three repositories a team: Python on a version that differs by team (so shares differ), a
    README in some, and every build state."""
    states = ("green", "red", "pending", "unknown")
    records = []
    for t in range(teams):
        for r in range(3):
            python = "3.12" if (t + r) % 3 else "3.9"
            hygiene = {"readme": HygieneItem(True, "README.md")} if (t * r) % 4 != 1 else {}
            records.append(
                RepoFacts(
                    name=f"org/team-{t:02d}-service-{r}",
                    team=f"team-{t:02d}",
                    languages={"Python": 1000 + t},
                    runtimes=[Runtime("python", python, "pyproject.toml")],
                    hygiene=hygiene,
                    build=BuildHealth(states[(t + r) % 4], f"ci {states[(t + r) % 4]}"),
                ).normalise()
            )
    return records


MANY_STANDARDS = """
standards:
  - id: readme
    title: A README
    level: bronze
    severity: medium
    rule: {kind: file-exists, paths: ["hygiene:readme"]}
    rationale: Where to start.
    owner: dx
    review_by: 2027-06-30
  - id: python
    title: Python 3.11 or later
    level: silver
    severity: high
    rule: {kind: version, runtime: python, constraint: ">=3.11"}
    rationale: Security support.
    owner: python
    review_by: 2027-06-30
"""


@pytest.fixture(scope="module")
def many_teams_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """Forty teams of three repositories, every build state among them, judged by two standards."""
    folder = tmp_path_factory.mktemp("deck-many-teams")
    store = open_store(f"sqlite:///{folder / 'many.db'}")
    store.write_snapshot(SnapshotMeta("2026-11-20T10:00:00Z", "github", "acme", "forty teams"), teams_records(40))
    standards = folder / "standards.yaml"
    standards.write_text(MANY_STANDARDS, encoding="utf-8")
    return report_from_store(store, standards_path=standards, today=TODAY)


@pytest.fixture(scope="module")
def many_teams_deck(many_teams_report: Report):
    return read(deck.render(many_teams_report, RenderOptions()))


def worst_first(frame: pd.DataFrame) -> list[str]:
    """Teams as the dashboard's compliance chart orders them: lowest share passing, then most
    failing, then by name; nothing applicable last."""
    rows = frame.assign(
        _none=frame["applicable"].eq(0),
        _share=(frame["pass"] / frame["applicable"].where(frame["applicable"] > 0)).fillna(2.0),
        _fail=-(frame["fail"] / frame["applicable"].where(frame["applicable"] > 0)).fillna(0.0),
    )
    return rows.sort_values(["_none", "_share", "_fail", "team"], kind="stable")["team"].astype(str).tolist()


# --- the meeting's order -----------------------------------------------------------------------------------


def test_slides_follow_the_meeting_order_with_one_appendix_slide_per_team(demo_deck, demo_report: Report) -> None:
    expected = [
        demo_report.title,
        "Headline",
        "Compliance by team",
        "Version drift",
        "Fragmentation",
        "Build health",
        "What improved",
        "What regressed",
        "New technologies",
        "Repositories",
        "Waivers",
        "Standards due for review",
        *[f"Team {appendix.team}" for appendix in demo_report.teams],
    ]
    assert titles(demo_deck) == expected
    assert len(demo_report.teams) == 5


def test_deck_without_a_template_is_16_by_9(demo_deck) -> None:
    assert (demo_deck.slide_width, demo_deck.slide_height) == (Inches(13.333), Inches(7.5))


def test_the_format_table_renders_the_deck(demo_report: Report) -> None:
    data = FORMATS["pptx"].render(demo_report)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert titles(read(data))[1] == "Headline"


def test_title_slide_names_the_snapshot_when_it_was_made_and_the_standards_file(demo_deck, demo_report) -> None:
    text = "\n".join(texts(demo_deck.slides[0]))
    assert demo_report.title in text
    assert demo_report.subtitle in text
    assert f"Generated {demo_report.generated_at[:10]} {demo_report.generated_at[11:16]} UTC" in text
    assert "standards: standards.example.yaml" in text


# --- the headline ------------------------------------------------------------------------------------------


def test_headline_shows_each_number_with_its_change_and_whether_it_is_better(demo_deck, demo_report) -> None:
    shown = texts(slides_titled(demo_deck, "Headline")[0])
    section = demo_report.section("headline")
    assert section is not None
    changed = 0
    for number in section.numbers:
        box = next(t for t in shown if t.split("\n")[1:2] == [number.label])
        assert box.startswith(number.text() + "\n")
        delta = number.delta_text()
        assert delta is not None, "the demo report is compared with the snapshot before"
        assert delta in box
        if number.delta and not delta.startswith("±") and number.better != "neither":
            changed += 1
            good = (number.delta > 0) == (number.better == "higher")
            assert ("better" if good else "worse") in box
    assert changed >= 3
    share = next(t for t in shown if "Findings passing" in t)
    assert " pts" in share  # a share moves in percentage points


def test_headline_has_no_deltas_when_nothing_is_compared(demo_site: DemoSite) -> None:
    report = report_from_store(open_store(demo_site.db_url, create=False), compare_ref="none",
                               standards_path=demo_site.standards)  # fmt: skip
    prs = read(deck.render(report, RenderOptions()))
    shown = "\n".join(texts(slides_titled(prs, "Headline")[0]))
    assert "no snapshot to compare with" in shown
    for sign in ("▲", "▼", "±", " pts", "better", "worse"):
        assert sign not in shown
    changes = slides_titled(prs, "Changes")
    assert len(changes) == 1 and "Nothing is compared" in "\n".join(texts(changes[0]))
    assert not slides_titled(prs, "What improved")


# --- charts against their frames ---------------------------------------------------------------------------


def test_compliance_chart_is_each_team_s_status_shares_worst_first(demo_deck, demo_report: Report) -> None:
    (chart,) = charts(slides_titled(demo_deck, "Compliance by team")[0])
    frame = demo_report.team_compliance.set_index("team")
    order = worst_first(demo_report.team_compliance)
    assert list(chart.plots[0].categories) == order
    values = series_values(chart)
    assert set(values) <= {"Pass", "Waived", "Fail", "Error"} and "Pass" in values and "Fail" in values
    for name, shares in values.items():
        status = name.lower()
        expected = [frame.loc[team, status] / frame.loc[team, "applicable"] for team in order]
        assert close(shares, expected), name
    assert chart.category_axis.reverse_order  # the worst team on top


def test_forty_teams_split_into_compliance_slides_of_at_most_fifteen(many_teams_deck, many_teams_report) -> None:
    slides = slides_titled(many_teams_deck, "Compliance by team")
    assert [title_of(s) for s in slides] == [f"Compliance by team ({n}/3)" for n in (1, 2, 3)]
    categories, passing = [], []
    for slide in slides:
        (chart,) = charts(slide)
        assert len(chart.plots[0].categories) <= deck.TEAMS_PER_CHART
        categories += list(chart.plots[0].categories)
        passing += series_values(chart)["Pass"]
    frame = many_teams_report.team_compliance.set_index("team")
    order = worst_first(many_teams_report.team_compliance)
    assert categories == order and len(order) == 40
    assert close(passing, [frame.loc[t, "pass"] / frame.loc[t, "applicable"] for t in order])
    assert passing != sorted(passing, reverse=True)  # shares differ, worst first
    assert len(slides_titled(many_teams_deck, "Team ")) == 40


def test_build_chart_counts_are_the_build_states_per_team(many_teams_deck, many_teams_report) -> None:
    slides = slides_titled(many_teams_deck, "Build health")
    assert len(slides) == 3
    states = many_teams_report.build.states.assign(team=lambda f: f["team"].astype(str),
                                                   state=lambda f: f["state"].astype(str))  # fmt: skip
    counts = states.set_index(["team", "state"])["repositories"]
    teams_seen = []
    for slide in slides:
        (chart,) = charts(slide)
        teams = list(chart.plots[0].categories)
        teams_seen += teams
        values = series_values(chart)
        assert list(values) == ["green", "pending", "red", "unknown"]
        for state, shown in values.items():
            assert shown == [float(counts[team, state]) for team in teams], state
    assert teams_seen == list(dict.fromkeys(states["team"]))
    red = "\n".join(texts(slides[0]))
    assert "Red builds" in red and "ci red" in red


def test_drift_chart_is_the_share_on_target_of_each_item_with_a_target(demo_deck, demo_report: Report) -> None:
    (chart,) = charts(slides_titled(demo_deck, "Version drift")[0])
    judged = demo_report.drift_summary[demo_report.drift_summary["target"].notna()].head(deck.BARS_SHOWN)
    labels = [item.split(": ", 1)[1] + (" (runtime)" if item.startswith("runtime") else "") for item in judged["item"]]
    assert list(chart.plots[0].categories) == labels
    assert close(series_values(chart)["Share on target"], judged["share_on_target"].tolist())
    assert "rails" in labels and "node (runtime)" in labels


def test_fragmentation_chart_is_the_organisation_s_effective_choices(demo_deck, demo_report: Report) -> None:
    (chart,) = charts(slides_titled(demo_deck, "Fragmentation")[0])
    frame = demo_report.fragmentation
    org = frame[frame["team"].astype(str) == ORGANISATION]
    org = org.sort_values(["effective_choices", "category"], ascending=[False, True]).head(deck.BARS_SHOWN)
    assert list(chart.plots[0].categories) == org["category"].astype(str).tolist()
    assert close(series_values(chart)["Effective choices"], org["effective_choices"].tolist())


def test_build_health_of_local_clones_says_it_is_not_collected(demo_deck) -> None:
    slide = slides_titled(demo_deck, "Build health")[0]
    assert not charts(slide)
    assert "Build health is not collected for this snapshot" in "\n".join(texts(slide))


# --- tables ------------------------------------------------------------------------------------------------


def test_a_team_s_worst_findings_say_how_many_more_there_are(demo_deck, demo_report: Report) -> None:
    for appendix in demo_report.teams:
        slide = slides_titled(demo_deck, f"Team {appendix.team}")[0]
        (table,) = tables(slide)
        rows = len(table.rows) - 1
        assert 1 <= rows <= deck.TEAM_ROWS_SHOWN
        shown = [table.cell(r + 1, 0).text_frame.text for r in range(rows)]
        assert shown == appendix.findings["repo"].head(rows).tolist()
        hidden = len(appendix.findings) - rows
        more = [t for t in texts(slide) if t.startswith("and ")]
        assert more == ([f"and {hidden:,} more ({deck.FULL_TABLES})"] if hidden else [])


def test_table_text_is_10_to_14_points_and_long_cells_end_in_an_ellipsis(demo_deck) -> None:
    sizes = set()
    for slide in demo_deck.slides:
        for table in tables(slide):
            for row in table.rows:
                for cell in row.cells:
                    sizes |= {run.font.size for p in cell.text_frame.paragraphs for run in p.runs}
    assert sizes and all(Pt(10) <= size <= Pt(14) for size in sizes)
    long = "word " * 60
    text, lines = deck._fit(long.strip(), 30, 2)
    assert lines == 2 and text.endswith("…") and len(text) <= 60
    assert deck._fit("short", 30, 2) == ("short", 1)


def test_a_table_of_thousands_of_rows_renders_quickly(tmp_path: Path) -> None:
    """Forty slides of a twelve-row table: cells are written straight as XML."""
    import time

    prs = Presentation()
    frame = pd.DataFrame({"repo": [f"org/repo-{i}" for i in range(5000)], "n": range(5000),
                          "detail": ["a finding with a fairly long detail " * 3] * 5000})  # fmt: skip
    columns = [deck.Column("Repository", "repo"), deck.Column("N", "n", "count"), deck.Column("Detail", "detail")]
    box = deck.Box(int(Inches(0.5)), int(Inches(1.5)), int(Inches(9)), int(Inches(5.5)))
    started = time.perf_counter()
    for _ in range(40):
        deck.add_table(prs.slides.add_slide(prs.slide_layouts[6]), box, frame, columns)
    assert time.perf_counter() - started < 2.0


# --- facts only, hostile text ------------------------------------------------------------------------------


def test_facts_only_deck_says_there_is_no_standards_file(facts_only_report: Report) -> None:
    prs = read(deck.render(facts_only_report, RenderOptions()))
    assert "facts only: no standards file" in "\n".join(texts(prs.slides[0]))
    compliance = slides_titled(prs, "Compliance by team")[0]
    assert not charts(compliance)
    assert "No standards file was given" in "\n".join(texts(compliance))
    assert len(slides_titled(prs, "Team ")) == len(facts_only_report.teams)
    assert charts(slides_titled(prs, "Fragmentation")[0])  # facts still chart


def test_hostile_texts_are_kept_as_plain_text(hostile_report: Report) -> None:
    data = deck.render(hostile_report, RenderOptions())
    package = zipfile.ZipFile(io.BytesIO(data))
    assert package.testzip() is None
    for name in package.namelist():
        if name.endswith(".xml"):
            root = etree.fromstring(package.read(name))  # well-formed
            assert not root.xpath("//*[local-name()='script' or local-name()='img' or local-name()='svg']")
    prs = read(data)
    shown = "\n".join(all_texts(prs))
    shown += "\n".join(c for slide in prs.slides for chart in charts(slide) for c in chart.plots[0].categories)
    for text in (SCRIPT_TEAM, IMG_REPO, FORMULA_REPO, PIPE_REPO, TITLE, REASON):
        assert text in shown, text
    for text in HOSTILE:  # wherever a hostile text starts, it is there whole, or visibly cut short
        for found in re.finditer(re.escape(text[:16]), shown):
            rest = shown[found.start() : found.start() + len(text)]
            cut = rest.split("…", 1)[0]
            assert rest == text or ("…" in rest and text.startswith(cut.rstrip())), (text, rest)
    assert "&lt;" not in shown and "&amp;" not in shown  # never escaped twice
    assert f"Team {SCRIPT_TEAM}" in titles(prs)


def test_control_characters_are_written_as_python_pptx_writes_them() -> None:
    assert deck.plain("a\x1bb\tc\nd") == "a_x001B_b\tc\nd"
    assert deck.plain("x\ufffey") == "x\ufffdy"


# --- a company template ------------------------------------------------------------------------------------


def make_template(path: Path, layout_names: dict[str, str] | None = None) -> Path:
    """A 10 x 5.625 in deck (PowerPoint 2010's 16:9) whose master is named ACME, with a slide of its
    own that must go; layouts renamed as `layout_names` says (a template in another language)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(5.625)
    prs.slide_master.element.find(qn("p:cSld")).set("name", "ACME master")
    for layout in prs.slide_layouts:
        if layout.name in (layout_names or {}):
            layout.element.find(qn("p:cSld")).set("name", layout_names[layout.name])
    own = prs.slides.add_slide(prs.slide_layouts[1])
    own.shapes.title.text_frame.text = "THE TEMPLATE'S OWN SLIDE"
    prs.save(str(path))
    return path


def test_a_template_supplies_size_and_masters_and_loses_its_own_slides(tmp_path: Path, demo_report: Report) -> None:
    template = make_template(tmp_path / "acme.pptx")
    prs = read(deck.render(demo_report, RenderOptions(template=template)))
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(5.625))
    assert "THE TEMPLATE'S OWN SLIDE" not in all_texts(prs)
    assert titles(prs) == titles(read(deck.render(demo_report, RenderOptions())))
    assert [m.name for m in prs.slide_masters] == ["ACME master"]
    assert prs.slides[0].slide_layout.name == "Title Slide"
    assert {s.slide_layout.name for s in list(prs.slides)[1:]} == {"Title Only"}
    for slide in prs.slides:  # everything the deck places is within the template's slide
        for shape in (s for s in slide.shapes if not s.is_placeholder):
            assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width, title_of(slide)
            assert shape.top >= 0 and shape.top + shape.height <= prs.slide_height, title_of(slide)


def test_layouts_named_otherwise_are_found_at_their_usual_places(tmp_path: Path, demo_report: Report) -> None:
    names = {"Title Slide": "Titelfolie", "Title and Content": "Titel und Inhalt", "Title Only": "Nur Titel"}
    prs = read(deck.render(demo_report, RenderOptions(template=make_template(tmp_path / "de.pptx", names))))
    assert prs.slides[0].slide_layout.name == "Titelfolie"
    assert {s.slide_layout.name for s in list(prs.slides)[1:]} == {"Nur Titel"}
    assert titles(prs)[:2] == [demo_report.title, "Headline"]


def test_without_a_title_only_layout_title_and_content_is_used_without_its_body(
    tmp_path: Path, demo_report: Report
) -> None:
    template = make_template(tmp_path / "odd.pptx", {"Title Only": "Heading"})
    prs = read(deck.render(demo_report, RenderOptions(template=template)))
    slides = list(prs.slides)[1:]
    assert {s.slide_layout.name for s in slides} == {"Title and Content"}
    assert all([p.placeholder_format.type for p in s.placeholders] == [PP_PLACEHOLDER.TITLE] for s in slides)
    assert titles(prs)[1] == "Headline"


def test_a_missing_template_is_a_report_error(tmp_path: Path, demo_report: Report) -> None:
    with pytest.raises(ReportError, match="no such file"):
        deck.render(demo_report, RenderOptions(template=tmp_path / "missing.pptx"))


def test_a_template_that_is_not_a_pptx_is_a_report_error(tmp_path: Path, demo_report: Report) -> None:
    bad = tmp_path / "notes.pptx"
    bad.write_text("not a deck", encoding="utf-8")
    with pytest.raises(ReportError, match=r"not a PowerPoint deck \(\.pptx\)"):
        deck.render(demo_report, RenderOptions(template=bad))
