""".NET (NuGet): project files, central package management, packages.config, the target frameworks.

- `*.csproj` / `*.fsproj` / `*.vbproj` anywhere outside vendored code: every
  `<PackageReference Include="X" Version="1.2.3" />` (also a `<Version>` child element, a
  `VersionOverride`, and `Include="A;B"` lists). A reference without a version takes it from an
  `Update="X"` item of the same file or of a Directory.Build.props above it, else from the nearest
  `Directory.Packages.props` (central package management: `<PackageVersion Include Version>`).
  `$(Property)` in a version or a framework is substituted from the project's own unconditional
  properties and those of the Directory.Build.props files above it (nearer ones win).
  The scope is test for a test project (`<IsTestProject>true` or a reference to
  Microsoft.NET.Test.Sdk), build for `PrivateAssets="all"` (analyzers, SourceLink: never shipped),
  runtime otherwise.
- `<TargetFramework>net8.0</TargetFramework>` / `<TargetFrameworks>net8.0;net472</...>` (and the
  old `<TargetFrameworkVersion>v4.7.2`) are dotnet runtimes, one per framework, as written.
- `Directory.Build.props` is read like a project: its references and frameworks apply to every
  project below it and are reported once, with the props file as manifest.
- `Directory.Packages.props`: its `<GlobalPackageReference>` items are dependencies of every
  project (build scope); its `<PackageVersion>` items are versions, not dependencies.
- `packages.config` (the pre-2017 format): `<package id version>`, exact versions, so declared and
  resolved; `developmentDependency="true"` is dev.
- `packages.lock.json` beside a project fills `resolved` (when every framework agrees).
- `global.json`: `sdk.version` is the dotnet runtime too (the SDK version, as written).

Package ids are reported as written; they are matched without regard to case, as NuGet does.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Any

from collectors.detectors.parsing import ParseError, load_json, load_xml, manifest_texts, read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "nuget"
PROJECT_GLOBS: tuple[str, ...] = ("*.csproj", "*.fsproj", "*.vbproj")
BUILD_PROPS = "Directory.Build.props"
PACKAGES_PROPS = "Directory.Packages.props"
WANTS: tuple[str, ...] = (
    *PROJECT_GLOBS,
    BUILD_PROPS,
    PACKAGES_PROPS,
    "packages.config",
    "packages.lock.json",
    "global.json",
)

#: Elements that name the frameworks a project targets.
FRAMEWORK_PROPERTIES: tuple[str, ...] = ("targetframework", "targetframeworks", "targetframeworkversion")
#: `<Choose>` inside `<Choose>` deeper than this is refused (MSBuild files nest two or three).
MAX_CHOOSE_DEPTH = 32
#: A reference to one of these makes the project a test project.
TEST_SDKS = frozenset({"microsoft.net.test.sdk"})

#: The solution-level packages/ folder of packages.config projects: installed packages, not ours.
_NUGET_PACKAGES_RE = re.compile(r"(^|/)packages/[^/]+\.\d+[^/]*/")
_PROPERTY_RE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


@dataclass(frozen=True)
class Reference:
    name: str
    version: str | None
    private: bool  # PrivateAssets="all"


@dataclass
class Project:
    """What one MSBuild file (project or props) says, before properties are substituted."""

    path: str
    properties: dict[str, str] = field(default_factory=dict)  # lower-case name -> value
    frameworks: list[str] = field(default_factory=list)  # as written, may hold $(X)
    references: list[Reference] = field(default_factory=list)
    updates: dict[str, str] = field(default_factory=dict)  # lower-case id -> version of Update= items
    package_versions: dict[str, str] = field(default_factory=dict)  # lower-case id -> PackageVersion
    global_references: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _local(tag: Any) -> str:
    """An element's name without its namespace, lower case (old projects use the MSBuild 2003 one)."""
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _attr(element: Any, name: str) -> str | None:
    for key, value in element.attrib.items():
        if key.lower() == name:
            return value
    return None


def _child_text(element: Any, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name and child.text is not None:
            return child.text
    return None


def _metadata(element: Any, name: str) -> str | None:
    """Item metadata written as an attribute or as a child element."""
    value = _attr(element, name)
    if value is None:
        value = _child_text(element, name)
    return value.strip() if value is not None and value.strip() else None


def parse_project(text: str, path: str) -> Project:
    """A project file or a Directory.*.props. Raises ParseError when it is not an MSBuild file."""
    root = load_xml(text)
    if _local(root.tag) != "project":
        raise ParseError(f"expected a <Project> root element, found <{_local(root.tag)}>")
    out = Project(path)
    _groups(root, out, conditional=False, depth=0)
    return out


def _groups(parent: Any, out: Project, conditional: bool, depth: int) -> None:
    """The property and item groups under `parent`, and under `<Choose>` branches (conditional);
    groups inside a `<Target>` run only when it does, and are left out."""
    if depth > MAX_CHOOSE_DEPTH:
        raise ParseError(f"not read: <Choose> nested over {MAX_CHOOSE_DEPTH} deep")
    for group in parent:
        kind = _local(group.tag)
        if kind == "propertygroup":
            unconditional = not conditional and _attr(group, "condition") is None
            for prop in group:
                name = _local(prop.tag)
                value = (prop.text or "").strip()
                if name in FRAMEWORK_PROPERTIES and value:
                    out.frameworks += [f.strip() for f in value.split(";") if f.strip()]
                if name and unconditional and _attr(prop, "condition") is None:
                    out.properties[name] = value
        elif kind == "itemgroup":
            for item in group:
                _item(item, out)
        elif kind == "choose":
            for branch in group:
                if _local(branch.tag) in ("when", "otherwise"):
                    _groups(branch, out, conditional=True, depth=depth + 1)


def _item(item: Any, out: Project) -> None:
    kind = _local(item.tag)
    if kind not in ("packagereference", "packageversion", "globalpackagereference"):
        return
    include, update = _attr(item, "include"), _attr(item, "update")
    version = _metadata(item, "versionoverride") or _metadata(item, "version")
    private = (_metadata(item, "privateassets") or "").lower() == "all"
    if include is None and update is None:
        if _attr(item, "remove") is None:  # Remove="X" takes a reference away: nothing to report
            out.warnings.append(f"<{item.tag.rsplit('}', 1)[-1]}> without Include or Update")
        return
    names = [n.strip() for n in (include if include is not None else update or "").split(";") if n.strip()]
    for name in names:
        if include is None:  # Update="X": a version for X included elsewhere
            if version is not None:
                out.updates[name.lower()] = version
        elif kind == "packageversion":
            if version is None:
                out.warnings.append(f"PackageVersion {name}: no Version")
            else:
                out.package_versions[name.lower()] = version
        elif kind == "globalpackagereference":
            out.global_references.append(Reference(name, version, True))
        else:
            out.references.append(Reference(name, version, private))


def substitute(value: str, properties: dict[str, str]) -> str:
    """`$(Name)` replaced by the property's value (names compared without case); unknown left."""
    for _ in range(8):  # properties may name properties; a cycle stops here
        new = _PROPERTY_RE.sub(lambda m: properties.get(m.group(1).lower(), m.group(0)), value)
        if new == value:
            break
        value = new
    return value


def _is_true(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "true"


@dataclass
class Context:
    """What the files above a project give it: properties, Update versions, central versions."""

    properties: dict[str, str] = field(default_factory=dict)
    updates: dict[str, str] = field(default_factory=dict)
    central: dict[str, str] = field(default_factory=dict)


def project_facts(
    project: Project, context: Context, locked: dict[str, str] | None = None
) -> tuple[list[Dependency], list[Runtime]]:
    """The dependencies and frameworks of one project, with what the files above it give."""
    properties = {**context.properties, **project.properties}
    updates = {**context.updates, **project.updates}
    is_test = _is_true(properties.get("istestproject")) or any(r.name.lower() in TEST_SDKS for r in project.references)
    deps: list[Dependency] = []
    for ref in project.references:
        version = ref.version or updates.get(ref.name.lower()) or context.central.get(ref.name.lower())
        declared = substitute(version, properties).strip() or None if version else None
        scope = "test" if is_test else "build" if ref.private else "runtime"
        resolved = (locked or {}).get(ref.name.lower())
        deps.append(Dependency(ECOSYSTEM, ref.name, declared, resolved, scope, project.path))
    for ref in project.global_references:
        declared = substitute(ref.version, properties).strip() or None if ref.version else None
        deps.append(Dependency(ECOSYSTEM, ref.name, declared, None, "build", project.path))
    runtimes = []
    for framework in project.frameworks:
        for name in substitute(framework, properties).split(";"):
            if name.strip():
                runtimes.append(Runtime("dotnet", name.strip(), evidence=project.path))
    return deps, runtimes


# --- the other formats ------------------------------------------------------------------------


def parse_packages_config(text: str, path: str) -> tuple[list[Dependency], list[str]]:
    """packages.config: one exact version per `<package>`. Raises ParseError when not one."""
    root = load_xml(text)
    if _local(root.tag) != "packages":
        raise ParseError(f"expected a <packages> root element, found <{_local(root.tag)}>")
    deps: list[Dependency] = []
    warnings: list[str] = []
    for item in root:
        if _local(item.tag) != "package":
            continue
        name, version = _attr(item, "id"), _attr(item, "version")
        if not name or not name.strip():
            warnings.append("<package> without an id")
            continue
        version = version.strip() or None if version else None
        scope = "dev" if _is_true(_attr(item, "developmentdependency")) else "runtime"
        deps.append(Dependency(ECOSYSTEM, name.strip(), version, version, scope, path))
    return deps, warnings


_JSON_COMMENT_RE = re.compile(r'"(?:[^"\\]|\\.)*"|//[^\n]*|/\*.*?\*/', re.DOTALL)


def parse_global_json(text: str, path: str) -> Runtime | None:
    """global.json's `sdk.version` (the file may hold comments, as the SDK allows).

    Raises ParseError when it is not JSON; None when it pins no SDK."""
    data = load_json(_JSON_COMMENT_RE.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text))
    if not isinstance(data, dict):
        raise ParseError("expected an object at the top")
    sdk = data.get("sdk")
    version = sdk.get("version") if isinstance(sdk, dict) else None
    if version is None:
        return None
    if not isinstance(version, str) or not version.strip():
        raise ParseError("sdk.version: expected a version string")
    return Runtime("dotnet", version.strip(), evidence=path)


def parse_packages_lock(text: str) -> dict[str, str]:
    """packages.lock.json: lower-case id -> the version resolved for a direct dependency, when
    every target framework resolves the same one. Raises ParseError when it is not a lock."""
    data = load_json(text)
    frameworks = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(frameworks, dict):
        raise ParseError("no `dependencies` object: not a NuGet packages.lock.json")
    found: dict[str, set[str]] = {}
    for packages in frameworks.values():
        if not isinstance(packages, dict):
            continue
        for name, entry in packages.items():
            if isinstance(entry, dict) and entry.get("type") == "Direct" and isinstance(entry.get("resolved"), str):
                found.setdefault(name.lower(), set()).add(entry["resolved"])
    return {name: versions.pop() for name, versions in found.items() if len(versions) == 1}


# --- the detector -------------------------------------------------------------------------------


def excluded(path: str) -> bool:
    return manifest_excluded(path) or _NUGET_PACKAGES_RE.search(path) is not None


def _ancestors(folder: str) -> list[str]:
    """The folder and every folder above it, nearest first ("" is the root)."""
    out = [folder]
    while folder:
        folder = posixpath.dirname(folder)
        out.append(folder)
    return out


def _at(folder: str, name: str) -> str:
    return posixpath.join(folder, name) if folder else name


def _read_project(repo: RepoView, path: str, facts: Facts) -> Project | None:
    text = read_text(repo, path, facts)
    if text is None:
        return None
    try:
        project = parse_project(text, path)
    except ParseError as err:
        facts.warn(path, str(err))
        return None
    for message in project.warnings:
        facts.warn(path, message)
    return project


def _context(folder: str, props: dict[str, Project], central: dict[str, Project], own: bool) -> Context:
    """What the Directory.Build.props above `folder` and its nearest Directory.Packages.props give;
    `own` leaves out the props file in `folder` itself (a props file does not import itself)."""
    context = Context()
    for here in reversed(_ancestors(folder)[1 if own else 0 :]):  # farthest first: nearer ones win
        found = props.get(_at(here, BUILD_PROPS))
        if found is not None:
            context.properties.update(found.properties)
            context.updates.update(found.updates)
    for here in _ancestors(folder):
        found = central.get(_at(here, PACKAGES_PROPS))
        if found is not None:
            context.central = found.package_versions
            context.properties = {**found.properties, **context.properties}
            break
    return context


def _read_all(repo: RepoView, globs: tuple[str, ...], facts: Facts) -> dict[str, Project]:
    found: dict[str, Project] = {}
    for path in repo.matching(globs):
        if not excluded(path):
            project = _read_project(repo, path, facts)
            if project is not None:
                found[path] = project
    return found


def _lock(repo: RepoView, folder: str, facts: Facts) -> dict[str, str] | None:
    path = _at(folder, "packages.lock.json")
    if not repo.exists(path):
        return None
    text = read_text(repo, path, facts)
    if text is None:
        return None
    try:
        return parse_packages_lock(text)
    except ParseError as err:
        facts.warn(path, str(err))
        return None


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    props = _read_all(repo, (BUILD_PROPS,), facts)
    central = _read_all(repo, (PACKAGES_PROPS,), facts)
    for path, project in props.items():
        deps, runtimes = project_facts(project, _context(posixpath.dirname(path), props, central, own=True))
        facts.dependencies += deps
        facts.runtimes += runtimes
    for project in central.values():
        deps, _ = project_facts(replace(project, frameworks=[]), Context(properties=dict(project.properties)))
        facts.dependencies += deps
    for path, project in _read_all(repo, PROJECT_GLOBS, facts).items():
        folder = posixpath.dirname(path)
        deps, runtimes = project_facts(project, _context(folder, props, central, own=False), _lock(repo, folder, facts))
        facts.dependencies += deps
        facts.runtimes += runtimes
    for path, text in manifest_texts(repo, ("packages.config",), facts, excluded):
        try:
            deps, warnings = parse_packages_config(text, path)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        facts.dependencies += deps
        for message in warnings:
            facts.warn(path, message)
    for path, text in manifest_texts(repo, ("global.json",), facts, excluded):
        try:
            runtime = parse_global_json(text, path)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        if runtime is not None:
            facts.runtimes.append(runtime)
    return facts
