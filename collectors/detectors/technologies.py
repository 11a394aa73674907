"""Technologies, derived from what the other detectors found, after the catalog.

A technology is not read from a file of its own: it is told by a dependency (`react` in a
package.json), a base image (`eclipse-temurin:21`), a CI provider, a GitHub Action, or a file the
tool keeps (`dbt_project.yml`, `turbo.json`). The catalog (`collectors/catalog/technologies.yaml`)
says which; this module turns one repository's facts and file listing into `Technology` facts.

- One `Technology` per technology per repository. Its version and evidence come from one signal,
  chosen the same way every time: a signal that gives a version beats one that does not; among
  those, the entry's `version_from` order (react's own version, not react-dom's), then the
  manifest closest to the root, then the alphabetically first path. Evidence is the file the
  version was read from, so the two always agree.
- A dependency's version is `resolved` when a lock file gave one, else `declared` as written; a
  value with an unresolved `${property}` is no version. A base image's version is its tag; a file,
  CI provider or Action gives none.
- `implies` adds what a technology brings along (Next.js brings React) with no version, at the
  same evidence, when it was not found on its own.
- Files inside installed or vendored code (node_modules/, vendor/) signal nothing.

It reads nothing through `RepoView` but the listing (`WANTS` is empty): the registry calls
`detect_technologies(repo, found)` once every other detector has run.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from functools import cache

from collectors.catalog import VERSIONLESS_KINDS, Catalog, Entry, is_glob, load_catalog, normalise_name
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Facts, Technology
from collectors.repo_view import RepoView

WANTS: tuple[str, ...] = ()

#: Docker Hub spelt out, and public mirrors of its official images: `docker.io/library/python`
#: and `public.ecr.aws/docker/library/python` are both `python`.
DOCKER_PREFIXES: tuple[str, ...] = (
    "docker.io/",
    "index.docker.io/",
    "registry-1.docker.io/",
    "public.ecr.aws/docker/",
    "mirror.gcr.io/",
)
DOCKER_OFFICIAL = "library/"

#: A Go module's major version suffix (`github.com/jackc/pgx/v5`); the catalog names the module
#: without it.
_GO_MAJOR = re.compile(r"/v\d+$")
#: A Scala artifact's binary-version suffix, when a detector kept it (`akka-actor_2.13`,
#: `cats-core_sjs1_3`); the catalog names the artifact without it.
_SCALA_SUFFIX = re.compile(r"(?:_sjs\d+|_native[\d.]+)?_(?:2\.1[0-3]|3)$")

#: (entry index, rank): rank is the signal's place among those giving the technology's version,
#: or None when this signal gives evidence only.
Hit = tuple[int, int | None]
#: How candidates compare (smaller wins): (no version, implied, rank, depth, path, version).
Key = tuple[bool, bool, int, int, str, str]

_NO_VERSION_RANK = 1 << 30
_MEMO_LIMIT = 1 << 16


def _usable(version: str | None) -> str | None:
    """A version worth showing: None for empty values and unresolved `${property}` references."""
    if not version or "$" in version:
        return None
    return version


def _docker_name(image: str) -> str:
    name = image.strip().lower()
    for prefix in DOCKER_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    return name[len(DOCKER_OFFICIAL) :] if name.startswith(DOCKER_OFFICIAL) else name


def _spellings(kind: str, name: str) -> tuple[str, ...]:
    """The forms of a recorded name the catalog may list: as recorded, then without a suffix."""
    if kind == "docker":
        return (_docker_name(name),)
    key = normalise_name(kind, name)
    if kind == "go":
        short = _GO_MAJOR.sub("", key)
    elif kind in ("maven", "sbt-plugin"):
        short = _SCALA_SUFFIX.sub("", key)
    else:
        return (key,)
    return (key,) if short == key else (key, short)


def _ranks(entry: Entry) -> list[tuple[str, str, int | None]]:
    """(kind, pattern, rank) for every signal of an entry."""
    out: list[tuple[str, str, int | None]] = []
    position = 0
    for kind, patterns in entry.signals:
        for pattern in patterns:
            if kind in VERSIONLESS_KINDS:
                rank = None
            elif entry.version_from is None:
                rank = position
            else:
                rank = entry.version_from.index(pattern) if pattern in entry.version_from else None
            out.append((kind, pattern, rank))
            position += 1
    return out


def _better(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else min(a, b)


def _merge(hits: Iterable[Hit]) -> tuple[Hit, ...]:
    """One hit per entry (its best rank), in entry order."""
    best: dict[int, int | None] = {}
    for index, rank in hits:
        best[index] = _better(best[index], rank) if index in best else rank
    return tuple(sorted(best.items()))


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


class CompiledCatalog:
    """The catalog as lookup tables: exact names in dicts, globs in one prefilter regex per kind.

    Names repeat across an organisation's repositories, so each (kind, name) lookup and each
    file name is matched once per process and remembered.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.entries: tuple[Entry, ...] = catalog.entries
        exact: dict[str, dict[str, list[Hit]]] = {}
        globs: dict[str, list[tuple[re.Pattern[str], Hit]]] = {}
        file_names: dict[str, list[Hit]] = {}
        file_paths: dict[str, list[Hit]] = {}
        name_globs: list[tuple[re.Pattern[str], Hit]] = []
        path_globs: list[tuple[re.Pattern[str], Hit]] = []
        path_pattern_texts: list[str] = []
        for index, entry in enumerate(self.entries):
            for kind, pattern, rank in _ranks(entry):
                hit = (index, rank)
                if kind == "file":  # paths keep their case, as the file system does
                    by_name = "/" not in pattern
                    if not by_name:
                        path_pattern_texts.append(pattern)
                    if is_glob(pattern):
                        (name_globs if by_name else path_globs).append((re.compile(fnmatch.translate(pattern)), hit))
                    else:
                        (file_names if by_name else file_paths).setdefault(pattern, []).append(hit)
                    continue
                key = _docker_name(pattern) if kind == "docker" else normalise_name(kind, pattern)
                if is_glob(key):
                    globs.setdefault(kind, []).append((re.compile(fnmatch.translate(key)), hit))
                else:
                    exact.setdefault(kind, {}).setdefault(key, []).append(hit)
        self._exact = {kind: {k: _merge(v) for k, v in names.items()} for kind, names in exact.items()}
        self._globs = globs
        self._glob_any = {kind: _alternation([rx.pattern for rx, _ in items]) for kind, items in globs.items()}
        self._file_names = {k: _merge(v) for k, v in file_names.items()}
        self._file_paths = {k: _merge(v) for k, v in file_paths.items()}
        self._name_globs = name_globs
        self._name_glob_any = _alternation([rx.pattern for rx, _ in name_globs])
        self._path_globs = path_globs
        self._path_glob_any = _alternation([rx.pattern for rx, _ in path_globs])
        # Path patterns start with a literal folder (.github/, .husky/): most paths are skipped on it.
        heads = frozenset(p.split("/", 1)[0] for p in path_pattern_texts)
        self._path_heads: frozenset[str] | None = None if any(map(is_glob, heads)) else heads
        self._memo: dict[tuple[str, str], tuple[Hit, ...]] = {}
        self._name_memo: dict[str, tuple[Hit, ...]] = {}

    def lookup(self, kind: str, name: str) -> tuple[Hit, ...]:
        """The technologies a recorded name signals (kind: an ecosystem, docker, ci or action)."""
        memo_key = (kind, name)
        found = self._memo.get(memo_key)
        if found is not None:
            return found
        exact = self._exact.get(kind, {})
        globs = self._globs.get(kind, ())
        glob_any = self._glob_any.get(kind)
        hits: list[Hit] = []
        for key in _spellings(kind, name):
            hits += exact.get(key, ())
            if glob_any is not None and glob_any.fullmatch(key):
                hits += [hit for rx, hit in globs if rx.fullmatch(key)]
        found = _merge(hits) if hits else ()
        if len(self._memo) > _MEMO_LIMIT:
            self._memo.clear()
        self._memo[memo_key] = found
        return found

    def file_hits(self, path: str) -> tuple[Hit, ...]:
        """The technologies a tracked path signals by its name or its place."""
        name = path[path.rfind("/") + 1 :]
        by_name = self._name_memo.get(name)
        if by_name is None:
            hits = list(self._file_names.get(name, ()))
            if self._name_glob_any is not None and self._name_glob_any.fullmatch(name):
                hits += [hit for rx, hit in self._name_globs if rx.fullmatch(name)]
            by_name = _merge(hits) if hits else ()
            if len(self._name_memo) > _MEMO_LIMIT:
                self._name_memo.clear()
            self._name_memo[name] = by_name
        slash = path.find("/")
        if slash < 0 or (self._path_heads is not None and path[:slash] not in self._path_heads):
            return by_name
        by_path: tuple[Hit, ...] = self._file_paths.get(path, ())
        if self._path_glob_any is not None and self._path_glob_any.fullmatch(path):
            by_path += tuple(hit for rx, hit in self._path_globs if rx.fullmatch(path))
        if not by_path:
            return by_name
        return _merge((*by_name, *by_path))


@cache
def compiled() -> CompiledCatalog:
    """The shipped catalog, compiled once per process."""
    return CompiledCatalog(load_catalog())


def _key(version: str | None, rank: int | None, path: str, implied: bool = False) -> Key:
    if version is None or rank is None:
        return (True, implied, _NO_VERSION_RANK, path.count("/"), path, "")
    return (False, False, rank, path.count("/"), path, version)


def derive(facts: Facts, paths: Iterable[str], catalog: CompiledCatalog | None = None) -> list[Technology]:
    """The technologies one repository's facts and tracked paths signal, sorted by name."""
    table = catalog if catalog is not None else compiled()
    best: dict[int, Key] = {}

    def offer(hits: tuple[Hit, ...], version: str | None, path: str) -> None:
        for index, rank in hits:
            key = _key(version, rank, path)
            current = best.get(index)
            if current is None or key < current:
                best[index] = key

    lookup = table.lookup
    for dep in facts.dependencies:
        hits = lookup(dep.ecosystem, dep.name)
        if hits:
            offer(hits, _usable(dep.resolved) or _usable(dep.declared), dep.manifest)
    for image in facts.docker_images:
        hits = lookup("docker", image.image)
        if hits:
            offer(hits, _usable(image.tag), image.path)
    for ci in facts.ci_files:
        hits = lookup("ci", ci.provider)
        if hits:
            offer(hits, None, ci.path)
    for action in facts.actions:
        hits = lookup("action", action.action)
        if hits:
            offer(hits, None, action.path)
    file_hits = table.file_hits
    for path in paths:
        hits = file_hits(path)
        if hits and not manifest_excluded(path):
            offer(hits, None, path)

    _add_implied(table, best)
    entries = table.entries
    out = [
        Technology(entries[i].name, entries[i].category, None if key[0] else key[5], key[4]) for i, key in best.items()
    ]
    return sorted(out)


def _add_implied(table: CompiledCatalog, best: dict[int, Key]) -> None:
    """Add what found technologies imply, transitively, without a version, at their evidence."""
    entries = table.entries
    index_of = _index_of(table)
    pending = sorted(best)
    while pending:
        index = pending.pop()
        for target_name in entries[index].implies:
            target = index_of[target_name]
            key = _key(None, None, best[index][4], implied=True)
            current = best.get(target)
            if current is None or key < current:
                best[target] = key
                pending.append(target)


@cache
def _index_of(table: CompiledCatalog) -> dict[str, int]:
    return {entry.name: i for i, entry in enumerate(table.entries)}


def detect_technologies(repo: RepoView, found: Facts) -> list[Technology]:
    """The registry's last step: technologies from what the other detectors found in `repo`."""
    return derive(found, repo.files())
