"""The JavaScript detector: package.json, npm lock files, .nvmrc and .node-version."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import javascript
from collectors.detectors.javascript import (
    installed_version,
    parse_lock,
    parse_node_version,
    parse_package_json,
)
from collectors.detectors.parsing import ParseError
from collectors.facts import Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with

detect_in = partial(detect_with, javascript.detect)


def as_json(data: object) -> str:
    return json.dumps(data, indent=2)


PACKAGE = {
    "name": "@acme/web",
    "version": "1.0.0",
    "dependencies": {"react": "^18.2.0", "left-pad": "1.3.0", "shared": "workspace:*"},
    "devDependencies": {"typescript": "~5.4.0", "vitest": "^1.6.0"},
    "peerDependencies": {"react-dom": ">=18"},
    "optionalDependencies": {"fsevents": "^2.3.0"},
    "engines": {"node": ">=20 <23", "npm": ">=10"},
}


def test_package_json_sections_give_scopes_and_engines_node_a_runtime() -> None:
    parsed = parse_package_json(as_json(PACKAGE), "web/package.json")
    assert {(d.name, d.declared, d.scope) for d in parsed.dependencies} == {
        ("react", "^18.2.0", "runtime"),
        ("left-pad", "1.3.0", "runtime"),
        ("shared", "workspace:*", "runtime"),
        ("typescript", "~5.4.0", "dev"),
        ("vitest", "^1.6.0", "dev"),
        ("react-dom", ">=18", "peer"),
        ("fsevents", "^2.3.0", "optional"),
    }
    assert all(d.ecosystem == "npm" and d.manifest == "web/package.json" for d in parsed.dependencies)
    assert all(d.resolved is None for d in parsed.dependencies)
    assert parsed.runtimes == [Runtime("node", ">=20 <23", evidence="web/package.json")]
    assert parsed.name == "@acme/web"
    assert parsed.warnings == []


def test_volta_pin_is_a_node_runtime_too() -> None:
    parsed = parse_package_json('{"volta": {"node": "20.11.1"}}', "package.json")
    assert parsed.runtimes == [Runtime("node", "20.11.1", evidence="package.json")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "not valid JSON: Expecting value (line 1, column 1)"),
        ('{"dependencies": {"a": "1",}}', "not valid JSON: "),
        ("[1, 2]", "expected an object at the top, found a list"),
        ('{"dependencies": ["react"]}', "dependencies: expected an object, found a list"),
        (
            '{"devDependencies": {"jest": 29}}',
            "devDependencies.jest: expected a version string, found a number",
        ),
        ('{"dependencies": {"": "1"}}', "dependencies: a dependency with an empty name"),
        ('{"engines": "node 18"}', "engines: expected an object, found a string"),
        ('{"engines": {"node": true}}', "engines.node: expected a version string, found a boolean"),
        ("[" * 100_000, "not read: JSON nested too deeply"),
    ],
)
def test_malformed_package_json_is_a_warning(text: str, problem: str) -> None:
    parsed = parse_package_json(text, "package.json")
    assert any(w.startswith(problem) for w in parsed.warnings), parsed.warnings


def test_bad_entry_does_not_lose_the_good_ones() -> None:
    parsed = parse_package_json('{"dependencies": {"a": 1, "b": "^2"}}', "package.json")
    assert [(d.name, d.declared) for d in parsed.dependencies] == [("b", "^2")]
    assert len(parsed.warnings) == 1


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("v20.11.0\n", "20.11.0"),
        ("18\n", "18"),
        ("lts/iron", "lts/iron"),
        ("# comment\n\n  22.1  \n", "22.1"),
    ],
)
def test_node_version_files(text: str, version: str) -> None:
    assert parse_node_version(text, ".nvmrc").runtimes == [Runtime("node", version, ".nvmrc")]


# --- lock files ---------------------------------------------------------------------------------

LOCK_V3 = {
    "name": "@acme/web",
    "lockfileVersion": 3,
    "packages": {
        "": {"name": "@acme/web", "dependencies": {"react": "^18.2.0"}},
        "node_modules/react": {"version": "18.3.1"},
        "node_modules/typescript": {"version": "5.4.5", "dev": True},
        "node_modules/left-pad": {"version": "1.3.0"},
        "node_modules/vitest": {"version": "1.6.0", "dev": True},
        "node_modules/shared": {"resolved": "packages/shared", "link": True},
        "packages/shared": {"name": "shared", "version": "0.4.2"},
        "node_modules/react-dom": {"version": "18.3.1", "peer": True},
        "node_modules/vitest/node_modules/react": {"version": "17.0.2"},
    },
}


def test_lock_v3_gives_install_paths_and_follows_workspace_links() -> None:
    lock = parse_lock(as_json(LOCK_V3)).versions
    assert lock["node_modules/react"] == "18.3.1"
    assert lock["node_modules/shared"] == "0.4.2"  # the link's target version
    assert "" not in lock  # the root entry has no version


def test_lock_v1_is_read_into_the_same_shape() -> None:
    v1 = {
        "lockfileVersion": 1,
        "dependencies": {
            "react": {"version": "16.14.0", "dependencies": {"loose-envify": {"version": "1.4.0"}}},
            "lodash": {"version": "4.17.21"},
        },
    }
    assert parse_lock(as_json(v1)).versions == {
        "node_modules/react": "16.14.0",
        "node_modules/react/node_modules/loose-envify": "1.4.0",
        "node_modules/lodash": "4.17.21",
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{", "not valid JSON"),
        ('"x"', "expected an object"),
        ('{"lockfileVersion": 3}', "neither `packages`"),
    ],
)
def test_unusable_lock_raises_a_parse_error(text: str, problem: str) -> None:
    with pytest.raises(ParseError, match=problem):
        parse_lock(text)


@pytest.mark.parametrize(
    ("package", "name", "version"),
    [
        ("", "react", "18.3.1"),
        ("node_modules/vitest", "react", "17.0.2"),  # its own nested copy first
        ("apps/site", "react", "18.3.1"),  # hoisted to the root
        ("", "not-installed", None),
    ],
)
def test_installed_version_follows_nodes_lookup(package: str, name: str, version: str | None) -> None:
    assert installed_version(parse_lock(as_json(LOCK_V3)).versions, package, name) == version


# --- in a repository ----------------------------------------------------------------------------


def test_lock_beside_package_json_fills_resolved_for_direct_dependencies(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "package.json": as_json(PACKAGE),
            "package-lock.json": as_json(LOCK_V3),
            ".nvmrc": "v20.11.0\n",
            "node_modules/react/package.json": as_json({"name": "react", "dependencies": {"loose-envify": "^1"}}),
        },
    )
    resolved = {(d.name, d.scope): d.resolved for d in facts.dependencies}
    assert resolved == {
        ("react", "runtime"): "18.3.1",
        ("left-pad", "runtime"): "1.3.0",
        ("shared", "runtime"): "0.4.2",
        ("typescript", "dev"): "5.4.5",
        ("vitest", "dev"): "1.6.0",
        ("react-dom", "peer"): "18.3.1",
        ("fsevents", "optional"): None,  # not installed on the platform that wrote the lock
    }  # node_modules/react/package.json is an installed package: not read
    assert set(facts.runtimes) == {
        Runtime("node", ">=20 <23", evidence="package.json"),
        Runtime("node", "20.11.0", evidence=".nvmrc"),
    }
    assert facts.warnings == []


def test_workspace_member_is_resolved_through_the_root_lock(tmp_path: Path) -> None:
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "mono", "workspaces": ["packages/*"]},
            "packages/api": {"name": "api"},  # a private member: no version of its own
            "node_modules/express": {"version": "4.19.2"},
            "packages/api/node_modules/zod": {"version": "3.23.8"},
            "node_modules/zod": {"version": "3.22.0"},
        },
    }
    facts = detect_in(
        tmp_path,
        {
            "package.json": as_json({"name": "mono", "private": True}),
            "package-lock.json": as_json(lock),
            "packages/api/package.json": as_json({"name": "api", "dependencies": {"express": "^4", "zod": "^3"}}),
            "tools/standalone/package.json": as_json({"dependencies": {"express": "^4"}}),  # not a member
        },
    )
    resolved = {(d.manifest, d.name): d.resolved for d in facts.dependencies}
    assert resolved == {
        ("packages/api/package.json", "express"): "4.19.2",
        ("packages/api/package.json", "zod"): "3.23.8",  # the member's own copy beats the hoisted one
        ("tools/standalone/package.json", "express"): None,
    }


def test_shrinkwrap_wins_over_package_lock_in_the_same_folder(tmp_path: Path) -> None:
    shrinkwrap = {"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "2.0.0"}}}
    package_lock = {"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0"}}}
    facts = detect_in(
        tmp_path,
        {
            "package.json": '{"dependencies": {"a": "*"}}',
            "npm-shrinkwrap.json": as_json(shrinkwrap),
            "package-lock.json": as_json(package_lock),
        },
    )
    assert [d.resolved for d in facts.dependencies] == ["2.0.0"]


def test_malformed_files_become_warnings_and_the_rest_still_counts(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "package.json": '{"dependencies": {"ok": "1.0.0"}}',
            "package-lock.json": "{ not json",
            "web/package.json": '{"name": "web", "dependencies": {',
            "web/.node-version": "\n",
            "img/package.json": b"\x00\x01binary",
        },
    )
    assert [(d.name, d.resolved) for d in facts.dependencies] == [("ok", None)]
    warnings = {w.path: w.message for w in facts.warnings}
    assert warnings.keys() == {
        "package-lock.json",
        "web/package.json",
        "web/.node-version",
        "img/package.json",
    }
    assert warnings["package-lock.json"].startswith("not valid JSON: ")
    assert warnings["web/package.json"].startswith("not valid JSON: ")
    assert warnings["web/.node-version"] == "names no Node version"
    assert warnings["img/package.json"] == "not readable as text (binary content)"


# --- never an exception -------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
_KEYS = st.sampled_from(
    ["name", "dependencies", "devDependencies", "peerDependencies", "optionalDependencies", "engines", "node",
     "volta", "packages", "lockfileVersion", "version", "link", "resolved", "", "node_modules/a", "workspaces",
     "packageManager"]
)  # fmt: skip
_SHAPED = st.recursive(
    _JSON,
    lambda inner: st.dictionaries(_KEYS, inner, max_size=5) | st.lists(inner, max_size=3),
    max_leaves=30,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), _SHAPED.map(lambda v: json.dumps(v).encode())))
def test_any_bytes_or_json_as_package_json_never_raise(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return  # the detector turns binary content into a warning before parsing
    parsed = parse_package_json(text, "package.json")
    assert all(isinstance(w, str) and w for w in parsed.warnings)
    assert all(d.declared is None or (isinstance(d.declared, str) and d.declared) for d in parsed.dependencies)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), _SHAPED.map(lambda v: json.dumps(v).encode())))
def test_any_bytes_or_json_as_package_lock_only_raise_the_lock_error(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    try:
        lock = parse_lock(text)
    except ParseError:
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in lock.versions.items())
    assert set(lock.versions) <= lock.folders
