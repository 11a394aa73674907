"""Ruby (Bundler): Gemfile and *.gemspec dependencies, Gemfile.lock versions, the Ruby asked for.

- `Gemfile` (and Bundler's other name, `gems.rb`) anywhere outside vendored code: every
  `gem "name", "constraint", ...` with its constraints as written (several are joined with ", ":
  `">= 1.2", "< 2"` -> `>= 1.2, < 2`); the scope comes from the groups around it (`group :test do`
  blocks, nested ones adding up, and `group:` / `groups:` options): production and unknown groups
  are runtime, development ones dev, test ones test; with several, the broadest wins (runtime, then
  dev, then test: `group :development, :test` is dev). `optional: true` makes a runtime gem
  optional. `path:` gems (and gems in a `path "..." do` block) are the repository's own code and are
  left out; `git:` / `github:` gems without a version are declared as `git+URL@ref`.
- `ruby "3.2.2"` is the Ruby runtime; `ruby file: ".ruby-version"` (and the older
  `ruby File.read(".ruby-version")`) points at a file, which is read: its version counts, with that
  file as evidence.
- `*.gemspec`: `add_dependency` / `add_runtime_dependency` (runtime), `add_development_dependency`
  (dev), `required_ruby_version` (the Ruby runtime).
- `Gemfile.lock` / `gems.locked` beside a Gemfile or gemspec fill `resolved` from its `specs:`
  (`    rails (7.1.2)`; a platform suffix such as `-x86_64-linux` is dropped); its `RUBY VERSION`
  is a Ruby runtime too (`ruby 3.2.2p53` -> `3.2.2`).
- `.ruby-version` is the Ruby runtime (`ruby-3.2.2` is reported as `3.2.2`; other engines, such
  as `jruby-9.4.5.0`, as written).

Gemfiles are Ruby programs; this reader understands the statements Bundler's DSL is written in
(literal strings, symbols, arrays and options, blocks closed by `end`) and skips any other code.
What only running Ruby would tell (`eval_gemfile`, versions built by interpolation, gems added in
loops) is not seen.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Any

from collectors.detectors.parsing import ParseError, manifest_texts, read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "rubygems"
GEMFILES: tuple[str, ...] = ("Gemfile", "gems.rb")
LOCKS: dict[str, str] = {"Gemfile": "Gemfile.lock", "gems.rb": "gems.locked"}
VERSION_FILES: tuple[str, ...] = (".ruby-version",)
#: `.tool-versions` is read only when a Gemfile's `ruby file:` names it.
WANTS: tuple[str, ...] = (*GEMFILES, *LOCKS.values(), "*.gemspec", *VERSION_FILES, ".tool-versions")

#: Bundler group names and the scope they mean; a group not named here is installed by default,
#: so it is runtime.
GROUP_SCOPES: dict[str, str] = {
    **dict.fromkeys(["default", "production", "prod", "staging", "runtime"], "runtime"),
    **dict.fromkeys(["development", "dev", "develop", "local", "lint", "linters", "rubocop"], "dev"),
    **dict.fromkeys(["doc", "docs", "documentation", "tools", "debug", "console", "guard"], "dev"),
    **dict.fromkeys(["test", "tests", "testing", "spec", "specs", "ci", "cucumber", "e2e"], "test"),
    **dict.fromkeys(["integration", "system", "coverage", "features"], "test"),
}
#: Scopes from broadest to narrowest: a gem in several groups takes the broadest.
SCOPE_ORDER: tuple[str, ...] = ("runtime", "dev", "test")
#: Brackets nested deeper than this are refused (no Gemfile comes close).
MAX_DEPTH = 64
#: Keywords that open a block closed by `end` when they start a statement.
OPENERS = frozenset({"if", "unless", "case", "while", "until", "begin", "def", "class", "module", "for"})
#: gemspec methods and the scope of what they add.
GEMSPEC_METHODS: dict[str, str] = {
    "add_dependency": "runtime",
    "add_runtime_dependency": "runtime",
    "add_development_dependency": "dev",
}
#: Hosts Bundler's `github:`-style options stand for.
GIT_HOSTS: dict[str, str] = {
    "github": "https://github.com/{}.git",
    "gitlab": "https://gitlab.com/{}.git",
    "bitbucket": "https://bitbucket.org/{}.git",
}

# --- Ruby literals --------------------------------------------------------------------------------


class _Opaque:
    """A value only running Ruby would know (a method call, a constant, interpolation)."""

    def __repr__(self) -> str:
        return "OPAQUE"


OPAQUE = _Opaque()


class Sym(str):
    """A Ruby symbol (`:test`): a group name may be one, a gem name may not."""

    __slots__ = ()


@dataclass(frozen=True)
class Tok:
    kind: str  # str, sym, label, arrow, punct, word, other
    value: Any  # str, or list[str] for %w[] (kind "list")


_SIMPLE_RE = re.compile(
    r"""(?P<space>\s+)
    |(?P<comment>\#.*)
    |(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    |(?P<label>[A-Za-z_][A-Za-z0-9_]*[?!]?:(?![:A-Za-z_]))
    |(?P<sym>:[A-Za-z_][A-Za-z0-9_]*[?!=]?|:"(?:[^"\\]|\\.)*"|:'(?:[^'\\]|\\.)*')
    |(?P<arrow>=>)
    |(?P<punct>[,\[\](){}|])
    |(?P<word>[A-Za-z0-9_@$.:?!]+)
    |(?P<other>.)""",
    re.VERBOSE,
)
_PERCENT_RE = re.compile(r"%([qQwWiI]?)([^A-Za-z0-9\s])")
_CLOSERS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _string_value(quoted: str) -> str | _Opaque:
    body = quoted[1:-1]
    if quoted.startswith('"') and "#{" in body:
        return OPAQUE
    return re.sub(r"\\(.)", r"\1", body)


def tokenize(line: str) -> list[Tok]:
    """The tokens of one line of Ruby, comments and spaces dropped."""
    tokens: list[Tok] = []
    pos = 0
    while pos < len(line):
        percent = _PERCENT_RE.match(line, pos)
        if percent is not None and (not tokens or tokens[-1].kind in ("punct", "arrow", "label", "word")):
            kind, opener = percent.groups()
            closer = _CLOSERS.get(opener, opener)
            end = line.find(closer, percent.end())
            if end < 0:
                tokens.append(Tok("other", line[pos:]))
                break
            body = line[percent.end() : end]
            if kind in "wWiI" and kind:
                tokens.append(Tok("list", body.split()))
            else:
                tokens.append(Tok("str", OPAQUE if kind == "Q" and "#{" in body else body))
            pos = end + 1
            continue
        match = _SIMPLE_RE.match(line, pos)
        assert match is not None  # `other` matches any character
        pos = match.end()
        kind = match.lastgroup or "other"
        text = match.group()
        if kind in ("space",):
            continue
        if kind == "comment":
            break
        if kind == "str":
            tokens.append(Tok("str", _string_value(text)))
        elif kind == "sym":
            value = _string_value(text[1:]) if text[1:2] in "\"'" else text[1:]
            tokens.append(Tok("sym", Sym(value) if isinstance(value, str) else value))
        elif kind == "label":
            tokens.append(Tok("label", text[:-1]))
        else:
            tokens.append(Tok(kind, text))
    return tokens


def _depth_change(tokens: list[Tok], depth: int) -> tuple[int, int]:
    """(depth after the tokens, deepest depth reached) starting at `depth`."""
    deepest = depth
    for tok in tokens:
        if tok.kind == "punct" and tok.value in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif tok.kind == "punct" and tok.value in ")]}":
            depth -= 1
    return depth, deepest


def statements(text: str) -> list[tuple[int, list[Tok]]]:
    """(first line, tokens) of each statement: lines joined while brackets are open or a line
    ends with a comma, `=>` or a backslash; `;` separated statements are split.

    Raises ParseError when brackets nest absurdly deep (no Gemfile does)."""
    out: list[tuple[int, list[Tok]]] = []
    pending: list[Tok] = []
    first = 0
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        tokens = tokenize(line)
        if not tokens:
            continue
        if not pending:
            first = number
        pending += tokens
        depth, deepest = _depth_change(tokens, depth)
        if deepest > MAX_DEPTH:
            raise ParseError(f"line {first}: brackets nested too deeply")
        last = pending[-1]
        continues = last.kind == "arrow" or (last.kind in ("punct", "other") and last.value in (",", "\\"))
        if depth > 0 or continues:
            continue
        out += [(first, part) for part in _split(pending, ";") if part]
        pending, depth = [], 0
    if pending:
        out += [(first, part) for part in _split(pending, ";") if part]
    return out


def _split(tokens: list[Tok], separator: str) -> list[list[Tok]]:
    """Split at top-level `separator` tokens (punct ',' or other ';')."""
    parts: list[list[Tok]] = [[]]
    depth = 0
    for tok in tokens:
        if tok.kind == "punct" and tok.value in "([{":
            depth += 1
        elif tok.kind == "punct" and tok.value in ")]}":
            depth -= 1
        if depth == 0 and tok.value == separator and tok.kind in ("punct", "other"):
            parts.append([])
        else:
            parts[-1].append(tok)
    return parts


def _value(tokens: list[Tok]) -> Any:
    """A literal: a string, a symbol (as a string), a list of them, true/false; else OPAQUE."""
    if len(tokens) == 1:
        tok = tokens[0]
        if tok.kind in ("str", "sym", "list"):
            return tok.value
        if tok.kind == "word" and tok.value in ("true", "false"):
            return tok.value == "true"
        return OPAQUE
    if len(tokens) >= 2 and tokens[0].value == "[" and tokens[-1].value == "]" and tokens[0].kind == "punct":
        items = [_value(part) for part in _split(tokens[1:-1], ",") if part]
        return items if all(not isinstance(i, (_Opaque, list)) for i in items) else OPAQUE
    return OPAQUE


def _block_start(tokens: list[Tok]) -> int | None:
    """Where a trailing `do` or `do |x|` starts (a block follows), or None."""
    for i in range(len(tokens) - 1, 0, -1):
        if tokens[i].kind == "word" and tokens[i].value == "do":
            tail = tokens[i + 1 :]
            if not tail or (len(tail) >= 2 and tail[0].value == "|" and tail[-1].value == "|"):
                return i
            return None
    return None


@dataclass
class Call:
    """A method call statement: `gem "x", "1.0", require: false`."""

    name: str
    receiver: str | None  # `spec` of `spec.add_dependency`
    args: list[Any]
    options: dict[str, Any]
    block: bool  # ends with `do` (a block follows)


def parse_call(tokens: list[Tok]) -> Call | None:
    """A statement as a method call; None when it is not one (an assignment, an operator...)."""
    if not tokens or tokens[0].kind != "word" or not re.match(r"^[A-Za-z_]", tokens[0].value):
        return None
    receiver, _, name = tokens[0].value.rpartition(".")
    block_at = _block_start(tokens)
    block = block_at is not None
    rest = tokens[1:block_at]
    for i, tok in enumerate(rest):  # `gem "x" if ENV["Y"]`: the modifier is not an argument
        if tok.kind == "word" and tok.value in ("if", "unless"):
            rest = rest[:i]
            break
    if rest and rest[0].kind == "punct" and rest[0].value == "(" and rest[-1].value == ")":
        rest = rest[1:-1]
    elif rest and rest[0].kind in ("other", "punct") and rest[0].value in ("=", "+", "-", "*", "<", ">", ".", "["):
        return None
    args: list[Any] = []
    options: dict[str, Any] = {}
    for part in _split(rest, ","):
        if not part:
            continue
        if part[0].kind == "label":
            options[part[0].value] = _value(part[1:])
        elif len(part) >= 3 and part[1].kind == "arrow" and part[0].kind in ("sym", "str"):
            options[str(part[0].value)] = _value(part[2:])
        else:
            args.append(_value(part))
    return Call(name, receiver or None, args, options, block)


# --- Gemfile ------------------------------------------------------------------------------------


@dataclass
class Parsed:
    dependencies: list[Dependency] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    ruby_files: list[str] = field(default_factory=list)  # `ruby file:` targets, as written
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Frame:
    groups: tuple[str, ...] = ()
    optional: bool = False
    source: str | None = None  # git URL of a `git`/`github` block; "" for a `path` block


def group_scope(groups: tuple[str, ...] | list[str]) -> str:
    """The scope of a gem in these Bundler groups: the broadest of theirs (runtime when none)."""
    if not groups:
        return "runtime"
    scopes = {GROUP_SCOPES.get(g.lower(), "runtime") for g in groups}
    return next(s for s in SCOPE_ORDER if s in scopes)


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _git_source(options: dict[str, Any]) -> str | None:
    """`git+URL@ref` for a gem from git, or None."""
    url = options.get("git")
    if not isinstance(url, str):
        for key, pattern in GIT_HOSTS.items():
            repo = options.get(key)
            if isinstance(repo, str):
                url = pattern.format(repo if "/" in repo else f"{repo}/{repo}")
                break
        else:
            return None
    ref = next((options[k] for k in ("tag", "ref", "branch") if isinstance(options.get(k), str)), None)
    url = url if url.startswith("git+") else f"git+{url}"
    return f"{url}@{ref}" if ref else url


def _ruby_directive(call: Call, line_text: str, path: str, number: int, out: Parsed) -> None:
    file_option = call.options.get("file")
    if isinstance(file_option, str):
        out.ruby_files.append(file_option)
        return
    read = re.search(r"File\.read\(\s*(?:File\.join\([^)]*,\s*)?[\"']([^\"']+)[\"']", line_text)
    if read is not None:
        out.ruby_files.append(read.group(1))
        return
    versions = [a for a in call.args if isinstance(a, str)]
    if versions and len(versions) == len(call.args):
        out.runtimes.append(Runtime("ruby", ", ".join(v.strip() for v in versions), evidence=path))
    elif call.args:
        out.warnings.append(f"line {number}: ruby: the version is computed, not written")


def parse_gemfile(text: str, path: str) -> Parsed:
    """One Gemfile: its gems by scope, the Ruby it asks for, `ruby file:` pointers.

    Raises ParseError only when brackets nest absurdly deep; the rest are per-line warnings."""
    out = Parsed()
    stack: list[_Frame | None] = []  # None: a block that says nothing about gems (if, platforms...)
    lines = text.splitlines()
    for number, tokens in statements(text):
        head = tokens[0]
        if head.kind == "word" and head.value == "end":
            if stack:
                stack.pop()
            else:
                out.warnings.append(f"line {number}: `end` without a block")
            continue
        if head.kind == "word" and head.value in OPENERS:
            if not (tokens[-1].kind == "word" and tokens[-1].value == "end"):
                stack.append(None)
            continue
        call = parse_call(tokens)
        if call is None or call.receiver is not None:
            if _block_start(tokens) is not None:
                stack.append(None)  # `%w[a b].each do |g|`, `ENV.fetch("X") do`...
            continue
        if call.name == "gem":
            _gem(call, [f for f in stack if f is not None], number, path, out)
        elif call.name == "ruby":
            _ruby_directive(call, lines[number - 1] if number <= len(lines) else "", path, number, out)
        if call.block:
            stack.append(_frame(call))
    if stack:
        out.warnings.append(f"{len(stack)} block(s) never closed with `end`")
    return out


def _frame(call: Call) -> _Frame | None:
    if call.name == "group":
        groups = tuple(g for a in call.args for g in _names(a))
        return _Frame(groups=groups, optional=call.options.get("optional") is True)
    if call.name == "path":
        return _Frame(source="")
    if call.name == "git" or call.name in GIT_HOSTS:
        options = dict(call.options)
        if call.args and isinstance(call.args[0], str):
            options[call.name] = call.args[0]
        return _Frame(source=_git_source(options))
    return None


def _gem(call: Call, frames: list[_Frame], number: int, path: str, out: Parsed) -> None:
    if not call.args or type(call.args[0]) is not str or not call.args[0].strip():
        out.warnings.append(f"line {number}: gem: the name is not a string literal; not read")
        return
    name = call.args[0].strip()
    if "path" in call.options or any(f.source == "" for f in frames):
        return  # a gem of this repository
    groups = [g for f in frames for g in f.groups]
    for key in ("group", "groups"):
        groups += _names(call.options.get(key))
    scope = group_scope(groups)
    optional = call.options.get("optional") is True or any(f.optional for f in frames if f.groups)
    if optional and scope == "runtime":
        scope = "optional"
    constraints: list[str] = []
    for arg in call.args[1:]:
        constraints += [c.strip() for c in _names(arg) if c.strip()]
    declared = ", ".join(constraints) or None
    if declared is None:
        declared = _git_source(call.options) or next((f.source for f in reversed(frames) if f.source), None)
    out.dependencies.append(Dependency(ECOSYSTEM, name, declared, None, scope, path))


# --- gemspec ------------------------------------------------------------------------------------


def parse_gemspec(text: str, path: str) -> Parsed:
    """add_dependency / add_runtime_dependency / add_development_dependency lines and
    required_ruby_version of a *.gemspec (generated ones' `%q<name>.freeze` included)."""
    out = Parsed()
    for number, tokens in statements(text):
        words = [t for t in tokens if t.kind == "word"]
        if not words:
            continue
        head = tokens[0].value if tokens[0].kind == "word" else ""
        method = head.rpartition(".")[2]
        if method in GEMSPEC_METHODS:
            strings = _all_strings(tokens[1:])
            if not strings or isinstance(strings[0], _Opaque) or not strings[0].strip():
                out.warnings.append(f"line {number}: {method}: expected a gem name as a string")
                continue
            constraints = [s.strip() for s in strings[1:] if isinstance(s, str) and s.strip()]
            out.dependencies.append(
                Dependency(
                    ECOSYSTEM, strings[0].strip(), ", ".join(constraints) or None, None, GEMSPEC_METHODS[method], path
                )
            )
        elif method == "required_ruby_version" and len(tokens) > 1 and tokens[1].value == "=":
            strings = [s.strip() for s in _all_strings(tokens[2:]) if isinstance(s, str) and s.strip()]
            if strings:
                out.runtimes.append(Runtime("ruby", ", ".join(strings), evidence=path))
    return out


def _all_strings(tokens: list[Tok]) -> list[str | _Opaque]:
    found: list[str | _Opaque] = []
    for tok in tokens:
        if tok.kind == "str":
            found.append(tok.value)
        elif tok.kind == "list":
            found += tok.value
    return found


# --- Gemfile.lock -------------------------------------------------------------------------------


@dataclass
class GemLock:
    specs: dict[str, set[str]] = field(default_factory=dict)  # gem -> versions locked
    ruby: str | None = None
    warnings: list[str] = field(default_factory=list)

    def version(self, gem: str) -> str | None:
        found = self.specs.get(gem, set())
        return next(iter(found)) if len(found) == 1 else None


_SPEC_RE = re.compile(r"^    (\S+) \(([^()\s]+)\)$")
_SOURCE_SECTIONS = frozenset({"GEM", "GIT", "PATH", "PLUGIN SOURCE"})


def parse_gemfile_lock(text: str) -> GemLock:
    """The `specs:` of a Gemfile.lock's GEM, GIT and PATH sections, and its RUBY VERSION.

    Raises ParseError when it has none of those sections (not a Gemfile.lock)."""
    lock = GemLock()
    section: str | None = None
    in_specs = False
    seen_source = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not line.startswith(" "):
            section, in_specs = line.strip(), False
            seen_source |= section in _SOURCE_SECTIONS
            continue
        if section in _SOURCE_SECTIONS:
            if line == "  specs:":
                in_specs = True
            elif line.startswith("    ") and not line.startswith("     "):
                if not in_specs:
                    lock.warnings.append(f"line {number}: a spec outside `specs:`")
                    continue
                match = _SPEC_RE.match(line)
                if match is None:
                    lock.warnings.append(f"line {number}: expected `    name (version)`, found {line.strip()!r}")
                    continue
                name, version = match.groups()
                lock.specs.setdefault(name, set()).add(version.split("-", 1)[0])
        elif section == "RUBY VERSION":
            match = re.match(r"^\s+ruby (\d[\w.]*?)(?:p\d+)?$", line)
            if match is not None:
                lock.ruby = match.group(1)
    if not seen_source:
        raise ParseError("no GEM, GIT or PATH section: not a Gemfile.lock")
    return lock


# --- .ruby-version ------------------------------------------------------------------------------


def parse_ruby_version(text: str, path: str) -> Runtime:
    """The first word of a .ruby-version (or the `ruby` line of a .tool-versions).

    Raises ParseError when it names no version."""
    tool_versions = posixpath.basename(path) == ".tool-versions"
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if tool_versions:
            if len(words) >= 2 and words[0] == "ruby":
                return Runtime("ruby", words[1], evidence=path)
            continue
        if words:
            return Runtime("ruby", re.sub(r"^ruby-(?=\d)", "", words[0]), evidence=path)
    raise ParseError("names no Ruby version")


# --- the detector -------------------------------------------------------------------------------


def _warn(facts: Facts, path: str, messages: list[str]) -> None:
    for message in messages:
        facts.warn(path, message)


def _read_lock(repo: RepoView, path: str, facts: Facts) -> GemLock | None:
    text = read_text(repo, path, facts)
    if text is None:
        return None
    try:
        lock = parse_gemfile_lock(text)
    except ParseError as err:
        facts.warn(path, str(err))
        return None
    _warn(facts, path, lock.warnings)
    if lock.ruby:
        facts.runtimes.append(Runtime("ruby", lock.ruby, evidence=path))
    return lock


def _lock_beside(repo: RepoView, path: str, facts: Facts, cache: dict[str, GemLock | None]) -> GemLock | None:
    """The lock of a Gemfile (Gemfile.lock, gems.locked for gems.rb), or for a gemspec the one
    in its folder; each lock is read once."""
    folder, name = posixpath.split(path)
    for lock_name in [LOCKS[name]] if name in LOCKS else LOCKS.values():
        lock_path = posixpath.join(folder, lock_name)
        if lock_path not in cache and repo.exists(lock_path):
            cache[lock_path] = _read_lock(repo, lock_path, facts)
        if cache.get(lock_path) is not None:
            return cache[lock_path]
    return None


def _version_file(repo: RepoView, path: str, facts: Facts) -> None:
    text = read_text(repo, path, facts)
    if text is None:
        return
    try:
        facts.runtimes.append(parse_ruby_version(text, path))
    except ParseError as err:
        facts.warn(path, str(err))


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    locks: dict[str, GemLock | None] = {}
    version_files: set[str] = set()  # read once, whether a Gemfile points at them or not
    for path, text in manifest_texts(repo, (*GEMFILES, "*.gemspec"), facts):
        try:
            parsed = parse_gemspec(text, path) if path.endswith(".gemspec") else parse_gemfile(text, path)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        lock = _lock_beside(repo, path, facts, locks)
        deps = parsed.dependencies
        if lock is not None:
            deps = [replace(d, resolved=lock.version(d.name)) for d in deps]
        facts.dependencies += deps
        facts.runtimes += parsed.runtimes
        _warn(facts, path, parsed.warnings)
        for target in parsed.ruby_files:
            target_path = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if target.startswith("/") or target_path.split("/")[0] == ".." or not repo.exists(target_path):
                facts.warn(path, f"ruby file: {target} is not in the repository")
            elif target_path not in version_files:
                version_files.add(target_path)
                _version_file(repo, target_path, facts)
    for path in repo.matching(VERSION_FILES):
        if not manifest_excluded(path) and path not in version_files:
            version_files.add(path)
            _version_file(repo, path, facts)
    return facts
