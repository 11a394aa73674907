"""standards.report: the report's frames, built from real snapshots in a SQLite file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from standards.diff import diff_snapshots
from standards.report import CHANGE_COLUMNS, CHANGE_KINDS, FACT_TABLES, Report, changes_table, report_from_store
from standards.trends import ORGANISATION
from store import StoreError, open_store
from tests.dashboard_app import DemoSite
from tests.report_data import SCRIPT_TEAM, TODAY, write_hostile_database


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    return write_hostile_database(tmp_path_factory.mktemp("report-model"))


def test_the_report_compares_with_the_snapshot_before_by_default(hostile_db: tuple[str, Path]) -> None:
    url, standards = hostile_db
    report = report_from_store(open_store(url, create=False), standards_path=standards, today=TODAY)
    assert (report.snapshot.id, report.compare.id if report.compare else None) == (2, 1)
    assert report.agenda.compared
    keys = [s.key for s in report.agenda.sections]
    assert keys == ["headline", "improved", "regressed", "technologies", "repositories", "waivers", "review"]
    assert "compared with #1" in report.subtitle


@pytest.mark.parametrize(
    ("ref", "expected"),
    [("none", None), ("previous", 1), ("1", 1), ("label:<i>October</i>", 1)],
)
def test_compare_names_a_snapshot_previous_or_none(
    hostile_db: tuple[str, Path], ref: str, expected: int | None
) -> None:
    url, standards = hostile_db
    report = report_from_store(open_store(url, create=False), compare_ref=ref, standards_path=standards, today=TODAY)
    assert (report.compare.id if report.compare else None) == expected
    assert report.agenda.compared is (expected is not None)
    assert report.tables["changes"].empty is (expected is None)


def test_the_first_snapshot_has_nothing_to_compare_with(hostile_db: tuple[str, Path]) -> None:
    url, standards = hostile_db
    report = report_from_store(open_store(url, create=False), snapshot_ref="1", standards_path=standards, today=TODAY)
    assert report.compare is None and not report.agenda.compared
    assert [s.key for s in report.agenda.sections] == ["headline", "waivers", "review"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"compare_ref": "2"}, "the reported snapshot itself"),
        ({"compare_ref": "9"}, "no snapshot '9'"),
        ({"snapshot_ref": "label:nope"}, "no snapshot 'label:nope'"),
        ({"teams": ("nobody",)}, "no team 'nobody' in snapshot #2; its teams: <script>"),
    ],
)
def test_a_bad_reference_is_refused_with_what_exists(hostile_db: tuple[str, Path], kwargs: dict, message: str) -> None:
    url, standards = hostile_db
    with pytest.raises(StoreError, match=None) as err:
        report_from_store(open_store(url, create=False), standards_path=standards, today=TODAY, **kwargs)
    assert message in str(err.value)


def test_a_team_filter_narrows_every_table_to_its_repositories(hostile_db: tuple[str, Path]) -> None:
    url, standards = hostile_db
    report = report_from_store(
        open_store(url, create=False), teams=(SCRIPT_TEAM,), standards_path=standards, today=TODAY
    )
    kept = set(report.tables["repositories"]["repo"])
    assert len(kept) == 2 and set(report.tables["repositories"]["team"]) == {SCRIPT_TEAM}
    for name in ("findings", *FACT_TABLES):
        frame = report.tables[name]
        assert set(frame["repo"]) <= kept, name
    assert [t.team for t in report.teams] == [SCRIPT_TEAM]
    assert list(report.team_compliance["team"]) == [SCRIPT_TEAM]
    assert "teams " + SCRIPT_TEAM in report.subtitle


def test_without_standards_the_report_holds_facts_only(hostile_db: tuple[str, Path]) -> None:
    url, _ = hostile_db
    report = report_from_store(open_store(url, create=False), today=TODAY)
    assert not report.judged and report.standards_path is None
    assert report.tables["findings"].empty and report.standards_table.empty
    assert not report.tables["languages"].empty  # the facts are all there


def test_the_changes_table_has_one_row_per_change_of_the_diff(demo_site: DemoSite) -> None:
    report = report_from_store(open_store(demo_site.db_url, create=False), standards_path=demo_site.standards)
    changes = report.tables["changes"]
    assert list(changes.columns) == CHANGE_COLUMNS
    assert set(changes["change"]) <= set(CHANGE_KINDS.values())
    # rebuilt from the diff itself: the counts per kind agree
    from standards.analysis import analyse
    from standards.load import load_standards
    from store.frames import load_frames

    store = open_store(demo_site.db_url, create=False)
    guild = load_standards(demo_site.standards)
    old = analyse(load_frames(store, report.compare.id), guild, today=report.today)
    new = analyse(load_frames(store, report.snapshot.id), guild, today=report.today)
    diff = diff_snapshots(old.frames, new.frames, guild, old_results=old.results, new_results=new.results,
                          today=report.today)  # fmt: skip
    expected = {CHANGE_KINDS[k]: n for k, n in diff.summary().items() if k in CHANGE_KINDS and n}
    assert changes["change"].value_counts().to_dict() == expected
    assert changes_table(None).empty and list(changes_table(None).columns) == CHANGE_COLUMNS


def test_the_report_records_are_the_snapshots_repositories(demo_site: DemoSite) -> None:
    report: Report = report_from_store(open_store(demo_site.db_url, create=False))
    names = [r.name for r in report.records()]
    assert len(names) == report.snapshot.repo_count
    assert set(report.tables["repositories"]["repo"]) <= set(names)
    assert report.tables["metrics"]["team"].iloc[0] == ORGANISATION


def test_a_diff_with_only_additions_still_has_every_change_column(hostile_db: tuple[str, Path]) -> None:
    """Only repositories added: no part of the diff has a `before`, the table still has the column."""
    from dataclasses import replace

    import pandas as pd

    from standards.analysis import analyse
    from standards.load import load_standards
    from store.frames import load_frames

    url, standards = hostile_db
    guild = load_standards(standards)
    same = analyse(load_frames(open_store(url, create=False), 2), guild, today=TODAY)
    nothing = diff_snapshots(same.frames, same.frames, guild, old_results=same.results, new_results=same.results,
                             today=TODAY)  # fmt: skip
    nothing = replace(nothing, waivers_expiring=nothing.waivers_expiring.iloc[0:0],
                      standards_due=nothing.standards_due.iloc[0:0])  # fmt: skip
    added = replace(nothing, repos_added=pd.DataFrame({"repo": ["a", "b"], "team": ["x", "y"]}))
    table = changes_table(added)
    assert list(table.columns) == CHANGE_COLUMNS
    assert list(table["change"]) == ["repository added"] * 2
    assert table["before"].isna().all() and list(table["repo"]) == ["a", "b"]


def test_each_team_appendix_equals_the_teams_page_frames_for_that_team(demo_site: DemoSite) -> None:
    """Split once by team, the appendix holds what `standards.teams` gives on the whole analysis."""
    from standards import teams as teams_
    from standards.analysis import Filters, analyse, narrow
    from standards.load import load_standards
    from standards.report import team_appendices
    from store.frames import load_frames

    store = open_store(demo_site.db_url, create=False)
    whole = analyse(load_frames(store, store.snapshots()[0].id), load_standards(demo_site.standards), today=TODAY)
    now = narrow(whole, Filters())
    appendices = team_appendices(now)
    assert [a.team for a in appendices] == teams_.teams(now) and len(appendices) >= 4
    for appendix in appendices:
        assert appendix.headline == teams_.team_headline(now, appendix.team)
        pd.testing.assert_frame_equal(appendix.findings.reset_index(drop=True),
                                      teams_.team_findings(now, appendix.team).reset_index(drop=True))  # fmt: skip
        pd.testing.assert_frame_equal(appendix.repos, teams_.team_repos(now, appendix.team))
