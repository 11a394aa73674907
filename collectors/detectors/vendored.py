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

A later change adds `.gitattributes` overrides (`linguist-vendored`, `linguist-generated`,
`linguist-documentation`) and the content-based checks (minified files, "Code generated ... DO
NOT EDIT" headers) in front of these tables.

`manifest_excluded` is the narrower rule the dependency detectors use: a manifest inside a folder
of installed or copied third-party code (node_modules/, a virtualenv, vendor/) describes someone
else's project, not this one.
"""

from __future__ import annotations

import posixpath
import re
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
