"""Pipfile and Pipfile.lock: pipenv's dependencies by category, resolved through the lock."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import python_pipenv
from collectors.detectors.parsing import ParseError
from collectors.detectors.python_pipenv import parse_pipfile, parse_pipfile_data, parse_pipfile_lock
from collectors.facts import Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by

detect_in = partial(detect_with, python_pipenv.detect)


PIPFILE = """\
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[[source]]
url = "https://pypi.acme.internal/simple"
verify_ssl = true
name = "internal"

[packages]
Django = ">=4.2,<5"
requests = "*"
celery = {version = "==5.3.6", extras = ["redis"]}
acme-auth = {version = "~=2.1", index = "internal"}
pywin32 = {version = "*", markers = "sys_platform == 'win32'"}
internal_lib = {git = "https://github.com/acme/internal-lib.git", ref = "v1.2.0", editable = true}
local-pkg = {path = "./libs/local", editable = true}
wheel-from-url = {file = "https://files.acme.internal/wheel_from_url-1.0-py3-none-any.whl"}

[dev-packages]
pytest = ">=8"
black = "==24.2.0"

[docs]
mkdocs-material = "*"

[requires]
python_version = "3.11"
python_full_version = "3.11.8"

[scripts]
serve = "python manage.py runserver"

[pipenv]
allow_prereleases = false
"""

LOCK = {
    "_meta": {
        "hash": {"sha256": "5e1e8a0b9f0a2c1a4f0f3b7d1e0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c"},
        "pipfile-spec": 6,
        "requires": {"python_version": "3.11"},
        "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": True}],
    },
    "default": {
        "django": {"hashes": ["sha256:aa", "sha256:bb"], "index": "pypi", "version": "==4.2.11"},
        "requests": {"hashes": [], "markers": "python_version >= '3.7'", "version": "==2.31.0"},
        "celery": {"version": "==5.3.6"},
        "acme-auth": {"index": "internal", "version": "==2.1.4"},
        "internal-lib": {"editable": True, "git": "https://github.com/acme/internal-lib.git", "ref": "0a1b2c3d"},
        "urllib3": {"version": "==2.2.1"},  # a transitive dependency: not reported on its own
    },
    "develop": {
        "pytest": {"version": "==8.1.1"},
        "black": {"version": "==24.2.0"},
        "django": {"version": "==5.0.3"},  # a different version in develop: not used for [packages]
    },
    "docs": {"mkdocs-material": {"version": "==9.5.13"}},
}


def test_pipfile_categories_entries_and_python() -> None:
    parsed = parse_pipfile(PIPFILE, "Pipfile")
    assert {(d.name, d.declared, d.scope) for d in parsed.dependencies} == {
        ("django", ">=4.2,<5", "runtime"),
        ("requests", "*", "runtime"),
        ("celery", "==5.3.6", "runtime"),
        ("acme-auth", "~=2.1", "runtime"),
        ("pywin32", "*", "runtime"),
        ("internal-lib", "git+https://github.com/acme/internal-lib.git@v1.2.0", "runtime"),
        ("wheel-from-url", "https://files.acme.internal/wheel_from_url-1.0-py3-none-any.whl", "runtime"),
        ("pytest", ">=8", "dev"),
        ("black", "==24.2.0", "dev"),
        ("mkdocs-material", "*", "dev"),  # a custom category, named like documentation
    }  # local-pkg is a path: the repository's own code
    assert all(d.resolved is None and d.ecosystem == "pypi" for d in parsed.dependencies)
    assert parsed.runtimes == [Runtime("python", "3.11.8", evidence="Pipfile")]  # the full version wins
    assert parsed.warnings == []


def test_pipfile_lock_sections_strip_the_equals() -> None:
    lock = parse_pipfile_lock(json.dumps(LOCK))
    assert lock["default"]["django"] == "4.2.11"
    assert lock["develop"]["django"] == "5.0.3"
    assert lock["docs"] == {"mkdocs-material": "9.5.13"}
    assert "internal-lib" not in lock["default"]  # a git entry locks a commit, not a version
    assert "_meta" not in lock


def test_pipfile_with_lock_resolves_each_category_from_its_section() -> None:
    parsed = parse_pipfile(PIPFILE, "Pipfile", parse_pipfile_lock(json.dumps(LOCK)))
    resolved = {d.name: d.resolved for d in parsed.dependencies}
    assert resolved == {
        "django": "4.2.11",  # from default, not develop's 5.0.3
        "requests": "2.31.0",
        "celery": "5.3.6",
        "acme-auth": "2.1.4",
        "pywin32": None,  # not locked on the platform that wrote the lock
        "internal-lib": None,
        "wheel-from-url": None,
        "pytest": "8.1.1",
        "black": "24.2.0",
        "mkdocs-material": "9.5.13",
    }


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ('[requires]\npython_version = "3.12"\n', "3.12"),
        ('[requires]\npython_full_version = "3.10.13"\n', "3.10.13"),
    ],
)
def test_pipfile_requires_is_the_python_runtime(text: str, version: str) -> None:
    assert parse_pipfile(text, "api/Pipfile").runtimes == [Runtime("python", version, evidence="api/Pipfile")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[packages\nrequests = '*'", "not valid TOML: "),
        ("packages = ['requests']", "packages: expected a table, found a list"),
        ("[packages]\nrequests = 2", "packages.requests: expected a version or a table, found a number"),
        ("[packages]\nrequests = {version = 2}", "packages.requests: version: expected a string, found a number"),
        ("[packages]\n'not a name!' = '*'", "packages.not a name!: 'not a name!' is not a package name"),
        ("requires = 'python 3'", "requires: expected a table, found a string"),
        ("[requires]\npython_version = 3.11", "requires.python_version: expected a version string, found a number"),
        ("[packages]\n" + "a = [" * 2000, "not "),
    ],
)
def test_malformed_pipfile_is_a_warning(text: str, problem: str) -> None:
    parsed = parse_pipfile(text, "Pipfile")
    assert any(w.startswith(problem) for w in parsed.warnings), parsed.warnings


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{", "not valid JSON"),
        ("[1]", "expected an object at the top, found a list"),
        ('{"_meta": {}}', "no `default` or `develop` section"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_unusable_pipfile_lock_raises_a_parse_error(text: str, problem: str) -> None:
    with pytest.raises(ParseError, match=problem):
        parse_pipfile_lock(text)


def test_pipfile_lock_skips_broken_entries_and_keeps_good_ones() -> None:
    lock = parse_pipfile_lock(
        json.dumps(
            {
                "default": {
                    "good": {"version": "==1.0"},
                    "no-version": {"hashes": []},
                    "range": {"version": ">=1"},
                    "number": {"version": 1},
                    "odd": "==1.0",
                    "Mixed_Case": {"version": "===2.0"},
                },
                "develop": [],
            }
        )
    )
    assert lock == {"default": {"good": "1.0", "mixed-case": "2.0"}}


# --- in a repository ----------------------------------------------------------------------------


def test_pipfiles_anywhere_resolved_by_the_lock_beside_them(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "Pipfile": PIPFILE,
            "Pipfile.lock": json.dumps(LOCK, indent=4),
            "worker/Pipfile": '[packages]\nrequests = "*"\n',  # no lock beside it: the root's is not used
            "orphan/Pipfile.lock": json.dumps({"default": {"flask": {"version": "==3.0.2"}}}),
            ".venv/src/pkg/Pipfile": '[packages]\nignored = "*"\n',
        },
    )
    resolved = {(d.manifest, d.name): d.resolved for d in facts.dependencies}
    assert resolved[("Pipfile", "django")] == "4.2.11"
    assert resolved[("worker/Pipfile", "requests")] is None
    assert {m for m, _ in resolved} == {"Pipfile", "worker/Pipfile"}  # a lock alone says nothing
    assert facts.runtimes == [Runtime("python", "3.11.8", evidence="Pipfile")]
    assert facts.warnings == []


def test_broken_lock_is_a_warning_and_the_pipfile_still_counts(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "Pipfile": '[packages]\nrequests = "*"\n',
            "Pipfile.lock": '{"default": {',
            "b/Pipfile": b"\x00\x01binary",
            "c/Pipfile": '[packages]\nflask = "*"\n'.encode("utf-16"),  # with its BOM
        },
    )
    assert {(d.manifest, d.name, d.resolved) for d in facts.dependencies} == {
        ("Pipfile", "requests", None),
        ("c/Pipfile", "flask", None),
    }
    warnings = {w.path: w.message for w in facts.warnings}
    assert warnings.keys() == {"Pipfile.lock", "b/Pipfile"}
    assert warnings["Pipfile.lock"].startswith("not valid JSON: ")
    assert warnings["b/Pipfile"] == "not readable as text (binary content)"


# --- never an exception -------------------------------------------------------------------------


mutated = partial(mutated_by, specials=b'[]{}=:,"\n ')


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(PIPFILE.encode())))
def test_any_bytes_as_pipfile_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    parsed = parse_pipfile(text, "Pipfile")
    assert all(isinstance(w, str) and w for w in parsed.warnings)
    assert all(d.ecosystem == "pypi" and d.name for d in parsed.dependencies)


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=15,
)
_KEYS = st.sampled_from(
    ["packages", "dev-packages", "docs", "requires", "source", "version", "git", "ref", "path", "file",
     "python_version", "python_full_version", "default", "develop", "_meta", "requests", "Django"]
)  # fmt: skip
_SHAPED = st.recursive(
    _VALUES,
    lambda inner: st.dictionaries(_KEYS, inner, max_size=5) | st.lists(inner, max_size=3),
    max_leaves=25,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _SHAPED, max_size=5), st.dictionaries(_KEYS, _SHAPED, max_size=4))
def test_any_shape_of_pipfile_and_lock_never_raises(pipfile: dict, lock: dict) -> None:
    try:
        locked = parse_pipfile_lock(json.dumps(lock))
    except ParseError:
        locked = None
    parsed = parse_pipfile_data(pipfile, "Pipfile", locked)
    assert all(isinstance(w, str) and w for w in parsed.warnings)
    assert all(d.resolved is None or isinstance(d.resolved, str) for d in parsed.dependencies)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(json.dumps(LOCK).encode())))
def test_any_bytes_as_pipfile_lock_only_raise_parse_error(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    try:
        lock = parse_pipfile_lock(text)
    except ParseError:
        return
    assert all(isinstance(v, str) and v for section in lock.values() for v in section.values())
