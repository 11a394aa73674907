"""Invariants over the technology catalog (collectors/catalog/technologies.yaml) and its loader."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from collectors.catalog import (
    CATEGORIES,
    CATEGORY_TITLES,
    ECOSYSTEMS,
    SIGNAL_KINDS,
    VERSIONLESS_KINDS,
    CatalogError,
    catalog_frame_rows,
    category_frame_rows,
    is_glob,
    load_catalog,
    normalise_name,
    parse_catalog,
)

ROOT = Path(__file__).resolve().parent.parent
CI_PROVIDERS = ROOT / "collectors" / "detectors" / "ci_providers.json"

#: Exact patterns deliberately claimed by two technologies of the same kind: none so far. A
#: package that signals a technology and also brings another is written with `implies`.
SHARED_ON_PURPOSE: dict[tuple[str, str], set[str]] = {}

#: Technologies guilds commonly put on hold; the demo organisation carries several of them, and the
#: dashboard must be able to name them.
HOLD = (
    "moment",
    "request",
    "angularjs",
    "log4j",
    "nose",
    "six",
    "future",
    "jquery",
    "enzyme",
    "tslint",
    "protractor",
    "node-sass",
    "bower",
    "junit4",
    "joda-time",
    "commons-lang",
    "springfox",
    "hystrix",
    "python-mock",
    "openjdk-image",
    "travis-ci",
)

CATALOG = load_catalog()
ENTRIES = CATALOG.entries


def all_signals() -> list[tuple[str, str, str]]:
    """(technology, kind, pattern) for every signal in the catalog."""
    return [(e.name, kind, p) for e in ENTRIES for kind, patterns in e.signals for p in patterns]


# --- size and categories ------------------------------------------------------------------------


def test_catalog_has_at_least_200_technologies() -> None:
    assert len(ENTRIES) >= 200


def test_catalog_uses_at_least_15_categories() -> None:
    assert len({e.category for e in ENTRIES}) >= 15


def test_every_category_of_an_entry_is_a_known_one() -> None:
    assert {e.name: e.category for e in ENTRIES if e.category not in CATEGORIES} == {}


def test_every_known_category_has_a_technology() -> None:
    used = {e.category for e in ENTRIES}
    assert [c for c in CATEGORIES if c not in used] == []


def test_the_categories_the_radar_needs_are_known() -> None:
    required = {
        "web-framework", "frontend-framework", "test-framework", "build-tool", "package-manager",
        "orm-database-client", "http-client", "logging", "messaging", "data-processing", "observability",
        "infrastructure-as-code", "ci-provider", "container-base-image", "linter-formatter", "mobile",
    }  # fmt: skip
    assert required - set(CATEGORIES) == set()


def test_every_category_has_a_title_and_is_a_slug() -> None:
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", c) and CATEGORY_TITLES[c].strip() for c in CATEGORIES)


# --- names and titles ---------------------------------------------------------------------------


def test_names_are_unique() -> None:
    seen: dict[str, int] = defaultdict(int)
    for e in ENTRIES:
        seen[e.name] += 1
    assert {n: c for n, c in seen.items() if c > 1} == {}


def test_names_are_lower_case_slugs() -> None:
    assert [e.name for e in ENTRIES if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", e.name)] == []


def test_titles_are_present_and_unique() -> None:
    assert [e.name for e in ENTRIES if not e.title.strip()] == []
    by_title: dict[str, list[str]] = defaultdict(list)
    for e in ENTRIES:
        by_title[e.title.lower()].append(e.name)
    assert {t: names for t, names in by_title.items() if len(names) > 1} == {}


@pytest.mark.parametrize("name", HOLD)
def test_technologies_a_guild_puts_on_hold_are_in_the_catalog(name: str) -> None:
    assert CATALOG.get(name) is not None


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("spring-boot", "web-framework"),
        ("react", "frontend-framework"),
        ("django", "web-framework"),
        ("fastapi", "web-framework"),
        ("express", "web-framework"),
        ("nextjs", "frontend-framework"),
        ("airflow", "workflow-orchestration"),
        ("dbt", "data-processing"),
        ("spark", "data-processing"),
        ("akka", "concurrency"),
        ("pekko", "concurrency"),
        ("rails", "web-framework"),
        ("log4j2", "logging"),
        ("eclipse-temurin", "container-base-image"),
        ("github-actions", "ci-provider"),
        ("terraform", "infrastructure-as-code"),
        ("react-native", "mobile"),
    ],
)
def test_well_known_technologies_sit_in_their_category(name: str, category: str) -> None:
    assert CATALOG[name].category == category


# --- signals ------------------------------------------------------------------------------------


def test_every_signal_kind_is_known() -> None:
    assert [(e.name, k) for e in ENTRIES for k in e.kinds() if k not in SIGNAL_KINDS] == []


def test_every_entry_has_at_least_one_pattern() -> None:
    assert [e.name for e in ENTRIES if not any(patterns for _, patterns in e.signals)] == []


def test_no_exact_pattern_signals_two_technologies_of_the_same_kind() -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, kind, pattern in all_signals():
        if not is_glob(pattern):
            key = pattern if kind == "file" else normalise_name(kind, pattern)
            owners[(kind, key)].add(name)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared == SHARED_ON_PURPOSE


def test_no_pattern_is_listed_twice_in_one_entry_and_kind() -> None:
    doubled = [
        (e.name, kind)
        for e in ENTRIES
        for kind, patterns in e.signals
        if len({p if kind == "file" else normalise_name(kind, p) for p in patterns}) != len(patterns)
    ]
    assert doubled == []


def test_every_glob_compiles_and_names_something_specific() -> None:
    bad = []
    for name, kind, pattern in all_signals():
        if not is_glob(pattern):
            continue
        try:
            re.compile(fnmatch.translate(pattern))
        except re.error:
            bad.append((name, pattern, "does not compile"))
        literal = re.sub(r"[*?]|\[[^]]*\]", "", pattern)
        if len(literal) < 3 or (pattern.startswith("*") and kind != "file"):
            bad.append((name, pattern, "too broad"))
        if "**" in pattern or "[" in pattern:
            bad.append((name, pattern, "use * and ? only"))
    assert bad == []


def test_pypi_patterns_are_written_as_pep_503_names() -> None:
    bad = [(n, p) for n, k, p in all_signals() if k == "pypi" and not is_glob(p) and canonicalize_name(p) != p]
    assert bad == []


@pytest.mark.parametrize("kind", ["npm", "pypi", "cargo", "rubygems", "packagist", "docker", "helm", "ci"])
def test_patterns_of_lower_case_registries_are_lower_case(kind: str) -> None:
    # Go module paths and NuGet ids keep their case as written (github.com/Azure/...,
    # Newtonsoft.Json); matching folds case for every kind but file paths.
    bad = [(n, p) for n, k, p in all_signals() if k == kind and p != p.lower()]
    assert bad == []


def test_maven_and_sbt_plugin_patterns_are_group_colon_artifact() -> None:
    bad = [
        (n, p)
        for n, k, p in all_signals()
        if k in ("maven", "sbt-plugin") and not re.fullmatch(r"[A-Za-z0-9_.*-]+:[A-Za-z0-9_.*-]+", p)
    ]
    assert bad == []


def test_gradle_plugin_patterns_are_plugin_ids() -> None:
    bad = [(n, p) for n, k, p in all_signals() if k == "gradle-plugin" and not re.fullmatch(r"[a-z][\w.-]*", p)]
    assert bad == []


def test_go_patterns_are_module_paths_without_a_major_version_suffix() -> None:
    bad = [(n, p) for n, k, p in all_signals() if k == "go" and (re.search(r"/v\d+$", p) or "." not in p.split("/")[0])]
    assert bad == []


def test_terraform_patterns_are_provider_sources_or_modules() -> None:
    bad = [
        (n, p)
        for n, k, p in all_signals()
        if k == "terraform" and not re.fullmatch(r"(module:.+|[a-z0-9-]+/[a-z0-9-]+)", p.lower())
    ]
    assert bad == []


def test_docker_patterns_name_an_image_without_tag_or_docker_hub_prefix() -> None:
    bad = [
        (n, p)
        for n, k, p in all_signals()
        if k == "docker" and (p.startswith(("docker.io/", "library/")) or re.search(r":|@", p))
    ]
    assert bad == []


def test_file_patterns_are_relative_paths() -> None:
    bad = [(n, p) for n, k, p in all_signals() if k == "file" and (p.startswith(("/", "./")) or "\\" in p)]
    assert bad == []


def test_ci_patterns_are_providers_the_ci_detector_reports() -> None:
    providers = {p["provider"] for p in json.loads(CI_PROVIDERS.read_text())["providers"]}
    providers.add("travis")  # the name the shared conventions use for Travis CI
    assert [(n, p) for n, k, p in all_signals() if k == "ci" and p not in providers] == []


def test_every_provider_the_ci_detector_reports_is_a_technology() -> None:
    providers = {p["provider"] for p in json.loads(CI_PROVIDERS.read_text())["providers"]}
    covered = {p for _, k, p in all_signals() if k == "ci"}
    assert sorted(providers - covered) == []


def test_action_patterns_are_owner_slash_repository() -> None:
    bad = [(n, p) for n, k, p in all_signals() if k == "action" and not re.fullmatch(r"[\w.-]+/[\w.*/-]+", p)]
    assert bad == []


# --- version_from and implies -------------------------------------------------------------------


def test_version_from_refers_to_the_entrys_own_signals() -> None:
    bad = []
    for e in ENTRIES:
        own = {p for _, patterns in e.signals for p in patterns}
        bad += [(e.name, p) for p in e.version_from or () if p not in own]
    assert bad == []


def test_version_from_never_names_a_signal_that_carries_no_version() -> None:
    bad = []
    for e in ENTRIES:
        versionless = {p for kind, patterns in e.signals if kind in VERSIONLESS_KINDS for p in patterns}
        versioned = {p for kind, patterns in e.signals if kind not in VERSIONLESS_KINDS for p in patterns}
        bad += [(e.name, p) for p in e.version_from or () if p in versionless and p not in versioned]
    assert bad == []


def test_implied_technologies_exist_and_no_implication_loops() -> None:
    names = {e.name for e in ENTRIES}
    assert [(e.name, t) for e in ENTRIES for t in e.implies if t not in names] == []

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for nxt in CATALOG[start].implies:
            if nxt == target or (nxt not in seen and (seen.add(nxt) or reaches(nxt, target, seen))):
                return True
        return False

    assert [e.name for e in ENTRIES if reaches(e.name, e.name, set())] == []


def test_ecosystems_are_the_shared_names() -> None:
    assert ECOSYSTEMS == (
        "pypi", "npm", "maven", "gradle-plugin", "sbt-plugin", "go", "cargo", "rubygems", "packagist", "nuget",
        "terraform", "helm",
    )  # fmt: skip


# --- rows for the dashboard ---------------------------------------------------------------------


def test_catalog_frame_rows_have_one_row_per_technology_in_catalog_order() -> None:
    rows = catalog_frame_rows()
    assert [r["name"] for r in rows] == [e.name for e in ENTRIES]
    assert {tuple(sorted(r)) for r in rows} == {("category", "name", "title")}
    assert rows[0] == {"name": ENTRIES[0].name, "title": ENTRIES[0].title, "category": ENTRIES[0].category}


def test_category_frame_rows_follow_the_display_order() -> None:
    assert [r["category"] for r in category_frame_rows()] == list(CATEGORIES)


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()


def test_importing_the_catalog_and_the_derivation_loads_no_pandas_or_yaml() -> None:
    code = (
        "import sys, collectors.catalog, collectors.detectors.technologies;"
        "print(','.join(m for m in ('pandas', 'streamlit', 'plotly') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --- the loader's errors ------------------------------------------------------------------------

GOOD = "- name: ok\n  title: OK\n  category: web-framework\n  signals: {npm: [ok]}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\n", "expected a list of technologies"),
        ("- [a, b]\n", "entry 1: expected a mapping"),
        ("- {name: Spring Boot, title: x, category: web-framework, signals: {npm: [a]}}\n", "not a lower-case slug"),
        ("- {name: x, title: x, category: web-framework, signals: {npm: [a]}, colour: red}\n", "unknown key 'colour'"),
        ("- {name: x, category: web-framework, signals: {npm: [a]}}\n", "(x): title missing"),
        ("- {name: x, title: X, category: frameworks, signals: {npm: [a]}}\n", "category 'frameworks' is not one of"),
        ("- {name: x, title: X, category: web-framework}\n", "signals missing"),
        (
            "- {name: x, title: X, category: web-framework, signals: {npmjs: [a]}}\n",
            "signals.npmjs: unknown signal kind",
        ),
        ("- {name: x, title: X, category: web-framework, signals: {npm: []}}\n", "signals.npm: expected a list"),
        ("- {name: x, title: X, category: web-framework, signals: {npm: a}}\n", "signals.npm: expected a list"),
        ("- {name: x, title: X, category: web-framework, signals: {npm: [' a']}}\n", "surrounding spaces"),
        ("- {name: x, title: X, category: web-framework, signals: {npm: [true]}}\n", "True is not a non-empty string"),
        ("- {name: x, title: X, category: web-framework, signals: {npm: [a, a]}}\n", "listed twice"),
        (
            "- {name: x, title: X, category: web-framework, signals: {npm: [a]}, version_from: [b]}\n",
            "version_from 'b' is not one of its own signals",
        ),
        ("- {name: x, title: X, category: web-framework, signals: {npm: [a]}, implies: [x]}\n", "implies itself"),
        ("- {name: x, title: X, category: web-framework, signals: {npm: [a]}, implies: [y]}\n", "implies 'y'"),
        (GOOD + GOOD, "entry 2 (ok): the name is used twice"),
        ("- {name: x\n", "not valid YAML"),
    ],
)
def test_a_malformed_catalog_fails_with_one_line_naming_the_entry(text: str, message: str) -> None:
    with pytest.raises(CatalogError) as err:
        parse_catalog(text, "cat.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("cat.yaml: ")
    assert "\n" not in str(err.value)


def test_a_well_formed_catalog_keeps_the_order_of_signals_and_version_from() -> None:
    catalog = parse_catalog(
        "- name: x\n  title: ' X '\n  category: logging\n"
        "  signals: {maven: ['a:b', 'a:*'], gradle-plugin: [a]}\n  version_from: [a, 'a:b']\n"
    )
    entry = catalog["x"]
    assert entry.title == "X"
    assert entry.signals == (("maven", ("a:b", "a:*")), ("gradle-plugin", ("a",)))
    assert entry.version_from == ("a", "a:b")
    assert entry.implies == ()


def test_an_empty_version_from_is_kept_apart_from_none() -> None:
    catalog = parse_catalog(
        "- {name: x, title: X, category: logging, signals: {npm: [a]}, version_from: []}\n"
        "- {name: y, title: Y, category: logging, signals: {npm: [b]}}\n"
    )
    assert catalog["x"].version_from == ()
    assert catalog["y"].version_from is None
