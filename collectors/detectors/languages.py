"""Languages by bytes, counted the way GitHub's Linguist counts them (a first cut: by name only).

Every tracked file is named a language from its file name, then its extension, with the table in
`languages.json` (generated from Linguist's data by `tools/generate_languages.py`). Sizes come
from the listing, so no file is read. As in Linguist:

- vendored, generated and documentation paths are left out (`vendored.py` holds those tables);
- programming and markup languages are counted in `facts.languages`, under their group's name
  (TSX is counted as TypeScript); data and prose languages go to `facts.other_languages`;
- file names match exactly; extensions match case-insensitively, the longest one first
  (`x.html.erb` is HTML+ERB before it is ERB).

An extension several languages claim (`.h`, `.m`, `.pl`) goes to the language `PREFERRED` names,
else to a fixed fallback; Linguist reads the content instead, and so will a later change, which
slots in as one more strategy in `LanguageTable.classify` together with `.gitattributes`
overrides and shebangs (the table already carries each language's interpreters).
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from collectors.detectors.vendored import is_excluded
from collectors.facts import Facts
from collectors.repo_view import RepoView

#: Nothing is read: sizes come from the repository's listing.
WANTS: tuple[str, ...] = ()

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
            )
            for name, rec in records.items()
        }
        self.preferred = dict(PREFERRED if preferred is None else preferred)
        by_filename: dict[str, list[str]] = {}
        by_extension: dict[str, list[str]] = {}
        for lang in self.languages.values():
            for name in lang.filenames:
                _append_once(by_filename.setdefault(name, []), lang.name)
            for ext in lang.extensions:
                _append_once(by_extension.setdefault(ext.lower(), []), lang.name)
        #: Every language a file name or extension may mean (the input of disambiguation).
        self.filename_candidates = {k: tuple(sorted(v)) for k, v in by_filename.items()}
        self.extension_candidates = {k: tuple(sorted(v)) for k, v in by_extension.items()}
        #: The one language each file name or extension means for now.
        self.by_filename = {k: self.choose(k, v) for k, v in self.filename_candidates.items()}
        self.by_extension = {k: self.choose(k, v) for k, v in self.extension_candidates.items()}

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
        return ()

    def classify(self, path: str) -> str | None:
        """The file's language from its name alone, or None when the name does not tell."""
        name = posixpath.basename(path)
        found = self.by_filename.get(name)
        if found is not None:
            return found
        for ext in extensions_of(name):
            found = self.by_extension.get(ext)
            if found is not None:
                return found
        return None

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


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    langs = table()
    counted: dict[str, int] = {}
    other: dict[str, int] = {}
    for path, size in repo.files().items():
        if is_excluded(path):
            continue
        name = langs.classify(path)
        if name is None:
            continue
        lang = langs.languages[name]
        bucket = counted if lang.type in COUNTED_TYPES else other
        key = langs.counted_as(name)
        bucket[key] = bucket.get(key, 0) + size
    facts.languages = _by_size(counted)
    facts.other_languages = _by_size(other)
    return facts


def _by_size(sizes: dict[str, int]) -> dict[str, int]:
    return dict(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))
