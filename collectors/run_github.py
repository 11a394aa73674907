"""Collecting a GitHub organisation: list, read heads, then per repository read, carry over or
resume, and the default branch's build health.

Redundancy in data: a repository whose head did not move since the previous snapshot (taken by
the same detection code) is not read again: its facts are carried over, and only what the host
says (archived, topics, teams, CI) is refreshed. A repository already collected by an interrupted
run with the same head is taken from that run's journal. The caller passes both in and receives
each new record through `on_record`, so this stage never touches the store.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from collectors.build_health import summarise
from collectors.facts import CheckResult, Facts, RepoFacts
from collectors.repo_view import RepoMeta, RepoView
from collectors.run import Collection, ProgressFn, collect_view, new_record, run_parallel
from collectors.shard import Shard
from collectors.sources.github import (
    WORKFLOW_DIR,
    BlobFetcher,
    GitHubRepoView,
    Head,
    Listed,
    Target,
    list_repositories,
    read_heads,
    read_runs,
    read_tree,
    root_name,
    select,
    team_hints,
)
from collectors.sources.github_api import Api, ApiError
from collectors.teams import (
    ARCHIVED_LIFECYCLES,
    DEFAULT_TEAM_ORDER,
    FILE_TEAM_SOURCES,
    TeamsFile,
    choose_team,
    read_catalog,
    topic_team,
)

#: Default number of repositories read at once: the work is waiting on the network.
DEFAULT_WORKERS = 8


@dataclass
class GitHubOptions:
    target: Target
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    include_archived: bool = False
    include_forks: bool = False
    with_ci: bool = True
    runs: int = 20  # Actions runs per workflow looked at
    teams_file: TeamsFile | None = None
    team_order: tuple[str, ...] = DEFAULT_TEAM_ORDER
    workers: int = DEFAULT_WORKERS
    shard: Shard | None = None  # only this slice of the organisation (a sharded run)


@dataclass
class GitHubStats:
    """What a run cost, for the summary line and the benchmark."""

    listed: int = 0
    read: int = 0  # repositories whose files were read
    carried: int = 0  # unchanged heads: facts carried over from the previous snapshot
    resumed: int = 0  # taken from the interrupted run's journal
    notes: list[str] = field(default_factory=list)


def collect_github(
    api: Api,
    fetcher: BlobFetcher,
    options: GitHubOptions,
    *,
    previous: dict[str, RepoFacts] | None = None,
    journaled: dict[str, RepoFacts] | None = None,
    on_record: Callable[[RepoFacts], None] | None = None,
    progress: ProgressFn | None = None,
    taken_at: datetime | None = None,
    stats: GitHubStats | None = None,
) -> Collection:
    """Every selected repository of the target, as one collection (not yet a snapshot)."""
    stats = stats if stats is not None else GitHubStats()
    previous, journaled = previous or {}, journaled or {}
    taken = (taken_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    listed = select(
        list_repositories(api, options.target),
        include=options.include,
        exclude=options.exclude,
        include_archived=options.include_archived,
        include_forks=options.include_forks,
    )
    if options.shard is not None:
        listed = [repo for repo in listed if options.shard.holds(repo.full_name)]
    stats.listed = len(listed)
    hints: dict[str, str] = {}
    if options.target.kind == "org":
        hints, notes = team_hints(api, options.target.name)
        stats.notes += notes
    heads = read_heads(api, listed, with_ci=options.with_ci, workers=min(4, options.workers))

    breaker = _Breaker(max(10, 2 * options.workers))

    def work(repo: Listed) -> RepoFacts:
        head = heads.get(repo.full_name) or Head(error="no answer about this repository", transient=True)
        done = journaled.get(repo.full_name)
        if done is not None and done.head == head.oid and head.error is None:
            stats.resumed += 1
            return done
        record, transient = collect_repository(
            api, fetcher, repo, head, options, previous.get(repo.full_name), hints, stats
        )
        breaker.record(transient, repo.full_name, record)
        if on_record is not None and not transient:
            on_record(record)  # a repository GitHub failed to deliver is not done: --resume tries it again
        return record

    repos = run_parallel(listed, work, workers=options.workers, progress=progress)
    return Collection(
        source="github", root=root_name(api.settings.base_url, options.target), taken_at=taken, repos=repos
    )


def collect_repository(
    api: Api,
    fetcher: BlobFetcher,
    repo: Listed,
    head: Head,
    options: GitHubOptions,
    previous: RepoFacts | None,
    hints: dict[str, str],
    stats: GitHubStats,
) -> tuple[RepoFacts, bool]:
    """One repository: read (or carried over), then its build health; and whether GitHub (not the
    repository) failed on the way. Never raises: faults become warnings on the repository."""
    meta = RepoMeta(
        name=repo.full_name,
        default_branch=head.branch or repo.default_branch,
        head=head.oid,
        archived=repo.archived,
        pushed_at=repo.pushed_at,
        url=repo.url,
        topics=list(repo.topics),
        team_hints=_host_hints(repo, hints),
        fork=repo.fork,
        visibility=repo.visibility,
    )
    if head.error is not None:
        record = _bare(meta, options)
        record.warn("", f"repository not read: {head.error}")
        return record.normalise(), head.transient
    if head.empty or head.oid is None:
        record = _bare(meta, options)
        record.warn("", "empty repository: no commit on the default branch")
        return record.normalise(), False
    tree_files: set[str] | None = None
    transient = False
    if previous is not None and previous.head == head.oid:
        record = carry_over(previous, meta, head, options, fetcher)
        stats.carried += 1
    else:
        try:
            tree = read_tree(api, repo, head.oid)
        except ApiError as err:
            record = _bare(meta, options)
            record.warn("", f"files not listed: {err}")
            return record.normalise(), err.transient
        view = GitHubRepoView(meta, repo.owner, repo.name, tree, fetcher)
        try:
            record = collect_view(view, teams_file=options.teams_file, team_order=options.team_order)
        finally:
            view.close()
        transient = view.transient_failure
        record.warnings += tree.warnings
        tree_files = set(tree.files)
        stats.read += 1
    if options.with_ci:
        transient = _build_health(api, repo, head, record, previous, options, tree_files) or transient
    return record.normalise(), transient


def carry_over(
    previous: RepoFacts, meta: RepoMeta, head: Head, options: GitHubOptions, fetcher: BlobFetcher
) -> RepoFacts:
    """The previous record's facts with what the host says today: archived, topics, visibility,
    teams. The head did not move, so the files (and the teams they name) are as read last time;
    the catalog file's sha comes with the heads query and its bytes from the blob cache, so its
    lifecycle and tags are applied exactly."""
    archived, topics = meta.archived, set(meta.topics)
    if head.catalog:
        owner, name = meta.name.split("/", 1)
        got = fetcher.fetch(owner, name, dict(head.catalog.values()))
        files = {path: got[sha] for path, (sha, _) in head.catalog.items() if isinstance(got.get(sha), bytes)}
        catalog = read_catalog(_MemoryView(meta, files), Facts())
        archived = archived or catalog.lifecycle in ARCHIVED_LIFECYCLES
        topics |= set(catalog.tags)
        if len(files) < len(head.catalog):  # not to be had today: keep what it said last time
            archived = archived or previous.archived
            topics |= set(previous.topics)
    candidates = {k: v for k, v in previous.team_candidates.items() if k in FILE_TEAM_SOURCES}
    if options.teams_file is not None and (team := options.teams_file.team_for(meta.name)):
        candidates["teams-file"] = team
    candidates.update({k: v for k, v in meta.team_hints.items() if v})
    team, source = choose_team(candidates, options.team_order)
    return replace(
        previous,
        default_branch=meta.default_branch,
        archived=archived,
        pushed_at=meta.pushed_at,
        url=meta.url,
        topics=sorted(topics),
        fork=meta.fork,
        visibility=meta.visibility,
        team=team,
        team_source=source,
        team_candidates=candidates,
    )


def _build_health(
    api: Api,
    repo: Listed,
    head: Head,
    record: RepoFacts,
    previous: RepoFacts | None,
    options: GitHubOptions,
    tree_files: set[str] | None,
) -> bool:
    """Fill the record's build health; True when GitHub failed to answer on the way."""
    checked = datetime.now(UTC).isoformat(timespec="seconds")
    _, _, checks_now = summarise(head=head.oid, runs=None, rollup=head.rollup, checked_at=checked)
    if (
        previous is not None
        and previous.build is not None
        and previous.head == head.oid
        and sorted(previous.checks, key=_check_key) == sorted(checks_now, key=_check_key)
    ):
        record.build, record.workflows, record.checks = previous.build, list(previous.workflows), list(previous.checks)
        return False  # same head, same check results: the runs behind them are the ones read last time
    if tree_files is not None:
        workflows = {p for p in tree_files if p.startswith(WORKFLOW_DIR) and p.endswith((".yml", ".yaml"))}
    else:
        workflows = {c.path for c in record.ci_files if c.path.startswith(WORKFLOW_DIR)}
    runs, transient = None, False
    if workflows and head.branch:
        try:
            runs = read_runs(api, repo, head.branch, per_workflow=options.runs, workflows=len(workflows))
        except ApiError as err:
            record.warn("", f"Actions runs not read: {err}")
            transient = err.transient
    record.build, record.workflows, record.checks = summarise(
        head=head.oid, runs=runs, rollup=head.rollup, checked_at=checked, max_runs=options.runs
    )
    return transient


class _Breaker:
    """Stops the run when GitHub keeps failing repository after repository (the network is gone,
    GitHub is down): better an interrupted run that `--resume` finishes later than a snapshot full of
    holes. A repository's own faults (404, 451, a malformed file) never count."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._in_a_row = 0
        self._lock = threading.Lock()

    def record(self, transient: bool, name: str, record: RepoFacts) -> None:
        with self._lock:
            self._in_a_row = self._in_a_row + 1 if transient else 0
            if self._in_a_row < self.limit:
                return
        last = record.warnings[-1].message if record.warnings else "no answer"
        raise ApiError(None, f"GitHub failed on {self.limit} repositories in a row, the last {name}: {last}")


def _check_key(check: CheckResult) -> tuple[str, str, str, str]:
    return (check.name, check.kind, check.app or "", check.state)


def _bare(meta: RepoMeta, options: GitHubOptions) -> RepoFacts:
    """A repository known only by what the host says: its metadata and its team hints."""
    candidates = dict(meta.team_hints)
    if options.teams_file is not None and (team := options.teams_file.team_for(meta.name)):
        candidates["teams-file"] = team
    record = new_record(meta)
    record.team, record.team_source = choose_team(candidates, options.team_order)
    record.team_candidates = candidates
    return record


def _host_hints(repo: Listed, hints: dict[str, str]) -> dict[str, str]:
    found = {}
    if team := hints.get(repo.full_name):
        found["github-team"] = team
    if team := topic_team(repo.topics):
        found["topic"] = team
    return found


class _MemoryView(RepoView):
    """A few files already in memory (the catalog file, from the blob cache)."""

    def __init__(self, meta: RepoMeta, files: dict[str, bytes]) -> None:
        super().__init__(meta)
        self._data = files

    def _list(self) -> dict[str, int]:
        return {path: len(data) for path, data in self._data.items()}

    def _read(self, path: str, limit: int) -> bytes:
        return self._data[path][:limit]
