"""setup.cfg and setup.py: setuptools' requirements, read statically (setup.py is never run)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import python_setup
from collectors.detectors.python_setup import DYNAMIC, parse_setup_cfg, parse_setup_py
from collectors.facts import Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by

detect_in = partial(detect_with, python_setup.detect)


Row = tuple[str, str | None, str]  # (name, declared, scope)


def rows(parsed: object) -> set[Row]:
    return {(d.name, d.declared, d.scope) for d in parsed.dependencies}  # type: ignore[attr-defined]


# --- setup.cfg ----------------------------------------------------------------------------------

SETUP_CFG = """\
[metadata]
name = Acme_Client
version = attr: acme_client.__version__

[options]
packages = find:
python_requires = >=3.8, <4
install_requires =
    requests>=2.28,<3
    # pinned until the v2 API is gone
    PyYAML==6.0.1
    importlib-metadata>=4; python_version < "3.10"
    Acme-Core[async] @ git+https://github.com/acme/core.git@v1.4
tests_require = pytest>=7; responses
setup_requires =
    setuptools_scm[toml]>=6.2

[options.extras_require]
test =
    pytest-cov
    acme-client[s3]
s3 = boto3~=1.34
Docs = sphinx>=7

[flake8]
max-line-length = 100
"""


def test_setup_cfg_options_extras_and_python_requires() -> None:
    parsed = parse_setup_cfg(SETUP_CFG, "client/setup.cfg")
    assert rows(parsed) == {
        ("requests", ">=2.28,<3", "runtime"),
        ("pyyaml", "==6.0.1", "runtime"),
        ("importlib-metadata", ">=4", "runtime"),
        ("acme-core", "git+https://github.com/acme/core.git@v1.4", "runtime"),
        ("pytest", ">=7", "test"),  # one line, split on ";" as setuptools does
        ("responses", None, "test"),
        ("setuptools-scm", ">=6.2", "build"),
        ("pytest-cov", None, "test"),  # the "test" extra: test scope
        ("boto3", "~=1.34", "optional"),
        ("sphinx", ">=7", "dev"),  # "Docs": the extra keeps its case, the scope reads it
    }  # "acme-client[s3]" names the package itself
    assert parsed.runtimes == [Runtime("python", ">=3.8,<4", evidence="client/setup.cfg")]
    assert all(d.manifest == "client/setup.cfg" and d.ecosystem == "pypi" for d in parsed.dependencies)
    assert parsed.warnings == []
    assert parsed.file_includes == []


@pytest.mark.parametrize(
    ("text", "includes"),
    [
        ("[options]\ninstall_requires = file: requirements.in\n", [("runtime", "requirements.in")]),
        (
            "[options]\ninstall_requires = file: reqs/base.txt, reqs/extra.txt\n",
            [("runtime", "reqs/base.txt"), ("runtime", "reqs/extra.txt")],
        ),
        ("[options.extras_require]\ndev = file: dev-reqs.txt\n", [("dev", "dev-reqs.txt")]),
    ],
)
def test_setup_cfg_file_directive_names_files_to_follow(text: str, includes: list[tuple[str, str]]) -> None:
    parsed = parse_setup_cfg(text, "setup.cfg")
    assert parsed.file_includes == includes
    assert parsed.dependencies == []


def test_setup_cfg_without_options_says_nothing() -> None:
    parsed = parse_setup_cfg("[flake8]\nmax-line-length = 88\n[tool:pytest]\naddopts = -q\n", "setup.cfg")
    assert (parsed.dependencies, parsed.runtimes, parsed.warnings) == ([], [], [])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("install_requires = requests\n", "not valid setup.cfg: File contains no section headers."),
        ("[options\ninstall_requires = x\n", "not valid setup.cfg: File contains no section headers."),
        ("[options]\n  indented first\n", "not valid setup.cfg: "),
        ("[options]\nnot a key value line\n", "not valid setup.cfg: Source contains parsing errors"),
        (
            "[options]\ninstall_requires =\n    flask>>2\n    ok\n",
            "options.install_requires: 'flask>>2' is not a valid",
        ),
        ("[options.extras_require]\ntest = pytest>>1\n", "options.extras_require.test: 'pytest>>1' is not a"),
    ],
)
def test_malformed_setup_cfg_is_a_warning(text: str, problem: str) -> None:
    parsed = parse_setup_cfg(text, "setup.cfg")
    assert any(w.startswith(problem) for w in parsed.warnings), parsed.warnings
    assert all("\n" not in w for w in parsed.warnings)


def test_setup_cfg_references_are_expanded_as_setuptools_does() -> None:
    text = """\
[DEFAULT]
pinned = attrs==23.2.0

[options]
install_requires =
    %(pinned)s
    idna

[options.extras_require]
asyncio =
    greenlet!=0.4.17
postgresql_asyncpg =
    %(asyncio)s
    asyncpg
percent = odd-name%%>=1
"""
    parsed = parse_setup_cfg(text, "setup.cfg")
    assert rows(parsed) >= {
        ("attrs", "==23.2.0", "runtime"),  # from [DEFAULT]
        ("idna", None, "runtime"),
        ("greenlet", "!=0.4.17", "optional"),
        ("asyncpg", None, "optional"),
    }
    assert len([d for d in parsed.dependencies if d.name == "greenlet"]) == 2  # its own extra, and asyncpg's
    assert len(parsed.warnings) == 1  # "%%" is a percent sign, and no package name has one
    assert parsed.warnings[0].startswith("options.extras_require.percent: 'odd-name%>=1' is not a valid requirement")


def _bomb(levels: int, fan: int, leaf: str) -> str:
    lines = ["[options]", f"v0 = {leaf}"]
    lines += [f"v{i} = " + f"%(v{i - 1})s" * fan for i in range(1, levels)]
    return "\n".join([*lines, f"install_requires = %(v{levels - 1})s", "tests_require = pytest", ""])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[options]\ninstall_requires = weird%(nothing)s>=1\n", "%(nothing)s names no value in [options]"),
        ("[options]\ninstall_requires = 100% sure\n", "a lone '%' at '% sure'"),
        ("[options]\na = %(b)s\nb = %(a)s\ninstall_requires = %(a)s\n", "nested deeper than 10"),
        (_bomb(9, 10, "x" * 100), "expand past 65,536 characters"),
        (_bomb(9, 10, ""), "take over 10,000 steps"),  # expands to nothing, slowly
    ],
)
def test_setup_cfg_bad_or_explosive_references_are_a_warning(text: str, problem: str) -> None:
    parsed = parse_setup_cfg(text, "setup.cfg")
    assert [w for w in parsed.warnings if problem in w], parsed.warnings
    assert all(w.startswith("options.install_requires: ") for w in parsed.warnings)
    if "tests_require" in text:
        assert ("pytest", None, "test") in rows(parsed)  # the rest still counts


# --- setup.py: literal values -------------------------------------------------------------------

SETUP_PY_LITERAL = """\
#!/usr/bin/env python
import os
from setuptools import find_packages, setup

here = os.path.abspath(os.path.dirname(__file__))
with open(os.path.join(here, "README.md"), encoding="utf-8") as f:
    long_description = f.read()

setup(
    name="acme-billing",
    version="2.3.0",
    long_description=long_description,
    packages=find_packages(exclude=["tests"]),
    python_requires=">=3.9",
    install_requires=[
        "Django>=4.2,<5.0",
        "celery[redis]~=5.3",
        "stripe",
    ],
    extras_require={
        "test": ["pytest-django>=4.8", "factory_boy"],
        "sentry": ["sentry-sdk>=1.40"],
        "all": ["acme-billing[sentry]"],
        ":python_version < '3.11'": ["tomli"],
    },
    tests_require=("pytest>=8",),
    setup_requires=["wheel"],
)
"""


def test_setup_py_literal_arguments() -> None:
    parsed = parse_setup_py(SETUP_PY_LITERAL, "setup.py")
    assert rows(parsed) == {
        ("django", ">=4.2,<5.0", "runtime"),
        ("celery", "~=5.3", "runtime"),
        ("stripe", None, "runtime"),
        ("pytest-django", ">=4.8", "test"),
        ("factory-boy", None, "test"),
        ("sentry-sdk", ">=1.40", "optional"),
        ("tomli", None, "runtime"),  # a condition-only extra is a runtime requirement with a marker
        ("pytest", ">=8", "test"),
        ("wheel", None, "build"),
    }
    assert parsed.runtimes == [Runtime("python", ">=3.9", evidence="setup.py")]
    assert parsed.warnings == []  # long_description and packages are computed, but they are not dependencies


SETUP_PY_NAMES = """\
import setuptools

NAME = "acme-etl"
REQUIRES = ["pandas>=2.1", "SQLAlchemy>=2"]
AWS: list[str] = ["boto3"]
TEST_REQUIRES = [
    "pytest",
    *AWS,
]
EXTRAS = dict(aws=AWS, test=TEST_REQUIRES, all=REQUIRES + AWS)
PYTHON = ">=3.10"


def main() -> None:
    setuptools.setup(
        name=NAME,
        install_requires=REQUIRES,
        extras_require=EXTRAS,
        python_requires=PYTHON,
    )


if __name__ == "__main__":
    main()
"""


def test_setup_py_names_bound_once_to_literals_are_followed() -> None:
    parsed = parse_setup_py(SETUP_PY_NAMES, "etl/setup.py")
    assert rows(parsed) == {
        ("pandas", ">=2.1", "runtime"),
        ("sqlalchemy", ">=2", "runtime"),
        ("boto3", None, "optional"),
        ("pytest", None, "test"),
        ("boto3", None, "test"),
        ("pandas", ">=2.1", "optional"),  # all = REQUIRES + AWS
        ("sqlalchemy", ">=2", "optional"),
    }
    assert parsed.runtimes == [Runtime("python", ">=3.10", evidence="etl/setup.py")]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # setup(**KWARGS) with a literal dict
        (
            'from setuptools import setup\nARGS = {"install_requires": ["attrs"], "name": "x"}\nsetup(**ARGS)\n',
            {("attrs", None, "runtime")},
        ),
        # distutils and an import alias
        (
            'from distutils.core import setup as _setup\n_setup(install_requires=["six>=1.16"])\n',
            {("six", ">=1.16", "runtime")},
        ),
        # install_requires as one string of lines
        (
            'from setuptools import setup\nsetup(install_requires="""\n  click>=8\n  # c\n  rich\n""")\n',
            {("click", ">=8", "runtime"), ("rich", None, "runtime")},
        ),
        # the same call in both arms of an if: counted once
        (
            'import sys\nfrom setuptools import setup\nif sys.platform == "win32":\n'
            '    setup(install_requires=["colorama"])\nelse:\n    setup(install_requires=["colorama"])\n',
            {("colorama", None, "runtime")},
        ),
        # string concatenation of literals
        (
            'from setuptools import setup\nV = "2.0"\nsetup(install_requires=["numpy>=" + V])\n',
            {("numpy", ">=2.0", "runtime")},
        ),
        # a setup.py with no setup() call at all, or one without dependencies
        ("print('hello')\n", set()),
        ("from setuptools import setup\nsetup()\n", set()),
    ],
)
def test_setup_py_static_forms(source: str, expected: set[Row]) -> None:
    parsed = parse_setup_py(source, "setup.py")
    assert rows(parsed) == expected
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("source", "keywords"),
    [
        (
            'from setuptools import setup\nwith open("requirements.txt") as f:\n    reqs = f.read().splitlines()\n'
            "setup(install_requires=reqs)\n",
            "install_requires",
        ),
        (
            "from setuptools import setup\nfrom pip._internal.req import parse_requirements\n"
            'setup(install_requires=[str(r.req) for r in parse_requirements("r.txt", session=None)])\n',
            "install_requires",
        ),
        (
            'import sys\nfrom setuptools import setup\nREQS = ["a"]\nif sys.version_info < (3, 8):\n'
            '    REQS.append("importlib-metadata")\nsetup(install_requires=REQS)\n',
            "install_requires",
        ),
        ('from setuptools import setup\nR = ["a"]\nR += ["b"]\nsetup(install_requires=R)\n', "install_requires"),
        ('from setuptools import setup\nR = ["a"]\nR = ["b"]\nsetup(install_requires=R)\n', "install_requires"),
        ("from setuptools import setup\nfrom deps import EXTRAS\nsetup(extras_require=EXTRAS)\n", "extras_require"),
        ('from setuptools import setup\nV = "1"\nsetup(install_requires=[f"x=={V}"])\n', "install_requires"),
        ("from setuptools import setup\nA = B\nB = A\nsetup(install_requires=A)\n", "install_requires"),
        (
            "from setuptools import setup\ndef list(x):\n    return ['other']\nsetup(install_requires=list(['a']))\n",
            "install_requires",
        ),
        ("from setuptools import setup\nimport config\nsetup(**config.kwargs)\n", "**config.kwargs"),
        (
            "from setuptools import setup\nsetup(install_requires=get(), tests_require=get(), setup_requires=x)\n",
            "install_requires, tests_require, setup_requires",
        ),
    ],
)
def test_setup_py_that_computes_its_dependencies_is_a_warning_not_a_guess(source: str, keywords: str) -> None:
    parsed = parse_setup_py(source, "setup.py")
    assert parsed.dependencies == []
    assert parsed.warnings == [f"{DYNAMIC} ({keywords})"]


def test_computed_keyword_does_not_hide_the_literal_ones() -> None:
    source = 'from setuptools import setup\nsetup(install_requires=read(), tests_require=["pytest"], python_requires=">=3.8")\n'
    parsed = parse_setup_py(source, "setup.py")
    assert rows(parsed) == {("pytest", None, "test")}
    assert parsed.runtimes == [Runtime("python", ">=3.8", evidence="setup.py")]
    assert parsed.warnings == [f"{DYNAMIC} (install_requires)"]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("from setuptools import setup\nsetup(\n", "not valid Python: "),
        ("def f(:\n  pass\n", "not valid Python: "),
        ("x = " + "(" * 300 + ")" * 300 + "\n", "not valid Python: too many nested parentheses"),
        ("x = " + "-" * 200_000 + "1\n", "not read: setup.py is not parseable Python"),
        ("x = " + "1+" * 200_000 + "1\n", "not read: setup.py is not parseable Python"),
        ("from setuptools import setup\nsetup(install_requires=42)\n", "install_requires: expected a list"),
        (
            "from setuptools import setup\nsetup(install_requires=['ok', 3])\n",
            "install_requires: 1 entries are not strings",
        ),
        (
            "from setuptools import setup\nsetup(extras_require=['x'])\n",
            "extras_require: expected a dict, found a list",
        ),
        ("from setuptools import setup\nsetup(python_requires=3.8)\n", "python_requires: expected a version string"),
        ("from setuptools import setup\nsetup(install_requires=['flask>>2'])\n", "install_requires: 'flask>>2' is not"),
        ("from setuptools import setup\nsetup(**[1])\n", DYNAMIC),
    ],
)
def test_malformed_setup_py_is_a_warning(source: str, problem: str) -> None:
    parsed = parse_setup_py(source, "setup.py")
    assert any(w.startswith(problem) for w in parsed.warnings), parsed.warnings
    assert all("\n" not in w for w in parsed.warnings)


def test_deep_but_valid_expression_is_computed_not_a_crash() -> None:
    source = "from setuptools import setup\nR = " + "[" * 90 + "]" * 90 + "\nsetup(install_requires=R)\n"
    parsed = parse_setup_py(source, "setup.py")
    assert parsed.dependencies == []
    assert parsed.warnings == [f"{DYNAMIC} (install_requires)"]


# --- in a repository ----------------------------------------------------------------------------


def test_setup_files_anywhere_with_file_includes_followed(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "setup.py": "from setuptools import setup\nsetup()\n",  # a shim: the config is in setup.cfg
            "setup.cfg": (
                "[options]\ninstall_requires = file: requirements.txt\n"
                "tests_require = file: ci/test-deps.txt\n"
                "setup_requires = file: missing.txt\n"
                "[options.extras_require]\nlint = file: ../outside.txt\n"
            ),
            "requirements.txt": "requests\n",  # the python detector reads it: not read twice
            "ci/test-deps.txt": "pytest>=8\n-r ../requirements.txt\n",
            "libs/core/setup.py": SETUP_PY_LITERAL,
            "libs/core/setup.cfg": "[bdist_wheel]\nuniversal = 1\n",
            ".venv/lib/python3.12/site-packages/pkg/setup.py": SETUP_PY_LITERAL,
            "vendor/thing/setup.cfg": SETUP_CFG,
        },
    )
    deps = {(d.manifest, d.name, d.scope) for d in facts.dependencies}
    assert ("ci/test-deps.txt", "pytest", "test") in deps  # followed, in the keyword's scope
    assert ("libs/core/setup.py", "django", "runtime") in deps
    assert {m for m, _, _ in deps} == {"ci/test-deps.txt", "libs/core/setup.py"}
    assert facts.runtimes == [Runtime("python", ">=3.9", evidence="libs/core/setup.py")]
    assert sorted((w.path, w.message) for w in facts.warnings) == [
        ("setup.cfg", "file: ../outside.txt: outside the repository, not followed"),
        ("setup.cfg", "file: missing.txt: missing.txt is not in the repository"),
    ]


def test_binary_and_utf16_setup_files(tmp_path: Path) -> None:
    utf16 = "\ufeff[options]\ninstall_requires = attrs\n".encode("utf-16-le")
    facts = detect_in(
        tmp_path,
        {
            "a/setup.cfg": utf16,
            "b/setup.py": b"\x00\x01\x02setup(",
            "c/setup.py": "\ufefffrom setuptools import setup\nsetup(install_requires=['idna'])\n",
        },
    )
    assert {(d.manifest, d.name) for d in facts.dependencies} == {("a/setup.cfg", "attrs"), ("c/setup.py", "idna")}
    assert [(w.path, w.message) for w in facts.warnings] == [("b/setup.py", "not readable as text (binary content)")]


def test_setup_py_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'w').write('x')\nfrom setuptools import setup\nsetup(install_requires=['a'])\n"
    facts = detect_in(tmp_path, {"setup.py": source})
    assert [d.name for d in facts.dependencies] == ["a"]
    assert not marker.exists()


# --- never an exception -------------------------------------------------------------------------


mutated = partial(mutated_by, specials=b"[](){}=:;,'\"\n #*+\\x")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(SETUP_CFG.encode())))
def test_any_bytes_as_setup_cfg_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    parsed = parse_setup_cfg(text, "setup.cfg")
    assert all(isinstance(w, str) and w and "\n" not in w for w in parsed.warnings)
    assert all(d.ecosystem == "pypi" and d.name for d in parsed.dependencies)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(SETUP_PY_LITERAL.encode()), mutated(SETUP_PY_NAMES.encode())))
def test_any_bytes_as_setup_py_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    parsed = parse_setup_py(text, "setup.py")
    assert all(isinstance(w, str) and w and "\n" not in w for w in parsed.warnings)
    assert all(d.ecosystem == "pypi" and d.name for d in parsed.dependencies)


_ATOMS = st.sampled_from(
    ['"a>=1"', '"b"', "R", "E", "[]", "{}", "None", "3", "x()", '"t"', "REQ", '{"test": R}', "[*R]", "{**E}"]
)
_EXPRESSIONS = st.recursive(
    _ATOMS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.tuples(inner, inner).map(lambda p: f"{p[0]} + {p[1]}"),
        st.tuples(_ATOMS, inner).map(lambda p: "{" + f"{p[0]}: {p[1]}" + "}"),
        inner.map(lambda x: f"dict(test={x})"),
        inner.map(lambda x: f"list({x})"),
    ),
    max_leaves=12,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(["R", "E", "REQ"]), _EXPRESSIONS), max_size=4),
    st.lists(
        st.tuples(
            st.sampled_from(["install_requires", "extras_require", "tests_require", "python_requires", ""]),
            _EXPRESSIONS,
        ),
        max_size=4,
    ),
)
def test_any_python_shaped_setup_py_never_raises(
    bindings: list[tuple[str, str]], arguments: list[tuple[str, str]]
) -> None:
    lines = [f"{name} = {value}" for name, value in bindings]
    args = ", ".join(f"{k}={v}" if k else f"**{v}" for k, v in arguments)
    parsed = parse_setup_py("\n".join([*lines, f"setup({args})"]) + "\n", "setup.py")
    assert all(isinstance(w, str) and w and "\n" not in w for w in parsed.warnings)
    assert all(isinstance(d.name, str) and d.name for d in parsed.dependencies)
