"""The Meeting page through AppTest: the agenda on one page, and the presentation mode (one
section at a time, its position in the address), on the demo and on two hand-built snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from collectors.facts import RepoFacts
from pages.common import STANDARDS_ENV
from standards.evaluate import utc_today
from store import DB_ENV, SnapshotMeta, open_store
from tests.dashboard_app import DemoSite, open_page
from tests.test_standards_agenda import november, october, standards_yaml

AGENDA = [
    "1. Headline",
    "2. What improved",
    "3. What regressed",
    "4. New technologies",
    "5. Repositories",
    "6. Waivers",
    "7. Standards due for review",
]


def write_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *snapshots: list[RepoFacts]) -> str:
    """The snapshots (oldest first, a month apart) in a fresh database, judged by the agenda tests'
    standards file with its dates relative to today (the dashboard judges on today)."""
    url = f"sqlite:///{tmp_path}/meeting.db"
    store = open_store(url)
    for month, repos in enumerate(snapshots, start=10):
        store.write_snapshot(SnapshotMeta(f"2026-{month:02d}-16T09:00:00Z", "local", "/src/acme",
                                          f"2026-{month:02d} guild meeting"), repos)  # fmt: skip
    standards = tmp_path / "standards.yaml"
    standards.write_text(standards_yaml(utc_today()))
    monkeypatch.setenv(DB_ENV, url)
    monkeypatch.setenv(STANDARDS_ENV, str(standards))
    return url


@pytest.fixture
def two_meetings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """#1 October and #2 November of `tests.test_standards_agenda`."""
    return write_site(tmp_path, monkeypatch, october(), november())


def metrics(at: AppTest) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.proto.delta or None) for m in at.metric}


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def present(query: dict[str, str] | None = None) -> AppTest:
    return open_page("meeting", {"present": "true", **(query or {})})


# --- the agenda on one page -----------------------------------------------------------------------------


def test_the_demo_agenda_renders_every_section_in_order(dashboard: DemoSite) -> None:
    at = open_page("meeting")
    assert not at.exception
    assert at.title[0].value == "Meeting"
    assert [s for s in subheaders(at) if s[:1].isdigit()] == AGENDA
    assert "compared with #" in at.caption[0].value


def test_the_agenda_shows_what_changed_between_the_two_snapshots(two_meetings: str) -> None:
    at = open_page("meeting")
    assert not at.exception
    got = metrics(at)
    assert got["Active repositories"] == ("4", "-1")
    assert got["Findings passing"] == ("60%", "-11.4 pts")
    assert got["Findings resolved"][0] == "1"
    assert got["New findings"][0] == "2"
    assert got["Waivers expired"][0] == "1"
    assert got["Standards due for review"][0] == "1"
    tables = {tuple(df.value.columns): df.value for df in at.dataframe}
    technologies = tables[("Technology", "Category", "Ring", "New to the organisation", "Repositories", "Teams")]
    assert technologies["Technology"].tolist() == ["jquery", "vue", "fastapi"]


def test_every_row_behind_a_table_is_in_its_expander(two_meetings: str) -> None:
    at = open_page("meeting")
    new_findings = next(e for e in at.expander if any(df.value.get("old_status") is not None for df in e.dataframe))
    rows = new_findings.dataframe[0].value
    assert sorted(zip(rows["repo"], rows["standard"], strict=True)) == [("api", "python-311"), ("web-b", "no-hold")]


def test_a_team_filter_narrows_the_agenda(two_meetings: str) -> None:
    at = open_page("meeting", {"team": ["web"]})
    assert not at.exception
    got = metrics(at)
    assert got["Active repositories"] == ("2", "±0")
    assert got["New findings"][0] == "1"  # web-b's jQuery; api's Python is shop's
    assert got["Repositories added"][0] == "0"


def test_without_a_comparison_the_page_says_so_and_shows_the_standards_file(two_meetings: str) -> None:
    at = open_page("meeting", {"compare": "none"})
    assert not at.exception
    assert "Not comparing with any snapshot" in at.info[0].value
    assert [s for s in subheaders(at) if s[:1].isdigit()] == [
        "1. Headline",
        "2. Waivers",
        "3. Standards due for review",
    ]
    assert metrics(at)["Active repositories"] == ("4", None)
    assert metrics(at)["Waivers expired"][0] == "1"


def test_with_a_single_snapshot_the_page_says_collect_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path, monkeypatch, november())
    at = open_page("meeting")
    assert not at.exception
    assert "this is the only snapshot" in at.info[0].value
    assert metrics(at)["Expiring within 30 days"][0] == "1"


def test_an_empty_database_shows_the_empty_state(empty_dashboard: str) -> None:
    at = open_page("meeting")
    assert not at.exception
    assert "Nothing to show yet" in at.info[0].value
    assert not at.metric


def test_without_standards_the_page_says_how_to_configure_them(
    dashboard: DemoSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STANDARDS_ENV)
    at = open_page("meeting")
    assert not at.exception
    assert "No standards file" in at.info[0].value
    assert not at.metric


# --- the presentation mode -------------------------------------------------------------------------------


def test_present_opens_the_first_section_and_exit_leaves(two_meetings: str) -> None:
    at = open_page("meeting")
    at.button(key="meeting_present").click().run()
    assert at.query_params["present"] == "true" and at.query_params["section"] == "1"
    assert at.title[0].value == "Headline"
    at.button(key="meeting_leave").click().run()
    assert "present" not in at.query_params and "section" not in at.query_params
    assert at.title[0].value == "Meeting"


def test_a_deep_link_opens_that_section(two_meetings: str) -> None:
    at = present({"section": "3"})
    assert not at.exception
    assert at.title[0].value == "What regressed"
    assert any(m.value == "**Section 3 of 7**" for m in at.markdown)
    assert set(metrics(at)) == {"New findings", "Version downgrades"}
    assert at.table[0].value["Standard"].tolist() == ["No technology on hold", "Python 3.11 or newer"]


def test_next_and_previous_move_the_section_in_the_address(two_meetings: str) -> None:
    at = present({"section": "3"})
    at.button(key="meeting_next").click().run()
    assert at.query_params["section"] == "4"
    assert at.title[0].value == "New technologies"
    at.button(key="meeting_previous").click().run()
    at.button(key="meeting_previous").click().run()
    assert at.query_params["section"] == "2"
    assert at.title[0].value == "What improved"


def test_the_first_and_last_sections_disable_going_further(two_meetings: str) -> None:
    first = present({"section": "1"})
    assert first.button(key="meeting_previous").disabled and not first.button(key="meeting_next").disabled
    last = present({"section": "7"})
    assert last.button(key="meeting_next").disabled and not last.button(key="meeting_previous").disabled
    assert last.title[0].value == "Standards due for review"


@pytest.mark.parametrize(
    ("section", "shown", "title"),
    [("99", "7", "Standards due for review"), ("0", "1", "Headline"), ("next", "1", "Headline")],
)
def test_a_section_out_of_range_clamps_and_the_address_follows(
    two_meetings: str, section: str, shown: str, title: str
) -> None:
    at = present({"section": section})
    assert not at.exception
    assert at.query_params["section"] == shown
    assert at.title[0].value == title


def test_presenting_without_a_comparison_has_three_sections(two_meetings: str) -> None:
    at = present({"compare": "none", "section": "2"})
    assert at.title[0].value == "Waivers"
    assert any(m.value == "**Section 2 of 3**" for m in at.markdown)
    assert at.table[0].value["Waived for"].tolist() == ["repo old-*"]


def test_a_slide_lists_eight_rows_and_says_how_many_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    grown = november() + [RepoFacts(name=f"svc-{i:02d}", team="shop") for i in range(10)]
    write_site(tmp_path, monkeypatch, october(), grown)
    at = present({"section": "5"})
    assert at.title[0].value == "Repositories"
    added = at.table[0].value
    assert added["Repository"].tolist() == ["new-svc", *[f"svc-{i:02d}" for i in range(7)]]
    assert any(m.value == "*and 3 more*" for m in at.markdown)
