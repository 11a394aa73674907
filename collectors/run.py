"""Running a collection: every repository through every detector, in parallel, with progress.

The run returns facts in memory; the caller writes them as one snapshot in one transaction, so an
interrupted run leaves nothing half-written behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from collectors.detectors import detect_all
from collectors.facts import Facts, RepoFacts
from collectors.repo_view import RepoMeta, RepoView
from collectors.sources.local import GitError, iter_views, open_local
from collectors.teams import (
    ARCHIVED_LIFECYCLES,
    DEFAULT_TEAM_ORDER,
    TeamsFile,
    choose_team,
    folder_team,
    read_catalog,
    team_candidates,
)

#: Called once before the first repository (done=0) and after each: (done, total, name, warnings so far).
ProgressFn = Callable[[int, int, str, int], None]


@dataclass(frozen=True)
class Collection:
    """The result of one run, ready to be written as a snapshot."""

    source: str
    root: str
    taken_at: str  # ISO 8601 UTC
    repos: list[RepoFacts]

    @property
    def warning_count(self) -> int:
        return sum(len(r.warnings) for r in self.repos)


def new_record(meta: RepoMeta) -> RepoFacts:
    """A record holding what the source says of the repository, before any file is read."""
    return RepoFacts(
        name=meta.name,
        default_branch=meta.default_branch,
        head=meta.head,
        archived=meta.archived,
        pushed_at=meta.pushed_at,
        url=meta.url,
        topics=list(meta.topics),
        fork=meta.fork,
        visibility=meta.visibility,
    )


def collect_view(
    view: RepoView,
    *,
    teams_file: TeamsFile | None = None,
    folder: str | None = None,
    team_order: tuple[str, ...] = DEFAULT_TEAM_ORDER,
) -> RepoFacts:
    """One repository's facts: detectors, catalog metadata, then its team."""
    meta = view.meta
    record = new_record(meta)
    try:
        if meta.head is None and not view.files():
            record.warn("", "empty repository: no commit on the default branch")
        record.add(detect_all(view))
        found = Facts()
        catalog = read_catalog(view, found)
        if catalog.lifecycle in ARCHIVED_LIFECYCLES:
            record.archived = True
        record.topics += catalog.tags
        record.team_candidates = team_candidates(
            view, found, teams_file=teams_file, catalog=catalog, folder_team=folder
        )
        record.team, record.team_source = choose_team(record.team_candidates, team_order)
        record.add(found)
    except GitError as err:
        record.warn("", f"git could not read the repository: {err}")
    return record.normalise()


def collect_local(
    root: Path,
    *,
    teams_file: TeamsFile | None = None,
    workers: int | None = None,
    progress: ProgressFn | None = None,
    taken_at: datetime | None = None,
) -> Collection:
    """Every repository under root (or root itself, walked, when it holds none)."""
    root = root.resolve()
    paths = list(iter_views(root))
    taken = (taken_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    repos = run_parallel(paths, lambda p: _collect_path(p, root, teams_file), workers=workers, progress=progress)
    return Collection(source="local", root=str(root), taken_at=taken, repos=repos)


def _collect_path(path: Path, root: Path, teams_file: TeamsFile | None) -> RepoFacts:
    view = open_local(path, root)
    try:
        return collect_view(view, teams_file=teams_file, folder=folder_team(view.meta.name))
    finally:
        view.close()


def run_parallel(
    items: Sequence[Path],
    work: Callable[[Path], RepoFacts],
    *,
    workers: int | None = None,
    progress: ProgressFn | None = None,
) -> list[RepoFacts]:
    """Run `work` over items on a thread pool (git runs in its own processes); sorted by name."""
    workers = max(1, workers or os.cpu_count() or 1)
    results: list[RepoFacts] = []
    warnings = 0
    if progress is not None:
        progress(0, len(items), "", 0)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="collect")
    try:
        futures = [pool.submit(work, item) for item in items]
        for future in as_completed(futures):
            record = future.result()
            results.append(record)
            warnings += len(record.warnings)
            if progress is not None:
                progress(len(results), len(items), record.name, warnings)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: stop now, write nothing
        raise
    pool.shutdown()
    return sorted(results, key=lambda r: r.name)
