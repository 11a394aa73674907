"""Terraform: required providers and modules of *.tf files, the lock's versions, the Terraform asked for.

- `*.tf` anywhere outside vendored code and `.terraform/` (where `terraform init` downloads
  modules): in `terraform { ... }` blocks, `required_version` is the terraform runtime and each
  `required_providers` entry is a dependency named by its source (`hashicorp/aws`; `hashicorp/<name>`
  when no source is given, as Terraform assumes; the default registry host dropped, lower case),
  declared as its `version` constraint. The legacy form `aws = "~> 2.0"` counts too.
- `module "x" { source = ..., version = ... }` blocks are dependencies named `module:<source>`;
  a module from a local folder (`./modules/vpc`) is the repository's own code and left out; a git or
  other URL source carries its `?ref=` as the declared version and is named without it.
- `.terraform.lock.hcl` fills `resolved` for the providers of the .tf files in its folder (the
  root module it was written for).
- `.terraform-version` (tfenv) is the terraform runtime too.

HCL has no parser in the standard library, so this is a small hand-written reader of HCL's native
syntax: attributes and blocks, with comments (`#`, `//`, `/* */`), quoted strings with `${...}`
interpolation, heredocs and brackets handled; literal strings, objects and lists are read, every
other expression is skipped. `*.tf.json` files are not read.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Any

from collectors.detectors.parsing import ParseError, manifest_texts
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "terraform"
LOCK_FILE = ".terraform.lock.hcl"
VERSION_FILE = ".terraform-version"
WANTS: tuple[str, ...] = ("*.tf", LOCK_FILE, VERSION_FILE)

#: Registry hosts a provider source may start with when it means the default registry.
DEFAULT_REGISTRIES: tuple[str, ...] = ("registry.terraform.io/", "registry.opentofu.org/")
#: Deeper brackets or blocks than this are refused (no real configuration comes close).
MAX_DEPTH = 100

# --- tokens ---------------------------------------------------------------------------------------


class _Opaque:
    """An expression this reader does not evaluate (a reference, a call, an interpolation)."""

    def __repr__(self) -> str:
        return "OPAQUE"


OPAQUE = _Opaque()


@dataclass(frozen=True)
class Tok:
    kind: str  # nl, str, ident, num, op, punct, other
    value: Any  # the text; for str the literal value or OPAQUE
    line: int


_TOKEN_RE = re.compile(
    r"""(?P<nl>\n)
    |(?P<space>[ \t\r\f\v]+)
    |(?P<comment>(?:\#|//)[^\n]*)
    |(?P<block_comment>/\*)
    |(?P<string>")
    |(?P<heredoc><<-?[A-Za-z_][A-Za-z0-9_-]*[ \t]*\r?\n)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
    |(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    |(?P<op>==|!=|<=|>=|=>|&&|\|\||\.\.\.)
    |(?P<punct>[{}\[\]()=:,])
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _scan_string(text: str, pos: int, depth: int = 0) -> tuple[int, str | _Opaque]:
    """From just after an opening quote: (position after the closing quote, value)."""
    if depth > MAX_DEPTH:
        raise ParseError(f"line {_line_at(text, pos)}: string templates nested too deeply")
    buf: list[str] = []
    literal = True
    i, n = pos, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            return i + 1, "".join(buf) if literal else OPAQUE
        if c == "\n":
            break
        if c == "\\":
            buf.append(_ESCAPES.get(text[i + 1 : i + 2], text[i : i + 2]))
            i += 2
            continue
        if text.startswith(("$${", "%%{"), i):
            buf.append(text[i + 1 : i + 3])
            i += 3
            continue
        if text.startswith(("${", "%{"), i):
            literal = False
            i = _skip_template(text, i + 2, depth + 1)
            continue
        buf.append(c)
        i += 1
    raise ParseError(f"line {_line_at(text, pos)}: string never closed")


def _skip_template(text: str, pos: int, depth: int) -> int:
    """From just inside `${`: the position after its closing brace (nested strings skipped)."""
    braces = 1
    i, n = pos, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i = _scan_string(text, i + 1, depth)[0]
            continue
        if c == "{":
            braces += 1
            if braces > MAX_DEPTH:
                raise ParseError(f"line {_line_at(text, pos)}: braces nested too deeply")
        elif c == "}":
            braces -= 1
            if braces == 0:
                return i + 1
        i += 1
    raise ParseError(f"line {_line_at(text, pos)}: ${{ interpolation never closed")


def tokenize(text: str) -> list[Tok]:
    """HCL tokens with comments dropped. Raises ParseError for an unclosed string, comment or
    heredoc."""
    tokens: list[Tok] = []
    pos, line, n = 0, 1, len(text)
    while pos < n:
        match = _TOKEN_RE.match(text, pos)
        assert match is not None  # `other` matches any character
        kind, value = match.lastgroup or "other", match.group()
        start, pos = pos, match.end()
        if kind == "nl":
            tokens.append(Tok("nl", value, line))
            line += 1
        elif kind in ("space", "comment"):
            continue
        elif kind == "block_comment":
            end = text.find("*/", pos)
            if end < 0:
                raise ParseError(f"line {line}: /* comment never closed")
            line += text.count("\n", pos, end)
            pos = end + 2
        elif kind == "string":
            pos, literal = _scan_string(text, pos)
            tokens.append(Tok("str", literal, line))
        elif kind == "heredoc":
            marker = value.lstrip("<-").strip()
            closing = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*\r?$", re.MULTILINE)
            end = closing.search(text, pos)
            if end is None:
                raise ParseError(f"line {line}: heredoc <<{marker} never closed")
            tokens.append(Tok("str", OPAQUE, line))
            line += text.count("\n", start, end.end())
            pos = end.end()
        else:
            tokens.append(Tok(kind, value, line))
    return tokens


# --- structure --------------------------------------------------------------------------------


@dataclass
class Attribute:
    name: str
    value: Any  # str, dict, list, or OPAQUE
    line: int


@dataclass
class Block:
    type: str
    labels: list[str]
    body: list[Attribute | Block]
    line: int

    def attributes(self) -> dict[str, Any]:
        return {item.name: item.value for item in self.body if isinstance(item, Attribute)}

    def blocks(self, kind: str) -> list[Block]:
        return [item for item in self.body if isinstance(item, Block) and item.type == kind]


_OPEN = {"{": "}", "[": "]", "(": ")"}
_CLOSE = {"}", "]", ")"}


class _Parser:
    def __init__(self, tokens: list[Tok]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def body(self, closing: Tok | None, depth: int) -> list[Attribute | Block]:
        """Items up to the `}` closing a block (consumed), or to the end when `closing` is None."""
        if depth > MAX_DEPTH:
            raise ParseError(f"line {closing.line if closing else 1}: blocks nested too deeply")
        items: list[Attribute | Block] = []
        while True:
            tok = self.peek()
            if tok is None:
                if closing is not None:
                    raise ParseError(f"line {closing.line}: block never closed")
                return items
            if tok.kind == "nl":
                self.pos += 1
                continue
            if tok.kind == "punct" and tok.value == "}" and closing is not None:
                self.pos += 1
                return items
            if tok.kind != "ident":
                raise ParseError(f"line {tok.line}: expected an attribute or a block, found {_show(tok)}")
            self.pos += 1
            after = self.peek()
            if after is not None and after.kind == "punct" and after.value == "=":
                self.pos += 1
                items.append(Attribute(tok.value, to_value(self.expression()), tok.line))
            else:
                items.append(self.block(tok, depth))

    def block(self, head: Tok, depth: int) -> Block:
        labels: list[str] = []
        while True:
            tok = self.peek()
            if tok is None:
                raise ParseError(f"line {head.line}: block {head.value} has no body")
            self.pos += 1
            if (tok.kind == "str" and isinstance(tok.value, str)) or tok.kind == "ident":
                labels.append(tok.value)
            elif tok.kind == "punct" and tok.value == "{":
                return Block(head.value, labels, self.body(tok, depth + 1), head.line)
            else:
                raise ParseError(
                    f"line {tok.line}: expected a block label or {{ after {head.value}, found {_show(tok)}"
                )

    def expression(self) -> list[Tok]:
        """The tokens of an attribute's value: to the end of its line, brackets spanning lines."""
        stack: list[Tok] = []
        out: list[Tok] = []
        while True:
            tok = self.peek()
            if tok is None:
                if stack:
                    raise ParseError(f"line {stack[-1].line}: {stack[-1].value} never closed")
                return out
            if not stack and (tok.kind == "nl" or (tok.kind == "punct" and tok.value == "}")):
                return out  # a `}` ends a one-line block: `x { a = 1 }`
            self.pos += 1
            if tok.kind == "punct" and tok.value in _OPEN:
                stack.append(tok)
                if len(stack) > MAX_DEPTH:
                    raise ParseError(f"line {tok.line}: brackets nested too deeply")
            elif tok.kind == "punct" and tok.value in _CLOSE:
                if not stack:
                    raise ParseError(f"line {tok.line}: {tok.value} closes nothing")
                if _OPEN[stack[-1].value] != tok.value:
                    raise ParseError(
                        f"line {tok.line}: {tok.value} does not close {stack[-1].value} of line {stack[-1].line}"
                    )
                stack.pop()
            out.append(tok)


def _show(tok: Tok) -> str:
    if tok.kind == "str":
        return "a string"
    return repr(tok.value) if tok.kind != "nl" else "the end of the line"


def to_value(tokens: list[Tok]) -> Any:
    """A literal string, an object (dict), a list, or OPAQUE for any other expression."""
    while tokens and tokens[0].kind == "nl":
        tokens = tokens[1:]
    while tokens and tokens[-1].kind == "nl":
        tokens = tokens[:-1]
    if len(tokens) == 1 and tokens[0].kind == "str":
        return tokens[0].value
    if len(tokens) >= 2 and tokens[0].kind == "punct" and tokens[0].value in ("{", "[") and _wraps(tokens):
        parts = _split(tokens[1:-1], "," if tokens[0].value == "[" else None)
        if tokens[0].value == "[":
            return [to_value(p) for p in parts]
        obj: dict[str, Any] = {}
        for part in parts:
            if len(part) < 3 or part[0].kind not in ("ident", "str") or part[1].value not in ("=", ":"):
                return OPAQUE  # a `for` expression or a computed key
            if not isinstance(part[0].value, str):
                return OPAQUE
            obj[part[0].value] = to_value(part[2:])
        return obj
    return OPAQUE


def _wraps(tokens: list[Tok]) -> bool:
    """Does the first bracket close at the last token (`{...}`, not `{...} == {...}`)?"""
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.kind == "punct" and tok.value in _OPEN:
            depth += 1
        elif tok.kind == "punct" and tok.value in _CLOSE:
            depth -= 1
            if depth == 0:
                return i == len(tokens) - 1
    return False


def _split(tokens: list[Tok], comma_only: str | None) -> list[list[Tok]]:
    """Items of an object (split at newlines and commas) or a list (at commas), empty ones dropped."""
    parts: list[list[Tok]] = [[]]
    depth = 0
    for tok in tokens:
        if tok.kind == "punct" and tok.value in _OPEN:
            depth += 1
        elif tok.kind == "punct" and tok.value in _CLOSE:
            depth -= 1
        at_top = depth == 0
        if at_top and ((tok.kind == "punct" and tok.value == ",") or (comma_only is None and tok.kind == "nl")):
            parts.append([])
        elif not (tok.kind == "nl" and at_top):
            parts[-1].append(tok)
    return [p for p in parts if p]


def parse_hcl(text: str) -> list[Attribute | Block]:
    """The top-level attributes and blocks of an HCL file. Raises ParseError when its structure
    (blocks, brackets, strings, comments) is broken."""
    return _Parser(tokenize(text)).body(None, 0)


# --- what Terraform files say -----------------------------------------------------------------


@dataclass
class Parsed:
    dependencies: list[Dependency] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def provider_source(source: str) -> str:
    """`hashicorp/aws` for `registry.terraform.io/HashiCorp/aws`, `aws` or `hashicorp/aws`."""
    source = source.strip().lower()
    for host in DEFAULT_REGISTRIES:
        source = source.removeprefix(host)
    return source if "/" in source else f"hashicorp/{source}"


def _is_local(source: str) -> bool:
    return source.startswith(("./", "../", "/")) or source in (".", "..")


def module_dependency(source: str, version: str | None, path: str) -> Dependency | None:
    """`module:<source>`; a `?ref=` is the version of a git (or other URL) source."""
    source = source.strip()
    if _is_local(source):
        return None
    ref = None
    base, sep, query = source.partition("?")
    if sep:
        params = query.split("&")
        refs = [p[4:] for p in params if p.startswith("ref=")]
        if refs:
            ref = refs[0]
            rest = [p for p in params if not p.startswith("ref=")]
            source = base + ("?" + "&".join(rest) if rest else "")
    return Dependency(ECOSYSTEM, f"module:{source}", (version or ref or "").strip() or None, None, "runtime", path)


def parse_tf(text: str, path: str) -> Parsed:
    """One .tf file's required_version, required_providers and module blocks.

    Raises ParseError when its HCL structure is broken."""
    out = Parsed()
    for item in parse_hcl(text):
        if not isinstance(item, Block):
            continue
        if item.type == "terraform":
            _terraform_block(item, path, out)
        elif item.type == "module" and len(item.labels) == 1:
            attrs = item.attributes()
            source, version = attrs.get("source"), attrs.get("version")
            if not isinstance(source, str):
                out.warnings.append(f"line {item.line}: module {item.labels[0]}: source is not a literal string")
                continue
            dep = module_dependency(source, version if isinstance(version, str) else None, path)
            if dep is not None:
                out.dependencies.append(dep)
    return out


def _terraform_block(block: Block, path: str, out: Parsed) -> None:
    required = block.attributes().get("required_version")
    if isinstance(required, str) and required.strip():
        out.runtimes.append(Runtime("terraform", required.strip(), evidence=path))
    for providers in block.blocks("required_providers"):
        for item in providers.body:
            if not isinstance(item, Attribute):
                continue
            value = item.value
            if isinstance(value, str):  # Terraform 0.12: aws = "~> 2.0"
                source, version = item.name, value
            elif isinstance(value, dict):
                source = value.get("source", item.name)
                version = value.get("version")
            else:
                out.warnings.append(f"line {item.line}: required_providers.{item.name}: not an object or a string")
                continue
            if not isinstance(source, str) or not source.strip():
                out.warnings.append(f"line {item.line}: required_providers.{item.name}: source is not a string")
                continue
            declared = version.strip() or None if isinstance(version, str) else None
            out.dependencies.append(Dependency(ECOSYSTEM, provider_source(source), declared, None, "runtime", path))


def parse_lock(text: str) -> dict[str, str]:
    """.terraform.lock.hcl: provider source -> version locked. Raises ParseError when broken."""
    versions: dict[str, str] = {}
    for item in parse_hcl(text):
        if isinstance(item, Block) and item.type == "provider" and len(item.labels) == 1:
            version = item.attributes().get("version")
            if isinstance(version, str):
                versions[provider_source(item.labels[0])] = version
    return versions


def parse_terraform_version(text: str, path: str) -> Runtime:
    """tfenv's .terraform-version: the first word. Raises ParseError when there is none."""
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            return Runtime("terraform", words[0], evidence=path)
    raise ParseError("names no Terraform version")


# --- the detector -------------------------------------------------------------------------------


def excluded(path: str) -> bool:
    """Vendored code and `.terraform/`, where `terraform init` puts downloaded modules."""
    return manifest_excluded(path) or re.search(r"(^|/)\.terraform/", path) is not None


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    locks: dict[str, dict[str, str]] = {}
    for path, text in manifest_texts(repo, (LOCK_FILE,), facts, excluded):
        try:
            locks[posixpath.dirname(path)] = parse_lock(text)
        except ParseError as err:
            facts.warn(path, str(err))
    for path, text in manifest_texts(repo, ("*.tf",), facts, excluded):
        try:
            parsed = parse_tf(text, path)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        lock = locks.get(posixpath.dirname(path))
        if lock is not None:
            parsed.dependencies = [
                d if d.name.startswith("module:") else replace(d, resolved=lock.get(d.name))
                for d in parsed.dependencies
            ]
        facts.dependencies += parsed.dependencies
        facts.runtimes += parsed.runtimes
        for message in parsed.warnings:
            facts.warn(path, message)
    for path, text in manifest_texts(repo, (VERSION_FILE,), facts, excluded):
        try:
            facts.runtimes.append(parse_terraform_version(text, path))
        except ParseError as err:
            facts.warn(path, str(err))
    return facts
