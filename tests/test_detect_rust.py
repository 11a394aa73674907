"""The Rust detector: Cargo.toml, workspaces, Cargo.lock, rust-version and rust-toolchain."""

from __future__ import annotations

import contextlib
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import rust
from collectors.detectors.parsing import ParseError
from collectors.detectors.rust import cargo_manifest, parse_cargo_lock, parse_cargo_toml, parse_toolchain
from collectors.facts import Facts, Runtime
from tests.gitrepo import detect_with

detect_in = partial(detect_with, rust.detect)


def deps_of(facts: Facts) -> set[tuple[str, str | None, str | None, str, str]]:
    return {(d.name, d.declared, d.resolved, d.scope, d.manifest) for d in facts.dependencies}


CRATE = """\
[package]
name = "api"
version = "0.3.0"
edition = "2021"
rust-version = "1.74"

[dependencies]
serde = { version = "1.0.195", features = ["derive"] }
tokio = { version = "1", features = ["full"] }
axum = "0.7.4"
json = { package = "serde_json", version = "^1.0" }
metrics = { version = "0.22", optional = true }
internal-proto = { path = "../proto", version = "0.1" }
tower = { git = "https://github.com/tower-rs/tower", tag = "tower-0.4.13" }
rand = "0.8.5"

[dev-dependencies]
proptest = "1.4"
rand = "0.7"

[build-dependencies]
prost-build = "0.12"

[target.'cfg(unix)'.dependencies]
nix = { version = "0.27", default-features = false }

[target.'cfg(windows)'.dev-dependencies]
windows-sys = "0.52"
"""


def test_crate_dependencies_by_table_and_scope() -> None:
    manifest = parse_cargo_toml(CRATE, "api/Cargo.toml")
    assert {(d.name, d.declared, d.scope) for d in manifest.dependencies} == {
        ("serde", "1.0.195", "runtime"),
        ("tokio", "1", "runtime"),
        ("axum", "0.7.4", "runtime"),
        ("serde_json", "^1.0", "runtime"),  # renamed in the manifest: the crate's real name
        ("metrics", "0.22", "optional"),
        ("tower", "git+https://github.com/tower-rs/tower@tower-0.4.13", "runtime"),
        ("rand", "0.8.5", "runtime"),
        ("proptest", "1.4", "dev"),
        ("rand", "0.7", "dev"),
        ("prost-build", "0.12", "build"),
        ("nix", "0.27", "runtime"),
        ("windows-sys", "0.52", "dev"),
    }  # internal-proto is a path dependency: this repository's own crate
    assert all(d.ecosystem == "cargo" and d.manifest == "api/Cargo.toml" for d in manifest.dependencies)
    assert manifest.runtimes == [Runtime("rust", "1.74", evidence="api/Cargo.toml")]
    assert manifest.package == "api"
    assert manifest.warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[dependencies]\nserde = 1", "dependencies.serde: expected a version string or a table, found a number"),
        ("[dependencies]\nserde = { version = 1 }", "dependencies.serde: version: expected a string"),
        ("[dependencies]\nx = { package = 5 }", "dependencies.x: package: expected a crate name"),
        ("dependencies = 'serde'", "dependencies: expected a table, found a string"),
        ("[target]\nunix = 3", "target.unix: expected a table, found a number"),
        ("[package]\nrust-version = 1.7", "package.rust-version: expected a version string"),
        ("[workspace]\nmembers = 'crates/*'", "workspace.members: expected an array of strings"),
        ("[dependencies]\nx = { workspace = true }", "dependencies.x: workspace = true, but no workspace root"),
    ],
)
def test_malformed_entries_are_warnings(tmp_path: Path, text: str, problem: str) -> None:
    facts = detect_in(tmp_path, {"Cargo.toml": text + '\n[dev-dependencies]\nok = "1"\n'})
    assert [(d.name, d.declared) for d in facts.dependencies] == [("ok", "1")]
    assert [w.path for w in facts.warnings] == ["Cargo.toml"]
    assert facts.warnings[0].message.startswith(problem), facts.warnings


def test_not_toml_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not valid TOML"):
        parse_cargo_toml("[dependencies\nserde = 1", "Cargo.toml")


WORKSPACE = {
    "Cargo.toml": """\
[workspace]
members = ["crates/*", "tools/cli"]
exclude = ["crates/experimental"]
resolver = "2"

[workspace.package]
rust-version = "1.75"

[workspace.dependencies]
serde = { version = "1.0", features = ["derive"] }
anyhow = "1.0.79"
core-lib = { path = "crates/core" }
rand = "0.8"
""",
    "crates/core/Cargo.toml": """\
[package]
name = "core-lib"
rust-version.workspace = true

[dependencies]
serde = { workspace = true, features = ["rc"] }
anyhow.workspace = true
rand = { workspace = true, optional = true }
""",
    "crates/web/Cargo.toml": """\
[package]
name = "web"

[dependencies]
core-lib = { workspace = true }
serde.workspace = true
rand = "0.7"

[dev-dependencies]
anyhow = { workspace = true }
""",
    "tools/cli/Cargo.toml": '[package]\nname = "cli"\nrust-version = "1.70"\n[dependencies]\nclap = "4.4"\n',
    "Cargo.lock": """\
version = 3

[[package]]
name = "anyhow"
version = "1.0.79"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "clap"
version = "4.4.18"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "core-lib"
version = "0.1.0"
dependencies = ["anyhow", "rand 0.8.5", "serde"]

[[package]]
name = "rand"
version = "0.7.3"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "rand"
version = "0.8.5"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "1.0.196"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "web"
version = "0.1.0"
dependencies = [
 "anyhow",
 "core-lib",
 "rand 0.7.3 (registry+https://github.com/rust-lang/crates.io-index)",
 "serde",
]

[[package]]
name = "cli"
version = "0.1.0"
dependencies = ["clap"]
""",
    "rust-toolchain.toml": '[toolchain]\nchannel = "1.76.0"\ncomponents = ["clippy"]\n',
}


def test_workspace_members_inherit_dependencies_and_the_lock_tells_versions_apart(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, WORKSPACE)
    assert deps_of(facts) == {
        ("serde", "1.0", "1.0.196", "runtime", "crates/core/Cargo.toml"),
        ("anyhow", "1.0.79", "1.0.79", "runtime", "crates/core/Cargo.toml"),
        ("rand", "0.8", "0.8.5", "optional", "crates/core/Cargo.toml"),
        ("serde", "1.0", "1.0.196", "runtime", "crates/web/Cargo.toml"),
        ("rand", "0.7", "0.7.3", "runtime", "crates/web/Cargo.toml"),  # two rands locked: the lock says which
        ("anyhow", "1.0.79", "1.0.79", "dev", "crates/web/Cargo.toml"),
        ("clap", "4.4", "4.4.18", "runtime", "tools/cli/Cargo.toml"),
    }  # core-lib from the workspace is a path: own code; [workspace.dependencies] alone is not reported
    assert set(facts.runtimes) == {
        Runtime("rust", "1.75", "crates/core/Cargo.toml"),  # rust-version.workspace = true
        Runtime("rust", "1.70", "tools/cli/Cargo.toml"),
        Runtime("rust", "1.76.0", "rust-toolchain.toml"),
    }
    assert facts.warnings == []


def test_excluded_member_does_not_inherit_from_the_workspace(tmp_path: Path) -> None:
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/exp"]\n'
        '[workspace.dependencies]\nserde = "1"\n',
        "crates/exp/Cargo.toml": '[package]\nname = "exp"\n[workspace]\n[dependencies]\nserde = { workspace = true }\n',
        "crates/ok/Cargo.toml": '[package]\nname = "ok"\n[dependencies]\nserde = { workspace = true }\n',
    }
    facts = detect_in(tmp_path, files)
    assert deps_of(facts) == {("serde", "1", None, "runtime", "crates/ok/Cargo.toml")}
    assert [(w.path, w.message) for w in facts.warnings] == [
        ("crates/exp/Cargo.toml", "dependencies.serde: workspace = true, but no workspace root declares serde")
    ]


def test_package_workspace_key_names_the_root(tmp_path: Path) -> None:
    files = {
        "ws/Cargo.toml": '[workspace]\nmembers = []\n[workspace.dependencies]\nlog = "0.4.20"\n',
        "other/crate/Cargo.toml": '[package]\nname = "c"\nworkspace = "../../ws"\n[dependencies]\nlog.workspace = true\n',
    }
    assert deps_of(detect_in(tmp_path, files)) == {("log", "0.4.20", None, "runtime", "other/crate/Cargo.toml")}


def test_lock_without_the_crate_resolves_only_unambiguous_versions() -> None:
    lock = parse_cargo_lock(
        '[[package]]\nname = "a"\nversion = "1.0.0"\n[[package]]\nname = "b"\nversion = "1.0.0"\n'
        '[[package]]\nname = "b"\nversion = "2.0.0"\n'
    )
    assert lock.resolved(None, "a") == "1.0.0"
    assert lock.resolved("not-in-lock", "b") is None
    assert lock.resolved(None, "missing") is None


@pytest.mark.parametrize(
    ("path", "text", "channel"),
    [
        ("rust-toolchain.toml", '[toolchain]\nchannel = "nightly-2024-01-15"\n', "nightly-2024-01-15"),
        ("rust-toolchain", "1.72.1\n", "1.72.1"),
        ("rust-toolchain", "stable", "stable"),
        ("rust-toolchain", '[toolchain]\nchannel = "beta"\n', "beta"),
    ],
)
def test_toolchain_channel_is_the_rust_runtime(path: str, text: str, channel: str) -> None:
    assert parse_toolchain(text, path) == Runtime("rust", channel, evidence=path)


@pytest.mark.parametrize(
    ("files", "path", "problem"),
    [
        ({"rust-toolchain.toml": '[toolchain]\ncomponents = ["x"]\n'}, "rust-toolchain.toml", "names no toolchain"),
        ({"rust-toolchain.toml": "[toolchain\n"}, "rust-toolchain.toml", "not valid TOML"),
        ({"Cargo.lock": "[[package]\n"}, "Cargo.lock", "not valid TOML"),
        ({"Cargo.lock": 'package = "x"\n'}, "Cargo.lock", "package: expected an array of tables"),
        ({"Cargo.toml": b"\x00\x00\x01binary"}, "Cargo.toml", "not readable as text"),
        ({"Cargo.toml": "[a]\nb = " + "[" * 5000 + "]" * 5000}, "Cargo.toml", "TOML"),
        ({"Cargo.toml": "[dependencies\n".encode("utf-16")}, "Cargo.toml", "not valid TOML"),
    ],
)
def test_broken_files_are_warnings(tmp_path: Path, files: dict[str, str | bytes], path: str, problem: str) -> None:
    facts = detect_in(tmp_path, {**files, "svc/Cargo.toml": '[dependencies]\nlog = "0.4"\n'})
    assert [(d.name, d.manifest) for d in facts.dependencies] == [("log", "svc/Cargo.toml")]
    assert [w.path for w in facts.warnings] == [path]
    assert problem in facts.warnings[0].message


def test_vendored_crates_are_not_ours(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "Cargo.toml": '[package]\nname = "x"\n[dependencies]\nlog = "0.4"\n',
            "vendor/log/Cargo.toml": '[package]\nname = "log"\n[dependencies]\ncfg-if = "1"\n',
        },
    )
    assert {d.name for d in facts.dependencies} == {"log"}


def test_utf16_manifest_with_bom_is_read(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"Cargo.toml": '[dependencies]\nregex = "1.10"\n'.encode("utf-16")})
    assert [(d.name, d.declared) for d in facts.dependencies] == [("regex", "1.10")]


# --- never an exception -------------------------------------------------------------------------

_TOML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_KEYS = st.sampled_from(
    ["package", "name", "rust-version", "workspace", "dependencies", "dev-dependencies", "build-dependencies",
     "target", "version", "path", "git", "tag", "package", "optional", "members", "exclude", "serde"]
)  # fmt: skip
_SHAPED = st.recursive(
    _TOML_VALUES, lambda inner: st.dictionaries(_KEYS, inner, max_size=5) | st.lists(inner, max_size=3), max_leaves=30
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _SHAPED, max_size=5))
def test_any_shape_of_cargo_toml_never_raises(data: dict) -> None:
    manifest = cargo_manifest(data, "Cargo.toml")
    assert all(isinstance(w, str) for w in manifest.warnings)
    assert all(isinstance(d.name, str) and d.name for d in manifest.dependencies)
    rust.resolve_workspace(manifest, manifest if manifest.is_workspace else None)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_as_cargo_lock_or_toolchain_raises_only_parse_error(text: str) -> None:
    for parse in (parse_cargo_lock, lambda t: parse_toolchain(t, "rust-toolchain")):
        with contextlib.suppress(ParseError):
            parse(text)
