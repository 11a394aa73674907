"""The GitHub source: an organisation's (or a user's) repositories, read through PyGithub.

Cost per repository is what decides whether an organisation of thousands can be collected on one
token, so every step asks for as little as it can:
- the listing pages through `GET /orgs/{org}/repos` (100 per request);
- heads, CI roll-ups and the catalog file's sha come in batched GraphQL queries (`HEADS_CHUNK` per
  query);
- a repository's files and sizes are one recursive git tree request (a truncated tree is listed
  again folder by folder);
- only the blobs the detectors declared are read, batched across repositories into GraphQL
  queries, checked against their git sha, kept in the blob cache (never downloaded twice), with the
  REST blobs API for binary, large or mismatching ones;
- Actions runs are one conditional request, only for a repository with workflows.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import queue
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from collectors.facts import Warning_
from collectors.repo_view import ReadFailed, RepoMeta, RepoView
from collectors.sources.blob_cache import BlobCache, git_blob_sha
from collectors.sources.github_api import Api, ApiError

#: Repositories per GraphQL heads query: large enough to make the listing cheap, small enough to
#: stay far under GitHub's node limits with 100 check contexts each.
HEADS_CHUNK = 40
#: Blobs at most this large are read through GraphQL (`Blob.text`); larger or binary ones by REST.
GRAPHQL_BLOB_MAX = 512 * 1024
#: One blob query carries at most this many blobs and bytes.
BLOB_BATCH_COUNT = 150
BLOB_BATCH_BYTES = 3 * 1024 * 1024
#: How long a blob query waits for other repositories' requests to join it.
BLOB_BATCH_WINDOW = 0.015
CATALOG_FILES = ("catalog-info.yaml", "catalog-info.yml")
WORKFLOW_DIR = ".github/workflows/"

_ROLLUP = """statusCheckRollup { state contexts(first: 100) { totalCount nodes { __typename
  ... on CheckRun { name status conclusion startedAt completedAt
                    checkSuite { app { slug } workflowRun { workflow { name } } } }
  ... on StatusContext { context state createdAt targetUrl } } } }"""
_CATALOG = " ".join(
    f'c{i}: object(expression: "HEAD:{path}") {{ oid ... on Blob {{ byteSize }} }}'
    for i, path in enumerate(CATALOG_FILES)
)


@dataclass(frozen=True)
class Target:
    kind: str  # org or user
    name: str


@dataclass
class Listed:
    """A repository as the listing describes it."""

    owner: str
    name: str
    default_branch: str | None
    archived: bool
    fork: bool
    visibility: str | None
    topics: list[str]
    pushed_at: str | None
    url: str | None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Head:
    """What the heads query says of one repository's default branch."""

    oid: str | None = None
    branch: str | None = None
    empty: bool = False
    rollup: dict[str, Any] | None = None
    catalog: dict[str, tuple[str, int]] = field(default_factory=dict)  # catalog file path -> (blob sha, size)
    error: str | None = None  # the repository could not be read at all
    transient: bool = False  # ... because GitHub or the network failed, not the repository


def root_name(base_url: str, target: Target) -> str:
    """`github.com/acme`, `ghe.example.com/acme`: what a snapshot of this target is called."""
    from urllib.parse import urlparse

    host = urlparse(base_url).netloc or "github.com"
    host = "github.com" if host == "api.github.com" else host
    return f"{host}/{target.name}"


# --- listing -----------------------------------------------------------------------------------------


def list_repositories(api: Api, target: Target) -> list[Listed]:
    """Every repository of the organisation or user, sorted by name (100 per request)."""
    if target.kind == "org":
        items = api.pages("repos.list", f"/orgs/{target.name}/repos", {"type": "all"})
    else:
        items = api.pages("repos.list", f"/users/{target.name}/repos", {"type": "owner"})
    return sorted((_listed(r) for r in items if isinstance(r, dict)), key=lambda r: r.full_name.lower())


def _listed(repo: dict[str, Any]) -> Listed:
    visibility = repo.get("visibility") or ("private" if repo.get("private") else "public")
    return Listed(
        owner=str((repo.get("owner") or {}).get("login") or str(repo.get("full_name", "/")).split("/")[0]),
        name=str(repo.get("name")),
        default_branch=repo.get("default_branch"),
        archived=bool(repo.get("archived")),
        fork=bool(repo.get("fork")),
        visibility=str(visibility).lower(),
        topics=[str(t) for t in repo.get("topics") or []],
        pushed_at=_norm_time(repo.get("pushed_at")),
        url=repo.get("html_url"),
    )


def select(
    repos: Sequence[Listed],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    include_archived: bool = False,
    include_forks: bool = False,
) -> list[Listed]:
    """The repositories the options ask for; globs match the name or owner/name."""

    def hit(repo: Listed, globs: Sequence[str]) -> bool:
        return any(fnmatch.fnmatchcase(repo.name, g) or fnmatch.fnmatchcase(repo.full_name, g) for g in globs)

    return [
        r
        for r in repos
        if (include_archived or not r.archived)
        and (include_forks or not r.fork)
        and (not include or hit(r, include))
        and not hit(r, exclude)
    ]


def team_hints(api: Api, org: str) -> tuple[dict[str, str], list[str]]:
    """owner/name -> the team holding admin (first) or maintain permission on it; and notes on
    what could not be read (a token without `read:org` sees no teams: the run goes on without)."""
    ranked: dict[str, tuple[int, str]] = {}
    try:
        teams = api.pages("teams.list", f"/orgs/{org}/teams")
        for team in teams:
            slug = str(team.get("slug") or "")
            for repo in api.pages("teams.repos", f"/orgs/{org}/teams/{slug}/repos"):
                rank = _TEAM_ROLE_RANK.get(_team_role(repo))
                key = str(repo.get("full_name") or "")
                if rank is not None and slug and key and (key not in ranked or (rank, slug) < ranked[key]):
                    ranked[key] = (rank, slug)
    except ApiError as err:
        return {}, [f"GitHub teams not read ({err}); the token needs read:org for team ownership"]
    return {repo: slug for repo, (_, slug) in ranked.items()}, []


#: The team roles that make a team the owner of a repository, strongest first.
_TEAM_ROLE_RANK = {"admin": 0, "maintain": 1}


def _team_role(repo: dict[str, Any]) -> str | None:
    """The team's role on the repository: `role_name`, else the strongest of its `permissions`."""
    if repo.get("role_name"):
        return str(repo["role_name"]).lower()
    perms = repo.get("permissions") or {}
    return next((role for role in ("admin", "maintain", "push", "triage", "pull") if perms.get(role)), None)


# --- heads, CI roll-ups and catalog files, batched -----------------------------------------------------


def read_heads(api: Api, repos: Sequence[Listed], *, with_ci: bool, workers: int = 4) -> dict[str, Head]:
    """owner/name -> Head, `HEADS_CHUNK` repositories per GraphQL query; a chunk GraphQL cannot
    answer falls back to REST for its repositories."""
    chunks = [list(repos[i : i + HEADS_CHUNK]) for i in range(0, len(repos), HEADS_CHUNK)]
    heads: dict[str, Head] = {}
    with ThreadPoolExecutor(max(1, min(workers, len(chunks) or 1)), thread_name_prefix="heads") as pool:
        for found in pool.map(lambda chunk: _heads_chunk(api, chunk, with_ci), chunks):
            heads.update(found)
    return heads


def _heads_chunk(api: Api, chunk: list[Listed], with_ci: bool) -> dict[str, Head]:
    rollup = _ROLLUP if with_ci else ""
    parts = [
        f"r{i}: repository(owner: {json.dumps(r.owner)}, name: {json.dumps(r.name)}) {{ ...head }}"
        for i, r in enumerate(chunk)
    ]
    query = (
        "query {\n"
        + "\n".join(parts)
        + "\n}\nfragment head on Repository { isEmpty defaultBranchRef { name target { __typename oid "
        + f"... on Commit {{ oid {rollup} }} }} }} {_CATALOG} }}"
    )
    try:
        data, errors = api.graphql(query)
    except ApiError:
        return _rest_heads(api, chunk, with_ci)
    failed = {str(e.get("path", [""])[0]): e for e in errors if e.get("path")}
    heads: dict[str, Head] = {}
    for i, repo in enumerate(chunk):
        node = data.get(f"r{i}")
        if node is None:
            error = failed.get(f"r{i}", {})
            heads[repo.full_name] = Head(
                error=api.safe(f"not found or not accessible ({error.get('type', 'NOT_FOUND')})"),
                branch=repo.default_branch,
            )
            continue
        heads[repo.full_name] = _head_from_graphql(node, repo)
    return heads


def _head_from_graphql(node: dict[str, Any], repo: Listed) -> Head:
    ref = node.get("defaultBranchRef") or {}
    target = ref.get("target") or {}
    catalog = {}
    for i, path in enumerate(CATALOG_FILES):
        blob = node.get(f"c{i}") or {}
        if isinstance(blob.get("oid"), str) and isinstance(blob.get("byteSize"), int):
            catalog[path] = (blob["oid"], blob["byteSize"])
    return Head(
        oid=target.get("oid"),
        branch=ref.get("name") or repo.default_branch,
        empty=bool(node.get("isEmpty")) or not target.get("oid"),
        rollup=target.get("statusCheckRollup"),
        catalog=catalog,
    )


def _rest_heads(api: Api, chunk: list[Listed], with_ci: bool, give_up_after: int = 3) -> dict[str, Head]:
    """GraphQL failed: heads by REST, unless REST fails the same way from the start (GitHub or the
    network is down), which stops the run instead of waiting out retries for every repository."""
    heads: dict[str, Head] = {}
    for repo in chunk:
        heads[repo.full_name] = head = rest_head(api, repo, with_ci)
        if len(heads) == give_up_after and all(h.transient for h in heads.values()):
            raise ApiError(None, f"GitHub is not answering ({head.error})")
    return heads


def rest_head(api: Api, repo: Listed, with_ci: bool) -> Head:
    """The head (and roll-up) by REST, for when GraphQL is unavailable: 1-3 requests."""
    base = f"/repos/{repo.owner}/{repo.name}"
    try:
        branch = api.get("branches.get", f"{base}/branches/{repo.default_branch}")
    except ApiError as err:
        if err.status == 404 and repo.pushed_at is None:
            return Head(empty=True, branch=repo.default_branch)
        return Head(error=str(err), branch=repo.default_branch, transient=err.transient)
    commit = (branch or {}).get("commit") or {}
    oid = commit.get("sha")
    head = Head(
        oid=oid,
        branch=repo.default_branch,
    )
    if with_ci and oid:
        try:
            head.rollup = rest_rollup(api, repo, oid)
        except ApiError:
            head.rollup = None
    return head


def rest_rollup(api: Api, repo: Listed, sha: str) -> dict[str, Any] | None:
    """Check runs and the combined status, in the shape of GraphQL's `statusCheckRollup`."""
    base = f"/repos/{repo.owner}/{repo.name}/commits/{sha}"
    runs = (api.get("checks.runs", f"{base}/check-runs", {"per_page": 100}) or {}).get("check_runs") or []
    status = api.get("commits.status", f"{base}/status", {"per_page": 100}) or {}
    nodes: list[dict[str, Any]] = [
        {
            "__typename": "CheckRun",
            "name": r.get("name"),
            "status": str(r.get("status") or "").upper(),
            "conclusion": str(r["conclusion"]).upper() if r.get("conclusion") else None,
            "startedAt": r.get("started_at"),
            "completedAt": r.get("completed_at"),
            "checkSuite": {"app": {"slug": (r.get("app") or {}).get("slug")}, "workflowRun": None},
        }
        for r in runs
    ]
    nodes += [
        {
            "__typename": "StatusContext",
            "context": s.get("context"),
            "state": str(s.get("state") or "").upper(),
            "createdAt": s.get("created_at"),
            "targetUrl": s.get("target_url"),
        }
        for s in status.get("statuses") or []
    ]
    if not nodes:
        return None
    states = {n.get("conclusion") or n.get("status") if n["__typename"] == "CheckRun" else n["state"] for n in nodes}
    bad = {"FAILURE", "ERROR", "TIMED_OUT", "STARTUP_FAILURE", "ACTION_REQUIRED", "CANCELLED"}
    waiting = {"PENDING", "QUEUED", "IN_PROGRESS", "WAITING", "REQUESTED", "EXPECTED"}
    state = "FAILURE" if states & bad else "PENDING" if states & waiting else "SUCCESS"
    return {"state": state, "contexts": {"totalCount": len(nodes), "nodes": nodes}}


# --- the file listing ----------------------------------------------------------------------------------


@dataclass
class Tree:
    files: dict[str, tuple[int, str]]  # path -> (size, blob sha): regular files only
    warnings: list[Warning_] = field(default_factory=list)


def read_tree(api: Api, repo: Listed, head: str) -> Tree:
    """Every regular file at the head, with sizes; a truncated answer is listed folder by folder."""
    base = f"/repos/{repo.owner}/{repo.name}/git/trees"
    tree = Tree({})
    answer = api.get("git.trees", f"{base}/{head}", {"recursive": "1"})
    if not answer.get("truncated"):
        _add_entries(tree, "", answer.get("tree") or [])
        return tree
    tree.warnings.append(
        Warning_("", "the file list is too large for one GitHub answer (truncated): listed folder by folder")
    )
    _walk(api, base, tree, "", answer["sha"])
    return tree


def _walk(api: Api, base: str, tree: Tree, prefix: str, sha: str) -> None:
    answer = api.get("git.trees", f"{base}/{sha}")
    entries = answer.get("tree") or []
    _add_entries(tree, prefix, [e for e in entries if e.get("type") != "tree"])
    for entry in entries:
        if entry.get("type") != "tree" or not _valid_path(str(entry.get("path", ""))):
            continue
        folder = f"{prefix}{entry['path']}/"
        sub = api.get("git.trees", f"{base}/{entry['sha']}", {"recursive": "1"})
        if sub.get("truncated"):
            _walk(api, base, tree, folder, entry["sha"])
        else:
            _add_entries(tree, folder, sub.get("tree") or [])


def _add_entries(tree: Tree, prefix: str, entries: Iterable[dict[str, Any]]) -> None:
    for entry in entries:
        if entry.get("type") != "blob" or str(entry.get("mode")) not in ("100644", "100755"):
            continue  # folders, submodules and symlinks: never read, as with a local clone
        path = f"{prefix}{entry.get('path', '')}"
        size, sha = entry.get("size"), entry.get("sha")
        if not _valid_path(path) or not isinstance(size, int) or size < 0 or not isinstance(sha, str):
            tree.warnings.append(Warning_("", f"odd entry in the git tree left out: {path[:200]!r}"))
            continue
        tree.files[path] = (size, sha)


def _valid_path(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and "\0" not in path and all(p not in ("", ".", "..", ".git") for p in parts)


# --- blobs ---------------------------------------------------------------------------------------------


class FetcherClosed(RuntimeError):
    """Asked for blobs after the collection stopped."""


@dataclass
class _BlobRequest:
    owner: str
    name: str
    shas: dict[str, int]  # sha -> size
    future: Future = field(default_factory=Future)


class BlobFetcher:
    """Blobs by sha: from the cache, else batched with other repositories' into GraphQL queries,
    else by REST. Every byte is checked against its sha before it is trusted or kept."""

    def __init__(self, api: Api, cache: BlobCache | None, *, senders: int = 2) -> None:
        self.api = api
        self.cache = cache
        self._queue: queue.Queue[_BlobRequest | None] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self.downloaded = 0
        self._senders = [
            threading.Thread(target=self._send_loop, name=f"blobs-{i}", daemon=True) for i in range(senders)
        ]
        for t in self._senders:
            t.start()

    def fetch(self, owner: str, name: str, wanted: dict[str, int]) -> dict[str, bytes | ReadFailed]:
        """sha -> bytes (or the reason it could not be had)."""
        got: dict[str, bytes | ReadFailed] = {}
        kept = self.cache.get_many(wanted) if self.cache is not None else {}
        got.update(kept)
        missing = {sha: size for sha, size in wanted.items() if sha not in kept}
        small = {sha: size for sha, size in missing.items() if size <= GRAPHQL_BLOB_MAX}
        if small:
            request = _BlobRequest(owner, name, small)
            with self._lock:  # never queued behind `close`, where no sender would answer it
                if self._closed:
                    raise FetcherClosed("the collection stopped")
                self._queue.put(request)
            got.update(request.future.result())
        for sha in missing:
            if sha not in got or got[sha] is None:
                got[sha] = self._rest(owner, name, sha)
        fresh = {sha: data for sha, data in got.items() if sha in missing and isinstance(data, bytes)}
        if fresh:
            with self._lock:
                self.downloaded += len(fresh)
            if self.cache is not None:
                self.cache.put_many(fresh)
        return got

    def _rest(self, owner: str, name: str, sha: str) -> bytes | ReadFailed:
        try:
            answer = self.api.get("git.blobs", f"/repos/{owner}/{name}/git/blobs/{sha}")
        except ApiError as err:
            failed = ReadFailed(f"download failed: {err}")
            failed.transient = err.transient  # type: ignore[attr-defined]
            return failed
        try:
            data = base64.b64decode(answer.get("content") or "") if answer.get("encoding") == "base64" else None
        except (ValueError, TypeError):
            data = None
        if data is None or git_blob_sha(data) != sha:
            return ReadFailed("GitHub sent content that does not match the file's git sha")
        return data

    def _send_loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            count, size = len(first.shas), sum(first.shas.values())
            deadline = time.monotonic() + BLOB_BATCH_WINDOW
            while count < BLOB_BATCH_COUNT and size < BLOB_BATCH_BYTES:
                try:
                    nxt = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if nxt is None:
                    self._queue.put(None)  # let the other sender stop too
                    break
                batch.append(nxt)
                count += len(nxt.shas)
                size += sum(nxt.shas.values())
            self._send(batch)

    def _send(self, batch: list[_BlobRequest]) -> None:
        parts = []
        for i, req in enumerate(batch):
            blobs = " ".join(
                f'b{j}: object(oid: "{sha}") {{ ... on Blob {{ byteSize isBinary isTruncated text }} }}'
                for j, sha in enumerate(req.shas)
            )
            parts.append(
                f"r{i}: repository(owner: {json.dumps(req.owner)}, name: {json.dumps(req.name)}) {{ {blobs} }}"
            )
        try:
            data, _ = self.api.graphql("query {\n" + "\n".join(parts) + "\n}")
        except ApiError:
            data = {}  # every blob falls back to REST
        except BaseException as err:  # never leave a waiting worker hanging
            for req in batch:
                req.future.set_exception(err)
            return
        for i, req in enumerate(batch):
            node = data.get(f"r{i}") or {}
            result: dict[str, bytes | None] = {}
            for j, sha in enumerate(req.shas):
                blob = node.get(f"b{j}") or {}
                text = blob.get("text")
                if isinstance(text, str) and not blob.get("isBinary") and not blob.get("isTruncated"):
                    raw = text.encode("utf-8")
                    result[sha] = raw if git_blob_sha(raw) == sha else None  # not UTF-8: REST gives the bytes
                else:
                    result[sha] = None
            req.future.set_result(result)

    def close(self) -> None:
        """Stop the senders; a request still waiting is answered with `FetcherClosed`, so no
        collection thread waits for ever (and the process can exit after Ctrl-C)."""
        with self._lock:
            self._closed = True
            for _ in self._senders:
                self._queue.put(None)
        for t in self._senders:
            t.join(timeout=5)
        while True:
            try:
                left = self._queue.get_nowait()
            except queue.Empty:
                return
            if left is not None and not left.future.done():
                left.future.set_exception(FetcherClosed("the collection stopped"))


class GitHubRepoView(RepoView):
    """One repository at its head, listed from its git tree, read blob by blob."""

    def __init__(self, meta: RepoMeta, owner: str, name: str, tree: Tree, fetcher: BlobFetcher) -> None:
        super().__init__(meta)
        self._owner, self._name = owner, name
        self._tree = tree.files
        self._fetcher = fetcher
        self._blobs: dict[str, bytes | ReadFailed] = {}
        self.transient_failure = False  # a file GitHub failed to deliver (not the file's own fault)

    def _list(self) -> dict[str, int]:
        return {path: size for path, (size, _) in self._tree.items()}

    def prefetch(self, paths: Iterable[str]) -> None:
        wanted = {}
        for path in paths:
            entry = self._tree.get(path)
            if entry is not None and entry[1] not in self._blobs:
                wanted[entry[1]] = entry[0]
        if wanted:
            self._blobs.update(self._fetcher.fetch(self._owner, self._name, wanted))

    def _read(self, path: str, limit: int) -> bytes:
        _, sha = self._tree[path]
        if sha not in self._blobs:
            self.prefetch([path])
        data = self._blobs[sha]
        if isinstance(data, ReadFailed):
            self.transient_failure = self.transient_failure or getattr(data, "transient", False)
            raise ReadFailed(str(data))
        return data[:limit]

    def close(self) -> None:
        self._blobs.clear()


# --- Actions runs --------------------------------------------------------------------------------------


def read_runs(api: Api, repo: Listed, branch: str, *, per_workflow: int, workflows: int) -> list[dict[str, Any]]:
    """The latest runs on the default branch, newest first: one conditional request (an unchanged
    answer costs no rate limit)."""
    per_page = max(1, min(100, per_workflow * max(1, workflows)))
    answer = api.get(
        "actions.runs",
        f"/repos/{repo.owner}/{repo.name}/actions/runs",
        {"branch": branch, "per_page": per_page},
        conditional=True,
    )
    runs = (answer or {}).get("workflow_runs") or []
    # `branch` matches a run's head branch, so a pull request from a fork's `main` would count too
    return [r for r in runs if isinstance(r, dict) and not str(r.get("event") or "").startswith("pull_request")]


# --- helpers -------------------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _norm_time(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return _iso(datetime.fromisoformat(str(text).replace("Z", "+00:00")))
    except ValueError:
        return None
