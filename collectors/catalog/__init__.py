"""The technology catalog: which frameworks, libraries and tools exist, and what signals each.

The knowledge lives in `technologies.yaml` beside this file (one entry per technology, like a file
type in pre-commit's `identify`); this module loads it once, checks its shape so a bad edit fails
with one line naming the entry, and gives the dashboard its rows. Derivation, turning one
repository's facts into `Technology` facts, is `collectors.detectors.technologies`.

Importing this module is cheap: the YAML is read on the first `load_catalog()` call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CATALOG_PATH = Path(__file__).with_name("technologies.yaml")

#: Every category a technology may have, in the order the dashboard lists them, with its title.
#: A test holds the table to this list both ways: every entry's category is here, and every
#: category here has at least one entry.
CATEGORY_TITLES: dict[str, str] = {
    "web-framework": "Web frameworks",
    "frontend-framework": "Front-end frameworks",
    "ui-library": "UI component libraries",
    "styling": "Styling",
    "state-management": "State management",
    "mobile": "Mobile",
    "api": "APIs (GraphQL, gRPC, OpenAPI)",
    "serialization": "Serialisation",
    "validation": "Validation",
    "orm-database-client": "ORMs and database clients",
    "database": "Databases",
    "database-migration": "Database migrations",
    "caching": "Caching",
    "http-client": "HTTP clients",
    "resilience": "Resilience",
    "messaging": "Messaging",
    "background-jobs": "Background jobs",
    "data-processing": "Data processing",
    "machine-learning": "Machine learning",
    "data-visualisation": "Data visualisation",
    "workflow-orchestration": "Workflow orchestration",
    "logging": "Logging",
    "observability": "Observability",
    "security": "Security",
    "configuration": "Configuration",
    "feature-flags": "Feature flags",
    "dependency-injection": "Dependency injection",
    "concurrency": "Concurrency and reactive",
    "date-time": "Date and time",
    "utility-library": "Utility libraries",
    "templating": "Templating",
    "cli-framework": "CLI frameworks",
    "app-server": "Application and web servers",
    "test-framework": "Testing",
    "linter-formatter": "Linters and formatters",
    "build-tool": "Build tools",
    "bundler": "Bundlers and compilers",
    "monorepo-tool": "Monorepo tools",
    "package-manager": "Package managers",
    "dev-tooling": "Developer tooling",
    "documentation": "Documentation",
    "ci-provider": "CI providers",
    "container-base-image": "Container base images",
    "infrastructure-as-code": "Infrastructure as code",
    "cloud-platform": "Cloud platforms",
    "cloud-sdk": "Cloud SDKs",
}
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_TITLES)

#: Dependency ecosystems, named as every dependency detector names them.
ECOSYSTEMS: tuple[str, ...] = (
    "pypi",
    "npm",
    "maven",
    "gradle-plugin",
    "sbt-plugin",
    "go",
    "cargo",
    "rubygems",
    "packagist",
    "nuget",
    "terraform",
    "helm",
)
#: Signal kinds besides ecosystems: a Dockerfile base image, a CI provider, a GitHub Action used
#: by a workflow, a tracked path.
OTHER_KINDS: tuple[str, ...] = ("docker", "ci", "action", "file")
SIGNAL_KINDS: tuple[str, ...] = (*ECOSYSTEMS, *OTHER_KINDS)

#: Kinds whose signal carries no version of the technology: only presence.
VERSIONLESS_KINDS: frozenset[str] = frozenset({"ci", "action", "file"})

GLOB_CHARS = frozenset("*?[")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEYS = frozenset({"name", "title", "category", "signals", "version_from", "implies"})


class CatalogError(Exception):
    """The catalog file is malformed; the message names the entry and what is wrong."""


@dataclass(frozen=True)
class Entry:
    """One technology: what it is called, where it belongs, and what tells it is used."""

    name: str
    title: str
    category: str
    signals: tuple[tuple[str, tuple[str, ...]], ...]  # (kind, patterns), in the file's order
    version_from: tuple[str, ...] | None = None  # None: every signal gives a version
    implies: tuple[str, ...] = ()

    def patterns(self, kind: str) -> tuple[str, ...]:
        return next((patterns for k, patterns in self.signals if k == kind), ())

    def kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind, _ in self.signals)


class Catalog:
    """The entries in the file's order, and by name."""

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self.entries = entries
        self.by_name: dict[str, Entry] = {e.name: e for e in entries}

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, name: str) -> Entry:
        return self.by_name[name]

    def get(self, name: str) -> Entry | None:
        return self.by_name.get(name)


def is_glob(pattern: str) -> bool:
    return not GLOB_CHARS.isdisjoint(pattern)


def normalise_name(kind: str, name: str) -> str:
    """The form a name is compared in: case folded; PyPI names as PEP 503 says."""
    name = name.strip().lower()
    if kind == "pypi":
        name = re.sub(r"[-_.]+", "-", name)
    return name


# --- loading ----------------------------------------------------------------------------------


@cache
def load_catalog() -> Catalog:
    """The catalog shipped with guildboard, read once per process."""
    return parse_catalog(CATALOG_PATH.read_text(encoding="utf-8"), CATALOG_PATH.name)


def parse_catalog(text: str, source: str = "technologies.yaml") -> Catalog:
    """A catalog from YAML text; `CatalogError` names the first entry that is not well formed."""
    from collectors.detectors.parsing import ParseError, load_yaml  # the package imports us back

    try:
        data = load_yaml(text)
    except ParseError as err:
        raise CatalogError(f"{source}: {err}") from None
    if not isinstance(data, list):
        raise CatalogError(f"{source}: expected a list of technologies at the top")
    entries: list[Entry] = []
    seen: set[str] = set()
    for index, raw in enumerate(data):
        entry = _entry(raw, f"{source}: entry {index + 1}")
        if entry.name in seen:
            raise CatalogError(f"{source}: entry {index + 1} ({entry.name}): the name is used twice")
        seen.add(entry.name)
        entries.append(entry)
    for entry in entries:
        for target in entry.implies:
            if target not in seen:
                raise CatalogError(f"{source}: {entry.name}: implies {target!r}, which is not in the catalog")
    return Catalog(tuple(entries))


def _entry(raw: Any, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: expected a mapping with name, title, category and signals")
    name = raw.get("name")
    if not isinstance(name, str) or not SLUG.fullmatch(name):
        raise CatalogError(f"{where}: name {name!r} is not a lower-case slug like spring-boot")
    where = f"{where} ({name})"
    unknown = sorted(set(map(str, raw)) - _KEYS)
    if unknown:
        raise CatalogError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise CatalogError(f"{where}: title missing")
    category = raw.get("category")
    if category not in CATEGORY_TITLES:
        raise CatalogError(f"{where}: category {category!r} is not one of collectors.catalog.CATEGORIES")
    signals = raw.get("signals")
    if not isinstance(signals, dict) or not signals:
        raise CatalogError(f"{where}: signals missing (a mapping of signal kind to patterns)")
    parsed: list[tuple[str, tuple[str, ...]]] = []
    for kind, patterns in signals.items():
        if kind not in SIGNAL_KINDS:
            raise CatalogError(f"{where}: signals.{kind}: unknown signal kind (known: {', '.join(SIGNAL_KINDS)})")
        parsed.append((kind, _strings(patterns, f"{where}: signals.{kind}", allow_empty=False)))
    version_from = raw.get("version_from")
    if version_from is not None:
        version_from = _strings(version_from, f"{where}: version_from", allow_empty=True)
        own = {p for _, patterns in parsed for p in patterns}
        for pattern in version_from:
            if pattern not in own:
                raise CatalogError(f"{where}: version_from {pattern!r} is not one of its own signals")
    implies = _strings(raw.get("implies") or [], f"{where}: implies", allow_empty=True)
    if name in implies:
        raise CatalogError(f"{where}: implies itself")
    return Entry(name, title.strip(), category, tuple(parsed), version_from, implies)


def _strings(value: Any, where: str, *, allow_empty: bool) -> tuple[str, ...]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise CatalogError(f"{where}: expected a list of strings")
    for item in value:
        if not isinstance(item, str) or not item.strip() or item != item.strip():
            raise CatalogError(f"{where}: {item!r} is not a non-empty string without surrounding spaces")
    if len(set(value)) != len(value):
        raise CatalogError(f"{where}: a pattern is listed twice")
    return tuple(value)


# --- for the dashboard --------------------------------------------------------------------------


def catalog_frame_rows() -> list[dict[str, str]]:
    """One row per technology (name, title, category), in the catalog's order: the dashboard's
    frame of known technologies, built without importing pandas here."""
    return [{"name": e.name, "title": e.title, "category": e.category} for e in load_catalog()]


def category_frame_rows() -> list[dict[str, str]]:
    """One row per category (category, title), in display order."""
    return [{"category": c, "title": t} for c, t in CATEGORY_TITLES.items()]
