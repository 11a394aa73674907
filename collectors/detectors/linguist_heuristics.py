"""Deciding a file's language from its content, where its name leaves a choice (Linguist's way).

Two strategies of GitHub Linguist, as data:

- **heuristics**: an extension several languages share (`.h`, `.m`, `.pl`, `.ts`, `.pp`, `.sql`,
  `.inc`, `.cls`) is settled by looking for tell-tale lines in the file's first `READ_LIMIT`
  bytes. Each extension has rules tried in order; the first rule whose patterns all match names
  the language; a rule without patterns always matches (the fallback). When no rule matches,
  the caller keeps the name-based choice (`languages.PREFERRED`): Linguist would run its
  Bayesian classifier there, which we do not have.
- **shebangs**: a script without an extension names its interpreter on its first line
  (`#!/usr/bin/env -S python3 -u`); the interpreter is looked up in the language table.

The tables are written for guildboard after the behaviour Linguist documents in its
`heuristics.yml` and `shebang.rb` (MIT, notice in `LANGUAGES-LICENSE.txt`); the patterns are our
own and cover only the extensions listed here. Only files whose extension is in `HEURISTICS`
are read for it, so a collection stays fast: most files are decided by name alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The most of a file read to settle its language (Linguist reads whole blobs up to 128 KiB).
READ_LIMIT = 50 * 1024


@dataclass(frozen=True)
class Rule:
    """`language` when every pattern matches somewhere in the text and `unless` does not."""

    language: str
    patterns: tuple[re.Pattern[str], ...] = ()
    unless: re.Pattern[str] | None = None

    def matches(self, text: str) -> bool:
        if self.unless is not None and self.unless.search(text):
            return False
        return all(p.search(text) for p in self.patterns)


def rule(language: str, *patterns: str, unless: str | None = None, flags: int = 0) -> Rule:
    """A rule from regular expressions; `^` and `$` match at every line (re.MULTILINE).

    Indentation is `[ \\t]*`, never `\\s*`, after a `^`: `\\s` crosses line ends, and a file of
    blank lines would cost time quadratic in its length (a test feeds such files to every rule).
    """
    flags |= re.MULTILINE
    return Rule(
        language,
        tuple(re.compile(p, flags) for p in patterns),
        re.compile(unless, flags) if unless is not None else None,
    )


def any_of(*alternatives: str) -> str:
    """One pattern matching any of several (kept apart in the table for readability)."""
    return "|".join(f"(?:{a})" for a in alternatives)


_OBJECTIVE_C = any_of(
    r"^[ \t]*@(?:interface|implementation|protocol|property|synthesize|class|end|selector|import)\b",
    r"^[ \t]*#\s*import\s*[<\"]",
)
_CPP = any_of(
    r"^[ \t]*#\s*include\s*<(?:c(?:assert|ctype|errno|float|limits|locale|math|setjmp|signal|stdarg|stddef"
    r"|stdint|stdio|stdlib|string|time|wchar)|string|string_view|vector|map|set|list|array|deque|bitset"
    r"|queue|stack|forward_list|unordered_map|unordered_set|memory|functional|algorithm|utility|optional"
    r"|variant|tuple|thread|mutex|atomic|chrono|[io]?stream|sstream|fstream|iomanip|type_traits)>",
    r"^[ \t]*template\s*<",
    r"^[ \t]*(?:class|(?:using\s+)?namespace)\s+\w+",
    r"^[ \t]*(?:public|private|protected)\s*:",
    r"\bstd::\w",
    r"^[ \t]*(?:constexpr|virtual|explicit|friend)\s",
    r"\b(?:nullptr|static_cast|dynamic_cast|reinterpret_cast|const_cast)\b",
    r"^[ \t]*try\s*\{|\bcatch\s*\(\s*(?:const\s+)?[\w:]+\s*&",
    r"^[ \t]*#\s*if\s+__cplusplus\s*>",
)
_PERL = any_of(
    r"\buse\s+(?:strict|warnings|v?5)\b",
    r"^[ \t]*use\s+[A-Z]\w*(?:::\w+)*",
    r"^[ \t]*package\s+[A-Za-z_]\w*(?:::\w+)*\s*[;{]",
    r"^[ \t]*(?:my|our|local)\s+[$@%]",
    r"^[ \t]*sub\s+\w+\s*\{",
)

#: Lower-case extension -> rules, tried in order. Every language named here is one the table
#: lists for that extension (a test holds them together).
HEURISTICS: dict[str, tuple[Rule, ...]] = {
    ".h": (
        rule("Objective-C", _OBJECTIVE_C),
        rule("C++", _CPP),
        rule("C"),
    ),
    ".m": (
        rule("Objective-C", _OBJECTIVE_C),
        rule(
            "MATLAB",
            any_of(
                r"^[ \t]*%",  # MATLAB comments; Objective-C has none at the start of a line
                r"^[ \t]*function\s+(?:\[[^\]\n]*\]\s*=\s*|\w+\s*=\s*)?\w+\s*(?:\(|$)",
                r"^[ \t]*(?:end|endfunction)[ \t]*(?:;[ \t]*)?$",
                r"\b(?:disp|zeros|ones|numel|linspace)\s*\(",
            ),
        ),
        # No fallback: Mercury, Limbo, M, MUF and Wolfram are rare; PREFERRED settles the rest.
    ),
    ".pl": (
        rule("Raku", r"^[ \t]*(?:use\s+v6\b|unit\s+(?:module|class|grammar)\b)"),
        rule("Perl", _PERL),
        rule("Prolog", any_of(r"^[ \t]*:-\s*\w", r"^[a-z]\w*(?:\([^\n]*\))?\s*:-")),
    ),
    ".ts": (
        # A Qt Linguist translation file is XML whose root is <TS>; TypeScript never starts with "<".
        rule("XML", r"\A\s*<", r"<TS\b"),
        rule("TypeScript"),
    ),
    ".pp": (
        rule(
            "Pascal",
            any_of(
                r"^[ \t]*(?:program|unit|library)\s+[\w.]+\s*;",
                r"^[ \t]*end[ \t]*\.[ \t]*$",
                r"^[ \t]*(?:begin|uses|interface|implementation)[ \t]*$",
            ),
            flags=re.IGNORECASE,
        ),
        rule("Puppet"),
    ),
    ".sql": (
        rule(
            "PLpgSQL",
            any_of(r"^\\i\b", r"\bAS\s+\$\w*\$", r"\bLANGUAGE\s+'?plpgsql\b", r"\bBEGIN(?:\s+WORK)?\s*;"),
            flags=re.IGNORECASE,
        ),
        rule(
            "SQLPL",
            any_of(
                r"\bALTER\s+MODULE\b",
                r"\bMODE\s+DB2SQL\b",
                r"\bSYS(?:CAT|PROC)\.",
                r"\bASSOCIATE\s+RESULT\s+SET\b",
                r"\bEND!\s*$",
            ),
            flags=re.IGNORECASE,
        ),
        rule(
            "PLSQL",
            any_of(
                r"\$\$PLSQL_",
                r"\bXMLTYPE\b",
                r"\bSYSTIMESTAMP\b",
                r"\.NEXTVAL\b",
                r"\bCONNECT\s+BY\b",
                r"\bAUTHID\s+(?:DEFINER|CURRENT_USER)\b",
                r"\bCONSTRUCTOR\W+FUNCTION\b",
            ),
            flags=re.IGNORECASE,
        ),
        rule(
            "TSQL",
            any_of(
                r"^[ \t]*GO\b",
                r"\bBEGIN\s+(?:TRY|CATCH)\b",
                r"\bOUTPUT\s+INSERTED\b",
                r"\bDECLARE\s+@",
                r"\[dbo\]",
            ),
            flags=re.IGNORECASE,
        ),
        rule("SQL"),
    ),
    ".inc": (
        rule("PHP", r"^[ \t]*<\?(?:php\b|=|\s)"),
        rule("POV-Ray SDL", r"^[ \t]*#(?:declare|local|macro|while)\s"),
        rule(
            "Pascal",
            any_of(r"^[ \t]*\{\$(?:mode|ifdef|ifndef|undef|define|i|include)\b", r"^[ \t]*end[ \t]*[.;][ \t]*$"),
            flags=re.IGNORECASE,
        ),
        rule("BitBake", r"^inherit(?:[ \t]+[\w.-]+)+[ \t]*$"),
        rule("Assembly", any_of(r"^[ \t]*mov\s+[^\s,]+,", r"^[ \t]+db[ \t]+\w"), flags=re.IGNORECASE),
        rule("C++", any_of(r"^[ \t]*#\s*(?:include|define|ifn?def|if|pragma)\b", _CPP)),
    ),
    ".cls": (
        rule(
            "Visual Basic 6.0",
            r"^[ \t]*VERSION\s+\d\.\d\s+CLASS",
            r"^[ \t]*BEGIN[ \t]*\r?\n[ \t]*MultiUse[ \t]*=.*\r?\n[ \t]*Persistable[ \t]*=",
        ),
        rule("VBA", r"^[ \t]*VERSION\s+\d\.\d\s+CLASS"),
        rule("TeX", r"^[ \t]*\\(?:NeedsTeXFormat|ProvidesClass)\{"),
        rule(
            "OpenEdge ABL",
            r"^[ \t]*CLASS[ \t]+[\w.]+(?:[ \t]+(?:INHERITS|IMPLEMENTS)[ \t]+[\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)*"
            r"(?:[ \t]+FINAL)?[ \t]*:[ \t]*$",
            flags=re.IGNORECASE,
        ),
        rule("ObjectScript", r"^Class\s+[\w.%]+"),
        rule("Apex"),
    ),
}

#: How much of a file each extension needs (default `READ_LIMIT`): a Qt translation file says
#: so in its first lines, so a TypeScript repository's .ts files cost one small read each.
READ_LIMITS: dict[str, int] = {".ts": 1024}


def read_limit(extension: str) -> int:
    return READ_LIMITS.get(extension, READ_LIMIT)


def disambiguate(extension: str, text: str) -> str | None:
    """The language the content of a file with this (lower-case) extension shows, or None."""
    for candidate in HEURISTICS.get(extension, ()):
        if candidate.matches(text):
            return candidate.language
    return None


# --- shebangs -------------------------------------------------------------------------------------

_ENV_OPTION = re.compile(r"-\S*")  # -S, -i, --ignore-environment, -vS, a lone "-"
_ENV_OPTION_WITH_VALUE = frozenset({"-u", "-C", "-P", "--unset", "--chdir"})
_ENV_ASSIGNMENT = re.compile(r"[A-Za-z_]\w*=\S*$")
_VERSION_SUFFIX = re.compile(r"\.\d+$")
_EXEC_HACK = re.compile(r"""exec\s+(\w[\w.+-]*)[\s'"]+\$0[\s'"]+\$@""")


def interpreter(text: str) -> str | None:
    """The interpreter a script's first line names: `#!/usr/bin/env -S python3.11 -u` -> "python3".

    As Linguist reads it: the program's base name; through `env`, the first word that is not an
    option nor a VAR=value; a trailing ".minor" version dropped (python3.11 -> python3); a shell
    script that re-executes itself (`exec tclsh "$0" "$@"`) names the program it runs.
    """
    if not text.startswith("#!"):
        return None
    first = text[2:].split("\n", 1)[0].strip()
    words = first.split()
    if not words:
        return None
    program = words[0].rsplit("/", 1)[-1]
    rest = words[1:]
    if program == "env":
        program = ""
        skip_value = False
        for word in rest:
            if skip_value:
                skip_value = False
            elif word in _ENV_OPTION_WITH_VALUE:
                skip_value = True
            elif _ENV_OPTION.fullmatch(word) or _ENV_ASSIGNMENT.fullmatch(word):
                continue
            else:
                program = word.rsplit("/", 1)[-1]
                break
        if not program:
            return None
    program = _VERSION_SUFFIX.sub("", program)
    if program == "sh":
        head = "\n".join(text.split("\n", 5)[:5])
        found = _EXEC_HACK.search(head)
        if found:
            program = found.group(1).rsplit("/", 1)[-1]
    return program or None
