"""Maven: pom.xml dependencies, plugins, parents and BOMs, and the Java and Kotlin versions asked for.

- `pom.xml` anywhere outside vendored code, with or without the POM namespace. Each POM reports
  what it writes itself, resolved the way Maven resolves it within the repository:
  - `<dependencies>` as `groupId:artifactId`: scope compile (the default), runtime, provided and
    system -> runtime, test -> test; `<optional>true</optional>` -> optional (a test dependency
    stays test);
  - `<parent>` -> scope build (`org.springframework.boot:spring-boot-starter-parent`);
  - BOM imports in `<dependencyManagement>` (`<type>pom</type><scope>import</scope>`) -> build;
  - `<build><plugins>` -> plugin (groupId `org.apache.maven.plugins` when none is written).
- Versions: `${...}` properties are expanded from the POM's own `<properties>` and those of its
  parents found in the repository (`<relativePath>`, default `../pom.xml`, else by coordinates),
  with `${project.version}`, `${project.parent.version}`, `${project.groupId}` and their old
  `pom.` spellings. A dependency or plugin written without a version takes it from
  `<dependencyManagement>` / `<pluginManagement>` of the POM, its in-repository parents and the
  BOMs of the repository it imports (evaluated in the child, as Maven does). A version nobody in
  the repository gives (an external parent's, like Spring Boot's) stays None; a property nobody
  defines stays as written (`${jackson.version}`).
- The repository's own modules (POMs found in it, by `groupId:artifactId`) are not dependencies:
  a dependency, parent or BOM naming one is left out, as path dependencies are elsewhere.
- `<modules>` naming a folder without a pom.xml is a warning (the build would fail).
- Runtimes, from what the POM writes itself (a child inheriting its parent's setting does not
  repeat it): Java from `<release>` / `<target>` / `<source>` of maven-compiler-plugin and the
  `maven.compiler.release` / `.target` / `.source` and `java.version` properties (first found, in
  that order); Kotlin from `kotlin.version`; Scala from `scala.version`.
- `.mvn/wrapper/maven-wrapper.properties`: the Maven version of `distributionUrl`, as
  Dependency(maven, "maven", scope build), beside the Gradle and sbt versions.

Not read: `<profiles>` (their dependencies and modules are conditional), plugin-level
`<dependencies>`, `<reporting>` plugins, settings.xml, and POMs outside the repository.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from collectors.detectors.parsing import ParseError, load_xml, manifest_texts, read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "maven"
WRAPPER_FILE = "maven-wrapper.properties"
WANTS: tuple[str, ...] = ("pom.xml", WRAPPER_FILE)

#: A dependency's `<scope>` and ours; compile is Maven's default.
SCOPES: dict[str, str] = {
    "compile": "runtime",
    "runtime": "runtime",
    "provided": "runtime",
    "system": "runtime",
    "test": "test",
    "import": "build",
}
DEFAULT_PLUGIN_GROUP = "org.apache.maven.plugins"
COMPILER_PLUGIN = (DEFAULT_PLUGIN_GROUP, "maven-compiler-plugin")

#: Where a POM names a runtime, most telling first: ("plugin", x) is maven-compiler-plugin's
#: `<configuration><x>`, ("property", x) a `<properties>` entry.
RUNTIME_SIGNALS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "java",
        (
            ("plugin", "release"),
            ("property", "maven.compiler.release"),
            ("plugin", "target"),
            ("property", "maven.compiler.target"),
            ("plugin", "source"),
            ("property", "maven.compiler.source"),
            ("property", "java.version"),
        ),
    ),
    ("kotlin", (("property", "kotlin.version"),)),
    ("scala", (("property", "scala.version"),)),
)

_PROPERTY_RE = re.compile(r"\$\{([^{}]+)\}")
#: An expanded value longer than this is refused (properties that double at each level).
MAX_VALUE_LENGTH = 4096
_MAX_DEPTH = 32

_WRAPPER_URL_RE = re.compile(r"^[ \t]*distributionUrl[ \t]*[=:][ \t]*(\S+)", re.MULTILINE)
_MAVEN_DIST_RE = re.compile(r"apache-maven-([^/]+?)-bin\.(?:zip|tar\.gz)$")


@dataclass(frozen=True)
class Coordinates:
    """One `<dependency>`, `<plugin>` or `<parent>` as written (properties not yet expanded)."""

    group: str | None
    artifact: str | None
    version: str | None = None
    scope: str | None = None
    type: str | None = None
    classifier: str | None = None
    optional: bool = False
    relative_path: str | None = None  # <parent> only; "" says "do not look in the file system"

    def key(self) -> tuple[str, str, str, str]:
        """What `<dependencyManagement>` matches on: groupId, artifactId, type and classifier."""
        return (self.group or "", self.artifact or "", self.type or "jar", self.classifier or "")

    @property
    def name(self) -> str:
        return f"{self.group}:{self.artifact}"


@dataclass
class Pom:
    """One pom.xml as written."""

    path: str
    group: str | None = None
    artifact: str | None = None
    version: str | None = None
    parent: Coordinates | None = None
    properties: dict[str, str] = field(default_factory=dict)
    dependencies: list[Coordinates] = field(default_factory=list)
    managed: list[Coordinates] = field(default_factory=list)
    plugins: list[Coordinates] = field(default_factory=list)
    managed_plugins: list[Coordinates] = field(default_factory=list)
    compiler: dict[str, str] = field(default_factory=dict)  # release/target/source of the compiler plugin
    modules: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def effective_group(self) -> str | None:
        return self.group or (self.parent.group if self.parent else None)

    @property
    def effective_version(self) -> str | None:
        return self.version or (self.parent.version if self.parent else None)


# --- reading one POM --------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    """An element's name without its namespace (`{http://maven.apache.org/POM/4.0.0}project`)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Any, name: str) -> Any:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _all(element: Any, *path: str) -> list[Any]:
    """Every element at `path` below `element` (`"dependencies", "dependency"`)."""
    found = [element]
    for name in path:
        found = [child for parent in found for child in parent if _local(child.tag) == name]
    return found


def _text(element: Any, name: str) -> str | None:
    child = _child(element, name)
    if child is None:
        return None
    value = (child.text or "").strip()
    return value or None


def _coordinates(element: Any) -> Coordinates:
    relative = _child(element, "relativePath")
    return Coordinates(
        group=_text(element, "groupId"),
        artifact=_text(element, "artifactId"),
        version=_text(element, "version"),
        scope=_text(element, "scope"),
        type=_text(element, "type"),
        classifier=_text(element, "classifier"),
        optional=(_text(element, "optional") or "").lower() == "true",
        relative_path=None if relative is None else (relative.text or "").strip(),
    )


def _listed(elements: list[Any], where: str, out: Pom, *, default_group: str | None = None) -> list[Coordinates]:
    """The coordinates of `elements`; one without an artifactId (or groupId) is a warning."""
    found: list[Coordinates] = []
    for number, element in enumerate(elements, start=1):
        coordinates = _coordinates(element)
        if coordinates.group is None and default_group is not None:
            coordinates = replace(coordinates, group=default_group)
        missing = [
            tag for tag, value in (("groupId", coordinates.group), ("artifactId", coordinates.artifact)) if not value
        ]
        if missing:
            out.warnings.append(f"{where}[{number}]: no {' or '.join(missing)}")
            continue
        found.append(coordinates)
    return found


def parse_pom(text: str, path: str) -> Pom:
    """One pom.xml as written. Raises ParseError when it is not XML or not a Maven POM."""
    root = load_xml(text)
    if _local(root.tag) != "project":
        raise ParseError(f"not a Maven POM: the root element is <{_local(root.tag)}>, not <project>")
    pom = Pom(path, _text(root, "groupId"), _text(root, "artifactId"), _text(root, "version"))
    parent = _child(root, "parent")
    if parent is not None:
        listed = _listed([parent], "parent", pom)
        pom.parent = listed[0] if listed else None
    properties = _child(root, "properties")
    for prop in properties if properties is not None else ():
        name = _local(prop.tag)
        if name:
            pom.properties[name] = (prop.text or "").strip()
    pom.dependencies = _listed(_all(root, "dependencies", "dependency"), "dependencies/dependency", pom)
    pom.managed = _listed(
        _all(root, "dependencyManagement", "dependencies", "dependency"), "dependencyManagement/dependency", pom
    )
    pom.plugins = _listed(
        _all(root, "build", "plugins", "plugin"), "build/plugins/plugin", pom, default_group=DEFAULT_PLUGIN_GROUP
    )
    managed_plugins = _all(root, "build", "pluginManagement", "plugins", "plugin")
    pom.managed_plugins = _listed(
        managed_plugins, "build/pluginManagement/plugin", pom, default_group=DEFAULT_PLUGIN_GROUP
    )
    # maven-compiler-plugin settings: <plugins> before <pluginManagement>
    for element in [*_all(root, "build", "plugins", "plugin"), *managed_plugins]:
        if (_text(element, "groupId") or DEFAULT_PLUGIN_GROUP, _text(element, "artifactId")) != COMPILER_PLUGIN:
            continue
        configuration = _child(element, "configuration")
        for setting in ("release", "target", "source"):
            value = _text(configuration, setting) if configuration is not None else None
            if value is not None:
                pom.compiler.setdefault(setting, value)
    pom.modules = [m.text.strip() for m in _all(root, "modules", "module") if m.text and m.text.strip()]
    return pom


# --- properties -------------------------------------------------------------------------------------


class _Context:
    """The properties a POM sees: its own over its parents', and the model's `project.*` values."""

    def __init__(self, properties: dict[str, str], model: dict[str, str]) -> None:
        self._properties = properties
        self._model = model
        self._memo: dict[str, str | None] = {}

    def _raw(self, name: str) -> str | None:
        for prefix in ("project.", "pom."):
            if name.startswith(prefix) and name[len(prefix) :] in self._model:
                return self._model[name[len(prefix) :]]
        if name in self._properties:
            return self._properties[name]
        return self._model.get(name)  # the deprecated bare ${version}

    def value(self, name: str, active: frozenset[str] = frozenset()) -> str | None:
        """The property fully expanded; None when undefined or too long. A circular reference
        stays as written. Every result is remembered, so doubling chains cost linear time."""
        if name in self._memo:
            return self._memo[name]
        raw = self._raw(name)
        if raw is None or name in active or len(active) > _MAX_DEPTH:
            return None
        expanded = self.expand(raw, active | {name})
        result = expanded if expanded is not None and len(expanded) <= MAX_VALUE_LENGTH else None
        self._memo[name] = result
        return result

    def expand(self, text: str | None, active: frozenset[str] = frozenset()) -> str | None:
        """`text` with every `${name}` the context knows replaced; unknown ones stay as written."""
        if text is None or "${" not in text:
            return text

        def one(match: re.Match[str]) -> str:
            found = self.value(match.group(1).strip(), active)
            return match.group(0) if found is None else found

        expanded = _PROPERTY_RE.sub(one, text)
        return text if len(expanded) > MAX_VALUE_LENGTH else expanded

    def coordinates(self, c: Coordinates) -> Coordinates:
        return replace(
            c,
            group=self.expand(c.group),
            artifact=self.expand(c.artifact),
            version=self.expand(c.version),
            scope=self.expand(c.scope),
            type=self.expand(c.type),
            classifier=self.expand(c.classifier),
        )


def interpolate(text: str, properties: dict[str, str]) -> str:
    """`${name}` expanded from `properties` (recursively); what is not defined stays as written."""
    return _Context(properties, {}).expand(text) or ""


# --- the repository's POMs together ---------------------------------------------------------------


class _Reactor:
    """Every POM of the repository: parents, inherited properties and managed versions."""

    def __init__(self, poms: dict[str, Pom]) -> None:
        self.poms = poms
        self.by_coordinates: dict[tuple[str, str], list[str]] = {}
        for path in sorted(poms):
            pom = poms[path]
            if pom.effective_group and pom.artifact:
                self.by_coordinates.setdefault((pom.effective_group, pom.artifact), []).append(path)
        self._parents: dict[str, str | None] = {}
        self._contexts: dict[str, _Context] = {}
        self._managed: dict[str, dict[tuple[str, str, str, str], Coordinates]] = {}
        self.warnings: list[tuple[str, str]] = []

    def find(self, coordinates: Coordinates) -> str | None:
        """The repository's POM with these coordinates (groupId, artifactId), if any."""
        paths = self.by_coordinates.get((coordinates.group or "", coordinates.artifact or ""))
        return paths[0] if paths else None

    def parent_of(self, path: str) -> str | None:
        """The parent POM in the repository: at `<relativePath>` when its coordinates match, else
        the one with the parent's coordinates."""
        if path in self._parents:
            return self._parents[path]
        found = None
        parent = self.poms[path].parent
        if parent is not None:
            relative = "../pom.xml" if parent.relative_path is None else parent.relative_path
            if relative:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), relative))
                if not target.endswith(".xml"):
                    target = posixpath.join(target, "pom.xml")
                candidate = self.poms.get(target)
                if candidate is not None and (candidate.effective_group, candidate.artifact) == (
                    parent.group,
                    parent.artifact,
                ):
                    found = target
            if found is None:
                found = self.find(parent)
            if found == path:
                found = None
        self._parents[path] = found
        return found

    def lineage(self, path: str) -> list[str]:
        """The POM and its in-repository ancestors, nearest first; a loop is cut and reported."""
        chain = [path]
        while True:
            parent = self.parent_of(chain[-1])
            if parent is None:
                return chain
            if parent in chain:
                self.warnings.append((chain[-1], f"parent {parent} is also a descendant: the parent chain loops"))
                return chain
            chain.append(parent)

    def context(self, path: str) -> _Context:
        if path not in self._contexts:
            chain = self.lineage(path)
            properties: dict[str, str] = {}
            for ancestor in reversed(chain):
                properties.update(self.poms[ancestor].properties)
            pom = self.poms[path]
            model = {
                "version": pom.effective_version,
                "groupId": pom.effective_group,
                "artifactId": pom.artifact,
                "parent.version": pom.parent.version if pom.parent else None,
                "parent.groupId": pom.parent.group if pom.parent else None,
                "parent.artifactId": pom.parent.artifact if pom.parent else None,
            }
            self._contexts[path] = _Context(properties, {k: v for k, v in model.items() if v is not None})
        return self._contexts[path]

    def managed(
        self, path: str, importing: frozenset[str] = frozenset()
    ) -> dict[tuple[str, str, str, str], Coordinates]:
        """`<dependencyManagement>` as it applies to `path`: its own and its ancestors' entries
        (expanded in its context), then those of the repository's BOMs they import."""
        if path in self._managed:
            return self._managed[path]
        context = self.context(path)
        entries: dict[tuple[str, str, str, str], Coordinates] = {}
        imports: list[str] = []
        for ancestor in self.lineage(path):
            for raw in self.poms[ancestor].managed:
                entry = context.coordinates(raw)
                if entry.scope == "import" and entry.type == "pom":
                    bom = self.find(entry)
                    if bom is not None:
                        imports.append(bom)
                    continue
                entries.setdefault(entry.key(), entry)
        for bom in imports:
            if bom in importing or bom == path:
                continue
            for key, entry in self.managed(bom, importing | {path}).items():
                entries.setdefault(key, entry)
        if not importing:
            self._managed[path] = entries
        return entries

    def plugin_versions(self, path: str) -> dict[tuple[str, str], str]:
        """Plugin versions a POM inherits: pluginManagement, then plugins, nearest POM first."""
        context = self.context(path)
        versions: dict[tuple[str, str], str] = {}
        chain = self.lineage(path)
        for plugins in (
            [p for a in chain for p in self.poms[a].managed_plugins],
            [p for a in chain[1:] for p in self.poms[a].plugins],
        ):
            for raw in plugins:
                plugin = context.coordinates(raw)
                if plugin.version:
                    versions.setdefault((plugin.group or "", plugin.artifact or ""), plugin.version)
        return versions


def _scope(written: str | None, optional: bool, where: str, warnings: list[str]) -> str:
    scope = SCOPES.get((written or "compile").lower())
    if scope is None:
        warnings.append(f"{where}: unknown scope {written!r}, counted as runtime")
        scope = "runtime"
    if optional and scope == "runtime":
        return "optional"
    return scope


def _pom_facts(path: str, reactor: _Reactor, own: set[tuple[str, str]], files: Collection[str]) -> Facts:
    pom = reactor.poms[path]
    context = reactor.context(path)
    facts = Facts()
    warnings: list[str] = list(pom.warnings)

    def add(c: Coordinates, declared: str | None, scope: str) -> None:
        facts.dependencies.append(Dependency(ECOSYSTEM, c.name, declared, None, scope, path))

    if pom.parent is not None and reactor.parent_of(path) is None:
        parent = context.coordinates(pom.parent)
        if (parent.group, parent.artifact) not in own:
            add(parent, parent.version, "build")
    managed = reactor.managed(path)
    for raw in pom.dependencies:
        dep = context.coordinates(raw)
        if (dep.group, dep.artifact) in own:
            continue
        rule = managed.get(dep.key())
        version = dep.version or (rule.version if rule else None)
        written_scope = dep.scope or (rule.scope if rule else None)
        add(dep, version, _scope(written_scope, dep.optional, f"dependency {dep.name}", warnings))
    for raw in pom.managed:
        bom = context.coordinates(raw)
        if bom.scope == "import" and bom.type == "pom" and (bom.group, bom.artifact) not in own:
            add(bom, bom.version, "build")
    plugin_versions = reactor.plugin_versions(path)
    for raw in pom.plugins:
        plugin = context.coordinates(raw)
        if (plugin.group, plugin.artifact) in own:
            continue
        add(plugin, plugin.version or plugin_versions.get((plugin.group or "", plugin.artifact or "")), "plugin")
    facts.runtimes += _runtimes(pom, context)
    folder = posixpath.dirname(path)
    for module in pom.modules:
        target = posixpath.normpath(posixpath.join(folder, module))
        if not target.endswith(".xml"):
            target = posixpath.join(target, "pom.xml")
        if target not in files:
            warnings.append(f"modules: {module!r} has no {target} in the repository")
    for message in warnings:
        facts.warn(path, message)
    return facts


def _runtimes(pom: Pom, context: _Context) -> list[Runtime]:
    """The runtimes this POM's own text asks for; a value left unexpanded is passed over."""
    found: list[Runtime] = []
    for runtime, signals in RUNTIME_SIGNALS:
        for kind, name in signals:
            written = pom.compiler.get(name) if kind == "plugin" else pom.properties.get(name)
            value = context.expand(written)
            if value and not _PROPERTY_RE.search(value):
                found.append(Runtime(runtime, value, evidence=pom.path))
                break
    return found


def maven_facts(poms: Iterable[Pom], files: Collection[str] | None = None) -> Facts:
    """Dependencies, plugins and runtimes of a repository's POMs, read together. `files` are the
    repository's paths (for `<modules>`); by default only the POMs given."""
    by_path = {pom.path: pom for pom in poms}
    reactor = _Reactor(by_path)
    own: set[tuple[str, str]] = set()
    for path, pom in by_path.items():
        if pom.artifact:  # as written, and expanded (`${project.parent.groupId}`)
            context = reactor.context(path)
            own.add((pom.effective_group or "", pom.artifact))
            own.add((context.expand(pom.effective_group) or "", context.expand(pom.artifact) or ""))
    facts = Facts()
    for path in sorted(by_path):
        facts.add(_pom_facts(path, reactor, own, by_path if files is None else files))
    for path, message in reactor.warnings:
        facts.warn(path, message)
    return facts


def parse_poms(texts: dict[str, str], files: Collection[str] | None = None) -> Facts:
    """`maven_facts` over pom.xml texts (path -> text); a POM that cannot be read is a warning."""
    poms: list[Pom] = []
    facts = Facts()
    for path, text in texts.items():
        try:
            poms.append(parse_pom(text, path))
        except ParseError as err:
            facts.warn(path, str(err))
    facts.add(maven_facts(poms, files))
    return facts


# --- the Maven wrapper --------------------------------------------------------------------------


def parse_wrapper(text: str, path: str) -> Dependency:
    """maven-wrapper.properties: the Maven version its `distributionUrl` downloads. Raises
    ParseError when there is none."""
    match = _WRAPPER_URL_RE.search(text)
    if match is None:
        raise ParseError("no distributionUrl")
    url = match.group(1).replace("\\:", ":").replace("\\=", "=")
    version = _MAVEN_DIST_RE.search(url)
    if version is None:
        raise ParseError(f"distributionUrl {url!r} does not name an apache-maven-<version>-bin archive")
    return Dependency(ECOSYSTEM, "maven", version.group(1), None, "build", path)


# --- the detector -------------------------------------------------------------------------------


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    texts: dict[str, str] = {}
    for path in repo.matching(("pom.xml",)):
        if manifest_excluded(path):
            continue
        text = read_text(repo, path, facts)
        if text is not None:
            texts[path] = text
    facts.add(parse_poms(texts, repo.files()))
    for path, text in manifest_texts(repo, (WRAPPER_FILE,), facts):
        try:
            facts.dependencies.append(parse_wrapper(text, path))
        except ParseError as err:
            facts.warn(path, str(err))
    return facts
