""".gitattributes overrides of the languages detector: parsing, git's matching rules (checked
against `git check-attr` itself), and what each Linguist attribute does to a repository's counts."""

from __future__ import annotations

import subprocess
import tempfile
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import languages
from collectors.detectors.vendored import LINGUIST_ATTRIBUTES, GitAttributes, parse_gitattributes
from tests.gitrepo import GIT_ENV, detect_with, make_repo, open_repo

ATTRS = tuple(LINGUIST_ATTRIBUTES)


detect_in = partial(detect_with, languages.detect)


def git_check_attr(repo: Path, paths: list[str]) -> dict[str, dict[str, bool | str]]:
    """What git itself says of each path: attribute -> True (set), False (unset) or the value."""
    out = subprocess.run(
        ["git", "-C", str(repo), "check-attr", "-z", "--stdin", *ATTRS],
        input="\0".join(paths).encode() + b"\0",
        capture_output=True,
        check=True,
        env=GIT_ENV,
    ).stdout.decode()
    fields = out.split("\0")
    found: dict[str, dict[str, bool | str]] = {p: {} for p in paths}
    for path, attr, value in zip(fields[0::3], fields[1::3], fields[2::3], strict=False):
        if value == "unspecified":
            continue
        found[path][attr] = True if value == "set" else False if value == "unset" else value
    return found


# --- parsing a .gitattributes file -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*.js linguist-vendored\n", [("*.js", True, (("linguist-vendored", True),))]),
        ("*.js -linguist-vendored\n", [("*.js", True, (("linguist-vendored", False),))]),
        ("*.js linguist-vendored=false\n", [("*.js", True, (("linguist-vendored", "false"),))]),
        ("*.js !linguist-vendored\n", [("*.js", True, (("linguist-vendored", None),))]),
        ("*.inc linguist-language=C++\n", [("*.inc", True, (("linguist-language", "C++"),))]),
        ("/docs/** -linguist-documentation\n", [("/docs/**", False, (("linguist-documentation", False),))]),
        # Only Linguist's attributes are kept; other attributes, comments and blank lines go
        ("# comment\n\n*.png binary\n* text=auto eol=lf\n*.sh linguist-detectable diff=bash\n",
         [("*.sh", True, (("linguist-detectable", True),))]),
        # A C-quoted pattern with a space and an escape
        ('"my file\\t.py" linguist-generated\n', [("my file\t.py", True, (("linguist-generated", True),))]),
        # Lines git refuses: a negative pattern, a folder pattern, an unclosed quote, a bad name
        ("!*.js linguist-vendored\nbuild/ linguist-generated\n\"open.py linguist-vendored\n*.x -=y\n", []),
        # A macro defined at the top level expands where it is set
        ("[attr]thirdparty linguist-vendored -linguist-detectable\nlib/** thirdparty\n",
         [("lib/**", False, (("linguist-vendored", True), ("linguist-detectable", False)))]),
        # CRLF line ends and trailing spaces
        ("*.gen.go linguist-generated \r\n", [("*.gen.go", True, (("linguist-generated", True),))]),
    ],
)  # fmt: skip
def test_parse_keeps_linguist_assignments_in_line_order(text: str, expected: list[tuple]) -> None:
    rules = parse_gitattributes(text)
    assert [(r.pattern, r.by_name, r.assignments) for r in rules] == expected


def test_macros_are_honoured_from_the_top_level_file_only() -> None:
    attrs = GitAttributes.from_files(
        {
            ".gitattributes": "[attr]gen linguist-generated\n",
            "web/.gitattributes": "[attr]vend linguist-vendored\n*.js gen vend\n",
        }
    )
    assert attrs.overrides("web/app.js") == {"generated": True}


# --- matching, as git matches ----------------------------------------------------------------------

SCENARIO = {
    ".gitattributes": (
        "[attr]thirdparty linguist-vendored -linguist-detectable\n"
        "*.min.js linguist-vendored\n"
        "/generated/** linguist-generated\n"
        "ext/** thirdparty\n"
        "ext/own/** !linguist-vendored\n"
        "docs/** -linguist-documentation\n"
        "**/fixtures/** linguist-vendored\n"
        "src/**/*.pb.ts linguist-generated=true\n"
        "*.inc linguist-language=C++\n"
        "data/*.yaml linguist-detectable\n"
        "Make[a-z]le linguist-language=Makefile\n"
        "?.py linguist-vendored\n"
        "[!a-c]*.rb linguist-documentation\n"
        '"with space.txt" linguist-detectable\n'
        "legacy/** linguist-vendored\n"
        "legacy/keep/** -linguist-vendored\n"
        "*.sql linguist-language=PLpgSQL\n"
        "*.sql !linguist-language\n"
        "vendor/** linguist-vendored=false\n"
        "a**b.js linguist-generated\n"
        "lib/a[!x]b.py linguist-generated\n"
        "lib/c?d.py linguist-generated\n"
        '"caf\\303\\251.py" linguist-generated\n'
        '"sp ace/*.md" linguist-documentation\n'
    ),
    "web/.gitattributes": "*.min.js -linguist-vendored\n/local.py linguist-generated\nassets/** linguist-vendored\n",
    "web/deep/.gitattributes": "*.min.js linguist-vendored\n",
}
PATHS = [
    "app.min.js", "web/app.min.js", "web/deep/app.min.js", "web/deep/x/app.min.js", "generated/a/b.go",
    "x/generated/b.go", "docs/a.md", "src/docs/a.md", "fixtures/a.py", "tests/fixtures/x/y.py",
    "src/a/b/c.pb.ts", "src/c.pb.ts", "lib/x.inc", "data/a.yaml", "data/sub/a.yaml", "Makefile",
    "Makexle", "a.py", "ab.py", "src/b.py", "d.rb", "a.rb", "with space.txt", "legacy/a.c",
    "legacy/keep/b.c", "legacy/keeper/c.c", "q.sql", "vendor/x.go", "ab.js", "a/b.js", "a/x/b.js",
    "axb.js", "web/local.py", "web/sub/local.py", "local.py", "web/assets/x.css", "assets/x.css",
    "lib/acb.py", "lib/a/b.py", "lib/axb.py", "lib/c/d.py", "lib/cxd.py", "café.py", "sp ace/x.md",
    "ext/a.c", "ext/own/b.c",
]  # fmt: skip


@pytest.fixture(scope="module")
def scenario_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("attrs") / "repo", SCENARIO)


@pytest.mark.parametrize("path", PATHS)
def test_attributes_agree_with_git_check_attr(scenario_repo: Path, path: str) -> None:
    ours = GitAttributes.from_files(SCENARIO).attributes(path)
    assert ours == git_check_attr(scenario_repo, [path])[path]


@pytest.mark.parametrize(
    ("path", "overrides"),
    [
        ("web/app.min.js", {"vendored": False}),  # a deeper file un-vendors
        ("web/deep/app.min.js", {"vendored": True}),  # and a deeper one still vendors again
        ("legacy/keep/b.c", {"vendored": False}),  # a later line wins over an earlier one
        ("vendor/x.go", {"vendored": False}),  # =false reads as false
        ("src/a/b/c.pb.ts", {"generated": True}),  # =true reads as true
        ("q.sql", {}),  # !attr takes the earlier value back
        ("data/a.yaml", {"detectable": True}),
        ("lib/x.inc", {"language": "C++"}),
    ],
)
def test_overrides_read_attribute_values_as_linguist_does(path: str, overrides: dict) -> None:
    assert GitAttributes.from_files(SCENARIO).overrides(path) == overrides


_GLOB_PARTS = st.sampled_from(
    ["*", "**", "?", "/", "a", "b", ".", "x", "c", "[ab]", "[!a]", "[^b]", "[a-c]", "[c-a]", "[]a]", "[a-]",
     "[[:alpha:]]", "[[:bogus:]]", "[a", "\\*", "\\", "!", "**/", "/**"]
)  # fmt: skip
_PATH_PARTS = st.sampled_from(["a", "b", "ab", "ba", "x", "a.x", "b.x", ".x", "aa", "c", "]", "*"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    patterns=st.lists(st.lists(_GLOB_PARTS, min_size=1, max_size=5).map("".join), min_size=1, max_size=4),
    paths=st.lists(st.lists(_PATH_PARTS, min_size=1, max_size=4).map("/".join), min_size=1, max_size=8),
)
def test_random_globs_match_what_git_matches(patterns: list[str], paths: list[str]) -> None:
    text = "".join(f"{p} linguist-vendored={i}\n" for i, p in enumerate(patterns))
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        subprocess.run(["git", "init", "-q", str(repo)], check=True, env=GIT_ENV)
        (repo / ".gitattributes").write_text(text)
        truth = git_check_attr(repo, paths)
    ours = GitAttributes.from_files({".gitattributes": text})
    assert {p: ours.attributes(p) for p in paths} == truth


@settings(max_examples=300)
@given(text=st.text(), path=st.text(min_size=1), base=st.sampled_from(["", "a/", "a/b/"]))
def test_random_gitattributes_text_never_raises(text: str, path: str, base: str) -> None:
    attrs = GitAttributes(parse_gitattributes(text, base))
    assert isinstance(attrs.overrides(path), dict)


_LINE = st.tuples(
    st.text(alphabet="*?[]!^-/\\ab.\"", max_size=8),
    st.lists(st.sampled_from([*ATTRS, "-linguist-vendored", "!linguist-generated", "linguist-language=Go",
                              "linguist-vendored=false", "text", "binary", "[attr]m"]), max_size=3),
)  # fmt: skip


@settings(max_examples=300)
@given(lines=st.lists(_LINE, max_size=6), path=st.text(alphabet="ab./*[", min_size=1, max_size=12))
def test_random_gitattributes_lines_never_raise(lines: list[tuple[str, list[str]]], path: str) -> None:
    text = "\n".join(" ".join([pattern, *tokens]) for pattern, tokens in lines)
    attrs = GitAttributes.from_files({".gitattributes": text, "a/.gitattributes": text})
    for key, value in attrs.overrides(path).items():
        assert isinstance(value, str) if key == "language" else isinstance(value, bool)


# --- what each attribute does to the counts -----------------------------------------------------

PY = "def main() -> None:\n    print('hello')\n"
GENERATED_PY = "# Code generated by openapi-generator. DO NOT EDIT.\n" + "x = 1\n" * 1000


@pytest.mark.parametrize(
    ("files", "languages_", "other"),
    [
        pytest.param(
            {".gitattributes": "lib/** linguist-vendored\n", "lib/util.py": PY, "app.py": PY},
            {"Python": len(PY)}, {}, id="linguist-vendored leaves a path out",
        ),
        pytest.param(
            {".gitattributes": "vendor/** -linguist-vendored\n", "vendor/own.go": "package own\n", "a.py": PY},
            {"Python": len(PY), "Go": 12}, {}, id="-linguist-vendored counts a vendored folder",
        ),
        pytest.param(
            {".gitattributes": "node_modules/x/** linguist-vendored=false\n", "node_modules/x/i.js": "let a = 1;\n"},
            {"JavaScript": 11}, {}, id="linguist-vendored=false counts it too",
        ),
        pytest.param(
            {".gitattributes": "*.gen.py linguist-generated\n", "models.gen.py": PY, "app.py": PY},
            {"Python": len(PY)}, {}, id="linguist-generated leaves a path out",
        ),
        pytest.param(
            {".gitattributes": "go.sum -linguist-generated\n", "go.sum": "x v1.0.0 h1:abc=\n"},
            {}, {"Go Checksums": 17}, id="-linguist-generated counts a lock file",
        ),
        pytest.param(
            {".gitattributes": "docs/** -linguist-documentation\n", "docs/conf.py": PY},
            {"Python": len(PY)}, {}, id="-linguist-documentation counts docs",
        ),
        pytest.param(
            {".gitattributes": "tools/** linguist-documentation\n", "tools/gen.py": PY, "a.py": "x = 1\n"},
            {"Python": 6}, {}, id="linguist-documentation leaves a path out",
        ),
        pytest.param(
            {".gitattributes": "*.yaml linguist-detectable\n", "deploy.yaml": "a: 1\n", "ci.yml": "b: 2\n"},
            {"YAML": 5}, {"YAML": 5}, id="linguist-detectable puts data on the bar",
        ),
        pytest.param(
            {".gitattributes": "scripts/** -linguist-detectable\n", "scripts/x.py": PY, "a.rb": "puts 1\n"},
            {"Ruby": 7}, {"Python": len(PY)}, id="-linguist-detectable takes code off the bar",
        ),
        pytest.param(
            {".gitattributes": "*.inc linguist-language=c++\n", "defs.inc": "<?php echo 1;\n"},
            {"C++": 14}, {}, id="linguist-language beats the content, any case",
        ),
        pytest.param(
            {".gitattributes": "mail/*.txt linguist-language=go-template\n", "mail/hi.txt": "{{ .Name }}\n"},
            {"Go Template": 12}, {}, id="linguist-language with dashes for spaces",
        ),
        pytest.param(
            {".gitattributes": "bin/* linguist-language=Shell\n", "bin/run": "echo hi\n"},
            {"Shell": 8}, {}, id="linguist-language names a file without extension",
        ),
        pytest.param(
            {".gitattributes": "*.py linguist-vendored\n", "svc/.gitattributes": "*.py -linguist-vendored\n",
             "a.py": PY, "svc/b.py": "x = 1\n"},
            {"Python": 6}, {}, id="a nested .gitattributes wins below its folder",
        ),
        pytest.param(
            {".gitattributes": "*.py linguist-generated=false\n", "client.py": GENERATED_PY},
            {"Python": len(GENERATED_PY)}, {}, id="an attribute beats a generated header",
        ),
    ],
)  # fmt: skip
def test_attribute_changes_the_counts(
    tmp_path: Path, files: dict[str, str], languages_: dict[str, int], other: dict[str, int]
) -> None:
    facts = detect_in(tmp_path, files)
    assert facts.languages == languages_
    assert facts.other_languages == other


def test_unknown_language_is_warned_once_on_the_attributes_file(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {"web/.gitattributes": "*.x linguist-language=NoSuchLang\n", "web/a.x": "1\n", "web/b.x": "2\n"},
    )
    assert facts.languages == {}
    assert [(w.path, w.message) for w in facts.warnings] == [
        ("web/.gitattributes", "*.x: linguist-language=NoSuchLang is not a language Linguist knows")
    ]


def test_binary_gitattributes_is_a_warning_and_changes_nothing(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {".gitattributes": b"\x00\x01*.py linguist-vendored\x00", "a.py": PY})
    assert facts.languages == {"Python": len(PY)}
    assert [w.path for w in facts.warnings] == [".gitattributes"]


def test_gitattributes_without_linguist_lines_costs_no_lookup(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {".gitattributes": "* text=auto\n*.png binary\n", "a.py": PY})
    assert facts.languages == {"Python": len(PY)}
    assert facts.warnings == []


def test_binary_gettext_catalogue_is_not_counted_as_modelica(tmp_path) -> None:
    from collectors.detectors import languages
    from tests.gitrepo import make_repo

    mo = b"\xde\x12\x04\x95\x00\x00\x00\x00\x02\x00\x00\x00" + b"\x00" * 200
    modelica = "model Ball\n  Real h(start=1);\nequation\n  der(h) = -9.81;\nend Ball;\n"
    repo = make_repo(tmp_path / "r", {"locale/de/LC_MESSAGES/django.mo": mo, "models/Ball.mo": modelica})
    found = languages.detect(open_repo(repo))
    assert found.languages == {"Modelica": len(modelica)}
