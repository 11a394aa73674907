"""What every page shares: the open store, the sidebar's choices, cached loaders and empty states.

`app.py` runs each page inside `frame()`, which draws the sidebar: the snapshot, the snapshot to
compare with, and the filters (teams, main languages, archived), all kept in the address so a link
reopens the same view. A page calls `require_view()` for those choices (or stops on an empty state
that says what to do), then `analysis(view)` / `derived(view, fn)` for ready frames.

Loaders are keyed by small values only (database URL, snapshot id, generation, the standards
file's stamp, today's date, the filters), never by frames. The generation names the newest
snapshot and the database file, so a new collection (or a database rebuilt in place) starts fresh
cache entries, and the old ones are dropped. Filters are applied to the cached whole-snapshot
analysis (`standards.analysis.narrow`), and what a page derives from the narrowed analysis is
cached by the filters too.
"""

from __future__ import annotations

import functools
import importlib
import os
import runpy
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from standards import STANDARDS_ENV
from standards import overview as overview_
from standards.analysis import Analysis, Filters, analyse, narrow
from standards.diff import SnapshotDiff, diff_snapshots
from standards.evaluate import utc_today
from standards.load import StandardsError, load_standards
from standards.model import Standards
from store import Snapshot, Store, StoreError, absolute_url, database_url, open_store, safe_url
from store.db import snapshot_label
from store.frames import SnapshotFrames, load_frames

if TYPE_CHECKING:
    from standards.report import Report

T = TypeVar("T")

APP_PATH = Path(__file__).resolve().parent.parent / "app.py"

#: The query parameter that names the snapshot shown: `?snapshot=7`.
SNAPSHOT_PARAM = "snapshot"
#: The snapshot compared with (`?compare=5`; `none` for no comparison; absent: the one before).
COMPARE_PARAM = "compare"
NO_COMPARISON = "none"
#: Filters: bound to the address by Streamlit (`?team=a&team=b&lang=Go&archived=true`).
TEAMS_PARAM = "team"
LANGUAGES_PARAM = "lang"
ARCHIVED_PARAM = "archived"

_PICKER_KEY = "guildboard_snapshot_picker"
_SYNCED_KEY = "guildboard_snapshot_in_address"  # the id last written to the address
_COMPARE_KEY = "guildboard_compare_picker"
_COMPARE_SYNCED_KEY = "guildboard_compare_in_address"


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
class GuildStandards:
    """The configured standards file as read: `standards` when it is valid, else why not."""

    path: str | None  # None: no file configured
    stamp: str  # the file's size and modification time: part of every cache key that depends on it
    standards: Standards | None
    problem: str | None  # missing file, or every problem the loader listed


@dataclass(frozen=True)
class View:
    """The choices every page of this run shows: database, snapshot, comparison, filters, standards."""

    db_url: str
    snapshot: Snapshot
    newest: Snapshot
    generation: str  # changes when a snapshot is added or the database is replaced
    compare: Snapshot | None = None  # the snapshot deltas and the meeting agenda compare with
    filters: Filters = field(default_factory=Filters)
    guild: GuildStandards = field(
        default_factory=lambda: GuildStandards(None, "", None, "no standards file configured")
    )
    snapshots: tuple[Snapshot, ...] = ()  # every snapshot, newest first
    today: str = ""  # ISO date waivers and reviews are judged on (UTC)

    @property
    def standards(self) -> Standards | None:
        return self.guild.standards


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


@st.cache_data(show_spinner=False, max_entries=16)
def _read_standards(path: str, stamp: str) -> tuple[Standards | None, str | None]:
    del stamp  # part of the key: an edited file is read again
    try:
        return load_standards(Path(path)), None
    except StandardsError as err:
        return None, str(err)
    except OSError as err:
        return None, f"cannot read {path}: {err.strerror or err}"


def guild_standards() -> GuildStandards:
    """The standards file named by `GUILDBOARD_STANDARDS`, read once per change of the file."""
    path = os.environ.get(STANDARDS_ENV, "").strip()
    if not path:
        return GuildStandards(None, "", None, "no standards file configured")
    try:
        stat = Path(path).stat()
    except OSError:
        return GuildStandards(path, "", None, f"no standards file at {path}")
    stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
    standards, problem = _read_standards(path, stamp)
    return GuildStandards(path, stamp, standards, problem)


@st.cache_data(show_spinner="Evaluating the standards…", max_entries=6)
def load_analysis(db_url: str, snapshot_id: int, generation: str, standards_path: str | None,
                  standards_stamp: str, today: str) -> Analysis:  # fmt: skip
    """One snapshot evaluated against the standards file (whole: the filters are applied after)."""
    frames = load_snapshot_frames(db_url, snapshot_id, generation)
    standards = _read_standards(standards_path, standards_stamp)[0] if standards_path else None
    return analyse(frames, standards, today=date.fromisoformat(today))


def _analysis_of(view: View, snapshot_id: int) -> Analysis:
    return load_analysis(view.db_url, snapshot_id, view.generation, view.guild.path,
                         view.guild.stamp, view.today)  # fmt: skip


def whole_analysis(view: View) -> Analysis:
    """The chosen snapshot's analysis before the filters (for the filters' own options)."""
    return _analysis_of(view, view.snapshot.id)


def analysis(view: View) -> Analysis:
    """The chosen snapshot's analysis, narrowed to what the sidebar's filters keep."""
    return narrow(_analysis_of(view, view.snapshot.id), view.filters)


def compare_analysis(view: View) -> Analysis | None:
    """The compared snapshot's analysis under the same filters; None when nothing is compared."""
    if view.compare is None:
        return None
    return narrow(_analysis_of(view, view.compare.id), view.filters)


@st.cache_data(show_spinner="Working it out…", max_entries=64)
def _derived(name: str, db_url: str, snapshot_id: int, generation: str, standards_path: str | None,
             standards_stamp: str, today: str, filters: Filters, args: tuple) -> Any:  # fmt: skip
    module, _, attr = name.rpartition(".")
    fn = getattr(importlib.import_module(module), attr)
    whole = load_analysis(db_url, snapshot_id, generation, standards_path, standards_stamp, today)
    return fn(narrow(whole, filters), *args)


def derived(view: View, fn: Callable[..., T], *args: Hashable, snapshot: Snapshot | None = None) -> T:
    """`fn(analysis, *args)` for the chosen (or given) snapshot under the filters, cached by small
    keys: `fn` must be a module-level function (it is found again by name), `args` small values."""
    target = snapshot or view.snapshot
    name = f"{fn.__module__}.{fn.__qualname__}"
    return _derived(name, view.db_url, target.id, view.generation, view.guild.path, view.guild.stamp,
                    view.today, view.filters, tuple(args))  # fmt: skip


@st.cache_data(show_spinner="Comparing the snapshots…", max_entries=8)
def _diff(db_url: str, old_id: int, new_id: int, generation: str, standards_path: str | None,
          standards_stamp: str, today: str, filters: Filters) -> SnapshotDiff | None:  # fmt: skip
    keys = (generation, standards_path, standards_stamp, today)
    old = narrow(load_analysis(db_url, old_id, *keys), filters)
    new = narrow(load_analysis(db_url, new_id, *keys), filters)
    if new.standards is None:
        return None
    return diff_snapshots(old.frames, new.frames, new.standards, old_results=old.results,
                          new_results=new.results, today=new.today)  # fmt: skip


def snapshot_diff(view: View) -> SnapshotDiff | None:
    """What changed from the compared snapshot to the chosen one, under the filters; None when
    nothing is compared or no standards file is configured."""
    if view.compare is None:
        return None
    return _diff(view.db_url, view.compare.id, view.snapshot.id, view.generation, view.guild.path,
                 view.guild.stamp, view.today, view.filters)  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=4096)
def _per_snapshot(name: str, db_url: str, snapshot_key: str, standards_path: str | None,
                  standards_stamp: str, today: str, filters: Filters) -> Any:  # fmt: skip
    """`fn(analysis)` of one snapshot, computed without keeping its frames in the cache: only the
    (small) result stays, so a trend over every snapshot costs each snapshot's evaluation once.
    A snapshot never changes once written, so the key is the snapshot itself (database file, id,
    time), not the newest snapshot: a new collection adds one point, it does not redo the others."""
    module, _, attr = name.rpartition(".")
    fn = getattr(importlib.import_module(module), attr)
    snapshot_id = int(snapshot_key.split("|")[1])
    frames = load_frames(get_store(db_url), snapshot_id)
    standards = _read_standards(standards_path, standards_stamp)[0] if standards_path else None
    return fn(narrow(analyse(frames, standards, today=date.fromisoformat(today)), filters))


def over_snapshots(
    view: View,
    fn: Callable[[Analysis], T],
    *,
    filters: Filters | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[Snapshot, T]]:
    """`fn(analysis)` for every snapshot, oldest first, each cached on its own (see `_per_snapshot`).
    `filters` defaults to the view's; `progress(done, total)` is called before each snapshot."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    chosen = filters if filters is not None else view.filters
    identity = _file_identity(view.db_url)
    ordered = sorted(view.snapshots, key=lambda s: (s.taken_at, s.id))
    out = []
    for done, snap in enumerate(ordered):
        if progress is not None:
            progress(done, len(ordered))
        key = f"{identity}|{snap.id}|{snap.taken_at}"
        out.append((snap, _per_snapshot(name, view.db_url, key, view.guild.path, view.guild.stamp, view.today, chosen)))
    return out


def require_standards(view: View) -> Standards:
    """The valid standards file; otherwise an empty state that says how to give one, and the page stops."""
    if view.standards is not None:
        return view.standards
    standards_empty_state(view.guild)
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop raises


def standards_note(guild: GuildStandards) -> None:
    """A one-line note where a facts page would show the standards' side, and why it cannot."""
    if guild.path is None:
        st.info(
            "Compliance, levels and findings need the guild's standards file: "
            "`guildboard serve --standards FILE` (a starting point: `data/standards.example.yaml`).",
            icon=":material/rule:",
        )
    else:
        st.warning(f"The standards file `{guild.path}` has problems: the Standards page lists them.")


def standards_empty_state(guild: GuildStandards) -> None:
    if guild.path is None:
        st.info(
            "**No standards file.** This view judges the repositories by the guild's standards. "
            "Point the dashboard at your standards file, then reload:",
            icon=":material/rule:",
        )
        st.code(
            "guildboard serve --standards standards.yaml\n"
            f"# or: export {STANDARDS_ENV}=/path/to/standards.yaml\n"
            "# a starting point: data/standards.example.yaml",
            language="bash",
        )
        return
    st.error(f"**The standards file cannot be used.** `{guild.path}`", icon=":material/error:")
    st.code(guild.problem or "", language="text")
    st.caption("Fix the problems listed (file:line: path: message), save, and reload this page.")


#: The meeting page's presentation mode (`?present=true`): sidebar collapsed, large type.
PRESENT_PARAM = "present"


def presenting() -> bool:
    """True when the address asks for the presentation mode (read before the page is set up)."""
    return str(st.query_params.get(PRESENT_PARAM, "")).lower() in ("1", "true", "yes")


def _today() -> str:
    return utc_today().isoformat()


# --- the sidebar and the chosen snapshot ------------------------------------------------------------


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
    _forget_old_generations(generation)
    compare = _compare_picker(snaps, chosen)
    guild = guild_standards()
    base = View(db_url=url, snapshot=chosen, newest=newest, generation=generation, compare=compare,
                guild=guild, snapshots=tuple(snaps), today=_today())  # fmt: skip
    filters = _filter_widgets(whole_analysis(base))
    if guild.path is None:
        st.sidebar.caption("No standards file: facts only (`guildboard serve --standards FILE`).")
    elif guild.standards is None:
        st.sidebar.error("The standards file has problems: see the Standards page.")
    else:
        st.sidebar.caption(f"Standards: `{Path(guild.path).name}` · judged on {base.today} (UTC)")
    return _Frame(replace(base, filters=filters), error=None)


_SEEN_GENERATION: dict[str, str] = {}


def _forget_old_generations(generation: str) -> None:
    """A new snapshot (or a replaced database) drops every cached entry of the old ones at once,
    rather than leaving them to age out."""
    if _SEEN_GENERATION.get("last") not in (None, generation):
        for loader in (load_snapshot_frames, load_overview, load_analysis, _derived, _diff):
            loader.clear()
    _SEEN_GENERATION["last"] = generation


def _compare_picker(snaps: list[Snapshot], chosen: Snapshot) -> Snapshot | None:
    """The snapshot to compare with, bound to `?compare=<id>|none` both ways like the snapshot
    picker. Absent from the address, it is the snapshot taken before the chosen one, so it follows
    the snapshot picker; a pick is kept across page switches (which drop the parameter)."""
    by_id = {s.id: s for s in snaps}
    older = [s for s in snaps if (s.taken_at, s.id) < (chosen.taken_at, chosen.id)]
    default = older[0].id if older else None
    # Streamlit shows a None option as no selection: "nothing" is `_NOTHING` in the widget
    options: list[int] = [_NOTHING, *[s.id for s in snaps if s.id != chosen.id]]
    requested = st.query_params.get(COMPARE_PARAM)
    choice = st.session_state.get(_COMPARE_SYNCED_KEY, _DEFAULT)
    if requested is not None and requested != _param_of(choice):  # a link, or back and forward
        if requested.strip().lower() == NO_COMPARISON:
            choice = None
        elif (parsed := _parse_id(requested)) in by_id:
            choice = parsed
        else:
            st.sidebar.warning(f"Cannot compare with {requested!r}; comparing with the snapshot before.")
            choice = _DEFAULT
    if choice == chosen.id or (choice not in (_DEFAULT, None) and choice not in by_id):
        choice = _DEFAULT
    st.session_state[_COMPARE_SYNCED_KEY] = choice
    shown = default if choice == _DEFAULT else choice
    st.session_state[_COMPARE_KEY] = _NOTHING if shown is None else shown
    compare_id = st.sidebar.selectbox(
        "Compare with",
        options=options,
        format_func=lambda sid: "nothing (no deltas)" if sid == _NOTHING else snapshot_label(by_id[sid]),
        key=_COMPARE_KEY,
        on_change=_compare_picked,
        help="Deltas and the meeting agenda compare the chosen snapshot with this one; by default the "
        "snapshot taken before it. The address keeps a pick (`?compare=<id>` or `?compare=none`).",
    )
    wanted = _param_of(choice)
    if wanted is None:
        if COMPARE_PARAM in st.query_params:
            del st.query_params[COMPARE_PARAM]
    elif st.query_params.get(COMPARE_PARAM) != wanted:
        st.query_params[COMPARE_PARAM] = wanted
    return by_id.get(compare_id)


_DEFAULT = "default"  # the compare choice that follows the snapshot picker
_NOTHING = 0  # the compare picker's "nothing" (snapshot ids start at 1)


def _compare_picked() -> None:
    picked = st.session_state.get(_COMPARE_KEY)
    st.session_state[_COMPARE_SYNCED_KEY] = None if picked == _NOTHING else picked


def _param_of(choice: object) -> str | None:
    if choice == _DEFAULT:
        return None
    return NO_COMPARISON if choice is None else str(choice)


def _filter_widgets(whole: Analysis) -> Filters:
    """Teams, main languages and archived: Streamlit binds them to the address (`?team=...`)."""
    st.sidebar.divider()
    teams = st.sidebar.multiselect(
        "Teams", whole.teams, key=TEAMS_PARAM, bind="query-params", placeholder="All teams",
        help="Every page shows only these teams' repositories.",
    )  # fmt: skip
    languages = st.sidebar.multiselect(
        "Main languages", whole.languages, key=LANGUAGES_PARAM, bind="query-params",
        placeholder="All languages", help="Repositories whose main language (most bytes) is one of these.",
    )  # fmt: skip
    archived = st.sidebar.checkbox(
        "Include archived repositories", key=ARCHIVED_PARAM, bind="query-params",
        help="Archived repositories never count in compliance, levels or metrics; this lists them too.",
    )  # fmt: skip
    return Filters(teams=tuple(teams), languages=tuple(languages), include_archived=bool(archived))


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


def waivers_table(waivers: pd.DataFrame, *, findings_help: str) -> None:
    """The waivers as the Standards and Teams pages list them (`standards.guild.waivers_table`'s
    columns), expired first; `findings_help` says whose findings the count covers."""
    st.dataframe(
        waivers,
        hide_index=True,
        column_order=["expired", "expires", "days_left", "standard", "subject", "repositories", "approver", "reason"],
        column_config={
            "expired": st.column_config.CheckboxColumn("Expired"),
            "expires": st.column_config.DateColumn("Expires", help="The last day it holds (UTC)"),
            "days_left": st.column_config.NumberColumn("Days left", help="Negative: days since it expired"),
            "standard": st.column_config.TextColumn("Standard"),
            "subject": st.column_config.TextColumn("Covers"),
            "reason": st.column_config.TextColumn("Reason", width="large"),
            "approver": st.column_config.TextColumn("Approved by"),
            "repositories": st.column_config.NumberColumn("Findings", help=findings_help),
        },
    )


# --- reports ------------------------------------------------------------------------------------------


def report(view: View) -> Report:
    """The report of what this view shows (snapshot, comparison, filters, standards), from the
    cached analyses and diff: the same numbers as the pages."""
    from standards.report import build_report

    now = analysis(view)
    return build_report(
        now,
        compare_analysis(view),
        snapshot=view.snapshot,
        compare=view.compare,
        filters=view.filters,
        standards_path=view.guild.path if view.standards is not None else None,
        diff=snapshot_diff(view),
        records=lambda: get_store(view.db_url).repo_facts(view.snapshot.id),
    )


def report_file(view: View, fmt: str) -> bytes:
    """One report format of this view, as the download button hands it over."""
    from reports.formats import FORMATS

    return FORMATS[fmt].render(report(view))


def report_downloads(view: View, formats: Sequence[str], *, key: str, label: str = "Export") -> None:
    """An export menu beside a page's title: one download button per format, each building its file
    only when clicked (Streamlit calls the function then, on its own thread), never on a page's
    every run. The PDF button is offered only where Chromium is installed."""
    from reports.formats import FORMATS
    from reports.pdf import chromium_available

    offered = [f for f in formats if f != "pdf" or chromium_available()]
    with st.popover(label, icon=":material/download:", width="stretch",
                    help=f"Files of what this page shows ({view.filters.describe()}), built when you click."):  # fmt: skip
        for name in offered:
            fmt = FORMATS[name]
            st.download_button(
                fmt.label,
                data=functools.partial(report_file, view, name),
                file_name=fmt.file_name(view.snapshot),
                mime=fmt.mime,
                key=f"{key}_download_{name}",
                on_click="ignore",
                width="stretch",
                help=fmt.description[0].upper() + fmt.description[1:] + ".",
            )
