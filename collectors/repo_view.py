"""`RepoView`: one repository at the head of its default branch, read-only.

The seam between sources and detectors. A source (local clone, GitHub) implements `_list` and
`_read`; detectors only call `files`, `matching`, `read` and `read_text`, so they never know where
the bytes came from.
"""

from __future__ import annotations

import codecs
import fnmatch
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

#: No file is read whole past this size; a detector is told it is too large instead. Large enough
#: for a big monorepo's lock file, small enough that no repository can exhaust memory.
MAX_READ_BYTES = 32 * 1024 * 1024


@dataclass
class RepoMeta:
    name: str  # path relative to the collection root, or owner/name
    default_branch: str | None = None
    head: str | None = None
    archived: bool = False
    pushed_at: str | None = None  # ISO 8601, UTC
    url: str | None = None
    topics: list[str] = field(default_factory=list)
    team_hints: dict[str, str] = field(default_factory=dict)  # source -> team, from the host
    fork: bool = False
    visibility: str | None = None  # public, private, internal; None when the source has no such notion


class FileTooLarge(Exception):
    """The file is over `MAX_READ_BYTES`; detectors turn this into a warning."""


class ReadFailed(FileNotFoundError):
    """A listed file the source could not deliver (a remote source gave up on it); the message says why."""


class RepoView(ABC):
    """Read-only view of one repository; subclasses supply listing and reading."""

    meta: RepoMeta

    def __init__(self, meta: RepoMeta) -> None:
        self.meta = meta
        self._files: dict[str, int] | None = None
        self._by_name: dict[str, list[str]] | None = None  # file name -> paths
        self._matches: dict[tuple[str, ...], list[str]] = {}

    # --- what a source implements --------------------------------------------------------------

    @abstractmethod
    def _list(self) -> dict[str, int]:
        """Every tracked regular file (path -> size in bytes); no symlinks, no submodules."""

    @abstractmethod
    def _read(self, path: str, limit: int) -> bytes:
        """The first `limit` bytes of a tracked file."""

    def prefetch(self, paths: Iterable[str]) -> None:
        """Hint that these paths will be read; a remote source fetches them in bulk."""

    def close(self) -> None:
        """Release processes or connections held for this repository."""

    # --- what detectors call -------------------------------------------------------------------

    def files(self) -> dict[str, int]:
        if self._files is None:
            self._files = self._list()
        return self._files

    def exists(self, path: str) -> bool:
        return path in self.files()

    def matching(self, globs: Iterable[str]) -> list[str]:
        """Tracked paths matching any glob, sorted.

        A glob without a slash matches a file's name in any folder (`package.json`,
        `requirements*.txt`); a glob with one matches the whole path (`.github/workflows/*.yml`).
        Every detector asks, so names are indexed once per repository and answers are cached.
        """
        key = tuple(globs)
        cached = self._matches.get(key)
        if cached is None:
            cached = self._matches[key] = self._match(key)
        return list(cached)

    def _match(self, globs: tuple[str, ...]) -> list[str]:
        """One dictionary lookup per plain name, one pass over names and one over paths for the rest."""
        names = self._names()
        found: set[str] = set()
        name_patterns, path_patterns, prefixes = [], [], []
        for glob in globs:
            by_name, rx = _glob_matcher(glob)
            if by_name and not _MAGIC.search(glob):
                found.update(names.get(glob, ()))
            elif by_name:
                name_patterns.append(rx.pattern)
            else:
                path_patterns.append(rx.pattern)
                prefixes.append(_MAGIC.split(glob, 1)[0])  # the fixed folder prefix narrows the scan
        if name_patterns:
            rx = re.compile("|".join(f"(?:{p})" for p in name_patterns))
            found.update(p for name, paths in names.items() if rx.match(name) for p in paths)
        if path_patterns:
            rx = re.compile("|".join(f"(?:{p})" for p in path_patterns))
            starts = tuple(prefixes)
            found.update(p for p in self.files() if p.startswith(starts) and rx.match(p))
        return sorted(found)

    def _names(self) -> dict[str, list[str]]:
        if self._by_name is None:
            index: dict[str, list[str]] = {}
            for path in self.files():
                index.setdefault(path.rsplit("/", 1)[-1], []).append(path)
            self._by_name = index
        return self._by_name

    def read(self, path: str, limit: int | None = None) -> bytes:
        """The file's bytes (at most `limit`); `FileTooLarge` past the cap without a limit."""
        size = self.files().get(path)
        if size is None:
            raise FileNotFoundError(path)
        if limit is None:
            if size > MAX_READ_BYTES:
                raise FileTooLarge(f"{size} bytes, over the {MAX_READ_BYTES} byte limit")
            limit = size
        return self._read(path, min(limit, size))

    def read_text(self, path: str, limit: int | None = None) -> str | None:
        """The file decoded as text (BOMs and UTF-16 honoured); None when it is binary."""
        data = self.read(path, limit)
        return decode_text(data, truncated=len(data) < self.files()[path])


def decode_text(data: bytes, *, truncated: bool = False) -> str | None:
    """Decode bytes the way editors do: BOM first, then UTF-8, then Latin-1; None on binary.

    `truncated` says a read limit cut the data, so a character split at the end is dropped.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data[:8000]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if truncated and err.start >= len(data) - 3:
            return data[: err.start].decode("utf-8")
        return data.decode("latin-1")


_MAGIC = re.compile(r"[*?\[]")


@lru_cache(maxsize=512)
def _glob_matcher(glob: str) -> tuple[bool, re.Pattern[str]]:
    return "/" not in glob, re.compile(fnmatch.translate(glob))
