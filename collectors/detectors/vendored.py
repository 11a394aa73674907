"""Which paths are not the repository's own code: vendored, generated or documentation.

Linguist leaves these out of a repository's language breakdown, and so do we. The rules are data,
after the conventions of Linguist's `vendor.yml`, `documentation.yml` and the name-based checks of
`generated.rb`. A rule is `(folder, name, why)`:

- `folder`: a regular expression searched in the file's folder path, written with a trailing
  slash (`src/app/`; `""` for a file at the root), or None for any folder. A folder-only rule
  starts with `^` (from the root) or `(^|/)` (a folder anywhere);
- `name`: a regular expression the file's base name must match whole, or None for any name.

Both must hold. Splitting folder from name lets a whole repository be checked quickly: folders
and names repeat, so each is matched once and remembered.

In front of these tables come, as in Linguist:

- `.gitattributes` overrides (`GitAttributes`): `linguist-vendored`, `linguist-generated` and
  `linguist-documentation` set or unset a kind for the paths a pattern matches (`-linguist-vendored`
  or `linguist-vendored=false` un-vendors a path the tables would leave out), with git's rules for
  patterns and precedence; `linguist-detectable` and `linguist-language` ride along for the
  languages detector;
- the content checks of `generated.rb` (`generated_by_content`): a header that says the file is
  generated ("Code generated ... DO NOT EDIT", "@generated", protobuf, gRPC, Thrift, Cython...),
  or a minified script or stylesheet. Only the first `GENERATED_READ_BYTES` of a file are looked at.

`manifest_excluded` is the narrower rule the dependency detectors use: a manifest inside a folder
of installed or copied third-party code (node_modules/, a virtualenv, vendor/) describes someone
else's project, not this one.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache

Rule = tuple[str | None, str | None, str]  # (folder regex, name regex, why)


def in_folder(folder: str, why: str) -> Rule:
    """Every file under a folder matching `folder` (searched in "a/b/", so anchor with ^ or /)."""
    return (folder, None, why)


def named(name: str, why: str) -> Rule:
    """Every file, in any folder, whose base name matches `name` whole."""
    return (None, name, why)


def at_root(name: str, why: str) -> Rule:
    """A file at the top of the repository whose name matches `name` whole."""
    return ("^$", name, why)


VENDORED: tuple[Rule, ...] = (
    # Installed dependencies and copies of other people's code
    in_folder(r"(^|/)node_modules/", "node dependencies"),
    in_folder(r"(^|/)bower_components/", "bower dependencies"),
    in_folder(r"(^|/)jspm_packages/", "jspm dependencies"),
    in_folder(r"(^|/)\.yarn/(releases|plugins|sdks|versions|unplugged|cache)/", "yarn's own files"),
    in_folder(r"(^|/)[Vv]endors?/", "vendored dependencies"),
    in_folder(r"(^|/)(3rd|[Tt]hird)[-_]?[Pp]arty/", "third-party code"),
    in_folder(r"(^|/)extern(al)?/", "external code"),
    in_folder(r"^[Dd]ependencies/", "dependencies folder"),
    in_folder(r"^deps/", "C dependencies"),
    in_folder(r"(^|/)Godeps/_workspace/", "Go dependencies"),
    in_folder(r"(^|/)(\.?venv|env|virtualenv)/", "Python virtual environment"),
    in_folder(r"(^|/)site-packages/", "installed Python packages"),
    in_folder(r"(^|/)\.(tox|nox|eggs)/", "Python tool environments"),
    in_folder(r"(^|/)admin_media/", "Django admin media"),
    in_folder(r"^[Pp]ackages/.+\.\d+/", "NuGet packages"),
    in_folder(r"(^|/)(Carthage|Sparkle)/", "Cocoa dependencies"),
    in_folder(r"(^|/)(Crashlytics|Fabric|BuddyBuildSDK|Realm|RealmSwift)\.framework/", "bundled frameworks"),
    in_folder(r"(^|/)[^/]*\.(xctemplate|imageset)/", "Xcode templates and assets"),
    in_folder(r"^debian/", "Debian packaging"),
    in_folder(r"(^|/)\.google_apis/", "Android Google APIs"),
    # Build output and caches
    in_folder(r"(^|/)dist/", "distribution build"),
    in_folder(r"(^|/)cache/", "cache"),
    in_folder(r"(^|/)docs?/_?(build|themes?|templates?|static)/", "Sphinx build and theme"),
    # Build-tool scaffolding copied into the repository
    named(r"configure|config\.guess|config\.sub", "autoconf output"),
    named(r"(aclocal|libtool|ltoptions|ltsugar|ltversion|lt~obsolete)\.m4", "autoconf output"),
    named(r"gradlew(\.bat)?", "Gradle wrapper"),
    in_folder(r"(^|/)gradle/wrapper/", "Gradle wrapper"),
    named(r"mvnw(\.cmd)?", "Maven wrapper"),
    in_folder(r"(^|/)\.mvn/wrapper/", "Maven wrapper"),
    named(r"dotnet-install\.(ps1|sh)", ".NET install script"),
    named(r"activator(\.bat)?", "Typesafe Activator"),
    named(r"cpplint\.py", "bundled linter"),
    named(r"erlang\.mk", "Erlang bundle"),
    at_root(r"rebar", "Erlang bundle"),
    at_root(r"waf", "WAF build script"),
    at_root(r"fabfile\.py", "Fabric script"),
    at_root(r"Vagrantfile", "Vagrant"),
    at_root(r"Jenkinsfile", "Jenkins pipeline"),
    named(r"proguard(-rules)?\.pro", "ProGuard rules"),
    # Editor and VCS configuration
    in_folder(r"(^|/)\.vscode/", "VS Code settings"),
    named(r".*\.sublime-(project|workspace)", "Sublime Text project"),
    named(r"\.git(attributes|ignore|modules)", "git configuration"),
    named(r"\.[Dd][Ss]_[Ss]tore", "macOS folder settings"),
    # Test fixtures
    in_folder(r"^[Tt]ests?/fixtures/", "test fixtures"),
    in_folder(r"^[Ss]pecs?/fixtures/", "test fixtures"),
    in_folder(r"(^|/)testdata/", "Go test data"),
    in_folder(r"^vignettes/", "R vignettes"),
    in_folder(r"^inst/extdata/", "R package data"),
    # Minified and bundled front-end libraries
    named(r".*[.-]min\.(js|css)", "minified"),
    named(r".*\.d\.ts", "TypeScript declarations"),
    in_folder(r"(^|/)flow-typed/", "flow-typed declarations"),
    named(r"jquery[^.]*\.js", "jQuery"),
    named(r"jquery[-.].*\.(js|css)", "jQuery plugin"),
    named(r"bootstrap[^.]*(\..*)?\.(js|css|less|scss|styl)", "Bootstrap"),
    named(r"(font-?awesome|foundation|normalize|skeleton|animate|bulma)\.(css|less|s[ac]ss|styl)", "CSS lib"),
    in_folder(r"(^|/)(font-?awesome|[Bb]ourbon|select2)/", "CSS library"),
    named(r"materialize\.(css|less|scss|styl|js)", "Materialize"),
    named(r".*import\.(css|less|scss|styl)", "imported stylesheet"),
    named(r"(angular|yui|yahoo-|cordova|tiny_mce)[^.]*\.js", "JavaScript library"),
    named(r"(d3(\.v\d+)?[^.]*|react(-[^.]*)?|cordova-\d\.\d(\.\d)?)\.js", "JavaScript library"),
    named(r"(mootools|prototype).*\.js", "JavaScript library"),
    named(r"(dojo|MochiKit|ckeditor|Chart|html5shiv|bootbox|fuelux|effects|controls|dragdrop)\.js", "JS lib"),
    named(r"modernizr[-.].*\.js", "Modernizr"),
    named(r"knockout-(\d+\.){3}(debug\.)?js", "Knockout"),
    named(r"pdf\.worker\.js", "pdf.js worker"),
    named(r"foundation(\..*)?\.js", "Foundation"),
    in_folder(r"(^|/)(ace-builds|MathJax|extjs|bootstrap-datepicker)/", "bundled JavaScript library"),
    in_folder(r"(^|/)[Cc]ode[Mm]irror/(\d+\.\d+/)?(lib|mode|theme|addon|keymap|demo)/", "CodeMirror"),
    in_folder(r"(^|/)tiny_mce/(langs|plugins|themes|utils)/", "TinyMCE"),
    named(r"(shBrush[^.]*|shCore|shLegacy)\.js", "SyntaxHighlighter"),
    named(r"fontello.*\.css", "Fontello"),
    named(r"octicons\.css|sprockets-octicons\.scss", "Octicons"),
    named(r".*(-vsdoc|\.intellisense)\.js", "Visual Studio IntelliSense"),
    named(r"[Mm]icrosoft([Mm]vc)?([Aa]jax|[Vv]alidation)(\.debug)?\.js", "Microsoft Ajax"),
)

GENERATED: tuple[Rule, ...] = (
    # Lock files: written by a package manager, never by a person
    named(
        r"package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|deno\.lock"
        r"|poetry\.lock|uv\.lock|pdm\.lock|pixi\.lock|Pipfile\.lock|Cargo\.lock|composer\.lock"
        r"|Gemfile\.lock|Podfile\.lock|Package\.resolved|go\.sum|go\.work\.sum|Gopkg\.lock|glide\.lock"
        r"|flake\.lock|MODULE\.bazel\.lock|mix\.lock|pubspec\.lock|packages\.lock\.json|gradle\.lockfile"
        r"|\.terraform\.lock\.hcl|(\w+\.)?esy\.lock",
        "lock file",
    ),
    named(r"Cargo\.toml\.orig", "cargo package backup"),
    # Code generators, told by name
    named(r".*_pb2(_grpc)?\.pyi?", "protocol buffers (Python)"),
    named(r".*\.pb(\.gw)?\.go", "protocol buffers (Go)"),
    named(r".*\.pb\.(cc|h|swift)", "protocol buffers"),
    named(r".*_(grpc_)?pb\.(js|d\.ts)", "protocol buffers (JavaScript)"),
    in_folder(r"(^|/)__generated__/", "GraphQL Relay"),
    named(r".*\.[Dd]esigner\.(cs|vb)", "Visual Studio designer"),
    named(r".*\.feature\.cs", "SpecFlow"),
    named(r"\.pnp\.(c|m)?js|\.pnp\.loader\.mjs", "Yarn Plug'n'Play"),
    named(r".*\.(js|css)\.map", "source map"),
    (r"(^|/)\.sqlx/$", r"query-.*\.json", "SQLx queries"),
    in_folder(r"(^|/)sorbet/rbi/(gems|dsl|annotations)/", "Sorbet RBI"),
    # IDE and tool state
    in_folder(r"(^|/)\.idea/", "IntelliJ project"),
    named(r".*\.(nib|xcworkspacedata|xcuserstate)", "Xcode state"),
    in_folder(r"(^|/)Pods/", "CocoaPods"),
    in_folder(r"(^|/)Godeps/", "Godeps"),
    in_folder(r"(^|/)htmlcov/", "coverage report"),
)

DOCUMENTATION: tuple[Rule, ...] = (
    in_folder(r"^[Dd]ocs?/", "documentation folder"),
    in_folder(r"(^|/)[Dd]ocumentation/", "documentation folder"),
    in_folder(r"(^|/)([Gg]roovy|[Jj]ava)doc/", "API documentation"),
    in_folder(r"^[Mm]an/", "manual pages"),
    in_folder(r"^[Ee]xamples?/", "examples"),
    in_folder(r"^[Dd]emos?/", "demos"),
    in_folder(r"^[Ss]amples?/", "samples"),
    in_folder(r"(^|/)inst/doc/", "R documentation"),
    named(r"CITATION(\.cff|S?(\.(bib|md))?)", "citation"),
    named(
        r"(CHANGES?|CHANGELOG|CONTRIBUTING|COPYING|INSTALL|LICEN[CS]E|[Ll]icen[cs]e|README|[Rr]eadme)(\..*)?",
        "project document",
    ),
)

#: Folders whose manifests belong to installed or copied third-party code.
MANIFEST_EXCLUDED: tuple[Rule, ...] = (
    in_folder(r"(^|/)(node_modules|bower_components|jspm_packages|\.yarn|\.pnpm-store)/", "JS packages"),
    in_folder(r"(^|/)(\.?venv|virtualenv|site-packages|\.tox|\.nox|\.eggs|__pypackages__)/", "Python env"),
    in_folder(r"(^|/)([Vv]endors?|(3rd|[Tt]hird)[-_]?[Pp]arty)/", "vendored code"),
)

#: The exclusion tables in the order they are checked; the first match names the kind.
EXCLUSIONS: tuple[tuple[str, tuple[Rule, ...]], ...] = (
    ("vendored", VENDORED),
    ("generated", GENERATED),
    ("documentation", DOCUMENTATION),
)


class _Matcher:
    """A table of rules compiled for speed.

    Folder-only rules become two alternations: rules anchored at the root (`^docs/`) are matched
    at the start of the folder path; rules for a folder anywhere (`(^|/)node_modules/`) are
    searched in "/" + folder with every branch starting at a slash, which lets the regex engine
    jump from slash to slash. Name-only rules are one alternation. Results are remembered per
    folder and per name, since both repeat across a repository; the few rules needing both a
    folder and a name are grouped by folder pattern.
    """

    _CACHE_LIMIT = 1 << 17

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        rooted: list[str] = []
        anywhere: list[str] = []
        both: dict[str, list[str]] = {}
        for folder, name, _ in rules:
            if folder is not None and name is not None:
                both.setdefault(folder, []).append(name)
            elif folder is not None:
                if folder.startswith(_ANYWHERE):
                    anywhere.append("/" + folder[len(_ANYWHERE) :])
                elif folder.startswith("^"):
                    rooted.append(folder[1:])
                else:
                    raise ValueError(f"folder rule {folder!r} must start with ^ or {_ANYWHERE}")
        self._rooted = _alternation(rooted)
        self._anywhere = _alternation(anywhere)
        self._name = _alternation([n for f, n, _ in rules if f is None and n is not None])
        self._both = [(re.compile(f), _alternation(names)) for f, names in both.items()]
        # folder (no trailing slash) -> (every file in it is matched, name patterns to try)
        self._folders: dict[str, tuple[bool, tuple[re.Pattern[str], ...]]] = {}
        self._names: dict[str, bool] = {}

    def _folder(self, folder: str) -> tuple[bool, tuple[re.Pattern[str], ...]]:
        with_slash = folder + "/" if folder else ""
        if (self._rooted is not None and self._rooted.match(with_slash)) or (
            self._anywhere is not None and self._anywhere.search("/" + with_slash)
        ):
            return True, ()
        return False, tuple(names for f, names in self._both if names is not None and f.search(with_slash))

    def matches(self, path: str) -> bool:
        folder, _, name = path.rpartition("/")
        found = self._folders.get(folder)
        if found is None:
            if len(self._folders) > self._CACHE_LIMIT:
                self._folders.clear()
            found = self._folders[folder] = self._folder(folder)
        whole, names = found
        if whole:
            return True
        hit = self._names.get(name)
        if hit is None:
            if len(self._names) > self._CACHE_LIMIT:
                self._names.clear()
            hit = self._names[name] = self._name is not None and self._name.fullmatch(name) is not None
        return hit or any(n.fullmatch(name) for n in names)


_ANYWHERE = "(^|/)"


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


@cache
def _matcher(rules: tuple[Rule, ...]) -> _Matcher:
    return _Matcher(rules)


@cache
def _all_exclusions() -> _Matcher:
    return _Matcher(tuple(rule for _, rules in EXCLUSIONS for rule in rules))


def split(path: str) -> tuple[str, str]:
    """("a/b/", "c.py") for "a/b/c.py"; ("", "c.py") at the root."""
    folder, name = posixpath.split(path)
    return (folder + "/" if folder else ""), name


def rule_matches(rule: Rule, path: str) -> bool:
    folder_rx, name_rx, _ = rule
    folder, name = split(path)
    return (folder_rx is None or re.search(folder_rx, folder) is not None) and (
        name_rx is None or re.fullmatch(name_rx, name) is not None
    )


def matches_any(path: str, rules: tuple[Rule, ...]) -> bool:
    return _matcher(rules).matches(path)


def is_excluded(path: str) -> bool:
    """True when `path` is left out of language statistics (vendored, generated, documentation)."""
    return _all_exclusions().matches(path)


def exclusion(path: str) -> tuple[str, str] | None:
    """(kind, reason) when `path` is left out of language statistics, else None; slower than
    `is_excluded`, for explaining one path."""
    for kind, rules in EXCLUSIONS:
        for rule in rules:
            if rule_matches(rule, path):
                return kind, rule[2]
    return None


def manifest_excluded(path: str) -> bool:
    """True for a manifest inside installed or vendored third-party code."""
    return _matcher(MANIFEST_EXCLUDED).matches(path)


def excluded_with(path: str, overrides: dict[str, bool | str]) -> bool:
    """`is_excluded`, with `.gitattributes` overrides for some kinds ("vendored": False un-vendors)."""
    if not any(kind in overrides for kind, _ in EXCLUSIONS):
        return is_excluded(path)
    for kind, rules in EXCLUSIONS:
        flag = overrides.get(kind)
        if flag is None:
            flag = matches_any(path, rules)
        if flag:
            return True
    return False


# --- .gitattributes --------------------------------------------------------------------------------

#: The attributes Linguist reads, and the key each becomes in `GitAttributes.overrides`.
LINGUIST_ATTRIBUTES: dict[str, str] = {
    "linguist-vendored": "vendored",
    "linguist-generated": "generated",
    "linguist-documentation": "documentation",
    "linguist-detectable": "detectable",
    "linguist-language": "language",
}
#: Macros git defines itself (`[attr]binary -diff -merge -text`); none touches Linguist.
_BUILTIN_MACROS: dict[str, tuple[tuple[str, bool | str | None], ...]] = {"binary": ()}

AttrValue = bool | str | None  # True set, False unset, str a value, None back to unspecified


@dataclass(frozen=True)
class AttrRule:
    """One line of a `.gitattributes` file, kept only for the Linguist attributes it assigns."""

    base: str  # the folder of the .gitattributes file, "" or "a/b/"
    pattern: str
    by_name: bool  # no slash in the pattern: it matches a file name at any depth below `base`
    regex: re.Pattern[str]
    assignments: tuple[tuple[str, AttrValue], ...]  # Linguist attribute -> value, in line order

    def matches(self, path: str, name: str) -> bool:
        if self.base and not path.startswith(self.base):
            return False
        return self.regex.fullmatch(name if self.by_name else path[len(self.base) :]) is not None


def parse_gitattributes(
    text: str, base: str = "", macros: dict[str, tuple[tuple[str, AttrValue], ...]] | None = None
) -> list[AttrRule]:
    """The Linguist rules of one `.gitattributes` file in folder `base` ("" or "a/b/").

    Git's rules: blank lines and `#` comments are skipped; a pattern may be "C-quoted"; `attr`
    sets, `-attr` unsets, `!attr` returns to unspecified, `attr=value` gives a value; negative
    patterns (`!pat`) and folder patterns (`dir/`) never match a file. Macros (`[attr]name ...`)
    are honoured from the top-level file only, as git does: pass the same `macros` dict to the
    files below. Lines git would reject are skipped, never raised on.
    """
    macros = dict(_BUILTIN_MACROS) if macros is None else macros
    rules: list[AttrRule] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        split = _split_pattern(line)
        if split is None:
            continue
        pattern, tokens = split
        if pattern.startswith("[attr]"):
            if not base:  # git honours macros in the top-level file only
                name = pattern[len("[attr]") :]
                if _ATTR_NAME.fullmatch(name):
                    macros[name] = _assignments(tokens, macros)
            continue
        assignments = _assignments(tokens, macros)
        if not assignments or pattern.startswith("!") or pattern.endswith("/") or not pattern:
            continue
        compiled = _compile_pattern(pattern)
        if compiled is None:
            continue
        by_name, regex = compiled
        rules.append(AttrRule(base, pattern, by_name, regex, assignments))
    return rules


_ATTR_NAME = re.compile(r"[A-Za-z0-9_.][-A-Za-z0-9_.]*")
_OCTAL = re.compile(r"[0-3][0-7]{2}")
_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"', "\\": "\\"}


def _split_pattern(line: str) -> tuple[str, list[str]] | None:
    """(pattern, attribute tokens) of a stripped non-comment line; None when the quoting is bad.

    A quoted pattern's octal escapes are bytes (`"caf\\303\\251.py"` is café.py in UTF-8).
    """
    if not line.startswith('"'):
        pattern, *tokens = line.split()
        return pattern, tokens
    out = bytearray()
    i = 1
    while i < len(line):
        c = line[i]
        if c == '"':
            return out.decode("utf-8", "surrogateescape"), line[i + 1 :].split()
        if c == "\\":
            octal = _OCTAL.match(line, i + 1)
            if octal:
                out.append(int(octal.group(), 8))
                i += 4
                continue
            escaped = _C_ESCAPES.get(line[i + 1 : i + 2])
            if escaped is None:
                return None
            out += escaped.encode()
            i += 2
            continue
        out += c.encode("utf-8", "surrogatepass")
        i += 1
    return None  # no closing quote


def _assignments(
    tokens: list[str], macros: dict[str, tuple[tuple[str, AttrValue], ...]]
) -> tuple[tuple[str, AttrValue], ...]:
    """The Linguist attributes a line's tokens assign, macros expanded (when set)."""
    out: list[tuple[str, AttrValue]] = []
    for token in tokens:
        value: AttrValue
        if token.startswith(("-", "!")):
            name, value = token[1:], (False if token[0] == "-" else None)
        elif "=" in token:
            name, _, value = token.partition("=")
        else:
            name, value = token, True
        if not _ATTR_NAME.fullmatch(name):
            continue
        if name in LINGUIST_ATTRIBUTES:
            out.append((name, value))
        elif value is True and name in macros:
            out.extend(macros[name])
    return tuple(out)


_POSIX_CLASSES = {  # ASCII only, as wildmatch's
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}


def _compile_pattern(pattern: str) -> tuple[bool, re.Pattern[str]] | None:
    """(matches a name only, regex) for a gitattributes pattern; None when it can match nothing.

    Git's wildmatch with pathname semantics: `*` and `?` and `[...]` stop at "/"; `**/` at the
    start or between slashes is any number of folders, `/**` at the end everything below, other
    `**` a plain `*`; a pattern with a slash is anchored at the attributes file's folder (one
    leading "/" only anchors). Checked against `git check-attr` by the tests.
    """
    by_name = "/" not in pattern
    glob = pattern[1:] if pattern.startswith("/") else pattern  # git drops one leading slash
    if not glob:
        return None
    out: list[str] = []
    i, n = 0, len(glob)
    # git compares the literal start of a pattern apart, then wildmatches the rest as a pattern of
    # its own: a "**" right after that literal start counts as standing at a segment's start.
    literal = next((k for k, ch in enumerate(glob) if ch in "*?[\\"), n)
    while i < n:
        c = glob[i]
        if c == "*":
            j = i
            while j < n and glob[j] == "*":
                j += 1
            starts_segment = i in (0, literal) or glob[i - 1] == "/"
            if j - i < 2 or by_name or not starts_segment or (j < n and glob[j] != "/"):
                out.append("[^/]*")  # "**" inside a name is a plain "*"
            elif j < n:
                out.append("(?:.*/)?")  # "**/": no folder, or any number of them
                j += 1  # the slash belongs to the "**/"
            else:
                out.append(".*")  # "/**" at the end: everything below
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            found = _bracket(glob, i)
            if found is None:
                return None  # wildmatch gives up on an unclosed bracket: the line matches nothing
            cls, i = found
            out.append(cls)
        elif c == "\\":
            if i + 1 >= n:
                return None
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    try:
        return by_name, re.compile("".join(out), re.DOTALL)
    except re.error:  # a reversed range such as [z-a]
        return None


def _bracket(glob: str, start: int) -> tuple[str, int] | None:
    """A `[...]` class at `start` as a regex class that never matches "/", and the index after it.

    As wildmatch reads one: "]" first is literal; `a-z` is a range (the "a" always matches, so a
    reversed range `[c-a]` is just "c"); `[:alpha:]` and its kin; None when it never closes or
    names an unknown class (git then matches nothing).
    """
    n = len(glob)
    i = start + 1
    negate = i < n and glob[i] in "!^"
    if negate:
        i += 1
    items: list[str] = []
    prev: str | None = None  # the last literal, which a following "-x" makes a range from
    first = True
    while True:
        if i >= n:
            return None
        c = glob[i]
        if c == "]" and not first:
            break
        first = False
        if c == "\\":
            if i + 1 >= n:
                return None
            prev = glob[i + 1]
            items.append(re.escape(prev))
            i += 2
        elif c == "-" and prev is not None and i + 1 < n and glob[i + 1] != "]":
            i += 1
            if glob[i] == "\\":
                i += 1
                if i >= n:
                    return None
            if prev <= glob[i]:
                items.append(f"{re.escape(prev)}-{re.escape(glob[i])}")
            prev = None
            i += 1
        elif c == "[" and glob.startswith(":", i + 1):
            close = glob.find("]", i + 2)
            if close == -1:
                return None
            if close - 1 >= i + 2 and glob[close - 1] == ":":
                cls = _POSIX_CLASSES.get(glob[i + 2 : close - 1])
                if cls is None:
                    return None
                items.append(cls)
                prev = None
                i = close + 1
            else:  # no ":]" before the "]": a literal "["
                items.append(re.escape("["))
                prev = "["
                i += 1
        else:
            items.append(re.escape(c))
            prev = c
            i += 1
    body = "".join(items)
    return ("[^/" + body + "]" if negate else "(?!/)[" + body + "]"), i + 1


class GitAttributes:
    """Every `.gitattributes` rule of a repository that touches Linguist, in git's precedence:
    the top-level file first, then deeper ones, each file's lines in order; the last match wins."""

    def __init__(self, rules: list[AttrRule]) -> None:
        self.rules = rules

    @classmethod
    def from_files(cls, files: dict[str, str]) -> GitAttributes:
        """From the text of each `.gitattributes` file, by path."""
        macros = dict(_BUILTIN_MACROS)
        ordered = sorted(files, key=lambda p: (p.count("/"), p))
        rules: list[AttrRule] = []
        for path in ordered:
            base = posixpath.dirname(path)
            rules += parse_gitattributes(files[path], base + "/" if base else "", macros)
        return cls(rules)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def attributes(self, path: str) -> dict[str, bool | str]:
        """The Linguist attributes git gives `path` (attribute -> True, False or a value)."""
        found: dict[str, bool | str] = {}
        name = path.rsplit("/", 1)[-1]
        for attr_rule in self.rules:
            if attr_rule.matches(path, name):
                for attr, value in attr_rule.assignments:
                    if value is None:
                        found.pop(attr, None)
                    else:
                        found[attr] = value
        return found

    def overrides(self, path: str) -> dict[str, bool | str]:
        """What Linguist makes of them: {"vendored": bool, ..., "language": name}, set ones only.

        As Linguist reads a flag, anything but unset or "false" is true; a language needs a value.
        """
        out: dict[str, bool | str] = {}
        for attr, value in self.attributes(path).items():
            key = LINGUIST_ATTRIBUTES[attr]
            if key == "language":
                if isinstance(value, str) and value:
                    out[key] = value
            else:
                out[key] = value is not False and value != "false"
        return out


# --- generated, by content ----------------------------------------------------------------------

#: Only the start of a file is read to tell whether it is generated (Linguist reads it whole).
GENERATED_READ_BYTES = 4096
#: A header marker counts in the first lines only (Linguist looks at up to 40 for Go).
GENERATED_HEAD_LINES = 40
#: Minified: a script or stylesheet whose lines average more than this many characters.
MINIFIED_EXTENSIONS = (".js", ".css")
MINIFIED_LINE_LENGTH = 110

# Where a marker may stand on its line. PROSE: after an optional comment leader and words (no
# quote, no "=", so a code generator's own string constant is not taken for its output);
# COMMENT: the same but the comment leader is required; OPENING: first thing in the comment.
PROSE, COMMENT, OPENING = "prose", "comment", "opening"

#: (regex, where it may stand, why). Specific phrases of known generators first. Each one says
#: "generated" in some case: `generated_by_content` relies on it to skip lines quickly.
GENERATED_MARKERS: tuple[tuple[str, str, str], ...] = (
    (r"Code generated\b[^\n]*?\bDO NOT EDIT", PROSE, "'Code generated ... DO NOT EDIT' header"),
    (r"@generated\b", COMMENT, "@generated marker"),
    (r"Generated by the protocol buffer compiler", PROSE, "protocol buffers"),
    (r"Generated by the gRPC", PROSE, "gRPC"),
    (r"GENERATED CODE -- DO NOT EDIT", PROSE, "protocol buffers (JavaScript)"),
    (r"Autogenerated by Thrift Compiler", PROSE, "Apache Thrift"),
    (r"Generated by Cython\b", PROSE, "Cython"),
    (r"<auto-generated\b", PROSE, ".NET code generator"),
    (r"Generated by (?:Haxe|PEG\.js|CoffeeScript)\b", PROSE, "compiled to JavaScript"),
    (r"\b(?:parser )?generated by jison(?:-lex)?\b", PROSE, "Jison"),
    (r"DO NOT EDIT THIS FILE - it is machine generated", PROSE, "JNI header"),
    (r"(?i:generated code\W{2,3}do not modify)", PROSE, "Dart generator"),
    (
        r"(?i:\b(?:this|the following)\s+(?:file|code|source(?:\s+file)?|class|module)\s+"
        r"(?:is|was|has\s+been)\s+(?:(?:automatically|auto-?|machine)[\s-]*generated\b"
        r"|generated\s+(?:by|from|with|automatically)\b))",
        PROSE,
        "says it is generated",
    ),
    (r"(?i:\bthis is an? (?:(?:automatically|auto-?)\s*)?generated file\b)", PROSE, "says it is generated"),
    (r"(?i:\bgenerated\b[^\n]*?\bdo not (?:edit|modify)\b)", PROSE, "generated, do not edit"),
    (r"(?i:\bdo not (?:edit|modify)\b[^\n]*?\bgenerated\b)", PROSE, "generated, do not edit"),
    (r"(?i:(?:automatically|auto-?)\s*generated\b)", OPENING, "says it is generated"),
)

_LEADER = r"(?://+!?|#+!?|/\*+!?|\*+|--+|;+|%+|<!--|\(\*+|\{-?|'|\"\"\"|'''|(?i:rem)\b|!|<#|@REM\b)"
_PROSE = r"[^\"'`=+$<>{}\[\]]*+"
# Possessive quantifiers (*+): a line of spaces then a quote must fail at once, not in n² steps.
_PREFIX_RULES = {
    PROSE: re.compile(rf"\s*+(?:{_LEADER}\s*+)?{_PROSE}"),
    COMMENT: re.compile(rf"\s*+{_LEADER}{_PROSE}"),
    OPENING: re.compile(rf"\s*+(?:{_LEADER}\s*+)?"),
}
_MARKERS = re.compile("|".join(f"(?P<m{i}>{regex})" for i, (regex, _, _) in enumerate(GENERATED_MARKERS)))


#: Block comments and docstrings a header may hold, by opener: the closer ends them.
_BLOCK_COMMENTS = {"/*": "*/", '"""': '"""', "'''": "'''", "<!--": "-->", "(*": "*)", "{-": "-}", "<#": "#>"}
#: Lines a header may hold besides comments: line comments (and `#!`, `#include`), `<?php`,
#: `"use strict";`.
_HEADER_LINE = re.compile(r"(?://|#|--|;|%|\*|'|!|@?(?i:rem)\b|<\?(?:php|hh)\b|[\"']use strict[\"'];?$)")


def _header(head: str) -> list[str]:
    """The file's leading lines up to its first line of code, at most `GENERATED_HEAD_LINES`:
    blank lines, comments, block comments and docstrings. A generator writes its mark there; a
    test that quotes a generated file further down is not generated itself."""
    out: list[str] = []
    closer: str | None = None
    for line in head.split("\n", GENERATED_HEAD_LINES)[:GENERATED_HEAD_LINES]:
        stripped = line.strip()
        if closer is not None:
            out.append(line)
            if closer in stripped:
                closer = None
            continue
        opener = next((o for o in _BLOCK_COMMENTS if stripped.startswith(o)), None)
        if opener is not None:
            out.append(line)
            if _BLOCK_COMMENTS[opener] not in stripped[len(opener) :]:
                closer = _BLOCK_COMMENTS[opener]
        elif not stripped or _HEADER_LINE.match(stripped):
            out.append(line)
        else:
            break  # the first line of code: the header is over
    return out


def minified(path: str, text: str) -> bool:
    """Linguist's test: a .js or .css file whose lines average over `MINIFIED_LINE_LENGTH`
    characters. Over a file's first bytes it is only a hint: one long line (a big regular
    expression) can lift the average of the start of a hand-written file; read it all to be sure."""
    if not text or not path.lower().endswith(MINIFIED_EXTENSIONS):
        return False
    return len(text) / (text.count("\n") + 1) > MINIFIED_LINE_LENGTH


def generated_by_content(path: str, head: str) -> str | None:
    """Why the file is generated, judging by its first bytes (`head`), or None.

    Linguist's content checks in one pass: a minified script or stylesheet (long lines: see
    `minified` when `head` is not the whole file), or a generator's mark in the file's header (its
    leading comments, `_header`), standing in a comment rather than in a string.
    """
    if minified(path, head):
        return "minified"
    if "generat" not in head.lower():
        return None  # every marker says "generated": most files are done with here
    for line in _header(head):
        if "generat" not in line.lower():
            continue  # every marker says "generated": one cheap test spares the regex on most lines
        for found in _MARKERS.finditer(line):
            index = int(found.lastgroup[1:]) if found.lastgroup else 0
            _, where, why = GENERATED_MARKERS[index]
            if _PREFIX_RULES[where].fullmatch(line, 0, found.start()):
                return why
    return None
