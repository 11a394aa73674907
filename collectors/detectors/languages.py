"""Languages by bytes, counted the way GitHub's Linguist counts them.

Every tracked file is named a language with the table in `languages.json` (generated from
Linguist's data by `tools/generate_languages.py`), by Linguist's strategies in this order:

1. `.gitattributes` (`vendored.GitAttributes`): `linguist-language=Name` names the language;
   `linguist-vendored`, `-generated`, `-documentation` (and their `-attr` / `attr=false` forms)
   override the path tables; `linguist-detectable` moves a language onto or off the language bar;
2. the file name (`Dockerfile`, `Makefile`, and `Dockerfile.prod`: see `FILENAME_STEMS`), then the
   extension, case-insensitively, the longest first (`x.html.erb` is HTML+ERB before ERB);
3. content, only where the name leaves a choice: an extension several languages share and that
   `linguist_heuristics.HEURISTICS` covers (`.h`, `.m`, `.pl`, `.ts`, `.pp`, `.sql`, `.inc`,
   `.cls`) is settled by the file's first 50 KiB (a shebang first, then the heuristics); a file
   without an extension is read for its shebang (`#!/usr/bin/env python3`);
4. otherwise `PREFERRED` settles a shared extension (Linguist runs a classifier there).

Then, as in Linguist: vendored, generated and documentation paths are left out (`vendored.py`);
a file that would be counted is also left out when its first 4 KiB say it is generated (a
"Code generated ... DO NOT EDIT" header, a minified script); empty and binary files have no
language; programming and markup languages are counted in `facts.languages`, under their group's
name (TSX as TypeScript), data and prose in `facts.other_languages` (and so is a language
`linguist-detectable` takes off the bar, while `linguist-detectable` puts data on it).

Cost: sizes come from the listing; a file is read once at most, its first bytes only, when a
content step needs it: a shared extension, no extension, or (for the generated check) one of the
repository's `GENERATED_CHECK_LARGEST` largest files in a language generators write; the files a
content step read anyway are checked too. Not done: Linguist's modelines, XML and manpage
strategies, its Bayesian classifier, its source-map check (it needs a file's end); shebangs of
files that have an extension are not looked at.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from collectors.detectors import linguist_heuristics
from collectors.detectors.parsing import read_text
from collectors.detectors.vendored import (
    GENERATED_READ_BYTES,
    GitAttributes,
    excluded_with,
    generated_by_content,
    is_excluded,
    minified,
)
from collectors.facts import Facts
from collectors.repo_view import MAX_READ_BYTES, RepoView

#: `.gitattributes` files, and the files whose shared extension only their content settles.
#: (Files without an extension, read for a shebang, and counted files checked for a generated
#: header are read too: no glob names them.)
#: Extensions a language claims that are mostly binary files in real repositories; Linguist reads
#: every blob and skips binary ones, so these few are read to tell.
BINARY_PRONE_EXTENSIONS: dict[str, str] = {
    ".mo": "gettext's compiled catalogues, not Modelica",
}

WANTS: tuple[str, ...] = (".gitattributes", *(f"*{ext}" for ext in linguist_heuristics.HEURISTICS))

TABLE_PATH = Path(__file__).with_name("languages.json")
TYPES = ("programming", "markup", "data", "prose")
#: Linguist counts only these in a repository's language bar; the others are "other languages".
COUNTED_TYPES = frozenset({"programming", "markup"})

#: Extensions and file names several languages claim, and who gets them until content decides.
#: Keys are lower-case extensions (with the dot) or exact file names.
PREFERRED: dict[str, str] = {
    # C family
    ".h": "C",
    ".cp": "C++",
    ".hh": "C++",
    ".inc": "PHP",
    ".re": "Reason",
    ".mm": "Objective-C++",
    ".m": "Objective-C",
    # JVM and .NET
    ".cs": "C#",
    ".cake": "C#",
    ".sc": "Scala",
    ".cls": "Apex",
    ".trigger": "Apex",
    ".fs": "F#",
    ".bas": "Visual Basic 6.0",
    ".frm": "Visual Basic 6.0",
    ".vba": "VBA",
    # Web
    ".ts": "TypeScript",
    ".tsx": "TSX",
    ".es": "JavaScript",
    ".frag": "GLSL",
    ".gs": "JavaScript",
    ".html": "HTML",
    ".php": "PHP",
    ".tpl": "Smarty",
    ".res": "ReScript",
    # Scripting
    ".pl": "Perl",
    ".pm": "Perl",
    ".t": "Perl",
    ".al": "AL",
    ".cgi": "Perl",
    ".fcgi": "Perl",
    ".spec": "RPM Spec",
    ".rpy": "Python",
    ".r": "R",
    ".ex": "Elixir",
    ".rs": "Rust",
    ".v": "Verilog",
    ".d": "D",
    ".l": "Lex",
    ".ml": "OCaml",
    ".pp": "Puppet",
    ".p": "OpenEdge ABL",
    ".w": "OpenEdge ABL",
    ".pro": "QMake",
    ".plt": "Gnuplot",
    ".sql": "SQL",
    ".ddl": "SQL",
    ".prc": "SQL",
    ".q": "q",
    ".f": "Fortran",
    ".for": "Fortran",
    ".fpp": "Fortran",
    ".cl": "OpenCL",
    ".lisp": "Common Lisp",
    ".lsp": "Common Lisp",
    ".b": "Brainfuck",
    ".bf": "Brainfuck",
    ".e": "Eiffel",
    ".mo": "Modelica",
    ".mod": "Modula-2",
    ".as": "ActionScript",
    ".asm": "Assembly",
    ".s": "Assembly",
    ".i": "SWIG",
    ".x": "RPC",
    ".nu": "Nushell",
    ".lean": "Lean 4",
    ".cairo": "Cairo",
    ".sol": "Solidity",
    ".mojo": "Mojo",
    ".star": "Starlark",
    ".shader": "ShaderLab",
    ".fx": "HLSL",
    ".k": "KCL",
    ".nr": "Noir",
    ".odin": "Odin",
    ".pkl": "Pkl",
    ".tsp": "TypeSpec",
    ".typ": "Typst",
    ".sw": "Sway",
    ".uc": "UnrealScript",
    ".gd": "GDScript",
    ".jq": "jq",
    # Markup, data and prose
    ".md": "Markdown",
    ".txt": "Text",
    ".json": "JSON",
    ".yaml": "YAML",
    ".yml": "YAML",
    ".cfg": "INI",
    ".properties": "Java Properties",
    ".plist": "XML Property List",
    ".asc": "AsciiDoc",
    ".cue": "CUE",
    ".man": "Roff Manpage",
    ".mdoc": "Roff Manpage",
    ".pod": "Pod",
    ".toc": "World of Warcraft Addon Data",
    ".vcf": "vCard",
    ".srt": "SubRip Text",
    ".yy": "Yacc",
    ".workflow": "HCL",
    "HOSTS": "Hosts File",
    "hosts": "Hosts File",
    ".releaserc": "JSON",
    ".eslintrc": "JSON with Comments",
}

#: Interpreters several languages claim (`#!/usr/bin/env node`), and who gets them.
PREFERRED_INTERPRETERS: dict[str, str] = {
    "node": "JavaScript",
    "bun": "JavaScript",
    "deno": "JavaScript",
    "perl": "Perl",
    "perl6": "Raku",
    "lua": "Lua",
    "ocaml": "OCaml",
    "parrot": "Parrot Internal Representation",
}

#: A file named `<stem>.<anything>` is this language when its extension names none
#: (`Dockerfile.prod`, `Containerfile.dev`); Linguist knows only the bare names.
FILENAME_STEMS: dict[str, str] = {"Dockerfile": "Dockerfile", "Containerfile": "Dockerfile"}

#: Languages code generators write, whose files are read for a generated header (or minified
#: content) before they are counted: Linguist's content checks target these. Build and config
#: languages (Dockerfile, Makefile, HCL, Shell) and templates are not read for it.
GENERATED_CHECKED: frozenset[str] = frozenset(
    {
        "C", "C#", "C++", "CSS", "Dart", "Elixir", "Erlang", "F#", "Go", "Haxe", "Java", "JavaScript",
        "Kotlin", "Lua", "Objective-C", "Objective-C++", "PHP", "Python", "Ruby", "Rust", "Scala",
        "Swift", "TSX", "TypeScript", "Visual Basic .NET",
    }
)  # fmt: skip
#: Which files are read for a generated header (besides those read anyway): the largest
#: `GENERATED_CHECK_LARGEST` of a repository between these sizes, in a language generators write.
#: A smaller file barely moves a byte count; a larger one costs a local source its whole blob
#: streamed for a few KiB. Over the real-code corpus (tests/corpus, 28 projects, 14,669 files),
#: this finds 86% of the generated bytes that reading every candidate finds, for a quarter of the
#: reads and a third of the bytes streamed.
GENERATED_MIN_BYTES = 4 * 1024
GENERATED_CHECK_MAX_BYTES = 1024 * 1024
GENERATED_CHECK_LARGEST = 32
#: A script or stylesheet whose first bytes look minified is read whole to be sure, up to this
#: size; past it, long lines at the start are taken as minified (a hand-written script of a
#: megabyte is rare, a bundle common).
MINIFIED_CONFIRM_MAX_BYTES = 256 * 1024
#: A file larger than this is named by its name alone: a source may have to stream a whole blob
#: to give its first bytes (git cat-file does), and no file is read past this size anyway.
CONTENT_READ_MAX_SIZE = MAX_READ_BYTES

_TYPE_RANK = {kind: rank for rank, kind in enumerate(TYPES)}


@dataclass(frozen=True)
class Language:
    name: str
    type: str  # programming, markup, data, prose
    colour: str | None  # "#rrggbb", as GitHub draws it; None for a few data languages
    extensions: tuple[str, ...]  # Linguist's order: the first is the primary extension
    filenames: tuple[str, ...]
    interpreters: tuple[str, ...]
    group: str | None  # the language it is counted as (TSX -> TypeScript), when not itself
    aliases: tuple[str, ...] = ()  # what `linguist-language=` may call it besides its name


class LanguageTable:
    """The language table with its indexes: file name and extension -> candidate languages."""

    def __init__(self, records: dict[str, dict], preferred: dict[str, str] | None = None) -> None:
        self.languages: dict[str, Language] = {
            name: Language(
                name=name,
                type=rec["type"],
                colour=rec.get("colour"),
                extensions=tuple(rec.get("extensions", ())),
                filenames=tuple(rec.get("filenames", ())),
                interpreters=tuple(rec.get("interpreters", ())),
                group=rec.get("group") if rec.get("group") != name else None,
                aliases=tuple(rec.get("aliases", ())),
            )
            for name, rec in records.items()
        }
        self.preferred = dict(PREFERRED if preferred is None else preferred)
        by_filename: dict[str, list[str]] = {}
        by_extension: dict[str, list[str]] = {}
        by_interpreter: dict[str, list[str]] = {}
        #: Linguist's `find_by_alias`: the name in any case, spaces as dashes, and the aliases.
        self.by_alias: dict[str, str] = {}
        for lang in self.languages.values():
            for name in lang.filenames:
                _append_once(by_filename.setdefault(name, []), lang.name)
            for ext in lang.extensions:
                _append_once(by_extension.setdefault(ext.lower(), []), lang.name)
            for program in lang.interpreters:
                _append_once(by_interpreter.setdefault(program, []), lang.name)
            for alias in (lang.name, lang.name.replace(" ", "-")):
                self.by_alias.setdefault(alias.lower(), lang.name)
        for lang in self.languages.values():  # a language's own name wins over another's alias
            for alias in lang.aliases:
                self.by_alias.setdefault(alias.lower(), lang.name)
        #: Every language a file name or extension may mean (the input of disambiguation).
        self.filename_candidates = {k: tuple(sorted(v)) for k, v in by_filename.items()}
        self.extension_candidates = {k: tuple(sorted(v)) for k, v in by_extension.items()}
        self.interpreter_candidates = {k: tuple(sorted(v)) for k, v in by_interpreter.items()}
        #: The one language each file name or extension means for now.
        self.by_filename = {k: self.choose(k, v) for k, v in self.filename_candidates.items()}
        self.by_extension = {k: self.choose(k, v) for k, v in self.extension_candidates.items()}
        self.by_interpreter = {
            k: PREFERRED_INTERPRETERS[k] if PREFERRED_INTERPRETERS.get(k) in v else min(v)
            for k, v in self.interpreter_candidates.items()
        }

    # --- resolving a name -----------------------------------------------------------------------

    def choose(self, key: str, candidates: tuple[str, ...]) -> str:
        """One language for a file name or extension: `PREFERRED`, else a fixed fallback.

        The fallback prefers a language whose primary (first) extension this is, then programming
        over markup over data over prose, then the name in alphabetical order.
        """
        if len(candidates) == 1:
            return candidates[0]
        chosen = self.preferred.get(key)
        if chosen in candidates:
            return chosen
        primary = [c for c in candidates if self.languages[c].extensions[:1] == (key,)]
        pool = primary or list(candidates)
        return min(pool, key=lambda c: (_TYPE_RANK[self.languages[c].type], c))

    def candidates(self, path: str) -> tuple[str, ...]:
        """Every language the file's name allows: its exact name first, else its longest extension."""
        name = posixpath.basename(path)
        found = self.filename_candidates.get(name)
        if found:
            return found
        for ext in extensions_of(name):
            found = self.extension_candidates.get(ext)
            if found:
                return found
        stem = FILENAME_STEMS.get(name.split(".", 1)[0])
        return (stem,) if stem in self.languages else ()

    def lookup(self, path: str) -> tuple[str | None, str | None]:
        """(the language the file's name says, the extension that said it, when one did)."""
        name = path.rsplit("/", 1)[-1]
        found = self.by_filename.get(name)
        if found is not None:
            return found, None
        for ext in extensions_of(name):
            found = self.by_extension.get(ext)
            if found is not None:
                return found, ext
        stem = FILENAME_STEMS.get(name.split(".", 1)[0])
        return (stem if stem in self.languages else None), None

    def classify(self, path: str) -> str | None:
        """The file's language from its name alone, or None when the name does not tell."""
        return self.lookup(path)[0]

    def find(self, alias: str) -> str | None:
        """The language `linguist-language=` names (`c++`, `Objective-C`, `jupyter-notebook`)."""
        return self.by_alias.get(alias.strip().lower())

    def by_shebang(self, text: str, among: tuple[str, ...] | None = None) -> str | None:
        """The language of the interpreter the text's shebang names (limited to `among`), or None."""
        program = linguist_heuristics.interpreter(text)
        if program is None:
            return None
        if among is None:
            return self.by_interpreter.get(program)
        found = [c for c in self.interpreter_candidates.get(program, ()) if c in among]
        return found[0] if len(found) == 1 else None

    # --- about a language -----------------------------------------------------------------------

    def get(self, name: str) -> Language | None:
        return self.languages.get(name)

    def counted_as(self, name: str) -> str:
        """The name a language's bytes are counted under: its group, when the group is of the same
        kind (counted or other); TSX counts as TypeScript, but Easybuild (data) not as Python."""
        lang = self.languages[name]
        group = self.languages.get(lang.group) if lang.group else None
        if group is not None and (group.type in COUNTED_TYPES) == (lang.type in COUNTED_TYPES):
            return group.name
        return name


def extensions_of(name: str) -> list[str]:
    """A file name's extensions, longest first, in lower case: `a.Tar.GZ` -> [".tar.gz", ".gz"].

    As Linguist does it, the part before the first dot is the name (so `.eslintrc.json` has the
    extensions ".eslintrc.json" and ".json").
    """
    _, *segments = name.lower().split(".")
    return ["." + ".".join(segments[i:]) for i in range(len(segments))]


def _append_once(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


@cache
def table() -> LanguageTable:
    """The language table, read from `languages.json` once per process."""
    data = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return LanguageTable(data["languages"])


@cache
def table_source() -> dict[str, str]:
    """Where the table came from: {"package": ..., "version": ..., "license": ...}."""
    return dict(json.loads(TABLE_PATH.read_text(encoding="utf-8"))["source"])


# --- helpers for the rest of guildboard ---------------------------------------------------------


def language_of(path: str) -> str | None:
    """The language a path's name says it is (`src/App.tsx` -> "TSX"), or None."""
    return table().classify(path)


def language_colour(name: str) -> str | None:
    """GitHub's colour for a language ("#3572a5" for Python); a grouped language without a colour
    of its own takes its group's. None for an unknown language or one without a colour."""
    lang = table().get(name)
    if lang is None:
        return None
    if lang.colour is None and lang.group is not None:
        group = table().get(lang.group)
        return group.colour if group else None
    return lang.colour


def language_type(name: str) -> str | None:
    """programming, markup, data or prose; None for an unknown language."""
    lang = table().get(name)
    return lang.type if lang else None


def language_group(name: str) -> str | None:
    """The name a language is counted under in `Facts.languages` (TSX -> TypeScript)."""
    return table().counted_as(name) if table().get(name) else None


# --- the detector -------------------------------------------------------------------------------


@dataclass
class _Unread:
    """A file whose name alone does not finish the job; what its content must settle."""

    path: str
    size: int
    language: str | None  # the name-based answer (or the attribute's), kept when content says nothing
    extension: str | None  # a shared extension the heuristics cover
    shebang: bool  # no extension and no name match: look for `#!`
    overrides: dict[str, bool | str]

    def limit(self) -> int:
        if self.extension is not None:
            return max(linguist_heuristics.read_limit(self.extension), GENERATED_READ_BYTES)
        return GENERATED_READ_BYTES


_NO_OVERRIDES: dict[str, bool | str] = {}


def detect(repo: RepoView) -> Facts:
    """Bytes per language: every file planned by name and attributes first, then the few that
    need it read (once each, the first bytes only), so most files cost no read."""
    facts = Facts()
    langs = table()
    files = repo.files()
    attributes = _gitattributes(repo, files, langs, facts)
    counted: dict[str, int] = {}
    other: dict[str, int] = {}
    unread: list[_Unread] = []
    header_only: list[_Unread] = []  # read only to look for a generated header
    for path, size in files.items():
        overrides = attributes.overrides(path) if attributes else _NO_OVERRIDES
        planned = _plan(langs, path, size, overrides)
        if isinstance(planned, str):
            _tally(langs, planned, size, overrides, counted, other)
        elif planned is not None:
            (unread if planned.extension or planned.shebang else header_only).append(planned)
    header_only.sort(key=lambda u: (-u.size, u.path))
    unread += header_only[:GENERATED_CHECK_LARGEST]
    for item in header_only[GENERATED_CHECK_LARGEST:]:
        if item.language is not None:
            _tally(langs, item.language, item.size, item.overrides, counted, other)
    if unread:
        repo.prefetch(u.path for u in unread)
    for item in unread:
        _settle(repo, langs, item, facts, counted, other)
    facts.languages = _by_size(counted)
    facts.other_languages = _by_size(other)
    return facts


def _plan(langs: LanguageTable, path: str, size: int, overrides: dict[str, bool | str]) -> str | _Unread | None:
    """A file's language when its name (or an attribute) settles it; what to read when it does
    not; None when the file is not counted at all (empty, left out, no language)."""
    if size == 0:
        return None  # Linguist gives an empty file no language
    if overrides:
        if excluded_with(path, overrides):
            return None
        named = overrides.get("language")
        if isinstance(named, str):
            language = langs.find(named)  # an unknown name was warned about once, with its line
            if language is None:
                return None
            if GENERATED_MIN_BYTES <= size <= GENERATED_CHECK_MAX_BYTES and _may_be_generated(
                langs, language, overrides
            ):
                return _Unread(path, size, language, None, False, overrides)
            return language
    elif is_excluded(path):
        return None
    language, extension = langs.lookup(path)
    if size > CONTENT_READ_MAX_SIZE:
        return language
    if extension is not None and extension in linguist_heuristics.HEURISTICS:
        return _Unread(path, size, language, extension, False, overrides)
    if extension in BINARY_PRONE_EXTENSIONS:
        return _Unread(path, size, language, extension, False, overrides)  # read: binary gets no language
    if language is None:
        no_extension = "." not in path.rsplit("/", 1)[-1]
        return _Unread(path, size, None, None, True, overrides) if no_extension else None
    if GENERATED_MIN_BYTES <= size <= GENERATED_CHECK_MAX_BYTES and _may_be_generated(langs, language, overrides):
        return _Unread(path, size, language, None, False, overrides)
    return language


def _settle(
    repo: RepoView,
    langs: LanguageTable,
    item: _Unread,
    facts: Facts,
    counted: dict[str, int],
    other: dict[str, int],
) -> None:
    """Read the start of one file and count it (or not) by what its content says."""
    try:
        text = repo.read_text(item.path, item.limit())
    except Exception as err:  # a source failing on one blob must not cost the repository its languages
        facts.warn(item.path, f"not read to settle its language ({type(err).__name__}: {err}); named by its name")
        if item.language is not None:
            _tally(langs, item.language, item.size, item.overrides, counted, other)
        return
    if text is None:
        return  # binary: Linguist gives it no language
    language = item.language
    if item.extension is not None:
        among = langs.extension_candidates.get(item.extension, ())
        language = langs.by_shebang(text, among) or linguist_heuristics.disambiguate(item.extension, text) or language
    elif item.shebang:
        language = langs.by_shebang(text)
    if language is None:
        return
    if _may_be_generated(langs, language, item.overrides) and _generated(repo, item, text[:GENERATED_READ_BYTES]):
        return
    _tally(langs, language, item.size, item.overrides, counted, other)


def _generated(repo: RepoView, item: _Unread, head: str) -> bool:
    """Generated by its header, or minified: the start of a long file that looks minified is
    confirmed over the whole file (up to `MINIFIED_CONFIRM_MAX_BYTES`), as Linguist measures it."""
    why = generated_by_content(item.path, head)
    if why != "minified" or item.size <= len(head) or item.size > MINIFIED_CONFIRM_MAX_BYTES:
        return why is not None
    try:
        whole = repo.read_text(item.path)
    except Exception:  # the start said minified; a source failing now does not change that
        return True
    return whole is None or minified(item.path, whole)


def _is_counted(langs: LanguageTable, language: str, overrides: dict[str, bool | str]) -> bool:
    """On the language bar: programming and markup, unless `linguist-detectable` says otherwise."""
    detectable = overrides.get("detectable")
    if detectable is None:
        return langs.languages[language].type in COUNTED_TYPES
    return bool(detectable)


def _may_be_generated(langs: LanguageTable, language: str, overrides: dict[str, bool | str]) -> bool:
    """Worth looking for a generated header: a generator's language, counted, no attribute settled it."""
    return language in GENERATED_CHECKED and "generated" not in overrides and _is_counted(langs, language, overrides)


def _tally(
    langs: LanguageTable,
    language: str,
    size: int,
    overrides: dict[str, bool | str],
    counted: dict[str, int],
    other: dict[str, int],
) -> None:
    bucket = counted if _is_counted(langs, language, overrides) else other
    key = langs.counted_as(language)
    bucket[key] = bucket.get(key, 0) + size


def _gitattributes(repo: RepoView, files: dict[str, int], langs: LanguageTable, facts: Facts) -> GitAttributes | None:
    """The repository's Linguist attributes, or None when no `.gitattributes` sets one."""
    paths = [p for p in files if p == ".gitattributes" or p.endswith("/.gitattributes")]
    if not paths:
        return None
    texts = {}
    for path in paths:
        text = read_text(repo, path, facts)
        if text is not None:
            texts[path] = text
    attributes = GitAttributes.from_files(texts)
    for rule in attributes.rules:
        for attr, value in rule.assignments:
            if attr == "linguist-language" and isinstance(value, str) and langs.find(value) is None:
                where = f"{rule.base}.gitattributes"
                facts.warn(where, f"{rule.pattern}: linguist-language={value} is not a language Linguist knows")
    return attributes or None


def _by_size(sizes: dict[str, int]) -> dict[str, int]:
    return dict(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))
