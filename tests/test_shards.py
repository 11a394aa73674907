"""Sharded collection: N collectors share an organisation through one run, and `seal` makes it one
snapshot. Slices are disjoint and stable; re-running a shard replaces its own part only; sealing
twice is harmless; a missing shard is named; readers never see an unsealed run. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from collectors.facts import FACTS_VERSION, Dependency, RepoFacts, Warning_
from collectors.shard import MAX_SHARDS, Shard, ShardError, shard_of
from store import schema
from store.db import SnapshotMeta, Store, StoreError, open_store
from store.frames import snapshots_frame
from tests.dashboard_app import open_page
from tests.fake_github import FakeGitHub, FakeRepo
from tests.gitrepo import make_repo
from tests.test_store import full_repo

TOKEN = "test-token-Shard5ecret-0123456789abcdef"
ROOT = Path(__file__).resolve().parent.parent
STARTED = "2026-11-28T02:00:00+00:00"
RUN = {"source": "github", "root": "github.com/acme", "detectors": "d1", "label": "nightly", "options": {"ci": True}}


@pytest.fixture
def db_url(any_db_url: str) -> str:
    return any_db_url


# --- slicing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1/1", Shard(1, 1)), ("2/4", Shard(2, 4)), (" 4 / 4 ", Shard(4, 4)), ("256/256", Shard(256, 256))],
)
def test_shard_parses_k_of_n(text: str, expected: Shard) -> None:
    assert Shard.parse(text) == expected and str(expected) == f"{expected.index}/{expected.count}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0/4", "K must be between 1 and N"),
        ("5/4", "K must be between 1 and N"),
        ("1/0", "N must be between 1 and 256"),
        (f"1/{MAX_SHARDS + 1}", "N must be between 1 and 256"),
        ("2", "give K/N"),
        ("a/b", "give K/N"),
        ("-1/4", "give K/N"),
        ("", "give K/N"),
    ],
)
def test_a_bad_shard_is_refused_saying_what_to_give(text: str, message: str) -> None:
    with pytest.raises(ShardError, match=message):
        Shard.parse(text)


@given(st.lists(st.text(min_size=1, max_size=40), max_size=60, unique=True), st.integers(1, 12))
def test_slices_are_disjoint_and_cover_the_organisation(names: list[str], count: int) -> None:
    slices = [[n for n in names if Shard(k, count).holds(n)] for k in range(1, count + 1)]
    assert sorted(n for s in slices for n in s) == sorted(names)


def test_slices_are_stable_across_machines_and_releases_and_ignore_case() -> None:
    # Pinned: a change of the hash would move repositories between the shards of a run under way.
    assert [shard_of(f"acme/svc-{i}", 4) for i in range(8)] == [1, 4, 2, 4, 2, 3, 2, 1]
    assert shard_of("Acme/API", 7) == shard_of("acme/api", 7)
    sizes = [sum(shard_of(f"acme/r{i}", 4) == k for i in range(4000)) for k in range(1, 5)]
    assert min(sizes) > 900  # an even split: each runner gets about a quarter


# --- the store's part -----------------------------------------------------------------------------------


def repo(name: str, head: str = "1") -> RepoFacts:
    return RepoFacts(name=name, team="payments", head=head * 40, languages={"Go": len(name)}).normalise()


def test_seal_with_a_missing_shard_names_it_and_writes_nothing(store: Store) -> None:
    run = store.open_shard("nightly-7", 1, 3, started_at=STARTED, **RUN)
    store.finish_shard(run, 1, [repo("acme/a")], finished_at=STARTED)
    store.open_shard("nightly-7", 3, 3, started_at=STARTED, **RUN)  # started, never reported
    with pytest.raises(StoreError, match=r"shards 2/3 and 3/3 have not reported \(1 of 3 did\)"):
        store.seal("nightly-7", sealed_at=STARTED)
    assert store.snapshots() == []
    status = store.sharded_run("nightly-7")
    assert status is not None and status.missing == [2, 3] and list(status.running) == [3]
    assert status.reported == {1: 1}


def test_shards_sealed_make_one_snapshot_and_sealing_again_is_harmless(store: Store) -> None:
    parts = {1: [repo("acme/a"), repo("acme/b")], 2: [repo("acme/c")], 3: []}
    for k in (3, 1, 2):  # in any order
        run = store.open_shard("nightly-8", k, 3, started_at=STARTED, **RUN)
        assert store.snapshots() == []  # readers never see a run before it is sealed
        store.finish_shard(run, k, parts[k], finished_at=STARTED)
    assert store.snapshots() == [] and len(snapshots_frame(store)) == 0
    sid, now = store.seal("nightly-8", sealed_at="2026-11-28T03:00:00+00:00")
    assert now
    (snap,) = store.snapshots()
    assert (snap.id, snap.taken_at, snap.label, snap.repo_count, snap.source, snap.root) == (
        sid, STARTED, "nightly", 3, "github", "github.com/acme",
    )  # fmt: skip
    assert store.repo_facts(sid) == [repo("acme/a"), repo("acme/b"), repo("acme/c")]
    assert store.seal("nightly-8", sealed_at="2026-11-28T04:00:00+00:00") == (sid, False)
    assert len(store.snapshots()) == 1
    with pytest.raises(StoreError, match=r"sealed already .snapshot .*use a new RUN_ID"):
        store.open_shard("nightly-8", 1, 3, started_at=STARTED, **RUN)


def test_a_shard_run_again_replaces_only_its_own_part(store: Store) -> None:
    one = store.open_shard("n", 1, 2, started_at=STARTED, **RUN)
    store.finish_shard(one, 1, [repo("acme/a"), repo("acme/b")], finished_at=STARTED)
    two = store.open_shard("n", 2, 2, started_at=STARTED, **RUN)
    store.finish_shard(two, 2, [repo("acme/c")], finished_at=STARTED)
    again = store.open_shard("n", 1, 2, started_at="2026-11-28T02:30:00+00:00", **RUN)
    assert again == one
    with pytest.raises(StoreError, match="shard 1/2 has not reported"):  # under way again: not whole
        store.seal("n", sealed_at=STARTED)
    store.finish_shard(one, 1, [repo("acme/a", head="2")], finished_at=STARTED)  # acme/b was deleted since
    sid, _ = store.seal("n", sealed_at=STARTED)
    assert store.repo_facts(sid) == [repo("acme/a", head="2"), repo("acme/c")]


def test_what_a_shard_journaled_before_it_was_interrupted_is_its_own(store: Store) -> None:
    one = store.open_shard("n", 1, 2, started_at=STARTED, **RUN)
    store.journal(one, [repo("acme/a")], shard=1)
    store.open_shard("n", 2, 2, started_at=STARTED, **RUN)
    store.journal(one, [repo("acme/c")], shard=2)
    assert list(store.journaled(one, shard=1)) == ["acme/a"]
    assert list(store.journaled(one, shard=2)) == ["acme/c"]
    assert store.unfinished_runs("github", "github.com/acme") == []  # --resume never picks up a sharded run


@pytest.mark.parametrize(
    ("change", "what"),
    [
        ({"root": "github.com/other"}, "another organisation"),
        ({"detectors": "d2"}, "another collection code"),
        ({"options": {"ci": False}}, "another collection options"),
        ({"source": "local"}, "another source"),
    ],
)
def test_a_shard_collected_otherwise_is_refused(store: Store, change: dict, what: str) -> None:
    store.open_shard("n", 1, 2, started_at=STARTED, **RUN)
    with pytest.raises(StoreError, match=f"run 'n' was started with {what}"):
        store.open_shard("n", 2, 2, started_at=STARTED, **{**RUN, **change})
    with pytest.raises(StoreError, match="another number of shards"):
        store.open_shard("n", 2, 3, started_at=STARTED, **RUN)


def test_sealing_an_unknown_run_says_how_to_make_one(store: Store) -> None:
    with pytest.raises(StoreError, match=r"no run 'nope': collect with --run nope first"):
        store.seal("nope", sealed_at=STARTED)


def test_a_snapshot_written_meanwhile_is_not_disturbed(store: Store) -> None:
    other = store.write_snapshot(SnapshotMeta("2026-11-27T00:00:00+00:00", "local", "/o"), [repo("x/y")])
    run = store.open_shard("n", 1, 1, started_at=STARTED, **RUN)
    store.finish_shard(run, 1, [repo("acme/a")], finished_at=STARTED)
    sid, _ = store.seal("n", sealed_at=STARTED)
    assert [s.id for s in store.snapshots()] == [sid, other]
    assert store.repo_facts(other) == [repo("x/y")]


def snapshot_rows(store: Store, snapshot_id: int) -> dict[str, list[tuple]]:
    """Every row of the snapshot, table by table, without its id (in a stable order)."""
    rows = {}
    with store.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            if "snapshot_id" in table.c and "repo" in table.c:  # the snapshot's facts, not the runs
                cols = [c for c in table.c if c.name != "snapshot_id"]
                got = conn.execute(select(*cols).where(table.c.snapshot_id == snapshot_id)).all()
                rows[table.name] = sorted((tuple(r) for r in got), key=repr)
        snap = schema.snapshots.c
        rows["snapshots"] = [
            tuple(
                conn.execute(
                    select(snap.repo_count, snap.warning_count, snap.facts_version).where(snap.id == snapshot_id)
                ).one()
            )
        ]
    return rows


def test_a_sealed_snapshot_holds_the_very_rows_write_snapshot_writes_for_its_records(store: Store) -> None:
    # Sealing reads the journal's JSON straight into rows; every kind of fact, hostile text (a NUL,
    # quotes, non-ASCII), a record in no particular order and one journaled by an older release
    # (keys missing, defaults taken) must come out as the records themselves would be written.
    hostile = replace(
        full_repo("acme/evil"),
        topics=["zeta", "alpha"],
        languages={"Go": 1, "C": 5},
        dependencies=[Dependency("npm", "left\x00pad", '"1.0"', None, "dev", "pakket/é.json")],
        warnings=[Warning_("package.json", "unexpected \x00 in a name"), Warning_("a", "b")],
    )
    records = [full_repo("acme/api"), hostile, RepoFacts(name="acme/empty"), repo("acme/old")]
    run = store.open_shard("n", 1, 1, started_at=STARTED, **RUN)
    store.finish_shard(run, 1, records, finished_at=STARTED)
    old = {
        "name": "acme/old",
        "archived": 1,
        "languages": {"Go": 3},
        "dependencies": [{"ecosystem": "pypi", "name": "requests"}],
        "hygiene": {"readme": {"present": True}},
        "build": {"state": "green", "reason": "all passed", "workflows": [], "checks": []},
        "ci": {"files": [{"provider": "jenkins", "path": "Jenkinsfile"}]},
    }
    with store.engine.begin() as conn:
        j = schema.run_repos.c
        conn.execute(schema.run_repos.update().where(j.repo == "acme/old").values(record=json.dumps(old)))
    records[-1] = RepoFacts.from_json(old)
    sealed, _ = store.seal("n", sealed_at=STARTED)
    written = store.write_snapshot(SnapshotMeta(STARTED, "github", "github.com/acme"), records)
    got, wanted = snapshot_rows(store, sealed), snapshot_rows(store, written)
    assert got == wanted
    # every kind of fact is in the comparison: a new kind must be added to full_repo to pass here
    assert [name for name, rows in got.items() if not rows] == []
    assert len(got["dependencies"]) == 2 + 1 + 1 and got["snapshots"] == [(4, 3, FACTS_VERSION)]
    assert ("acme/old", "pypi", "requests", None, None, "runtime", "") in got["dependencies"]


JOIN = """
import sys
from store.db import open_store
store = open_store(sys.argv[1])
run = store.open_shard("race", int(sys.argv[2]), 4, started_at="2026-11-28T02:00:00+00:00",
                       source="github", root="github.com/acme", detectors="d1", label=None, options={})
print(run)
"""


def test_four_shards_joining_at_once_share_one_run(db_url: str) -> None:
    open_store(db_url).engine.dispose()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", JOIN, db_url, str(k)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for k in range(1, 5)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    assert len({out.strip() for out, _ in results}) == 1
    status = open_store(db_url).sharded_run("race")
    assert status is not None and sorted(status.running) == [1, 2, 3, 4]


# --- the command over a fake GitHub ------------------------------------------------------------------------


def guildboard(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_TOKEN": TOKEN},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_TOKEN": TOKEN},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def org(tmp_path: Path) -> list[FakeRepo]:
    repos = []
    for i in range(14):
        files = {
            "requirements.txt": f"flask=={1 + i % 3}.0\n",
            "app.py": "print('hi')\n" * (i + 1),
            ".github/workflows/ci.yml": "name: CI\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
        }
        if i % 4 == 0:
            files["Dockerfile"] = f"FROM python:3.{10 + i % 3}-slim\n"
        repos.append(
            FakeRepo(
                f"svc-{i:02d}", make_repo(tmp_path / "org" / f"svc-{i:02d}", files), teams={f"team-{i % 3}": "maintain"}
            )
        )
    return repos


def comparable(record: RepoFacts) -> RepoFacts:
    """A record without the moment its build health was read (the only fact that depends on when)."""
    build = replace(record.build, checked_at=None) if record.build is not None else None
    return replace(record, build=build)


def collect(fake: FakeGitHub, db: str, *extra: str) -> subprocess.CompletedProcess:
    return guildboard(
        "collect", "github", "acme", "--base-url", fake.base_url, "--db", db, "--label", "nightly", *extra
    )


def test_four_shards_at_once_then_seal_give_the_snapshot_of_one_unsharded_run(
    org: list[FakeRepo], db_url: str, tmp_path: Path
) -> None:
    single = f"sqlite:///{tmp_path / 'single.db'}"
    with FakeGitHub("acme", org, tokens=[TOKEN]) as fake:
        fake.faults.latency = 0.01
        whole = collect(fake, single)
        assert whole.returncode == 0, whole.stderr
        open_store(db_url).engine.dispose()  # created once, before the shards race to it
        procs = [start("collect", "github", "acme", "--base-url", fake.base_url, "--db", db_url, "--label", "nightly",
                       "--run", "ci-1234", "--shard", f"{k}/4", "-q") for k in range(1, 5)]  # fmt: skip
        outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in outs]
    assert all("run ci-1234, shard" in out for out, _ in outs)
    assert any("every shard has reported: `guildboard seal ci-1234`" in out for out, _ in outs)
    store = open_store(db_url)
    assert store.snapshots() == []  # nothing to read before the seal
    sealed = guildboard("seal", "ci-1234", "--db", db_url)
    assert sealed.returncode == 0, sealed.stderr
    assert "run ci-1234 sealed: snapshot 1: 14 repositories" in sealed.stdout
    again = guildboard("seal", "ci-1234", "--db", db_url)
    assert again.returncode == 0 and "was sealed already: snapshot 1" in again.stdout
    (snap,) = store.snapshots()
    (reference,) = open_store(single).snapshots()
    assert (snap.source, snap.root, snap.label, snap.repo_count, snap.warning_count, snap.detectors) == (
        reference.source, reference.root, reference.label, reference.repo_count, reference.warning_count,
        reference.detectors,
    )  # fmt: skip
    got = [comparable(r) for r in store.repo_facts(snap.id)]
    expected = [comparable(r) for r in open_store(single).repo_facts(reference.id)]
    assert got == expected
    assert any(r.build is not None and r.build.state != "unknown" for r in got)


def test_an_interrupted_shard_is_named_by_seal_and_its_rerun_reuses_what_it_finished(
    org: list[FakeRepo], db_url: str
) -> None:
    # Shard 1/2 holds 12 of the 14 repositories: the one interrupted half-way.
    with FakeGitHub("acme", org, tokens=[TOKEN]) as fake:
        first = collect(fake, db_url, "--run", "r9", "--shard", "2/2", "--no-ci")
        assert first.returncode == 0, first.stderr
        fake.faults.latency = 0.1
        proc = start("collect", "github", "acme", "--base-url", fake.base_url, "--db", db_url, "--label", "nightly",
                     "--run", "r9", "--shard", "1/2", "--no-ci", "--workers", "1", "-q")  # fmt: skip
        store = open_store(db_url)
        status = store.sharded_run("r9")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status = store.sharded_run("r9")
            if status is not None and len(store.journaled(status.id, shard=1)) >= 2:
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "the same command continues" in err and "--resume" not in err
        assert status is not None
        done_before = len(store.journaled(status.id, shard=1))
        in_shard = sum(Shard(1, 2).holds(f"acme/{r.name}") for r in org)
        assert 2 <= done_before < in_shard

        refused = guildboard("seal", "r9", "--db", db_url)
        assert refused.returncode == 2
        assert "run 'r9' cannot be sealed: shard 1/2 has not reported (1 of 2 did)" in refused.stderr
        assert store.snapshots() == []

        fake.faults.latency = 0
        fake.reset_counts()
        rerun = collect(fake, db_url, "--run", "r9", "--shard", "1/2", "--no-ci")
        assert rerun.returncode == 0, rerun.stderr
        assert f"{done_before} repositories kept from its earlier try" in rerun.stderr
        assert fake.counts["git.trees"] == in_shard - done_before  # what it finished is not read again
    assert guildboard("seal", "r9", "--db", db_url).returncode == 0
    (snap,) = store.snapshots()
    assert snap.repo_count == len(org)
    assert sorted(r.name for r in store.repo_facts(snap.id)) == sorted(f"acme/{r.name}" for r in org)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shard", "1/2"], "--shard needs --run RUN_ID"),
        (["--run", "x", "--shard", "3/2"], "K must be between 1 and N"),
        (["--run", "x", "--resume"], "a sharded run resumes by running the same shard again"),
        (["--run", "", "--shard", "1/2"], "--run: give a RUN_ID of 1 to 128 characters"),
    ],
)
def test_bad_shard_options_are_one_line(args: list[str], message: str, tmp_path: Path) -> None:
    done = guildboard("collect", "github", "acme", "--db", f"sqlite:///{tmp_path / 'g.db'}", *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_the_dashboard_never_shows_an_unsealed_run(empty_dashboard: str) -> None:
    store = open_store(empty_dashboard)
    run = store.open_shard("n", 1, 2, started_at=STARTED, **RUN)
    store.finish_shard(run, 1, [repo("acme/a")], finished_at=STARTED)
    at = open_page("overview")
    assert not at.exception and "Nothing to show yet" in at.info[0].value
    store.open_shard("n", 2, 2, started_at=STARTED, **RUN)
    store.finish_shard(run, 2, [repo("acme/b")], finished_at=STARTED)
    store.seal("n", sealed_at=STARTED)
    at = open_page("overview")
    assert not at.exception and not [i for i in at.info if "Nothing to show yet" in i.value]
    assert any("nightly" in str(box.value) or "nightly" in str(box.options) for box in at.sidebar.selectbox)
