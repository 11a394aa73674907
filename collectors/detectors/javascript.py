"""JavaScript and TypeScript (npm): package.json dependencies, the Node version asked for.

- `package.json` anywhere outside installed or vendored code (node_modules/, vendor/):
  dependencies (runtime), devDependencies (dev), peerDependencies (peer), optionalDependencies
  (optional), each as written (`^18.2.0`, `workspace:*`, `npm:other@1`); `engines.node` and
  `volta.node` are the Node runtime.
- `.nvmrc` and `.node-version` are the Node runtime too (`v20.11.0` is reported as `20.11.0`).
- `packageManager` (`pnpm@8.15.0+sha512...`) is recorded as a build dependency on the manager
  (`npm` ecosystem, name `pnpm`, declared `8.15.0`), so the technology catalog sees which package
  manager a repository uses, and which version.
- Lock files fill `resolved` for the direct dependencies of the package.json beside them, or of a
  workspace member the lock of an enclosing folder covers: `package-lock.json` /
  `npm-shrinkwrap.json` (lockfileVersion 1, 2 and 3, following Node's lookup through the nested
  node_modules folders), and through `js_locks`: `yarn.lock` (classic and berry),
  `pnpm-lock.yaml` (5.x, 6.x, 9.x) and `bun.lock` (not the binary `bun.lockb`).
- Workspace members are the folders the lock lists (npm's `packages`, pnpm's `importers`, berry's
  `workspace:` entries, bun's `workspaces`) and those a root's `workspaces` field (a list, or
  `{packages: [...]}`) or `pnpm-workspace.yaml` names by glob. A dependency on a member that the
  lock gives no version for (a classic yarn lock leaves members out, pnpm writes `link:`) takes
  the member's own `version`.
- Where one folder holds the locks of two package managers, the one its `packageManager` names is
  used, else the first of `LOCK_FILES`; a warning says so.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, partial
from typing import Any, Protocol

from collectors.detectors.js_locks import parse_bun_lock, parse_pnpm_lock, parse_pnpm_workspace, parse_yarn_lock
from collectors.detectors.parsing import ParseError, kind_of, load_json, manifest_texts, read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "npm"
#: Every lock file read, with the package manager that writes it; in a folder with several (and
#: no `packageManager` to choose), the first one here is used (npm's own precedence first).
LOCK_MANAGERS: dict[str, str] = {
    "npm-shrinkwrap.json": "npm",
    "package-lock.json": "npm",
    "pnpm-lock.yaml": "pnpm",
    "yarn.lock": "yarn",
    "bun.lock": "bun",
}
LOCK_FILES: tuple[str, ...] = tuple(LOCK_MANAGERS)
WORKSPACE_FILES: tuple[str, ...] = ("pnpm-workspace.yaml",)
VERSION_FILES: tuple[str, ...] = (".nvmrc", ".node-version")
WANTS: tuple[str, ...] = ("package.json", *LOCK_FILES, *WORKSPACE_FILES, *VERSION_FILES)

#: package.json sections and the scope of what they list.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("dependencies", "runtime"),
    ("devDependencies", "dev"),
    ("peerDependencies", "peer"),
    ("optionalDependencies", "optional"),
)


class JavascriptManifestError(ParseError):
    """A lock file that cannot be used at all."""


@dataclass
class Parsed:
    name: str | None = None  # the package's own name
    version: str | None = None  # the package's own version
    workspaces: list[str] = field(default_factory=list)  # member folder globs (`!` ones exclude)
    dependencies: list[Dependency] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_kind = partial(kind_of, mapping="an object")


def parse_package_json(text: str, path: str) -> Parsed:
    """One package.json: its dependencies by scope and the Node version it asks for."""
    out = Parsed()
    try:
        data = load_json(text)
    except ParseError as err:
        out.warnings.append(str(err))
        return out
    if not isinstance(data, dict):
        out.warnings.append(f"expected an object at the top, found {_kind(data)}")
        return out
    if isinstance(data.get("name"), str):
        out.name = data["name"]
    if isinstance(data.get("version"), str) and data["version"].strip():
        out.version = data["version"].strip()
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
    if "workspaces" in data:
        out.workspaces = _workspaces(data["workspaces"], out)
    if "packageManager" in data:
        manager = _package_manager(data["packageManager"], path, out)
        if manager is not None:
            out.dependencies.append(manager)
    return out


def _workspaces(value: Any, out: Parsed) -> list[str]:
    """`workspaces`: a list of globs, or yarn's `{packages: [...], nohoist: [...]}`."""
    if isinstance(value, dict):
        value = value.get("packages", [])
        where = "workspaces.packages"
    else:
        where = "workspaces"
    if not isinstance(value, list):
        out.warnings.append(f"{where}: expected a list of folder globs, found {_kind(value)}")
        return []
    globs = [v for v in value if isinstance(v, str) and v.strip()]
    if len(globs) != len(value):
        out.warnings.append(f"{where}: {len(value) - len(globs)} entries are not folder globs")
    return globs


_MANAGER_RE = re.compile(r"(@?[a-z0-9][\w.-]*)(?:@([^+\s]*))?(?:\+\S*)?", re.IGNORECASE)


def _package_manager(value: Any, path: str, out: Parsed) -> Dependency | None:
    """Corepack's `packageManager`: `pnpm@8.15.0+sha512.abc` is pnpm at 8.15.0 (the hash dropped)."""
    match = _MANAGER_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        shown = repr(value[:60]) if isinstance(value, str) else _kind(value)
        out.warnings.append(f"packageManager: expected name@version, found {shown}")
        return None
    return Dependency(ECOSYSTEM, match.group(1), match.group(2) or None, None, "build", path)


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

    def lists(self, folder: str) -> bool:
        return folder in self.folders

    def version(self, folder: str, name: str, declared: str | None) -> str | None:
        return installed_version(self.versions, folder, name)


def parse_lock(text: str) -> NpmLock:
    """An npm lock file by install path; lockfileVersion 1 is turned into the same shape.

    Raises ParseError (JavascriptManifestError when it is JSON but not a lock).
    """
    data = load_json(text)
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


# --- workspaces ---------------------------------------------------------------------------------


@cache
def workspace_glob(glob: str) -> re.Pattern[str]:
    """A workspace folder glob (`packages/*`, `apps/**`, `./tools/cli/`) as a regular expression
    over member folders relative to the root: `*` stays within a folder, `**` crosses them."""
    glob = glob.strip().replace("\\", "/")
    while glob.startswith("./"):
        glob = glob[2:]
    glob = glob.removesuffix("/package.json").strip("/")
    out = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))


def is_member(folder: str, globs: list[str]) -> bool:
    """A folder (relative to the workspace root) some glob names and no `!glob` excludes."""
    if not folder:
        return False
    positive = [g for g in globs if not g.startswith("!")]
    negative = [g[1:] for g in globs if g.startswith("!")]
    return any(workspace_glob(g).fullmatch(folder) for g in positive) and not any(
        workspace_glob(g).fullmatch(folder) for g in negative
    )


# --- the detector -------------------------------------------------------------------------------


class Lock(Protocol):
    """What the detector asks of any lock file (npm's, yarn's, pnpm's, bun's)."""

    def lists(self, folder: str) -> bool: ...

    def version(self, folder: str, name: str, declared: str | None) -> str | None: ...


#: Lock file name -> its parser; every parser raises ParseError on a file it cannot use.
LOCK_PARSERS: dict[str, Callable[[str], Lock]] = {
    "npm-shrinkwrap.json": parse_lock,
    "package-lock.json": parse_lock,
    "pnpm-lock.yaml": parse_pnpm_lock,
    "yarn.lock": parse_yarn_lock,
    "bun.lock": parse_bun_lock,
}


@dataclass
class _Manifest:
    path: str
    parsed: Parsed
    lock: Lock | None = None
    package: str = ""  # the package's folder relative to its lock's
    root: str | None = None  # the folder of the lock that covers it


def _manifests(repo: RepoView, facts: Facts) -> dict[str, _Manifest]:
    """Folder -> its package.json, parsed (those outside installed or vendored code)."""
    found: dict[str, _Manifest] = {}
    for path, text in manifest_texts(repo, ("package.json",), facts):
        parsed = parse_package_json(text, path)
        for message in parsed.warnings:
            facts.warn(path, message)
        found[posixpath.dirname(path)] = _Manifest(path, parsed)
    return found


def _manager(manifest: _Manifest | None) -> str | None:
    builds = [d for d in manifest.parsed.dependencies if d.scope == "build"] if manifest else []
    return builds[0].name if builds else None


def _locks(repo: RepoView, facts: Facts, manifests: dict[str, _Manifest]) -> dict[str, Lock]:
    """Folder -> its lock: the one its packageManager names, else the first of LOCK_FILES; a lock
    that cannot be read gives way to the next."""
    by_folder: dict[str, list[str]] = {}
    for path in repo.matching(LOCK_FILES):
        if not manifest_excluded(path):
            by_folder.setdefault(posixpath.dirname(path), []).append(path)
    locks: dict[str, Lock] = {}
    for folder, paths in sorted(by_folder.items()):
        manager = _manager(manifests.get(folder))
        paths.sort(
            key=lambda p: (LOCK_MANAGERS[posixpath.basename(p)] != manager, LOCK_FILES.index(posixpath.basename(p)))
        )
        for path in paths:
            text = read_text(repo, path, facts)
            if text is None:
                continue
            try:
                lock = LOCK_PARSERS[posixpath.basename(path)](text)
            except ParseError as err:
                facts.warn(path, str(err))
                continue
            for message in getattr(lock, "warnings", ()):
                facts.warn(path, message)
            locks[folder] = lock
            others = [
                p for p in paths if LOCK_MANAGERS[posixpath.basename(p)] != LOCK_MANAGERS[posixpath.basename(path)]
            ]
            if others:
                names = ", ".join(posixpath.basename(p) for p in others)
                used = posixpath.basename(path)
                facts.warn(
                    path, f"{names} in the same folder: another package manager's lock; versions are from {used}"
                )
            break
    return locks


def _workspace_globs(repo: RepoView, facts: Facts, manifests: dict[str, _Manifest]) -> dict[str, list[str]]:
    """Workspace root folder -> its member globs, from package.json and pnpm-workspace.yaml."""
    globs = {folder: list(m.parsed.workspaces) for folder, m in manifests.items() if m.parsed.workspaces}
    for path, text in manifest_texts(repo, WORKSPACE_FILES, facts):
        try:
            globs.setdefault(posixpath.dirname(path), []).extend(parse_pnpm_workspace(text))
        except ParseError as err:
            facts.warn(path, str(err))
    return globs


def _cover(folder: str, manifest: _Manifest, locks: dict[str, Lock], globs: dict[str, list[str]]) -> None:
    """Find the lock covering a package folder: the lock beside it, or the nearest enclosing one
    that lists the folder or whose workspace globs name it."""
    here = folder
    while True:
        if here in locks:
            relative = folder[len(here) :].lstrip("/") if here else folder
            lock = locks[here]
            if not relative or lock.lists(relative) or is_member(relative, globs.get(here, [])):
                manifest.lock, manifest.package, manifest.root = lock, relative, here
                return
        if not here:
            return
        here = posixpath.dirname(here)


def _resolve(manifest: _Manifest, members: dict[str, str]) -> list[Dependency]:
    """The manifest's dependencies with `resolved` from its lock, else from the workspace member
    of that name (the package manager's own build dependency is never resolved)."""
    lock = manifest.lock
    if lock is None:
        return manifest.parsed.dependencies
    return [
        d
        if d.scope == "build"
        else replace(d, resolved=lock.version(manifest.package, d.name, d.declared) or members.get(d.name))
        for d in manifest.parsed.dependencies
    ]


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    manifests = _manifests(repo, facts)
    locks = _locks(repo, facts, manifests)
    globs = _workspace_globs(repo, facts, manifests)
    members: dict[str, dict[str, str]] = {}  # lock folder -> member package name -> its version
    for folder, manifest in manifests.items():
        _cover(folder, manifest, locks, globs)
        if manifest.root is not None and manifest.parsed.name and manifest.parsed.version:
            members.setdefault(manifest.root, {})[manifest.parsed.name] = manifest.parsed.version
    for manifest in manifests.values():
        own = {manifest.parsed.name} if manifest.parsed.name else set()
        in_root = {n: v for n, v in members.get(manifest.root or "", {}).items() if n not in own}
        facts.dependencies += _resolve(manifest, in_root if manifest.root is not None else {})
        facts.runtimes += manifest.parsed.runtimes
    for path, text in manifest_texts(repo, VERSION_FILES, facts):
        parsed = parse_node_version(text, path)
        facts.runtimes += parsed.runtimes
        for message in parsed.warnings:
            facts.warn(path, message)
    return facts
