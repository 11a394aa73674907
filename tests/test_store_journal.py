"""The run journal: a collection survives an interruption, and a partial run is never a snapshot."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from collectors.facts import Dependency, RepoFacts
from store import schema
from store.db import Run, SnapshotMeta, Store, StoreError, open_store
from tests.test_store import full_repo, kill_while_writing

STARTED = "2026-03-02T08:00:00+00:00"
OPTIONS = {"workers": 4, "teams": None, "team_order": ["teams-file", "folder"]}


@pytest.fixture
def db_url(any_db_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL."""
    return any_db_url


def start(store: Store, root: str = "/srv/org", started_at: str = STARTED, *, source: str = "local") -> int:
    return store.start_run(source, root, started_at, detectors="d1", label="march", options=OPTIONS)


def meta(root: str = "/srv/org") -> SnapshotMeta:
    return SnapshotMeta("2026-03-02T08:30:00+00:00", "local", root, "march", "d1")


def rows(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.metadata.tables[table])).scalar_one()


def test_a_started_run_is_listed_with_what_it_was_asked(store: Store) -> None:
    run_id = start(store)
    assert store.unfinished_runs("local", "/srv/org") == [
        Run(run_id, "local", "/srv/org", STARTED, "d1", "march", OPTIONS, done=0)
    ]
    assert store.journaled(run_id) == {}


def test_journaled_records_round_trip_and_a_repository_journaled_again_is_replaced(store: Store) -> None:
    run_id = start(store)
    first = [full_repo("payments/api"), RepoFacts(name="web/site", head="1" * 40).normalise()]
    store.journal(run_id, first)
    assert store.journaled(run_id) == {r.name: r for r in first}

    moved = RepoFacts(name="web/site", head="2" * 40, languages={"TypeScript": 90}).normalise()
    store.journal(run_id, [moved])
    assert store.journaled(run_id) == {"payments/api": first[0], "web/site": moved}
    (run,) = store.unfinished_runs("local", "/srv/org")
    assert run.done == 2
    with store.engine.connect() as conn:
        heads = dict(conn.execute(select(schema.run_repos.c.repo, schema.run_repos.c.head)).all())
    assert heads == {"payments/api": "a" * 40, "web/site": "2" * 40}


def test_journal_replaces_in_batches_larger_than_one_delete(store: Store) -> None:
    run_id = start(store)
    store.journal(run_id, [RepoFacts(name=f"r{i:04}", head="1") for i in range(1200)])
    store.journal(run_id, [RepoFacts(name=f"r{i:04}", head="2") for i in range(1200)])
    journaled = store.journaled(run_id)
    assert len(journaled) == 1200 and {r.head for r in journaled.values()} == {"2"}
    assert rows(store, "run_repos") == 1200


def test_the_same_repository_twice_in_one_call_keeps_the_last(store: Store) -> None:
    run_id = start(store)
    store.journal(run_id, [RepoFacts(name="a", head="1"), RepoFacts(name="a", head="2")])
    assert {k: v.head for k, v in store.journaled(run_id).items()} == {"a": "2"}


def test_unfinished_runs_newest_first_with_how_far_each_got(store: Store) -> None:
    old = start(store, started_at="2026-03-01T08:00:00+00:00")
    new = start(store, started_at="2026-03-02T08:00:00+00:00")
    same_time_later_id = start(store, started_at="2026-03-02T08:00:00+00:00")
    store.journal(old, [RepoFacts(name="a"), RepoFacts(name="b"), RepoFacts(name="c")])
    store.journal(new, [RepoFacts(name="a")])
    runs = store.unfinished_runs("local", "/srv/org")
    assert [(r.id, r.done) for r in runs] == [(same_time_later_id, 0), (new, 1), (old, 3)]


def test_finish_run_makes_exactly_one_snapshot_and_forgets_the_run(store: Store) -> None:
    run_id = start(store)
    repos = [full_repo("payments/api"), full_repo("web/site")]
    store.journal(run_id, repos)
    sid = store.finish_run(run_id, meta(), store.journaled(run_id).values())
    (snap,) = store.snapshots()
    assert (snap.id, snap.label, snap.detectors, snap.repo_count) == (sid, "march", "d1", 2)
    assert store.repo_facts(sid) == repos
    assert store.unfinished_runs("local", "/srv/org") == []
    assert rows(store, "runs") == 0 and rows(store, "run_repos") == 0
    with pytest.raises(StoreError, match=f"no run {run_id}"):
        store.finish_run(run_id, meta(), repos)  # finishing twice makes no second snapshot
    assert [s.id for s in store.snapshots()] == [sid]


def test_a_snapshot_that_fails_half_way_leaves_the_run_and_its_journal(store: Store) -> None:
    run_id = start(store)
    good = [full_repo("payments/api"), full_repo("web/site")]
    store.journal(run_id, good)
    # A dependency without a name breaks the NOT NULL of `dependencies.name`: the snapshot row,
    # its repositories and languages are already inserted by then, and must all go back.
    broken = RepoFacts(name="zz/broken", languages={"Python": 10}, dependencies=[Dependency("pypi", None)])  # type: ignore[arg-type]
    with pytest.raises(IntegrityError):
        store.finish_run(run_id, meta(), [*good, broken])
    assert store.snapshots() == []
    assert rows(store, "repos") == 0 and rows(store, "languages") == 0
    assert [(r.id, r.done) for r in store.unfinished_runs("local", "/srv/org")] == [(run_id, 2)]
    assert store.journaled(run_id) == {r.name: r for r in good}

    sid = store.finish_run(run_id, meta(), store.journaled(run_id).values())  # the run resumes and finishes
    assert [s.id for s in store.snapshots()] == [sid] and store.unfinished_runs("local", "/srv/org") == []


def test_discard_run_forgets_it_and_its_journal(store: Store) -> None:
    kept, dropped = start(store), start(store)
    store.journal(kept, [RepoFacts(name="a")])
    store.journal(dropped, [RepoFacts(name="a"), RepoFacts(name="b")])
    store.discard_run(dropped)
    store.discard_run(dropped)  # gone already: nothing to do
    assert [r.id for r in store.unfinished_runs("local", "/srv/org")] == [kept]
    assert store.journaled(dropped) == {} and rows(store, "run_repos") == 1
    with pytest.raises(StoreError, match=f"no run {dropped}"):
        store.journal(dropped, [RepoFacts(name="c")])
    assert rows(store, "run_repos") == 1
    with pytest.raises(StoreError, match=f"no run {dropped}"):
        store.finish_run(dropped, meta(), [])
    assert store.snapshots() == []


def test_runs_are_never_snapshots(store: Store) -> None:
    run_id = start(store)
    store.journal(run_id, [full_repo()])
    assert store.snapshots() == []
    assert store.latest_snapshot("local", "/srv/org") is None
    with pytest.raises(StoreError, match="no snapshot yet"):
        store.resolve_snapshot("latest")
    assert rows(store, "repos") == 0


def test_runs_of_different_roots_and_sources_are_kept_apart(store: Store) -> None:
    org = start(store, "/srv/org")
    lab = start(store, "/srv/lab")
    hub = start(store, "/srv/org", source="github")
    store.journal(org, [RepoFacts(name="api", head="1")])
    store.journal(lab, [RepoFacts(name="api", head="2"), RepoFacts(name="tool")])
    assert [r.id for r in store.unfinished_runs("local", "/srv/org")] == [org]
    assert [(r.id, r.done) for r in store.unfinished_runs("local", "/srv/lab")] == [(lab, 2)]
    assert [r.id for r in store.unfinished_runs("github", "/srv/org")] == [hub]
    assert store.journaled(org)["api"].head == "1" and store.journaled(lab)["api"].head == "2"

    store.finish_run(lab, meta("/srv/lab"), store.journaled(lab).values())
    assert [r.id for r in store.unfinished_runs("local", "/srv/org")] == [org]
    assert store.journaled(org) == {"api": RepoFacts(name="api", head="1")}
    snap = store.latest_snapshot("local", "/srv/lab")
    assert snap is not None and snap.repo_count == 2 and store.latest_snapshot("local", "/srv/org") is None


FINISHER = """
import sys
from collectors.facts import Dependency, RepoFacts
from store.db import SnapshotMeta, open_store
store = open_store(sys.argv[1])
run_id = store.start_run("local", "/o", "2026-02-01T00:00:00+00:00", detectors="d", label="big", options={})
store.journal(run_id, [RepoFacts(name=f"r{i}") for i in range(50)])
repos = [RepoFacts(name=f"r{i}", dependencies=[Dependency("npm", f"p{j}", "1") for j in range(40)]) for i in range(8000)]
print("writing", flush=True)
store.finish_run(run_id, SnapshotMeta("2026-02-01T01:00:00+00:00", "local", "/o", "big"), repos)
print("done", flush=True)
"""


@pytest.mark.parametrize("delay", [0.2, 0.8])
def test_finish_killed_half_way_leaves_either_the_run_or_the_snapshot(db_url: str, delay: float) -> None:
    kill_while_writing(FINISHER, db_url, delay)
    store = open_store(db_url)
    snaps, runs = store.snapshots(), store.unfinished_runs("local", "/o")
    if snaps:  # the commit got in before the kill
        assert [s.repo_count for s in snaps] == [8000] and runs == [] and rows(store, "run_repos") == 0
    else:
        assert [r.done for r in runs] == [50] and rows(store, "repos") == 0 and rows(store, "dependencies") == 0
