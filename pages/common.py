"""What every page shares: the open store, the chosen snapshot, cached loaders and the empty state.

`app.py` runs each page inside `frame()`, which draws the sidebar's snapshot picker; the page
calls `require_view()` for the chosen snapshot (or stops on a friendly empty state) and the
cached loaders below for its frames. Loaders are keyed by small values only (database URL,
snapshot id, generation), never by frames. The generation names the newest snapshot and the
database file, so a new collection (or a database rebuilt in place) starts fresh cache entries;
old ones age out (`max_entries`).
"""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from standards import overview as overview_
from store import Snapshot, Store, StoreError, absolute_url, database_url, open_store, safe_url
from store.frames import SnapshotFrames, load_frames

APP_PATH = Path(__file__).resolve().parent.parent / "app.py"

#: The query parameter that names the snapshot shown: `?snapshot=7`.
SNAPSHOT_PARAM = "snapshot"
_PICKER_KEY = "guildboard_snapshot_picker"
_SYNCED_KEY = "guildboard_snapshot_in_address"  # the id last written to the address


def empty_state_commands(url: str) -> str:
    """What to run to give this dashboard something to show (the database URL filled in, a
    relative SQLite path made absolute so the command works from any folder)."""
    db = safe_url(absolute_url(url))
    return (
        f"# collect every git repository under ROOT into the database this dashboard reads:\n"
        f"guildboard collect local ROOT --db '{db}'\n"
        f"# or try a made-up organisation (its own database, data/demo.db) and open it:\n"
        f"guildboard demo --serve"
    )


@dataclass(frozen=True)
class View:
    """The database and snapshot every page of this run shows."""

    db_url: str
    snapshot: Snapshot
    newest: Snapshot
    generation: str  # changes when a snapshot is added or the database is replaced


# --- the store -------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _open(url: str, file_identity: str) -> Store:
    """One `Store` (engine and connection pool) per database, shared by every session."""
    del file_identity  # part of the cache key only: a replaced SQLite file gets a new engine
    return open_store(url, create=False)


def _file_identity(url: str) -> str:
    """The SQLite file's device and inode ('' for a server database or a missing file)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return ""
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return ""
    try:
        stat = Path(parsed.database).stat()
    except OSError:
        return ""
    return f"{stat.st_dev}:{stat.st_ino}"


def get_store(url: str) -> Store:
    """The open store for `url`; `StoreError` (with what to do) when it cannot be used."""
    return _open(url, _file_identity(url))


def snapshots(url: str) -> list[Snapshot]:
    """Every snapshot, newest first. Read on every run: one small query, and how a page learns
    that a collection finished."""
    try:
        return get_store(url).snapshots()
    except SQLAlchemyError as err:
        _open.clear()
        raise StoreError(f"cannot read {safe_url(url)}: {err.__class__.__name__}") from None


# --- cached loaders (small keys only) --------------------------------------------------------------


@st.cache_data(show_spinner="Loading the snapshot…", max_entries=8)
def load_snapshot_frames(db_url: str, snapshot_id: int, generation: str) -> SnapshotFrames:
    """Every fact table of one snapshot. `generation` is part of the key (see `View`)."""
    del generation
    return load_frames(get_store(db_url), snapshot_id)


@st.cache_data(show_spinner=False, max_entries=8)
def load_overview(db_url: str, snapshot_id: int, generation: str, taken_at: str) -> overview_.Overview:
    """The Overview page's frames (`standards.overview`) for one snapshot."""
    frames = load_snapshot_frames(db_url, snapshot_id, generation)
    return overview_.overview(frames, taken_at=taken_at)


# --- the sidebar and the chosen snapshot ------------------------------------------------------------


def snapshot_label(snapshot: Snapshot) -> str:
    """`#7 · 2026-11-20 · 2026-11 guild meeting` (the source and root when it has no label)."""
    day = snapshot.taken_at[:10]
    what = snapshot.label or f"{snapshot.source} {Path(snapshot.root).name or snapshot.root}"
    return f"#{snapshot.id} · {day} · {what}"


@dataclass(frozen=True)
class _Frame:
    view: View | None
    error: str | None  # why there is no view


#: Set by `frame()` for the page run inside it (the script thread's context; no session state,
#: whose writes Streamlit drops after `st.stop()`).
_CURRENT: ContextVar[_Frame | None] = ContextVar("guildboard_frame", default=None)


@contextmanager
def frame() -> Iterator[View | None]:
    """`app.py`'s frame around the page: the sidebar's snapshot picker, and the run's `View`."""
    current = _sidebar()
    token = _CURRENT.set(current)
    try:
        yield current.view
    finally:
        _CURRENT.reset(token)


def require_view() -> View:
    """The run's `View`; without a database or a snapshot, the empty state, and the page stops.

    Streamlit treats a `pages/` folder beside the entry script as a legacy multipage app until
    `st.navigation` has been called once in the process, so the first run after a start on a
    page's address (`/overview`) runs that page without `app.py`. Then this runs `app.py` here,
    which draws the frame and the page, and stops the outer run.
    """
    current = _CURRENT.get()
    if current is None:
        runpy.run_path(str(APP_PATH), run_name="__main__")
        st.stop()
        raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop raises
    if current.view is None:
        empty_state(current.error)
        st.stop()
        raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop raises
    return current.view


def _sidebar() -> _Frame:
    """The snapshot picker, bound to `?snapshot=<id>` both ways.

    A new session takes the snapshot from the query parameter (the newest when it is absent or
    unknown). Then a change of the picker rewrites the parameter, and a change of the address
    (back and forward) moves the picker; a page switch, which drops the parameter, keeps the
    picker. Every run writes the parameter back, so the address is always a link to this view.
    (Streamlit's `bind="query-params"` would put the option's label in the address, not the id.)
    """
    url = database_url()
    try:
        snaps = snapshots(url)
        if not snaps:
            raise StoreError(f"{safe_url(url)} holds no snapshot yet")
    except StoreError as err:
        st.sidebar.caption(f"Database: `{safe_url(url)}`")
        return _Frame(view=None, error=str(err))

    by_id = {s.id: s for s in snaps}
    requested = st.query_params.get(SNAPSHOT_PARAM)
    in_address = _parse_id(requested)
    if in_address not in by_id:
        in_address = None
        if requested is not None:
            st.sidebar.warning(f"No snapshot {requested!r} in this database; showing the newest.")
    picked, synced = st.session_state.get(_PICKER_KEY), st.session_state.get(_SYNCED_KEY)
    if picked not in by_id:  # a new session (or its snapshot is gone): the address decides
        if in_address is None:
            st.session_state.pop(_PICKER_KEY, None)  # the picker's default: the newest
        else:
            st.session_state[_PICKER_KEY] = in_address
    elif in_address is not None and in_address != synced and picked == synced:
        st.session_state[_PICKER_KEY] = in_address  # the address moved (back, forward): follow it

    chosen_id = st.sidebar.selectbox(
        "Snapshot",
        options=list(by_id),
        format_func=lambda sid: snapshot_label(by_id[sid]),
        key=_PICKER_KEY,
        help="Every page shows this snapshot. The address bar keeps it (`?snapshot=<id>`), so a link "
        "to this page opens the same view.",
    )
    chosen = by_id[chosen_id]
    if st.query_params.get(SNAPSHOT_PARAM) != str(chosen.id):
        st.query_params[SNAPSHOT_PARAM] = str(chosen.id)
    st.session_state[_SYNCED_KEY] = chosen.id
    newest = snaps[0]
    if chosen.id != newest.id:
        st.sidebar.info(f"A newer snapshot exists: {snapshot_label(newest)}")
    st.sidebar.caption(f"{chosen.repo_count} repositories · {chosen.source} `{chosen.root}`")
    generation = f"{_file_identity(url)}|{newest.id}|{newest.taken_at}|{len(snaps)}"
    return _Frame(View(db_url=url, snapshot=chosen, newest=newest, generation=generation), error=None)


def empty_state(reason: str | None) -> None:
    url = database_url()
    st.info(
        "**Nothing to show yet.** guildboard draws what a collection found: collect a snapshot, then reload this page.",
        icon=":material/inventory_2:",
    )
    st.code(empty_state_commands(url), language="bash")
    st.caption(
        f"This dashboard reads `{safe_url(absolute_url(url))}` (set `GUILDBOARD_DB` to read another database)."
        + (f" The store says: {reason}" if reason else "")
    )


def team_from_selection(event: object) -> str | None:
    """The team of the first bar a chart selection event names (`customdata` or `y`), if any."""
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        team = point.get("customdata")
        if isinstance(team, list | tuple):
            team = team[0] if team else None
        team = team or point.get("y")
        if isinstance(team, str) and team:
            return team
    return None


def _parse_id(text: str | None) -> int | None:
    text = (text or "").strip().lstrip("#")
    return int(text) if text.isdigit() else None
