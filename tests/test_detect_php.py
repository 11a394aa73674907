"""The PHP detector: composer.json and composer.lock."""

from __future__ import annotations

import contextlib
import json
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import php
from collectors.detectors.parsing import ParseError
from collectors.detectors.php import parse_composer_json, parse_composer_lock
from collectors.facts import Runtime
from tests.gitrepo import detect_with

detect_in = partial(detect_with, php.detect)


COMPOSER = {
    "name": "acme/shop",
    "type": "project",
    "require": {
        "php": "^8.2",
        "ext-json": "*",
        "ext-pdo_pgsql": "*",
        "lib-curl": ">=7.0",
        "composer-runtime-api": "^2.2",
        "laravel/framework": "^11.0",
        "Guzzlehttp/Guzzle": "^7.8 ",
        "symfony/console": "6.4.*",
    },
    "require-dev": {
        "phpunit/phpunit": "^10.5",
        "php": ">=8.1",
        "mockery/mockery": "^1.6",
    },
    "config": {"platform": {"php": "8.2.0"}},
}

LOCK = {
    "_readme": ["This file locks the dependencies of your project to a known state"],
    "content-hash": "abc",
    "packages": [
        {"name": "laravel/framework", "version": "v11.0.7"},
        {"name": "guzzlehttp/guzzle", "version": "7.8.1"},
        {"name": "symfony/console", "version": "v6.4.3"},
        {"name": "psr/log", "version": "3.0.0"},
    ],
    "packages-dev": [{"name": "phpunit/phpunit", "version": "10.5.9"}],
    "platform": {"php": "^8.2"},
}


def test_require_and_require_dev_without_platform_packages() -> None:
    parsed = parse_composer_json(json.dumps(COMPOSER), "shop/composer.json")
    assert {(d.name, d.declared, d.scope) for d in parsed.dependencies} == {
        ("laravel/framework", "^11.0", "runtime"),
        ("guzzlehttp/guzzle", "^7.8", "runtime"),  # lower-cased, spaces trimmed
        ("symfony/console", "6.4.*", "runtime"),
        ("phpunit/phpunit", "^10.5", "dev"),
        ("mockery/mockery", "^1.6", "dev"),
    }
    assert all(d.ecosystem == "packagist" and d.manifest == "shop/composer.json" for d in parsed.dependencies)
    assert parsed.runtimes == [Runtime("php", "^8.2", evidence="shop/composer.json")]  # require's, not require-dev's
    assert parsed.warnings == []


def test_lock_fills_resolved_for_the_composer_json_beside_it(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "composer.json": json.dumps(COMPOSER),
            "composer.lock": json.dumps(LOCK),
            "tools/composer.json": json.dumps({"require-dev": {"friendsofphp/php-cs-fixer": "^3.48"}}),
            "vendor/laravel/framework/composer.json": json.dumps({"require": {"x/y": "1"}}),
        },
    )
    resolved = {(d.manifest, d.name): d.resolved for d in facts.dependencies}
    assert resolved == {
        ("composer.json", "laravel/framework"): "v11.0.7",
        ("composer.json", "guzzlehttp/guzzle"): "7.8.1",
        ("composer.json", "symfony/console"): "v6.4.3",
        ("composer.json", "phpunit/phpunit"): "10.5.9",
        ("composer.json", "mockery/mockery"): None,
        ("tools/composer.json", "friendsofphp/php-cs-fixer"): None,  # no lock in tools/
    }
    assert facts.warnings == []


def test_empty_sections_written_as_lists_are_fine() -> None:
    parsed = parse_composer_json('{"require": [], "require-dev": {}}', "composer.json")
    assert parsed.dependencies == [] and parsed.warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"require": ["laravel/framework"]}', "require: expected an object, found a list"),
        ('{"require": {"laravel/framework": 11}}', "require.laravel/framework: expected a version constraint"),
        ('{"require-dev": {"monolog": "^3"}}', "require-dev: 'monolog' is not a vendor/package name"),
    ],
)
def test_malformed_entries_are_warnings(text: str, problem: str) -> None:
    parsed = parse_composer_json(text, "composer.json")
    assert len(parsed.warnings) == 1 and parsed.warnings[0].startswith(problem)


@pytest.mark.parametrize(
    ("files", "path", "problem"),
    [
        ({"composer.json": "{"}, "composer.json", "not valid JSON"),
        ({"composer.json": "[]"}, "composer.json", "expected an object at the top, found a list"),
        ({"composer.json": b"\x00\x01\x02"}, "composer.json", "not readable as text"),
        ({"composer.json": '{"require": {"a/b": "1",}}'}, "composer.json", "not valid JSON"),
        ({"composer.json": "[" * 100_000 + "]" * 100_000}, "composer.json", "nested too deeply"),
        ({"composer.json": "{}", "composer.lock": '{"packages": {}}'}, "composer.lock", "packages: expected a list"),
        ({"composer.json": "{}", "composer.lock": '{"hash": 1}'}, "composer.lock", "not a composer.lock"),
    ],
)
def test_broken_files_are_warnings(tmp_path: Path, files: dict[str, str | bytes], path: str, problem: str) -> None:
    facts = detect_in(tmp_path, files)
    assert [w.path for w in facts.warnings] == [path]
    assert problem in facts.warnings[0].message


def test_utf16_composer_json_is_read(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"composer.json": '{"require": {"php": "8.3.*"}}'.encode("utf-16")})
    assert facts.runtimes == [Runtime("php", "8.3.*", "composer.json")]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["require", "require-dev", "php", "a/b", "ext-x", "packages"]), inner, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_JSON.map(json.dumps), st.text(max_size=200)))
def test_any_json_as_composer_files_raises_only_parse_error(text: str) -> None:
    try:
        parsed = parse_composer_json(text, "composer.json")
        assert all(d.name and "/" in d.name for d in parsed.dependencies)
    except ParseError:
        pass
    with contextlib.suppress(ParseError):
        parse_composer_lock(text)
