"""A fake GitHub API (REST + GraphQL) over real HTTP on loopback, serving an organisation of local git repositories.

Why it exists: the remote collector must be tested and benchmarked with the real PyGithub client against GitHub's
real answer shapes (field names, status codes, headers, pagination, rate limits, faults) while this machine has no
network. A collector that works here must also work against github.com and GitHub Enterprise, so every shape
below copies GitHub's; where the fake knowingly differs, it says so in the list at the end of this docstring.

    with FakeGitHub.from_local_root(root, "acme") as fake:
        gh = github.Github(base_url=fake.base_url, auth=github.Auth.Token("test-token"))
        repos = list(gh.get_organization("acme").get_repos())

The layout is GitHub Enterprise's: REST under ``/api/v3``, GraphQL at ``/api/graphql`` (PyGithub derives the latter
from the former). Heads are re-read from the files under ``.git`` on every request, so a commit a test makes is seen
at once; what derives from a head (its commit, workflows, synthesised runs, check runs) is cached per head sha, and
tree listings and answers per tree sha (content-addressed, never stale). Objects stored whole (loose, or undeltified
in a pack) are read in Python; everything else goes through one long-lived ``git cat-file --batch-command`` per
repository (at most ``MAX_CAT_FILE_PROCESSES`` at once) and ``git ls-tree`` for listings. Requests are answered by
one thread per connection (HTTP/1.1 keep-alive); parsed and validated GraphQL documents are cached by query text.

``counts`` labels: orgs.get, users.get, repos.list, repos.get, git.trees, git.blobs, contents, branches.get,
commits.get, commits.status, checks.runs, actions.runs, actions.run, actions.workflows, teams.list, teams.get,
teams.repos, rate_limit, apps.token, graphql, raw (download_url), unknown (no such route).

Not faithful to GitHub (known differences):

- Only the endpoints and the GraphQL schema subset listed in ``counts`` / ``SDL`` exist; anything else is 404
  (HTML pages behind ``html_url`` too). Link headers repeat the request path (GitHub sometimes rewrites it to
  ``/organizations/{id}/...``).
- A missing ``Authorization`` header is 401 "Requires authentication" everywhere (GitHub would answer public data
  anonymously); 401 answers carry rate-limit headers of an unenforced 60-request anonymous bucket.
- Every configured token acts as an organisation owner: it sees every repository (also through
  ``/users/{user}/repos``, which on GitHub shows only public repositories of other users), and org listings carry
  all-true ``permissions``. Org listings sort by full_name by default (GitHub: by created, newest first);
  ``type=private`` includes internal repositories.
- ``pushed_at`` is the head commit's committer date (GitHub: the time of the last push); ``created_at`` is a fixed
  date; ``updated_at`` equals ``pushed_at``; ``size`` is the local object store's size in KB; description,
  homepage, license and language are null.
- Single commits carry no ``files``/``stats``; branches are never protected; tags are not listed anywhere;
  ``submodule_git_url`` is null; ``download_url`` points at this fake's ``/raw/{owner}/{repo}/{ref}/{path}``.
- Synthesised workflow runs on commits older than the repository's first-parent history get made-up head shas, and
  all are ``push`` runs, completed, attempt 1. Synthesised check runs are one per workflow, named after the
  workflow's first job (GitHub: one per job). Run and check run ids have 9 digits (GitHub's now have 10 or more).
- GraphQL: query cost is always 1; error messages of syntax and validation errors are graphql-core's, not
  GitHub's, and carry no ``extensions.code``; only ``first`` (max 100) paginates ``contexts``;
  ``WorkflowRun.databaseId`` is null for a given run id beyond 32 bits; ``TreeEntry.path`` of a tree reached by oid
  is relative to that tree.
- GraphQL primary rate-limit exhaustion answers HTTP 200 with ``errors[0].type == "RATE_LIMITED"`` and
  ``X-RateLimit-Remaining: 0``, as GitHub documents it (REST answers 403).
- Repositories with ``status`` 403/451 answer "Repository access blocked" with a ``block`` object (reason tos/dmca).
- ETags are weak sha256 hashes of the body only (GitHub also varies them by Accept and Authorization).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import itertools
import json
import os
import posixpath
import re
import secrets
import socket
import subprocess
import threading
import time
import traceback
import urllib.parse
import zlib
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any, NamedTuple

import graphql
import jwt
import yaml

DOCS_URL = "https://docs.github.com/rest"
API_VERSION = "2022-11-28"
CREATED_AT = "2020-01-01T00:00:00Z"
#: GitHub cuts a recursive tree at 100,000 entries.
TREE_ENTRY_LIMIT = 100_000
#: The contents API inlines files up to 1 MB; larger ones come back with encoding "none".
CONTENTS_INLINE_MAX = 1024 * 1024
#: Long-lived `git cat-file` processes kept at once (one per repository, least recently used closed first; each
#: holds two pipes, so the open-file limit caps it too). Set before constructing a FakeGitHub to change it.
MAX_CAT_FILE_PROCESSES = 512
RUNS_PER_WORKFLOW = 25
GRAPHQL_MAX_FIRST = 100

_HEX40 = re.compile(r"[0-9a-f]{40}")
_HEX_SHORT = re.compile(r"[0-9a-f]{7,40}")
_SAFE_REF = re.compile(r"(?!-)(?!.*\.\.)(?!.*@\{)[^\s:^~?*\[\\]+")
_PERSON = re.compile(rb"^(?P<name>.*) <(?P<email>.*)> (?P<ts>-?\d+) (?P<tz>[+-]\d{4})$")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 50x faster on 1,000 repositories
_GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}

_PERMISSIONS: dict[str, dict[str, bool]] = {
    "admin": {"admin": True, "maintain": True, "push": True, "triage": True, "pull": True},
    "maintain": {"admin": False, "maintain": True, "push": True, "triage": True, "pull": True},
    "push": {"admin": False, "maintain": False, "push": True, "triage": True, "pull": True},
    "triage": {"admin": False, "maintain": False, "push": False, "triage": True, "pull": True},
    "pull": {"admin": False, "maintain": False, "push": False, "triage": False, "pull": True},
}
_ROLE_NAMES = {"admin": "admin", "maintain": "maintain", "push": "write", "triage": "triage", "pull": "read"}
_DEFAULT_MESSAGES = {
    400: "Bad Request",
    401: "Bad credentials",
    403: "Forbidden",
    404: "Not Found",
    409: "Git Repository is empty.",
    422: "Validation Failed",
    451: "Repository access blocked",
    500: "Server Error",
    502: "Server Error",
    503: "Service Unavailable",
    504: (
        "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request "
        "and contact us if the problem persists."
    ),
}
SECONDARY_LIMIT_MESSAGE = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
_FAILING_CONCLUSIONS = frozenset({"failure", "timed_out", "startup_failure", "action_required", "cancelled"})
_GITHUB_ACTIONS_APP: dict[str, Any] = {
    "id": 15368,
    "slug": "github-actions",
    "node_id": "MDM6QXBwMTUzNjg=",
    "owner": {"login": "github", "id": 9919, "node_id": "MDEyOk9yZ2FuaXphdGlvbjk5MTk=", "type": "Organization"},
    "name": "GitHub Actions",
    "description": "Automate your workflow from idea to production",
    "external_url": "https://help.github.com/en/actions",
    "html_url": "https://github.com/apps/github-actions",
    "created_at": "2018-07-30T09:30:17Z",
    "updated_at": "2019-12-10T19:04:12Z",
}


# ----------------------------------------------------------------------------------------------------------------
# Public data model


@dataclass
class FakeRepo:
    """One repository the fake serves; `path` is a local git repository read through git's object database."""

    name: str
    path: Path | None
    owner: str = ""
    archived: bool = False
    fork: bool = False
    visibility: str = "private"
    topics: list[str] = field(default_factory=list)
    default_branch: str | None = None
    pushed_at: str | None = None
    status: int | None = None
    runs: list[dict] | None = None
    check_runs: list[dict] | None = None
    statuses: list[dict] = field(default_factory=list)
    teams: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeApp:
    """A GitHub App whose installation tokens the fake issues after checking the app's JWT."""

    app_id: int
    public_key_pem: bytes
    installation_id: int


@dataclass
class _Rule:
    pattern: re.Pattern[str]
    kind: str  # "fail", "secondary" or "drop"
    status: int
    times: int
    headers: dict[str, str]
    message: str | None


@dataclass
class Faults:
    """Failures to inject, changeable while the server runs (tests arm them; requests consume them).

    `times` counts the matching requests a rule answers; a negative `times` keeps it armed until `clear()`.
    """

    latency: float = 0.0
    truncate_trees_over: int | None = None
    _rules: list[_Rule] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def fail(
        self,
        pattern: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        message: str | None = None,
    ) -> None:
        """Answer `status` with GitHub's error body to the next `times` requests whose target matches."""
        self._add(_Rule(re.compile(pattern), "fail", status, times, dict(headers or {}), message))

    def secondary_limit(self, pattern: str, *, retry_after: int = 1, times: int = 1, status: int = 403) -> None:
        """Answer GitHub's secondary rate limit (403 or 429 with Retry-After) to the next matching requests."""
        rule = _Rule(re.compile(pattern), "secondary", status, times, {"Retry-After": str(retry_after)}, None)
        self._add(rule)

    def drop(self, pattern: str, *, times: int = 1) -> None:
        """Close the connection without any answer for the next matching requests."""
        self._add(_Rule(re.compile(pattern), "drop", 0, times, {}, None))

    def clear(self) -> None:
        """Disarm every rule (latency and tree truncation stay as set)."""
        with self._lock:
            self._rules.clear()

    def armed(self) -> int:
        """Rules still waiting for a request (a test can check they all fired)."""
        with self._lock:
            return len(self._rules)

    def _add(self, rule: _Rule) -> None:
        if rule.times == 0:
            return
        with self._lock:
            self._rules.append(rule)

    def _take(self, target: str) -> _Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.pattern.search(target):
                    if rule.times > 0:
                        rule.times -= 1
                        if rule.times == 0:
                            self._rules.remove(rule)
                    return rule
        return None


# ----------------------------------------------------------------------------------------------------------------
# Small helpers


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _b64_lines(data: bytes) -> str:
    """Base64 as GitHub sends it (Ruby's encode64): a newline after every 60 characters and at the end."""
    encoded = base64.b64encode(data).decode("ascii")
    return "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))


def _digest(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest(), 16)


def _stable_id(*parts: object, digits: int = 10) -> int:
    """A deterministic numeric id (same inputs, same id across runs: tests and benchmarks can compare)."""
    return 10 ** (digits - 1) + _digest(*parts) % (9 * 10 ** (digits - 1))


def _node_id(prefix: str, *parts: object) -> str:
    raw = hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:12]
    return f"{prefix}_kwDO{base64.urlsafe_b64encode(raw).decode().rstrip('=')}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-") or "team"


def _json_bytes(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode("ascii")


def _etag(raw: bytes) -> str:
    return f'W/"{hashlib.sha256(raw).hexdigest()}"'


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


# ----------------------------------------------------------------------------------------------------------------
# Git access


class GitError(Exception):
    """git could not answer; the request becomes a 500 and is recorded in `FakeGitHub.server_errors`."""


class _Entry(NamedTuple):
    path: str
    mode: str
    type: str
    sha: str
    size: int | None


@dataclass(frozen=True)
class _Person:
    name: str
    email: str
    when: datetime

    def json(self) -> dict[str, str]:
        return {"name": self.name, "email": self.email, "date": _iso(self.when)}


@dataclass(frozen=True)
class _Commit:
    sha: str
    tree: str
    parents: list[str]
    author: _Person
    committer: _Person
    message: str


def _parse_person(value: bytes) -> _Person:
    match = _PERSON.match(value)
    if match is None:
        return _Person(value.decode("utf-8", "replace"), "", datetime.fromtimestamp(0, UTC))
    return _Person(
        match["name"].decode("utf-8", "replace"),
        match["email"].decode("utf-8", "replace"),
        datetime.fromtimestamp(int(match["ts"]), UTC),
    )


def _parse_commit(sha: str, data: bytes) -> _Commit:
    header, _, message = data.partition(b"\n\n")
    tree, parents = "", []
    author = committer = _Person("", "", datetime.fromtimestamp(0, UTC))
    for line in header.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"tree":
            tree = value.decode()
        elif key == b"parent":
            parents.append(value.decode())
        elif key == b"author":
            author = _parse_person(value)
        elif key == b"committer":
            committer = _parse_person(value)
    # GitHub shows messages without git's closing newline, in REST and GraphQL alike.
    return _Commit(sha, tree, parents, author, committer, message.decode("utf-8", "replace").rstrip("\n"))


_PACK_TYPES = {1: "commit", 2: "tree", 3: "blob", 4: "tag"}


def _pack_index_lookup(index: bytes, wanted: bytes) -> int | None:
    """The pack offset of object `wanted` (20 bytes) in a version-2 .idx file, by binary search."""
    first = wanted[0]
    low = int.from_bytes(index[8 + (first - 1) * 4 : 12 + (first - 1) * 4], "big") if first else 0
    high = int.from_bytes(index[8 + first * 4 : 12 + first * 4], "big")
    count = int.from_bytes(index[8 + 255 * 4 : 12 + 255 * 4], "big")
    names = 8 + 256 * 4
    while low < high:
        middle = (low + high) // 2
        name = index[names + middle * 20 : names + middle * 20 + 20]
        if name < wanted:
            low = middle + 1
        elif name > wanted:
            high = middle
        else:
            offsets = names + count * 24  # after the names and the CRCs
            offset = int.from_bytes(index[offsets + middle * 4 : offsets + middle * 4 + 4], "big")
            if offset & 0x80000000:  # an index into the table of 64-bit offsets
                large = offsets + count * 4 + (offset & 0x7FFFFFFF) * 8
                offset = int.from_bytes(index[large : large + 8], "big")
            return offset
    return None


def _pack_entry_header(head: bytes) -> tuple[int, int, int]:
    """(type, inflated size, header length) of a pack entry."""
    byte = head[0]
    kind, size, shift, used = (byte >> 4) & 7, byte & 15, 4, 1
    while byte & 0x80:
        byte = head[used]
        size |= (byte & 0x7F) << shift
        shift += 7
        used += 1
    return kind, size, used


def _read_small(path: str) -> str:
    """A ref file's text; plain open() because heads are re-read on every request."""
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8", "replace").strip()


class _ProcessPool:
    """Caps the long-lived cat-file processes: 1,000 repositories must not hold 1,000 processes and pipes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._order: OrderedDict[int, _Git] = OrderedDict()

    def touch(self, git: _Git) -> list[_Git]:
        with self._lock:
            self._order[id(git)] = git
            self._order.move_to_end(id(git))
            victims = []
            while len(self._order) > self.limit:
                victims.append(self._order.popitem(last=False)[1])
            return victims

    def forget(self, git: _Git) -> None:
        with self._lock:
            self._order.pop(id(git), None)


class _Git:
    """One local repository: heads read from the files under .git, objects through one `git cat-file` process."""

    def __init__(self, path: Path, pool: _ProcessPool) -> None:
        self.path = path
        self._pool = pool
        dot_git = path / ".git"
        if dot_git.is_dir():
            self.gitdir: Path | None = dot_git
        elif (path / "HEAD").is_file() and (path / "objects").is_dir():
            self.gitdir = path  # a bare repository
        else:
            self.gitdir = None  # a worktree or submodule link: ask git itself
        self._lock = threading.Lock()
        self._cat: subprocess.Popen[bytes] | None = None
        self._packed: tuple[tuple[int, int], dict[str, str]] | None = None
        self._trees: dict[tuple[str, bool], list[_Entry]] = {}
        self._commits: dict[str, _Commit] = {}
        self._packs: tuple[int, list[tuple[Path, bytes]]] | None = None
        self.tree_answers: dict[tuple[str, bool, int], tuple[bytes, str]] = {}

    def run(self, *args: str) -> bytes:
        proc = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, env=_GIT_ENV, check=False)
        if proc.returncode != 0:
            raise GitError(proc.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
        return proc.stdout

    def _try(self, *args: str) -> str | None:
        try:
            return self.run(*args).decode().strip() or None
        except GitError:
            return None

    def head(self) -> tuple[str | None, str | None]:
        """(the branch HEAD names, the sha HEAD holds when detached): two small file reads, no process."""
        if self.gitdir is None:
            branch = self._try("symbolic-ref", "-q", "--short", "HEAD")
            return (branch, None) if branch else (None, self._try("rev-parse", "-q", "--verify", "HEAD^{commit}"))
        try:
            text = _read_small(f"{self.gitdir}/HEAD")
        except OSError:
            return None, None
        if text.startswith("ref: refs/heads/"):
            return text.removeprefix("ref: refs/heads/"), None
        return None, (text if _HEX40.fullmatch(text) else None)

    def branch_sha(self, branch: str) -> str | None:
        """The commit refs/heads/<branch> points to, or None (unborn branch: an empty repository)."""
        if self.gitdir is None or not _SAFE_REF.fullmatch(branch):
            return self._try("rev-parse", "-q", "--verify", f"refs/heads/{branch}^{{commit}}")
        ref = f"refs/heads/{branch}"
        for _ in range(5):  # follow symbolic refs a few levels
            try:
                text = _read_small(f"{self.gitdir}/{ref}")
            except OSError:
                return self._packed_refs().get(ref)
            if text.startswith("ref: "):
                ref = text.removeprefix("ref: ")
                continue
            return text if _HEX40.fullmatch(text) else None
        return None

    def _packed_refs(self) -> dict[str, str]:
        assert self.gitdir is not None
        packed = self.gitdir / "packed-refs"
        try:
            st = packed.stat()
        except OSError:
            return {}
        key = (st.st_mtime_ns, st.st_size)
        if self._packed is None or self._packed[0] != key:
            refs: dict[str, str] = {}
            for line in packed.read_text(encoding="utf-8", errors="replace").splitlines():
                if line and line[0] not in "#^":
                    sha, _, name = line.partition(" ")
                    refs[name.strip()] = sha
            self._packed = (key, refs)
        return self._packed[1]

    # -- objects through `git cat-file --batch-command`

    def info(self, name: str) -> tuple[str, str, int] | None:
        """(sha, type, size) of any object name git understands, or None when it does not resolve."""
        found = self._ask("info", name)
        return None if found is None else found[:3]

    def read(self, name: str) -> tuple[str, str, bytes] | None:
        """(sha, type, content) of an object, or None."""
        found = self._ask("contents", name)
        if found is None:
            return None
        sha, kind, _, data = found
        assert data is not None
        return sha, kind, data

    def blob(self, sha: str) -> bytes | None:
        """A blob's bytes: straight from the object store when stored whole, else through cat-file."""
        fast = self._read_stored(sha) if _HEX40.fullmatch(sha) else None
        if fast is not None:
            return fast[1] if fast[0] == "blob" else None
        found = self.read(sha)
        return found[2] if found is not None and found[1] == "blob" else None

    def tree_names(self, tree: str) -> list[tuple[str, str, str]]:
        """(mode, name, sha) of a tree's entries, parsed from the tree object itself: no ls-tree process."""
        found = self.read(tree)
        if found is None or found[1] != "tree":
            return []
        data, out, pos = found[2], [], 0
        while pos < len(data):
            space = data.index(b" ", pos)
            nul = data.index(b"\x00", space)
            mode = data[pos:space].decode().rjust(6, "0")
            out.append((mode, data[space + 1 : nul].decode("utf-8", "surrogateescape"), data[nul + 1 : nul + 21].hex()))
            pos = nul + 21
        return out

    def commit(self, sha: str) -> _Commit | None:
        cached = self._commits.get(sha)
        if cached is not None:
            return cached
        fast = self._read_stored(sha) if _HEX40.fullmatch(sha) else None
        found = (sha, fast[0], fast[1]) if fast is not None else self.read(sha)
        if found is None or found[1] != "commit":
            return None
        commit = self._commits[found[0]] = _parse_commit(found[0], found[2])
        return commit

    # -- reading a whole (non-delta) object straight from the object store: listing 1,000 repositories must not
    #    start 1,000 git processes just for their head commits' dates. Anything unusual falls back to cat-file.

    def _read_stored(self, sha: str) -> tuple[str, bytes] | None:
        if self.gitdir is None:
            return None
        try:
            found = self._read_loose(sha) or self._read_packed(sha)
        except (OSError, ValueError, IndexError, zlib.error):
            return None
        if found is None:
            return None
        kind, body = found
        if hashlib.sha1(f"{kind} {len(body)}\x00".encode() + body).hexdigest() != sha:
            return None  # never trust a parse that does not hash back to the name asked for
        return found

    def _read_loose(self, sha: str) -> tuple[str, bytes] | None:
        assert self.gitdir is not None
        try:
            compressed = (self.gitdir / "objects" / sha[:2] / sha[2:]).read_bytes()
        except FileNotFoundError:
            return None
        header, _, body = zlib.decompress(compressed).partition(b"\x00")
        return header.split(b" ", 1)[0].decode(), body

    def _read_packed(self, sha: str) -> tuple[str, bytes] | None:
        wanted = bytes.fromhex(sha)
        for pack, index in self._pack_indexes():
            offset = _pack_index_lookup(index, wanted)
            if offset is None:
                continue
            with open(pack, "rb") as handle:
                handle.seek(offset)
                head = handle.read(16)
                kind, size, used = _pack_entry_header(head)
                if kind not in _PACK_TYPES:
                    return None  # a delta: let git resolve it
                handle.seek(offset + used)
                inflater = zlib.decompressobj()
                body = inflater.decompress(handle.read(size + 64 + size // 1000), size)
                while len(body) < size and not inflater.eof:
                    more = handle.read(65536)
                    if not more:
                        break
                    body += inflater.decompress(more, size - len(body))
                return _PACK_TYPES[kind], body
        return None

    def _pack_indexes(self) -> list[tuple[Path, bytes]]:
        assert self.gitdir is not None
        folder = self.gitdir / "objects" / "pack"
        try:
            stamp = folder.stat().st_mtime_ns
        except OSError:
            return []
        if self._packs is None or self._packs[0] != stamp:
            indexes = []
            for idx in sorted(folder.glob("*.idx")):
                data = idx.read_bytes()
                if data[:8] == b"\xfftOc\x00\x00\x00\x02":  # version 2, what git writes
                    indexes.append((idx.with_suffix(".pack"), data))
            self._packs = (stamp, indexes)
        return self._packs[1]

    def _ask(self, command: str, name: str) -> tuple[str, str, int, bytes | None] | None:
        if not name or "\n" in name:
            return None
        with self._lock:
            cat = self._process()
            assert cat.stdin is not None and cat.stdout is not None
            try:
                cat.stdin.write(f"{command} {name}\n".encode("utf-8", "surrogateescape"))
                cat.stdin.flush()
                line = cat.stdout.readline()
            except OSError as exc:
                self._close_locked()
                raise GitError(f"git cat-file failed: {exc}") from exc
            if not line:
                self._close_locked()
                raise GitError("git cat-file stopped")
            parts = line.rstrip(b"\n").split(b" ")
            if parts[-1] in (b"missing", b"ambiguous"):
                data = None
                result = None
            else:
                if len(parts) != 3:
                    self._close_locked()
                    raise GitError(f"git cat-file answered {line!r}")
                size = int(parts[2])
                data = None
                if command == "contents":
                    data = cat.stdout.read(size)
                    cat.stdout.read(1)  # the newline after the content
                result = (parts[0].decode(), parts[1].decode(), size, data)
            victims = self._pool.touch(self)
        for victim in victims:
            victim.close_if_idle()
        return result

    def _process(self) -> subprocess.Popen[bytes]:
        if self._cat is None or self._cat.poll() is not None:
            self._cat = subprocess.Popen(
                ["git", "-C", str(self.path), "cat-file", "--batch-command"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_GIT_ENV,
            )
        return self._cat

    def _close_locked(self) -> None:
        cat, self._cat = self._cat, None
        if cat is None:
            return
        with contextlib.suppress(OSError):
            assert cat.stdin is not None
            cat.stdin.close()
        try:
            cat.wait(timeout=5)
        except subprocess.TimeoutExpired:
            cat.kill()
            cat.wait()
        if cat.stdout is not None:
            cat.stdout.close()

    def close_if_idle(self) -> None:
        if self._lock.acquire(blocking=False):
            try:
                self._close_locked()
            finally:
                self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._close_locked()
        self._pool.forget(self)

    # -- listings through `git ls-tree`, cached by tree sha (content-addressed: never stale)

    def ls_tree(self, tree: str, recursive: bool) -> list[_Entry]:
        key = (tree, recursive)
        cached = self._trees.get(key)
        if cached is not None:
            return cached
        args = ["ls-tree", "-l", "--full-tree", "-z", *(["-r", "-t"] if recursive else []), tree]
        entries = []
        for raw in self.run(*args).split(b"\x00"):
            if not raw:
                continue
            info, _, raw_path = raw.partition(b"\t")
            mode, kind, sha, size = info.split()
            entries.append(
                _Entry(
                    raw_path.decode("utf-8", "surrogateescape"),
                    mode.decode(),
                    kind.decode(),
                    sha.decode(),
                    None if size == b"-" else int(size),
                )
            )
        self._trees[key] = entries
        return entries


# ----------------------------------------------------------------------------------------------------------------
# Server-side model


@dataclass
class _Owner:
    login: str
    id: int
    type: str  # "Organization" or "User"
    repos: dict[str, _Repo] = field(default_factory=dict)  # lower-case name -> repo


@dataclass
class _Team:
    slug: str
    id: int
    repos: dict[str, str] = field(default_factory=dict)  # lower-case repo name -> permission


@dataclass(frozen=True)
class _Workflow:
    path: str
    name: str
    job: str
    id: int


class _Identity(NamedTuple):
    kind: str  # "user", "installation", "app" or "anonymous"
    id: int


_ANONYMOUS = _Identity("anonymous", 0)


@dataclass
class _Bucket:
    limit: int
    remaining: int
    reset: int

    def refresh(self, now: float, window: int) -> None:
        if now >= self.reset:
            self.remaining = self.limit
            self.reset = int(now) + window

    def json(self) -> dict[str, int]:
        return {
            "limit": self.limit,
            "used": self.limit - self.remaining,
            "remaining": self.remaining,
            "reset": self.reset,
        }


class _Repo:
    """A served repository: its spec, ids, and the state at its current head."""

    def __init__(self, spec: FakeRepo, owner: _Owner, repo_id: int, pool: _ProcessPool) -> None:
        self.spec = spec
        self.owner = owner
        self.id = repo_id
        self.git = _Git(spec.path, pool) if spec.path is not None else None
        self._state: _State | None = None
        self._lock = threading.Lock()

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.spec.name}"

    def state(self) -> _State:
        """The state at the current head: re-checked on every request (cheap), rebuilt only when it moved."""
        branch, head = self._read_head()
        state = self._state
        if state is not None and state.head == head and state.default_branch == branch:
            return state
        with self._lock:
            state = self._state
            if state is None or state.head != head or state.default_branch != branch:
                state = self._state = _State(self, branch, head)
            return state

    def forget_state(self) -> None:
        with self._lock:
            self._state = None

    def _read_head(self) -> tuple[str, str | None]:
        if self.git is None:
            return self.spec.default_branch or "main", None
        head_branch, detached = self.git.head()
        branch = self.spec.default_branch or head_branch or "main"
        sha = self.git.branch_sha(branch)
        if sha is None and self.spec.default_branch is None and head_branch is None:
            sha = detached
        return branch, sha


class _State:
    """What a repository shows at one head; every derived value is computed once, on first use."""

    def __init__(self, repo: _Repo, default_branch: str, head: str | None) -> None:
        self.repo = repo
        self.default_branch = default_branch
        self.head = head
        self._lock = threading.RLock()
        self._memo: dict[str, Any] = {}

    @property
    def empty(self) -> bool:
        return self.head is None

    def _get(self, key: str, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key]

    @property
    def git(self) -> _Git:
        assert self.repo.git is not None
        return self.repo.git

    @property
    def commit(self) -> _Commit | None:
        if self.head is None:
            return None
        return self._get("commit", lambda: self.git.commit(self.head or ""))

    @property
    def head_date(self) -> datetime:
        commit = self.commit
        if commit is not None:
            return commit.committer.when
        return _parse_iso(self.repo.spec.pushed_at or CREATED_AT)

    @property
    def pushed_at(self) -> str | None:
        if self.repo.spec.pushed_at is not None:
            return self.repo.spec.pushed_at
        commit = self.commit
        return _iso(commit.committer.when) if commit is not None else None

    @property
    def size_kb(self) -> int:
        """Disk usage of the object store in KB, as GitHub reports it; a walk of .git/objects, no git process."""

        def compute() -> int:
            git = self.repo.git
            if self.head is None or git is None or git.gitdir is None:
                return 0
            total = 0
            for folder, _, files in os.walk(git.gitdir / "objects"):
                for name in files:
                    with contextlib.suppress(OSError):
                        total += os.stat(os.path.join(folder, name)).st_size
            return (total + 1023) // 1024

        return self._get("size", compute)

    @property
    def workflows(self) -> list[_Workflow]:
        return self._get("workflows", self._read_workflows)

    def _read_workflows(self) -> list[_Workflow]:
        if self.head is None:
            return []
        found = self.git.info(f"{self.head}:.github/workflows")
        if found is None or found[1] != "tree":
            return []
        workflows = []
        for mode, file_name, sha in self.git.tree_names(found[0]):
            if mode not in ("100644", "100755") or not file_name.endswith((".yml", ".yaml")):
                continue
            path = f".github/workflows/{file_name}"
            name, job = _workflow_names(self.git.blob(sha) or b"", path)
            workflows.append(_Workflow(path, name, job, _stable_id(self.repo.full_name, path, digits=8)))
        return workflows

    def history(self, limit: int) -> list[_Commit]:
        """The head and its first parents, newest first (the commits synthesised runs ran on)."""
        commits: list[_Commit] = []
        sha = self.head
        while sha and len(commits) < limit:
            commit = self.git.commit(sha)
            if commit is None:
                break
            commits.append(commit)
            sha = commit.parents[0] if commit.parents else None
        return commits

    def runs(self, fake: FakeGitHub) -> list[dict]:
        """Workflow runs, newest first: the spec's own, or synthesised from the workflow files at head."""
        return self._get("runs", lambda: fake._build_runs(self.repo, self))

    def check_runs(self, fake: FakeGitHub, sha: str) -> list[dict]:
        by_sha: dict[str, list[dict]] = self._get("checks", lambda: fake._build_check_runs(self.repo, self))
        return by_sha.get(sha, [])

    def statuses(self, fake: FakeGitHub, sha: str) -> list[dict]:
        """The latest status per context on `sha` (GitHub's combined status keeps only those)."""
        every: list[dict] = self._get("statuses", lambda: fake._build_statuses(self.repo, self))
        latest: dict[str, dict] = {}
        for status in sorted(every, key=lambda s: (s["updated_at"], s["id"]), reverse=True):
            if status["sha"] == sha and status["context"] not in latest:
                latest[status["context"]] = status
        return list(latest.values())


def _workflow_names(content: bytes, path: str) -> tuple[str, str]:
    """(workflow name, first job's name): `name:` when the YAML has one, else GitHub's fallback (path, job id)."""
    try:
        doc = yaml.load(content.decode("utf-8", "replace"), Loader=_YAML_LOADER)
    except (yaml.YAMLError, ValueError, RecursionError):
        return path, path
    if not isinstance(doc, dict):
        return path, path
    name = doc.get("name")
    workflow = name.strip() if isinstance(name, str) and name.strip() else path
    jobs = doc.get("jobs")
    if isinstance(jobs, dict) and jobs:
        job_id, job = next(iter(jobs.items()))
        job_name = job.get("name") if isinstance(job, dict) else None
        return workflow, job_name if isinstance(job_name, str) and job_name else str(job_id)
    return workflow, workflow


# ----------------------------------------------------------------------------------------------------------------
# HTTP plumbing


@dataclass
class _Ctx:
    method: str
    target: str
    path: str
    query: list[tuple[str, str]]
    headers: Message
    body: bytes
    identity: _Identity = _ANONYMOUS

    def arg(self, name: str) -> str | None:
        values = [v for k, v in self.query if k == name]
        return values[-1] if values else None

    def has(self, name: str) -> bool:
        return any(k == name for k, _ in self.query)


@dataclass
class _Resp:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json; charset=utf-8"
    etag: str | None = None  # set with `raw` when a handler serves a cached JSON answer


def _error(status: int, message: str | None = None, **extra: Any) -> _Resp:
    body = {"message": message or _DEFAULT_MESSAGES.get(status, "Error"), "documentation_url": DOCS_URL}
    body.update(extra)
    body["status"] = str(status)
    return _Resp(status, body)


_R = r"/api/v3/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
_ROUTES: tuple[tuple[str, re.Pattern[str], str, str], ...] = tuple(
    (method, re.compile(pattern), label, handler)
    for method, pattern, label, handler in (
        ("GET", r"/api/v3/rate_limit", "rate_limit", "_h_rate_limit"),
        ("GET", r"/api/v3/orgs/(?P<org>[^/]+)", "orgs.get", "_h_org"),
        ("GET", r"/api/v3/orgs/(?P<org>[^/]+)/repos", "repos.list", "_h_org_repos"),
        ("GET", r"/api/v3/orgs/(?P<org>[^/]+)/teams", "teams.list", "_h_teams"),
        ("GET", r"/api/v3/orgs/(?P<org>[^/]+)/teams/(?P<slug>[^/]+)", "teams.get", "_h_team"),
        ("GET", r"/api/v3/orgs/(?P<org>[^/]+)/teams/(?P<slug>[^/]+)/repos", "teams.repos", "_h_team_repos"),
        ("GET", r"/api/v3/organizations/(?P<org_id>\d+)/team/(?P<team_id>\d+)", "teams.get", "_h_team"),
        ("GET", r"/api/v3/organizations/(?P<org_id>\d+)/team/(?P<team_id>\d+)/repos", "teams.repos", "_h_team_repos"),
        ("GET", r"/api/v3/users/(?P<user>[^/]+)", "users.get", "_h_user"),
        ("GET", r"/api/v3/users/(?P<user>[^/]+)/repos", "repos.list", "_h_user_repos"),
        ("POST", r"/api/v3/app/installations/(?P<installation>\d+)/access_tokens", "apps.token", "_h_app_token"),
        ("POST", r"/api/graphql", "graphql", "_h_graphql"),
        ("GET", _R, "repos.get", "_h_repo"),
        ("GET", _R + r"/git/trees/(?P<ref>.+)", "git.trees", "_h_tree"),
        ("GET", _R + r"/git/blobs/(?P<sha>[^/]+)", "git.blobs", "_h_blob"),
        ("GET", _R + r"/contents(?:/(?P<path>.*))?", "contents", "_h_contents"),
        ("GET", _R + r"/branches/(?P<branch>.+)", "branches.get", "_h_branch"),
        ("GET", _R + r"/commits/(?P<ref>.+)/check-runs", "checks.runs", "_h_check_runs"),
        ("GET", _R + r"/commits/(?P<ref>.+)/status", "commits.status", "_h_combined_status"),
        ("GET", _R + r"/commits/(?P<ref>.+)", "commits.get", "_h_commit"),
        ("GET", _R + r"/actions/runs", "actions.runs", "_h_runs"),
        ("GET", _R + r"/actions/runs/(?P<run_id>\d+)", "actions.run", "_h_run"),
        ("GET", _R + r"/actions/workflows", "actions.workflows", "_h_workflows"),
        ("GET", r"/raw/(?P<owner>[^/]+)/(?P<repo>[^/]+)/(?P<rest>.+)", "raw", "_h_raw"),
    )
)
#: Answers that never take from a rate-limit bucket.
_FREE_LABELS = frozenset({"rate_limit", "apps.token", "raw"})


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 512
    allow_reuse_address = True

    def __init__(self, fake: FakeGitHub, port: int = 0) -> None:
        self.fake = fake
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        # A port given is one several fakes may share (SO_REUSEPORT: the kernel spreads connections
        # over them, as a load balancer spreads them over GitHub's servers); port 0 stays our own.
        self.allow_reuse_port = port != 0
        super().__init__(("127.0.0.1", port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End idle keep-alive connections so their threads finish when the fake stops."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHub.com"
    sys_version = ""
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a benchmark serves tens of thousands of requests."""

    def _dispatch(self) -> None:
        try:
            self.server.fake._serve(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = _dispatch
    do_POST = _dispatch
    do_PUT = _dispatch
    do_PATCH = _dispatch
    do_DELETE = _dispatch


# ----------------------------------------------------------------------------------------------------------------
# GraphQL

SDL = """
scalar DateTime
scalar GitObjectID
scalar URI

type Query {
  repository(owner: String!, name: String!): Repository
  rateLimit: RateLimit
  organization(login: String!): Organization
}
type Organization { login: String! }
type RateLimit { cost: Int! limit: Int! remaining: Int! resetAt: DateTime! used: Int! }
type Repository {
  name: String!
  nameWithOwner: String!
  isArchived: Boolean!
  isFork: Boolean!
  isEmpty: Boolean!
  visibility: RepositoryVisibility!
  pushedAt: DateTime
  url: URI!
  defaultBranchRef: Ref
  object(oid: GitObjectID, expression: String): GitObject
}
enum RepositoryVisibility { PRIVATE PUBLIC INTERNAL }
type Ref { name: String! prefix: String! target: GitObject }
interface GitObject { oid: GitObjectID! abbreviatedOid: String! }
type Commit implements GitObject {
  oid: GitObjectID!
  abbreviatedOid: String!
  committedDate: DateTime!
  message: String!
  tree: Tree!
  statusCheckRollup: StatusCheckRollup
}
type Tree implements GitObject { oid: GitObjectID! abbreviatedOid: String! entries: [TreeEntry!] }
type TreeEntry { name: String! path: String mode: Int! type: String! oid: GitObjectID! size: Int! object: GitObject }
type Blob implements GitObject {
  oid: GitObjectID!
  abbreviatedOid: String!
  byteSize: Int!
  isBinary: Boolean
  isTruncated: Boolean!
  text: String
}
type StatusCheckRollup { state: StatusState! contexts(first: Int, after: String): StatusCheckRollupContextConnection! }
type StatusCheckRollupContextConnection { totalCount: Int! nodes: [StatusCheckRollupContext] pageInfo: PageInfo! }
type PageInfo { hasNextPage: Boolean! endCursor: String }
union StatusCheckRollupContext = CheckRun | StatusContext
enum StatusState { ERROR EXPECTED FAILURE PENDING SUCCESS }
type CheckRun {
  name: String!
  status: CheckStatusState!
  conclusion: CheckConclusionState
  startedAt: DateTime
  completedAt: DateTime
  detailsUrl: URI
  checkSuite: CheckSuite!
}
enum CheckStatusState { COMPLETED IN_PROGRESS PENDING QUEUED REQUESTED WAITING }
enum CheckConclusionState {
  ACTION_REQUIRED CANCELLED FAILURE NEUTRAL SKIPPED STALE STARTUP_FAILURE SUCCESS TIMED_OUT
}
type CheckSuite { app: App workflowRun: WorkflowRun }
type App { slug: String! name: String! }
type WorkflowRun { databaseId: Int runNumber: Int! createdAt: DateTime! workflow: Workflow! }
type Workflow { name: String! }
type StatusContext { context: String! state: StatusState! createdAt: DateTime! targetUrl: URI description: String }
"""
SCHEMA = graphql.build_schema(SDL)


def _typename(value: Any, _info: Any, _abstract: Any) -> str:
    return value["__typename"]


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def _cursor_index(cursor: str | None) -> int:
    if not cursor:
        return -1
    try:
        return int(base64.b64decode(cursor).decode().rsplit(":", 1)[1])
    except (ValueError, IndexError, UnicodeDecodeError):
        raise graphql.GraphQLError(f"`{cursor}` does not appear to be a valid cursor.") from None


def _rollup_state(check_runs: list[dict], statuses: list[dict]) -> str:
    """GitHub's rollup: a failing check or status fails it, anything unfinished keeps it pending."""
    failing = [c for c in check_runs if c.get("status") == "completed" and c.get("conclusion") in _FAILING_CONCLUSIONS]
    failing_statuses = [s for s in statuses if s.get("state") in ("failure", "error")]
    if failing or failing_statuses:
        only_errors = not failing and all(s["state"] == "error" for s in failing_statuses)
        return "ERROR" if only_errors else "FAILURE"
    if any(c.get("status") != "completed" for c in check_runs) or any(s.get("state") == "pending" for s in statuses):
        return "PENDING"
    return "SUCCESS"


def _combined_state(statuses: list[dict]) -> str:
    states = {s.get("state") for s in statuses}
    if states & {"failure", "error"}:
        return "failure"
    if not statuses or "pending" in states:
        return "pending"
    return "success"


class _GraphQLRequest:
    """Resolvers for one GraphQL request: plain dicts whose callables graphql-core's default resolver invokes."""

    def __init__(self, fake: FakeGitHub, ctx: _Ctx) -> None:
        self.fake = fake
        self.ctx = ctx

    def root(self) -> dict[str, Any]:
        return {"repository": self.repository, "rateLimit": self.rate_limit, "organization": self.organization}

    def repository(self, _info: Any, owner: str, name: str) -> dict[str, Any]:
        repo = self.fake._find_repo(owner, name)
        if repo is None or repo.spec.status is not None:
            raise graphql.GraphQLError(
                f"Could not resolve to a Repository with the name '{owner}/{name}'.", extensions={"type": "NOT_FOUND"}
            )
        return self.repo_node(repo)

    def organization(self, _info: Any, login: str) -> dict[str, Any]:
        owner = self.fake._owners.get(login.lower())
        if owner is None or owner.type != "Organization":
            raise graphql.GraphQLError(
                f"Could not resolve to an Organization with the login of '{login}'.", extensions={"type": "NOT_FOUND"}
            )
        return {"login": owner.login}

    def rate_limit(self, _info: Any) -> dict[str, Any]:
        bucket = self.fake._bucket_snapshot(self.ctx.identity, "graphql")
        reset = datetime.fromtimestamp(bucket.reset, UTC)
        used = bucket.limit - bucket.remaining
        return {"cost": 1, "limit": bucket.limit, "remaining": bucket.remaining, "resetAt": _iso(reset), "used": used}

    def repo_node(self, repo: _Repo) -> dict[str, Any]:
        state = repo.state()
        spec = repo.spec
        return {
            "name": spec.name,
            "nameWithOwner": repo.full_name,
            "isArchived": spec.archived,
            "isFork": spec.fork,
            "isEmpty": state.empty,
            "visibility": spec.visibility.upper(),
            "pushedAt": state.pushed_at,
            "url": self.fake._html(repo.full_name),
            "defaultBranchRef": lambda _info: self.ref_node(repo, state),
            "object": lambda _info, oid=None, expression=None: self.object_node(repo, state, oid, expression),
        }

    def ref_node(self, repo: _Repo, state: _State) -> dict[str, Any] | None:
        if state.head is None:
            return None
        head = state.head
        return {
            "name": state.default_branch,
            "prefix": "refs/heads/",
            "target": lambda _info: self.node(repo, state, head, "commit", 0, ""),
        }

    def object_node(self, repo: _Repo, state: _State, oid: str | None, expression: str | None) -> dict | None:
        if state.empty or repo.git is None:
            return None
        if oid is not None:
            found = repo.git.info(oid) if _HEX40.fullmatch(oid) else None
            return None if found is None else self.node(repo, state, found[0], found[1], found[2], "")
        if expression is None:
            return None
        rev, colon, path = expression.partition(":")
        commit = self.fake._commit_of(repo, state, rev or "HEAD")
        if commit is None:
            return None
        path = path.strip("/")
        name = f"{commit}:{path}" if colon else commit
        found = repo.git.info(name)
        return None if found is None else self.node(repo, state, found[0], found[1], found[2], path)

    def node(self, repo: _Repo, state: _State, sha: str, kind: str, size: int, path: str) -> dict[str, Any] | None:
        git = repo.git
        assert git is not None
        base = {"oid": sha, "abbreviatedOid": sha[:7]}
        if kind == "commit":
            commit = git.commit(sha)
            if commit is None:
                return None
            return {
                **base,
                "__typename": "Commit",
                "committedDate": _iso(commit.committer.when),
                "message": commit.message,
                "tree": lambda _info: self.node(repo, state, commit.tree, "tree", 0, ""),
                "statusCheckRollup": lambda _info: self.rollup_node(repo, state, sha),
            }
        if kind == "tree":
            return {**base, "__typename": "Tree", "entries": lambda _info: self.entries(repo, state, sha, path)}
        if kind == "blob":
            return {**base, "__typename": "Blob", **self.blob_fields(git, sha, size)}
        return None  # a tag object: outside this subset

    def entries(self, repo: _Repo, state: _State, tree: str, prefix: str) -> list[dict[str, Any]]:
        assert repo.git is not None
        out = []
        for e in repo.git.ls_tree(tree, False):
            path = f"{prefix}/{e.path}" if prefix else e.path
            out.append(
                {
                    "name": e.path,
                    "path": path,
                    "mode": int(e.mode, 8),
                    "type": e.type,
                    "oid": e.sha,
                    "size": e.size or 0,
                    "object": lambda _info, e=e, path=path: self.node(repo, state, e.sha, e.type, e.size or 0, path),
                }
            )
        return out

    def blob_fields(self, git: _Git, sha: str, size: int) -> dict[str, Any]:
        limit = self.fake.graphql_text_limit
        cache: dict[str, bytes] = {}

        def content() -> bytes:
            if "data" not in cache:
                cache["data"] = git.blob(sha) or b""
            return cache["data"]

        def is_binary(_info: Any) -> bool:
            return b"\x00" in content()[:8000]

        def text(_info: Any) -> str | None:
            data = content()
            if b"\x00" in data[:8000]:
                return None
            self.fake._served_blob(sha)
            return data[:limit].decode("utf-8", "replace")

        return {
            "byteSize": size,
            "isBinary": is_binary,
            "isTruncated": lambda _info: size > limit,
            "text": text,
        }

    def rollup_node(self, repo: _Repo, state: _State, sha: str) -> dict[str, Any] | None:
        check_runs = state.check_runs(self.fake, sha)
        statuses = state.statuses(self.fake, sha)
        if not check_runs and not statuses:
            return None
        nodes = [self.check_run_node(repo, state, c) for c in check_runs]
        nodes += [self.status_node(s) for s in statuses]

        def contexts(_info: Any, first: int | None = None, after: str | None = None) -> dict[str, Any]:
            if first is None:
                raise graphql.GraphQLError(
                    "You must provide a `first` or `last` value to properly paginate the `contexts` connection.",
                    extensions={"type": "MISSING_PAGINATION_BOUNDARIES"},
                )
            if first > GRAPHQL_MAX_FIRST or first < 0:
                raise graphql.GraphQLError(
                    f"Requesting {first} records on the `contexts` connection exceeds the `first` limit of "
                    f"{GRAPHQL_MAX_FIRST} records.",
                    extensions={"type": "EXCESSIVE_PAGINATION"},
                )
            start = _cursor_index(after) + 1
            page = nodes[start : start + first]
            end = start + len(page) - 1
            return {
                "totalCount": len(nodes),
                "nodes": page,
                "pageInfo": {
                    "hasNextPage": start + len(page) < len(nodes),
                    "endCursor": _cursor(end) if page else None,
                },
            }

        return {"state": _rollup_state(check_runs, statuses), "contexts": contexts}

    def check_run_node(self, repo: _Repo, state: _State, check: dict) -> dict[str, Any]:
        suite_id = (check.get("check_suite") or {}).get("id")
        app = check.get("app")
        conclusion = check.get("conclusion")

        def workflow_run(_info: Any) -> dict[str, Any] | None:
            run = next((r for r in state.runs(self.fake) if r.get("check_suite_id") == suite_id), None)
            if run is None:
                return None
            return {
                "databaseId": run["id"] if run["id"] < 2**31 else None,  # Int is 32-bit
                "runNumber": run["run_number"],
                "createdAt": run["created_at"],
                "workflow": {"name": run["name"]},
            }

        return {
            "__typename": "CheckRun",
            "name": check["name"],
            "status": str(check.get("status", "completed")).upper(),
            "conclusion": conclusion.upper() if isinstance(conclusion, str) else None,
            "startedAt": check.get("started_at"),
            "completedAt": check.get("completed_at"),
            "detailsUrl": check.get("details_url"),
            "checkSuite": {
                "app": {"slug": app.get("slug", ""), "name": app.get("name", "")} if isinstance(app, dict) else None,
                "workflowRun": workflow_run,
            },
        }

    @staticmethod
    def status_node(status: dict) -> dict[str, Any]:
        return {
            "__typename": "StatusContext",
            "context": status["context"],
            "state": str(status["state"]).upper(),
            "createdAt": status["created_at"],
            "targetUrl": status.get("target_url"),
            "description": status.get("description"),
        }


_DOCUMENTS: OrderedDict[str, tuple[graphql.DocumentNode | None, list[graphql.GraphQLError]]] = OrderedDict()
_DOCUMENTS_LOCK = threading.Lock()


def _parse_and_validate(query: str) -> tuple[graphql.DocumentNode | None, list[graphql.GraphQLError]]:
    """Parse and validate once per query text: validation costs ~10 ms and a collector repeats one query."""
    with _DOCUMENTS_LOCK:
        cached = _DOCUMENTS.get(query)
        if cached is not None:
            _DOCUMENTS.move_to_end(query)
            return cached
    try:
        document = graphql.parse(query)
    except graphql.GraphQLError as error:
        found: tuple[graphql.DocumentNode | None, list[graphql.GraphQLError]] = (None, [error])
    else:
        errors = graphql.validate(SCHEMA, document)
        found = (None, list(errors)) if errors else (document, [])
    with _DOCUMENTS_LOCK:
        _DOCUMENTS[query] = found
        while len(_DOCUMENTS) > 256:
            _DOCUMENTS.popitem(last=False)
    return found


def _format_graphql_error(error: graphql.GraphQLError) -> dict[str, Any]:
    """GitHub's error shape: `type` at the top level (NOT_FOUND, ...), then path, locations, message."""
    out: dict[str, Any] = {}
    extensions = dict(error.extensions or {})
    if "type" in extensions:
        out["type"] = extensions.pop("type")
    if error.path is not None:
        out["path"] = list(error.path)
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    out["message"] = error.message
    if extensions:
        out["extensions"] = extensions
    return out


# ----------------------------------------------------------------------------------------------------------------
# The fake itself


class FakeGitHub:
    """GitHub's REST and GraphQL API for one organisation (and optional users) made of local git repositories."""

    def __init__(
        self,
        org: str,
        repos: list[FakeRepo],
        *,
        users: dict[str, list[FakeRepo]] | None = None,
        tokens: Iterable[str] = ("test-token",),
        app: FakeApp | None = None,
        rate_limit: int = 5000,
        rate_reset_seconds: int = 3600,
        per_page_max: int = 100,
        graphql_text_limit: int = 512 * 1024,
    ) -> None:
        self.org = org
        self.app = app
        self.rate_limit = rate_limit
        self.rate_reset_seconds = rate_reset_seconds
        self.per_page_max = per_page_max
        self.graphql_text_limit = graphql_text_limit
        self.faults = Faults()
        self.counts: Counter[str] = Counter()
        self.blobs_served: Counter[str] = Counter()
        #: Tracebacks of requests the fake itself failed on (answered 500): a test can assert it stays empty.
        self.server_errors: list[str] = []
        self._tokens = {token: index + 1 for index, token in enumerate(tokens)}
        self._installation_tokens: dict[str, tuple[int, float]] = {}
        self._buckets: dict[tuple[_Identity, str], _Bucket] = {}
        self._lock = threading.Lock()
        self._request_ids = itertools.count(1)
        self._pool = _ProcessPool(_process_limit())
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

        self._owners: dict[str, _Owner] = {}
        self._org = self._add_owner(org, 1000, "Organization", repos)
        for index, (login, user_repos) in enumerate(sorted((users or {}).items())):
            self._add_owner(login, 2000 + index, "User", user_repos)
        every = sorted((r for o in self._owners.values() for r in o.repos.values()), key=lambda r: r.full_name.lower())
        for index, repo in enumerate(every):
            repo.id = 100_000 + index
        self._teams: dict[str, _Team] = {}
        for repo in sorted(self._org.repos.values(), key=lambda r: r.full_name.lower()):
            for slug, permission in repo.spec.teams.items():
                if permission not in _PERMISSIONS:
                    raise ValueError(f"{repo.full_name}: team {slug!r} has unknown permission {permission!r}")
                team = self._teams.setdefault(slug.lower(), _Team(slug, 0))
                team.repos[repo.spec.name.lower()] = permission
        for index, slug in enumerate(sorted(self._teams)):
            self._teams[slug].id = 3000 + index

    def _add_owner(self, login: str, owner_id: int, kind: str, repos: list[FakeRepo]) -> _Owner:
        if login.lower() in self._owners:
            raise ValueError(f"owner {login!r} given twice")
        owner = self._owners[login.lower()] = _Owner(login, owner_id, kind)
        for spec in repos:
            if spec.name.lower() in owner.repos:
                raise ValueError(f"repository {login}/{spec.name} given twice")
            spec.owner = login
            owner.repos[spec.name.lower()] = _Repo(spec, owner, 0, self._pool)
        return owner

    @classmethod
    def from_local_root(cls, root: Path, org: str, **kwargs: Any) -> FakeGitHub:
        """Every git repository under root (any depth, e.g. root/<team>/<repo>/.git as the demo organisation lays
        them out): name = the repository folder's basename; the first folder under root (when there is one)
        becomes a team slug with "maintain" permission on it."""
        repos = [
            FakeRepo(name=path.name, path=path, teams={_slug(team): "maintain"} if team else {})
            for path, team in _discover(Path(root))
        ]
        return cls(org, repos, **kwargs)

    # -- life cycle

    def start(self, port: int = 0) -> FakeGitHub:
        """Serve on a free port, or on `port`, which other fakes of the same organisation may share."""
        if self._server is None:
            self._server = _Server(self, port)
            self._port = self._server.server_address[1]
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-github", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for owner in self._owners.values():
            for repo in owner.repos.values():
                if repo.git is not None:
                    repo.git.close()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("FakeGitHub is not started")
        return self._port

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The REST root, GitHub Enterprise style; PyGithub derives <origin>/api/graphql from it."""
        return f"{self.origin}/api/v3"

    @property
    def graphql_url(self) -> str:
        return f"{self.origin}/api/graphql"

    # -- bookkeeping

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()
            self.blobs_served.clear()

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.counts.values())

    def push(self, name: str) -> None:
        """Forget what was read of repository `name` ("repo" in the org, or "owner/repo"): heads are re-checked on
        every request anyway, so this is only needed after rewriting history in place without moving the head."""
        owner, _, repo_name = name.rpartition("/")
        repo = self._find_repo(owner or self.org, repo_name)
        if repo is None:
            raise KeyError(name)
        repo.forget_state()

    def _served_blob(self, sha: str) -> None:
        with self._lock:
            self.blobs_served[sha] += 1

    def _find_repo(self, owner: str, name: str) -> _Repo | None:
        found = self._owners.get(owner.lower())
        return None if found is None else found.repos.get(name.lower())

    # -- URLs

    def _api(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def _html(self, path: str) -> str:
        return f"{self.origin}/{path}"

    # -- auth and rate limit

    def _authenticate(self, ctx: _Ctx) -> tuple[_Identity, _Resp | None]:
        header = ctx.headers.get("Authorization")
        if not header:
            return _ANONYMOUS, _error(401, "Requires authentication")
        scheme, _, value = header.strip().partition(" ")
        value = value.strip()
        if scheme.lower() not in ("token", "bearer"):
            return _ANONYMOUS, _error(401, "Bad credentials")
        user = self._tokens.get(value)
        if user is not None:
            return _Identity("user", user), None
        with self._lock:
            issued = self._installation_tokens.get(value)
        if issued is not None and issued[1] > time.time():
            return _Identity("installation", issued[0]), None
        return _ANONYMOUS, _error(401, "Bad credentials")

    def _bucket_locked(self, identity: _Identity, resource: str) -> _Bucket:
        now = time.time()
        key = (identity, resource)
        bucket = self._buckets.get(key)
        if bucket is None:
            limit = 60 if identity.kind == "anonymous" else self.rate_limit
            bucket = self._buckets[key] = _Bucket(limit, limit, int(now) + self.rate_reset_seconds)
        bucket.refresh(now, self.rate_reset_seconds)
        return bucket

    def _bucket_snapshot(self, identity: _Identity, resource: str) -> _Bucket:
        with self._lock:
            bucket = self._bucket_locked(identity, resource)
            return _Bucket(bucket.limit, bucket.remaining, bucket.reset)

    def _take_from_bucket(self, identity: _Identity, resource: str, amount: int) -> bool:
        """Take `amount` (negative: give back, for a 304); False when the bucket is already empty."""
        with self._lock:
            bucket = self._bucket_locked(identity, resource)
            if amount > 0 and bucket.remaining < amount:
                return False
            bucket.remaining = min(bucket.limit, bucket.remaining - amount)
            return True

    def _rate_headers(self, identity: _Identity, resource: str) -> dict[str, str]:
        bucket = self._bucket_snapshot(identity, resource)
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(bucket.remaining),
            "X-RateLimit-Reset": str(bucket.reset),
            "X-RateLimit-Used": str(bucket.limit - bucket.remaining),
            "X-RateLimit-Resource": resource,
        }

    @staticmethod
    def _who(identity: _Identity) -> str:
        return f"installation ID {identity.id}" if identity.kind == "installation" else f"user ID {identity.id}"

    # -- serving

    def _route(self, method: str, path: str) -> tuple[str, str | None, dict[str, str]]:
        matched_path = False
        for route_method, pattern, label, handler in _ROUTES:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            matched_path = True
            if route_method == method:
                groups = {k: urllib.parse.unquote(v) for k, v in match.groupdict().items() if v is not None}
                return label, handler, groups
        return ("unknown", "_h_method_not_allowed" if matched_path else None, {})

    def _serve(self, handler: _Handler) -> None:
        target = handler.path
        split = urllib.parse.urlsplit(target)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length > 0 else b""
        ctx = _Ctx(
            handler.command,
            target,
            split.path,
            urllib.parse.parse_qsl(split.query, keep_blank_values=True),
            handler.headers,
            body,
        )
        label, method_name, groups = self._route(ctx.method, ctx.path)
        with self._lock:
            self.counts[label] += 1
        latency = self.faults.latency
        if latency > 0:
            time.sleep(latency)
        rule = self.faults._take(target)
        if rule is not None and rule.kind == "drop":
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        resource = "graphql" if label == "graphql" else "core"
        if label == "apps.token":
            identity, refused = _Identity("app", self.app.app_id if self.app else 0), None
        else:
            identity, refused = self._authenticate(ctx)
        ctx.identity = identity
        if rule is not None:
            resp = self._fault_answer(rule)
        elif refused is not None:
            resp = refused
            if label == "graphql" and refused.body["message"] == "Requires authentication":
                resp = _error(401, "This endpoint requires you to be authenticated.")
        else:
            resp = self._answer(ctx, label, method_name, groups, resource)
        self._write(handler, ctx, resp, resource)

    def _fault_answer(self, rule: _Rule) -> _Resp:
        if rule.kind == "secondary":
            resp = _error(
                rule.status,
                SECONDARY_LIMIT_MESSAGE,
                documentation_url="https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
                "#about-secondary-rate-limits",
            )
        else:
            resp = _error(rule.status, rule.message)
        resp.headers.update(rule.headers)
        return resp

    def _answer(self, ctx: _Ctx, label: str, method_name: str | None, groups: dict[str, str], resource: str) -> _Resp:
        free = label in _FREE_LABELS
        if not free and not self._take_from_bucket(ctx.identity, resource, 1):
            who = self._who(ctx.identity)
            if resource == "graphql":  # GitHub: HTTP 200, the error in the body, X-RateLimit-Remaining 0
                error = {"type": "RATE_LIMITED", "code": "graphql_rate_limit"}
                return _Resp(200, {"errors": [{**error, "message": f"API rate limit already exceeded for {who}."}]})
            return _error(
                403,
                f"API rate limit exceeded for {who}.",
                documentation_url="https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
                "#about-the-primary-rate-limit",
            )
        resp = self._call(ctx, method_name, groups)
        if ctx.method == "GET" and resp.status == 200 and (resp.etag is not None or resp.raw is None):
            if resp.raw is None:
                resp.raw = _json_bytes(resp.body)
            etag = resp.etag or _etag(resp.raw)
            resp.headers["ETag"] = etag
            if _etag_matches(ctx.headers.get("If-None-Match"), etag):
                if not free:
                    self._take_from_bucket(ctx.identity, resource, -1)  # GitHub: a 304 costs nothing
                return _Resp(304, headers={"ETag": etag}, raw=b"")
        return resp

    def _call(self, ctx: _Ctx, method_name: str | None, groups: dict[str, str]) -> _Resp:
        if method_name is None:
            return _error(404)
        try:
            if "owner" in groups and "repo" in groups:
                repo = self._find_repo(groups.pop("owner"), groups.pop("repo"))
                if repo is None:
                    return _error(404)
                blocked = self._blocked(repo)
                if blocked is not None:
                    return blocked
                return getattr(self, method_name)(ctx, repo, repo.state(), **groups)
            return getattr(self, method_name)(ctx, **groups)
        except Exception:
            text = traceback.format_exc()
            with self._lock:
                self.server_errors.append(f"{ctx.method} {ctx.target}\n{text}")
            return _error(500, "fake GitHub server error (see FakeGitHub.server_errors)")

    def _blocked(self, repo: _Repo) -> _Resp | None:
        status = repo.spec.status
        if status is None:
            return None
        if status in (403, 451):
            reason = "dmca" if status == 451 else "tos"
            block = {"reason": reason, "created_at": CREATED_AT, "html_url": self._html(f"{repo.full_name}/blocked")}
            return _error(status, "Repository access blocked", block=block)
        return _error(status)

    def _write(self, handler: _Handler, ctx: _Ctx, resp: _Resp, resource: str) -> None:
        raw = resp.raw if resp.raw is not None else _json_bytes(resp.body) if resp.body is not None else b""
        headers: dict[str, str] = {}
        if resp.status != 304:
            headers["Content-Type"] = resp.content_type
        headers["Cache-Control"] = "private, max-age=60, s-maxage=60" if resp.status in (200, 304) else "no-cache"
        headers["Vary"] = "Accept, Authorization, Cookie, X-GitHub-OTP"
        headers.update(self._rate_headers(ctx.identity, resource))
        headers["X-GitHub-Media-Type"] = "github.v3; format=json"
        headers["X-GitHub-Api-Version-Selected"] = API_VERSION
        headers["X-GitHub-Request-Id"] = f"FAKE:{next(self._request_ids):08X}"
        if ctx.identity.kind == "user":
            headers["X-OAuth-Scopes"] = "read:org, repo"
            headers["X-Accepted-OAuth-Scopes"] = "repo"
        headers.update(resp.headers)
        handler.send_response(resp.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(raw)))
        handler.end_headers()
        if raw:
            handler.wfile.write(raw)

    # -- pagination

    def _paginate(self, ctx: _Ctx, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
        """One page of `items` and GitHub's Link header (prev, next, last, first) pointing at this fake."""
        try:
            per_page = int(ctx.arg("per_page") or 30)
        except ValueError:
            per_page = 30
        per_page = min(max(per_page, 1), self.per_page_max)
        try:
            page = max(int(ctx.arg("page") or 1), 1)
        except ValueError:
            page = 1
        last = max((len(items) + per_page - 1) // per_page, 1)
        chunk = items[(page - 1) * per_page : page * per_page]

        def url(number: int) -> str:
            query = [(k, v) for k, v in ctx.query if k != "page"] + [("page", str(number))]
            return f"{self.origin}{ctx.path}?{urllib.parse.urlencode(query)}"

        links = []
        if page > 1:
            links.append(f'<{url(min(page - 1, last))}>; rel="prev"')
        if page < last:
            links.append(f'<{url(page + 1)}>; rel="next"')
            links.append(f'<{url(last)}>; rel="last"')
        if page > 1:
            links.append(f'<{url(1)}>; rel="first"')
        return chunk, ({"Link": ", ".join(links)} if links else {})

    # -- JSON shapes

    def _user_json(self, owner: _Owner) -> dict[str, Any]:
        base = self._api(f"/users/{owner.login}")
        return {
            "login": owner.login,
            "id": owner.id,
            "node_id": _node_id("O" if owner.type == "Organization" else "U", owner.login),
            "avatar_url": f"{self.origin}/avatars/u/{owner.id}?v=4",
            "gravatar_id": "",
            "url": base,
            "html_url": self._html(owner.login),
            "followers_url": f"{base}/followers",
            "following_url": f"{base}/following{{/other_user}}",
            "gists_url": f"{base}/gists{{/gist_id}}",
            "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{base}/subscriptions",
            "organizations_url": f"{base}/orgs",
            "repos_url": f"{base}/repos",
            "events_url": f"{base}/events{{/privacy}}",
            "received_events_url": f"{base}/received_events",
            "type": owner.type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def _org_json(self, owner: _Owner) -> dict[str, Any]:
        base = self._api(f"/orgs/{owner.login}")
        public = sum(1 for r in owner.repos.values() if r.spec.visibility == "public")
        return {
            "login": owner.login,
            "id": owner.id,
            "node_id": _node_id("O", owner.login),
            "url": base,
            "repos_url": f"{base}/repos",
            "events_url": f"{base}/events",
            "hooks_url": f"{base}/hooks",
            "issues_url": f"{base}/issues",
            "members_url": f"{base}/members{{/member}}",
            "public_members_url": f"{base}/public_members{{/member}}",
            "avatar_url": f"{self.origin}/avatars/u/{owner.id}?v=4",
            "description": None,
            "name": owner.login,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "twitter_username": None,
            "is_verified": False,
            "has_organization_projects": True,
            "has_repository_projects": True,
            "public_repos": public,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "html_url": self._html(owner.login),
            "created_at": CREATED_AT,
            "updated_at": CREATED_AT,
            "archived_at": None,
            "type": "Organization",
            "total_private_repos": len(owner.repos) - public,
            "owned_private_repos": len(owner.repos) - public,
        }

    def _minimal_repo_json(self, repo: _Repo) -> dict[str, Any]:
        full = repo.full_name
        return {
            "id": repo.id,
            "node_id": _node_id("R", full),
            "name": repo.spec.name,
            "full_name": full,
            "private": repo.spec.visibility != "public",
            "owner": self._user_json(repo.owner),
            "html_url": self._html(full),
            "description": None,
            "fork": repo.spec.fork,
            "url": self._api(f"/repos/{full}"),
        }

    def _repo_json(
        self, repo: _Repo, *, permission: str | None = None, role: bool = False, full: bool = False
    ) -> dict[str, Any]:
        state = repo.state()
        spec = repo.spec
        name = repo.full_name
        api = self._api(f"/repos/{name}")
        pushed_at = state.pushed_at
        body: dict[str, Any] = self._minimal_repo_json(repo)
        body.update(
            {
                "forks_url": f"{api}/forks",
                "keys_url": f"{api}/keys{{/key_id}}",
                "teams_url": f"{api}/teams",
                "hooks_url": f"{api}/hooks",
                "events_url": f"{api}/events",
                "tags_url": f"{api}/tags",
                "blobs_url": f"{api}/git/blobs{{/sha}}",
                "git_refs_url": f"{api}/git/refs{{/sha}}",
                "trees_url": f"{api}/git/trees{{/sha}}",
                "statuses_url": f"{api}/statuses/{{sha}}",
                "languages_url": f"{api}/languages",
                "commits_url": f"{api}/commits{{/sha}}",
                "git_commits_url": f"{api}/git/commits{{/sha}}",
                "contents_url": f"{api}/contents/{{+path}}",
                "branches_url": f"{api}/branches{{/branch}}",
                "pulls_url": f"{api}/pulls{{/number}}",
                "issues_url": f"{api}/issues{{/number}}",
                "releases_url": f"{api}/releases{{/id}}",
                "deployments_url": f"{api}/deployments",
                "created_at": CREATED_AT,
                "updated_at": pushed_at or CREATED_AT,
                "pushed_at": pushed_at,
                "git_url": f"git://127.0.0.1:{self.port}/{name}.git",
                "ssh_url": f"git@127.0.0.1:{name}.git",
                "clone_url": self._html(f"{name}.git"),
                "svn_url": self._html(name),
                "homepage": None,
                "size": state.size_kb,
                "stargazers_count": 0,
                "watchers_count": 0,
                "language": None,
                "has_issues": True,
                "has_projects": True,
                "has_downloads": True,
                "has_wiki": True,
                "has_pages": False,
                "has_discussions": False,
                "forks_count": 0,
                "mirror_url": None,
                "archived": spec.archived,
                "disabled": False,
                "open_issues_count": 0,
                "license": None,
                "allow_forking": True,
                "is_template": False,
                "web_commit_signoff_required": False,
                "topics": list(spec.topics),
                "visibility": spec.visibility,
                "forks": 0,
                "open_issues": 0,
                "watchers": 0,
                "default_branch": state.default_branch,
            }
        )
        if permission is not None:
            body["permissions"] = dict(_PERMISSIONS[permission])
            if role:
                body["role_name"] = _ROLE_NAMES[permission]
        if full:
            if repo.owner.type == "Organization":
                body["organization"] = self._user_json(repo.owner)
            body["network_count"] = 0
            body["subscribers_count"] = 0
        return body

    def _commit_json(self, repo: _Repo, commit: _Commit) -> dict[str, Any]:
        api = self._api(f"/repos/{repo.full_name}")
        return {
            "sha": commit.sha,
            "node_id": _node_id("C", repo.full_name, commit.sha),
            "commit": {
                "author": commit.author.json(),
                "committer": commit.committer.json(),
                "message": commit.message,
                "tree": {"sha": commit.tree, "url": f"{api}/git/trees/{commit.tree}"},
                "url": f"{api}/git/commits/{commit.sha}",
                "comment_count": 0,
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "signature": None,
                    "payload": None,
                    "verified_at": None,
                },
            },
            "url": f"{api}/commits/{commit.sha}",
            "html_url": self._html(f"{repo.full_name}/commit/{commit.sha}"),
            "comments_url": f"{api}/commits/{commit.sha}/comments",
            "author": None,
            "committer": None,
            "parents": [
                {"sha": p, "url": f"{api}/commits/{p}", "html_url": self._html(f"{repo.full_name}/commit/{p}")}
                for p in commit.parents
            ],
        }

    def _team_json(self, team: _Team, *, full: bool = False) -> dict[str, Any]:
        base = self._api(f"/organizations/{self._org.id}/team/{team.id}")
        body: dict[str, Any] = {
            "name": team.slug,
            "id": team.id,
            "node_id": _node_id("T", self.org, team.slug),
            "slug": team.slug,
            "description": "",
            "privacy": "closed",
            "notification_setting": "notifications_enabled",
            "url": base,
            "html_url": self._html(f"orgs/{self.org}/teams/{team.slug}"),
            "members_url": f"{base}/members{{/member}}",
            "repositories_url": f"{base}/repos",
            "permission": "pull",
            "parent": None,
        }
        if full:
            body.update(
                {
                    "members_count": 0,
                    "repos_count": len(team.repos),
                    "created_at": CREATED_AT,
                    "updated_at": CREATED_AT,
                    "organization": self._org_json(self._org),
                }
            )
        return body

    # -- derived repository data (runs, check runs, statuses)

    def _build_runs(self, repo: _Repo, state: _State) -> list[dict]:
        if repo.spec.runs is not None:
            given = repo.spec.runs
            runs = [self._complete_run(repo, state, run, len(given) - i) for i, run in enumerate(given)]
        else:
            runs = self._synthesise_runs(repo, state)
        return sorted(runs, key=lambda r: (r["created_at"], r["id"]), reverse=True)

    def _synthesise_runs(self, repo: _Repo, state: _State) -> list[dict]:
        """25 runs per workflow file at head, newest (on the head sha) first, one day apart, ~85% success."""
        workflows = state.workflows
        if not workflows or state.head is None:
            return []
        history = state.history(RUNS_PER_WORKFLOW)
        runs = []
        for index, workflow in enumerate(workflows):
            for age in range(RUNS_PER_WORKFLOW):
                number = RUNS_PER_WORKFLOW - age
                digest = _digest(repo.spec.name, workflow.path, number)
                roll = digest % 100
                conclusion = (
                    "success" if roll < 85 else "failure" if roll < 95 else "cancelled" if roll < 98 else "timed_out"
                )
                duration = 60 + (digest // 100) % 541
                created = state.head_date - timedelta(days=age) + timedelta(seconds=index)
                if age < len(history):
                    commit: _Commit | None = history[age]
                    sha = history[age].sha
                    title = history[age].message.split("\n", 1)[0]
                else:
                    commit = None
                    sha = hashlib.sha1(f"{repo.full_name}:{workflow.path}:{number}".encode()).hexdigest()
                    title = f"{workflow.name} #{number}"
                run = {
                    "id": _stable_id(repo.full_name, workflow.path, number, digits=9),
                    "name": workflow.name,
                    "path": workflow.path,
                    "display_title": title,
                    "head_sha": sha,
                    "run_number": number,
                    "workflow_id": workflow.id,
                    "status": "completed",
                    "conclusion": conclusion,
                    "created_at": _iso(created),
                    "run_started_at": _iso(created),
                    "updated_at": _iso(created + timedelta(seconds=duration)),
                }
                runs.append(self._complete_run(repo, state, run, number, commit))
        return runs

    def _shared_run_parts(self, repo: _Repo, state: _State) -> tuple[dict[str, Any], dict[str, Any]]:
        """The repository and actor objects every run of a repository repeats: built once per head."""
        return state._get("run-parts", lambda: (self._minimal_repo_json(repo), self._user_json(repo.owner)))

    def _complete_run(
        self, repo: _Repo, state: _State, given: dict, number: int, commit: _Commit | None = None
    ) -> dict:
        """A run in GitHub's REST shape: the given fields, everything else filled in consistently."""
        full = repo.full_name
        api = self._api(f"/repos/{full}")
        path = given.get("path") or ".github/workflows/ci.yml"
        name = given.get("name") or path
        run_id = given.get("id") or _stable_id(full, "run", path, number, digits=9)
        created = given.get("created_at") or state.pushed_at or CREATED_AT
        suite = given.get("check_suite_id") or _stable_id(full, "suite", run_id)
        head_sha = given.get("head_sha") or state.head or "0" * 40
        workflow_id = given.get("workflow_id") or _stable_id(full, path, digits=8)
        status = given.get("status", "completed")
        if commit is None and state.head == head_sha:
            commit = state.commit
        head_commit = None
        if commit is not None:
            head_commit = {
                "id": commit.sha,
                "tree_id": commit.tree,
                "message": commit.message,
                "timestamp": _iso(commit.committer.when),
                "author": {"name": commit.author.name, "email": commit.author.email},
                "committer": {"name": commit.committer.name, "email": commit.committer.email},
            }
        minimal, actor = self._shared_run_parts(repo, state)
        run: dict[str, Any] = {
            "id": run_id,
            "name": name,
            "node_id": _node_id("WFR", full, run_id),
            "head_branch": state.default_branch,
            "head_sha": head_sha,
            "path": path,
            "display_title": name,
            "run_number": number,
            "event": "push",
            "status": status,
            "conclusion": given.get("conclusion", "success" if status == "completed" else None),
            "workflow_id": workflow_id,
            "check_suite_id": suite,
            "check_suite_node_id": _node_id("CS", full, suite),
            "url": f"{api}/actions/runs/{run_id}",
            "html_url": self._html(f"{full}/actions/runs/{run_id}"),
            "pull_requests": [],
            "created_at": created,
            "updated_at": created,
            "actor": actor,
            "run_attempt": 1,
            "referenced_workflows": [],
            "run_started_at": created,
            "triggering_actor": actor,
            "jobs_url": f"{api}/actions/runs/{run_id}/jobs",
            "logs_url": f"{api}/actions/runs/{run_id}/logs",
            "check_suite_url": f"{api}/check-suites/{suite}",
            "artifacts_url": f"{api}/actions/runs/{run_id}/artifacts",
            "cancel_url": f"{api}/actions/runs/{run_id}/cancel",
            "rerun_url": f"{api}/actions/runs/{run_id}/rerun",
            "previous_attempt_url": None,
            "workflow_url": f"{api}/actions/workflows/{workflow_id}",
            "head_commit": head_commit,
            "repository": minimal,
            "head_repository": minimal,
        }
        run.update(given)
        return run

    def _build_check_runs(self, repo: _Repo, state: _State) -> dict[str, list[dict]]:
        """Check runs per head sha: the spec's own (on the head unless they say), or one per workflow run."""
        by_sha: dict[str, list[dict]] = {}
        if repo.spec.check_runs is not None:
            for index, given in enumerate(repo.spec.check_runs):
                check = self._complete_check_run(repo, state, given, index)
                by_sha.setdefault(check["head_sha"], []).append(check)
            return by_sha
        jobs = {w.path: w.job for w in state.workflows}
        seen: set[tuple[str, str]] = set()
        for run in state.runs(self):
            key = (run["head_sha"], run.get("path") or run["name"])
            if key in seen:
                continue
            seen.add(key)
            completed = run["status"] == "completed"
            check = {
                "id": _stable_id(repo.full_name, "check", run["id"], digits=9),
                "name": jobs.get(run.get("path", ""), run["name"]),
                "head_sha": run["head_sha"],
                "status": run["status"],
                "conclusion": run.get("conclusion") if completed else None,
                "started_at": run.get("run_started_at") or run["created_at"],
                "completed_at": run["updated_at"] if completed else None,
                "check_suite": {"id": run["check_suite_id"]},
            }
            url = f"{run['html_url']}/job/{check['id']}"
            check.update({"details_url": url, "html_url": url})
            by_sha.setdefault(run["head_sha"], []).append(self._complete_check_run(repo, state, check, 0))
        return by_sha

    def _complete_check_run(self, repo: _Repo, state: _State, given: dict, index: int) -> dict:
        full = repo.full_name
        check_id = given.get("id") or _stable_id(full, "check", index)
        url = self._api(f"/repos/{full}/check-runs/{check_id}")
        status = given.get("status", "completed")
        check: dict[str, Any] = {
            "id": check_id,
            "name": given.get("name") or "build",
            "node_id": _node_id("CR", full, check_id),
            "head_sha": given.get("head_sha") or state.head or "0" * 40,
            "external_id": "",
            "url": url,
            "html_url": self._html(f"{full}/runs/{check_id}"),
            "details_url": self._html(f"{full}/runs/{check_id}"),
            "status": status,
            "conclusion": given.get("conclusion", "success" if status == "completed" else None),
            "started_at": state.pushed_at,
            "completed_at": state.pushed_at if status == "completed" else None,
            "output": {
                "title": None,
                "summary": None,
                "text": None,
                "annotations_count": 0,
                "annotations_url": f"{url}/annotations",
            },
            "check_suite": {"id": _stable_id(full, "suite", "check", index)},
            "app": _GITHUB_ACTIONS_APP,
            "pull_requests": [],
        }
        check.update(given)
        return check

    def _build_statuses(self, repo: _Repo, state: _State) -> list[dict]:
        full = repo.full_name
        out = []
        for index, given in enumerate(repo.spec.statuses):
            sha = given.get("sha") or state.head or "0" * 40
            status_id = given.get("id") or _stable_id(full, "status", index)
            created = given.get("created_at") or state.pushed_at or CREATED_AT
            status = {
                "url": self._api(f"/repos/{full}/statuses/{sha}"),
                "avatar_url": None,
                "id": status_id,
                "node_id": _node_id("SC", full, status_id),
                "state": "pending",
                "description": None,
                "target_url": None,
                "context": "default",
                "created_at": created,
                "updated_at": given.get("updated_at") or created,
            }
            status.update(given)
            status["sha"] = sha
            out.append(status)
        return out

    def _workflow_json(self, repo: _Repo, state: _State, workflow: _Workflow) -> dict[str, Any]:
        full = repo.full_name
        file_name = workflow.path.rsplit("/", 1)[-1]
        return {
            "id": workflow.id,
            "node_id": _node_id("W", full, workflow.path),
            "name": workflow.name,
            "path": workflow.path,
            "state": "active",
            "created_at": CREATED_AT,
            "updated_at": state.pushed_at or CREATED_AT,
            "url": self._api(f"/repos/{full}/actions/workflows/{workflow.id}"),
            "html_url": self._html(f"{full}/blob/{state.default_branch}/{workflow.path}"),
            "badge_url": self._html(f"{full}/workflows/{file_name}/badge.svg"),
        }

    # -- resolving refs

    def _commit_of(self, repo: _Repo, state: _State, ref: str) -> str | None:
        """The commit sha a ref names: HEAD (the default branch), a full or abbreviated sha, a branch, a tag."""
        git = repo.git
        if git is None or state.head is None:
            return None
        if ref in ("HEAD", state.default_branch):
            return state.head
        if _HEX_SHORT.fullmatch(ref):
            found = git.info(f"{ref}^{{commit}}")
            if found is not None:
                return found[0]
        if not _SAFE_REF.fullmatch(ref):
            return None
        for name in (f"refs/heads/{ref}", f"refs/tags/{ref}"):
            found = git.info(f"{name}^{{commit}}")
            if found is not None:
                return found[0]
        return None

    def _tree_of(self, repo: _Repo, state: _State, ref: str) -> str | None:
        git = repo.git
        if git is None:
            return None
        if _HEX40.fullmatch(ref):
            found = git.info(ref)
            if found is None:
                return None
            if found[1] == "tree":
                return found[0]
            found = git.info(f"{ref}^{{tree}}") if found[1] in ("commit", "tag") else None
            return None if found is None else found[0]
        commit = self._commit_of(repo, state, ref) if not _HEX_SHORT.fullmatch(ref) else None
        if commit is None:
            return None
        commit_obj = git.commit(commit)
        return None if commit_obj is None else commit_obj.tree

    # -- REST handlers

    def _h_method_not_allowed(self, ctx: _Ctx) -> _Resp:
        return _error(404)

    def _h_rate_limit(self, ctx: _Ctx) -> _Resp:
        core = self._bucket_snapshot(ctx.identity, "core").json()
        gql = self._bucket_snapshot(ctx.identity, "graphql").json()
        search = {"limit": 30, "used": 0, "remaining": 30, "reset": int(time.time()) + 60}
        resources = {"core": core, "graphql": gql, "search": search}
        return _Resp(200, {"resources": resources, "rate": {**core, "resource": "core"}})

    def _h_org(self, ctx: _Ctx, org: str) -> _Resp:
        owner = self._owners.get(org.lower())
        if owner is None or owner.type != "Organization":
            return _error(404)
        return _Resp(200, self._org_json(owner))

    def _h_user(self, ctx: _Ctx, user: str) -> _Resp:
        owner = self._owners.get(user.lower())
        if owner is None:
            return _error(404)
        body = self._user_json(owner)
        extra = {"name": owner.login, "company": None, "blog": "", "location": None, "email": None, "bio": None}
        public = sum(1 for r in owner.repos.values() if r.spec.visibility == "public")
        counts = {"public_repos": public, "public_gists": 0, "followers": 0, "following": 0}
        return _Resp(200, {**body, **extra, **counts, "created_at": CREATED_AT, "updated_at": CREATED_AT})

    def _list_repos(self, ctx: _Ctx, repos: Iterable[_Repo], kind: str) -> _Resp:
        selected = list(repos)
        if kind == "public":
            selected = [r for r in selected if r.spec.visibility == "public"]
        elif kind == "private":
            selected = [r for r in selected if r.spec.visibility != "public"]
        elif kind == "forks":
            selected = [r for r in selected if r.spec.fork]
        elif kind == "sources":
            selected = [r for r in selected if not r.spec.fork]
        sort = ctx.arg("sort") or "full_name"
        if sort in ("pushed", "updated"):
            selected.sort(key=lambda r: (r.state().pushed_at or "", r.full_name.lower()), reverse=True)
        else:
            selected.sort(key=lambda r: r.full_name.lower())
        if ctx.arg("direction") == ("asc" if sort in ("pushed", "updated") else "desc"):
            selected.reverse()
        page, headers = self._paginate(ctx, selected)
        return _Resp(200, [self._repo_json(r, permission="admin") for r in page], headers)

    def _h_org_repos(self, ctx: _Ctx, org: str) -> _Resp:
        owner = self._owners.get(org.lower())
        if owner is None or owner.type != "Organization":
            return _error(404)
        return self._list_repos(ctx, owner.repos.values(), ctx.arg("type") or "all")

    def _h_user_repos(self, ctx: _Ctx, user: str) -> _Resp:
        owner = self._owners.get(user.lower())
        if owner is None:
            return _error(404)
        return self._list_repos(ctx, owner.repos.values(), ctx.arg("type") or "owner")

    def _find_team(self, org: str | None, slug: str | None, org_id: str | None, team_id: str | None) -> _Team | None:
        if org_id is not None:
            if int(org_id) != self._org.id:
                return None
            return next((t for t in self._teams.values() if str(t.id) == team_id), None)
        if org is None or org.lower() != self.org.lower() or slug is None:
            return None
        return self._teams.get(slug.lower())

    def _h_teams(self, ctx: _Ctx, org: str) -> _Resp:
        if org.lower() != self.org.lower():
            return _error(404)
        teams = sorted(self._teams.values(), key=lambda t: t.slug.lower())
        page, headers = self._paginate(ctx, teams)
        return _Resp(200, [self._team_json(t) for t in page], headers)

    def _h_team(self, ctx: _Ctx, org: str | None = None, slug: str | None = None, **ids: str) -> _Resp:
        team = self._find_team(org, slug, ids.get("org_id"), ids.get("team_id"))
        return _error(404) if team is None else _Resp(200, self._team_json(team, full=True))

    def _h_team_repos(self, ctx: _Ctx, org: str | None = None, slug: str | None = None, **ids: str) -> _Resp:
        team = self._find_team(org, slug, ids.get("org_id"), ids.get("team_id"))
        if team is None:
            return _error(404)
        repos = sorted(
            ((self._org.repos[name], perm) for name, perm in team.repos.items()), key=lambda rp: rp[0].full_name
        )
        page, headers = self._paginate(ctx, repos)
        return _Resp(200, [self._repo_json(r, permission=p, role=True) for r, p in page], headers)

    def _h_repo(self, ctx: _Ctx, repo: _Repo, state: _State) -> _Resp:
        return _Resp(200, self._repo_json(repo, permission="admin", full=True))

    def _h_tree(self, ctx: _Ctx, repo: _Repo, state: _State, ref: str) -> _Resp:
        if state.empty or repo.git is None:
            return _error(409)
        tree = self._tree_of(repo, state, ref)
        if tree is None:
            return _error(404)
        recursive = ctx.has("recursive")  # GitHub: any value, even 0 or false, means recursive
        limit = TREE_ENTRY_LIMIT
        if recursive and self.faults.truncate_trees_over is not None:
            limit = min(limit, self.faults.truncate_trees_over)
        key = (tree, recursive, limit)
        cached = repo.git.tree_answers.get(key)  # trees are content-addressed: the answer never changes
        if cached is None:
            raw = _json_bytes(self._tree_body(repo, tree, recursive, limit))
            cached = repo.git.tree_answers[key] = (raw, _etag(raw))
        return _Resp(200, raw=cached[0], etag=cached[1])

    def _tree_body(self, repo: _Repo, tree: str, recursive: bool, limit: int) -> dict[str, Any]:
        assert repo.git is not None
        entries = repo.git.ls_tree(tree, recursive)
        truncated = recursive and len(entries) > limit
        if truncated:
            entries = entries[:limit]
        api = self._api(f"/repos/{repo.full_name}/git")
        listed = []
        for e in entries:
            item: dict[str, Any] = {"path": e.path, "mode": e.mode, "type": e.type, "sha": e.sha}
            if e.type == "blob":
                item["size"] = e.size
                item["url"] = f"{api}/blobs/{e.sha}"
            elif e.type == "tree":
                item["url"] = f"{api}/trees/{e.sha}"
            listed.append(item)
        return {"sha": tree, "url": f"{api}/trees/{tree}", "tree": listed, "truncated": truncated}

    def _h_blob(self, ctx: _Ctx, repo: _Repo, state: _State, sha: str) -> _Resp:
        if state.empty or repo.git is None:
            return _error(409)
        if not _HEX40.fullmatch(sha):
            return _error(404)
        data = repo.git.blob(sha)
        if data is None:
            return _error(404)
        self._served_blob(sha)
        body = {
            "sha": sha,
            "node_id": _node_id("B", repo.full_name, sha),
            "size": len(data),
            "url": self._api(f"/repos/{repo.full_name}/git/blobs/{sha}"),
            "content": _b64_lines(data),
            "encoding": "base64",
        }
        return _Resp(200, body)

    def _content_entry(self, repo: _Repo, ref: str, path: str, kind: str, sha: str, size: int) -> dict[str, Any]:
        full = repo.full_name
        url = self._api(f"/repos/{full}/contents/{urllib.parse.quote(path)}?ref={urllib.parse.quote(ref, safe='')}")
        git_url = self._api(f"/repos/{full}/git/{'trees' if kind == 'dir' else 'blobs'}/{sha}")
        html_url = self._html(f"{full}/{'tree' if kind == 'dir' else 'blob'}/{ref}/{path}")
        download = self._html(f"raw/{full}/{ref}/{path}") if kind == "file" else None
        return {
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "size": size,
            "url": url,
            "html_url": html_url,
            "git_url": None if kind == "submodule" else git_url,
            "download_url": download,
            "type": kind,
            "_links": {"self": url, "git": git_url, "html": html_url},
        }

    def _content_file(self, repo: _Repo, ref: str, path: str, sha: str, data: bytes) -> dict[str, Any]:
        entry = self._content_entry(repo, ref, path, "file", sha, len(data))
        if len(data) > CONTENTS_INLINE_MAX:
            content, encoding = "", "none"
        else:
            content, encoding = _b64_lines(data), "base64"
            self._served_blob(sha)
        return {"type": "file", "encoding": encoding, **entry, "content": content}

    def _h_contents(self, ctx: _Ctx, repo: _Repo, state: _State, path: str = "") -> _Resp:
        git = repo.git
        if state.empty or git is None:
            return _error(404, "This repository is empty.")
        ref = ctx.arg("ref") or state.default_branch
        commit_sha = self._commit_of(repo, state, ref)
        commit = git.commit(commit_sha) if commit_sha else None
        if commit is None:
            return _error(404, f"No commit found for the ref {ref}")
        path = path.strip("/")
        if not path:
            return _Resp(200, self._dir_listing(repo, ref, commit.tree, ""))
        parent, _, name = path.rpartition("/")
        parent_tree = commit.tree
        if parent:
            found = git.info(f"{commit.tree}:{parent}")
            if found is None or found[1] != "tree":
                return _error(404)
            parent_tree = found[0]
        entry = next((e for e in git.ls_tree(parent_tree, False) if e.path == name), None)
        if entry is None:
            return _error(404)
        if entry.type == "tree":
            return _Resp(200, self._dir_listing(repo, ref, entry.sha, path))
        if entry.type == "commit":
            body = self._content_entry(repo, ref, path, "submodule", entry.sha, 0)
            return _Resp(200, {**body, "submodule_git_url": None})
        data = git.blob(entry.sha) or b""
        if entry.mode == "120000":
            target = data.decode("utf-8", "surrogateescape")
            resolved = posixpath.normpath(posixpath.join(parent, target))
            found = None
            if not resolved.startswith(("../", "/")) and resolved not in ("..", "."):
                found = git.info(f"{commit.tree}:{resolved}")
            if found is not None and found[1] == "blob":  # GitHub answers the target file itself
                return _Resp(200, self._content_file(repo, ref, resolved, found[0], git.blob(found[0]) or b""))
            body = self._content_entry(repo, ref, path, "symlink", entry.sha, len(data))
            return _Resp(200, {**body, "target": target})
        return _Resp(200, self._content_file(repo, ref, path, entry.sha, data))

    def _dir_listing(self, repo: _Repo, ref: str, tree: str, prefix: str) -> list[dict[str, Any]]:
        assert repo.git is not None
        out = []
        for e in repo.git.ls_tree(tree, False):
            path = f"{prefix}/{e.path}" if prefix else e.path
            if e.type == "tree":
                out.append(self._content_entry(repo, ref, path, "dir", e.sha, 0))
            elif e.type == "commit":  # GitHub lists submodules as "file", for backwards compatibility
                item = self._content_entry(repo, ref, path, "file", e.sha, 0)
                out.append({**item, "download_url": None, "git_url": None})
            else:
                kind = "symlink" if e.mode == "120000" else "file"
                out.append(self._content_entry(repo, ref, path, kind, e.sha, e.size or 0))
        return out

    def _h_branch(self, ctx: _Ctx, repo: _Repo, state: _State, branch: str) -> _Resp:
        git = repo.git
        if state.empty or git is None or not _SAFE_REF.fullmatch(branch):
            return _error(404, "Branch not found")
        found = git.info(f"refs/heads/{branch}^{{commit}}")
        commit = git.commit(found[0]) if found else None
        if commit is None:
            return _error(404, "Branch not found")
        api = self._api(f"/repos/{repo.full_name}/branches/{branch}")
        body = {
            "name": branch,
            "commit": self._commit_json(repo, commit),
            "_links": {"self": api, "html": self._html(f"{repo.full_name}/tree/{branch}")},
            "protected": False,
            "protection": {
                "enabled": False,
                "required_status_checks": {"enforcement_level": "off", "contexts": [], "checks": []},
            },
            "protection_url": f"{api}/protection",
        }
        return _Resp(200, body)

    def _resolve_commit(self, repo: _Repo, state: _State, ref: str) -> tuple[_Commit | None, _Resp | None]:
        if state.empty or repo.git is None:
            return None, _error(409)
        sha = self._commit_of(repo, state, ref)
        commit = repo.git.commit(sha) if sha else None
        if commit is None:
            return None, _error(422, f"No commit found for SHA: {ref}")
        return commit, None

    def _h_commit(self, ctx: _Ctx, repo: _Repo, state: _State, ref: str) -> _Resp:
        commit, refused = self._resolve_commit(repo, state, ref)
        return refused if commit is None else _Resp(200, self._commit_json(repo, commit))

    def _h_check_runs(self, ctx: _Ctx, repo: _Repo, state: _State, ref: str) -> _Resp:
        commit, refused = self._resolve_commit(repo, state, ref)
        if commit is None:
            return refused or _error(404)
        checks = state.check_runs(self, commit.sha)
        name, status = ctx.arg("check_name"), ctx.arg("status")
        checks = [
            c for c in checks if (name is None or c["name"] == name) and (status is None or c["status"] == status)
        ]
        page, headers = self._paginate(ctx, checks)
        return _Resp(200, {"total_count": len(checks), "check_runs": page}, headers)

    def _h_combined_status(self, ctx: _Ctx, repo: _Repo, state: _State, ref: str) -> _Resp:
        commit, refused = self._resolve_commit(repo, state, ref)
        if commit is None:
            return refused or _error(404)
        statuses = state.statuses(self, commit.sha)
        shown = [{k: v for k, v in s.items() if k != "sha"} for s in statuses]
        api = self._api(f"/repos/{repo.full_name}")
        body = {
            "state": _combined_state(statuses),
            "statuses": shown,
            "sha": commit.sha,
            "total_count": len(shown),
            "repository": self._minimal_repo_json(repo),
            "commit_url": f"{api}/commits/{commit.sha}",
            "url": f"{api}/commits/{commit.sha}/status",
        }
        return _Resp(200, body)

    def _h_runs(self, ctx: _Ctx, repo: _Repo, state: _State) -> _Resp:
        runs = state.runs(self) if not state.empty or repo.spec.runs else []
        branch, status = ctx.arg("branch"), ctx.arg("status")
        event, head_sha = ctx.arg("event"), ctx.arg("head_sha")
        if branch:
            runs = [r for r in runs if r.get("head_branch") == branch]
        if status:
            runs = [r for r in runs if status in (r.get("status"), r.get("conclusion"))]
        if event:
            runs = [r for r in runs if r.get("event") == event]
        if head_sha:
            runs = [r for r in runs if r.get("head_sha") == head_sha]
        page, headers = self._paginate(ctx, runs)
        return _Resp(200, {"total_count": len(runs), "workflow_runs": page}, headers)

    def _h_run(self, ctx: _Ctx, repo: _Repo, state: _State, run_id: str) -> _Resp:
        run = next((r for r in state.runs(self) if str(r["id"]) == run_id), None)
        return _error(404) if run is None else _Resp(200, run)

    def _h_workflows(self, ctx: _Ctx, repo: _Repo, state: _State) -> _Resp:
        workflows = [self._workflow_json(repo, state, w) for w in state.workflows]
        page, headers = self._paginate(ctx, workflows)
        return _Resp(200, {"total_count": len(workflows), "workflows": page}, headers)

    def _h_raw(self, ctx: _Ctx, repo: _Repo, state: _State, rest: str) -> _Resp:
        """download_url: the longest leading part of `rest` that names a commit is the ref, the rest the path."""
        git = repo.git
        if state.empty or git is None:
            return _error(404)
        parts = rest.split("/")
        for cut in range(len(parts) - 1, 0, -1):
            commit = self._commit_of(repo, state, "/".join(parts[:cut]))
            if commit is None:
                continue
            found = git.info(f"{commit}:{'/'.join(parts[cut:])}")
            if found is None or found[1] != "blob":
                break
            data = git.blob(found[0]) or b""
            self._served_blob(found[0])
            return _Resp(200, raw=data, content_type="text/plain; charset=utf-8")
        return _Resp(404, raw=b"404: Not Found", content_type="text/plain; charset=utf-8")

    def _h_app_token(self, ctx: _Ctx, installation: str) -> _Resp:
        """Exchange the app's JWT for an installation token (RS256, checked against the app's public key)."""
        app = self.app
        if app is None:
            return _error(404)
        scheme, _, token = (ctx.headers.get("Authorization") or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token:
            return _error(401, "A JSON web token could not be decoded")
        try:
            claims = jwt.decode(
                token.strip(), app.public_key_pem, algorithms=["RS256"], options={"require": ["iat", "exp", "iss"]}
            )
        except jwt.PyJWTError:
            return _error(401, "A JSON web token could not be decoded")
        if str(claims.get("iss")) != str(app.app_id):
            return _error(401, "'Issuer' claim ('iss') must match the GitHub App's id")
        if int(installation) != app.installation_id:
            return _error(404)
        try:
            requested = json.loads(ctx.body or b"{}").get("permissions") or {}
        except (ValueError, AttributeError):
            return _error(400, "Problems parsing JSON")
        issued = "ghs_" + secrets.token_hex(18)
        expires = time.time() + 3600
        with self._lock:
            self._installation_tokens[issued] = (app.installation_id, expires)
        permissions = requested or {
            "actions": "read",
            "checks": "read",
            "contents": "read",
            "members": "read",
            "metadata": "read",
            "statuses": "read",
        }
        body = {
            "token": issued,
            "expires_at": _iso(datetime.fromtimestamp(expires, UTC)),
            "permissions": permissions,
            "repository_selection": "all",
        }
        return _Resp(201, body)

    def _h_graphql(self, ctx: _Ctx) -> _Resp:
        try:
            payload = json.loads(ctx.body or b"null")
        except ValueError:
            return _error(400, "Problems parsing JSON")
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return _Resp(200, {"errors": [{"message": "A query attribute must be specified and must be a string."}]})
        variables = payload.get("variables")
        document, errors = _parse_and_validate(payload["query"])
        if document is None:
            return _Resp(200, {"errors": [_format_graphql_error(e) for e in errors]})
        result = graphql.execute(
            SCHEMA,
            document,
            root_value=_GraphQLRequest(self, ctx).root(),
            variable_values=variables if isinstance(variables, dict) else None,
            operation_name=payload.get("operationName"),
            type_resolver=_typename,
        )
        assert isinstance(result, graphql.ExecutionResult)
        body: dict[str, Any] = {}
        if result.data is not None:
            body["data"] = result.data
        if result.errors:
            for error in result.errors:
                original = error.original_error
                if original is not None and not isinstance(original, graphql.GraphQLError):
                    text = "".join(traceback.format_exception(original))
                    with self._lock:
                        self.server_errors.append(f"graphql {error.path}\n{text}")
            body["errors"] = [_format_graphql_error(e) for e in result.errors]
        return _Resp(200, body)


def _process_limit() -> int:
    """MAX_CAT_FILE_PROCESSES, lowered to what the open-file limit leaves room for (3 descriptors each)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return min(MAX_CAT_FILE_PROCESSES, 128)
    if soft == resource.RLIM_INFINITY:
        return MAX_CAT_FILE_PROCESSES
    return max(8, min(MAX_CAT_FILE_PROCESSES, (soft - 256) // 3))


def _discover(root: Path) -> list[tuple[Path, str | None]]:
    """(repository folder, first folder under root or None) for every git repository under root, by path."""
    root = root.resolve()
    if (root / ".git").exists():
        return [(root, None)]
    found: list[tuple[Path, str | None]] = []
    for dirpath, dirnames, _ in os.walk(root):
        here = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            if name.startswith(".") or name == "node_modules":
                continue
            sub = here / name
            if sub.is_symlink():
                continue
            if os.path.exists(sub / ".git"):
                rel = sub.relative_to(root).parts
                found.append((sub, rel[0] if len(rel) > 1 else None))
            else:
                keep.append(name)
        dirnames[:] = keep
    found.sort(key=lambda item: str(item[0]))
    names: dict[str, Path] = {}
    for path, _ in found:
        if path.name.lower() in names:
            raise ValueError(f"two repositories named {path.name!r}: {names[path.name.lower()]} and {path}")
        names[path.name.lower()] = path
    return found
