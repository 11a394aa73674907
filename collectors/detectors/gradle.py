"""Gradle: build scripts (Groovy and Kotlin DSL), version catalogs, the wrapper, the JVM asked for.

Build scripts are programs; they are read here, never run. A small tokenizer (strings with
`$x` / `${x}` templates, comments, brackets) feeds a reader of the shapes builds actually write:

- `*.gradle` and `*.gradle.kts` anywhere outside vendored code (build scripts, settings scripts,
  precompiled convention plugins, `apply from:` scripts), each with its own path:
  - `plugins { }`: `id("x") version "v"`, `id 'x' version 'v'`, `kotlin("jvm")` ->
    `org.jetbrains.kotlin.jvm`, `alias(libs.plugins.x)`, core plugins (`java`, `` `java-library` ``)
    -> ecosystem gradle-plugin, scope plugin; `apply plugin: 'x'` / `apply(plugin = "x")` too;
  - `dependencies { }`: `conf("g:a:v")`, `conf 'g:a:v'`, `conf group: 'g', name: 'a', version: 'v'`
    (and Kotlin's `group = `), several at once, `platform(...)` / `enforcedPlatform(...)` (a BOM:
    scope build), `kotlin("stdlib")`, catalog references (`libs.x.y`, `libs.bundles.z`,
    `libs.findLibrary("x")`), a `version { strictly(..) }` block, string variables and `+`
    concatenation. The scope comes from the configuration (`CONFIGURATIONS`; a name with "test" in
    it, or a block under a test source set or test suite, is test). `project(...)`, `files(...)`
    and Gradle's own API are the build itself, not dependencies;
  - `buildscript { dependencies { classpath(...) } }` -> maven, scope plugin; `mavenBom "g:a:v"`
    of the dependency-management plugin -> build.
- Versions: `$x` and `${x}` templates (double-quoted Groovy strings, every Kotlin string) and bare
  names are looked up in the script's `val` / `def` / typed declarations, its `ext { }`,
  `ext.x =`, `extra["x"] =` and `by extra(...)`, the `ext` values of the scripts of enclosing
  folders (and of scripts in a `gradle/` folder, which `apply from:` brings in), then the
  `gradle.properties` of the folder and those above it; `property("x")`, `rootProject.ext.x`,
  `libs.versions.x.get()` and the like too. A name nobody defines stays as written
  (`$springVersion`, `${springVersion}`): a `declared` holding `$` is an unresolved reference, as
  Maven's `${x}` and sbt's are.
- `gradle/*.versions.toml` (the catalog named after the file: `libs`): [versions], [libraries]
  (`"g:a:v"`, `module`, `group` + `name`, `version.ref`, rich versions), [bundles], [plugins]. A
  script uses the catalogs of the nearest folder above it that has any. Only what a script
  references is a dependency (the catalog itself, like Maven's dependencyManagement, only offers).
- `buildSrc/src/main/**.kt`: `object Deps { const val okhttp = "g:a:v" }` and the like, which a
  script names as `Deps.okhttp` or in `"${Versions.kotlin}"` (the build folder's and those above).
- `gradle/wrapper/gradle-wrapper.properties`: the Gradle version, as Dependency(maven, "gradle",
  scope build).
- Runtimes, one per script: Java from the toolchain (`JavaLanguageVersion.of(17)`,
  `jvmToolchain(17)`), else `options.release` of a JavaCompile task, else `sourceCompatibility`,
  else `targetCompatibility`, else Kotlin's
  `jvmTarget` (`'17'`, `17`, `JavaVersion.VERSION_1_8` -> `1.8`, `JvmTarget.JVM_17`); Kotlin from
  the version of the Kotlin Gradle plugin the script applies.

Not read: dependencies added in `if` blocks, loops or functions, `constraints { }` versions,
`configurations.all { resolutionStrategy }`, settings-defined catalogs (`from(files(...))` to
another path, published catalogs), Groovy slashy strings, and anything that needs the build run.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from collectors.detectors.parsing import ParseError, load_toml, read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "maven"
PLUGIN_ECOSYSTEM = "gradle-plugin"
SCRIPT_GLOBS: tuple[str, ...] = ("*.gradle", "*.gradle.kts")
CATALOG_GLOB = "*.versions.toml"  # only those in a folder named gradle/
PROPERTIES_FILE = "gradle.properties"
WRAPPER_FILE = "gradle-wrapper.properties"
#: Kotlin sources of buildSrc: `object Deps { const val okhttp = "..." }` that scripts name.
BUILDSRC_GLOBS: tuple[str, ...] = ("buildSrc/src/main/*.kt", "*/buildSrc/src/main/*.kt")
BUILDSRC_SOURCES = "buildSrc/src/main/"
WANTS: tuple[str, ...] = (*SCRIPT_GLOBS, CATALOG_GLOB, PROPERTIES_FILE, WRAPPER_FILE, *BUILDSRC_GLOBS)

#: Configuration names (or their ends, after a source set: `debugImplementation`) and their scope,
#: longest first. A configuration with "test" in its name is test; one not listed here (a tool's
#: own, like `detektPlugins`) is build.
CONFIGURATIONS: tuple[tuple[str, str], ...] = (
    ("testAndDevelopmentOnly", "dev"),
    ("coreLibraryDesugaring", "build"),
    ("annotationProcessor", "build"),
    ("developmentOnly", "dev"),
    ("compileOnlyApi", "build"),
    ("implementation", "runtime"),
    ("runtimeOnly", "runtime"),
    ("compileOnly", "build"),
    ("classpath", "plugin"),
    ("runtime", "runtime"),  # Gradle < 7
    ("compile", "runtime"),  # Gradle < 7
    ("kapt", "build"),
    ("ksp", "build"),
    ("api", "runtime"),
)
UNKNOWN_CONFIGURATION_SCOPE = "build"
#: Statement heads in a `dependencies { }` block that are not configurations.
NOT_CONFIGURATIONS = frozenset(
    {"val", "var", "def", "const", "final", "String", "if", "else", "for", "while", "when", "return", "try"}
    | {"constraints", "components", "modules", "attributesSchema", "configurations", "ext", "extra", "println"}
)
#: Calls in a dependency declaration that name the build's own code, not a dependency.
LOCAL_CALLS = frozenset(
    {"project", "files", "fileTree", "gradleApi", "localGroovy", "gradleTestKit", "gradleKotlinDsl"}
)
PLATFORM_CALLS = frozenset({"platform", "enforcedPlatform"})
#: Calls whose argument is a dependency declared as usual (`testFixtures("g:a:1")`).
WRAPPING_CALLS = frozenset({"testFixtures", "variantOf", "module"})
#: Keys of the map notation: `group: 'g', name: 'a', version: '1'` (Kotlin: `group = "g"`).
MAP_KEYS = frozenset({"group", "name", "version", "classifier", "ext", "configuration", "transitive"})
KOTLIN_PLUGIN_PREFIX = "org.jetbrains.kotlin."
KOTLIN_MODULE_GROUP = "org.jetbrains.kotlin"
#: What says which Kotlin a script compiles with: the Kotlin Gradle plugin, by id or coordinates.
KOTLIN_SIGNALS: tuple[tuple[str, str], ...] = (
    (PLUGIN_ECOSYSTEM, "org.jetbrains.kotlin.jvm"),
    (PLUGIN_ECOSYSTEM, "org.jetbrains.kotlin.android"),
    (PLUGIN_ECOSYSTEM, "org.jetbrains.kotlin.multiplatform"),
    (ECOSYSTEM, "org.jetbrains.kotlin:kotlin-gradle-plugin"),
)
#: Settings that name the Java version, most telling first.
JAVA_SETTINGS: tuple[str, ...] = ("toolchain", "release", "sourceCompatibility", "targetCompatibility", "jvmTarget")
#: Catalog accessor sections: `libs.plugins.x`, `libs.bundles.x`, `libs.versions.x`.
CATALOG_SECTIONS = ("plugins", "bundles", "versions")

_TEST_WORD_RE = re.compile(r"^test|[a-z0-9]Test")
_JAVA_CONSTANT_RE = re.compile(r"^(?:VERSION|JVM)_(\d+(?:_\d+)?)$")
_GRADLE_DIST_RE = re.compile(r"gradle-([^/]+?)-(?:bin|all)\.zip$")
#: A value longer than this is refused (definitions that double at each step).
MAX_VALUE_LENGTH = 4096
_COORDINATE_PART_RE = re.compile(r"^[^\s:@'\"]+$")


# --- tokens -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dialect:
    """How a language writes strings and comments."""

    name: str
    single_quote_strings: bool  # Groovy: 'x' is a string; Kotlin, Scala: a character
    templates: str  # "double": "..." expands $x (Groovy); "all": every string (Kotlin); "prefixed": s"..." (Scala)
    nested_comments: bool  # /* /* */ */ (Kotlin, Scala)
    dotted_templates: bool  # "$a.b" reads the property a.b (Groovy), not a then ".b"
    raw_triple_quotes: bool  # """...""" has no escapes (Kotlin, Scala)


GROOVY = Dialect("groovy", True, "double", False, True, False)
KOTLIN = Dialect("kotlin", False, "all", True, False, True)


@dataclass(frozen=True)
class Token:
    kind: str  # ident, str, num, op, open, close, nl, char
    text: str  # the identifier, operator or bracket; a string's content as written (escapes kept)
    line: int
    template: bool = False  # a string whose $x and ${x} are expanded


_SIMPLE_RE = re.compile(
    r"(?P<ws>[ \t\r\f\v]+|\\\r?\n)"
    r"|(?P<nl>\n)"
    r"|(?P<ident>[^\W\d][\w$]*|\$[\w$]*)"
    r"|(?P<num>\d[\w.]*)"
    r"|(?P<open>[(\[{])"
    r"|(?P<close>[)\]}])"
    r"|(?P<op>\?\.|\.|,|;|[%+\-*=:<>!&|^~?@#\\]+|/)"
)
_CHAR_RE = re.compile(r"'(?:\\u[0-9a-fA-F]{4}|\\.|[^'\\\n])'")
_MAX_STRING_NESTING = 64
#: What may end, escape or interrupt a string, by its quote character.
_STRING_STOPS = {'"': re.compile(r'[\\"\n$]'), "'": re.compile(r"[\\'\n$]")}
_MAX_TOKENS = 2_000_000


def tokenize(text: str, dialect: Dialect) -> list[Token]:
    """The tokens of a Groovy, Kotlin or Scala source; comments dropped, runs of newlines kept as
    one `nl`. Raises ParseError on a string or comment that never ends."""
    tokens: list[Token] = []
    i, line, n = 0, 1, len(text)
    while i < n:
        if len(tokens) > _MAX_TOKENS:
            raise ParseError(f"not read: over {_MAX_TOKENS:,} tokens")
        c = text[i]
        if c == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c == "/" and text.startswith("/*", i):
            end = _comment_end(text, i, dialect.nested_comments, line)
            line += text.count("\n", i, end)
            i = end
            continue
        if c == '"' or (c == "'" and dialect.single_quote_strings):
            delim = c * 3 if text.startswith(c * 3, i) else c
            # Scala: s"..." and f"..." expand, raw"..." and plain strings do not
            interpolator = (
                tokens[-1].text
                if dialect.templates == "prefixed"
                and tokens
                and tokens[-1].kind == "ident"
                and tokens[-1].text in ("s", "f", "raw")
                and text[i - len(tokens[-1].text) : i] == tokens[-1].text
                else None
            )
            if dialect.templates == "all":
                template = True
            elif dialect.templates == "double":
                template = c == '"'
            else:
                template = interpolator in ("s", "f")
            escapes = not (len(delim) == 3 and dialect.raw_triple_quotes)
            end = _string_end(text, i + len(delim), delim, template, escapes, dialect, line)
            if interpolator is not None:
                tokens.pop()  # the interpolator is part of the string
            tokens.append(Token("str", text[i + len(delim) : end - len(delim)], line, template))
            line += text.count("\n", i, end)
            i = end
            continue
        if c == "'":
            char = _CHAR_RE.match(text, i)
            if char is not None:
                tokens.append(Token("char", char.group(0), line))
                i = char.end()
            else:  # a Scala symbol 'name
                tokens.append(Token("op", "'", line))
                i += 1
            continue
        if c == "`":
            end = text.find("`", i + 1)
            if end < 0 or "\n" in text[i:end]:
                raise ParseError(f"line {line}: a `quoted name` that never ends")
            tokens.append(Token("ident", text[i + 1 : end], line))
            i = end + 1
            continue
        match = _SIMPLE_RE.match(text, i)
        if match is None:  # a character no rule knows (a stray unicode symbol): an operator
            tokens.append(Token("op", c, line))
            i += 1
            continue
        kind = match.lastgroup or "op"
        if kind == "nl":
            if tokens and tokens[-1].kind != "nl":
                tokens.append(Token("nl", "\n", line))
            line += 1
        elif kind == "ws":
            line += match.group(0).count("\n")
        else:
            tokens.append(Token(kind, match.group(0), line))
        i = match.end()
    return tokens


def _comment_end(text: str, start: int, nested: bool, line: int) -> int:
    depth, i = 0, start
    while True:
        close = text.find("*/", i)
        opening = text.find("/*", i)
        if close < 0:
            raise ParseError(f"line {line}: a /* comment that never ends")
        if nested and 0 <= opening < close:
            depth += 1
            i = opening + 2
            continue
        depth -= 1
        i = close + 2
        if depth <= 0 or not nested:
            return i


def _string_end(text: str, start: int, delim: str, template: bool, escapes: bool, dialect: Dialect, line: int) -> int:
    """The index just past the string whose content starts at `start`; `${ ... }` templates may
    hold braces and strings of their own."""
    stack: list[tuple[str, bool, bool] | int] = [(delim, template, escapes)]  # a string, or a template's brace depth
    i, n = start, len(text)
    while stack:
        if i >= n:
            raise ParseError(f"line {line}: a string that never ends")
        top = stack[-1]
        if isinstance(top, tuple):
            quote, expands, escaped = top
            stop = _STRING_STOPS[quote[0]].search(text, i)  # jump over plain characters
            if stop is None:
                raise ParseError(f"line {line}: a string that never ends")
            i = stop.start()
            c = text[i]
            if c == "\\" and escaped:
                i += 2
                continue
            if text.startswith(quote, i):
                stack.pop()
                i += len(quote)
                continue
            if c == "\n" and len(quote) == 1:
                raise ParseError(f"line {line}: a string that never ends on its line")
            if expands and c == "$" and text.startswith("${", i):
                stack.append(1)
                i += 2
                continue
            i += 1
            continue
        c = text[i]
        if c == "{":
            stack[-1] = top + 1
        elif c == "}":
            if top == 1:
                stack.pop()
            else:
                stack[-1] = top - 1
        elif c == '"' or (c == "'" and dialect.single_quote_strings):
            quote = c * 3 if text.startswith(c * 3, i) else c
            stack.append((quote, c == '"' or dialect.templates == "all", True))
            if len(stack) > _MAX_STRING_NESTING:
                raise ParseError(f"line {line}: strings nested too deeply")
            i += len(quote)
            continue
        i += 1
    return i


def bracket_pairs(tokens: list[Token]) -> tuple[dict[int, int], list[str]]:
    """Opening bracket index -> its closing index (the end of the tokens when it never closes),
    and a warning per bracket that does not match."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    problems: list[str] = []
    closing = {"(": ")", "[": "]", "{": "}"}
    for index, token in enumerate(tokens):
        if token.kind == "open":
            stack.append(index)
        elif token.kind == "close":
            if stack and closing[tokens[stack[-1]].text] == token.text:
                pairs[stack.pop()] = index
            elif stack and any(closing[tokens[s].text] == token.text for s in stack):
                while closing[tokens[stack[-1]].text] != token.text:  # close what was left open
                    opened = stack.pop()
                    pairs[opened] = index
                    problems.append(f"line {tokens[opened].line}: {tokens[opened].text!r} is never closed")
                pairs[stack.pop()] = index
            else:
                problems.append(f"line {token.line}: {token.text!r} closes nothing")
    for opened in stack:
        pairs[opened] = len(tokens)
        problems.append(f"line {tokens[opened].line}: {tokens[opened].text!r} is never closed")
    return pairs, problems


# --- Java .properties ---------------------------------------------------------------------------

_PROPERTY_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def parse_properties(text: str) -> dict[str, str]:
    """A Java .properties file (gradle.properties, the wrapper's, sbt's build.properties):
    `#`/`!` comments, `key=value`, `key: value` or `key value`, backslash continuations and escapes."""
    out: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        logical = lines[i].lstrip()
        i += 1
        if not logical or logical[0] in "#!":
            continue
        while _continues(logical) and i < len(lines):
            logical = logical[:-1] + lines[i].lstrip()
            i += 1
        if _continues(logical):
            logical = logical[:-1]
        key_end = 0
        while key_end < len(logical):
            ch = logical[key_end]
            if ch == "\\":
                key_end += 2
                continue
            if ch in "=: \t\f":
                break
            key_end += 1
        key, rest = logical[:key_end], logical[key_end:].lstrip(" \t\f")
        if rest[:1] in ("=", ":"):
            rest = rest[1:].lstrip(" \t\f")
        out[_unescape_property(key)] = _unescape_property(rest)
    return out


def _continues(line: str) -> bool:
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _unescape_property(text: str) -> str:
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if escaped.startswith("u") and len(escaped) == 5:
            return chr(int(escaped[1:], 16))
        return _PROPERTY_ESCAPES.get(escaped[0], escaped[0])

    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", one, text)


def parse_wrapper(text: str, path: str) -> Dependency:
    """gradle-wrapper.properties: the Gradle version `distributionUrl` downloads. Raises ParseError
    when it names none."""
    url = parse_properties(text).get("distributionUrl")
    if not url:
        raise ParseError("no distributionUrl")
    version = _GRADLE_DIST_RE.search(url.strip())
    if version is None:
        raise ParseError(f"distributionUrl {url!r} does not name a gradle-<version>-bin/all.zip")
    return Dependency(ECOSYSTEM, "gradle", version.group(1), None, "build", path)


# --- version catalogs ---------------------------------------------------------------------------


@dataclass
class Catalog:
    """One `gradle/<name>.versions.toml`, by accessor (`spring-boot_web` is `spring.boot.web`)."""

    path: str
    versions: dict[str, str] = field(default_factory=dict)
    libraries: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # -> (g:a, version)
    bundles: dict[str, list[str]] = field(default_factory=dict)  # -> library accessors
    plugins: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # -> (id, version)
    warnings: list[str] = field(default_factory=list)


def accessor(alias: str) -> str:
    """The accessor path Gradle makes of a catalog alias: `-`, `_` and `.` all separate."""
    return re.sub(r"[-_.]", ".", alias)


def parse_catalog(text: str, path: str) -> Catalog:
    """A version catalog. Raises ParseError when it is not TOML; a bad entry is a warning."""
    data = load_toml(text)
    catalog = Catalog(path)
    tables = {}
    for section in ("versions", "libraries", "bundles", "plugins"):
        table = data.get(section, {})
        if not isinstance(table, dict):
            catalog.warnings.append(f"[{section}]: expected a table")
            table = {}
        tables[section] = table
    raw_versions = tables["versions"]
    for alias, value in raw_versions.items():
        version = _rich_version(value)
        if version is None:
            catalog.warnings.append(f"versions.{alias}: expected a version string or table")
        else:
            catalog.versions[accessor(alias)] = version

    def version_of(value: object, where: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, dict) and "ref" in value:
            ref = value["ref"]
            if not isinstance(ref, str) or ref not in raw_versions:
                catalog.warnings.append(f"{where}: version.ref {ref!r} is not in [versions]")
                return None
            return catalog.versions.get(accessor(ref))
        version = _rich_version(value)
        if version is None:
            catalog.warnings.append(f"{where}: expected a version string or table")
        return version

    for alias, entry in tables["libraries"].items():
        where = f"libraries.{alias}"
        if isinstance(entry, str):
            found = parse_coordinate(entry)
            if found is None:
                catalog.warnings.append(f"{where}: {entry!r} is not group:artifact[:version]")
                continue
            catalog.libraries[accessor(alias)] = found
        elif isinstance(entry, dict):
            module = entry.get("module")
            if module is None and isinstance(entry.get("group"), str) and isinstance(entry.get("name"), str):
                module = f"{entry['group']}:{entry['name']}"
            found = parse_coordinate(module) if isinstance(module, str) else None
            if found is None or module.count(":") != 1:
                catalog.warnings.append(f"{where}: needs module = 'group:artifact' or group and name")
                continue
            catalog.libraries[accessor(alias)] = (found[0], version_of(entry.get("version"), where))
        else:
            catalog.warnings.append(f"{where}: expected a string or a table")
    for alias, members in tables["bundles"].items():
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            catalog.warnings.append(f"bundles.{alias}: expected a list of library aliases")
            continue
        unknown = [m for m in members if accessor(m) not in catalog.libraries]
        if unknown:
            catalog.warnings.append(f"bundles.{alias}: {', '.join(unknown)} not in [libraries]")
        catalog.bundles[accessor(alias)] = [accessor(m) for m in members if accessor(m) in catalog.libraries]
    for alias, entry in tables["plugins"].items():
        where = f"plugins.{alias}"
        if isinstance(entry, str) and entry.strip():
            plugin_id, _, version = entry.strip().partition(":")
            catalog.plugins[accessor(alias)] = (plugin_id, version or None)
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"].strip():
            catalog.plugins[accessor(alias)] = (entry["id"].strip(), version_of(entry.get("version"), where))
        else:
            catalog.warnings.append(f"{where}: expected 'id:version' or a table with an id")
    return catalog


def _rich_version(value: object) -> str | None:
    """A version as a string, or the first of strictly / require / prefer of a rich version."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("strictly", "require", "prefer"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
    return None


def parse_coordinate(text: str) -> tuple[str, str | None] | None:
    """`group:artifact[:version[:classifier]][@ext]` -> ("group:artifact", version); None when the
    text is not that shape."""
    body = text.strip()
    if "@" in body and "${" not in body.rsplit("@", 1)[1]:
        body = body.rsplit("@", 1)[0]
    parts = body.split(":")
    if len(parts) < 2 or len(parts) > 4 or not all(_COORDINATE_PART_RE.match(p) for p in parts[:2]):
        return None
    version = parts[2].strip() if len(parts) > 2 else ""
    return f"{parts[0]}:{parts[1]}", version or None


# --- what a script can see ----------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    """`name = <expression>` somewhere in a script: evaluated when (and where) it is used."""

    tokens: list[Token]
    start: int
    end: int
    dialect: Dialect


@dataclass
class Scope:
    """The names a script's strings and arguments may use."""

    definitions: dict[str, Definition] = field(default_factory=dict)  # the script's own
    inherited: list[dict[str, Definition]] = field(default_factory=list)  # ext of enclosing folders
    properties: dict[str, str] = field(default_factory=dict)  # gradle.properties, nearest wins
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    _active: set[str] = field(default_factory=set)
    _memo: dict[str, str | None] = field(default_factory=dict)

    def lookup(self, expression: str) -> str | None:
        """The value of a name or simple expression (`rootProject.ext.x`, `property("x")`,
        `libs.versions.x.get()`); None when it is not a literal this scope knows."""
        expression = re.sub(r"\s+", "", expression)
        expression = re.sub(r"(\.get\(\)|\.toString\(\)|!!|asString|\.toInt\(\))+$", "", expression)
        call = re.fullmatch(
            r"(?:(?:rootProject|project)\.)?(?:(?:ext|extra|properties)\.get|property|findProperty)"
            r"\([\"'](.+?)[\"']\)|(?:(?:rootProject|project)\.)?(?:ext|extra|properties)\[[\"'](.+?)[\"']\]",
            expression,
        )
        if call is not None:
            expression = call.group(1) or call.group(2)
        parts = expression.split(".")
        if len(parts) > 2 and parts[0] in self.catalogs and parts[1] == "versions":
            return self.catalogs[parts[0]].versions.get(".".join(parts[2:]))
        name = re.sub(r"^(?:(?:rootProject|project)\.)?(?:(?:ext|extra)\.)?", "", expression)
        return self.value(name)

    def value(self, name: str) -> str | None:
        """A defined name's value (remembered: chains that double at each step stay linear)."""
        if name in self._memo:
            return self._memo[name]
        if name in self._active or len(self._active) > 32:
            return None
        result = self.properties.get(name)
        for definitions in (self.definitions, *self.inherited):
            if name in definitions:
                found = definitions[name]
                self._active.add(name)
                try:
                    result = evaluate(found.tokens, found.start, found.end, self, found.dialect)
                finally:
                    self._active.discard(name)
                break
        if result is not None and len(result) > MAX_VALUE_LENGTH:
            result = None
        self._memo[name] = result
        return result

    def expand(self, token: Token, dialect: Dialect) -> str:
        """A string token's value: templates expanded where known, the rest as written."""
        text = token.text
        if token.template and "$" in text:
            simple = r"\$([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)" if dialect.dotted_templates else r"\$([A-Za-z_]\w*)"

            def one(match: re.Match[str]) -> str:
                expression = match.group(1) if match.group(1) is not None else match.group(2)
                found = self.lookup(expression)
                return match.group(0) if found is None else found

            text = re.sub(r"(?<!\\)\$\{([^{}]*)\}|(?<!\\)" + simple, one, text)
        return _unescape(text)


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\'\"$])", r"\1", text) if "\\" in text else text


def evaluate(tokens: list[Token], start: int, end: int, scope: Scope, dialect: Dialect) -> str | None:
    """A literal expression's string value: strings, numbers and known names joined by `+`;
    None when any part is anything else or unknown."""
    parts = split_at(tokens, start, end, "+")
    out: list[str] = []
    for a, b in parts:
        while a < b and tokens[a].kind == "nl":
            a += 1
        if b - a == 1 and tokens[a].kind == "str":
            out.append(scope.expand(tokens[a], dialect))
        elif b - a == 1 and tokens[a].kind == "num":
            out.append(tokens[a].text)
        else:
            chain = chain_text(tokens, a, b)
            found = scope.lookup(chain) if chain else None
            if found is None:
                return None
            out.append(found)
    return "".join(out) if out else None


def chain_text(tokens: list[Token], start: int, end: int) -> str | None:
    """`a.b.c`, `a.b.get()`, `property("x")`, `ext["x"]` written as text; None for anything else."""
    pieces: list[str] = []
    for token in tokens[start:end]:
        if token.kind == "nl":
            continue
        if token.kind in ("ident", "num", "open", "close") or token.text in (".", "?.", "!!"):
            pieces.append(token.text)
        elif token.kind == "str":
            pieces.append(f'"{token.text}"')
        else:
            return None
    return "".join(pieces) or None


def split_at(tokens: list[Token], start: int, end: int, separator: str) -> list[tuple[int, int]]:
    """Ranges of `tokens[start:end]` between `separator` operators outside brackets."""
    ranges: list[tuple[int, int]] = []
    end = min(end, len(tokens))
    depth, begin = 0, start
    for index in range(start, end):
        token = tokens[index]
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif depth == 0 and token.kind == "op" and token.text == separator:
            ranges.append((begin, index))
            begin = index + 1
    ranges.append((begin, end))
    return [(a, b) for a, b in ranges if any(t.kind != "nl" for t in tokens[a:b])]


def declarations(tokens: list[Token], dialect: Dialect) -> dict[str, Definition]:
    """`val x = ...` / `const val x: String = ...` / `lazy val x = ...` anywhere in a Kotlin or Scala
    file (buildSrc's `Deps.kt`, sbt's `project/Dependencies.scala`), by name and by the names of
    the objects around it: `object Versions { val akka = "2.6.20" }` gives `Versions.akka` and `akka`."""
    found: dict[str, Definition] = {}
    pairs, _ = bracket_pairs(tokens)
    objects: list[tuple[int, int, str]] = []  # (start, end, name) of `object Name {` bodies
    for index, token in enumerate(tokens[:-2]):
        if token.kind == "ident" and token.text == "object" and tokens[index + 1].kind == "ident":
            brace = next((i for i in range(index + 2, min(index + 64, len(tokens))) if tokens[i].text == "{"), None)
            if brace is not None:
                objects.append((brace, pairs.get(brace, len(tokens)), tokens[index + 1].text))
    for index, token in enumerate(tokens):
        if token.kind != "ident" or token.text not in ("val", "var") or index + 2 >= len(tokens):
            continue
        name = tokens[index + 1]
        if name.kind != "ident":
            continue
        at = index + 2
        if tokens[at].text == ":":  # a type: String, Seq[ModuleID], kotlin.String?
            at += 1
            while at < len(tokens) and (
                tokens[at].kind == "ident" or tokens[at].text in (".", "[", "]", "?", "<", ">")
            ):
                at += 1
        if at >= len(tokens) or tokens[at].text != "=":
            continue
        start = at + 1
        while start < len(tokens) and tokens[start].kind == "nl":
            start += 1
        end = start
        while end < len(tokens) and tokens[end].kind != "nl" and tokens[end].text not in (";", ",", ")", "}"):
            if tokens[end].kind == "open":
                end = pairs.get(end, len(tokens))
            end += 1
        definition = Definition(tokens, start, min(end, len(tokens)), dialect)
        enclosing = [object_name for a, b, object_name in objects if a < index < b]
        for depth in range(len(enclosing)):
            found[".".join([*enclosing[depth:], name.text])] = definition
        merge_definitions(found, {name.text: definition})
    return found


def merge_definitions(into: dict[str, Definition], more: dict[str, Definition]) -> None:
    """Add definitions; a plain name defined twice (`Versions.akka` and `Dependencies.akka`) keeps
    a string literal over anything else, else the first. Qualified names are unique."""
    for key, definition in more.items():
        existing = into.get(key)
        if existing is None or "." in key or (not _is_literal(existing) and _is_literal(definition)):
            into[key] = definition


def _is_literal(definition: Definition) -> bool:
    return definition.end - definition.start == 1 and definition.tokens[definition.start].kind == "str"


# --- a script -----------------------------------------------------------------------------------


@dataclass
class Parsed:
    """What one script says."""

    dependencies: list[Dependency] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Script:
    """One build script, tokenized once; `definitions` and `exported` can be read before `facts`."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.dialect = KOTLIN if path.endswith(".kts") else GROOVY
        self.tokens = tokenize(text, self.dialect)
        self.pairs, self.problems = bracket_pairs(self.tokens)
        self._parents = self._block_parents()
        self.definitions: dict[str, Definition] = {}
        self.exported: dict[str, Definition] = {}  # ext / extra: visible to scripts below
        self._collect_definitions()

    # structure

    def _block_parents(self) -> dict[int, int | None]:
        """Each `{`'s enclosing `{` (or None at the top); `self._enclosing[i]` is token i's."""
        parents: dict[int, int | None] = {}
        enclosing: list[int | None] = []
        stack: list[int] = []
        for index, token in enumerate(self.tokens):
            while stack and self.pairs.get(stack[-1], len(self.tokens)) <= index:
                stack.pop()
            enclosing.append(stack[-1] if stack else None)
            if token.kind == "open" and token.text == "{":
                parents[index] = stack[-1] if stack else None
                stack.append(index)
        self._enclosing = enclosing
        return parents

    def _header(self, brace: int) -> list[str]:
        """The words before a `{` on its statement (`val jvmTest by getting {` -> those four)."""
        words: list[str] = []
        index = brace - 1
        while (
            index >= 0 and self.tokens[index].kind not in ("nl", "close") and self.tokens[index].text not in ("{", ";")
        ):
            token = self.tokens[index]
            if token.kind == "open":
                break
            if token.kind == "ident":
                words.append(token.text)
            index -= 1
        if index >= 0 and self.tokens[index].kind == "close" and self.tokens[index].text == ")":
            words.append("()")  # `create("x") {`: a call, not a plain block name
        return words[::-1]

    def blocks(self, name: str) -> Iterator[tuple[int, int, int]]:
        """(brace, first token, end) of every `name {` block, at any depth."""
        for index, token in enumerate(self.tokens):
            if token.kind != "ident" or token.text != name or index + 1 >= len(self.tokens):
                continue
            if index > 0 and self.tokens[index - 1].text in (".", "?."):
                continue
            following = self.tokens[index + 1]
            if following.kind == "open" and following.text == "{":
                yield index + 1, index + 2, self.pairs.get(index + 1, len(self.tokens))

    def ancestors(self, brace: int) -> list[list[str]]:
        """The headers of the blocks around a `{`, innermost first."""
        out: list[list[str]] = []
        parent = self._parents.get(brace)
        while parent is not None:
            out.append(self._header(parent))
            parent = self._parents.get(parent)
        return out

    def statements(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """Ranges of the statements in `tokens[start:end]` at its own level: a newline or `;` ends
        one unless the line ends with an operator or the next starts with `.`."""
        tokens = self.tokens
        begin = start
        index = start
        while index < end:
            token = tokens[index]
            if token.kind == "open":
                index = min(self.pairs.get(index, end), end) + 1
                continue
            if token.kind == "nl" or (token.kind == "op" and token.text == ";"):
                previous = tokens[index - 1] if index > begin else None
                following = tokens[index + 1] if index + 1 < end else None
                continues = token.kind == "nl" and (
                    (previous is not None and previous.kind == "op" and previous.text not in ("!!",))
                    or (following is not None and following.kind == "op" and following.text in (".", "?.", "?:"))
                )
                if not continues:
                    if index > begin:
                        yield begin, index
                    begin = index + 1
            index += 1
        if end > begin:
            yield begin, end

    # names

    def _collect_definitions(self) -> None:
        ext_braces = {brace for brace, _, _ in self.blocks("ext")}
        for index, token in enumerate(self.tokens):
            if token.kind != "ident":
                continue
            in_ext = self._enclosing[index] in ext_braces
            found = self._definition_at(index, in_ext)
            if found is None:
                continue
            name, value_at, exported = found
            entries = [(name, value_at, self._expression_end(value_at))]
            while entries:  # a Groovy map `[spring: '6.1', test: [junit: '5.10']]` gives `name.spring`...
                key, start, end = entries.pop()
                if start < len(self.tokens) and self.tokens[start].text == "[" and key.count(".") < 8:
                    entries += self._map_entries(key, start)
                definition = Definition(self.tokens, start, end, self.dialect)
                self.definitions[key] = definition
                if exported:
                    self.exported[key] = definition

    def _map_entries(self, prefix: str, bracket: int) -> list[tuple[str, int, int]]:
        """(prefix.key, value start, value end) of each `key: value` of a Groovy map literal."""
        out: list[tuple[str, int, int]] = []
        close = min(self.pairs.get(bracket, len(self.tokens)), len(self.tokens))
        for a, b in split_at(self.tokens, bracket + 1, close, ","):
            while a < b and self.tokens[a].kind == "nl":
                a += 1
            if b - a >= 3 and self.tokens[a].kind in ("ident", "str") and self.tokens[a + 1].text == ":":
                start = a + 2
                while start < b and self.tokens[start].kind == "nl":
                    start += 1
                out.append((f"{prefix}.{self.tokens[a].text}", start, b))
        return out

    def _definition_at(self, index: int, in_ext: bool) -> tuple[str, int, bool] | None:
        """(name, index of its value, visible to other scripts) when a definition starts at `index`:
        `val x = `, `def x = `, `String x = `, `val x by extra(`, `ext.x = `, `ext["x"] = `,
        `ext.set("x", `, and `x = ` / `set("x", ` directly in an `ext { }` block."""
        tokens = self.tokens
        words = [t.text for t in tokens[index : index + 6]]
        kinds = [t.kind for t in tokens[index : index + 6]]
        words += [""] * (6 - len(words))
        kinds += [""] * (6 - len(kinds))
        if index > 0 and tokens[index - 1].text in (".", "?."):
            return None
        head = words[0]
        if head in ("val", "var", "def") and kinds[1] == "ident":
            offset = 2
            if words[2] == ":":  # val x: String = ..., val x: kotlin.String? by extra(...)
                offset = 3
                while index + offset < len(tokens) and (
                    (tokens[index + offset].kind == "ident" and tokens[index + offset].text != "by")
                    or tokens[index + offset].text in (".", "?")
                ):
                    offset += 1
            following = [t.text for t in tokens[index + offset : index + offset + 3]]
            if following[:1] == ["="]:
                return words[1], index + offset + 1, False
            if following == ["by", "extra", "("]:
                return words[1], index + offset + 3, True
            return None
        if head == "String" and kinds[1] == "ident" and words[2] == "=":
            return words[1], index + 3, False
        if head in ("ext", "extra"):
            if words[1] == "." and kinds[2] == "ident":
                if words[2] == "set" and words[3] == "(" and kinds[4] == "str" and words[5] == ",":
                    return tokens[index + 4].text, index + 6, True
                if words[3] == "=":
                    return words[2], index + 4, True
            if words[1] == "[" and kinds[2] == "str" and words[3] == "]" and words[4] == "=":
                return tokens[index + 2].text, index + 5, True
            return None
        starts_statement = index == 0 or tokens[index - 1].kind == "nl" or tokens[index - 1].text in ("{", ";")
        if in_ext and starts_statement:
            if words[1] == "=":
                return head, index + 2, True
            if head == "set" and words[1] == "(" and kinds[2] == "str" and words[3] == ",":
                return tokens[index + 2].text, index + 4, True
        return None

    def _expression_end(self, start: int) -> int:
        """Where the expression starting at `start` ends: the statement's end, or a `,` / `)`."""
        tokens = self.tokens
        index = start
        while index < len(tokens):
            token = tokens[index]
            if token.kind == "open":
                index = self.pairs.get(index, len(tokens)) + 1
                continue
            if token.kind == "close" or token.text in (",", ";"):
                return index
            if token.kind == "nl" and not (tokens[index - 1].kind == "op" and index > start):
                return index
            index += 1
        return min(index, len(tokens))

    # facts

    def facts(self, scope: Scope) -> Parsed:
        """Dependencies, plugins and runtimes, with names and catalogs looked up in `scope`."""
        scope.definitions = {**self.definitions}
        scope._memo.clear()
        out = Parsed(warnings=list(self.problems))
        reader = _Reader(self, scope, out)
        reader.read()
        return out


class _Reader:
    """Reads one script's facts; keeps the script, the scope and the output together."""

    def __init__(self, script: Script, scope: Scope, out: Parsed) -> None:
        self.script = script
        self.tokens = script.tokens
        self.scope = scope
        self.out = out
        self.dialect = script.dialect

    def read(self) -> None:
        for brace, start, end in self.script.blocks("plugins"):
            if any("gradlePlugin" in header for header in self.script.ancestors(brace)):
                continue  # plugins this build publishes, not plugins it applies
            for a, b in self.script.statements(start, end):
                self._plugin(a, b)
        self._applied_plugins()
        for brace, start, end in self.script.blocks("dependencies"):
            headers = self.script.ancestors(brace)
            in_tests = any(_TEST_WORD_RE.search(word) for header in headers for word in header if word != "()")
            for a, b in self.script.statements(start, end):
                self._dependency_statement(a, b, "test" if in_tests else None)
        self._boms()
        self._runtimes()

    # plugins

    def _add_plugin(self, plugin_id: str, version: str | None) -> None:
        self.out.dependencies.append(Dependency(PLUGIN_ECOSYSTEM, plugin_id, version, None, "plugin", self.script.path))

    def _plugin(self, a: int, b: int) -> None:
        tokens = self.tokens
        head = tokens[a]
        argument = a + 1
        if argument < b and tokens[argument].text == "(":
            argument += 1
        plugin_id: str | None = None
        version: str | None = None
        if head.text == "id" and argument < b and tokens[argument].kind == "str":
            plugin_id = self.scope.expand(tokens[argument], self.dialect)
        elif head.text == "kotlin" and argument < b and tokens[argument].kind == "str":
            plugin_id = KOTLIN_PLUGIN_PREFIX + self.scope.expand(tokens[argument], self.dialect)
        elif head.text == "alias" and tokens[a + 1].text == "(":
            close = self.script.pairs.get(a + 1, b)
            chain = chain_text(tokens, a + 2, close)
            found = self._catalog_plugin(chain, head.line) if chain else None
            if found is not None:
                plugin_id, version = found
        elif head.kind == "ident" and b - a == 1 and head.text not in ("apply",):
            plugin_id = head.text  # a core plugin: `java`, `` `java-library` ``
        if plugin_id is None:
            return
        for index in range(a + 1, b):
            if tokens[index].kind == "ident" and tokens[index].text == "version":
                following = index + 1
                if following < b and tokens[following].text == "(":
                    following += 1
                end = following
                while (
                    end < b
                    and not (tokens[end].kind == "ident" and tokens[end].text == "apply")
                    and tokens[end].text != ")"
                ):
                    end += 1
                written = evaluate(tokens, following, end, self.scope, self.dialect)
                if written is None and following < b and tokens[following].kind == "str":
                    written = self.scope.expand(tokens[following], self.dialect)
                version = written or version
                break
        self._add_plugin(plugin_id, version)

    def _applied_plugins(self) -> None:
        """`apply plugin: 'x'` (Groovy) and `apply(plugin = "x")` (Kotlin), anywhere."""
        tokens = self.tokens
        for index, token in enumerate(tokens):
            if token.kind != "ident" or token.text != "apply":
                continue
            at = index + 1
            if at < len(tokens) and tokens[at].text == "(":
                at += 1
            if (
                at + 2 < len(tokens)
                and tokens[at].text == "plugin"
                and tokens[at + 1].text in (":", "=")
                and tokens[at + 2].kind == "str"
            ):
                self._add_plugin(self.scope.expand(tokens[at + 2], self.dialect), None)

    # dependencies

    def _dependency_statement(self, a: int, b: int, forced: str | None) -> None:
        tokens = self.tokens
        head = tokens[a]
        quoted = head.kind == "str" and a + 1 < b and tokens[a + 1].text == "("  # "implementation"("g:a:v")
        if not quoted and (head.kind != "ident" or head.text in NOT_CONFIGURATIONS):
            return
        configuration = head.text
        if a + 1 >= b or (tokens[a + 1].text == "=" or tokens[a + 1].text == "."):
            return
        closure: tuple[int, int] | None = None
        if tokens[a + 1].text == "(":
            close = self.script.pairs.get(a + 1, b)
            args = (a + 2, min(close, b))
            after = close + 1
            if after < b and tokens[after].text == "{":
                closure = (after + 1, self.script.pairs.get(after, b))
        elif tokens[a + 1].text == "{":
            return  # a block, not a declaration
        else:
            end = a + 1
            while end < b and tokens[end].text != "{":
                if tokens[end].kind == "open":
                    end = self.script.pairs.get(end, b)
                end += 1
            args = (a + 1, min(end, b))
            if end < b:
                closure = (end + 1, self.script.pairs.get(end, b))
        if configuration == "add":  # add("implementation", "g:a:v")
            parts = split_at(tokens, *args, ",")
            if len(parts) < 2 or tokens[parts[0][0]].kind != "str":
                return
            configuration = tokens[parts[0][0]].text
            args = (parts[1][0], args[1])
        scope = forced or configuration_scope(configuration)
        found = self._arguments(args[0], args[1], scope, configuration)
        closure_version = self._closure_version(*closure) if closure else None
        for ecosystem, name, version, dep_scope in found:
            if version is None and closure_version is not None:
                version = closure_version
            self.out.dependencies.append(Dependency(ecosystem, name, version, None, dep_scope, self.script.path))

    def _arguments(
        self, start: int, end: int, scope: str, configuration: str
    ) -> list[tuple[str, str, str | None, str]]:
        """(ecosystem, name, version, scope) of what an argument list declares."""
        tokens = self.tokens
        found: list[tuple[str, str, str | None, str]] = []
        mapped: dict[str, str | None] = {}
        for a, b in split_at(tokens, start, end, ","):
            while a < b and tokens[a].kind == "nl":
                a += 1
            first = tokens[a]
            call = first.kind == "ident" and a + 1 < b and tokens[a + 1].text == "("
            inner = (a + 2, min(self.script.pairs.get(a + 1, b), b)) if call else None
            if first.kind == "ident" and a + 1 < b and tokens[a + 1].text in (":", "=") and first.text in MAP_KEYS:
                mapped[first.text] = evaluate(tokens, a + 2, b, self.scope, self.dialect) or _first_string(
                    tokens, a + 2, b, self.scope, self.dialect
                )
                continue
            if call and inner is not None:
                if first.text in PLATFORM_CALLS:
                    found += [(e, n, v, "build") for e, n, v, _ in self._arguments(*inner, "build", configuration)]
                    continue
                if first.text in LOCAL_CALLS:
                    continue
                if first.text == "kotlin":
                    strings = [
                        self.scope.expand(t, self.dialect) for t in tokens[inner[0] : inner[1]] if t.kind == "str"
                    ]
                    if strings:
                        found.append(
                            (
                                ECOSYSTEM,
                                f"{KOTLIN_MODULE_GROUP}:kotlin-{strings[0]}",
                                strings[1] if len(strings) > 1 else None,
                                scope,
                            )
                        )
                    continue
                if first.text in WRAPPING_CALLS:
                    found += self._arguments(*inner, scope, configuration)
                    continue
            if first.kind == "open" and first.text == "[":
                found += self._arguments(a + 1, min(self.script.pairs.get(a, b), b), scope, configuration)
                continue
            text = self._coordinate_text(a, b)
            if text is not None:
                coordinate = parse_coordinate(text)
                if coordinate is None:
                    if ":" in text or configuration_scope(configuration) != UNKNOWN_CONFIGURATION_SCOPE:
                        self.out.warnings.append(
                            f"line {first.line}: {configuration} {text!r} is not group:artifact[:version]"
                        )
                    continue
                found.append((ECOSYSTEM, coordinate[0], coordinate[1], scope))
                continue
            chain = chain_text(tokens, a, b)
            if chain is not None:
                found += [(ECOSYSTEM, n, v, scope) for n, v in self._catalog_libraries(chain, first.line)]
        if mapped.get("name"):
            name = f"{mapped.get('group') or ''}:{mapped['name']}"
            found.append((ECOSYSTEM, name, mapped.get("version") or None, scope))
        return found

    def _coordinate_text(self, a: int, b: int) -> str | None:
        """The string an argument stands for: a literal, a concatenation or a known name."""
        tokens = self.tokens
        if b - a == 1 and tokens[a].kind == "str":
            return self.scope.expand(tokens[a], self.dialect)
        if any(t.kind == "str" for t in tokens[a:b]) and any(t.text == "+" for t in tokens[a:b]):
            pieces: list[str] = []
            for x, y in split_at(tokens, a, b, "+"):
                value = evaluate(tokens, x, y, self.scope, self.dialect)
                pieces.append(value if value is not None else "${" + (chain_text(tokens, x, y) or "?") + "}")
            return "".join(pieces)
        chain = chain_text(tokens, a, b)
        if (
            chain is not None
            and re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", chain)
            and chain.split(".", 1)[0] not in self.scope.catalogs
        ):  # a name, or an entry of a map: `deps.okhttp`
            value = self.scope.lookup(chain)
            if value is not None and ":" in value:
                return value
        return None

    def _catalog_entry(self, chain: str) -> tuple[str, Catalog, str, str] | None:
        """(catalog name, catalog, section, alias) a reference names (`libs.spring.web`,
        `libs.bundles.x`, `libs.findLibrary("x")`); None when it names none of the script's
        catalogs (a published catalog, or no reference at all)."""
        chain = re.sub(r"(\.get\(\)|\.asProvider\(\))+$", "", chain)
        finder = re.fullmatch(r"(\w+)\.find(Library|Bundle|Plugin)\(\"(.+?)\"\)", chain)
        if finder is not None:
            name, alias = finder.group(1), accessor(finder.group(3))
            section = {"Library": "libraries", "Bundle": "bundles", "Plugin": "plugins"}[finder.group(2)]
        elif re.fullmatch(r"\w+(\.\w+)+", chain):
            name, _, rest = chain.partition(".")
            first, _, remainder = rest.partition(".")
            section, alias = (first, remainder) if first in CATALOG_SECTIONS else ("libraries", rest)
        else:
            return None
        catalog = self.scope.catalogs.get(name)
        return (name, catalog, section, alias) if catalog is not None else None

    def _missing(self, name: str, catalog: Catalog, section: str, alias: str, line: int) -> None:
        where = "" if section == "libraries" else f"{section}."
        self.out.warnings.append(f"line {line}: {name}.{where}{alias} is not in {catalog.path}")

    def _catalog_plugin(self, chain: str, line: int) -> tuple[str, str | None] | None:
        """(id, version) of `alias(libs.plugins.x)`."""
        entry = self._catalog_entry(chain)
        if entry is None:
            return None
        name, catalog, section, alias = entry
        if section == "plugins" and alias in catalog.plugins:
            return catalog.plugins[alias]
        self._missing(name, catalog, section, alias, line)
        return None

    def _catalog_libraries(self, chain: str, line: int) -> list[tuple[str, str | None]]:
        """(module, version) of each library a library or bundle reference stands for."""
        entry = self._catalog_entry(chain)
        if entry is None:
            return []
        name, catalog, section, alias = entry
        if section == "libraries" and alias in catalog.libraries:
            return [catalog.libraries[alias]]
        if section == "bundles" and alias in catalog.bundles:
            return [catalog.libraries[member] for member in catalog.bundles[alias]]
        if section != "versions":
            self._missing(name, catalog, section, alias, line)
        return []

    def _closure_version(self, start: int, end: int) -> str | None:
        """`{ version { strictly("1.0") } }` after a declaration."""
        tokens = self.tokens
        for index in range(start, min(end, len(tokens))):
            if tokens[index].kind == "ident" and tokens[index].text in ("strictly", "require", "prefer"):
                following = index + 1
                if following < end and tokens[following].text == "(":
                    following += 1
                if following < end and tokens[following].kind == "str":
                    return self.scope.expand(tokens[following], self.dialect)
        return None

    def _boms(self) -> None:
        """`mavenBom "g:a:v"` of the io.spring.dependency-management plugin."""
        tokens = self.tokens
        for index, token in enumerate(tokens):
            if token.kind != "ident" or token.text != "mavenBom":
                continue
            at = index + 1
            if at < len(tokens) and tokens[at].text == "(":
                at += 1
            end = at
            while (
                end < len(tokens)
                and tokens[end].kind not in ("nl", "close")
                and tokens[end].text not in (",", ";", "{")
            ):
                end += 1
            text = self._coordinate_text(at, end) if end > at else None
            coordinate = parse_coordinate(text) if text else None
            if coordinate is not None:
                self.out.dependencies.append(
                    Dependency(ECOSYSTEM, coordinate[0], coordinate[1], None, "build", self.script.path)
                )

    # runtimes

    def _runtimes(self) -> None:
        tokens = self.tokens
        found: dict[str, str] = {}
        for index, token in enumerate(tokens):
            if token.kind != "ident":
                continue
            setting: str | None = None
            at = index + 1
            if token.text == "JavaLanguageVersion" and _texts(tokens, at, 3) == [".", "of", "("]:
                setting, at = "toolchain", at + 3
            elif token.text == "jvmToolchain" and _texts(tokens, at, 1) == ["("]:
                setting, at = "toolchain", at + 1
            elif token.text in ("sourceCompatibility", "targetCompatibility", "jvmTarget") or (
                token.text == "release" and index >= 2 and _texts(tokens, index - 2, 2) == ["options", "."]
            ):
                setting = token.text  # `options.release = 17` of a JavaCompile task
                if _texts(tokens, at, 1) == ["="]:
                    at += 1
                elif _texts(tokens, at, 3) == [".", "set", "("]:
                    at += 3
            if setting is None or setting in found or at >= len(tokens):
                continue
            version = self._java_version(at)
            if version:
                found[setting] = version
        for setting in JAVA_SETTINGS:
            if setting in found:
                self.out.runtimes.append(Runtime("java", found[setting], evidence=self.script.path))
                break
        for ecosystem, name in KOTLIN_SIGNALS:
            version = next(
                (
                    d.declared
                    for d in self.out.dependencies
                    if (d.ecosystem, d.name) == (ecosystem, name) and d.declared
                ),
                None,
            )
            if version is not None and "$" not in version:
                self.out.runtimes.append(Runtime("kotlin", version, evidence=self.script.path))
                break

    def _java_version(self, at: int) -> str | None:
        """`17`, `'17'`, `JavaVersion.VERSION_1_8`, `JvmTarget.JVM_17`, `JavaVersion.toVersion(17)`,
        a known name, or `libs.versions.java.get()`."""
        tokens = self.tokens
        token = tokens[at]
        if token.kind == "num":
            return re.sub(r"[LlFf]$", "", token.text)
        if token.kind == "str":
            value = self.scope.expand(token, self.dialect).strip()
            return value if value and "$" not in value else None
        if token.kind != "ident":
            return None
        end = at
        while (
            end < len(tokens) and tokens[end].kind in ("ident", "op") and tokens[end].text not in (",", ";", "=", "+")
        ):
            end += 1
        words = [t.text for t in tokens[at:end] if t.kind == "ident"]
        if words and words[0] in ("JavaVersion", "JvmTarget", "JavaLanguageVersion"):
            constant = _JAVA_CONSTANT_RE.match(words[-1]) if len(words) > 1 else None
            if constant is not None:
                return constant.group(1).replace("_", ".")
            if words[-1] in ("toVersion", "of", "fromTarget") and end < len(tokens) and tokens[end].text == "(":
                return self._java_version(end + 1) if end + 1 < len(tokens) else None
            return None
        close = end
        if close < len(tokens) and tokens[close].text == "(":  # libs.versions.java.get()
            close = self.script.pairs.get(close, len(tokens)) + 1
        while _texts(tokens, close, 1) == ["."] and _texts(tokens, close + 2, 2) == ["(", ")"]:
            close += 4  # .toInt(), .toString()
        chain = chain_text(tokens, at, min(close, len(tokens)))
        value = self.scope.lookup(chain) if chain else None
        return value.strip() if value and value.strip() else None


def _texts(tokens: list[Token], start: int, count: int) -> list[str]:
    return [t.text for t in tokens[start : start + count]]


def _first_string(tokens: list[Token], start: int, end: int, scope: Scope, dialect: Dialect) -> str | None:
    for token in tokens[start:end]:
        if token.kind == "str":
            return scope.expand(token, dialect)
    return None


def configuration_scope(configuration: str) -> str:
    """The scope of what a configuration holds: `testImplementation` -> test, `compileOnly` ->
    build, `debugImplementation` -> runtime, a tool's own (`detektPlugins`) -> build."""
    if _TEST_WORD_RE.search(configuration) and configuration != "testAndDevelopmentOnly":
        return "test"
    for base, scope in CONFIGURATIONS:
        if configuration == base or configuration.endswith(base[0].upper() + base[1:]):
            return scope
    return UNKNOWN_CONFIGURATION_SCOPE


def parse_gradle(
    text: str,
    path: str,
    *,
    properties: dict[str, str] | None = None,
    catalogs: dict[str, Catalog] | None = None,
) -> Parsed:
    """One build script on its own (its path's suffix says Groovy or Kotlin), with the
    gradle.properties values and catalogs it may use. Raises ParseError when it cannot be
    tokenized (a string or comment that never ends)."""
    script = Script(text, path)
    return script.facts(Scope(properties=dict(properties or {}), catalogs=dict(catalogs or {})))


# --- the detector -------------------------------------------------------------------------------


def _project_folder(path: str) -> str:
    """The folder a script or catalog belongs to: a file in `gradle/` belongs to the folder above."""
    folder = posixpath.dirname(path)
    if posixpath.basename(folder) == "gradle":
        return posixpath.dirname(folder)
    return folder


def _ancestors(folder: str) -> list[str]:
    """`a/b` -> ["a/b", "a", ""]."""
    out = [folder]
    while folder:
        folder = posixpath.dirname(folder)
        out.append(folder)
    return out


def detect(repo: RepoView) -> Facts:
    facts = Facts()

    def texts(globs: tuple[str, ...]) -> Iterator[tuple[str, str]]:
        for path in repo.matching(globs):
            if manifest_excluded(path):
                continue
            text = read_text(repo, path, facts)
            if text is not None:
                yield path, text

    properties: dict[str, dict[str, str]] = {}
    for path, text in texts((PROPERTIES_FILE,)):
        properties[posixpath.dirname(path)] = parse_properties(text)
    catalogs: dict[str, dict[str, Catalog]] = {}
    for path, text in texts((CATALOG_GLOB,)):
        if posixpath.basename(posixpath.dirname(path)) != "gradle":
            continue
        try:
            catalog = parse_catalog(text, path)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        name = posixpath.basename(path)[: -len(".versions.toml")]
        catalogs.setdefault(_project_folder(path), {})[name] = catalog
        for message in catalog.warnings:
            facts.warn(path, message)
    scripts: list[Script] = []
    for path, text in texts(SCRIPT_GLOBS):
        try:
            scripts.append(Script(text, path))
        except ParseError as err:
            facts.warn(path, str(err))
    buildsrc: dict[str, dict[str, Definition]] = {}  # build folder -> the vals of its buildSrc
    for path, text in texts(BUILDSRC_GLOBS):
        at = path.find(BUILDSRC_SOURCES)
        if at < 0 or (at > 0 and path[at - 1] != "/"):
            continue
        try:
            tokens = tokenize(text, KOTLIN)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        merge_definitions(buildsrc.setdefault(path[: max(at - 1, 0)], {}), declarations(tokens, KOTLIN))
    exported: dict[str, dict[str, Definition]] = {}
    for script in sorted(scripts, key=lambda s: (s.path.count("/"), s.path)):
        exported.setdefault(_project_folder(script.path), {}).update(script.exported)
    for script in scripts:
        chain = _ancestors(posixpath.dirname(script.path))
        merged_properties: dict[str, str] = {}
        for folder in reversed(chain):
            merged_properties.update(properties.get(folder, {}))
        nearest_catalogs = next((catalogs[f] for f in chain if f in catalogs), {})
        scope = Scope(
            inherited=[exported[f] for f in chain if f in exported] + [buildsrc[f] for f in chain if f in buildsrc],
            properties=merged_properties,
            catalogs=dict(nearest_catalogs),
        )
        parsed = script.facts(scope)
        facts.dependencies += parsed.dependencies
        facts.runtimes += parsed.runtimes
        for message in parsed.warnings:
            facts.warn(script.path, message)
    for path, text in texts((WRAPPER_FILE,)):
        try:
            facts.dependencies.append(parse_wrapper(text, path))
        except ParseError as err:
            facts.warn(path, str(err))
    return facts
