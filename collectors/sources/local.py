"""Local clones on disk: find git repositories under a root and read them through git itself.

Listing is one `git ls-tree -r -l HEAD` per repository (sizes included, no per-file stat);
contents come through one long-lived `git cat-file --batch`. Reading git objects rather than the
working tree means uncommitted edits, build output and symlinked folders are never counted, and
a symbolic link is never followed outside the repository.
"""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from collectors.repo_view import RepoMeta, RepoView

#: Folders never descended into while looking for repositories or walking a plain folder.
SKIPPED_DIRS = frozenset(
    {
        "node_modules", "bower_components", "jspm_packages", "vendor", "third_party",
        ".venv", "venv", "env", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
        "__pycache__", ".gradle", ".m2", ".idea", ".vscode", "target", "build", "dist", "out",
        ".next", ".nuxt", ".cache", ".terraform", ".bundle", "Pods", "DerivedData", ".git",
        ".hg", ".svn",
    }
)  # fmt: skip

#: Blobs up to this size are read ahead in bulk when a detector's paths are known; larger ones on demand.
PREFETCH_MAX_BYTES = 1024 * 1024

_GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


class GitError(Exception):
    """git could not read the repository; becomes a warning on it."""


def find_repositories(root: Path) -> list[Path]:
    """Every git repository under root, at any depth, sorted by path.

    A found repository is not descended into (its submodules and vendored clones belong to it),
    nor is any folder in `SKIPPED_DIRS`; symbolic links to folders are not followed.
    """
    root = root.resolve()
    if _is_git_repo(root):
        return [root]
    found: list[Path] = []
    for dirpath, dirnames, _ in os.walk(root, followlinks=False):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if d in SKIPPED_DIRS:
                continue
            sub = here / d
            if sub.is_symlink():
                continue
            if _is_git_repo(sub):
                found.append(sub)
            else:
                keep.append(d)
        dirnames[:] = keep
    return sorted(found)


def _is_git_repo(path: Path) -> bool:
    dot_git = path / ".git"
    return dot_git.is_dir() or dot_git.is_file()  # a file: a worktree or a submodule's gitdir link


class LocalGitRepoView(RepoView):
    """A local clone, read at HEAD through git's object database."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._cat: subprocess.Popen[bytes] | None = None
        self._blobs: dict[str, tuple[str, int]] = {}
        self._prefetched: dict[str, bytes] = {}
        self.symlinks: dict[str, str] = {}
        super().__init__(self._read_meta(name))

    def _git(self, *args: str) -> bytes:
        proc = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, env=_GIT_ENV, check=False)
        if proc.returncode != 0:
            raise GitError(proc.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
        return proc.stdout

    def _read_meta(self, name: str) -> RepoMeta:
        """Head and its date through the cat-file process the reads use anyway; the branch from
        `.git/HEAD` itself. No extra git process: start-up per repository is the cost to beat."""
        meta = RepoMeta(name=name, default_branch=self._branch_name())
        found = self._request(b"HEAD", None)
        if found is None or found[0] != b"commit":
            return meta  # an empty repository: no commit yet
        meta.head = found[1]
        for line in found[2].split(b"\n"):
            if not line:
                break  # end of the commit's headers
            if line.startswith(b"committer "):
                stamp = line.rsplit(b" ", 2)[1]  # "committer NAME <EMAIL> 1700000000 +0100"
                meta.pushed_at = datetime.fromtimestamp(int(stamp), UTC).isoformat()
        return meta

    def _branch_name(self) -> str | None:
        head = self.path / ".git" / "HEAD"
        if head.is_file():
            text = head.read_text(encoding="utf-8", errors="replace").strip()
            return text.removeprefix("ref: refs/heads/") if text.startswith("ref: refs/heads/") else None
        try:  # a worktree or submodule: .git is a file pointing elsewhere
            return self._git("symbolic-ref", "-q", "--short", "HEAD").decode().strip() or None
        except GitError:
            return None  # detached HEAD

    def _list(self) -> dict[str, int]:
        if self.meta.head is None:
            return {}
        out = self._git("ls-tree", "-r", "-l", "-z", "--full-tree", self.meta.head)
        files: dict[str, int] = {}
        for entry in out.split(b"\x00"):
            if not entry:
                continue
            info, _, raw_path = entry.partition(b"\t")
            mode, kind, sha, size = info.split()
            path = raw_path.decode("utf-8", "surrogateescape")
            if kind != b"blob":
                continue  # submodules (commit) are other repositories
            if mode == b"120000":
                self.symlinks[path] = sha.decode()  # never followed: its target may leave the repo
                continue
            files[path] = int(size)
            self._blobs[path] = (sha.decode(), int(size))
        return files

    def prefetch(self, paths: Iterable[str]) -> None:
        """Read many small blobs in one pipelined exchange with cat-file, not one round trip each.

        A writer thread feeds the object names while this thread reads the answers, so neither
        pipe can fill up and stall the other.
        """
        todo = [p for p in dict.fromkeys(paths) if p in self._blobs and p not in self._prefetched]
        todo = [p for p in todo if self._blobs[p][1] <= PREFETCH_MAX_BYTES]
        if len(todo) < 2:
            return
        with self._lock:
            cat = self._cat_file()
            assert cat.stdin is not None and cat.stdout is not None
            names = b"".join(self._blobs[p][0].encode() + b"\n" for p in todo)
            writer = threading.Thread(target=_feed, args=(cat.stdin, names), daemon=True)
            writer.start()
            try:
                for path in todo:
                    header = cat.stdout.readline().split()
                    if len(header) < 3 or header[1] != b"blob":
                        raise GitError(f"{path}: git cat-file answered {b' '.join(header).decode(errors='replace')!r}")
                    self._prefetched[path] = _read_exact(cat.stdout, int(header[2]))
                    _skip(cat.stdout, 1)
            finally:
                writer.join()

    def _read(self, path: str, limit: int) -> bytes:
        data = self._prefetched.get(path)
        if data is not None:
            return data[:limit]
        sha, _ = self._blobs[path]
        found = self._request(sha.encode(), limit)
        if found is None or found[0] != b"blob":
            raise GitError(f"{path}: git cat-file could not read blob {sha}")
        return found[2]

    def _request(self, name: bytes, limit: int | None) -> tuple[bytes, str, bytes] | None:
        """(type, sha, first `limit` bytes) of an object through `git cat-file --batch`; None if missing."""
        with self._lock:
            cat = self._cat_file()
            assert cat.stdin is not None and cat.stdout is not None
            try:
                cat.stdin.write(name + b"\n")
                cat.stdin.flush()
            except BrokenPipeError:
                raise GitError("git cat-file stopped") from None
            header = cat.stdout.readline().split()
            if len(header) == 2 and header[1] == b"missing":
                return None
            if len(header) < 3:
                raise GitError(f"git cat-file answered {b' '.join(header).decode(errors='replace')!r}")
            length = int(header[2])
            data = _read_exact(cat.stdout, length if limit is None else min(limit, length))
            _skip(cat.stdout, length - len(data) + 1)  # the rest of the object and its newline
        return header[1], header[0].decode(), data

    def _cat_file(self) -> subprocess.Popen[bytes]:
        if self._cat is None or self._cat.poll() is not None:
            self._cat = subprocess.Popen(
                ["git", "-C", str(self.path), "cat-file", "--batch"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_GIT_ENV,
            )  # fmt: skip
        return self._cat

    def close(self) -> None:
        if self._cat is not None:
            if self._cat.stdin:
                self._cat.stdin.close()
            self._cat.wait()
            if self._cat.stdout:
                self._cat.stdout.close()
            self._cat = None


def _feed(stdin, data: bytes) -> None:
    try:
        stdin.write(data)
        stdin.flush()
    except (BrokenPipeError, ValueError):
        pass  # cat-file died; the reader reports it


def _read_exact(stream, n: int) -> bytes:
    chunks = []
    while n > 0:
        chunk = stream.read(n)
        if not chunk:
            raise GitError("git cat-file stopped mid-answer")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _skip(stream, n: int) -> None:
    while n > 0:
        chunk = stream.read(min(n, 1 << 20))
        if not chunk:
            return
        n -= len(chunk)


class LocalFolderView(RepoView):
    """A folder that is not a git repository, named on the command line: walked instead."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path.resolve()
        super().__init__(RepoMeta(name=name))

    def _list(self) -> dict[str, int]:
        files: dict[str, int] = {}
        for dirpath, dirnames, filenames in os.walk(self.path, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
            here = Path(dirpath)
            for fname in filenames:
                full = here / fname
                try:
                    st = full.lstat()
                except OSError:
                    continue
                if not _is_regular(st.st_mode):
                    continue  # symlinks, sockets, devices: never followed
                files[full.relative_to(self.path).as_posix()] = st.st_size
        return files

    def _read(self, path: str, limit: int) -> bytes:
        full = self.path / path
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            return fh.read(limit)


def _is_regular(mode: int) -> bool:
    return stat.S_ISREG(mode)


def open_local(path: Path, root: Path) -> RepoView:
    """The right view for a path: git when it is a repository, a folder walk otherwise."""
    try:
        name = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = path.name
    if name in ("", "."):
        name = path.resolve().name
    if _is_git_repo(path):
        return LocalGitRepoView(path, name)
    return LocalFolderView(path, name)


def iter_views(root: Path) -> Iterator[Path]:
    """The paths a `collect local ROOT` visits: each repository, or root itself when it has none."""
    repos = find_repositories(root)
    yield from repos if repos else [root.resolve()]
