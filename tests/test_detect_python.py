"""The Python detector: requirements files, pyproject.toml, .python-version and lock files."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import python
from collectors.detectors.python import (
    parse_pyproject,
    parse_pyproject_data,
    parse_python_version,
    parse_requirements,
    parse_runtime_txt,
    requirements_scope,
    resolve_include,
    tidy_specifier,
)
from collectors.facts import Facts, Runtime
from collectors.repo_view import MAX_READ_BYTES, decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated

detect_in = partial(detect_with, python.detect)


def deps_of(facts: Facts) -> set[tuple[str, str | None, str | None, str, str]]:
    return {(d.name, d.declared, d.resolved, d.scope, d.manifest) for d in facts.dependencies}


# --- requirement lines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Django>=4.2,<5", ("django", ">=4.2,<5")),
        ("Foo (>=1.0, <2)", ("foo", ">=1.0,<2")),
        ("requests[security] >= 2.31 ; python_version >= '3.8'", ("requests", ">=2.31")),
        ("Foo_Bar.Baz==1.0 --hash=sha256:abc --hash=sha256:def", ("foo-bar-baz", "==1.0")),
        ("numpy", ("numpy", None)),
        ("pytest  # the test runner", ("pytest", None)),
        ("mylib @ git+https://github.com/org/mylib@v1", ("mylib", "git+https://github.com/org/mylib@v1")),
        (
            "git+https://github.com/org/repo.git@v1.2#egg=My_Lib",
            ("my-lib", "git+https://github.com/org/repo.git@v1.2"),
        ),
        (
            "-e git+https://github.com/org/repo.git#egg=thing",
            ("thing", "git+https://github.com/org/repo.git"),
        ),
        ("--editable=git+ssh://git@host/r.git#egg=other[x]", ("other", "git+ssh://git@host/r.git")),
        ("./wheels/some_pkg-2.0-py3-none-any.whl", ("some-pkg", "./wheels/some_pkg-2.0-py3-none-any.whl")),
        ("https://example.com/pkgs/tool-3.1.tar.gz", ("tool", "https://example.com/pkgs/tool-3.1.tar.gz")),
        ("-e .", None),
        ("-e ./libs/shared[dev]", None),
        ("--index-url https://pypi.example.com/simple", None),
        ("-i https://pypi.example.com/simple", None),
        ("--pre", None),
        ("-c constraints.txt", None),
        ("# a comment", None),
        ("", None),
    ],
)
def test_requirement_line(line: str, expected: tuple[str, str | None] | None) -> None:
    parsed = parse_requirements(line + "\n", "requirements.txt")
    assert [(d.name, d.declared) for d in parsed.dependencies] == ([expected] if expected else [])
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("flask>>2", "'flask>>2' is not a valid requirement"),
        ("pytest#no-space", "'pytest#no-space' is not a valid requirement"),  # '#' needs a space before it
        ("git+https://github.com/org/noegg.git", "#egg=name"),
        ("https://example.com/download?id=7", "#egg=name"),
        ("--no-such-option", "unknown option --no-such-option"),
        ("-r", "-r without a file name"),
        ("git+https://h/r.git#egg=not valid!", "is not a package name"),
    ],
)
def test_broken_requirement_line_is_a_warning_naming_its_line(line: str, problem: str) -> None:
    parsed = parse_requirements("ok-package\n" + line + "\n", "requirements.txt")
    assert [d.name for d in parsed.dependencies] == ["ok-package"]
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith("line 2: ")
    assert problem in parsed.warnings[0]


def test_continuation_lines_are_joined_and_later_lines_keep_their_numbers() -> None:
    text = "foo==1.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\nbar>=2\nbad>>1\n"
    parsed = parse_requirements(text, "requirements.txt")
    assert [(d.name, d.declared) for d in parsed.dependencies] == [("foo", "==1.0"), ("bar", ">=2")]
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith("line 5: 'bad>>1' is not a valid requirement (")


@pytest.mark.parametrize(
    ("text", "includes"),
    [
        ("-r base.txt\n", [(1, "base.txt")]),
        ("-rbase.txt\n", [(1, "base.txt")]),
        ("x\n--requirement=../common/base.txt\n", [(2, "../common/base.txt")]),
        ("--requirement more.txt  # shared\n", [(1, "more.txt")]),
    ],
)
def test_includes_are_collected_with_their_line(text: str, includes: list[tuple[int, str]]) -> None:
    assert parse_requirements(text, "requirements.txt").includes == includes


@pytest.mark.parametrize(
    ("including", "target", "expected"),
    [
        ("requirements.txt", "base.txt", "base.txt"),
        ("requirements/dev.txt", "base.txt", "requirements/base.txt"),
        ("svc/requirements/dev.txt", "../../common/reqs.txt", "common/reqs.txt"),
        ("requirements.txt", "../outside.txt", None),
        ("requirements.txt", "/etc/reqs.txt", None),
        ("requirements.txt", "https://example.com/reqs.txt", None),
    ],
)
def test_include_resolves_relative_to_the_including_file(including: str, target: str, expected: str | None) -> None:
    assert resolve_include(including, target) == expected


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("requirements.txt", "runtime"),
        ("svc/requirements.txt", "runtime"),
        ("requirements-prod.txt", "runtime"),
        ("requirements-dev.txt", "dev"),
        ("requirements_dev.txt", "dev"),
        ("dev-requirements.txt", "dev"),
        ("requirements-docs.txt", "dev"),
        ("requirements-lint.txt", "dev"),
        ("requirements-test.txt", "test"),
        ("test-requirements.txt", "test"),
        ("requirements_ci.txt", "test"),
        ("requirements/base.txt", "runtime"),
        ("requirements/test.txt", "test"),
        ("requirements/local.txt", "dev"),
        ("requirements-build.txt", "build"),
        ("requirements.in", "runtime"),
        ("requirements/dev.in", "dev"),
        ("test-requirements.in", "test"),
    ],
)
def test_scope_of_a_requirements_file_comes_from_its_name(path: str, scope: str) -> None:
    assert requirements_scope(path) == scope


# --- requirements files in a repository ---------------------------------------------------------


def test_requirements_files_anywhere_with_includes_followed_once(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "requirements.txt": "requests==2.31.0\n",
            "requirements-dev.txt": "-r requirements.txt\n-r common/tools.txt\npytest>=8\n",
            "common/tools.txt": "ruff==0.6.0\n",
            "svc/requirements/base.txt": "fastapi\n",
            "svc/requirements/test.txt": "-r base.txt\nhttpx\n",
            "node_modules/pkg/requirements.txt": "ignored\n",
            ".venv/lib/requirements.txt": "ignored\n",
        },
    )
    assert deps_of(facts) == {
        ("requests", "==2.31.0", None, "runtime", "requirements.txt"),  # once, not again as dev
        ("pytest", ">=8", None, "dev", "requirements-dev.txt"),
        ("ruff", "==0.6.0", None, "dev", "common/tools.txt"),  # included: the includer's scope
        ("fastapi", None, None, "runtime", "svc/requirements/base.txt"),
        ("httpx", None, None, "test", "svc/requirements/test.txt"),
    }
    assert len(facts.dependencies) == 5
    assert facts.warnings == []


def test_file_included_from_runtime_and_dev_counts_as_runtime(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "requirements-dev.txt": "-r shared/base.in\n",
            "requirements.txt": "-r shared/base.in\n",
            "shared/base.in": "attrs\n",
        },
    )
    assert deps_of(facts) == {("attrs", None, None, "runtime", "shared/base.in")}


def test_include_cycle_ends_and_missing_or_escaping_includes_are_warnings(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "requirements.txt": "-r a.in\n-r missing.txt\n-r ../../etc/reqs.txt\nflask\n",
            "a.in": "-r b.in\nalpha\n",
            "b.in": "-r a.in\nbeta\n",
        },
    )
    assert {d.name for d in facts.dependencies} == {"flask", "alpha", "beta"}
    assert {(w.path, w.message) for w in facts.warnings} == {
        ("requirements.txt", "line 2: -r missing.txt: missing.txt is not in the repository"),
        ("requirements.txt", "line 3: -r ../../etc/reqs.txt: outside the repository, not followed"),
    }


def test_binary_and_oversized_manifests_are_warnings(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "requirements.txt": b"\x00\x01\x02binary",
            "pyproject.toml": b"#" * (MAX_READ_BYTES + 1),
        },
    )
    assert facts.dependencies == []
    messages = {w.path: w.message for w in facts.warnings}
    assert messages["requirements.txt"] == "not readable as text (binary content)"
    assert messages["pyproject.toml"].startswith("not read: ")
    assert "limit" in messages["pyproject.toml"]


# --- pyproject.toml -------------------------------------------------------------------------------

PEP621 = """
[build-system]
requires = ["hatchling>=1.20"]

[project]
name = "My_Service"
requires-python = ">=3.11"
dependencies = ["FastAPI>=0.110", "pydantic[email]~=2.6", "uvicorn"]

[project.optional-dependencies]
postgres = ["psycopg[binary]>=3.1"]
test = ["pytest>=8", "my-service[postgres]"]

[dependency-groups]
lint = ["ruff"]
typing = ["mypy>=1.8", {include-group = "lint"}]
"""

POETRY = """
[tool.poetry]
name = "billing"

[tool.poetry.dependencies]
python = "^3.10"
Django = "^4.2"
celery = {version = "^5.3", extras = ["redis"]}
boto3 = {version = "*", optional = true}
internal-lib = {git = "https://github.com/org/internal-lib.git", tag = "v2.1.0"}
local-lib = {path = "../local-lib", develop = true}
numpy = [
  {version = "<1.25", python = "<3.9"},
  {version = "^1.26", python = ">=3.9"},
]

[tool.poetry.dev-dependencies]
black = "^24.1"

[tool.poetry.group.test.dependencies]
pytest-django = "^4.8"
"""


def test_pep621_pep735_and_build_system() -> None:
    parsed = parse_pyproject(PEP621, "pyproject.toml")
    assert {(d.name, d.declared, d.scope) for d in parsed.dependencies} == {
        ("hatchling", ">=1.20", "build"),
        ("fastapi", ">=0.110", "runtime"),
        ("pydantic", "~=2.6", "runtime"),
        ("uvicorn", None, "runtime"),
        ("psycopg", ">=3.1", "optional"),
        ("pytest", ">=8", "test"),  # the "test" extra: test scope, not optional
        ("ruff", None, "dev"),
        ("mypy", ">=1.8", "dev"),
    }  # "my-service[postgres]" names the project itself: not a dependency
    assert parsed.runtimes == [Runtime("python", ">=3.11", evidence="pyproject.toml")]
    assert parsed.warnings == []


def test_poetry_python_is_a_runtime_not_a_dependency() -> None:
    parsed = parse_pyproject(POETRY, "svc/pyproject.toml")
    assert {(d.name, d.declared, d.scope) for d in parsed.dependencies} == {
        ("django", "^4.2", "runtime"),
        ("celery", "^5.3", "runtime"),
        ("boto3", "*", "optional"),
        ("internal-lib", "git+https://github.com/org/internal-lib.git@v2.1.0", "runtime"),
        ("numpy", "<1.25", "runtime"),
        ("numpy", "^1.26", "runtime"),
        ("black", "^24.1", "dev"),
        ("pytest-django", "^4.8", "test"),
    }  # local-lib is a path: the monorepo's own code, not a dependency
    assert parsed.runtimes == [Runtime("python", "^3.10", evidence="svc/pyproject.toml")]
    assert all(d.manifest == "svc/pyproject.toml" for d in parsed.dependencies)
    assert parsed.warnings == []


def test_pdm_and_uv_dev_dependencies() -> None:
    text = '[tool.pdm.dev-dependencies]\ntest = ["pytest"]\ndoc = ["mkdocs"]\n[tool.uv]\ndev-dependencies = ["ruff"]\n'
    parsed = parse_pyproject(text, "pyproject.toml")
    assert {(d.name, d.scope) for d in parsed.dependencies} == {
        ("pytest", "test"),
        ("mkdocs", "dev"),
        ("ruff", "dev"),
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[project\nname = 1", "not valid TOML: "),
        ('[project]\ndependencies = "requests"', "project.dependencies: expected a list of requirements"),
        ("[project]\ndependencies = [1, 'ok']", "project.dependencies: 1 entries are not strings"),
        ("[project]\nrequires-python = 3.11", "project.requires-python: expected a version string"),
        ("project = 'x'", "project: expected a table, found a string"),
        (
            "[project]\ndependencies = ['flask>>2']",
            "project.dependencies: 'flask>>2' is not a valid requirement",
        ),
        ("[tool.poetry.dependencies]\nx = 5", "tool.poetry.dependencies.x: expected a version or a table"),
        (
            "[tool.poetry.dependencies]\npython = ['3']",
            "tool.poetry.dependencies.python: expected a version string",
        ),
        ("[tool.poetry]\ngroup = 1", "tool.poetry.group: expected a table"),
    ],
)
def test_malformed_pyproject_is_a_warning(text: str, problem: str) -> None:
    parsed = parse_pyproject(text, "pyproject.toml")
    assert any(w.startswith(problem) for w in parsed.warnings), parsed.warnings


def test_pyproject_with_locks_fills_resolved(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "app/pyproject.toml": POETRY,
            "app/poetry.lock": (
                '[[package]]\nname = "Django"\nversion = "4.2.11"\n\n'
                '[[package]]\nname = "celery"\nversion = "5.3.6"\n\n'
                '[[package]]\nname = "numpy"\nversion = "1.24.4"\n\n'
                '[[package]]\nname = "numpy"\nversion = "1.26.4"\n'
            ),
            "uvws/pyproject.toml": '[project]\nname = "root"\ndependencies = ["attrs>=23"]\n',
            "uvws/packages/member/pyproject.toml": (
                '[project]\nname = "member"\ndependencies = ["attrs", "idna"]\n[build-system]\nrequires = ["attrs"]\n'
            ),
            "uvws/uv.lock": (
                'version = 1\n[[package]]\nname = "attrs"\nversion = "23.2.0"\n'
                '[[package]]\nname = "idna"\nversion = "3.6"\n'
            ),
        },
    )
    resolved = {(d.manifest, d.name, d.scope): d.resolved for d in facts.dependencies}
    assert resolved[("app/pyproject.toml", "django", "runtime")] == "4.2.11"
    assert resolved[("app/pyproject.toml", "celery", "runtime")] == "5.3.6"
    assert resolved[("app/pyproject.toml", "black", "dev")] is None  # not in the lock
    assert resolved[("uvws/pyproject.toml", "attrs", "runtime")] == "23.2.0"
    assert resolved[("uvws/packages/member/pyproject.toml", "idna", "runtime")] == "3.6"  # workspace lock
    assert resolved[("uvws/packages/member/pyproject.toml", "attrs", "build")] is None  # builds aren't locked
    # numpy is locked at two versions (one per Python): which one applies cannot be told
    assert {d.resolved for d in facts.dependencies if d.name == "numpy"} == {None}
    assert facts.runtimes == [Runtime("python", "^3.10", evidence="app/pyproject.toml")]
    assert facts.warnings == []


def test_broken_lock_is_a_warning_and_the_manifest_still_counts(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"pyproject.toml": POETRY, "poetry.lock": "[[package]\nname="})
    assert {d.name for d in facts.dependencies} >= {"django", "celery"}
    assert [w.path for w in facts.warnings] == ["poetry.lock"]
    assert facts.warnings[0].message.startswith("not valid TOML")


# --- .python-version ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "version"),
    [("3.12.1\n", "3.12.1"), ("# pinned\n\n3.11\n3.10\n", "3.11"), ("pypy3.10-7.3.15", "pypy3.10-7.3.15")],
)
def test_python_version_file(text: str, version: str) -> None:
    assert parse_python_version(text, ".python-version").runtimes == [Runtime("python", version, ".python-version")]


def test_python_version_file_in_a_repository_and_an_empty_one(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {".python-version": "3.12\n", "tools/.python-version": "\n# nothing\n"})
    assert facts.runtimes == [Runtime("python", "3.12", evidence=".python-version")]
    assert [(w.path, w.message) for w in facts.warnings] == [("tools/.python-version", "names no Python version")]


@pytest.mark.parametrize(
    ("written", "tidy"),
    [
        (">= 3.7", ">=3.7"),
        (">=4.0.0, <5.0", ">=4.0.0,<5.0"),
        (" >=3.7 , <3.13 ", ">=3.7,<3.13"),
        ("^3.10", "^3.10"),
        ("^ 1.2", "^1.2"),
        (">=1.2 <2.0", ">=1.2 <2.0"),  # Poetry: the space means "and"
        ("^1.2 || ^2.0", "^1.2 || ^2.0"),
        ("*", "*"),
        ("  ", None),
    ],
)
def test_constraints_lose_only_the_spaces_that_mean_nothing(written: str, tidy: str | None) -> None:
    assert tidy_specifier(written) == tidy


def test_requires_python_and_poetry_constraints_are_tidied() -> None:
    text = '[project]\nrequires-python = ">= 3.8, < 3.13"\n[tool.poetry.dependencies]\nrich = ">= 13, <14"\n'
    parsed = parse_pyproject(text, "pyproject.toml")
    assert parsed.runtimes == [Runtime("python", ">=3.8,<3.13", evidence="pyproject.toml")]
    assert [(d.name, d.declared) for d in parsed.dependencies] == [("rich", ">=13,<14")]


# --- pip-tools' .in files and Heroku's runtime.txt ----------------------------------------------


def test_pip_tools_in_files_are_requirements_but_other_in_files_are_not(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "requirements.in": "django>=4.2\n-c constraints.txt\n",
            "requirements/dev.in": "-r ../requirements.in\npytest\n",
            "svc/requirements/test.in": "hypothesis>=6\n",
            "MANIFEST.in": "include README.md\nrecursive-include src *.py\n",
            "Makefile.in": "all:\n\techo hi\n",
        },
    )
    assert deps_of(facts) == {
        ("django", ">=4.2", None, "runtime", "requirements.in"),
        ("pytest", None, None, "dev", "requirements/dev.in"),
        ("hypothesis", ">=6", None, "test", "svc/requirements/test.in"),
    }
    assert facts.warnings == []  # MANIFEST.in and Makefile.in are not read at all


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("python-3.11.4\n", "3.11.4"),
        ("python-3.12", "3.12"),
        ("  python-3.10.13  # pinned for Heroku\n", "3.10.13"),
        ("\n# comment first\npython-3.9.18\n", "3.9.18"),
        ("Python-3.8.10", "3.8.10"),
    ],
)
def test_runtime_txt_names_the_python_version_without_its_prefix(text: str, version: str) -> None:
    parsed = parse_runtime_txt(text, "runtime.txt")
    assert parsed.runtimes == [Runtime("python", version, "runtime.txt")]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "names no Python version"),
        ("# only a comment\n", "names no Python version"),
        ("ruby-3.2.2\n", "'ruby-3.2.2' is not a Python runtime (expected python-3.x.y)"),
        ("python-\n", "'python-' is not a Python runtime"),
        ("3.11.4\n", "'3.11.4' is not a Python runtime"),
    ],
)
def test_runtime_txt_without_a_python_version_is_a_warning(text: str, problem: str) -> None:
    parsed = parse_runtime_txt(text, "runtime.txt")
    assert parsed.runtimes == []
    assert len(parsed.warnings) == 1 and parsed.warnings[0].startswith(problem)


def test_runtime_txt_in_a_repository_beside_python_version(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "runtime.txt": "python-3.11.4\n",
            ".python-version": "3.11\n",
            "api/runtime.txt": b"\xff\xfep\x00y\x00t\x00h\x00o\x00n\x00-\x003\x00.\x001\x002\x00",  # UTF-16
            "bin/runtime.txt": b"\x00\x01\x02",
        },
    )
    assert set(facts.runtimes) == {
        Runtime("python", "3.11.4", "runtime.txt"),
        Runtime("python", "3.11", ".python-version"),
        Runtime("python", "3.12", "api/runtime.txt"),
    }
    assert [(w.path, w.message) for w in facts.warnings] == [
        ("bin/runtime.txt", "not readable as text (binary content)")
    ]


# --- never an exception -------------------------------------------------------------------------

_VALID_REQUIREMENTS = (
    b"-r base.txt\nDjango>=4.2,<5 ; python_version>'3.8'\n-e git+https://h/r.git#egg=x\nfoo \\\n --hash=a\n"
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), mutated(_VALID_REQUIREMENTS), st.text(max_size=200).map(str.encode)))
def test_any_bytes_as_requirements_txt_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return  # the detector turns binary content into a warning before parsing
    parsed = parse_requirements(text, "requirements.txt")
    assert all(w.startswith("line ") for w in parsed.warnings)
    assert all(d.ecosystem == "pypi" and d.name for d in parsed.dependencies)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), mutated((PEP621 + POETRY).encode())))
def test_any_bytes_as_pyproject_toml_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    parsed = parse_pyproject(text, "pyproject.toml")
    assert all(isinstance(w, str) and w for w in parsed.warnings)


_TOML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
_KEYS = st.sampled_from(
    ["project", "dependencies", "optional-dependencies", "requires-python", "name", "dependency-groups",
     "build-system", "requires", "tool", "poetry", "group", "dev-dependencies", "python", "version", "git",
     "path", "url", "optional", "pdm", "uv", "include-group"]
)  # fmt: skip
_SHAPED = st.recursive(
    _TOML_VALUES,
    lambda inner: st.dictionaries(_KEYS, inner, max_size=5) | st.lists(inner, max_size=3),
    max_leaves=30,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _SHAPED, max_size=5))
def test_any_shape_of_pyproject_data_never_raises(data: dict) -> None:
    parsed = parse_pyproject_data(data, "pyproject.toml")
    assert all(isinstance(w, str) for w in parsed.warnings)
    assert all(isinstance(d.name, str) and d.name for d in parsed.dependencies)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=100), mutated(b"python-3.11.4\n")))
def test_any_bytes_as_runtime_txt_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    parsed = parse_runtime_txt(text, "runtime.txt")
    assert len(parsed.runtimes) + len(parsed.warnings) == 1
    assert all(r.version and " " not in r.version for r in parsed.runtimes)
