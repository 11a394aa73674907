"""Rust (Cargo): Cargo.toml dependencies, Cargo.lock versions, the Rust version asked for.

- `Cargo.toml` anywhere outside vendored code: `[dependencies]` (runtime, `optional = true` ->
  optional), `[dev-dependencies]` (dev), `[build-dependencies]` (build), the same tables under
  `[target.'cfg(...)']`, and the old `dev_dependencies` / `build_dependencies` spellings. A
  dependency is `name = "1.0"` or a table (`version`, `features`, `optional`, `package` for a
  renamed crate, `git` with `tag`/`rev`/`branch`); `path` dependencies are the repository's own
  crates and are left out. `name.workspace = true` takes its version from the workspace root's
  `[workspace.dependencies]`: the nearest Cargo.toml above that lists the crate in its
  `[workspace] members` (or the one `package.workspace` names). `[workspace.dependencies]` itself
  is not reported: only what members use is.
- `Cargo.lock` (the nearest one at or above a manifest) fills `resolved`: the lock's entry for the
  crate itself names the exact version of each dependency, so a crate locked at two versions
  still gets the right one.
- The Rust runtime: `package.rust-version` (also through `workspace = true`), and the channel of
  `rust-toolchain.toml` / `rust-toolchain` (`1.75.0`, `stable`, `nightly-2024-01-01`).

Crate names are as written (Cargo treats `-` and `_` alike only when searching).
"""

from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from collectors.detectors.parsing import ParseError, kind_of, load_toml, manifest_texts
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "cargo"
TOOLCHAIN_FILES: tuple[str, ...] = ("rust-toolchain.toml", "rust-toolchain")
WANTS: tuple[str, ...] = ("Cargo.toml", "Cargo.lock", *TOOLCHAIN_FILES)

#: Dependency tables of a manifest (or of a `[target.X]` table) and the scope of what they list.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("dependencies", "runtime"),
    ("dev-dependencies", "dev"),
    ("dev_dependencies", "dev"),
    ("build-dependencies", "build"),
    ("build_dependencies", "build"),
)


@dataclass
class Manifest:
    """One Cargo.toml as read: its own crate, what it depends on, and its workspace, if any."""

    path: str
    package: str | None = None
    dependencies: list[Dependency] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # dependency key -> (scope, optional, where) of `key.workspace = true` entries to resolve
    inherited: list[tuple[str, str, bool, str]] = field(default_factory=list)
    inherits_rust_version: bool = False
    workspace_path: str | None = None  # package.workspace, relative to the manifest's folder
    # when the manifest is a workspace root:
    is_workspace: bool = False
    members: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    workspace_deps: dict[str, Any] = field(default_factory=dict)
    workspace_rust_version: str | None = None


_kind = partial(kind_of, mapping="a table", sequence="an array")


def _table(parent: dict[str, Any], key: str, where: str, out: Manifest) -> dict[str, Any]:
    value = parent.get(key, {})
    if not isinstance(value, dict):
        out.warnings.append(f"{where}{key}: expected a table, found {_kind(value)}")
        return {}
    return value


def _strings(value: Any, where: str, out: Manifest) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        out.warnings.append(f"{where}: expected an array of strings, found {_kind(value)}")
        return []
    return value


def parse_cargo_toml(text: str, path: str) -> Manifest:
    """One Cargo.toml. Raises ParseError when it is not TOML at all."""
    return cargo_manifest(load_toml(text), path)


def cargo_manifest(data: dict[str, Any], path: str) -> Manifest:
    """`parse_cargo_toml` once the TOML is read: every value is checked for its type."""
    out = Manifest(path)
    package = _table(data, "package", "", out)
    if not package and "project" in data:  # the name before Cargo 1.0
        package = _table(data, "project", "", out)
    if isinstance(package.get("name"), str):
        out.package = package["name"]
    rust_version = package.get("rust-version")
    if isinstance(rust_version, str) and rust_version.strip():
        out.runtimes.append(Runtime("rust", rust_version.strip(), evidence=path))
    elif isinstance(rust_version, dict) and rust_version.get("workspace") is True:
        out.inherits_rust_version = True
    elif rust_version is not None:
        out.warnings.append(f"package.rust-version: expected a version string, found {_kind(rust_version)}")
    if isinstance(package.get("workspace"), str):
        out.workspace_path = package["workspace"]

    tables: list[tuple[str, dict[str, Any]]] = [("", data)]
    for target, body in _table(data, "target", "", out).items():
        if isinstance(body, dict):
            tables.append((f"target.{target}.", body))
        else:
            out.warnings.append(f"target.{target}: expected a table, found {_kind(body)}")
    for prefix, table in tables:
        for section, scope in SECTIONS:
            for key, spec in _table(table, section, prefix, out).items():
                _dependency(key, spec, scope, f"{prefix}{section}.{key}", out)

    if "workspace" in data:
        workspace = _table(data, "workspace", "", out)
        out.is_workspace = True
        if "members" in workspace:
            out.members = _strings(workspace["members"], "workspace.members", out)
        if "exclude" in workspace:
            out.exclude = _strings(workspace["exclude"], "workspace.exclude", out)
        out.workspace_deps = _table(workspace, "dependencies", "workspace.", out)
        shared = _table(workspace, "package", "workspace.", out)
        if isinstance(shared.get("rust-version"), str):
            out.workspace_rust_version = shared["rust-version"].strip() or None
    return out


def _dependency(key: str, spec: Any, scope: str, where: str, out: Manifest) -> None:
    if isinstance(spec, dict) and spec.get("workspace") is True:
        out.inherited.append((key, scope, spec.get("optional") is True, where))
        return
    found = dependency_spec(key, spec)
    if isinstance(found, str):
        out.warnings.append(f"{where}: {found}")
    elif found is not None:
        name, declared, optional = found
        out.dependencies.append(Dependency(ECOSYSTEM, name, declared, None, _scope(scope, optional), out.path))


def _scope(scope: str, optional: bool) -> str:
    """An optional runtime dependency (a feature turns it on) is optional; dev and build stay."""
    return "optional" if optional and scope == "runtime" else scope


def dependency_spec(key: str, spec: Any) -> tuple[str, str | None, bool] | str | None:
    """(crate, declared, optional) of one dependency entry; None for a path dependency (own code);
    a str is the problem with it."""
    if isinstance(spec, str):
        return key, spec.strip() or None, False
    if not isinstance(spec, dict):
        return f"expected a version string or a table, found {_kind(spec)}"
    name = spec.get("package", key)
    if not isinstance(name, str) or not name.strip():
        return f"package: expected a crate name, found {_kind(name)}"
    optional = spec.get("optional") is True
    version = spec.get("version")
    if version is not None and not isinstance(version, str):
        return f"version: expected a string, found {_kind(version)}"
    if "path" in spec:
        return None
    if version is None and isinstance(spec.get("git"), str):
        ref = next((spec[k] for k in ("tag", "rev", "branch") if isinstance(spec.get(k), str)), None)
        url = spec["git"] if spec["git"].startswith("git+") else f"git+{spec['git']}"
        return name.strip(), (f"{url}@{ref}" if ref else url), optional
    return name.strip(), (version.strip() or None) if version else None, optional


# --- workspaces -------------------------------------------------------------------------------


def _folder(path: str) -> str:
    return posixpath.dirname(path)


def _in_workspace(root: Manifest, folder: str) -> bool:
    """Does the workspace at `root` list the crate in `folder` among its members?"""
    base = _folder(root.path)
    relative = folder[len(base) :].lstrip("/") if base else folder
    if folder == base:
        return True
    if base and not folder.startswith(base + "/"):
        return False

    def listed(patterns: list[str]) -> bool:
        return any(fnmatch.fnmatchcase(relative, posixpath.normpath(p).rstrip("/")) for p in patterns)

    return listed(root.members) and not listed(root.exclude)


def workspace_root(manifest: Manifest, manifests: dict[str, Manifest]) -> Manifest | None:
    """The workspace a crate belongs to: the one `package.workspace` names, else the nearest
    workspace above that lists it, else the nearest workspace above (Cargo's search)."""
    folder = _folder(manifest.path)
    if manifest.workspace_path is not None:
        target = posixpath.normpath(posixpath.join(folder, manifest.workspace_path, "Cargo.toml"))
        return manifests.get(target)
    candidates = []
    here = folder
    while True:
        candidate = manifests.get(posixpath.join(here, "Cargo.toml") if here else "Cargo.toml")
        if candidate is not None and candidate.is_workspace:
            candidates.append(candidate)
        if not here:
            break
        here = _folder(here)
    listing = [c for c in candidates if _in_workspace(c, folder)]
    return (listing or candidates or [None])[0]


def resolve_workspace(manifest: Manifest, root: Manifest | None) -> None:
    """Fill in `key.workspace = true` entries and an inherited rust-version from the root."""
    for key, scope, optional, where in manifest.inherited:
        if root is None or key not in root.workspace_deps:
            manifest.warnings.append(f"{where}: workspace = true, but no workspace root declares {key}")
            continue
        found = dependency_spec(key, root.workspace_deps[key])
        if isinstance(found, str):
            manifest.warnings.append(f"{where}: workspace.dependencies.{key}: {found}")
        elif found is not None:
            name, declared, _ = found
            manifest.dependencies.append(
                Dependency(ECOSYSTEM, name, declared, None, _scope(scope, optional), manifest.path)
            )
    if manifest.inherits_rust_version and root is not None and root.workspace_rust_version:
        manifest.runtimes.append(Runtime("rust", root.workspace_rust_version, evidence=manifest.path))


# --- Cargo.lock -----------------------------------------------------------------------------


@dataclass
class CargoLock:
    versions: dict[str, set[str]]  # crate -> every version locked
    local: dict[str, list[str]]  # crate of this repository (no `source`) -> its `dependencies`

    def resolved(self, package: str | None, crate: str) -> str | None:
        """The version `crate` is locked at for the local crate `package` ("serde" when only one
        version is locked, "rand 0.8.5 (registry+...)" when several are)."""
        if package is not None and package in self.local:
            found = set()
            for entry in self.local[package]:
                words = entry.split()
                if words and words[0] == crate:
                    if len(words) >= 2:
                        found.add(words[1])
                    elif len(self.versions.get(crate, ())) == 1:
                        found |= self.versions[crate]
            return found.pop() if len(found) == 1 else None
        versions = self.versions.get(crate, set())
        return next(iter(versions)) if len(versions) == 1 else None


def parse_cargo_lock(text: str) -> CargoLock:
    """Cargo.lock's `[[package]]` entries. Raises ParseError when it is not a usable lock."""
    data = load_toml(text)
    packages = data.get("package", [])
    if not isinstance(packages, list):
        raise ParseError(f"package: expected an array of tables, found {_kind(packages)}")
    lock = CargoLock({}, {})
    for entry in packages:
        if not isinstance(entry, dict):
            continue
        name, version = entry.get("name"), entry.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            continue
        lock.versions.setdefault(name, set()).add(version)
        deps = entry.get("dependencies", [])
        if "source" not in entry and isinstance(deps, list):
            lock.local[name] = [d for d in deps if isinstance(d, str)]
    return lock


# --- rust-toolchain -------------------------------------------------------------------------


def parse_toolchain(text: str, path: str) -> Runtime:
    """rust-toolchain.toml's `toolchain.channel`, or a legacy rust-toolchain's one line.

    Raises ParseError when no channel is named."""
    stripped = text.strip()
    if posixpath.basename(path) == "rust-toolchain" and stripped and "\n" not in stripped and "=" not in stripped:
        return Runtime("rust", stripped, evidence=path)
    data = load_toml(text)
    toolchain = data.get("toolchain")
    channel = toolchain.get("channel") if isinstance(toolchain, dict) else None
    if not isinstance(channel, str) or not channel.strip():
        raise ParseError("names no toolchain channel ([toolchain] channel = ...)")
    return Runtime("rust", channel.strip(), evidence=path)


# --- the detector -------------------------------------------------------------------------------


def _lock_for(folder: str, locks: dict[str, CargoLock]) -> CargoLock | None:
    while True:
        if folder in locks:
            return locks[folder]
        if not folder:
            return None
        folder = _folder(folder)


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    manifests: dict[str, Manifest] = {}
    for path, text in manifest_texts(repo, ("Cargo.toml",), facts):
        try:
            manifests[path] = parse_cargo_toml(text, path)
        except ParseError as err:
            facts.warn(path, str(err))
    locks: dict[str, CargoLock] = {}
    for path, text in manifest_texts(repo, ("Cargo.lock",), facts):
        try:
            locks[_folder(path)] = parse_cargo_lock(text)
        except ParseError as err:
            facts.warn(path, str(err))
    for path, manifest in manifests.items():
        resolve_workspace(manifest, workspace_root(manifest, manifests))
        lock = _lock_for(_folder(path), locks)
        deps = manifest.dependencies
        if lock is not None:
            deps = [replace(d, resolved=lock.resolved(manifest.package, d.name)) for d in deps]
        facts.dependencies += deps
        facts.runtimes += manifest.runtimes
        for message in manifest.warnings:
            facts.warn(path, message)
    for path, text in manifest_texts(repo, TOOLCHAIN_FILES, facts):
        try:
            facts.runtimes.append(parse_toolchain(text, path))
        except ParseError as err:
            facts.warn(path, str(err))
    return facts
