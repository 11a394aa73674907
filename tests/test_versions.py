"""Versions and constraints in each ecosystem's own semantics: a table per question, then properties."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import nodesemver
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standards.versions import (
    EXPECTED,
    SCHEMES,
    ConstraintError,
    Version,
    behind,
    parse_constraint,
    parse_version,
    scheme_of,
)

if TYPE_CHECKING:
    from _pytest.mark import ParameterSet

#: Every ecosystem name the collectors write (collectors/detectors/*.py ECOSYSTEM constants).
from collectors.catalog import ECOSYSTEMS

WITH_GENERIC = (*ECOSYSTEMS, "generic")
#: One ecosystem per scheme, for the tests that run in every scheme.
ONE_PER_SCHEME = {
    "pep440": "pypi",
    "npm": "npm",
    "cargo": "cargo",
    "composer": "packagist",
    "gem": "rubygems",
    "maven": "maven",
    "nuget": "nuget",
    "semver": "go",
    "terraform": "terraform",
    "loose": "generic",
}


def p(*values: object, id: str) -> ParameterSet:
    """A table row with its name, so a failure names the case."""
    return pytest.param(*values, id=id)


# --- parse_version: exact versions, ranges read as their lowest version, junk as None ------------

PARSE = [
    # pep440
    p("pypi", "3.11.4", (3, 11, 4), None, id="pypi-exact"),
    p("pypi", ">=3.2,<4", (3, 2), None, id="pypi-range-lowest"),
    p("pypi", "~=3.2", (3, 2), None, id="pypi-compatible-release"),
    p("pypi", "==3.*", (3,), None, id="pypi-wildcard"),
    p("pypi", "<4", None, None, id="pypi-no-lower-bound"),
    p("pypi", "2.0rc1", (2, 0), ("rc", 1), id="pypi-pre-release"),
    p("pypi", "2.0.dev3", (2, 0), ("dev", 3), id="pypi-dev-release-is-pre"),
    p("pypi", "2.0.post1", (2, 0), None, id="pypi-post-release-is-final"),
    p("pypi", "^1.2.3", (1, 2, 3), None, id="pypi-poetry-caret"),
    p("pypi", "~1.2", (1, 2), None, id="pypi-poetry-tilde"),
    p("pypi", "*", None, None, id="pypi-star"),
    # npm
    p("npm", "18.2.0", (18, 2, 0), None, id="npm-exact"),
    p("npm", "^18.2.0", (18, 2, 0), None, id="npm-caret"),
    p("npm", "~1.4", (1, 4, 0), None, id="npm-tilde-partial"),
    p("npm", "^18", (18, 0, 0), None, id="npm-caret-major"),
    p("npm", "1.x", (1, 0, 0), None, id="npm-x-range"),
    p("npm", ">=1.2.3 <2", (1, 2, 3), None, id="npm-and"),
    p("npm", "^2 || ^1.5", (1, 5, 0), None, id="npm-union-lowest-alternative"),
    p("npm", "1.2 - 2.3", (1, 2, 0), None, id="npm-hyphen"),
    p("npm", "v1.2.3", (1, 2, 3), None, id="npm-v-prefix"),
    p("npm", "1.2.3-beta.1", (1, 2, 3), ("beta", 1), id="npm-pre-release"),
    p("npm", "1.2.3+build.7", (1, 2, 3), None, id="npm-build-metadata"),
    p("npm", "workspace:^1.2.0", (1, 2, 0), None, id="npm-workspace-protocol"),
    p("npm", "npm:@scope/other@^2.1", (2, 1, 0), None, id="npm-alias"),
    p("npm", "<2", None, None, id="npm-no-lower-bound"),
    p("npm", "*", None, None, id="npm-star"),
    p("npm", "latest", None, None, id="npm-dist-tag"),
    p("npm", "git+https://github.com/a/b.git#v1.2.3", None, None, id="npm-git-url"),
    p("npm", "file:../lib", None, None, id="npm-path"),
    p("npm", "1.2.3.4", None, None, id="npm-four-parts-junk"),
    # cargo
    p("cargo", "1.2", (1, 2, 0), None, id="cargo-bare-is-caret"),
    p("cargo", "=1.2.3", (1, 2, 3), None, id="cargo-exact"),
    p("cargo", ">=1.2, <1.5", (1, 2, 0), None, id="cargo-and"),
    p("cargo", "0.3.0-alpha.1", (0, 3, 0), ("alpha", 1), id="cargo-pre-release"),
    # composer
    p("packagist", "^8.1", (8, 1), None, id="composer-caret"),
    p("packagist", "~1.2.3", (1, 2, 3), None, id="composer-tilde"),
    p("packagist", "1.2.*", (1, 2), None, id="composer-wildcard"),
    p("packagist", "^7.4 || ^8.0", (7, 4), None, id="composer-or"),
    p("packagist", "v2.0.0", (2, 0, 0), None, id="composer-v-prefix"),
    p("packagist", "1.0.0-RC2", (1, 0, 0), ("rc", 2), id="composer-rc"),
    p("packagist", "2.0.0-dev", (2, 0, 0), ("dev",), id="composer-dev"),
    p("packagist", "1.0.x-dev", (1, 0), None, id="composer-branch-alias-read-loosely"),
    p("packagist", "dev-main", None, None, id="composer-branch"),
    p("packagist", "*", None, None, id="composer-star"),
    # gem
    p("rubygems", "7.1.3", (7, 1, 3), None, id="gem-exact"),
    p("rubygems", "~> 7.1", (7, 1), None, id="gem-pessimistic"),
    p("rubygems", ">= 1.0, < 2", (1, 0), None, id="gem-and"),
    p("rubygems", "7.1.0.rc1", (7, 1, 0), ("rc", 1), id="gem-pre-release"),
    p("rubygems", "1.0.0-beta2", (1, 0, 0), ("pre", "beta", 2), id="gem-hyphen-means-pre"),
    p("rubygems", "< 2", None, None, id="gem-no-lower-bound"),
    # maven
    p("maven", "3.2.0", (3, 2, 0), None, id="maven-exact"),
    p("maven", "3.2.0.RELEASE", (3, 2, 0), None, id="maven-release-qualifier-is-final"),
    p("maven", "1.0-SNAPSHOT", (1, 0), ("snapshot",), id="maven-snapshot-is-pre"),
    p("maven", "6.0.0-M1", (6, 0, 0), ("milestone", 1), id="maven-milestone"),
    p("maven", "2.0.0-RC1-SNAPSHOT", (2, 0, 0), ("rc", 1, "snapshot"), id="maven-rc-snapshot"),
    p("maven", "5.6.15.Final", (5, 6, 15), None, id="maven-final"),
    p("maven", "1.0-sp1", (1, 0), None, id="maven-service-pack-is-after-final"),
    p("maven", "[1.0,2.0)", (1, 0), None, id="maven-range-lowest"),
    p("maven", "(,2.0]", None, None, id="maven-no-lower-bound"),
    p("maven", "[1,2),[3,4)", (1,), None, id="maven-union"),
    p("gradle-plugin", "1.+", (1,), None, id="gradle-dynamic"),
    p("maven", "${spring.version}", None, None, id="maven-property"),
    p("maven", "LATEST", None, None, id="maven-meta-version"),
    p("sbt-plugin", "latest.release", None, None, id="gradle-latest-release"),
    # nuget
    p("nuget", "6.0.0", (6, 0, 0), None, id="nuget-exact"),
    p("nuget", "1.2.3.4", (1, 2, 3, 4), None, id="nuget-four-parts"),
    p("nuget", "[1.0,2.0)", (1, 0), None, id="nuget-range"),
    p("nuget", "6.*", (6,), None, id="nuget-floating"),
    p("nuget", "8.0.0-preview.7", (8, 0, 0), ("preview", 7), id="nuget-pre-release"),
    p("nuget", "$(AspNetVersion)", None, None, id="nuget-msbuild-property"),
    # semver: go, helm
    p("go", "v1.22.3", (1, 22, 3), None, id="go-module"),
    p("go", "v2.0.0+incompatible", (2, 0, 0), None, id="go-incompatible"),
    p("go", "v0.0.0-20230101120000-abcdef123456", (0, 0, 0), ("20230101120000-abcdef123456",), id="go-pseudo"),
    p("helm", "~1.2.3", (1, 2, 3), None, id="helm-tilde"),
    p("helm", ">= 1.2, < 2", (1, 2, 0), None, id="helm-comma-and"),
    # terraform
    p("terraform", "~> 5.0", (5, 0), None, id="terraform-pessimistic"),
    p("terraform", ">= 4.0, < 6.0", (4, 0), None, id="terraform-and"),
    p("terraform", "1.6.0-beta1", (1, 6, 0), ("beta1",), id="terraform-pre-release"),
    p("terraform", "v1.2.3", (1, 2, 3), None, id="terraform-v-prefix"),
    # loose: runtimes, docker tags
    p("generic", "3.11-slim", (3, 11), None, id="docker-slim"),
    p("generic", "20-alpine", (20,), None, id="docker-alpine"),
    p("generic", "17-jdk", (17,), None, id="docker-jdk"),
    p("generic", "openjdk:17-jdk", (17,), None, id="docker-image-and-tag"),
    p("generic", "3.12.1-bookworm", (3, 12, 1), None, id="docker-bookworm-is-not-beta"),
    p("generic", "3.13.0rc1", (3, 13, 0), ("rc", 1), id="loose-rc"),
    p("generic", "3.13-rc-slim", (3, 13), ("rc",), id="docker-rc-tag"),
    p("generic", "21-ea", (21,), ("ea",), id="loose-early-access"),
    p("generic", "v20.11.1", (20, 11, 1), None, id="loose-v"),
    p("generic", "go1.22", (1, 22), None, id="loose-go-prefix"),
    p("generic", "net8.0", (8, 0), None, id="loose-dotnet-tfm"),
    p("generic", ">=3.11", (3, 11), None, id="loose-range"),
    p("generic", "^3.11", (3, 11), None, id="loose-poetry-python"),
    p("generic", "~> 3.2", (3, 2), None, id="loose-gem-style-ruby"),
    p("generic", "^7.4|^8.0", (7, 4), None, id="loose-composer-style-php"),
    p("python", "3.x", (3,), None, id="runtime-name-as-ecosystem-is-loose"),
    p("generic", "alpine3.19", None, None, id="loose-other-name-glued-to-digits"),
    p("generic", "lts", None, None, id="loose-lts"),
    p("generic", "lts/hydrogen", None, None, id="loose-nvm-lts"),
    p("generic", "latest", None, None, id="loose-latest"),
    p("generic", "stable", None, None, id="loose-stable"),
    p("generic", "bookworm", None, None, id="loose-codename"),
    p("generic", "${PYTHON_VERSION}", None, None, id="loose-variable"),
    p("generic", "{{ .Values.tag }}", None, None, id="loose-template"),
    p("generic", "", None, None, id="loose-empty"),
    p("generic", "   ", None, None, id="loose-blank"),
]


@pytest.mark.parametrize(("ecosystem", "text", "release", "pre"), PARSE)
def test_parse_version_reads_the_version_or_the_lowest_a_range_allows(ecosystem, text, release, pre) -> None:
    found = parse_version(text, ecosystem)
    if release is None:
        assert found is None
        return
    assert found is not None
    assert (found.release, found.pre) == (release, pre)
    assert found.text == text.strip()
    assert found.scheme == scheme_of(ecosystem)


@pytest.mark.parametrize("ecosystem", WITH_GENERIC)
@pytest.mark.parametrize("text", [None, "", "latest", "${version}", "*"])
def test_a_missing_version_is_none_in_every_ecosystem(ecosystem, text) -> None:
    assert parse_version(text, ecosystem) is None


def test_version_parts_default_to_zero() -> None:
    v = parse_version("20-alpine")
    assert v is not None
    assert (v.major, v.minor, v.patch) == (20, 0, 0)
    v = parse_version("1.22.3", "go")
    assert v is not None
    assert (v.major, v.minor, v.patch) == (1, 22, 3)


# --- ordering inside each scheme --------------------------------------------------------------

ORDER = [
    p("pypi", ["1.0.dev1", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0.post1", "1.1", "1.10"], id="pep440"),
    p(
        "npm",
        [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.10.0",
        ],
        id="npm-semver-spec-order",
    ),
    p("go", ["v0.0.0-20230101120000-abcdef123456", "v0.1.0", "v1.2.4-0.20230101120000-abcdef", "v1.2.4"], id="go"),
    p(
        "packagist",
        ["1.0.0-dev", "1.0.0-alpha1", "1.0.0-beta2", "1.0.0-RC1", "1.0.0", "1.0.0-patch1", "1.0.1"],
        id="composer",
    ),
    p("rubygems", ["1.0.a", "1.0.b1", "1.0.rc1", "1.0.rc1.1", "1.0", "1.0.1", "1.1"], id="gem"),
    p("nuget", ["1.0.0-alpha", "1.0.0-Beta", "1.0.0-rc.1", "1.0.0", "1.0.0.1", "1.0.1"], id="nuget"),
    p("terraform", ["1.6.0-beta1", "1.6.0", "1.6.1", "1.10.0"], id="terraform"),
    p("generic", ["3.9", "3.11.0a1", "3.11.0rc1", "3.11", "3.11.4-slim", "3.12"], id="loose"),
    # Maven's own ComparableVersionTest lists: qualifiers, then numbers
    p(
        "maven",
        [
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ],
        id="maven-qualifiers",
    ),
    p(
        "maven",
        [
            "2.0",
            "2.0.a",
            "2-1",
            "2.0.2",
            "2.0.123",
            "2.1.0",
            "2.1-a",
            "2.1b",
            "2.1-c",
            "2.1-1",
            "2.1.0.1",
            "2.2",
            "2.123",
            "11.a2",
            "11.a11",
            "11.b2",
            "11.b11",
            "11.m2",
            "11.m11",
            "11",
            "11.a",
            "11b",
            "11c",
            "11m",
        ],
        id="maven-numbers",
    ),
]


@pytest.mark.parametrize(("ecosystem", "ascending"), ORDER)
def test_versions_sort_in_their_ecosystems_order(ecosystem, ascending) -> None:
    parsed = [parse_version(t, ecosystem) for t in ascending]
    assert None not in parsed
    for low, high in itertools.pairwise(parsed):
        assert low < high, (low.text, high.text)
    assert [v.text for v in sorted(reversed(parsed))] == ascending


EQUAL = [
    p("maven", "3.2.0.RELEASE", "3.2.0", id="maven-release"),
    p("maven", "3.2", "3.2.0", id="maven-trailing-zero"),
    p("maven", "1.0.Final", "1-ga", id="maven-final-ga"),
    p("maven", "1-a1", "1-alpha-1", id="maven-a-alias"),
    p("maven", "1cr", "1rc", id="maven-cr-alias"),
    p("maven", "1m3", "1milestone3", id="maven-m-alias"),
    p("nuget", "1.0", "1.0.0.0", id="nuget-padding"),
    p("nuget", "1.0.0-BETA", "1.0.0-beta", id="nuget-case-insensitive-pre"),
    p("rubygems", "1.0", "1", id="gem-padding"),
    p("rubygems", "1.0.0-rc1", "1.0.0.pre.rc1", id="gem-hyphen"),
    p("packagist", "1.2", "1.2.0.0", id="composer-padding"),
    p("terraform", "1.6", "1.6.0", id="terraform-padding"),
    p("go", "v1.2.3+incompatible", "v1.2.3", id="semver-build-ignored"),
    p("generic", "3.11-slim", "3.11.0", id="loose-variant-ignored"),
    p("pypi", "1.0", "1.0.0", id="pep440-padding"),
]


@pytest.mark.parametrize(("ecosystem", "a", "b"), EQUAL)
def test_equal_versions_written_differently(ecosystem, a, b) -> None:
    va, vb = parse_version(a, ecosystem), parse_version(b, ecosystem)
    assert va is not None and vb is not None
    assert va == vb
    assert hash(va) == hash(vb)
    assert not va < vb and not vb < va


def test_a_hand_built_version_orders_by_release_then_pre() -> None:
    assert Version((3, 2, 1), ("rc", 1), "3.2.1-rc.1") < Version((3, 2, 1), None, "3.2.1")
    assert Version((1, 0), None, "1.0") == Version((1,), None, "1")
    assert Version((1, 10), None, "1.10") > Version((1, 9, 9), None, "1.9.9")


# --- allows(): truth tables per scheme --------------------------------------------------------

ALLOWS = [
    # pep440
    p("pypi", ">=3.11", "3.11", True, id="pep440-ge-equal"),
    p("pypi", ">=3.11", "3.10.9", False, id="pep440-ge-below"),
    p("pypi", ">=3.11", "3.12rc1", False, id="pep440-pre-excluded-unless-named"),
    p("pypi", ">=3.12rc1", "3.13b1", True, id="pep440-pre-allowed-when-named"),
    p("pypi", "~=3.2", "3.9", True, id="pep440-compatible-minor"),
    p("pypi", "~=3.2", "4.0", False, id="pep440-compatible-next-major"),
    p("pypi", "~=3.2.0", "3.3", False, id="pep440-compatible-patch"),
    p("pypi", "==3.*", "3.99", True, id="pep440-wildcard-in"),
    p("pypi", "==3.*", "4.0", False, id="pep440-wildcard-out"),
    p("pypi", "!=3.0", "3.0.0", False, id="pep440-not-equal-padded"),
    p("pypi", ">=3.2,<4", "3.5", True, id="pep440-and-in"),
    p("pypi", ">=3.2,<4", "4.0", False, id="pep440-and-upper"),
    p("pypi", ">=3.11", "3.11.0.post1", True, id="pep440-post-release"),
    # npm
    p("npm", "^18", "18.2.0", True, id="npm-caret-in"),
    p("npm", "^18", "19.0.0", False, id="npm-caret-next-major"),
    p("npm", "^18", "17.9.9", False, id="npm-caret-below"),
    p("npm", "^0.2.3", "0.2.9", True, id="npm-caret-zero-major-patch-grows"),
    p("npm", "^0.2.3", "0.3.0", False, id="npm-caret-zero-major-minor-fixed"),
    p("npm", "^0.0.3", "0.0.3", True, id="npm-caret-zero-minor-exact"),
    p("npm", "^0.0.3", "0.0.4", False, id="npm-caret-zero-minor-patch-fixed"),
    p("npm", "~1", "1.9.9", True, id="npm-tilde-major-in"),
    p("npm", "~1", "2.0.0", False, id="npm-tilde-major-out"),
    p("npm", "~1.2", "1.2.9", True, id="npm-tilde-minor-in"),
    p("npm", "~1.2", "1.3.0", False, id="npm-tilde-minor-out"),
    p("npm", "1.2 - 2.3", "2.3.9", True, id="npm-hyphen-partial-upper-in"),
    p("npm", "1.2 - 2.3", "2.4.0", False, id="npm-hyphen-partial-upper-out"),
    p("npm", "1.2.3 - 2.3.4", "2.3.5", False, id="npm-hyphen-full-upper"),
    p("npm", "1.x", "1.99.0", True, id="npm-x-in"),
    p("npm", "1.x", "2.0.0", False, id="npm-x-out"),
    p("npm", "*", "0.0.1", True, id="npm-star"),
    p("npm", ">=1 <2", "1.5.0", True, id="npm-space-and-in"),
    p("npm", ">=1 <2", "2.0.0", False, id="npm-space-and-out"),
    p("npm", "^1.2.3 || ^3", "2.0.0", False, id="npm-or-gap"),
    p("npm", "^1.2.3 || ^3", "3.1.0", True, id="npm-or-second"),
    p("npm", "^1", "v1.2.3", True, id="npm-v-version"),
    p("npm", "*", "1.0.0-rc.1", False, id="npm-star-excludes-pre"),
    p("npm", "^18", "18.3.0-rc.1", False, id="npm-pre-not-named"),
    p("npm", ">=1.2.3-beta.1 <2", "1.2.3-beta.2", True, id="npm-pre-same-tuple"),
    p("npm", ">=1.2.3-beta.1 <2", "1.2.4-beta.1", False, id="npm-pre-other-tuple"),
    p("npm", ">=1.2.3-beta.1 <2", "1.2.3", True, id="npm-final-above-pre-bound"),
    p("npm", "^1.2.3-beta.2", "1.2.3-beta.1", False, id="npm-pre-below-bound"),
    # cargo
    p("cargo", "1.2", "1.9.0", True, id="cargo-bare-caret-in"),
    p("cargo", "1.2", "2.0.0", False, id="cargo-bare-caret-out"),
    p("cargo", "1.2", "1.1.9", False, id="cargo-bare-caret-below"),
    p("cargo", "0.2", "0.3.0", False, id="cargo-zero-major"),
    p("cargo", "0.0.3", "0.0.4", False, id="cargo-zero-minor"),
    p("cargo", "=1.2.3", "1.2.4", False, id="cargo-exact"),
    p("cargo", "~1.2", "1.3.0", False, id="cargo-tilde"),
    p("cargo", ">=1.2, <1.5", "1.4.9", True, id="cargo-comma-and-in"),
    p("cargo", ">=1.2, <1.5", "1.5.0", False, id="cargo-comma-and-out"),
    p("cargo", "1.*", "1.5.0", True, id="cargo-wildcard"),
    p("cargo", "*", "3.0.0", True, id="cargo-star"),
    p("cargo", "1.2.3-alpha", "1.2.3-alpha.2", True, id="cargo-pre-same-tuple"),
    p("cargo", "1.2", "1.3.0-beta", False, id="cargo-pre-not-named"),
    # composer
    p("packagist", "^8.1", "8.3.0", True, id="composer-caret-in"),
    p("packagist", "^8.1", "9.0", False, id="composer-caret-out"),
    p("packagist", "^8.1", "8.0.30", False, id="composer-caret-below"),
    p("packagist", "^0.3", "0.4.0", False, id="composer-caret-zero-major"),
    p("packagist", "^0.0.3", "0.0.4", False, id="composer-caret-zero-minor"),
    p("packagist", "~1.2", "1.9", True, id="composer-tilde-two-parts-in"),
    p("packagist", "~1.2", "2.0", False, id="composer-tilde-two-parts-out"),
    p("packagist", "~1.2.3", "1.2.9", True, id="composer-tilde-three-parts-in"),
    p("packagist", "~1.2.3", "1.3.0", False, id="composer-tilde-three-parts-out"),
    p("packagist", "~1", "1.9", True, id="composer-tilde-one-part"),
    p("packagist", "1.2.*", "1.2.99", True, id="composer-wildcard-in"),
    p("packagist", "1.2.*", "1.3.0", False, id="composer-wildcard-out"),
    p("packagist", ">=1.0 <2.0", "1.5", True, id="composer-space-and"),
    p("packagist", ">=1.0,<2.0", "2.0", False, id="composer-comma-and"),
    p("packagist", "^7.4 || ^8.0", "8.2", True, id="composer-or-double-pipe"),
    p("packagist", "^7.4 || ^8.0", "7.3", False, id="composer-or-gap"),
    p("packagist", "^7.4|^8.0", "7.4.1", True, id="composer-or-single-pipe"),
    p("packagist", "*", "1.0", True, id="composer-star"),
    p("packagist", "1.0 - 2.0", "2.0.9", True, id="composer-hyphen-partial-upper-in"),
    p("packagist", "1.0 - 2.0", "2.1.0", False, id="composer-hyphen-partial-upper-out"),
    p("packagist", "1.0.0 - 2.1.0", "2.1.0", True, id="composer-hyphen-full-upper-inclusive"),
    p("packagist", "1.2.3", "1.2.3.0", True, id="composer-exact"),
    p("packagist", "1.2.3", "1.2.4", False, id="composer-exact-other"),
    p("packagist", "!=1.5", "1.5.0", False, id="composer-not-equal"),
    p("packagist", ">=1.0", "1.0.0-RC1", True, id="composer-ge-starts-at-dev"),
    p("packagist", "<2.0", "2.0.0-beta1", False, id="composer-lt-stops-before-dev"),
    p("packagist", "^1.2@dev", "1.3.0", True, id="composer-stability-flag"),
    # gem
    p("rubygems", "~> 7.1", "7.9", True, id="gem-pessimistic-two-parts-in"),
    p("rubygems", "~> 7.1", "8.0", False, id="gem-pessimistic-two-parts-out"),
    p("rubygems", "~> 7.1", "7.0.9", False, id="gem-pessimistic-below"),
    p("rubygems", "~> 7.1.2", "7.1.9", True, id="gem-pessimistic-three-parts-in"),
    p("rubygems", "~> 7.1.2", "7.2.0", False, id="gem-pessimistic-three-parts-out"),
    p("rubygems", "~> 1", "1.9", True, id="gem-pessimistic-one-part-in"),
    p("rubygems", "~> 1", "2.0", False, id="gem-pessimistic-one-part-out"),
    p("rubygems", ">= 3.2, < 4", "3.9.9", True, id="gem-and-in"),
    p("rubygems", ">= 3.2, < 4", "4.0", False, id="gem-and-out"),
    p("rubygems", "!= 3.0.1", "3.0.1", False, id="gem-not-equal"),
    p("rubygems", "= 3.0", "3.0.0", True, id="gem-equal-padded"),
    p("rubygems", "3.2.0", "3.2.1", False, id="gem-bare-is-exact"),
    p("rubygems", "~> 7.1", "8.0.0.rc1", False, id="gem-pessimistic-compares-release-of-pre"),
    p("rubygems", "~> 7.1", "7.2.0.rc1", True, id="gem-pre-inside-range"),
    p("rubygems", ">= 7.1", "7.1.0.rc1", False, id="gem-pre-below-its-release"),
    p("rubygems", "~> 7.1.0.rc1", "7.1.0.rc2", True, id="gem-pessimistic-from-pre"),
    # maven
    p("maven", "[1.0,2.0)", "1.0", True, id="maven-closed-lower"),
    p("maven", "[1.0,2.0)", "2.0", False, id="maven-open-upper"),
    p("maven", "(1.0,2.0]", "1.0", False, id="maven-open-lower"),
    p("maven", "(1.0,2.0]", "2.0", True, id="maven-closed-upper"),
    p("maven", "(,2.0]", "0.1", True, id="maven-unbounded-below"),
    p("maven", "[1.5,)", "99", True, id="maven-unbounded-above"),
    p("maven", "[1.5,)", "1.4.9", False, id="maven-unbounded-above-below"),
    p("maven", "[1,2),[3,4)", "2.5", False, id="maven-union-gap"),
    p("maven", "[1,2),[3,4)", "3.5", True, id="maven-union-second"),
    p("maven", "[1.5]", "1.5.0", True, id="maven-exact-padded"),
    p("maven", "[1.5]", "1.5.1", False, id="maven-exact-other"),
    p("maven", "1.5", "2.0", True, id="maven-soft-requirement-above"),
    p("maven", "1.5", "1.4", False, id="maven-soft-requirement-below"),
    p("maven", ">=3.2", "3.3.0", True, id="maven-comparator-form"),
    p("maven", ">=3.2, <4", "3.1.9", False, id="maven-comparator-form-below"),
    p("maven", "[3.2,)", "3.2.0.RELEASE", True, id="maven-release-qualifier"),
    p("maven", "[3.2,)", "3.2.0-SNAPSHOT", False, id="maven-snapshot-below-release"),
    p("maven", "[3.2,)", "3.2.0-RC1", False, id="maven-rc-below-release"),
    p("maven", "[3.2,)", "3.2.0-sp1", True, id="maven-sp-above-release"),
    p("maven", "[1.0,2.0)", "2.0-SNAPSHOT", True, id="maven-upper-bound-admits-its-pre-releases"),
    p("gradle-plugin", "1.+", "1.9", True, id="gradle-dynamic-in"),
    p("gradle-plugin", "1.+", "2.0", False, id="gradle-dynamic-out"),
    p("sbt-plugin", "]1.0,2.0[", "1.0", False, id="gradle-reverse-bracket-exclusive"),
    p("sbt-plugin", "]1.0,2.0[", "1.5", True, id="gradle-reverse-bracket-in"),
    # nuget
    p("nuget", "[1.0,2.0)", "1.0.0", True, id="nuget-closed-lower"),
    p("nuget", "[1.0,2.0)", "2.0", False, id="nuget-open-upper"),
    p("nuget", "(,2.0]", "2.0", True, id="nuget-closed-upper"),
    p("nuget", "(1.0,)", "1.0", False, id="nuget-open-lower"),
    p("nuget", "6.0.0", "6.1.0", True, id="nuget-bare-is-minimum"),
    p("nuget", "6.0.0", "5.9", False, id="nuget-bare-below"),
    p("nuget", "[1.0.0.0]", "1.0", True, id="nuget-exact-padded"),
    p("nuget", "6.*", "6.9.1", True, id="nuget-floating-in"),
    p("nuget", "6.*", "7.0.0", False, id="nuget-floating-out"),
    p("nuget", "6.*", "6.1.0-beta", False, id="nuget-floating-stable-only"),
    p("nuget", "6.0.0-*", "6.0.0-beta", True, id="nuget-floating-pre"),
    p("nuget", "[1.0.0-beta,)", "1.0.0-BETA.2", True, id="nuget-pre-case-insensitive"),
    p("nuget", ">=6.0", "6.0.1", True, id="nuget-comparator-form"),
    # semver: go, helm
    p("go", ">=1.21", "v1.21.3", True, id="go-ge-in"),
    p("go", ">=1.21", "v1.20.0", False, id="go-ge-below"),
    p("go", "^1.2", "v1.9.0", True, id="go-caret"),
    p("go", ">= 1.2, < 2", "v1.5.0", True, id="go-comma-and"),
    p("go", "!=1.2.3", "v1.2.3", False, id="go-not-equal"),
    p("go", ">=1.0.0", "v1.0.1-0.20230101120000-abcdef", False, id="go-pseudo-version-is-pre"),
    p("go", ">=0.0.0-0", "v0.0.0-20230101120000-abcdef", True, id="go-pseudo-version-named"),
    p("helm", "~1.2.3", "1.2.9", True, id="helm-tilde-in"),
    p("helm", "~1.2.3", "1.3.0", False, id="helm-tilde-out"),
    p("helm", "1.x", "1.5.0", True, id="helm-x"),
    p("helm", "^0.2.3", "0.3.0", False, id="helm-caret-zero"),
    p("helm", "^1 || ^2", "2.1.0", True, id="helm-or"),
    p("helm", ">= 1.2, != 1.4.0", "1.4.0", False, id="helm-and-not-equal"),
    # terraform
    p("terraform", "~> 1.6", "1.9.0", True, id="terraform-pessimistic-minor-in"),
    p("terraform", "~> 1.6", "2.0.0", False, id="terraform-pessimistic-minor-out"),
    p("terraform", "~> 1.6", "1.5.9", False, id="terraform-pessimistic-below"),
    p("terraform", "~> 1.6.0", "1.6.9", True, id="terraform-pessimistic-patch-in"),
    p("terraform", "~> 1.6.0", "1.7.0", False, id="terraform-pessimistic-patch-out"),
    p("terraform", "~> 1", "5.0.0", True, id="terraform-pessimistic-one-part-unbounded"),
    p("terraform", ">= 1.5, < 2.0", "1.9.9", True, id="terraform-and"),
    p("terraform", "!= 1.6.2", "1.6.2", False, id="terraform-not-equal"),
    p("terraform", "= 1.6.2", "1.6.2", True, id="terraform-equal"),
    p("terraform", "1.6.2", "1.6.3", False, id="terraform-bare-is-exact"),
    p("terraform", "<= 1.6", "1.6.0", True, id="terraform-le-padded"),
    p("terraform", ">= 1.5", "v1.6.0", True, id="terraform-v-version"),
    p("terraform", ">= 1.5", "1.6.0-beta1", False, id="terraform-pre-only-when-named"),
    p("terraform", "= 1.6.0-beta1", "1.6.0-beta1", True, id="terraform-pre-exact"),
    p("terraform", "~> 1.6", "1.7.0-rc1", False, id="terraform-pessimistic-excludes-pre"),
    p("terraform", "~> 1.6.0-beta1", "1.6.0", False, id="terraform-pessimistic-pre-excludes-final"),
    # loose
    p("generic", ">=3.11", "3.12", True, id="loose-ge"),
    p("generic", ">=3.11", "3.10", False, id="loose-ge-below"),
    p("generic", ">=3.11", "3.9", False, id="loose-numeric-not-lexical"),
    p("generic", ">=20", "20-alpine", True, id="loose-docker-tag"),
    p("generic", ">=17", "openjdk:17-jdk", True, id="loose-image-and-tag"),
    p("generic", ">20", "20.0.1", True, id="loose-gt-padded"),
    p("generic", "<=3.11", "3.11.4", False, id="loose-le-padded"),
    p("generic", "^18", "18.19.1", True, id="loose-caret-in"),
    p("generic", "^18", "20", False, id="loose-caret-out"),
    p("generic", "^0.2.3", "0.3", False, id="loose-caret-zero-major"),
    p("generic", "^0.0.3", "0.0.4", False, id="loose-caret-zero-minor"),
    p("generic", "~1.2", "1.2.9", True, id="loose-tilde-in"),
    p("generic", "~1.2", "1.3", False, id="loose-tilde-out"),
    p("generic", "~1", "1.9", True, id="loose-tilde-major-in"),
    p("generic", "~1", "2", False, id="loose-tilde-major-out"),
    p("generic", "3.x", "3.12.1", True, id="loose-x-in"),
    p("generic", "3.*", "4.0", False, id="loose-star-out"),
    p("generic", "3.11", "3.11.4", True, id="loose-bare-is-prefix"),
    p("generic", "3.11", "3.12", False, id="loose-bare-prefix-out"),
    p("generic", "==3.11", "3.11.9", True, id="loose-equal-is-prefix"),
    p("generic", "!=3.11", "3.11.2", False, id="loose-not-equal-prefix"),
    p("generic", "!=3.11", "3.12", True, id="loose-not-equal-other"),
    p("generic", ">=3.11,<4", "3.13", True, id="loose-comma-and"),
    p("generic", ">=3.11 <4", "4.0", False, id="loose-space-and"),
    p("generic", "^7.4 || ^8.0", "8.3", True, id="loose-or"),
    p("generic", "^7.4 || ^8.0", "7.3", False, id="loose-or-gap"),
    p("generic", "~> 3.2", "3.9", True, id="loose-pessimistic-in"),
    p("generic", "~> 3.2", "4.0", False, id="loose-pessimistic-out"),
    p("generic", "~=3.11", "3.12", True, id="loose-compatible"),
    p("generic", "1.2 - 2.3", "2.3.5", True, id="loose-hyphen-upper-is-a-prefix"),
    p("generic", "1.2 - 2.3", "2.4", False, id="loose-hyphen-above"),
    p("generic", "*", "1", True, id="loose-star"),
    p("generic", ">=3.11", "3.13.0rc1", True, id="loose-pre-by-order-above"),
    p("generic", ">=3.13", "3.13.0rc1", False, id="loose-pre-by-order-below"),
    p("generic", "3.12", "3.13.0rc1", False, id="loose-prefix-excludes-next-pre"),
]


@pytest.mark.parametrize(("ecosystem", "constraint", "version", "expected"), ALLOWS)
def test_allows_follows_the_ecosystems_rules(ecosystem, constraint, version, expected) -> None:
    c = parse_constraint(constraint, ecosystem)
    assert c.allows(version) is expected
    parsed = parse_version(version, ecosystem)
    assert parsed is not None
    assert c.allows(parsed) is expected


@pytest.mark.parametrize("ecosystem", WITH_GENERIC)
@pytest.mark.parametrize("version", [None, "", "latest", "${x.version}", "lts"])
def test_allows_is_none_for_a_missing_version_in_every_ecosystem(ecosystem, version) -> None:
    constraint = ">=1.0" if SCHEMES.get(ecosystem) not in ("maven", "nuget") else "[1.0,)"
    assert parse_constraint(constraint, ecosystem).allows(version) is None


def test_a_version_of_another_scheme_is_read_again_in_the_constraints() -> None:
    tag = parse_version("3.12-slim")  # loose
    assert tag is not None
    assert parse_constraint(">=3.11", "pypi").allows(tag) is True
    assert parse_constraint(">=3.2", "maven").allows(parse_version("3.3", "npm")) is True
    assert parse_constraint("^18", "npm").allows(Version((18, 1, 0), None, "18.1.0")) is True


def test_a_declared_range_is_judged_by_its_lowest_version() -> None:
    assert parse_constraint("^18", "npm").allows("^18.2.0") is True
    assert parse_constraint("^18", "npm").allows("^17.0.2 || ^18") is False


# --- lowest() ----------------------------------------------------------------------------------

LOWEST = [
    p("pypi", ">=3.2,<4", (3, 2), id="pep440"),
    p("pypi", ">=3.2,>=3.5", (3, 5), id="pep440-highest-floor-wins"),
    p("pypi", "==3.*", (3,), id="pep440-wildcard"),
    p("pypi", "<4", None, id="pep440-unbounded"),
    p("npm", "^18", (18, 0, 0), id="npm-caret"),
    p("npm", "^1.2 || ^0.9", (0, 9, 0), id="npm-union"),
    p("npm", "^1 || <0.5", None, id="npm-union-one-unbounded"),
    p("npm", "*", None, id="npm-star"),
    p("npm", ">1.2.3", (1, 2, 3), id="npm-exclusive-bound-itself"),
    p("cargo", "1.2", (1, 2, 0), id="cargo"),
    p("packagist", "^7.4 || ^8.0", (7, 4), id="composer-union"),
    p("packagist", "0.*", None, id="composer-zero-wildcard"),
    p("rubygems", "~> 7.1", (7, 1), id="gem"),
    p("rubygems", "< 4", None, id="gem-unbounded"),
    p("maven", "[1,2),[3,4)", (1,), id="maven-union"),
    p("maven", "(1.0,2.0]", (1, 0), id="maven-exclusive-bound-itself"),
    p("maven", "(,2.0]", None, id="maven-unbounded"),
    p("maven", "1.5", (1, 5), id="maven-soft"),
    p("nuget", "6.*", (6,), id="nuget-floating"),
    p("go", ">= 1.2, < 2", (1, 2, 0), id="semver"),
    p("terraform", "~> 1.6", (1, 6), id="terraform"),
    p("generic", ">=3.11,<4", (3, 11), id="loose"),
    p("generic", "<20", None, id="loose-unbounded"),
]


@pytest.mark.parametrize(("ecosystem", "constraint", "release"), LOWEST)
def test_lowest_is_the_lower_bound_or_none(ecosystem, constraint, release) -> None:
    low = parse_constraint(constraint, ecosystem).lowest()
    assert (low.release if low is not None else None) == release


# --- bad constraints ---------------------------------------------------------------------------

BAD = [
    p("pypi", ">=3.2,", id="pep440-stray-comma"),
    p("pypi", "^1.2", id="pep440-caret-is-poetry-not-pep440"),
    p("pypi", "3.11", id="pep440-bare-version"),
    p("npm", ">=3.2,", id="npm-comma"),
    p("npm", "latest", id="npm-tag"),
    p("npm", "1.2.3.4", id="npm-four-parts"),
    p("cargo", "1.2 || 2", id="cargo-or"),
    p("cargo", ">=1.2,", id="cargo-stray-comma"),
    p("packagist", ">=1.0 <", id="composer-dangling-operator"),
    p("packagist", "dev-main", id="composer-branch"),
    p("rubygems", "~>", id="gem-no-version"),
    p("rubygems", "^7.1", id="gem-caret"),
    p("rubygems", "~> 7.1,", id="gem-stray-comma"),
    p("maven", "[1.0,2.0", id="maven-unclosed"),
    p("maven", "[2.0,1.0]", id="maven-empty-range"),
    p("maven", "(1.0)", id="maven-open-single"),
    p("maven", "[1.0,2.0),", id="maven-trailing-comma"),
    p("maven", "${spring.version}", id="maven-property"),
    p("nuget", "[1.0", id="nuget-unclosed"),
    p("nuget", "6.*.1", id="nuget-bad-float"),
    p("go", "!=foo", id="semver-bad-not-equal"),
    p("helm", "1.2.3.4.5", id="semver-five-parts"),
    p("terraform", "^1.6", id="terraform-caret"),
    p("terraform", ">= 1.5,", id="terraform-stray-comma"),
    p("generic", "lts", id="loose-tag"),
    p("generic", ">=3.11,", id="loose-stray-comma"),
    p("generic", "3.11-slim", id="loose-variant-is-not-a-constraint"),
    p("generic", "<*", id="loose-nothing"),
]


@pytest.mark.parametrize(("ecosystem", "text"), BAD)
def test_a_bad_constraint_is_refused_with_what_is_expected(ecosystem, text) -> None:
    with pytest.raises(ConstraintError) as err:
        parse_constraint(text, ecosystem)
    message = str(err.value)
    assert message.startswith(f'"{text}": not a valid ')
    assert EXPECTED[scheme_of(ecosystem)] in message
    assert "\n" not in message


@pytest.mark.parametrize("ecosystem", sorted(ONE_PER_SCHEME.values()))
@pytest.mark.parametrize("text", ["", "   ", "x" * 300])
def test_an_empty_or_huge_constraint_is_refused_in_every_scheme(ecosystem, text) -> None:
    with pytest.raises(ConstraintError):
        parse_constraint(text, ecosystem)


@pytest.mark.parametrize("value", [3.11, 18, None, ["^18"]])
def test_a_constraint_that_is_not_text_is_refused(value) -> None:
    with pytest.raises(ConstraintError, match=r"expected text"):
        parse_constraint(value, "npm")  # type: ignore[arg-type]


def test_the_message_says_why_when_it_can() -> None:
    with pytest.raises(ConstraintError, match=r"allows no version"):
        parse_constraint("[2.0,1.0]", "maven")
    with pytest.raises(ConstraintError, match=r"not a valid PEP 440 specifier; expected something like >=3.11"):
        parse_constraint("^1.2", "pypi")


def test_constraints_are_values() -> None:
    a, b = parse_constraint(">=3.2", "maven"), parse_constraint(">=3.2", "maven")
    assert a == b and hash(a) == hash(b)
    assert a != parse_constraint(">=3.2", "npm")
    assert a.scheme == "maven"


# --- behind() ----------------------------------------------------------------------------------

BEHIND = [
    p("pypi", ">=3.2", "2.7", (1, 0), id="one-major-behind"),
    p("maven", ">=3.2", "2.7.18", (1, 0), id="maven-one-major"),
    p("npm", "^18", "16.20.0", (2, 0), id="two-majors-minors-not-counted"),
    p("generic", ">=3.11", "3.9", (0, 2), id="two-minors"),
    p("terraform", "~> 1.6", "1.5.7", (0, 1), id="terraform-one-minor"),
    p("generic", ">=3.11", "3.11.2", (0, 0), id="satisfies"),
    p("generic", ">=3.11", "3.13", (0, 0), id="ahead"),
    p("npm", "^18", "19.1.0", (0, 0), id="above-upper-bound-is-not-behind"),
    p("generic", "^3.5", "4.1", (0, 0), id="next-major-is-not-minors-behind"),
    p("maven", "[3.2.5,)", "3.2.0", (0, 0), id="patches-not-counted"),
    p("maven", "[3.2,)", "3.2.0-SNAPSHOT", (0, 0), id="pre-release-of-target"),
    p("generic", "<20", "22", (0, 0), id="no-floor-to-be-behind"),
    p("npm", "^18", "^16.14.0", (2, 0), id="declared-range-by-its-lowest"),
    p("generic", ">=3.11", "latest", None, id="unknown-version"),
    p("generic", ">=3.11", None, None, id="no-version"),
    p("npm", "^18", "not-a-version", None, id="unparseable"),
]


@pytest.mark.parametrize(("ecosystem", "constraint", "version", "expected"), BEHIND)
def test_behind_counts_majors_then_minors(ecosystem, constraint, version, expected) -> None:
    assert behind(version, parse_constraint(constraint, ecosystem)) == expected


# --- invariants over the scheme table -----------------------------------------------------------

KNOWN_SCHEMES = set(EXPECTED)


def test_every_ecosystem_maps_to_a_known_scheme() -> None:
    assert set(SCHEMES) == set(ECOSYSTEMS)
    assert set(SCHEMES.values()) | {"loose"} == KNOWN_SCHEMES
    for ecosystem in ECOSYSTEMS:
        assert scheme_of(ecosystem) in KNOWN_SCHEMES
    for other in ("generic", "python", "node", "docker", "github-actions", "", "NPM "):
        assert scheme_of(other) == ("npm" if other == "NPM " else "loose")


@pytest.mark.parametrize(
    "table", [ALLOWS, PARSE, LOWEST, BAD], ids=["allows", "parse_version", "lowest", "bad-constraints"]
)
def test_every_scheme_has_tests_in_every_table(table) -> None:
    assert {scheme_of(case.values[0]) for case in table} == KNOWN_SCHEMES


def test_every_collector_ecosystem_is_a_known_one() -> None:
    """A detector writing a new ecosystem name must be given a scheme here (or meant to be loose)."""
    import re
    from pathlib import Path

    found = set()
    for path in (Path(__file__).resolve().parent.parent / "collectors" / "detectors").glob("*.py"):
        found |= set(re.findall(r'^(?:PLUGIN_)?ECOSYSTEM = "([^"]+)"', path.read_text(), re.M))
    assert found <= set(ECOSYSTEMS), found - set(ECOSYSTEMS)


# --- properties ---------------------------------------------------------------------------------

ALL_ECOSYSTEMS = st.sampled_from((*WITH_GENERIC, "docker"))
VERSIONISH = st.text(alphabet="0123456789.-+^~<>=!*xXv, |[]()abcdemprsRCSNAPHOT@#:$", max_size=30)
ANY_TEXT = st.one_of(st.text(max_size=30), VERSIONISH)


@settings(max_examples=400)
@given(ANY_TEXT, ALL_ECOSYSTEMS)
def test_parse_version_never_raises(text, ecosystem) -> None:
    found = parse_version(text, ecosystem)
    assert found is None or (isinstance(found, Version) and found.release and found.text == text.strip())


@settings(max_examples=400)
@given(ANY_TEXT, ALL_ECOSYSTEMS, ANY_TEXT)
def test_parse_constraint_raises_only_constraint_error_and_what_parses_answers(text, ecosystem, version) -> None:
    try:
        c = parse_constraint(text, ecosystem)
    except ConstraintError as err:
        assert str(err).startswith(f'"{text}"')
        return
    assert c.allows(version) in (True, False, None)
    low = c.lowest()
    assert low is None or isinstance(low, Version)
    assert behind(version, c) is None or all(n >= 0 for n in behind(version, c))


#: How each scheme writes "at least X" (Maven and NuGet also take >=X; both are checked).
AT_LEAST = {
    "pypi": [">={}"],
    "npm": [">={}"],
    "cargo": [">={}"],
    "packagist": [">={}"],
    "rubygems": [">= {}"],
    "maven": ["[{},)", ">={}", "{}"],
    "nuget": ["[{},)", ">={}", "{}"],
    "go": [">={}"],
    "helm": [">= {}"],
    "terraform": [">= {}"],
    "generic": [">={}"],
}
SEMVER_FAMILY = {"npm", "cargo", "go", "helm"}


def _padded(parts: list[int]) -> tuple[int, ...]:
    return tuple(parts) + (0,) * (4 - len(parts))


@pytest.mark.parametrize("ecosystem", sorted(AT_LEAST))
@settings(max_examples=60)
@given(data=st.data())
def test_at_least_agrees_with_number_order_in_every_scheme(ecosystem, data) -> None:
    longest = 3 if ecosystem in SEMVER_FAMILY else 4
    parts = st.lists(st.integers(0, 30), min_size=1, max_size=longest)
    version, floor = data.draw(parts), data.draw(parts)
    text = ".".join(map(str, version))
    for syntax in AT_LEAST[ecosystem]:
        c = parse_constraint(syntax.format(".".join(map(str, floor))), ecosystem)
        assert c.allows(text) is (_padded(version) >= _padded(floor)), syntax


@pytest.mark.parametrize("ecosystem", sorted(AT_LEAST))
@settings(max_examples=60)
@given(data=st.data())
def test_versions_from_numbers_sort_like_the_numbers(ecosystem, data) -> None:
    longest = 3 if ecosystem in SEMVER_FAMILY else 4
    parts = st.lists(st.integers(0, 30), min_size=1, max_size=longest)
    a, b = data.draw(parts), data.draw(parts)
    va, vb = parse_version(".".join(map(str, a)), ecosystem), parse_version(".".join(map(str, b)), ecosystem)
    assert va is not None and vb is not None
    assert (va < vb, va == vb) == (_padded(a) < _padded(b), _padded(a) == _padded(b))


NPM_VERSIONS = st.builds(
    lambda n, pre: ".".join(map(str, n)) + (f"-{pre}" if pre else ""),
    st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)),
    st.sampled_from(["", "", "", "alpha", "beta.1", "rc.2", "0"]),
)
NPM_RANGES = st.one_of(
    st.sampled_from(["*", "1.x", "~1", "^0.2.3", "^0.0.3", "1.2 - 2.3", ">=1.2.3-beta.1 <2", "^1 || ~0.2", "<=2.1"]),
    st.builds(lambda op, v: op + v, st.sampled_from(["", "^", "~", ">=", ">", "<", "<=", "="]), NPM_VERSIONS),
)


@settings(max_examples=300)
@given(NPM_RANGES, NPM_VERSIONS)
def test_npm_allows_agrees_with_node_semver(range_, version) -> None:
    assert parse_constraint(range_, "npm").allows(version) is nodesemver.satisfies(version, range_, loose=False)
