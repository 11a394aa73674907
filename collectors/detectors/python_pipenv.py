"""Pipenv: dependencies from `Pipfile`, resolved through the `Pipfile.lock` beside it.

- `Pipfile` (TOML): `[packages]` is runtime, `[dev-packages]` dev, any other table of packages is
  one of pipenv's custom categories (scope from its name: `docs` is dev, `tests` test, anything
  else dev, like a dependency group); `[requires] python_full_version` (else `python_version`)
  is the Python runtime. An entry is a version (`"*"`, `">=4.2,<5"`) or a table: `version`,
  `git` + `ref` (recorded as `git+URL@ref`), `file` (its URL); a `path` entry is the
  repository's own code, not a dependency.
- `Pipfile.lock` (JSON): `default` locks `[packages]`, `develop` `[dev-packages]`, a custom
  category its own name; `"version": "==2.31.0"` fills `resolved` with `2.31.0` for the
  Pipfile's direct dependencies. A lock without a Pipfile beside it says nothing on its own.

Not covered: `[[source]]` indexes, `[scripts]`, `[pipenv]` settings.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from packaging.utils import canonicalize_name

from collectors.detectors.parsing import ParseError, load_json, load_toml, read_text
from collectors.detectors.python import ECOSYSTEM, Parsed, kind_of, merge_into, scope_from_words, tidy_specifier
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

PIPFILE = "Pipfile"
LOCK = "Pipfile.lock"
WANTS: tuple[str, ...] = (PIPFILE, LOCK)

#: Pipfile tables that are not package categories.
NOT_CATEGORIES = frozenset({"source", "requires", "scripts", "pipenv"})
#: The fixed categories: Pipfile table -> (Pipfile.lock section, scope).
CATEGORIES: dict[str, tuple[str, str]] = {
    "packages": ("default", "runtime"),
    "dev-packages": ("develop", "dev"),
}
#: Lock sections that are not package categories.
LOCK_META = frozenset({"_meta"})

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def parse_pipfile(text: str, path: str, lock: dict[str, dict[str, str]] | None = None) -> Parsed:
    """One Pipfile: dependencies by category, the Python it asks for; `lock` (from
    `parse_pipfile_lock`) fills `resolved`."""
    try:
        data = load_toml(text)
    except ParseError as err:
        return Parsed(warnings=[str(err)])
    return parse_pipfile_data(data, path, lock)


def parse_pipfile_data(data: dict[str, Any], path: str, lock: dict[str, dict[str, str]] | None = None) -> Parsed:
    """`parse_pipfile` once the TOML is read: every value is checked for its type."""
    out = Parsed()
    for table, body in data.items():
        if table in NOT_CATEGORIES:
            continue
        section, scope = CATEGORIES.get(table, (table, scope_from_words(table, "dev")))
        if not isinstance(body, dict):
            out.warnings.append(f"{table}: expected a table, found {kind_of(body)}")
            continue
        locked = (lock or {}).get(section, {})
        for raw_name, entry in body.items():
            where = f"{table}.{raw_name}"
            if not _NAME_RE.fullmatch(raw_name):
                out.warnings.append(f"{where}: {raw_name!r} is not a package name")
                continue
            found = _pipfile_constraint(entry)
            if isinstance(found, tuple):
                name = canonicalize_name(raw_name)
                out.dependencies.append(Dependency(ECOSYSTEM, name, found[0], locked.get(name), scope, path))
            elif found is not None:
                out.warnings.append(f"{where}: {found}")
    requires = data.get("requires", {})
    if not isinstance(requires, dict):
        out.warnings.append(f"requires: expected a table, found {kind_of(requires)}")
        return out
    for key in ("python_full_version", "python_version"):
        if key not in requires:
            continue
        value = requires[key]
        if isinstance(value, str) and value.strip():
            out.runtimes.append(Runtime("python", tidy_specifier(value), evidence=path))
            break
        out.warnings.append(f"requires.{key}: expected a version string, found {kind_of(value)}")
    return out


def _pipfile_constraint(entry: Any) -> tuple[str | None] | str | None:
    """(declared,) of one Pipfile entry; None for a local path; a str is a problem."""
    if isinstance(entry, str):
        return (tidy_specifier(entry),)
    if not isinstance(entry, dict):
        return f"expected a version or a table, found {kind_of(entry)}"
    if "path" in entry:
        return None
    git = entry.get("git")
    if isinstance(git, str):
        url = git if git.startswith("git+") else f"git+{git}"
        ref = entry.get("ref")
        return (f"{url}@{ref}" if isinstance(ref, str) and ref else url,)
    if isinstance(entry.get("file"), str):
        return (entry["file"],)
    version = entry.get("version")
    if version is not None and not isinstance(version, str):
        return f"version: expected a string, found {kind_of(version)}"
    return (tidy_specifier(version) if version else None,)


def parse_pipfile_lock(text: str) -> dict[str, dict[str, str]]:
    """Pipfile.lock: section (`default`, `develop`, a category) -> normalised name -> the version
    locked (`==2.31.0` read as `2.31.0`). Raises ParseError when it is not a lock at all."""
    data = load_json(text)
    if not isinstance(data, dict):
        raise ParseError(f"expected an object at the top, found {kind_of(data)}")
    locked: dict[str, dict[str, str]] = {}
    for section, packages in data.items():
        if section in LOCK_META or not isinstance(packages, dict):
            continue
        versions = locked.setdefault(section, {})
        for name, entry in packages.items():
            if not isinstance(entry, dict) or not _NAME_RE.fullmatch(name):
                continue
            version = entry.get("version")
            if isinstance(version, str) and version.startswith("=="):
                exact = version.lstrip("=").strip()
                if exact:
                    versions[canonicalize_name(name)] = exact
    if not locked:
        raise ParseError("no `default` or `develop` section: not a Pipfile.lock")
    return locked


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    paths = [p for p in repo.matching(WANTS) if not manifest_excluded(p)]
    locks: dict[str, dict[str, dict[str, str]]] = {}
    for path in paths:
        if posixpath.basename(path) != LOCK:
            continue
        text = read_text(repo, path, facts)
        if text is None:
            continue
        try:
            locks[posixpath.dirname(path)] = parse_pipfile_lock(text)
        except ParseError as err:
            facts.warn(path, str(err))
    for path in paths:
        if posixpath.basename(path) != PIPFILE:
            continue
        text = read_text(repo, path, facts)
        if text is not None:
            merge_into(facts, path, parse_pipfile(text, path, locks.get(posixpath.dirname(path))))
    return facts
