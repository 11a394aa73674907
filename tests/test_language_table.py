"""Invariants over the language table (languages.json, from Linguist) and the names it resolves."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from collectors.detectors.languages import (
    COUNTED_TYPES,
    FILENAME_STEMS,
    GENERATED_CHECKED,
    PREFERRED,
    PREFERRED_INTERPRETERS,
    TABLE_PATH,
    TYPES,
    LanguageTable,
    extensions_of,
    language_colour,
    language_group,
    language_of,
    language_type,
    table,
    table_source,
)
from collectors.detectors.linguist_heuristics import HEURISTICS

ROOT = Path(__file__).resolve().parent.parent
LICENCE = ROOT / "collectors" / "detectors" / "LANGUAGES-LICENSE.txt"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_languages", ROOT / "tools" / "generate_languages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_table_covers_at_least_300_languages() -> None:
    assert len(table().languages) >= 300


def test_every_language_has_one_of_the_four_types() -> None:
    assert {lang.type for lang in table().languages.values()} == set(TYPES)


def test_every_colour_is_rrggbb_in_lower_case() -> None:
    colours = {name: lang.colour for name, lang in table().languages.items() if lang.colour is not None}
    assert len(colours) > 600
    bad = {name: c for name, c in colours.items() if not re.fullmatch(r"#[0-9a-f]{6}", c)}
    assert bad == {}


def test_every_extension_starts_with_a_dot() -> None:
    bad = [(lang.name, ext) for lang in table().languages.values() for ext in lang.extensions if ext[:1] != "."]
    assert bad == []


def test_every_group_is_a_language_of_the_table() -> None:
    langs = table().languages
    assert {lang.group for lang in langs.values() if lang.group} <= set(langs)


def test_each_extension_and_file_name_maps_to_exactly_one_of_its_candidates() -> None:
    t = table()
    for index, candidates in (
        (t.by_extension, t.extension_candidates),
        (t.by_filename, t.filename_candidates),
    ):
        assert set(index) == set(candidates)
        for key, chosen in index.items():
            assert isinstance(chosen, str)
            assert chosen in candidates[key], key


def test_every_preferred_entry_settles_a_real_ambiguity() -> None:
    # A stale entry (the table no longer lists that language for the key, or no longer shares
    # the key) would silently do nothing after regenerating the table.
    t = table()
    for key, chosen in PREFERRED.items():
        candidates = t.extension_candidates.get(key) or t.filename_candidates.get(key) or ()
        assert len(candidates) > 1, f"{key} is no longer ambiguous: drop it from PREFERRED"
        assert chosen in candidates, f"{key}: {chosen} is not one of {candidates}"


def test_an_ambiguous_extension_without_a_preference_falls_back_deterministically() -> None:
    raw = json.loads(TABLE_PATH.read_text(encoding="utf-8"))["languages"]
    first, second = LanguageTable(raw, preferred={}), LanguageTable(dict(reversed(raw.items())), preferred={})
    assert first.by_extension == second.by_extension
    assert first.by_extension[".h"] in {"C", "C++", "Objective-C"}


def test_every_heuristic_names_a_candidate_of_an_ambiguous_extension() -> None:
    # A language renamed or dropped by a newer Linguist table would silently never be chosen.
    t = table()
    for ext, rules in HEURISTICS.items():
        candidates = t.extension_candidates.get(ext, ())
        assert len(candidates) > 1, f"{ext} is no longer ambiguous: drop its heuristics"
        for rule in rules:
            assert rule.language in candidates, f"{ext}: {rule.language} is not one of {candidates}"
        fallbacks = [r.language for r in rules if not r.patterns and r.unless is None]
        assert fallbacks in ([], [rules[-1].language]), f"{ext}: only the last rule may match anything"


def test_every_preferred_interpreter_settles_a_real_ambiguity() -> None:
    t = table()
    for program, chosen in PREFERRED_INTERPRETERS.items():
        candidates = t.interpreter_candidates.get(program, ())
        assert len(candidates) > 1, f"{program} is no longer ambiguous"
        assert chosen in candidates
        assert t.by_interpreter[program] == chosen


@pytest.mark.parametrize(
    ("program", "language"),
    [("python3", "Python"), ("bash", "Shell"), ("sh", "Shell"), ("node", "JavaScript"), ("ruby", "Ruby"),
     ("perl", "Perl"), ("ts-node", "TypeScript"), ("php", "PHP"), ("make", "Makefile")],
)  # fmt: skip
def test_interpreters_map_to_their_language(program: str, language: str) -> None:
    assert table().by_interpreter[program] == language


def test_generated_checked_languages_are_counted_languages_of_the_table() -> None:
    langs = table().languages
    assert set(langs) >= GENERATED_CHECKED
    assert {langs[name].type for name in GENERATED_CHECKED} <= COUNTED_TYPES


def test_filename_stems_name_languages_of_the_table() -> None:
    assert set(FILENAME_STEMS.values()) <= set(table().languages)


@pytest.mark.parametrize(
    ("alias", "language"),
    [("C++", "C++"), ("c++", "C++"), ("objective-c", "Objective-C"), ("JAVASCRIPT", "JavaScript"),
     ("go-template", "Go Template"), ("Go Template", "Go Template"), (" Python ", "Python"), ("NoSuchLang", None)],
)  # fmt: skip
def test_find_takes_a_language_name_in_any_case_with_dashes_for_spaces(alias: str, language: str | None) -> None:
    assert table().find(alias) == language


def test_aliases_find_a_language_but_never_shadow_another_languages_name() -> None:
    t = LanguageTable(
        {
            "Zed": {"type": "programming", "extensions": [".zed"], "aliases": ["zd", "zedlang", "Zd Script"]},
            "Zd Script": {"type": "programming", "extensions": [".zds"]},
        },
        preferred={},
    )
    assert t.find("zedlang") == "Zed"
    assert t.find("ZD") == "Zed"
    assert t.find("zd script") == "Zd Script"  # its own name, not Zed's alias


def test_tsx_is_its_own_language_grouped_under_typescript() -> None:
    assert table().languages["TSX"].group == "TypeScript"
    assert language_group("TSX") == "TypeScript"


@pytest.mark.parametrize(
    ("path", "language", "counted_as", "kind"),
    [
        ("src/app.py", "Python", "Python", "programming"),
        ("src/index.ts", "TypeScript", "TypeScript", "programming"),
        ("src/App.tsx", "TSX", "TypeScript", "programming"),
        ("types/index.d.ts", "TypeScript", "TypeScript", "programming"),
        ("app/src/Main.kt", "Kotlin", "Kotlin", "programming"),
        ("build.gradle.kts", "Gradle Kotlin DSL", "Gradle", "data"),  # .gradle.kts before .kts
        ("core/Model.scala", "Scala", "Scala", "programming"),
        ("cmd/main.go", "Go", "Go", "programming"),
        ("lib/thing.rb", "Ruby", "Ruby", "programming"),
        ("Gemfile", "Ruby", "Ruby", "programming"),
        ("src/Main.java", "Java", "Java", "programming"),
        ("src/Main.JAVA", "Java", "Java", "programming"),
        ("include/list.h", "C", "C", "programming"),
        ("ios/View.m", "Objective-C", "Objective-C", "programming"),
        ("scripts/run.pl", "Perl", "Perl", "programming"),
        ("Dockerfile", "Dockerfile", "Dockerfile", "programming"),
        ("Dockerfile.prod", "Dockerfile", "Dockerfile", "programming"),
        ("Containerfile.dev", "Dockerfile", "Dockerfile", "programming"),
        ("deploy/api.dockerfile", "Dockerfile", "Dockerfile", "programming"),
        ("Makefile", "Makefile", "Makefile", "programming"),
        ("Jenkinsfile", "Groovy", "Groovy", "programming"),
        ("CMakeLists.txt", "CMake", "CMake", "programming"),
        ("views/show.html.erb", "HTML+ERB", "HTML", "markup"),
        ("web/index.html", "HTML", "HTML", "markup"),
        ("package.json", "JSON", "JSON", "data"),
        ("tsconfig.json", "JSON with Comments", "JSON", "data"),
        ("config/app.yml", "YAML", "YAML", "data"),
        ("docs/guide.md", "Markdown", "Markdown", "prose"),
        ("NOTES.MD", "Markdown", "Markdown", "prose"),
        ("notes.txt", "Text", "Text", "prose"),
    ],
)
def test_well_known_names_map_to_the_right_language(path: str, language: str, counted_as: str, kind: str) -> None:
    assert language_of(path) == language
    assert language_group(language) == counted_as
    assert language_type(language) == kind


@pytest.mark.parametrize("path", ["image.png", "bin/tool", "dockerfile", "archive.tar.gz", "a.unknownext"])
def test_names_the_table_does_not_know_have_no_language(path: str) -> None:
    assert language_of(path) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.Tar.GZ", [".tar.gz", ".gz"]),
        ("show.html.erb", [".html.erb", ".erb"]),
        (".eslintrc.json", [".eslintrc.json", ".json"]),
        ("Makefile", []),
    ],
)
def test_extensions_are_lower_case_and_longest_first(name: str, expected: list[str]) -> None:
    assert extensions_of(name) == expected


@pytest.mark.parametrize(
    ("name", "colour"),
    [
        ("Python", "#3572a5"),
        ("TypeScript", "#3178c6"),
        ("Go", "#00add8"),
        ("Unix Assembly", "#6e4c13"),  # no colour of its own: its group's (Assembly)
        ("No Such Language", None),
    ],
)
def test_language_colour_is_githubs(name: str, colour: str | None) -> None:
    assert language_colour(name) == colour


def test_unknown_language_has_no_type_nor_group() -> None:
    assert language_type("No Such Language") is None
    assert language_group("No Such Language") is None


def test_table_is_loaded_once() -> None:
    assert table() is table()


def test_generated_file_is_sorted_compact_and_one_language_a_line() -> None:
    text = TABLE_PATH.read_text(encoding="utf-8")
    assert len(text.encode()) < 300_000
    names = list(json.loads(text)["languages"])
    assert names == sorted(names)
    assert sum(1 for line in text.splitlines() if line.startswith('"')) == len(names) + 2  # source, languages


def test_licence_names_the_package_version_and_both_copyrights() -> None:
    source = table_source()
    assert source["package"] == "linguist-languages"
    assert source["license"] == "MIT"
    licence = LICENCE.read_text(encoding="utf-8")
    assert f"version {source['version']}" in licence
    assert "MIT License" in licence
    assert "Copyright (c) 2017 GitHub, Inc." in licence


def test_generator_keeps_linguists_extension_order_and_drops_unused_fields() -> None:
    gen = _generator()
    raw = {
        "Zed": {
            "name": "Zed",
            "type": "programming",
            "color": "#ABCDEF",
            "extensions": [".zed", ".z"],
            "aceMode": "x",
        },
        "Zed Lite": {"name": "Zed Lite", "type": "data", "extensions": [".zl"], "group": "Zed"},
    }
    text = gen.render("1.2.3", gen.compact(raw))
    data = json.loads(text)
    assert data["source"]["version"] == "1.2.3"
    assert data["languages"]["Zed"] == {
        "type": "programming",
        "colour": "#abcdef",
        "extensions": [".zed", ".z"],
    }
    assert data["languages"]["Zed Lite"] == {"type": "data", "extensions": [".zl"], "group": "Zed"}
    assert LanguageTable(data["languages"]).classify("a/b.z") == "Zed"


def test_generator_keeps_only_aliases_the_name_does_not_imply() -> None:
    gen = _generator()
    raw = {
        "Zed Script": {"type": "programming", "aliases": ["zed-script", "zed script", "zs", "ZS"]},
        "Plain": {"type": "data", "aliases": ["plain"]},
    }
    table_ = gen.compact(raw)
    assert table_["Zed Script"]["aliases"] == ["zs", "ZS"]
    assert "aliases" not in table_["Plain"]
    assert LanguageTable(table_).find("zs") == "Zed Script"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"A": {"type": "code"}}, "unknown type"),
        ({"A": {"type": "data", "color": "red"}}, "not #rrggbb"),
        ({"A": {"type": "data", "group": "Missing"}}, "not a language"),
    ],
)
def test_generator_refuses_data_it_does_not_understand(raw: dict, problem: str) -> None:
    gen = _generator()
    with pytest.raises(gen.GenerateError, match=problem):
        gen.compact(raw)
