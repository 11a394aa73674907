"""Go modules: go.mod gives the module's direct dependencies and the Go version it asks for.

- `go.mod` anywhere outside vendored code: `require` lines (single and block form) that are not
  marked `// indirect` (the module's own imports; indirect ones are what its dependencies need),
  with `replace` directives applied; `go.mod` pins exact versions, so `declared` and `resolved`
  are both the required version, and `resolved` is the replacement's version when a `replace`
  swaps it (`path@version` when the replacement is another module, a fork). A requirement
  replaced by a local folder (`=> ../shared`) is the repository's own code, not a dependency.
- The Go runtime is the `toolchain` directive when there is one (`toolchain go1.22.3` ->
  `1.22.3`: the toolchain that builds the module), else the `go` directive (`go 1.22`).

No library parses go.mod in Python, so this is a small hand-written reader after Go's own
`modfile` grammar: one directive per line, `verb (` ... `)` blocks, `//` comments, "quoted" and
`raw` strings. `go.sum` is not read: it holds every module of the build graph, not what the
module asks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from collectors.detectors.parsing import ParseError, manifest_texts
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "go"
WANTS: tuple[str, ...] = ("go.mod",)

#: Directives go.mod may hold that say nothing about dependencies or the Go version.
IGNORED_VERBS = frozenset({"exclude", "retract", "godebug", "tool", "ignore"})
KNOWN_VERBS = frozenset({"module", "go", "toolchain", "require", "replace"}) | IGNORED_VERBS
#: Verbs whose block form (`require (`) the grammar allows.
BLOCK_VERBS = KNOWN_VERBS - {"go", "toolchain"}

#: Per-line problems reported for one file; past it, one line says how many more there were.
MAX_WARNINGS = 20

_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"?|`[^`]*`?|//.*|=>|[()]|(?:[^\s()"`/=]|/(?!/)|=(?!>))+')
_QUOTED_RE = re.compile(r'"(?:[^"\\]|\\.)*"')
_GO_VERSION_RE = re.compile(r"^\d+(\.\d+){0,2}([a-z]+\d+)?$")


@dataclass(frozen=True)
class Require:
    path: str
    version: str
    indirect: bool
    line: int


@dataclass(frozen=True)
class Replace:
    old: str
    old_version: str | None  # None: every version of `old`
    new: str
    new_version: str | None  # None: `new` is a local folder


@dataclass
class GoMod:
    """What one go.mod says; `warnings` are per-line problems (the rest of the file still counts)."""

    module: str | None = None
    go: str | None = None
    toolchain: str | None = None
    requires: list[Require] = field(default_factory=list)
    replaces: list[Replace] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Line:
    number: int
    tokens: list[str]
    comment: str | None  # the text of a trailing `//` comment, without the slashes


def _lex(line: str) -> tuple[list[str], str | None]:
    tokens: list[str] = []
    for token in _TOKEN_RE.findall(line):
        if token.startswith("//"):
            return tokens, token[2:].strip()
        tokens.append(token)
    return tokens, None


def _unquote(token: str) -> str:
    """The value of a token: "quoted" strings unescaped, `raw` ones as they are.

    Raises ValueError for a string left open."""
    if token.startswith('"'):
        if not _QUOTED_RE.fullmatch(token):
            raise ValueError(f"unterminated string {token}")
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    if token.startswith("`"):
        if len(token) < 2 or not token.endswith("`"):
            raise ValueError(f"unterminated string {token}")
        return token[1:-1]
    return token


def _is_indirect(comment: str | None) -> bool:
    """Go's rule: the comment is `indirect` or starts with `indirect;`."""
    return comment is not None and (comment == "indirect" or comment.startswith("indirect;"))


def _is_local(path: str) -> bool:
    return path.startswith(("./", "../", "/")) or path in (".", "..") or re.match(r"^[A-Za-z]:[\\/]", path) is not None


def parse_go_mod(text: str) -> GoMod:
    """One go.mod file. Raises ParseError when it has no `module` directive (not a go.mod)."""
    mod = GoMod()
    block: tuple[str, int] | None = None  # (verb, line it opened on)
    for number, raw in enumerate(text.splitlines(), start=1):
        tokens, comment = _lex(raw)
        if not tokens:
            continue
        if block is not None:
            if tokens == [")"]:
                block = None
                continue
            _directive(mod, block[0], _Line(number, tokens, comment))
            continue
        verb = tokens[0]
        if verb not in KNOWN_VERBS:
            mod.warnings.append(f"line {number}: unknown directive {verb!r}")
            continue
        if len(tokens) == 2 and tokens[1] == "(":
            if verb not in BLOCK_VERBS:
                mod.warnings.append(f"line {number}: {verb} does not take a block")
            block = (verb, number)
            continue
        _directive(mod, verb, _Line(number, tokens[1:], comment))
    if block is not None:
        mod.warnings.append(f"line {block[1]}: {block[0]} block is never closed")
    if mod.module is None:
        raise ParseError("no module directive: not a go.mod file")
    if len(mod.warnings) > MAX_WARNINGS:
        more = len(mod.warnings) - MAX_WARNINGS
        mod.warnings[MAX_WARNINGS:] = [f"... and {more} more problems"]
    return mod


def _directive(mod: GoMod, verb: str, line: _Line) -> None:
    """Record one directive (`line.tokens` are its arguments); a problem is a warning."""
    try:
        args = [_unquote(t) for t in line.tokens]
    except ValueError as err:
        mod.warnings.append(f"line {line.number}: {err}")
        return
    where = f"line {line.number}: {verb}"
    if any(t in ("(", ")") for t in line.tokens):
        mod.warnings.append(f"{where}: unexpected parenthesis")
        return
    if verb in IGNORED_VERBS or verb not in KNOWN_VERBS:
        return
    if verb == "module":
        if len(args) != 1:
            mod.warnings.append(f"{where}: expected one module path")
        elif mod.module is not None:
            mod.warnings.append(f"{where}: repeated")
        else:
            mod.module = args[0]
    elif verb == "go":
        if len(args) != 1 or not _GO_VERSION_RE.match(args[0]):
            mod.warnings.append(f"{where}: expected a Go version like 1.22")
        else:
            mod.go = args[0]
    elif verb == "toolchain":
        if len(args) != 1 or not re.match(r"^(go\d|default$)", args[0]):
            mod.warnings.append(f"{where}: expected a toolchain name like go1.22.3")
        elif args[0] != "default":
            mod.toolchain = args[0].removeprefix("go")
    elif verb == "require":
        if len(args) != 2 or not args[0] or not args[1]:
            mod.warnings.append(f"{where}: expected a module path and a version")
        else:
            mod.requires.append(Require(args[0], args[1], _is_indirect(line.comment), line.number))
    elif verb == "replace":
        _replace(mod, args, where)


def _replace(mod: GoMod, args: list[str], where: str) -> None:
    if "=>" not in args:
        mod.warnings.append(f"{where}: expected `old [version] => new [version]`")
        return
    arrow = args.index("=>")
    old, new = args[:arrow], args[arrow + 1 :]
    if len(old) not in (1, 2) or len(new) not in (1, 2):
        mod.warnings.append(f"{where}: expected `old [version] => new [version]`")
        return
    if len(new) == 1 and not _is_local(new[0]):
        mod.warnings.append(f"{where}: replacement {new[0]} is a module path without a version")
        return
    mod.replaces.append(Replace(old[0], old[1] if len(old) == 2 else None, new[0], new[1] if len(new) == 2 else None))


def _replacement(mod: GoMod, req: Require) -> Replace | None:
    """The `replace` that applies to a requirement: a version-specific one wins, as in Go."""
    general = None
    for rep in mod.replaces:
        if rep.old != req.path:
            continue
        if rep.old_version == req.version:
            return rep
        if rep.old_version is None:
            general = rep
    return general


def go_mod_facts(mod: GoMod, path: str) -> tuple[list[Dependency], list[Runtime]]:
    """The direct dependencies (replacements applied) and the Go runtime one go.mod names."""
    deps: list[Dependency] = []
    for req in mod.requires:
        if req.indirect:
            continue
        resolved = req.version
        rep = _replacement(mod, req)
        if rep is not None:
            if rep.new_version is None:
                continue  # replaced by a folder of this repository: own code
            resolved = rep.new_version if rep.new == req.path else f"{rep.new}@{rep.new_version}"
        deps.append(Dependency(ECOSYSTEM, req.path, req.version, resolved, "runtime", path))
    version = mod.toolchain or mod.go
    runtimes = [Runtime("go", version, evidence=path)] if version else []
    return deps, runtimes


def excluded(path: str) -> bool:
    """Vendored code, and `testdata/` folders, which the go command ignores (test fixtures)."""
    return manifest_excluded(path) or re.search(r"(^|/)testdata/", path) is not None


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    for path, text in manifest_texts(repo, WANTS, facts, excluded):
        try:
            mod = parse_go_mod(text)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        deps, runtimes = go_mod_facts(mod, path)
        facts.dependencies += deps
        facts.runtimes += runtimes
        for message in mod.warnings:
            facts.warn(path, message)
    return facts
