"""Lock files of the JavaScript package managers other than npm: yarn (classic and berry), pnpm, bun.

Each parser is a pure function of the file's text that returns a lock answering two questions the
`javascript` detector asks for every package.json: does this lock cover the package folder
(`lists`, relative to the lock's folder, "" for the lock's own), and which version did it install
for a dependency declared there (`version`)? A file that is not a lock at all raises `ParseError`;
a broken entry inside a good lock becomes one of the lock's `warnings` and the rest still counts.

- `yarn.lock`, classic (v1): yarn's own format, parsed by hand: entries like
  `"react@^18.2.0", react@^18.0.0:` with an indented `version "18.2.0"`. A dependency resolves by
  its descriptor (name and range as package.json writes them), else by the one version the lock
  has for that name. Workspace members are not in a classic lock: the detector finds them from
  the `workspaces` field.
- `yarn.lock`, berry (v2+, told by its `__metadata` entry): YAML; keys like
  `"react@npm:^18.2.0, react@npm:^18.0.0"` (a range without a protocol is looked up with `npm:`),
  `version: 18.2.0`; workspace entries (`app@workspace:packages/app`) name the members, and their
  `0.0.0-use.local` is not a version.
- `pnpm-lock.yaml`, lockfileVersion 5.x, 6.x and 9.x: `importers` (`.` or a member's path) ->
  dependencies, devDependencies, optionalDependencies, each a version (5.x, beside `specifiers`)
  or `{specifier, version}` (6.x, 9.x); a lock without `importers` has those sections at the top.
  Peer suffixes (`18.2.0(react@18.2.0)`, 5.x's `18.2.0_react@18.2.0`) are stripped, aliases
  (`/string-width@4.2.3`, `string-width@4.2.3`, 5.x's `/string-width/4.2.3`) give their version,
  and `link:`/`file:` or a git or tarball source give none (the detector resolves a link to a
  workspace member from the member's package.json).
- `bun.lock` (bun 1.1.39+, JSON with comments and trailing commas): `workspaces` names the
  members, `packages` maps an install path (`react`, `@acme/ui/react`) to `["react@18.2.0", ...]`.
  The binary `bun.lockb` is not read.

`pnpm-workspace.yaml` is parsed here too (`parse_pnpm_workspace`): its `packages` globs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from collectors.detectors.parsing import ParseError, kind_of, load_json, load_yaml

#: A version a lock installed: semver, as npm, yarn, pnpm and bun write it.
VERSION_RE = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
#: What berry writes as the version of a workspace member: not a version.
BERRY_LOCAL = "0.0.0-use.local"
#: pnpm importer sections, in the order package.json's own sections are read.
PNPM_SECTIONS: tuple[str, ...] = ("dependencies", "devDependencies", "optionalDependencies")
#: Warnings one lock keeps; a lock broken on every line says so once, not ten thousand times.
MAX_WARNINGS = 20


_kind = kind_of


def _folder(path: str) -> str:
    """A member path as the locks write it (`.`, `./packages/a/`) as the detector's ("", `packages/a`)."""
    path = path.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    path = path.strip("/")
    return "" if path == "." else path


def split_descriptor(descriptor: str) -> tuple[str, str] | None:
    """("@scope/name", "range") from "@scope/name@range"; None when there is no name or range."""
    descriptor = descriptor.strip()
    at = descriptor.find("@", 1)
    if at <= 0 or at == len(descriptor) - 1:
        return None
    return descriptor[:at], descriptor[at + 1 :]


def _is_version(value: str) -> bool:
    return VERSION_RE.fullmatch(value) is not None


@dataclass
class _Warnings:
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append("more problems not listed")


# --- yarn ---------------------------------------------------------------------------------------


@dataclass
class YarnLock(_Warnings):
    """name -> {range as the lock writes it -> version}, and the workspace folders (berry only)."""

    berry: bool = False
    descriptors: dict[str, dict[str, str]] = field(default_factory=dict)
    workspaces: set[str] = field(default_factory=set)

    def lists(self, folder: str) -> bool:
        return folder in self.workspaces

    def version(self, folder: str, name: str, declared: str | None) -> str | None:
        ranges = self.descriptors.get(name)
        if not ranges:
            return None
        if declared:
            for candidate in (declared, f"npm:{declared}") if self.berry else (declared,):
                if candidate in ranges:
                    return ranges[candidate]
        versions = set(ranges.values())
        return versions.pop() if len(versions) == 1 else None

    def _add(self, descriptor: str, version: str) -> bool:
        found = split_descriptor(descriptor)
        if found is None:
            return False
        name, range_ = found
        if _is_version(version) and version != BERRY_LOCAL:
            self.descriptors.setdefault(name, {})[range_] = version
        return True


_QUOTED_OR_BARE = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|([^,"]+))\s*(?:,|$)')
_CLASSIC_VERSION = re.compile(r'version:?\s+"?([^"\s]*)"?\s*')


def _classic_descriptors(header: str) -> list[str] | None:
    """The descriptors of a classic entry's header (`"a@^1", a@^1.2` without the colon)."""
    out: list[str] = []
    pos = 0
    while pos < len(header):
        match = _QUOTED_OR_BARE.match(header, pos)
        if match is None or match.end() == pos:
            return None
        out.append(match.group(1) if match.group(1) is not None else match.group(2).strip())
        pos = match.end()
    return out or None


def parse_yarn_lock(text: str) -> YarnLock:
    """yarn.lock, classic or berry (told by its `__metadata` entry). Raises ParseError."""
    if re.search(r"^[\"']?__metadata[\"']?:", text, re.MULTILINE):
        return _parse_berry(text)
    return _parse_classic(text)


def _parse_classic(text: str) -> YarnLock:
    lock = YarnLock()
    entries = 0
    current: list[str] | None = None  # descriptors of the entry being read
    current_line = 0
    has_version = False

    def close() -> None:
        if current is not None and not has_version:
            lock.warn(f"line {current_line}: entry without a version")

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if line[:1] == "\t":
            lock.warn(f"line {number}: indented with a tab")
            continue
        if indent == 0:
            close()
            current, has_version, current_line = None, False, number
            if not stripped.endswith(":"):
                lock.warn(f"line {number}: not a lock entry (expected `name@range:`)")
                continue
            descriptors = _classic_descriptors(stripped[:-1])
            if descriptors is None or any(split_descriptor(d) is None for d in descriptors):
                lock.warn(f"line {number}: {stripped[:-1][:80]!r} does not name packages as name@range")
                continue
            current = descriptors
            entries += 1
        elif indent == 2 and current is not None and stripped.startswith("version"):
            match = _CLASSIC_VERSION.fullmatch(stripped)
            if match is None:
                continue  # "versionFoo ..." is another field
            has_version = True
            version = match.group(1)
            if not version:
                lock.warn(f"line {number}: an empty version")
                continue
            for descriptor in current:
                lock._add(descriptor, version)
    close()
    if entries == 0 and lock.warnings:
        raise ParseError(f"not a yarn.lock: {lock.warnings[0]}")
    return lock


def _parse_berry(text: str) -> YarnLock:
    data = load_yaml(text)
    if not isinstance(data, dict):
        raise ParseError(f"expected a mapping at the top, found {_kind(data)}")
    lock = YarnLock(berry=True)
    for key, entry in data.items():
        if key == "__metadata":
            continue
        if not isinstance(key, str) or not isinstance(entry, dict):
            lock.warn(f"{str(key)[:80]!r}: expected `descriptor: {{version: ...}}`")
            continue
        version = entry.get("version")
        if not isinstance(version, str):
            lock.warn(f"{key[:80]}: version: expected a string, found {_kind(version)}")
            continue
        for descriptor in key.split(","):
            if not lock._add(descriptor.strip(), version.strip()):
                lock.warn(f"{descriptor.strip()[:80]!r} does not name a package as name@range")
        resolution = (
            split_descriptor(entry.get("resolution") or "") if isinstance(entry.get("resolution"), str) else None
        )
        if resolution is not None and resolution[1].startswith("workspace:"):  # app@workspace:packages/app
            lock.workspaces.add(_folder(resolution[1][len("workspace:") :]))
    return lock


# --- pnpm ---------------------------------------------------------------------------------------


@dataclass
class PnpmLock(_Warnings):
    """importer folder ("" for the lock's own) -> name -> version (None when not a version)."""

    importers: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def lists(self, folder: str) -> bool:
        return folder in self.importers

    def version(self, folder: str, name: str, declared: str | None) -> str | None:
        return self.importers.get(folder, {}).get(name)


def pnpm_version(raw: str) -> str | None:
    """The installed version in a pnpm importer's `version`; None for a link, a file, git, a URL."""
    raw = raw.strip()
    if raw.startswith(("link:", "file:", "workspace:")):
        return None
    value = raw.split("(", 1)[0]  # 6.x, 9.x: 18.2.0(react@18.2.0)
    value = value.split("_", 1)[0]  # 5.x: 18.2.0_react@18.2.0
    at, slash = value.rfind("@"), value.rfind("/")
    if at > 0 and at > slash:  # an alias: string-width@4.2.3, /string-width@4.2.3
        value = value[at + 1 :]
    elif slash >= 0:  # 5.x alias: /string-width/4.2.3
        value = value[slash + 1 :]
    return value if _is_version(value) else None


def parse_pnpm_lock(text: str) -> PnpmLock:
    """pnpm-lock.yaml, lockfileVersion 5.x, 6.x or 9.x. Raises ParseError."""
    documents = load_yaml(text, all_documents=True)
    # pnpm 10 may write an environment lock as a first document; the project's is the last one
    found = [d for d in documents if isinstance(d, dict) and "lockfileVersion" in d]
    if not found:
        raise ParseError("no lockfileVersion: not a pnpm-lock.yaml")
    data = found[-1]
    lock = PnpmLock()
    importers = data.get("importers")
    if importers is None:
        lock.importers[""] = _pnpm_importer(data, "", lock)
    elif isinstance(importers, dict):
        for folder, body in importers.items():
            if not isinstance(folder, str) or not isinstance(body, dict):
                lock.warn(f"importers.{folder}: expected a mapping, found {_kind(body)}")
                continue
            lock.importers[_folder(folder)] = _pnpm_importer(body, f"importers.{folder}.", lock)
    else:
        raise ParseError(f"importers: expected a mapping, found {_kind(importers)}")
    return lock


def _pnpm_importer(body: dict[Any, Any], where: str, lock: PnpmLock) -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for section in PNPM_SECTIONS:
        deps = body.get(section)
        if deps is None:
            continue
        if not isinstance(deps, dict):
            lock.warn(f"{where}{section}: expected a mapping, found {_kind(deps)}")
            continue
        for name, entry in deps.items():
            raw = entry.get("version") if isinstance(entry, dict) else entry  # 6.x, 9.x : 5.x
            if not isinstance(name, str):  # `yes:` unquoted is a YAML 1.1 boolean
                lock.warn(f"{where}{section}: {name!r} is not a package name (quote it)")
                continue
            if not isinstance(raw, str):
                lock.warn(f"{where}{section}.{name}: expected a version, found {_kind(raw)}")
                continue
            versions[name] = pnpm_version(raw)
    return versions


def parse_pnpm_workspace(text: str) -> list[str]:
    """pnpm-workspace.yaml: the `packages` globs (`!` ones exclude). Raises ParseError."""
    data = load_yaml(text)
    if data is None:
        return []
    if not isinstance(data, dict):
        raise ParseError(f"expected a mapping at the top, found {_kind(data)}")
    packages = data.get("packages", [])
    if packages is None:
        return []
    if not isinstance(packages, list) or not all(isinstance(p, str) for p in packages):
        raise ParseError("packages: expected a list of folder globs")
    return packages


# --- bun ----------------------------------------------------------------------------------------

_JSONC_COMMENTS = re.compile(r'("(?:[^"\\\n]|\\.)*")|//[^\n]*|/\*.*?\*/', re.DOTALL)
_JSONC_TRAILING_COMMAS = re.compile(r'("(?:[^"\\\n]|\\.)*")|,(\s*[}\]])')


def jsonc_to_json(text: str) -> str:
    """JSON with comments and trailing commas (bun.lock, tsconfig) as plain JSON; strings kept."""
    text = _JSONC_COMMENTS.sub(lambda m: m.group(1) or " ", text)
    return _JSONC_TRAILING_COMMAS.sub(lambda m: m.group(1) or m.group(2), text)


@dataclass
class BunLock(_Warnings):
    """Workspace folder -> its package name, and install path -> version."""

    members: dict[str, str | None] = field(default_factory=dict)
    packages: dict[str, str | None] = field(default_factory=dict)

    def lists(self, folder: str) -> bool:
        return folder in self.members

    def version(self, folder: str, name: str, declared: str | None) -> str | None:
        member = self.members.get(folder)
        if folder and member and f"{member}/{name}" in self.packages:  # the member's own copy
            return self.packages[f"{member}/{name}"]
        return self.packages.get(name)


def parse_bun_lock(text: str) -> BunLock:
    """bun.lock (text, JSONC). Raises ParseError."""
    data = load_json(jsonc_to_json(text))
    if not isinstance(data, dict) or "lockfileVersion" not in data:
        raise ParseError("no lockfileVersion: not a bun.lock")
    lock = BunLock()
    workspaces = data.get("workspaces", {})
    packages = data.get("packages", {})
    if not isinstance(workspaces, dict) or not isinstance(packages, dict):
        raise ParseError("workspaces and packages: expected objects")
    for folder, body in workspaces.items():
        name = body.get("name") if isinstance(body, dict) else None
        lock.members[_folder(folder)] = name if isinstance(name, str) else None
    for path, entry in packages.items():
        ident = entry[0] if isinstance(entry, list) and entry else None
        found = split_descriptor(ident) if isinstance(ident, str) else None
        if found is None:
            lock.warn(f'packages.{path[:80]}: expected ["name@version", ...]')
            continue
        lock.packages[path] = found[1] if _is_version(found[1]) else None
    return lock
