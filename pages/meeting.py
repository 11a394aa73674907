"""Meeting: the tech-lead meeting's agenda, what changed since the compared snapshot.

Draws only: the sections (headline, what improved, what regressed, new technologies,
repositories, waivers, standards due) come from `standards.agenda`, over the snapshot diff and
each snapshot's headline numbers (cached through `pages.common`).

Two ways to show it: every section on one page (for a laptop), or the presentation mode
(`?present=true`, sidebar collapsed by `app.py`): one section at a time in large type, previous
and next buttons (and the arrow keys), its position in the address (`?section=3`, 1-based; a value
out of range opens the first or the last section), so a link opens the same slide.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from pages import common
from standards import agenda

SECTION_PARAM = "section"

#: Large type for a projector. Our own constant: no data is ever put into it.
PRESENTATION_CSS = """
<style>
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 3.5rem 3rem 2rem 3rem; }
[data-testid="stMarkdownContainer"] p { font-size: 1.45rem; }
[data-testid="stCaptionContainer"] p { font-size: 1.2rem; }
[data-testid="stHeading"] h1 { font-size: 3.4rem; }
[data-testid="stHeading"] h3 { font-size: 2rem; }
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.5rem; }
[data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 4.2rem; line-height: 1.15; }
[data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p { font-size: 1.5rem; }
[data-testid="stMetricDelta"] svg { width: 1.5rem; height: 1.5rem; }
[data-testid="stTable"] table { font-size: 1.45rem; }
[data-testid="stTable"] th { font-size: 1.25rem; }
</style>
"""

#: Readable names for the diff's own columns (the rows behind a table).
ROW_LABELS = {
    "repo": "Repository",
    "team": "Team",
    "standard": "Standard id",
    "title": "Standard",
    "severity": "Severity",
    "detail": "Detail",
    "old_status": "Before",
    "new_status": "Now",
    "technology": "Technology",
    "category": "Category",
    "version": "Version",
    "ring": "Ring",
    "new_to_org": "New to the organisation",
    "repo_added": "In a new repository",
    "kind": "Kind",
    "name": "Name",
    "old_version": "Before",
    "new_version": "Now",
    "direction": "Direction",
    "reason": "Reason",
    "approver": "Approver",
    "expires": "Expires",
    "days_ago": "Days ago",
    "days_left": "Days left",
    "id": "Id",
    "owner": "Owner",
    "review_by": "Review by",
    "days_overdue": "Days overdue",
}
DELTA_COLOURS = {"higher": "normal", "lower": "inverse", "neither": "off"}
NUMBERS_PER_ROW = 5
#: What the meeting takes away: the deck, a page to share, a summary for the minutes.
REPORT_FORMATS = ("pptx", "html", "md", "pdf")


def _go_to(position: int) -> None:
    st.query_params[SECTION_PARAM] = str(position)


def _present() -> None:
    st.query_params[common.PRESENT_PARAM] = "true"
    st.query_params[SECTION_PARAM] = "1"


def _leave() -> None:
    for param in (common.PRESENT_PARAM, SECTION_PARAM):
        if param in st.query_params:
            del st.query_params[param]


def _numbers(numbers: tuple[agenda.Number, ...], *, border: bool) -> None:
    """The section's big numbers, a row of at most `NUMBERS_PER_ROW` at a time."""
    width = min(max(len(numbers), 3), NUMBERS_PER_ROW)  # two numbers take a third each, not half the page
    for start in range(0, len(numbers), width):
        cells = st.columns(width)
        for cell, number in zip(cells, numbers[start : start + width], strict=False):
            cell.metric(
                number.label,
                number.text(),
                number.delta_text(),
                delta_color="off" if not number.delta else DELTA_COLOURS[number.better],
                delta_arrow="off" if number.delta == 0 else "auto",
                help=number.help or None,
                border=border,
            )


def _table_normal(table: agenda.Table) -> None:
    st.markdown(f"**{table.title}**")
    if table.frame.empty:
        st.caption(table.empty)
        return
    shown, hidden = agenda.top(table.frame)
    st.dataframe(shown, hide_index=True)
    if hidden:
        st.caption(agenda.more_text(hidden))
    with st.expander(f"Every row behind it ({len(table.rows):,})"):
        st.dataframe(
            table.rows,
            hide_index=True,
            column_config={c: ROW_LABELS.get(c, c) for c in table.rows.columns},
        )


def _table_presented(table: agenda.Table) -> None:
    st.subheader(table.title, anchor=False)
    if table.frame.empty:
        st.markdown(table.empty)
        return
    shown, hidden = agenda.top(table.frame)
    st.table(shown, hide_index=True)
    if hidden:
        st.markdown(f"*{agenda.more_text(hidden)}*")


def _tables(tables: tuple[agenda.Table, ...], draw: Callable[[agenda.Table], None]) -> None:
    """Two or three tables side by side (a slide, a wide screen); one alone across the page."""
    if len(tables) <= 1:
        for table in tables:
            draw(table)
        return
    for column, table in zip(st.columns(len(tables)), tables, strict=True):
        with column:
            draw(table)


def _no_comparison_note(view: common.View) -> None:
    if len(view.snapshots) < 2:
        st.info(
            "**Nothing to compare with yet:** this is the only snapshot. Collect another (after the next "
            "meeting, say) to see what changed; below is what the standards file says by itself.",
            icon=":material/compare_arrows:",
        )
    else:
        st.info(
            "**Not comparing with any snapshot** (*Compare with* in the sidebar says nothing), so there are "
            "no changes to show; below is what the standards file says by itself.",
            icon=":material/compare_arrows:",
        )


def _comparing(view: common.View) -> str:
    shown = common.snapshot_label(view.snapshot)
    if view.compare is None:
        return f"Snapshot {shown}"
    return f"Snapshot {shown}, compared with {common.snapshot_label(view.compare)}"


view = common.require_view()
standards = common.require_standards(view)
now = common.derived(view, agenda.headline)
before = common.derived(view, agenda.headline, snapshot=view.compare) if view.compare is not None else None
plan = agenda.agenda(common.snapshot_diff(view), now, before, standards=standards, today=date.fromisoformat(view.today))
where = f"{_comparing(view)} · {view.filters.describe()}"

if common.presenting():
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
    requested = st.query_params.get(SECTION_PARAM)
    position = agenda.clamp_section(requested, len(plan))
    if requested != str(position):
        st.query_params[SECTION_PARAM] = str(position)
    section = plan.at(position)

    bar = st.columns([6, 2, 1.6, 1.6, 1.4], vertical_alignment="center")
    bar[0].caption(where)
    bar[1].markdown(f"**Section {position} of {len(plan)}**")
    bar[2].button(
        "Previous", key="meeting_previous", on_click=_go_to, args=(position - 1,),
        disabled=position <= 1, shortcut="Left", width="stretch",
    )  # fmt: skip
    bar[3].button(
        "Next", key="meeting_next", on_click=_go_to, args=(position + 1,),
        disabled=position >= len(plan), shortcut="Right", width="stretch", type="primary",
    )  # fmt: skip
    bar[4].button(
        "Exit", key="meeting_leave", icon=":material/close:", on_click=_leave, width="stretch",
        help="Leave the presentation mode",
    )  # fmt: skip

    if not plan.compared and position == 1:
        _no_comparison_note(view)
    st.title(section.title, anchor=False)
    st.markdown(section.summary)
    _numbers(section.numbers, border=True)
    _tables(section.tables, _table_presented)
else:
    head, export, button = st.columns([4, 1, 1], vertical_alignment="bottom")
    head.title("Meeting")
    with export:
        common.report_downloads(view, REPORT_FORMATS, key="meeting")
    button.button(
        "Present", key="meeting_present", icon=":material/co_present:", on_click=_present, width="stretch",
        help="One section at a time in large type, for the projector (← and → move).",
    )  # fmt: skip
    st.caption(where)
    if not plan.compared:
        _no_comparison_note(view)
    contents = " · ".join(f"{i}. {s.title}" for i, s in enumerate(plan.sections, start=1))
    st.markdown(f"**Agenda:** {contents}")
    for i, section in enumerate(plan.sections, start=1):
        st.subheader(f"{i}. {section.title}", divider="gray")
        st.caption(section.summary)
        _numbers(section.numbers, border=True)
        _tables(section.tables, _table_normal)
