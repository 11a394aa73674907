"""JavaScript and TypeScript (npm): package.json dependencies, the Node version asked for.

- `package.json` anywhere outside installed or vendored code (node_modules/, vendor/):
  dependencies (runtime), devDependencies (dev), peerDependencies (peer), optionalDependencies
  (optional), each as written (`^18.2.0`, `workspace:*`, `npm:other@1`); `engines.node` and
  `volta.node` are the Node runtime.
- `.nvmrc` and `.node-version` are the Node runtime too (`v20.11.0` is reported as `20.11.0`).
- `package-lock.json` / `npm-shrinkwrap.json` (lockfileVersion 1, 2 and 3) fill `resolved` for the
  direct dependencies of the package.json beside it, or of a workspace member the lock of an
  enclosing folder covers, following Node's lookup through the nested node_modules folders.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Any

from collectors.detectors.parsing import read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "npm"
LOCK_FILES: tuple[str, ...] = ("npm-shrinkwrap.json", "package-lock.json")  # npm's precedence
VERSION_FILES: tuple[str, ...] = (".nvmrc", ".node-version")
WANTS: tuple[str, ...] = ("package.json", *LOCK_FILES, *VERSION_FILES)

#: package.json sections and the scope of what they list.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("dependencies", "runtime"),
    ("devDependencies", "dev"),
    ("peerDependencies", "peer"),
    ("optionalDependencies", "optional"),
)


class JavascriptManifestError(Exception):
    """A lock file that cannot be used at all."""


@dataclass
class Parsed:
    name: str | None = None  # the package's own name
    dependencies: list[Dependency] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def parse_package_json(text: str, path: str) -> Parsed:
    """One package.json: its dependencies by scope and the Node version it asks for."""
    out = Parsed()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        out.warnings.append(f"not valid JSON: {err}")
        return out
    except RecursionError:
        out.warnings.append("not valid JSON: nested too deeply")
        return out
    if not isinstance(data, dict):
        out.warnings.append(f"expected an object at the top, found {_kind(data)}")
        return out
    if isinstance(data.get("name"), str):
        out.name = data["name"]
    for section, scope in SECTIONS:
        deps = data.get(section)
        if deps is None:
            continue
        if not isinstance(deps, dict):
            out.warnings.append(f"{section}: expected an object, found {_kind(deps)}")
            continue
        for name, spec in deps.items():
            if not isinstance(spec, str):
                out.warnings.append(f"{section}.{name}: expected a version string, found {_kind(spec)}")
                continue
            if not name.strip():
                out.warnings.append(f"{section}: a dependency with an empty name")
                continue
            out.dependencies.append(Dependency(ECOSYSTEM, name, spec.strip() or None, None, scope, path))
    for section in ("engines", "volta"):
        table = data.get(section)
        if table is None:
            continue
        if not isinstance(table, dict):
            out.warnings.append(f"{section}: expected an object, found {_kind(table)}")
            continue
        node = table.get("node")
        if node is None:
            continue
        if isinstance(node, str) and node.strip():
            out.runtimes.append(Runtime("node", node.strip(), evidence=path))
        else:
            out.warnings.append(f"{section}.node: expected a version string, found {_kind(node)}")
    return out


def parse_node_version(text: str, path: str) -> Parsed:
    """.nvmrc / .node-version: the first word of the first line that is not a comment."""
    out = Parsed()
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            version = re.sub(r"^[vV](?=\d)", "", words[0])
            out.runtimes.append(Runtime("node", version, evidence=path))
            return out
    out.warnings.append("names no Node version")
    return out


@dataclass(frozen=True)
class NpmLock:
    versions: dict[str, str]  # install path -> version: {"node_modules/react": "18.2.0"}
    folders: frozenset[str]  # every package folder the lock lists, workspace members included


def parse_lock(text: str) -> NpmLock:
    """An npm lock file by install path; lockfileVersion 1 is turned into the same shape.

    Raises JavascriptManifestError when the file is not a usable lock.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise JavascriptManifestError(f"not valid JSON: {err}") from None
    except RecursionError:
        raise JavascriptManifestError("not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise JavascriptManifestError(f"expected an object at the top, found {_kind(data)}")
    packages = data.get("packages")
    if isinstance(packages, dict):
        return NpmLock(_from_packages(packages), frozenset(packages))
    dependencies = data.get("dependencies")
    if isinstance(dependencies, dict):  # lockfileVersion 1
        versions: dict[str, str] = {}
        _from_v1(dependencies, "", versions, depth=0)
        return NpmLock(versions, frozenset({"", *versions}))
    raise JavascriptManifestError("neither `packages` (lockfileVersion 2, 3) nor `dependencies` (1) found")


def _from_packages(packages: dict[str, Any]) -> dict[str, str]:
    versions: dict[str, str] = {}
    links: dict[str, str] = {}
    for key, entry in packages.items():
        if not isinstance(entry, dict):
            continue
        if entry.get("link") is True and isinstance(entry.get("resolved"), str):
            links[key] = entry["resolved"]
        elif isinstance(entry.get("version"), str):
            versions[key] = entry["version"]
    for key, target in links.items():  # a workspace link: the version of the package it points at
        if target in versions:
            versions[key] = versions[target]
    return versions


def _from_v1(dependencies: dict[str, Any], prefix: str, versions: dict[str, str], depth: int) -> None:
    if depth > 64:
        return
    for name, entry in dependencies.items():
        if not isinstance(entry, dict):
            continue
        key = f"{prefix}node_modules/{name}"
        if isinstance(entry.get("version"), str):
            versions[key] = entry["version"]
        nested = entry.get("dependencies")
        if isinstance(nested, dict):
            _from_v1(nested, key + "/", versions, depth + 1)


def installed_version(lock: dict[str, str], package: str, name: str) -> str | None:
    """The version Node would load for `name` from the package at `package` (a folder relative to
    the lock's; "" for the lock's own package): its node_modules first, then each parent's."""
    folder = package
    while True:
        key = f"{folder}/node_modules/{name}" if folder else f"node_modules/{name}"
        if key in lock:
            return lock[key]
        if not folder:
            return None
        folder = posixpath.dirname(folder)


# --- the detector -------------------------------------------------------------------------------


def _locks(repo: RepoView, facts: Facts) -> dict[str, NpmLock]:
    """Folder -> its lock (npm-shrinkwrap.json before package-lock.json, as npm reads them)."""
    locks: dict[str, NpmLock] = {}
    paths = [p for p in repo.matching(LOCK_FILES) if not manifest_excluded(p)]
    paths.sort(key=lambda p: (posixpath.dirname(p), LOCK_FILES.index(posixpath.basename(p))))
    for path in paths:
        folder = posixpath.dirname(path)
        if folder in locks:
            continue
        text = read_text(repo, path, facts)
        if text is None:
            continue
        try:
            locks[folder] = parse_lock(text)
        except JavascriptManifestError as err:
            facts.warn(path, str(err))
    return locks


def _lock_for(folder: str, locks: dict[str, NpmLock]) -> tuple[dict[str, str], str] | None:
    """The lock covering a package folder, and the folder relative to the lock's: the lock beside
    it, or the nearest enclosing lock that lists the folder as a workspace member."""
    here = folder
    while True:
        if here in locks:
            relative = folder[len(here) :].lstrip("/") if here else folder
            if not relative or relative in locks[here].folders:
                return locks[here].versions, relative
        if not here:
            return None
        here = posixpath.dirname(here)


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    locks = _locks(repo, facts)
    for path in repo.matching(("package.json",)):
        if manifest_excluded(path):
            continue
        text = read_text(repo, path, facts)
        if text is None:
            continue
        parsed = parse_package_json(text, path)
        found = _lock_for(posixpath.dirname(path), locks)
        if found is not None:
            lock, package = found
            parsed.dependencies = [
                replace(d, resolved=installed_version(lock, package, d.name)) for d in parsed.dependencies
            ]
        facts.dependencies += parsed.dependencies
        facts.runtimes += parsed.runtimes
        for message in parsed.warnings:
            facts.warn(path, message)
    for path in repo.matching(VERSION_FILES):
        if manifest_excluded(path):
            continue
        text = read_text(repo, path, facts)
        if text is None:
            continue
        parsed = parse_node_version(text, path)
        facts.runtimes += parsed.runtimes
        for message in parsed.warnings:
            facts.warn(path, message)
    return facts
