"""sbt: build.sbt and project/ files: library dependencies, sbt plugins, Scala and sbt versions.

sbt builds are Scala; they are read here, never compiled. The Gradle reader's tokenizer (with
Scala's strings, `s"..."` templates and nested comments) feeds a reader of the shapes sbt builds
write:

- `*.sbt` anywhere outside vendored code: every module ID `"org" % "name" % "version"` (also
  `%%` and Scala.js's `%%%`, whose artifact is recorded as written, without the Scala suffix sbt
  adds), in `libraryDependencies += ...`, `++= Seq(...)`, `.settings(...)` of a subproject, or a
  `val` of its own. Its scope comes from its configuration: `% Test` / `"test"` / `"it"` -> test,
  `% Provided` and `Compile` / `Runtime` -> runtime, `% Optional` -> optional, `compilerPlugin(...)`
  / `addCompilerPlugin(...)` -> build. `dependencyOverrides` and `excludeDependencies` name no
  dependency and are skipped.
- `project/*.sbt` (the meta-build, e.g. `project/plugins.sbt`): `addSbtPlugin("org" % "name" % "v")`
  -> ecosystem sbt-plugin (`org:name`), scope plugin; libraries there are the build's own: build.
- `project/*.scala` (`Dependencies.scala`, `Versions.scala`): module IDs in them count with their
  path, and their `val`s are visible to the build's .sbt files (by name or `Obj.name`).
- Versions and organisations may be `val`s (`val akkaVersion = "2.6.20"`, `lazy val`, typed), of
  the same file, the other .sbt files beside it, or the `project/*.scala` of the folders above.
  A version this reader cannot see (a val of another build, `sbtVersion.value`) is recorded as
  `${Versions.slick}`: a `declared` holding `$` is an unresolved reference, as for Maven and Gradle;
  the `_` of a function (`"org" % "name" % _`) is no version at all.
- `scalaVersion := "2.13.12"` (also `ThisBuild / scalaVersion`, `scalaVersion in ThisBuild`, or a
  `val`) -> Runtime("scala"), each distinct value once per file.
- `project/build.properties`: `sbt.version` -> Dependency(maven, "sbt", scope build).

Not read: `crossScalaVersions`, the Java version of `javacOptions`, module IDs built by functions
or string interpolation across files, and anything that needs the build compiled.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

from collectors.detectors.gradle import (
    Definition,
    Dialect,
    Scope,
    Token,
    bracket_pairs,
    chain_text,
    declarations,
    evaluate,
    merge_definitions,
    parse_properties,
    tokenize,
)
from collectors.detectors.parsing import ParseError, read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "maven"
PLUGIN_ECOSYSTEM = "sbt-plugin"
META_FOLDER = "project"
WANTS: tuple[str, ...] = (
    "*.sbt",
    "project/*.scala",
    "*/project/*.scala",
    "project/build.properties",
    "*/project/build.properties",
)

SCALA = Dialect("scala", False, "prefixed", True, False, True)

#: A module ID's configuration (`% Test`, `% "test"`) and our scope; the first configuration of
#: a mapping (`"test->compile"`, `"it,test"`) counts. Unknown ones are runtime.
CONFIGURATIONS: dict[str, str] = {
    "compile": "runtime",
    "runtime": "runtime",
    "provided": "runtime",
    "test": "test",
    "it": "test",
    "integrationtest": "test",
    "optional": "optional",
    "compilerplugin": "build",
    "plugin": "build",
    "scalatool": "build",
}
#: Calls whose module IDs are sbt plugins, and calls whose module IDs are compiler plugins.
PLUGIN_CALLS = frozenset({"addSbtPlugin"})
COMPILER_PLUGIN_CALLS = frozenset({"compilerPlugin", "addCompilerPlugin"})
#: Settings whose module IDs are not dependencies.
SKIPPED_SETTINGS = frozenset({"dependencyOverrides", "excludeDependencies", "dependencyExclusions"})
MODULE_OPERATORS = frozenset({"%", "%%", "%%%"})
ASSIGNMENTS = frozenset({":=", "+=", "++=", "=", "-=", "--=", "~="})


@dataclass
class Parsed:
    dependencies: list[Dependency] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class SbtScope(Scope):
    """Scala names: `Versions.akka` is found as `akka` when no qualified name matches."""

    def lookup(self, expression: str) -> str | None:
        expression = "".join(expression.split())
        found = self.value(expression)
        if found is None and "." in expression:
            found = self.value(expression.rsplit(".", 1)[-1])
        return found


def definitions(tokens: list[Token]) -> dict[str, Definition]:
    """The `val`s of a Scala file, by name and by the objects around them (`Versions.akka`)."""
    return declarations(tokens, SCALA)


@dataclass
class _Frame:
    call: str  # the name before the bracket that opened this level ("" for none)
    lhs: frozenset[str] = frozenset()  # names on the left of this level's current assignment
    words: list[str] = field(default_factory=list)  # names since the last assignment or separator


def parse_sbt(text: str, path: str, scope: Scope | None = None, *, meta_build: bool | None = None) -> Parsed:
    """One .sbt or project/*.scala file. `scope` holds the vals of the files around it (its own are
    added); `meta_build` (default: the file is a .sbt in a `project/` folder) makes libraries build
    scope. Raises ParseError when it cannot be tokenized."""
    return read_tokens(tokenize(text, SCALA), path, scope, meta_build=meta_build)


def read_tokens(
    tokens: list[Token], path: str, scope: Scope | None = None, *, meta_build: bool | None = None
) -> Parsed:
    """`parse_sbt` once the file is tokenized."""
    _, problems = bracket_pairs(tokens)
    scope = scope if scope is not None else SbtScope()
    scope.definitions = {**scope.definitions, **definitions(tokens)}
    if meta_build is None:
        meta_build = path.endswith(".sbt") and posixpath.basename(posixpath.dirname(path)) == META_FOLDER
    out = Parsed(warnings=problems)
    frames = [_Frame("")]
    scala_versions: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        frame = frames[-1]
        if token.kind == "open":
            caller = tokens[index - 1] if index > 0 else None
            frames.append(_Frame(caller.text if caller is not None and caller.kind == "ident" else ""))
        elif token.kind == "close":
            if len(frames) > 1:
                frames.pop()
        elif token.kind == "op" and token.text in (",", ";"):
            frame.lhs, frame.words = frozenset(), []
        elif token.kind == "nl" and not (index > 0 and tokens[index - 1].kind == "op"):
            frame.words = []
        elif token.kind == "op" and token.text in ASSIGNMENTS:
            frame.lhs, frame.words = frozenset(frame.words), []
            if "scalaVersion" in frame.lhs and token.text == ":=":
                version = _scala_version(tokens, index + 1, scope)
                if version and version not in scala_versions:
                    scala_versions.append(version)
        elif token.kind == "ident":
            frame.words.append(token.text)
        if token.kind in ("str", "ident") and not (index > 0 and tokens[index - 1].text in MODULE_OPERATORS):
            found = _module_id(tokens, index, scope)
            if found is not None:
                end, dependency = found
                _record(dependency, frames, meta_build, path, out)
                for skipped in tokens[index:end]:
                    if skipped.kind == "ident":
                        frames[-1].words.append(skipped.text)
                index = end
                continue
        index += 1
    out.runtimes = [Runtime("scala", v, evidence=path) for v in scala_versions]
    return out


def _record(
    module: tuple[str, str, str | None, str | None], frames: list[_Frame], meta_build: bool, path: str, out: Parsed
) -> None:
    organisation, name, version, configuration = module
    calls = {f.call for f in frames}
    setting = next((f.lhs for f in reversed(frames) if f.lhs), frozenset())
    if not setting.isdisjoint(SKIPPED_SETTINGS):
        return
    if not calls.isdisjoint(PLUGIN_CALLS):
        out.dependencies.append(Dependency(PLUGIN_ECOSYSTEM, f"{organisation}:{name}", version, None, "plugin", path))
        return
    if not calls.isdisjoint(COMPILER_PLUGIN_CALLS):
        scope = "build"
    elif configuration is not None:
        first = configuration.replace(";", ",").split(",")[0].split("->")[0].strip().lower()
        scope = CONFIGURATIONS.get(first, "runtime")
    else:
        scope = "runtime"
    if meta_build and scope == "runtime":
        scope = "build"
    out.dependencies.append(Dependency(ECOSYSTEM, f"{organisation}:{name}", version, None, scope, path))


def _operand(tokens: list[Token], index: int, scope: Scope) -> tuple[int, str | None] | None:
    """(end, value) of a string or a dotted name at `index`; value None when the name is unknown."""
    if index >= len(tokens):
        return None
    token = tokens[index]
    if token.kind == "str":
        return index + 1, scope.expand(token, SCALA)
    if token.text == "(":  # (scalaTestVersion + ".0")
        depth, end = 0, index
        while end < len(tokens):
            depth += {"open": 1, "close": -1}.get(tokens[end].kind, 0)
            end += 1
            if depth == 0:
                break
        return end, evaluate(tokens, index + 1, end - 1, scope, SCALA)
    if token.kind != "ident":
        return None
    end = index + 1
    while end + 1 < len(tokens) and tokens[end].text == "." and tokens[end + 1].kind == "ident":
        end += 2
    chain = chain_text(tokens, index, end)
    return end, scope.lookup(chain) if chain else None


def _module_id(
    tokens: list[Token], index: int, scope: Scope
) -> tuple[int, tuple[str, str, str | None, str | None]] | None:
    """`org % name % version [% configuration]` at `index`: (end, (org, name, version, config))."""
    organisation = _operand(tokens, index, scope)
    if organisation is None or organisation[0] >= len(tokens) or tokens[organisation[0]].text not in MODULE_OPERATORS:
        return None
    name = _operand(tokens, organisation[0] + 1, scope)
    if name is None or name[0] >= len(tokens) or tokens[name[0]].text != "%":
        return None
    version = _operand(tokens, name[0] + 1, scope)
    if version is None:
        return None
    end = version[0]
    configuration: str | None = None
    if end + 1 < len(tokens) and tokens[end].text == "%" and tokens[end + 1].kind in ("str", "ident"):
        configured = _operand(tokens, end + 1, scope)
        if configured is not None:
            configuration = (
                configured[1] if tokens[end + 1].kind == "str" else chain_text(tokens, end + 1, configured[0])
            )
            end = configured[0]
    if organisation[1] is None or name[1] is None:
        return None  # built from names this reader cannot see
    written = version[1]
    if written is None:  # an unknown name: `${name}`, as Maven and Gradle write one
        written = "${" + _as_written(tokens, name[0] + 1, version[0]) + "}"
    return end, (
        organisation[1].strip(),
        name[1].strip(),
        written.strip() if written != "${_}" else None,
        configuration,
    )


def _as_written(tokens: list[Token], start: int, end: int) -> str:
    """An expression's source text, near enough: `Versions.slick`, `(base + ".0")`."""
    return chain_text(tokens, start, end) or " ".join(
        f'"{t.text}"' if t.kind == "str" else t.text for t in tokens[start:end] if t.kind != "nl"
    ).replace("( ", "(").replace(" )", ")")


def _scala_version(tokens: list[Token], index: int, scope: Scope) -> str | None:
    """The value of `scalaVersion :=`: a string or a known name."""
    while index < len(tokens) and tokens[index].kind == "nl":
        index += 1
    found = _operand(tokens, index, scope)
    if found is None or found[1] is None:
        return None
    return found[1].strip() or None


def parse_build_properties(text: str, path: str) -> Dependency:
    """project/build.properties: the sbt version the build asks for. Raises ParseError without one."""
    version = parse_properties(text).get("sbt.version", "").strip()
    if not version:
        raise ParseError("no sbt.version")
    return Dependency(ECOSYSTEM, "sbt", version, None, "build", path)


# --- the detector -------------------------------------------------------------------------------


def _ancestors(folder: str) -> Iterator[str]:
    yield folder
    while folder:
        folder = posixpath.dirname(folder)
        yield folder


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    paths = [p for p in repo.matching(WANTS) if not manifest_excluded(p)]
    # an sbt build's folder has .sbt files, or a project/build.properties naming an sbt version
    builds = {posixpath.dirname(p) for p in paths if p.endswith(".sbt")}
    with_sbt_files = set(builds)
    for path in paths:
        build = posixpath.dirname(posixpath.dirname(path))
        if not path.endswith("/build.properties") or posixpath.basename(posixpath.dirname(path)) != META_FOLDER:
            continue
        text = read_text(repo, path, facts)
        if text is None:
            continue
        try:
            facts.dependencies.append(parse_build_properties(text, path))
            builds.add(build)
        except ParseError as err:
            if build in with_sbt_files:  # else the file is some other tool's
                facts.warn(path, str(err))
    tokens: dict[str, list[Token]] = {}
    for path in paths:
        folder = posixpath.dirname(path)
        if path.endswith("build.properties") or (
            path.endswith(".scala")
            and (posixpath.basename(folder) != META_FOLDER or posixpath.dirname(folder) not in builds)
        ):
            continue  # read above, or a .scala file in a folder named project of no sbt build
        text = read_text(repo, path, facts)
        if text is None:
            continue
        try:
            tokens[path] = tokenize(text, SCALA)
        except ParseError as err:
            facts.warn(path, str(err))
    # the vals each folder's .sbt files share, and those of each build's project/*.scala
    sbt_vals: dict[str, dict[str, Definition]] = {}
    meta_vals: dict[str, dict[str, Definition]] = {}
    for path, found in tokens.items():
        folder = posixpath.dirname(path)
        if path.endswith(".sbt"):
            merge_definitions(sbt_vals.setdefault(folder, {}), definitions(found))
        else:
            merge_definitions(meta_vals.setdefault(posixpath.dirname(folder), {}), definitions(found))
    for path, found in tokens.items():
        folder = posixpath.dirname(path)
        if path.endswith(".sbt"):
            inherited = [sbt_vals.get(folder, {})] + [meta_vals[f] for f in _ancestors(folder) if f in meta_vals]
        else:
            inherited = [meta_vals.get(posixpath.dirname(folder), {})]
        parsed = read_tokens(found, path, SbtScope(inherited=inherited))
        facts.dependencies += parsed.dependencies
        facts.runtimes += parsed.runtimes
        for message in parsed.warnings:
            facts.warn(path, message)
    return facts
