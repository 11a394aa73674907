"""Opening the store and moving snapshots in and out of it.

A snapshot is written in one transaction, so a collection killed half-way leaves the earlier
snapshots as they were and no partial one. A collection that wants to survive an interruption
journals each repository under a run (`start_run`, `journal`) and turns the run into a snapshot
with `finish_run`, again in one transaction; runs are never listed as snapshots. SQLite runs in
WAL mode so the dashboard reads while a collection writes. SQLAlchemy Core only, no dialect's
own statements, so the same code serves PostgreSQL.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, Table, create_engine, delete, event, func, insert, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError

from collectors.facts import FACTS_VERSION, BuildHealth, HygieneItem, RepoFacts
from store import migrate, schema
from store.config import DB_ENV, DEFAULT_DB, StoreError, database_url  # noqa: F401 - re-exported

#: Keys per `IN (...)` when deleting journal rows: well under every database's bound-parameter limit.
_IN_CHUNK = 500


@dataclass(frozen=True)
class Snapshot:
    id: int
    taken_at: str  # ISO 8601 UTC
    source: str
    root: str
    label: str | None
    repo_count: int
    warning_count: int
    detectors: str | None = None  # fingerprint of the collection code that took it


def snapshot_label(snapshot: Snapshot) -> str:
    """`#7 · 2026-11-20 · 2026-11 guild meeting` (the source and root when it has no label): how the
    dashboard's pickers and the reports name a snapshot."""
    day = snapshot.taken_at[:10]
    what = snapshot.label or f"{snapshot.source} {Path(snapshot.root).name or snapshot.root}"
    return f"#{snapshot.id} · {day} · {what}"


@dataclass(frozen=True)
class ShardedRun:
    """A run shared by N collectors: which shards reported (shard -> repositories), which are under way."""

    id: int
    name: str
    source: str
    root: str
    started_at: str
    label: str | None
    shards: int
    reported: dict[int, int]
    running: dict[int, str]  # shard -> when it started
    snapshot_id: int | None  # set once sealed

    @property
    def missing(self) -> list[int]:
        return [k for k in range(1, self.shards + 1) if k not in self.reported]


@dataclass(frozen=True)
class SnapshotMeta:
    """What the collector knows of a snapshot before it is written."""

    taken_at: str
    source: str
    root: str
    label: str | None = None
    detectors: str | None = None  # fingerprint of the collection code, see `schema.snapshots`


@dataclass(frozen=True)
class Run:
    """A collection under way (or interrupted): what it was asked and how far it got."""

    id: int
    source: str
    root: str
    started_at: str  # ISO 8601 UTC
    detectors: str | None
    label: str | None
    options: dict[str, Any] = field(hash=False)
    done: int = 0  # repositories journaled so far


def absolute_url(url: str) -> str:
    """A SQLite URL with its file path made absolute, so another process in another folder opens the same file."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        parsed = parsed.set(database=str(Path(parsed.database).resolve()))
    return parsed.render_as_string(hide_password=False)


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


class Store:
    """A guildboard database. Open with `open_store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- writing ---------------------------------------------------------------------------------

    def write_snapshot(self, meta: SnapshotMeta, repos: Iterable[RepoFacts]) -> int:
        """Write a whole snapshot in one transaction and return its id."""
        repos = list(repos)
        with self.engine.begin() as conn:
            return _write_snapshot(conn, meta, repos)

    # --- the run journal -------------------------------------------------------------------------

    def start_run(
        self,
        source: str,
        root: str,
        started_at: str,
        *,
        detectors: str | None,
        label: str | None,
        options: dict[str, Any],
    ) -> int:
        """Open a run to journal a collection into; its id is what `journal` and `finish_run` take."""
        with self.engine.begin() as conn:
            run_id = conn.execute(
                insert(schema.runs).values(
                    source=source,
                    root=root,
                    started_at=started_at,
                    detectors=detectors,
                    label=label,
                    options=json.dumps(options, sort_keys=True),
                )
            ).inserted_primary_key[0]
        return int(run_id)

    def unfinished_runs(self, source: str, root: str) -> list[Run]:
        """The runs of that source and root not yet finished or discarded, newest first (sharded runs
        are found by their name instead: they end with `seal`)."""
        r, j = schema.runs.c, schema.run_repos.c
        done = select(func.count()).select_from(schema.run_repos).where(j.run_id == r.id).scalar_subquery()
        query = (
            select(r.id, r.source, r.root, r.started_at, r.detectors, r.label, r.options, done)
            .where(r.source == source, r.root == root, r.name.is_(None))
            .order_by(r.started_at.desc(), r.id.desc())
        )
        with self.engine.connect() as conn:
            return [
                Run(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), int(row[7]))
                for row in conn.execute(query)
            ]

    def journal(self, run_id: int, records: Sequence[RepoFacts], *, shard: int | None = None) -> None:
        """Record repositories read by the run (by one of its shards), in one transaction; a repository
        journaled again is replaced."""
        latest = {r.name: r for r in records}  # the same repository twice in one call: the last stands
        if not latest:
            return
        j = schema.run_repos.c
        rows = [
            {"run_id": run_id, "repo": name, "head": r.head, "record": _record_json(r), "shard": shard}
            for name, r in latest.items()
        ]
        names = list(latest)
        with self.engine.begin() as conn:
            # Delete-then-insert rather than a dialect's upsert, so SQLite and PostgreSQL share it.
            # Writing first takes SQLite's write lock before anything is read.
            for i in range(0, len(names), _IN_CHUNK):
                conn.execute(delete(schema.run_repos).where(j.run_id == run_id, j.repo.in_(names[i : i + _IN_CHUNK])))
            _require_run(conn, run_id)
            conn.execute(insert(schema.run_repos), rows)

    def journaled(self, run_id: int, *, shard: int | None = None) -> dict[str, RepoFacts]:
        """What the run (one shard of it, when given) has journaled so far: repository name -> its record."""
        j = schema.run_repos.c
        query = select(j.repo, j.record).where(j.run_id == run_id).order_by(j.repo)
        if shard is not None:
            query = query.where(j.shard == shard)
        with self.engine.connect() as conn:
            return {repo: RepoFacts.from_json(json.loads(record)) for repo, record in conn.execute(query)}

    def finish_run(self, run_id: int, meta: SnapshotMeta, repos: Iterable[RepoFacts]) -> int:
        """Write the snapshot and forget the run in one transaction: either both happen or neither."""
        repos = list(repos)
        with self.engine.begin() as conn:
            conn.execute(delete(schema.run_repos).where(schema.run_repos.c.run_id == run_id))
            if conn.execute(delete(schema.runs).where(schema.runs.c.id == run_id)).rowcount != 1:
                raise StoreError(f"no run {run_id}: it was finished or discarded already")
            return _write_snapshot(conn, meta, repos)

    def discard_run(self, run_id: int) -> None:
        """Forget a run and its journal (no error when it is gone already)."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.run_repos).where(schema.run_repos.c.run_id == run_id))
            conn.execute(delete(schema.runs).where(schema.runs.c.id == run_id))

    # --- sharded runs ------------------------------------------------------------------------------
    # N collectors share one run, named by the caller (a CI run's id): each journals its own shard,
    # then reports it whole (`finish_shard`); `seal` turns the run into one snapshot once all N have.

    def open_shard(self, name: str, shard: int, shards: int, *, started_at: str, **run: Any) -> int:
        """Join (or start) the sharded run `name` as shard `shard` of `shards`; its run id. `run` holds
        `source`, `root`, `detectors`, `label` and `options`, which every shard must agree on: shards of
        different organisations, code or options would not make one snapshot."""
        wanted = {**run, "options": json.dumps(run["options"], sort_keys=True), "shards": shards}
        r, s = schema.runs.c, schema.run_shards.c
        for attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    # Write first: SQLite's write lock (or PostgreSQL's row lock) before anything is read.
                    conn.execute(schema.runs.update().where(r.name == name).values(name=r.name))
                    found = conn.execute(
                        select(r.id, r.source, r.root, r.detectors, r.options, r.shards, r.snapshot_id).where(
                            r.name == name
                        )
                    ).first()
                    if found is None:
                        run_id = conn.execute(
                            insert(schema.runs).values(name=name, started_at=started_at, **wanted)
                        ).inserted_primary_key[0]
                    else:
                        run_id = found.id
                        if found.snapshot_id is not None:
                            raise StoreError(
                                f"run {name!r} was sealed already (snapshot {found.snapshot_id}): use a new RUN_ID"
                            )
                        _agree(name, found._mapping, wanted)
                    conn.execute(delete(schema.run_shards).where(s.run_id == run_id, s.shard == shard))
                    conn.execute(insert(schema.run_shards).values(run_id=run_id, shard=shard, started_at=started_at))
                    return int(run_id)
            except IntegrityError:  # another shard created the run (or ran this shard) between our look and our insert
                if attempt == 2:
                    raise
        raise StoreError(f"could not join run {name!r}: it keeps changing under us")

    def finish_shard(self, run_id: int, shard: int, records: Iterable[RepoFacts], *, finished_at: str) -> None:
        """Report the shard whole: its part of the run becomes exactly `records` (a re-run replaces
        only its own part), in one transaction."""
        latest = {r.name: r for r in records}
        rows = [
            {"run_id": run_id, "repo": name, "head": r.head, "record": _record_json(r), "shard": shard}
            for name, r in latest.items()
        ]
        j, s = schema.run_repos.c, schema.run_shards.c
        with self.engine.begin() as conn:
            sealed = conn.execute(select(schema.runs.c.snapshot_id).where(schema.runs.c.id == run_id)).first()
            if sealed is None:
                raise StoreError(f"no run {run_id}: it was discarded")
            if sealed.snapshot_id is not None:
                raise StoreError(
                    f"the run was sealed (snapshot {sealed.snapshot_id}) while this shard ran: its part is not kept"
                )
            conn.execute(delete(schema.run_repos).where(j.run_id == run_id, j.shard == shard))
            if rows:
                names = list(latest)  # a repository moved here from another shard's old listing is ours now
                for i in range(0, len(names), _IN_CHUNK):
                    conn.execute(
                        delete(schema.run_repos).where(j.run_id == run_id, j.repo.in_(names[i : i + _IN_CHUNK]))
                    )
                conn.execute(insert(schema.run_repos), rows)
            done = conn.execute(
                schema.run_shards.update()
                .where(s.run_id == run_id, s.shard == shard)
                .values(finished_at=finished_at, repo_count=len(rows))
            )
            if done.rowcount != 1:
                raise StoreError(f"shard {shard} of run {run_id} was never opened")

    def sharded_run(self, name: str) -> ShardedRun | None:
        """A sharded run by its name, with how far each shard got; None when there is none."""
        r, s = schema.runs.c, schema.run_shards.c
        with self.engine.connect() as conn:
            run = conn.execute(select(schema.runs).where(r.name == name)).first()
            if run is None:
                return None
            shards = conn.execute(
                select(s.shard, s.started_at, s.finished_at, s.repo_count).where(s.run_id == run.id).order_by(s.shard)
            ).all()
        return ShardedRun(
            id=run.id,
            name=name,
            source=run.source,
            root=run.root,
            started_at=run.started_at,
            label=run.label,
            shards=int(run.shards),
            reported={int(x.shard): int(x.repo_count) for x in shards if x.finished_at is not None},
            running={int(x.shard): x.started_at for x in shards if x.finished_at is None},
            snapshot_id=run.snapshot_id,
        )

    def seal(self, name: str, *, sealed_at: str, label: str | None = None) -> tuple[int, bool]:
        """Turn the sharded run into one snapshot, in one transaction: (snapshot id, whether it was
        sealed just now). A run sealed already gives its snapshot again; a run with a shard that has
        not reported is refused, naming the shard."""
        r, j = schema.runs.c, schema.run_repos.c
        with self.engine.begin() as conn:
            # Take the run's row for ourselves first (a write on SQLite, a row lock on PostgreSQL),
            # so two seals at once make one snapshot and a shard cannot report half-way through.
            locked = conn.execute(schema.runs.update().where(r.name == name).values(name=r.name))
            if locked.rowcount != 1:
                raise StoreError(
                    f"no run {name!r}: collect with --run {name} first (see `guildboard collect github --help`)"
                )
            run = conn.execute(select(schema.runs).where(r.name == name)).one()
            if run.snapshot_id is not None:
                return int(run.snapshot_id), False
            s = schema.run_shards.c
            finished = {
                int(row.shard)
                for row in conn.execute(select(s.shard).where(s.run_id == run.id, s.finished_at.is_not(None)))
            }
            missing = [k for k in range(1, int(run.shards) + 1) if k not in finished]
            if missing:
                raise StoreError(
                    f"run {name!r} cannot be sealed: {_shards_text(missing, int(run.shards))} "
                    f"{'has' if len(missing) == 1 else 'have'} not reported "
                    f"({len(finished)} of {run.shards} did); run the missing shards again, then seal"
                )
            # Straight from the journal's JSON to the snapshot's rows, one record at a time (none kept
            # once flattened: fewer live objects for the garbage collector to walk), no `RepoFacts`.
            journal = conn.execute(select(j.record).where(j.run_id == run.id).order_by(j.repo))
            rows = record_rows(json.loads(record) for (record,) in journal)
            meta = SnapshotMeta(run.started_at, run.source, run.root, label or run.label, detectors=run.detectors)
            snapshot_id = _insert_snapshot(conn, meta, rows)
            conn.execute(delete(schema.run_repos).where(j.run_id == run.id))
            conn.execute(
                schema.runs.update().where(r.id == run.id).values(snapshot_id=snapshot_id, sealed_at=sealed_at)
            )
            return snapshot_id, True

    # --- reading ---------------------------------------------------------------------------------

    def snapshots(self) -> list[Snapshot]:
        """Every snapshot, newest first."""
        with self.engine.connect() as conn:
            return [Snapshot(*row) for row in conn.execute(_snapshot_query())]

    def latest_snapshot(self, source: str, root: str, *, detectors: str | None = None) -> Snapshot | None:
        """The newest snapshot of that source and root (taken by that code, when `detectors` is given)."""
        s = schema.snapshots.c
        query = _snapshot_query().where(s.source == source, s.root == root)
        if detectors is not None:
            query = query.where(s.detectors == detectors)
        with self.engine.connect() as conn:
            row = conn.execute(query.limit(1)).first()
        return Snapshot(*row) if row else None

    def resolve_snapshot(self, ref: str | int | None) -> Snapshot:
        """A snapshot by id, `latest`, or `label:TEXT`; `StoreError` naming what exists otherwise."""
        snaps = self.snapshots()
        if not snaps:
            raise StoreError("no snapshot yet: run `guildboard collect local ROOT` (or `guildboard demo`) first")
        if ref is None or str(ref) == "latest":
            return snaps[0]
        text = str(ref)
        if text.startswith("label:"):
            matches = [s for s in snaps if s.label == text[len("label:") :]]
        else:
            matches = [s for s in snaps if text.isdigit() and s.id == int(text)]
        if not matches:
            known = ", ".join(str(s.id) for s in snaps[:10])
            raise StoreError(f"no snapshot {text!r}; the newest ids are {known} (see `guildboard snapshots`)")
        return matches[0]

    def snapshot_before(self, snapshot: Snapshot) -> Snapshot | None:
        """The snapshot taken just before `snapshot` (by time, then id); None for the first one.
        What the dashboard and the reports compare with when told nothing else."""
        older = [s for s in self.snapshots() if (s.taken_at, s.id) < (snapshot.taken_at, snapshot.id)]
        return max(older, key=lambda s: (s.taken_at, s.id), default=None)

    def repo_facts(self, snapshot_id: int) -> list[RepoFacts]:
        """The snapshot's repositories, rebuilt as `RepoFacts` (the JSON export reads these)."""
        by_name: dict[str, RepoFacts] = {}
        with self.engine.connect() as conn:
            r = schema.repos.c
            for row in conn.execute(select(schema.repos).where(r.snapshot_id == snapshot_id).order_by(r.repo)):
                by_name[row.repo] = RepoFacts(
                    name=row.repo,
                    team=row.team,
                    team_source=row.team_source,
                    default_branch=row.default_branch,
                    head=row.head,
                    archived=bool(row.archived),
                    pushed_at=row.pushed_at,
                    url=row.url,
                    topics=json.loads(row.topics),
                    fork=bool(row.fork),
                    visibility=row.visibility,
                    team_candidates=json.loads(row.team_candidates),
                )
            lang = schema.languages.c
            for row in conn.execute(
                select(schema.languages).where(lang.snapshot_id == snapshot_id).order_by(lang.repo, lang.language)
            ):
                target = by_name[row.repo].languages if row.counted else by_name[row.repo].other_languages
                target[row.language] = int(row.bytes)
            hyg = schema.hygiene.c
            for row in conn.execute(select(schema.hygiene).where(hyg.snapshot_id == snapshot_id)):
                by_name[row.repo].hygiene[row.item] = HygieneItem(bool(row.present), row.path, row.detail)
            b = schema.build_health.c
            for row in conn.execute(select(schema.build_health).where(b.snapshot_id == snapshot_id)):
                by_name[row.repo].build = BuildHealth(row.state, row.reason, row.commit, row.checked_at)
            for ft in schema.FACT_TABLES:
                cols = [c for c in ft.table.c if c.name not in ("snapshot_id", "repo")]
                for row in conn.execute(select(ft.table.c.repo, *cols).where(ft.table.c.snapshot_id == snapshot_id)):
                    getattr(by_name[row[0]], ft.attribute).append(ft.item(*row[1:]))
        return [r.normalise() for r in by_name.values()]


def _record_json(record: RepoFacts) -> str:
    return json.dumps(record.to_json())


def _agree(name: str, found: Any, wanted: dict[str, Any]) -> None:
    """Refuse a shard whose run settings differ from those the run was started with."""
    for key in ("source", "root", "shards", "detectors", "options"):
        if found[key] != wanted[key]:
            what = {
                "source": "source",
                "root": "organisation",
                "shards": "number of shards",
                "detectors": "collection code (guildboard version)",
                "options": "collection options",
            }[key]
            raise StoreError(
                f"run {name!r} was started with another {what} ({found[key]}; this shard: {wanted[key]}): "
                "every shard of a run must be collected alike"
            )


def _shards_text(shards: list[int], count: int) -> str:
    names = [f"{k}/{count}" for k in shards]
    return "shard " + names[0] if len(names) == 1 else "shards " + ", ".join(names[:-1]) + " and " + names[-1]


def _snapshot_query() -> Select:
    """Every snapshot's `Snapshot` fields, newest first (the order `snapshots` and `latest_snapshot` share)."""
    s = schema.snapshots.c
    return select(s.id, s.taken_at, s.source, s.root, s.label, s.repo_count, s.warning_count, s.detectors).order_by(
        s.taken_at.desc(), s.id.desc()
    )


def _require_run(conn: Connection, run_id: int) -> None:
    if conn.execute(select(schema.runs.c.id).where(schema.runs.c.id == run_id)).first() is None:
        raise StoreError(f"no run {run_id}: it was finished or discarded")


def _write_snapshot(conn: Connection, meta: SnapshotMeta, repos: list[RepoFacts]) -> int:
    """Insert one snapshot inside the caller's transaction, so `finish_run` can pair it with the run's removal."""
    return _insert_snapshot(conn, meta, fact_rows(repos))


def _insert_snapshot(conn: Connection, meta: SnapshotMeta, rows: dict[str, list[tuple]]) -> int:
    """Insert the snapshot's row and its fact rows (`fact_rows`' shape: one per repository in `repos`,
    one per warning in `warnings`); its id."""
    no_nul = conn.dialect.name == "postgresql"
    snapshot_id = conn.execute(
        insert(schema.snapshots).values(
            taken_at=meta.taken_at,
            source=meta.source,
            root=meta.root,
            label=_without_nul(meta.label) if no_nul else meta.label,
            repo_count=len(rows["repos"]),
            warning_count=len(rows["warnings"]),
            facts_version=FACTS_VERSION,
            detectors=meta.detectors,
        )
    ).inserted_primary_key[0]
    for name, batch in rows.items():
        if batch:
            if no_nul and any(type(v) is str and "\x00" in v for row in batch for v in row):
                batch = [tuple(_without_nul(v) for v in row) for row in batch]
            _insert_rows(conn, schema.metadata.tables[name], [(snapshot_id, *row) for row in batch])
    return int(snapshot_id)


def _insert_rows(conn: Connection, table: Table, rows: list[tuple]) -> None:
    """Insert whole rows (tuples in the table's column order) with one executemany: the statement
    Core compiles for the connection's dialect, the values through the columns' bind processors,
    as `conn.execute(insert(table), dicts)` does, but without that call's work per row and column
    (a dict per row, then its parameters processed one by one): most of a big snapshot's write."""
    keys = [c.key for c in table.c]
    compiled = insert(table).compile(dialect=conn.dialect)
    if compiled.positional:
        plain = list(compiled.positiontup or ()) == keys
    else:
        plain = not compiled.escaped_bind_names and sorted(compiled.bind_names.values()) == sorted(keys)
    if not plain:  # parameters named otherwise than the columns: Core's own way
        conn.execute(insert(table), [dict(zip(keys, row, strict=True)) for row in rows])
        return
    for i, column in enumerate(table.c):
        process = column.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if process is not None:
            rows = [(*row[:i], process(row[i]), *row[i + 1 :]) for row in rows]
    conn.exec_driver_sql(
        compiled.string, rows if compiled.positional else [dict(zip(keys, row, strict=True)) for row in rows]
    )


def _without_nul(value: Any) -> Any:
    """PostgreSQL's text cannot hold NUL (a hostile manifest can): it is stored there as U+FFFD."""
    return value.replace("\x00", "\ufffd") if type(value) is str else value


def fact_rows(records: Iterable[RepoFacts]) -> dict[str, list[tuple]]:
    """Table name -> the records' rows, as tuples in the table's column order (without
    `snapshot_id`). The one flattening of records: `write_snapshot` inserts these rows and
    `store.frames.frames_from_records` builds frames of them. Values are read with one
    `attrgetter` per kind of fact: `dataclasses.asdict` would deep-copy each and cost ten times as much."""
    rows: dict[str, list[tuple]] = {name: [] for name in _ROW_TABLES}
    hygiene, build = _ROW_OF[HygieneItem], _ROW_OF[BuildHealth]
    lists = [(ft.table.name, ft.attribute, _ROW_OF[ft.item]) for ft in schema.FACT_TABLES]
    for r in records:
        name = r.name
        rows["repos"].append(
            (
                name,
                r.team,
                r.team_source,
                r.default_branch,
                r.head,
                r.archived,
                r.pushed_at,
                r.url,
                json.dumps(list(r.topics)),
                r.fork,
                r.visibility,
                json.dumps(dict(r.team_candidates)),
            )
        )
        rows["languages"] += [(name, lang, size, True) for lang, size in r.languages.items()]
        rows["languages"] += [(name, lang, size, False) for lang, size in r.other_languages.items()]
        rows["hygiene"] += [(name, item, *hygiene(h)) for item, h in r.hygiene.items()]
        if r.build is not None:
            rows["build_health"].append((name, *build(r.build)))
        for table, attribute, row_of in lists:
            rows[table] += [(name, *row_of(x)) for x in getattr(r, attribute)]
    return rows


_ROW_TABLES = ("repos", "languages", "hygiene", "build_health", *(ft.table.name for ft in schema.FACT_TABLES))


def _row_of(kind: type) -> Callable[[Any], tuple]:
    names = [f.name for f in fields(kind)]
    get = attrgetter(*names)
    return get if len(names) > 1 else lambda x: (get(x),)


#: Fact item type -> its values as a tuple, in field order.
_ROW_OF: dict[type, Callable[[Any], tuple]] = {
    kind: _row_of(kind) for kind in (HygieneItem, BuildHealth, *(ft.item for ft in schema.FACT_TABLES))
}


def record_rows(records: Iterable[dict[str, Any]]) -> dict[str, list[tuple]]:
    """`fact_rows` of records in their JSON form (`RepoFacts.to_json`, as journaled), read off the
    JSON without building `RepoFacts`: the same rows as `fact_rows(map(RepoFacts.from_json, records))`,
    which `seal` would otherwise spend most of its time on (a test holds the two equal)."""
    rows: dict[str, list[tuple]] = {name: [] for name in _ROW_TABLES}
    repos, languages, hygiene, builds = rows["repos"], rows["languages"], rows["hygiene"], rows["build_health"]
    hygiene_row, build_row = _JSON_ROW_OF[HygieneItem], _JSON_ROW_OF[BuildHealth]
    lists = [(rows[ft.table.name], _JSON_ITEMS[ft.attribute], _JSON_ROW_OF[ft.item]) for ft in schema.FACT_TABLES]
    for d in records:
        name = d["name"]
        repos.append(
            (
                name,
                d.get("team", "unassigned"),
                d.get("team_source", "default"),
                d.get("default_branch"),
                d.get("head"),
                bool(d.get("archived", False)),
                d.get("pushed_at"),
                d.get("url"),
                json.dumps(list(d.get("topics") or ())),
                bool(d.get("fork", False)),
                d.get("visibility"),
                json.dumps(dict(d.get("team_candidates") or {})),
            )
        )
        languages += [(name, lang, size, True) for lang, size in (d.get("languages") or {}).items()]
        languages += [(name, lang, size, False) for lang, size in (d.get("other_languages") or {}).items()]
        hygiene += [(name, item, *hygiene_row(h)) for item, h in (d.get("hygiene") or {}).items()]
        build = d.get("build") or {}
        if build.get("state"):
            builds.append((name, *build_row(build)))
        for out, items_of, row_of in lists:
            out += [(name, *row_of(x)) for x in items_of(d)]
    return rows


def _json_row_of(kind: type) -> Callable[[dict[str, Any]], tuple]:
    """A fact item's JSON object -> its values in field order; one with a key missing (an older
    record) goes through the dataclass, for its defaults and its error, as `RepoFacts.from_json` does."""
    names = tuple(f.name for f in fields(kind))
    get = itemgetter(*names) if len(names) > 1 else lambda x: (x[names[0]],)
    as_row = _ROW_OF[kind]

    def row(data: dict[str, Any]) -> tuple:
        try:
            return get(data)
        except KeyError:
            return as_row(kind(**{k: v for k, v in data.items() if k in names}))

    return row


_JSON_ROW_OF: dict[type, Callable[[dict[str, Any]], tuple]] = {kind: _json_row_of(kind) for kind in _ROW_OF}


def _json_list(*path: str) -> Callable[[dict[str, Any]], list]:
    """Where a list of facts sits in a record's JSON: `ci.files` is `("ci", "files")`."""
    *sections, key = path

    def items(data: dict[str, Any]) -> list:
        for section in sections:
            data = data.get(section) or {}
        return data.get(key) or []

    return items


#: `RepoFacts` list attribute -> its items in the record's JSON (the export format's layout).
_JSON_ITEMS: dict[str, Callable[[dict[str, Any]], list]] = {
    ft.attribute: _json_list(ft.attribute) for ft in schema.FACT_TABLES
} | {
    "ci_files": _json_list("ci", "files"),
    "actions": _json_list("ci", "actions"),
    "workflows": _json_list("build", "workflows"),
    "checks": _json_list("build", "checks"),
}

# The tuples above follow the tables' column order; a table changed without them fails here, at import.
_REPO_COLUMNS = (
    *("repo", "team", "team_source", "default_branch", "head", "archived"),
    *("pushed_at", "url", "topics", "fork", "visibility", "team_candidates"),
)
assert tuple(c.name for c in schema.repos.c)[1:] == _REPO_COLUMNS
assert [c.name for c in schema.languages.c][1:] == ["repo", "language", "bytes", "counted"]
assert [c.name for c in schema.hygiene.c][1:] == ["repo", "item", *(f.name for f in fields(HygieneItem))]
assert [c.name for c in schema.build_health.c][1:] == ["repo", *(f.name for f in fields(BuildHealth))]
assert all(
    [c.name for c in ft.table.c][1:] == ["repo", *(f.name for f in fields(ft.item))] for ft in schema.FACT_TABLES
)


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """Open (and, with `create`, initialise) the database; refuse one of another schema."""
    engine = _engine(url, create=create)
    try:
        _check_schema(engine, create=create)
    except DBAPIError as err:
        engine.dispose()
        raise StoreError(f"cannot open {safe_url(str(engine.url))}: {str(err.orig).strip()}") from None
    except StoreError:
        engine.dispose()
        raise
    return Store(engine)


def upgrade_database(url: str | None = None) -> tuple[migrate.Revision | None, migrate.Revision]:
    """Apply the migrations the database lacks (`guildboard db upgrade`): (revision before, after).

    A missing SQLite file or an empty database gets the tables at the head revision (before is
    None), so a deployment's first step can be the same command as every night's."""
    engine = _engine(url, create=True)
    try:
        if _is_empty(engine):
            created = migrate.create(engine)
            if created:
                with engine.connect() as conn:
                    return None, migrate.revision_of(conn)
        return migrate.upgrade(engine)
    except DBAPIError as err:
        raise StoreError(f"cannot upgrade {safe_url(str(engine.url))}: {str(err.orig).strip()}") from None
    finally:
        engine.dispose()


def database_revision(url: str | None = None) -> migrate.Revision:
    """The schema revision a guildboard database is at (`guildboard db status`)."""
    engine = _engine(url, create=False)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(schema.meta.name):
                raise StoreError(f"{safe_url(str(engine.url))} is not a guildboard database (no guildboard_meta table)")
            return migrate.revision_of(conn)
    except DBAPIError as err:
        raise StoreError(f"cannot open {safe_url(str(engine.url))}: {str(err.orig).strip()}") from None
    finally:
        engine.dispose()


def _engine(url: str | None, *, create: bool) -> Engine:
    """An engine on the database, its SQLite file's folder made when creating; nothing checked yet."""
    url = database_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {safe_url(url)} (e.g. sqlite:///data/guildboard.db)") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.exists():
            if not create:
                raise StoreError(f"no database at {path}: run `guildboard collect local ROOT` first")
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed)
    except (NoSuchModuleError, ImportError) as err:
        raise StoreError(f"cannot use {safe_url(url)}: {err}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    if cur.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        _write_ahead(cur)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _is_empty(engine: Engine) -> bool:
    """Whether the database has no tables yet (Alembic's own aside); refuse one holding another's."""
    tables = set(inspect(engine).get_table_names())
    if schema.meta.name in tables:
        return False
    if tables - {migrate.version_table.name}:
        raise StoreError(
            f"{safe_url(str(engine.url))} holds tables that are not guildboard's "
            f"({', '.join(sorted(tables)[:5])}); point --db at a guildboard database"
        )
    return True


def _write_ahead(cur: sqlite3.Cursor) -> None:
    """Turn a new file to WAL, so readers never block on a collection that writes. SQLite does not
    wait for a lock to switch modes: processes opening a new file at once take turns here."""
    for attempt in range(100):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or attempt == 99:
                raise
            time.sleep(0.05)


def _check_schema(engine: Engine, *, create: bool) -> None:
    """Create an empty database; refuse a foreign one, or one whose schema revision is not this code's."""
    where = safe_url(str(engine.url))
    if _is_empty(engine):
        if not create:
            raise StoreError(f"{where} is empty: run a collection first")
        if migrate.create(engine):
            return
    with engine.connect() as conn:
        try:
            migrate.check(conn, where)
        except StoreError as err:
            message = str(err)
            raise StoreError(message if message.startswith(where) else f"{where}: {message}") from None
