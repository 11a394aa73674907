"""The Go detector: go.mod requires (direct only), replace directives, the Go runtime."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import go
from collectors.detectors.go import go_mod_facts, parse_go_mod
from collectors.detectors.parsing import ParseError
from collectors.facts import Dependency, Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by

detect_in = partial(detect_with, go.detect)


GO_MOD = """\
// The payments service.
module github.com/acme/payments // Deprecated: use payments/v2

go 1.21

toolchain go1.22.3

require github.com/google/uuid v1.6.0

require (
\tgithub.com/gin-gonic/gin v1.9.1
\tgithub.com/jackc/pgx/v5 v5.5.2
\tgolang.org/x/crypto v0.18.0 // indirect
\tgithub.com/bytedance/sonic v1.10.2 // indirect; pulled in by gin
\t"github.com/acme/shared" v0.0.0-00010101000000-000000000000
\tgithub.com/sirupsen/logrus v1.9.3 // indirectly useful, but a direct import
\tgithub.com/stretchr/testify v1.8.4
)

replace github.com/acme/shared => ../shared

replace (
\tgithub.com/gin-gonic/gin v1.9.1 => github.com/acme/gin v1.9.1-acme.2
\tgithub.com/stretchr/testify v1.8.0 => github.com/stretchr/testify v1.8.1
\tgithub.com/jackc/pgx/v5 => github.com/jackc/pgx/v5 v5.5.3
)

exclude golang.org/x/net v0.1.0
retract [v1.0.0, v1.0.5] // published by mistake
godebug default=go1.21
tool golang.org/x/tools/cmd/stringer
"""


def test_direct_requires_with_replacements_applied() -> None:
    deps, runtimes = go_mod_facts(parse_go_mod(GO_MOD), "svc/go.mod")
    assert {(d.name, d.declared, d.resolved) for d in deps} == {
        ("github.com/google/uuid", "v1.6.0", "v1.6.0"),
        ("github.com/gin-gonic/gin", "v1.9.1", "github.com/acme/gin@v1.9.1-acme.2"),  # a fork
        ("github.com/jackc/pgx/v5", "v5.5.2", "v5.5.3"),  # replaced by the same module, newer
        ("github.com/sirupsen/logrus", "v1.9.3", "v1.9.3"),  # "// indirectly" is not "// indirect"
        ("github.com/stretchr/testify", "v1.8.4", "v1.8.4"),  # the replace names another version
    }  # indirect requires left out; acme/shared is replaced by a folder: own code
    assert all(d == Dependency("go", d.name, d.declared, d.resolved, "runtime", "svc/go.mod") for d in deps)
    assert runtimes == [Runtime("go", "1.22.3", evidence="svc/go.mod")]  # the toolchain wins


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("module m\ngo 1.22\n", "1.22"),
        ("module m\ngo 1.21.5\ntoolchain go1.22.0\n", "1.22.0"),
        ("module m\ngo 1.21\ntoolchain default\n", "1.21"),
        ('module "m"\ngo 1.23rc1\n', "1.23rc1"),
        ("module m\n", None),
    ],
)
def test_go_runtime_is_the_toolchain_else_the_go_directive(text: str, version: str | None) -> None:
    _, runtimes = go_mod_facts(parse_go_mod(text), "go.mod")
    assert runtimes == ([Runtime("go", version, evidence="go.mod")] if version else [])


def test_quoted_and_raw_strings_are_unquoted() -> None:
    mod = parse_go_mod('module `example.com/m`\nrequire "example.com/a\\"b" v1.0.0\n')
    assert mod.module == "example.com/m"
    assert [(r.path, r.version) for r in mod.requires] == [('example.com/a"b', "v1.0.0")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("module m\nrequire example.com/a\n", "line 2: require: expected a module path and a version"),
        ("module m\nrequire (\n  example.com/a v1 extra\n)\n", "line 3: require: expected a module path and a version"),
        ("module m\nrequirements example.com/a v1\n", "line 2: unknown directive 'requirements'"),
        ('module m\nrequire "example.com/a v1.0.0\n', "line 2: unterminated string"),
        ("module m\ngo one.two\n", "line 2: go: expected a Go version like 1.22"),
        ("module m\ntoolchain 1.22\n", "line 2: toolchain: expected a toolchain name like go1.22.3"),
        ("module m\nreplace a v1 b v2\n", "line 2: replace: expected `old [version] => new [version]`"),
        ("module m\nreplace a => b\n", "line 2: replace: replacement b is a module path without a version"),
        ("module m\nmodule n\n", "line 2: module: repeated"),
        ("module m\ngo (\n  1.22\n)\n", "line 2: go does not take a block"),
        ("module m\nrequire a (v1)\n", "line 2: require: unexpected parenthesis"),
    ],
)
def test_broken_lines_are_warnings_and_the_rest_counts(text: str, problem: str) -> None:
    mod = parse_go_mod(text + "require example.com/ok v1.2.3\n")
    assert len(mod.warnings) == 1 and mod.warnings[0].startswith(problem), mod.warnings
    assert ("example.com/ok", "v1.2.3") in {(r.path, r.version) for r in mod.requires}


@pytest.mark.parametrize(
    "text",
    ["", "// only a comment\n", "require example.com/a v1.0.0\n", "\x7fELF garbage \ufffd\n", '{"json": true}'],
)
def test_a_file_without_a_module_directive_is_not_a_go_mod(text: str) -> None:
    with pytest.raises(ParseError, match="no module directive"):
        parse_go_mod(text)


def test_go_mods_anywhere_but_vendored_or_test_data(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "go.mod": "module example.com/root\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n",
            "tools/go.mod": "module example.com/tools\ngo 1.21\nrequire golang.org/x/tools v0.17.0\n",
            "vendor/github.com/x/y/go.mod": "module github.com/x/y\nrequire a.b/c v1.0.0\n",
            "pkg/parse/testdata/go.mod": "module fixture\nrequire d.e/f v1.0.0\n",
            "broken/go.mod": "this is not a go.mod\n",
            "binary/go.mod": b"\x00\x01\x02\x03module",
            "utf16/go.mod": "\ufeffmodule example.com/wide\ngo 1.20\n".encode("utf-16-le"),
        },
    )
    assert {(d.name, d.declared, d.manifest) for d in facts.dependencies} == {
        ("github.com/spf13/cobra", "v1.8.0", "go.mod"),
        ("golang.org/x/tools", "v0.17.0", "tools/go.mod"),
    }
    assert set(facts.runtimes) == {
        Runtime("go", "1.22", "go.mod"),
        Runtime("go", "1.21", "tools/go.mod"),
        Runtime("go", "1.20", "utf16/go.mod"),
    }
    assert {(w.path, w.message) for w in facts.warnings} == {
        ("broken/go.mod", "no module directive: not a go.mod file"),
        ("binary/go.mod", "not readable as text (binary content)"),
    }


def test_an_unclosed_block_is_a_warning_and_its_lines_still_count() -> None:
    mod = parse_go_mod("module m\nrequire (\n  example.com/a v1.0.0\n")
    assert mod.warnings == ["line 2: require block is never closed"]
    assert [(r.path, r.version) for r in mod.requires] == [("example.com/a", "v1.0.0")]


def test_thousands_of_bad_lines_give_a_bounded_number_of_warnings() -> None:
    mod = parse_go_mod("module m\n" + "require (\n" * 5000)
    assert len(mod.warnings) == go.MAX_WARNINGS + 1
    assert mod.warnings[0] == "line 3: require: unexpected parenthesis"
    assert mod.warnings[-1] == f"... and {5000 - go.MAX_WARNINGS} more problems"  # 4999 lines + the open block


# --- never an exception -------------------------------------------------------------------------


mutated = partial(mutated_by, specials=b'()"`/=> \n\tv1.x', max_edits=12)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(GO_MOD.encode()), st.text(max_size=300).map(str.encode)))
def test_any_bytes_as_go_mod_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return  # the detector turns binary content into a warning before parsing
    try:
        mod = parse_go_mod(text)
    except ParseError as err:
        assert "\n" not in str(err)
        return
    assert all(w.startswith(("line ", "... and ")) and "\n" not in w for w in mod.warnings)
    deps, _ = go_mod_facts(mod, "go.mod")
    assert all(d.name and d.declared and d.resolved for d in deps)
