"""The JavaScript detector over monorepos: workspaces, yarn / pnpm / bun locks, packageManager."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import javascript
from collectors.detectors.javascript import is_member, parse_package_json, workspace_glob
from collectors.facts import Dependency, Facts
from tests.gitrepo import detect_with
from tests.test_detect_js_locks import BUN_LOCK, PNPM_V6, PNPM_V9, YARN_BERRY, YARN_CLASSIC

detect_in = partial(detect_with, javascript.detect)


def pkg(**fields: object) -> str:
    return json.dumps(fields, indent=2)


def resolved_of(facts: Facts) -> dict[tuple[str, str], str | None]:
    return {(d.manifest, d.name): d.resolved for d in facts.dependencies if d.scope != "build"}


# --- package.json: packageManager and workspaces ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "name", "declared"),
    [
        ("pnpm@8.15.0", "pnpm", "8.15.0"),
        ("pnpm@9.1.0+sha512.b17e4a7c6f5b1b4d2f3e", "pnpm", "9.1.0"),  # corepack's hash dropped
        ("yarn@4.1.1", "yarn", "4.1.1"),
        ("yarn@1.22.22+sha1.ac34549e6aa8e7ead463a7407e1c7390f61a6610", "yarn", "1.22.22"),
        ("npm@10.5.0", "npm", "10.5.0"),
        ("bun@1.1.8", "bun", "1.1.8"),
        (" yarn ", "yarn", None),
    ],
)
def test_package_manager_is_a_build_dependency_on_the_manager(value: str, name: str, declared: str | None) -> None:
    parsed = parse_package_json(pkg(packageManager=value), "web/package.json")
    assert parsed.dependencies == [Dependency("npm", name, declared, None, "build", "web/package.json")]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (8, "packageManager: expected name@version, found a number"),
        ("", "packageManager: expected name@version, found ''"),
        ("pnpm 8.15", "packageManager: expected name@version, found 'pnpm 8.15'"),
        (["pnpm"], "packageManager: expected name@version, found a list"),
    ],
)
def test_malformed_package_manager_is_a_warning(value: object, problem: str) -> None:
    parsed = parse_package_json(pkg(packageManager=value), "package.json")
    assert parsed.dependencies == []
    assert parsed.warnings == [problem]


@pytest.mark.parametrize(
    ("value", "globs", "warnings"),
    [
        (["packages/*", "apps/*"], ["packages/*", "apps/*"], []),
        ({"packages": ["packages/*"], "nohoist": ["**/react-native"]}, ["packages/*"], []),
        ("packages/*", [], ["workspaces: expected a list of folder globs, found a string"]),
        ({"packages": "x"}, [], ["workspaces.packages: expected a list of folder globs, found a string"]),
        (["ok/*", 3, ""], ["ok/*"], ["workspaces: 2 entries are not folder globs"]),
    ],
)
def test_workspaces_field(value: object, globs: list[str], warnings: list[str]) -> None:
    parsed = parse_package_json(pkg(name="root", workspaces=value), "package.json")
    assert parsed.workspaces == globs
    assert parsed.warnings == warnings


@pytest.mark.parametrize(
    ("folder", "globs", "member"),
    [
        ("packages/ui", ["packages/*"], True),
        ("packages/ui/nested", ["packages/*"], False),  # * stays within one folder
        ("packages/ui/nested", ["packages/**"], True),
        ("apps/web", ["./apps/web/"], True),
        ("apps/web", ["apps/web/package.json"], True),
        ("libs/a/b", ["**/b"], True),
        ("b", ["**/b"], True),
        ("packages/ui", ["packages/*", "!packages/ui"], False),
        ("packages/test-utils", ["packages/*", "!**/test-*"], False),
        ("packages.old/ui", ["packages/*"], False),  # the dot is literal
        ("tools/cli", ["packages/*"], False),
        ("", ["**"], False),  # the root is not its own member
        ("pkg1", ["pkg?"], True),
    ],
)
def test_workspace_membership(folder: str, globs: list[str], member: bool) -> None:
    assert is_member(folder, globs) is member


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet="ab/*?!.[]()\\{}+^$", max_size=12), max_size=4), st.text(alphabet="ab/.", max_size=12))
def test_any_workspace_glob_compiles_and_matching_never_raises(globs: list[str], folder: str) -> None:
    for glob in globs:
        workspace_glob(glob.lstrip("!"))
    assert isinstance(is_member(folder, globs), bool)


# --- yarn ---------------------------------------------------------------------------------------


def test_yarn_classic_monorepo_resolves_members_through_the_root_lock(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "package.json": pkg(
                name="mono",
                private=True,
                workspaces=["packages/*", "!packages/legacy"],
                packageManager="yarn@1.22.22",
                devDependencies={"lodash": "^4.17.21"},
            ),
            "yarn.lock": YARN_CLASSIC,
            "packages/ui/package.json": pkg(name="@acme/ui", version="2.1.0", dependencies={"react": "^18.2.0"}),
            "packages/web/package.json": pkg(
                name="web",
                dependencies={"@acme/ui": "^2.0.0", "lodash": "4.17.20", "js-tokens": "^3.0.0 || ^4.0.0"},
            ),
            "packages/legacy/package.json": pkg(name="legacy", dependencies={"react": "^18.2.0"}),
            "tools/cli/package.json": pkg(name="cli", dependencies={"react": "^18.2.0"}),
        },
    )
    assert resolved_of(facts) == {
        ("package.json", "lodash"): "4.17.21",
        ("packages/ui/package.json", "react"): "18.2.0",
        ("packages/web/package.json", "@acme/ui"): "2.1.0",  # a member: its own version
        ("packages/web/package.json", "lodash"): "4.17.20",  # the descriptor, not the root's 4.17.21
        ("packages/web/package.json", "js-tokens"): "4.0.0",
        ("packages/legacy/package.json", "react"): None,  # excluded by "!packages/legacy"
        ("tools/cli/package.json", "react"): None,  # not a member
    }
    assert Dependency("npm", "yarn", "1.22.22", None, "build", "package.json") in facts.dependencies
    assert facts.warnings == []


def test_yarn_berry_monorepo_with_object_workspaces(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "package.json": pkg(name="mono", workspaces={"packages": ["packages/*"]}, packageManager="yarn@4.1.1"),
            "yarn.lock": YARN_BERRY,
            "packages/ui/package.json": pkg(
                name="@acme/ui", dependencies={"react": "^18.2.0"}, devDependencies={"typescript": "^5.3.3"}
            ),
            ".yarn/releases/package.json": pkg(dependencies={"react": "^18.2.0"}),  # yarn's own files
        },
    )
    assert resolved_of(facts) == {
        ("packages/ui/package.json", "react"): "18.2.0",
        ("packages/ui/package.json", "typescript"): "5.3.3",
    }


def test_berry_lock_lists_a_member_the_globs_do_not(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "package.json": pkg(name="mono"),  # no workspaces field (written elsewhere, or stale)
            "yarn.lock": YARN_BERRY,
            "packages/ui/package.json": pkg(name="@acme/ui", dependencies={"react": "^18.2.0"}),
        },
    )
    assert resolved_of(facts) == {("packages/ui/package.json", "react"): "18.2.0"}


# --- pnpm ---------------------------------------------------------------------------------------


def test_pnpm_workspace_importers_and_links(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "package.json": pkg(
                name="mono", private=True, packageManager="pnpm@9.1.0", devDependencies={"typescript": "^5.4.0"}
            ),
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
            "pnpm-lock.yaml": PNPM_V9,
            "apps/web/package.json": pkg(
                name="web",
                dependencies={
                    "@acme/ui": "workspace:*",
                    "next": "14.2.3",
                    "react": "catalog:",
                    "string-width-cjs": "npm:string-width@^4.2.0",
                },
                optionalDependencies={"fsevents": "^2.3.3"},
            ),
            "packages/ui/package.json": pkg(name="@acme/ui", version="0.3.0", dependencies={"react": "^18.2.0"}),
            "packages/new/package.json": pkg(name="new", dependencies={"react": "^18.2.0"}),  # member, not locked yet
        },
    )
    assert resolved_of(facts) == {
        ("package.json", "typescript"): "5.4.5",
        ("apps/web/package.json", "@acme/ui"): "0.3.0",  # link:../../packages/ui -> the member's version
        ("apps/web/package.json", "next"): "14.2.3",
        ("apps/web/package.json", "react"): "18.3.1",
        ("apps/web/package.json", "string-width-cjs"): "4.2.3",
        ("apps/web/package.json", "fsevents"): "2.3.3",
        ("packages/ui/package.json", "react"): "18.2.0",
        ("packages/new/package.json", "react"): None,
    }
    assert Dependency("npm", "pnpm", "9.1.0", None, "build", "package.json") in facts.dependencies
    assert facts.warnings == []


def test_pnpm_single_project_and_a_lock_per_package(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "package.json": pkg(name="site", dependencies={"react": "^18.2.0", "react-dom": "^18.2.0"}),
            "pnpm-lock.yaml": PNPM_V6,
            "services/api/package.json": pkg(name="api", dependencies={"react": "^18.2.0"}),  # not an importer
        },
    )
    assert resolved_of(facts) == {
        ("package.json", "react"): "18.2.0",
        ("package.json", "react-dom"): "18.2.0",
        ("services/api/package.json", "react"): None,
    }


# --- bun ----------------------------------------------------------------------------------------


def test_bun_lock_is_read_and_bun_lockb_is_not(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "package.json": pkg(name="mono", workspaces=["packages/*"], devDependencies={"typescript": "^5.4.0"}),
            "bun.lock": BUN_LOCK,
            "packages/ui/package.json": pkg(name="@acme/ui", dependencies={"react": "^18.2.0"}),
            "old/package.json": pkg(name="old", dependencies={"react": "^18"}),
            "old/bun.lockb": b"#!/usr/bin/env bun\nbun-lockfile-format-v0\n\x00\x01\x02\x03",
        },
    )
    assert resolved_of(facts) == {
        ("package.json", "typescript"): "5.4.5",
        ("packages/ui/package.json", "react"): "18.2.0",
        ("old/package.json", "react"): None,
    }
    assert facts.warnings == []  # bun.lockb is not even read


# --- several locks, broken locks ----------------------------------------------------------------

NPM_LOCK = json.dumps({"lockfileVersion": 3, "packages": {"node_modules/react": {"version": "18.1.0"}}})
YARN_LOCK = 'react@^18.0.0:\n  version "18.2.0"\n'


@pytest.mark.parametrize(
    ("manager", "version", "used"),
    [
        (None, "18.1.0", "package-lock.json"),  # no packageManager: the first of LOCK_FILES
        ("yarn@1.22.22", "18.2.0", "yarn.lock"),
        ("npm@10.5.0", "18.1.0", "package-lock.json"),
    ],
)
def test_package_manager_picks_among_locks_of_two_managers(
    tmp_path: Path, manager: str | None, version: str, used: str
) -> None:
    manifest = {"dependencies": {"react": "^18.0.0"}} | ({"packageManager": manager} if manager else {})
    facts = detect_in(
        tmp_path, {"package.json": json.dumps(manifest), "package-lock.json": NPM_LOCK, "yarn.lock": YARN_LOCK}
    )
    assert resolved_of(facts) == {("package.json", "react"): version}
    other = "yarn.lock" if used == "package-lock.json" else "package-lock.json"
    assert [(w.path, w.message) for w in facts.warnings] == [
        (used, f"{other} in the same folder: another package manager's lock; versions are from {used}")
    ]


def test_a_broken_lock_gives_way_to_the_next_one(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "package.json": pkg(dependencies={"react": "^18.0.0"}, packageManager="pnpm@8.15.0"),
            "pnpm-lock.yaml": "lockfileVersion: '6.0'\ndependencies: [unclosed\n",
            "yarn.lock": YARN_LOCK,
        },
    )
    assert resolved_of(facts) == {("package.json", "react"): "18.2.0"}
    warnings = {w.path: w.message for w in facts.warnings}
    assert warnings["pnpm-lock.yaml"].startswith("not valid YAML: ")
    assert warnings["yarn.lock"] == (
        "pnpm-lock.yaml in the same folder: another package manager's lock; versions are from yarn.lock"
    )


def test_broken_lock_files_become_warnings_and_the_manifests_still_count(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "a/package.json": pkg(dependencies={"react": "^18"}),
            "a/yarn.lock": b"\x00\x01binary yarn.lock",
            "b/package.json": pkg(dependencies={"react": "^18"}),
            "b/pnpm-lock.yaml": "lockfileVersion: '9.0'\nimporters:\n" + "  " * 1 + "[" * 20_000 + "\n",
            "c/package.json": pkg(dependencies={"react": "^18.2.0"}),
            "c/yarn.lock": YARN_CLASSIC.encode("utf-16"),  # UTF-16 with a BOM: still read
            "d/package.json": pkg(dependencies={"react": "^18"}),
            "d/bun.lock": "{ not json",
            "e/package.json": pkg(dependencies={"react": "^18"}),
            "e/yarn.lock": 'react@^18:\n  version "18.3.1"\nbroken line\n',
            "f/package.json": pkg(name="f"),
            "f/pnpm-workspace.yaml": "packages: apps/*\n",
        },
    )
    assert resolved_of(facts) == {
        ("a/package.json", "react"): None,
        ("b/package.json", "react"): None,
        ("c/package.json", "react"): "18.2.0",
        ("d/package.json", "react"): None,
        ("e/package.json", "react"): "18.3.1",
    }
    warnings = {w.path: w.message for w in facts.warnings}
    assert warnings == {
        "a/yarn.lock": "not readable as text (binary content)",
        "b/pnpm-lock.yaml": warnings["b/pnpm-lock.yaml"],
        "d/bun.lock": warnings["d/bun.lock"],
        "e/yarn.lock": "line 3: not a lock entry (expected `name@range:`)",
        "f/pnpm-workspace.yaml": "packages: expected a list of folder globs",
    }
    assert "YAML" in warnings["b/pnpm-lock.yaml"]
    assert warnings["d/bun.lock"].startswith("not valid JSON: ")
