"""Versions and version constraints, compared in each ecosystem's own semantics.

A guild's target (`spring-boot: ">=3.2"`, `react: "^18"`, `terraform: "~> 1.6"`) and what a manifest
says (`^18.2.0`, `[1.0,2.0)`, `3.2.0.RELEASE`, `3.11-slim`) only mean something under their
ecosystem's rules: npm's caret and pre-release rule, Maven's qualifier order, RubyGems' `~>`. So every
ecosystem maps to a scheme (`SCHEMES`), a `Version` is ordered by a key its scheme builds, and a
`Constraint` answers the two questions the standards ask: is this version allowed, and how far
behind is it (`behind`).

Well-kept libraries do the standard grammars: `packaging` (PEP 440) and `node-semver` (npm ranges,
also behind Cargo's and Go/Helm's semver ranges). What no package covers well is written here and
kept small: Maven/NuGet intervals, RubyGems/Terraform requirement lists, Composer constraints and
the loose versions of runtimes and Docker tags.

Every range is compiled to alternatives (OR) of comparators (AND) over scheme keys; a scheme's
pre-release rule then decides whether a pre-release may match at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import nodesemver
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion
from packaging.version import Version as Pep440Version

#: ecosystem -> scheme. Anything not listed (runtimes, Docker tags, `generic`) is "loose".
SCHEMES: dict[str, str] = {
    "pypi": "pep440",
    "npm": "npm",
    "cargo": "cargo",
    "packagist": "composer",
    "rubygems": "gem",
    "maven": "maven",
    "gradle-plugin": "maven",
    "sbt-plugin": "maven",
    "nuget": "nuget",
    "go": "semver",
    "helm": "semver",
    "terraform": "terraform",
}
LOOSE = "loose"

#: Words that name a moving target, not a version: they parse as unknown (None) everywhere.
TAGS = frozenset(
    {"latest", "stable", "lts", "current", "next", "canary", "nightly", "edge", "main", "master", "head", "trunk"}
    | {"release", "snapshot", "newest", "system", "default", "any"}
)
#: Letters a runtime's version may be glued to (`go1.22`, `net8.0`, `jdk-17`); anything else
#: before the digits (`alpine3.19`, `bookworm`) is not this runtime's version.
LOOSE_PREFIXES = ("v", "go", "net", "netcoreapp", "jdk", "openjdk", "java", "python", "py", "node", "ruby", "php")
#: Loose pre-release markers after the numbers (`3.13.0rc1`, `17-ea`), lowest first.
LOOSE_PRE_RANK = {
    "dev": 0,
    "snapshot": 0,
    "ea": 1,
    "a": 1,
    "alpha": 1,
    "b": 2,
    "beta": 2,
    "pre": 3,
    "preview": 3,
    "rc": 4,
}
#: Maven qualifiers in ComparableVersion's order; "" is a final release. Unknown qualifiers sort
#: after these (alphabetically), and a number qualifier (`1.0-1`) after those.
MAVEN_QUALIFIERS = {"alpha": 0, "beta": 1, "milestone": 2, "rc": 3, "snapshot": 4, "": 5, "sp": 6}
MAVEN_ALIASES = {"a": "alpha", "b": "beta", "m": "milestone", "cr": "rc", "ga": "", "final": "", "release": ""}
#: Maven's one-letter aliases only count when a number follows (`1.0-a1` is alpha 1; `1.0-a` is not).
MAVEN_LETTER_ALIASES = frozenset({"a", "b", "m"})
#: Composer stabilities, lowest first (`-dev` is below every other).
COMPOSER_STABILITY = {
    "dev": 0,
    "alpha": 1,
    "a": 1,
    "beta": 2,
    "b": 2,
    "rc": 3,
    "stable": 4,
    "patch": 5,
    "pl": 5,
    "p": 5,
}
#: What a constraint looks like in each scheme, for error messages.
EXPECTED = {
    "pep440": ">=3.11, ~=3.2, ==3.* or >=3.2,<4",
    "npm": "^18.2.0, ~1.4, 1.x, >=1.2 <2 or ^1 || ^2",
    "cargo": "1.2 (meaning ^1.2), ~1.4, =1.2.3, 1.* or >=1.2, <1.5",
    "composer": "^8.1, ~1.2, 1.2.*, >=1.0 <2.0 or ^7.4 || ^8.0",
    "gem": "~> 7.1, >= 3.2, < 4 or != 3.0.1",
    "maven": "3.2.0 (meaning at least), [1.0,2.0), [1.5,), (,2.0], [1,2),[3,4), 1.+ or >=3.2",
    "nuget": "6.0.0 (meaning at least), [1.0,2.0), (,2.0], 6.* or >=6.0",
    "semver": "^1.2, ~1.4.2, >=1.21 <2, 1.x, >= 1.2, < 2 or ^1 || ^2",
    "terraform": "~> 1.6, >= 1.5, < 2.0 or = 1.6.2",
    "loose": "3.11 (any 3.11.x), >=20, ^18, ~1.2, 3.x or >=3.11,<4",
}
MAX_TEXT = 256  # a longer "version" is not one, and regexes need not read it

_VARIABLE = re.compile(r"\$\{|\$\(|\{\{|@\{|%\{")
_OPS = r"~>|>=|<=|==|!=|<>|~=|>|<|=|~|\^"
_OP_SPACE = re.compile(rf"({_OPS})\s+")
_CLAUSE = re.compile(rf"({_OPS})?(.+)", re.S)
_HYPHEN = re.compile(r"(\S+)\s+-\s+(\S+)")


class ConstraintError(ValueError):
    """A constraint that cannot be parsed; the message quotes it and says what is expected for that ecosystem."""


class _Bad(ValueError):
    """Why one piece of a constraint does not parse; wrapped into a ConstraintError with the whole text."""


# --- versions --------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Version:
    """One concrete version; comparable with versions of the same scheme (by `key`, never by text).

    `pre` holds the pre-release identifiers (`("beta", 1)`), None for a final release; whether a
    pre-release sorts below its release, and how, is the scheme's, so ordering goes through `key`.
    """

    release: tuple[int, ...] = field(compare=False)
    pre: tuple | None = field(compare=False)
    text: str = field(compare=False)
    scheme: str = field(default=LOOSE, compare=False)
    key: tuple = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not self.key:  # built by hand: order like a dotted version with semver pre-releases
            object.__setattr__(self, "key", _dotted_key(self.release, self.pre))

    @property
    def major(self) -> int:
        return self.release[0] if self.release else 0

    @property
    def minor(self) -> int:
        return self.release[1] if len(self.release) > 1 else 0

    @property
    def patch(self) -> int:
        return self.release[2] if len(self.release) > 2 else 0


def _strip(release: Iterable[int]) -> tuple[int, ...]:
    """The release without trailing zeros: 1.0.0 and 1 are the same release in every scheme here."""
    out = list(release)
    while out and out[-1] == 0:
        out.pop()
    return tuple(out)


def _ident(x: int | str, fold: bool = False) -> tuple[int, int | str]:
    """A semver pre-release identifier's key: numbers sort before words, numbers by value."""
    if isinstance(x, int):
        return (0, x)
    if x.isdigit():
        return (0, int(x))
    return (1, x.lower() if fold else x)


def _dotted_key(release: Iterable[int], pre: tuple | None, fold: bool = False) -> tuple:
    """Key of a dotted release with semver-style pre-releases (a pre-release sorts before its release)."""
    if pre is None:
        return (_strip(release), 1, ())
    return (_strip(release), 0, tuple(_ident(x, fold) for x in pre))


def _floor_key(release: Iterable[int]) -> tuple:
    """A key below every version of this release, pre-releases included (npm's `-0`, Composer's `-dev`)."""
    return (_strip(release), 0, ())


def _bump(release: tuple[int, ...], index: int) -> tuple[int, ...]:
    """The release with part `index` incremented and everything after it dropped: (1, 2, 3), 1 -> (1, 3)."""
    parts = list(release) + [0] * (index + 1 - len(release))
    return (*parts[:index], parts[index] + 1)


def _int_or_str(part: str) -> int | str:
    return int(part) if part.isdigit() else part


def _dotted(release: tuple[int, ...]) -> str:
    return ".".join(map(str, release))


# --- the compiled form of a constraint ---------------------------------------------------------


@dataclass(frozen=True)
class _Cmp:
    """One comparator. `bound` is the version as written (what `lowest` reports, what npm's
    pre-release rule reads); `key` is what versions compare against, which may sit just below the
    bound (Composer's `>=1.2` means `>=1.2.0.0-dev`). `in`/`not-in` test the interval [key, upper)."""

    op: str  # >=, >, <=, <, ==, !=, in, not-in
    bound: Version
    key: tuple
    upper: tuple | None = None

    def test(self, key: tuple) -> bool:
        op = self.op
        if op == ">=":
            return key >= self.key
        if op == ">":
            return key > self.key
        if op == "<=":
            return key <= self.key
        if op == "<":
            return key < self.key
        if op == "==":
            return key == self.key
        if op == "!=":
            return key != self.key
        inside = self.key <= key and (self.upper is None or key < self.upper)
        return inside if op == "in" else not inside


def _cmp(op: str, bound: Version, key: tuple | None = None, upper: tuple | None = None) -> _Cmp:
    return _Cmp(op, bound, bound.key if key is None else key, upper)


@dataclass(frozen=True)
class _Alternatives:
    """OR of ANDs of comparators, plus the scheme's pre-release rule:
    - "order": a pre-release is just a version that sorts below its release (Maven, NuGet, Gem, Composer, loose);
    - "stable": no pre-release (NuGet's floating 6.*, which only ever floats to stable versions);
    - "npm": a pre-release matches only if a comparator of the same alternative names a pre-release
      of the same major.minor.patch (npm, Cargo, semver);
    - "each": every comparator must name a pre-release of the same release (Terraform's go-version).
    """

    alternatives: tuple[tuple[_Cmp, ...], ...]
    pre_rule: str = "order"

    def allows(self, v: Version) -> bool:
        return any(self._allows(alt, v) for alt in self.alternatives)

    def _allows(self, alt: tuple[_Cmp, ...], v: Version) -> bool:
        if not all(c.test(v.key) for c in alt):
            return False
        if self.pre_rule == "each":  # go-version: also, `~> 1.0.0-beta` matches pre-releases only
            if v.pre is None:
                return not any(c.op == "in" and c.bound.pre is not None for c in alt)
            return all(c.bound.pre is not None and _strip(c.bound.release) == _strip(v.release) for c in alt)
        if v.pre is None or self.pre_rule == "order":
            return True
        if self.pre_rule == "stable":
            return False
        return any(c.bound.pre is not None and c.bound.release[:3] == v.release[:3] for c in alt)

    def lowest(self) -> Version | None:
        floors = []
        for alt in self.alternatives:
            low = [c.bound for c in alt if c.op in (">=", ">", "==", "in")]
            if not low:
                return None
            floors.append(max(low))
        return min(floors) if floors else None


class _Pep440:
    """A PEP 440 specifier set, matched by `packaging` with pre-releases excluded unless the set
    names one (the rule pip applies; packaging 26 changed its own default, so it is passed in)."""

    def __init__(self, specs: SpecifierSet) -> None:
        self.specs = specs
        self.prereleases = bool(specs.prereleases)

    def allows(self, v: Version) -> bool:
        return self.specs.contains(v.key[0], prereleases=self.prereleases)

    def lowest(self) -> Version | None:
        floors = []
        for spec in self.specs:
            if spec.operator in (">=", ">", "==", "~=", "==="):
                found = _pep440_version(spec.version.removesuffix(".*"))
                if found is not None:
                    floors.append(found)
        return max(floors) if floors else None


_Spec = _Alternatives | _Pep440


# --- PEP 440 ---------------------------------------------------------------------------------


def _pep440_version(text: str) -> Version | None:
    try:
        pv = Pep440Version(text)
    except InvalidVersion:
        return None
    pre = pv.pre if pv.pre is not None else (("dev", pv.dev) if pv.dev is not None else None)
    return Version(tuple(pv.release), pre, text, "pep440", (pv,))


def _pep440_constraint(text: str) -> _Pep440:
    if any(not part.strip() for part in text.split(",")):  # packaging skips them; PEP 440 does not
        raise _Bad("an empty clause, a stray comma?")
    specs = SpecifierSet(text)
    if not len(specs):
        raise _Bad("no specifier")
    return _Pep440(specs)


# --- semver: npm, Cargo, Go, Helm --------------------------------------------------------------

_SEMVER = re.compile(
    r"[=v\s]*(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)


def _semver(release: tuple[int, int, int], pre: Iterable[Any] | None, text: str, scheme: str) -> Version:
    pre_t = tuple(_int_or_str(str(x)) for x in pre) if pre else None
    return Version(release, pre_t, text, scheme, _dotted_key(release, pre_t))


def _semver_version(scheme: str) -> Callable[[str], Version | None]:
    def parse(text: str) -> Version | None:
        m = _SEMVER.fullmatch(text)
        if m is None:
            return None
        release = (int(m[1]), int(m[2]), int(m[3]))
        return _semver(release, m[4].split(".") if m[4] else None, text, scheme)

    return parse


def _npm_alternative(text: str, scheme: str) -> list[list[_Cmp]]:
    """node-semver desugars the range (carets, tildes, x-ranges, hyphens) into comparators."""
    out = []
    for comparators in nodesemver.make_range(text, loose=False).set:
        alt = []
        for c in comparators:
            if c.semver is nodesemver.ANY:
                continue
            sv = c.semver
            bound = _semver((sv.major, sv.minor, sv.patch), sv.prerelease, sv.version, scheme)
            alt.append(_cmp({"": "==", "=": "=="}.get(c.operator, c.operator), bound))
        out.append(alt)
    return out


def _npm_constraint(text: str) -> _Alternatives:
    return _Alternatives(tuple(tuple(a) for a in _npm_alternative(text, "npm")), "npm")


_CARGO_CLAUSE = re.compile(
    r"(=|>=|<=|>|<|~|\^)?\s*(\*|\d+(?:\.(?:\d+|[*xX]))?(?:\.(?:\d+|[*xX]))?(?:[-+][0-9A-Za-z.+-]+)?)"
)


def _cargo_constraint(text: str) -> _Alternatives:
    """Cargo: comma = and, a bare version means a caret; translated to npm syntax for node-semver."""
    clauses = []
    for part in text.split(","):
        m = _CARGO_CLAUSE.fullmatch(part.strip())
        if m is None:
            if "|" in part:
                raise _Bad("Cargo has no ||; write one requirement, comma = and")
            raise _Bad(
                f"{part.strip()!r} is not a Cargo requirement" if part.strip() else "an empty clause, a stray comma?"
            )
        op = m[1] or ("" if m[2] == "*" or "*" in m[2] or "x" in m[2].lower() else "^")
        clauses.append(op + m[2])
    return _Alternatives(tuple(tuple(a) for a in _npm_alternative(" ".join(clauses), "cargo")), "npm")


_NOT_EQUAL = re.compile(r"!=\s*([^\s,|]+)")


def _semver_constraint(text: str) -> _Alternatives:
    """Go and Helm (Masterminds semver): npm ranges, plus comma = and and `!=`."""
    parse = _semver_version("semver")
    alternatives = []
    for part in re.split(r"\s*\|\|\s*", text):
        excluded = []
        for m in _NOT_EQUAL.finditer(part):
            partial = re.fullmatch(r"v?\d+(?:\.\d+)?", m[1])  # != 1.2 means != 1.2.0
            found = parse(m[1] + ".0" * (3 - m[1].count(".")) if partial else m[1])
            if found is None:
                raise _Bad(f"!= needs a version such as 1.2.3, not {m[1]!r}")
            excluded.append(_cmp("!=", found))
        rest = _NOT_EQUAL.sub(" ", part).replace(",", " ").strip()
        if not rest and not excluded:
            raise _Bad("an empty alternative")
        for alt in _npm_alternative(rest, "semver") if rest else [[]]:
            alternatives.append((*alt, *excluded))
    return _Alternatives(tuple(alternatives), "npm")


# --- shared: lists of "op version" clauses -----------------------------------------------------


def _clauses(text: str, separator: str) -> list[tuple[str, str]]:
    """(operator, version text) of each clause; the operator may be followed by spaces."""
    text = _OP_SPACE.sub(r"\1", text.strip())
    out = []
    for part in re.split(separator, text):
        if not part:
            raise _Bad("an empty clause, a stray comma or operator?")
        m = _CLAUSE.fullmatch(part)
        assert m is not None  # `.+` matches any non-empty part
        out.append((m[1] or "", m[2]))
    return out


def _need(parse: Callable[[str], Version | None], text: str, what: str = "version") -> Version:
    found = parse(text)
    if found is None:
        raise _Bad(f"{text!r} is not a {what}")
    return found


def _plain(op: str, v: Version) -> _Cmp:
    """A comparator that means what it says under the scheme's order (`=` and `==` alike)."""
    if op not in (">=", ">", "<=", "<", "=", "==", "!=", "<>"):
        raise _Bad(f"operator {op!r} is not supported here")
    return _cmp({"=": "==", "<>": "!="}.get(op, op), v)


# --- RubyGems and Terraform --------------------------------------------------------------------

_GEM = re.compile(r"[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?")
_GEM_PRE_PAD = 8


def _gem_version(text: str) -> Version | None:
    """Gem::Version: a letter anywhere makes a pre-release; `-` means `.pre.`; numbers beat words."""
    if _GEM.fullmatch(text) is None:
        return None
    segments = [_int_or_str(s) for s in re.findall(r"[0-9]+|[a-zA-Z]+", text.replace("-", ".pre."))]
    cut = next((i for i, s in enumerate(segments) if isinstance(s, str)), len(segments))
    release = tuple(int(s) for s in segments[:cut])
    rest = segments[cut:]
    while rest and rest[-1] == 0:
        rest.pop()
    if not rest:
        return Version(release, None, text, "gem", (_strip(release), 1, ()))
    items = tuple((0, s) if isinstance(s, str) else (1, s) for s in rest)
    items += ((1, 0),) * (_GEM_PRE_PAD - len(items))
    return Version(release, tuple(rest), text, "gem", (_strip(release), 0, items))


def _gem_bump(v: Version) -> tuple[int, ...]:
    """Gem::Version#bump: drop the pre-release, then the last part (unless it is the only one), then +1."""
    release = list(v.release)
    if len(release) > 1:
        release.pop()
    return _bump(tuple(release), len(release) - 1)


def _gem_constraint(text: str) -> _Alternatives:
    comparators = []
    for op, rest in _clauses(text, r"\s*,\s*"):
        v = _need(_gem_version, rest)
        if op == "~>":  # >= v and, comparing releases only, < bump
            upper = _gem_bump(v)
            comparators.append(_cmp("in", v, upper=_floor_key(upper)))
        else:
            comparators.append(_plain(op or "=", v))
    return _Alternatives((tuple(comparators),), "order")


_TERRAFORM = re.compile(
    r"v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z~-]+(?:\.[0-9A-Za-z~-]+)*)|([A-Za-z~][0-9A-Za-z~-]*(?:\.[0-9A-Za-z~-]+)*))?"
    r"(?:\+[0-9A-Za-z~-]+(?:\.[0-9A-Za-z~-]+)*)?"
)


def _terraform_version(text: str) -> Version | None:
    """hashicorp/go-version: any number of parts, a pre-release after `-` (or glued letters)."""
    m = _TERRAFORM.fullmatch(text)
    if m is None:
        return None
    release = tuple(int(x) for x in m[1].split("."))
    pre_text = m[2] or m[3]
    pre = tuple(_int_or_str(x) for x in pre_text.split(".")) if pre_text else None
    return Version(release, pre, text, "terraform", _dotted_key(release, pre))


def _terraform_constraint(text: str) -> _Alternatives:
    comparators = []
    for op, rest in _clauses(text, r"\s*,\s*"):
        v = _need(_terraform_version, rest)
        if op == "~>":  # only the right-most written part may grow: ~> 1.6 is >=1.6,<2; ~> 1 is >=1
            written = len(v.release)
            upper = _floor_key(_bump(v.release, written - 2)) if written > 1 else None
            comparators.append(_cmp("in", v, upper=upper))
        else:
            comparators.append(_plain(op or "=", v))
    return _Alternatives((tuple(comparators),), "each")


# --- Maven and NuGet ---------------------------------------------------------------------------

_MAVEN = re.compile(r"\d[0-9A-Za-z.\-_+]*")
_MAVEN_PAD = 4
_MAVEN_FINAL = (MAVEN_QUALIFIERS[""], "", 0)
_MAVEN_NAMES = {rank: name for name, rank in MAVEN_QUALIFIERS.items()}


def _maven_items(qualifier: str) -> list[tuple[int, str, int]]:
    """ComparableVersion's qualifier items, flattened: (rank, unknown word, number)."""
    items: list[tuple[int, str, int]] = []
    tokens = re.findall(r"[a-z]+|\d+", qualifier)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isdigit():
            items.append((len(MAVEN_QUALIFIERS) + 1, "", int(tok)))  # numbers sort after every word
            i += 1
            continue
        number = int(tokens[i + 1]) if i + 1 < len(tokens) and tokens[i + 1].isdigit() else None
        name = tok
        if tok not in MAVEN_LETTER_ALIASES or number is not None:
            name = MAVEN_ALIASES.get(tok, tok)
        i += 2 if number is not None else 1
        if name in MAVEN_QUALIFIERS:
            if name == "" and not number:
                continue  # ga, final, release: the release itself
            items.append((MAVEN_QUALIFIERS[name], "", number or 0))
        else:
            items.append((len(MAVEN_QUALIFIERS), name, number or 0))
    return items


def _maven_version(text: str) -> Version | None:
    """Maven's ComparableVersion for the common cases: 3.2.0.RELEASE == 3.2.0 == 3.2; alpha < beta <
    milestone < rc = cr < snapshot < final = ga < sp < other words < numbers; -SNAPSHOT is a pre-release."""
    if _MAVEN.fullmatch(text) is None:
        return None
    m = re.match(r"\d+(?:\.\d+)*", text)
    assert m is not None  # _MAVEN starts with a digit
    release = tuple(int(x) for x in m[0].split("."))
    items = _maven_items(text[m.end() :].lower())
    padded = tuple(items) + (_MAVEN_FINAL,) * (_MAVEN_PAD - len(items))
    pre = None
    if items and items[0][0] < MAVEN_QUALIFIERS[""]:  # rc1-SNAPSHOT -> ("rc", 1, "snapshot")
        pre = tuple(x for rank, word, n in items for x in (word or _MAVEN_NAMES.get(rank, ""), n) if x not in (0, ""))
    return Version(release, pre, text, "maven", (_strip(release), padded))


def _maven_floor(release: tuple[int, ...]) -> tuple:
    return (_strip(release), ((-1, "", 0),))


_NUGET = re.compile(r"v?(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?")


def _nuget_version(text: str) -> Version | None:
    """NuGet: SemVer 2 with up to four parts; pre-release labels compare case-insensitively."""
    m = _NUGET.fullmatch(text)
    if m is None:
        return None
    release = tuple(int(x) for x in m[1].split("."))
    pre = tuple(_int_or_str(x) for x in m[2].split(".")) if m[2] else None
    return Version(release, pre, text, "nuget", _dotted_key(release, pre, fold=True))


_INTERVAL = re.compile(r"\s*([\[\](])\s*([^,\[\]()]*?)\s*(?:(,)\s*([^,\[\]()]*?)\s*)?([\])\[])\s*")


def _intervals(text: str, parse: Callable[[str], Version | None]) -> _Alternatives:
    """`[1.0,2.0)`, `(,1.0]`, `[1.5]`, unions `[1,2),[3,4)`; Gradle's `]1.0,2.0[` too."""
    alternatives = []
    pos = 0
    while True:
        m = _INTERVAL.match(text, pos)
        if m is None:
            raise _Bad(f"expected an interval at {text[pos:]!r}")
        opening, low, comma, high, closing = m.groups()
        if not comma:
            if opening != "[" or closing != "]" or not low:
                raise _Bad(f"{m[0].strip()!r}: a single version is written [1.0]")
            alternatives.append((_cmp("==", _need(parse, low)),))
        else:
            alt = []
            lo = _need(parse, low) if low else None
            hi = _need(parse, high) if high else None
            if lo is not None:
                alt.append(_cmp(">=" if opening == "[" else ">", lo))
            if hi is not None:
                alt.append(_cmp("<=" if closing == "]" else "<", hi))
            if lo is not None and hi is not None and (hi < lo or (hi == lo and (opening, closing) != ("[", "]"))):
                raise _Bad(f"{m[0].strip()!r} allows no version")
            alternatives.append(tuple(alt))
        pos = m.end()
        if pos == len(text):
            return _Alternatives(tuple(alternatives), "order")
        if text[pos] != ",":
            raise _Bad(f"expected ',' between intervals at {text[pos:]!r}")
        pos += 1


def _maven_constraint(text: str) -> _Alternatives:
    if text[0] in "[(]":
        return _intervals(text, _maven_version)
    if text[0] in "<>=!":
        comparators = [_plain(op, _need(_maven_version, v)) for op, v in _clauses(text, r"\s*,\s*|\s+")]
        return _Alternatives((tuple(comparators),))
    if text == "+":
        return _Alternatives(((),))
    if text.endswith(".+") or text.endswith("+"):  # Gradle's dynamic version: 1.+ is any 1.x
        head = text.removesuffix("+").removesuffix(".")
        if not re.fullmatch(r"\d+(?:\.\d+)*", head):
            raise _Bad(f"{text!r}: a dynamic version is written 1.+ or 1.2.+")
        release = tuple(int(x) for x in head.split("."))
        bound = _need(_maven_version, head)
        upper = _maven_floor(_bump(release, len(release) - 1))
        return _Alternatives(((_cmp("in", bound, _maven_floor(release), upper),),))
    return _Alternatives(((_cmp(">=", _need(_maven_version, text)),),))  # Maven's soft requirement


def _nuget_constraint(text: str) -> _Alternatives:
    if text[0] in "[(]":
        return _intervals(text, _nuget_version)
    if text[0] in "<>=!":
        comparators = [_plain(op, _need(_nuget_version, v)) for op, v in _clauses(text, r"\s*,\s*|\s+")]
        return _Alternatives((tuple(comparators),))
    if "*" in text:  # floating: 6.* is any 6.x, 6.0.0-* any 6.0.0 pre-release or later
        m = re.fullmatch(r"((?:\d+\.)*)(\*|\d+)(-\*)?", text)
        if m is None:
            raise _Bad(f"{text!r}: a floating version is written 6.*, 6.0.* or 6.0.0-*")
        if m[2] != "*":
            bound = _need(_nuget_version, m[1] + m[2])
            return _Alternatives(((_cmp(">=", bound, _floor_key(bound.release)),),))
        if not m[1]:
            return _Alternatives(((),))
        release = tuple(int(x) for x in m[1].rstrip(".").split("."))
        bound = _need(_nuget_version, _dotted(release))
        low = _floor_key(release) if m[3] else bound.key
        upper = _floor_key(_bump(release, len(release) - 1))
        return _Alternatives(((_cmp("in", bound, low, upper),),), "order" if m[3] else "stable")
    return _Alternatives(((_cmp(">=", _need(_nuget_version, text)),),))  # a bare version is a minimum


# --- Composer ----------------------------------------------------------------------------------

_COMPOSER = re.compile(
    r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?"
    r"(?:[._-]?(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?\d+)*))?([.-]?dev)?",
    re.I,
)


def _composer_version(text: str) -> Version | None:
    """composer/semver: up to four parts, then a stability; dev < alpha < beta < RC < stable < patch."""
    m = _COMPOSER.fullmatch(text)
    if m is None:
        return None
    release = tuple(int(x) for x in m.groups()[:4] if x is not None)
    stability = (m[5] or "").lower()
    numbers = tuple(int(x) for x in re.findall(r"\d+", m[6] or ""))
    dev = bool(m[7])
    rank = COMPOSER_STABILITY[stability] if stability else (0 if dev else COMPOSER_STABILITY["stable"])
    key = ((*release, 0, 0, 0)[:4], rank, numbers, 0 if dev and stability else 1)
    pre = None
    if rank < COMPOSER_STABILITY["stable"]:
        pre = ((stability, *numbers) if stability else ()) + (("dev",) if dev else ())
    return Version(release, pre, text, "composer", key)


def _composer_floor(release: tuple[int, ...]) -> tuple:
    return ((*release, 0, 0, 0)[:4], -1, (), 0)


def _composer_clause(op: str, rest: str) -> list[_Cmp]:
    rest = re.sub(r"@(stable|rc|beta|alpha|dev)$", "", rest, flags=re.I).split("#", 1)[0]
    if not rest:
        return []
    if op in ("", "=", "==") and re.fullmatch(r"v?[xX*](?:\.[xX*])*", rest):
        return []
    wild = re.fullmatch(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.[xX*])+", rest)
    if wild and op in ("", "=", "=="):  # 1.2.* is >=1.2.0.0-dev <1.3.0.0-dev
        release = tuple(int(x) for x in wild.groups() if x is not None)
        bound = _need(_composer_version, _dotted(release))
        upper = _composer_floor(_bump(release, len(release) - 1))
        if not any(release):  # 0.* has no lower bound
            return [_cmp("<", bound, upper)]
        return [_cmp("in", bound, _composer_floor(release), upper)]
    v = _need(_composer_version, rest)
    floor = _composer_floor(v.release) if v.pre is None else v.key  # no stability written: from -dev
    written = len(v.release)
    if op in ("~", "~>"):  # ~1.2 is >=1.2 <2.0; ~1.2.3 is >=1.2.3 <1.3
        return [_cmp("in", v, floor, _composer_floor(_bump(v.release, max(1, written - 1) - 1)))]
    if op == "^":  # the first non-zero part may not change: ^0.3 is <0.4, ^0.0.3 is <0.0.4
        position = 1 if v.release[0] != 0 or written < 2 else 2 if v.release[1] != 0 or written < 3 else 3
        return [_cmp("in", v, floor, _composer_floor(_bump(v.release, position - 1)))]
    if op in (">=", "<"):
        return [_cmp(op, v, floor)]
    return [_plain(op or "==", v)]


def _composer_constraint(text: str) -> _Alternatives:
    alternatives = []
    for part in re.split(r"\s*\|\|?\s*", text.strip()):
        if not part:
            raise _Bad("an empty alternative")
        hyphen = _HYPHEN.fullmatch(part)
        if hyphen:  # 1.0 - 2.0 is >=1.0.0.0-dev <2.1.0.0-dev; 1.0.0 - 2.1.0 includes 2.1.0
            lo = _need(_composer_version, hyphen[1])
            hi = _need(_composer_version, hyphen[2])
            low = _cmp(">=", lo, _composer_floor(lo.release) if lo.pre is None else lo.key)
            if len(hi.release) >= 3 or hi.pre is not None:
                alternatives.append((low, _cmp("<=", hi)))
            else:
                alternatives.append((low, _cmp("<", hi, _composer_floor(_bump(hi.release, len(hi.release) - 1)))))
            continue
        comparators = []
        for op, rest in _clauses(part, r"\s*,\s*|\s+"):
            comparators += _composer_clause(op, rest)
        alternatives.append(tuple(comparators))
    return _Alternatives(tuple(alternatives), "order")


# --- loose: runtimes, Docker tags, anything else -----------------------------------------------

_LOOSE = re.compile(
    r"(?:(?:" + "|".join(sorted(LOOSE_PREFIXES, key=len, reverse=True)) + r")[-_]?)?(\d+(?:\.\d+)*)(.*)", re.I | re.S
)
_LOOSE_PRE = re.compile(
    r"[-._]?(" + "|".join(sorted(LOOSE_PRE_RANK, key=len, reverse=True)) + r")[-._]?(\d+)?(?=$|[-._+])", re.I
)


def _loose_version(text: str) -> Version | None:
    """The leading dotted numbers (`3.11-slim` -> 3.11, `17-jdk` -> 17, `go1.22` -> 1.22); a marker
    right after them (`rc1`, `-beta.2`, `-ea`) makes a pre-release; other suffixes are variants."""
    if ":" in text and re.match(r"[A-Za-z][\w./-]*:", text):
        text = text.rsplit(":", 1)[1]  # image:tag
    m = _LOOSE.fullmatch(text)
    if m is None:
        return None
    release = tuple(int(x) for x in m[1].split("."))
    marker = _LOOSE_PRE.match(m[2])
    if marker is None:
        return Version(release, None, text, LOOSE, (_strip(release), 1, ()))
    name = marker[1].lower()
    pre = (name, int(marker[2])) if marker[2] else (name,)
    return Version(release, pre, text, LOOSE, (_strip(release), 0, (LOOSE_PRE_RANK[name], int(marker[2] or 0))))


def _loose_clause(op: str, rest: str) -> list[_Cmp]:
    if re.fullmatch(r"v?[xX*](?:\.[xX*])*", rest):  # any version
        if op in ("<", ">", "!="):
            raise _Bad(f"{op}{rest} allows no version")
        return []
    m = re.fullmatch(r"v?(\d+(?:\.\d+)*)((?:\.[xX*])*)([-._]?[A-Za-z].*)?", rest)
    if m is None:
        raise _Bad(f"{rest!r} is not a version")
    v = _need(_loose_version, m[1] + (m[3] or ""))
    if m[3] and v.pre is None:
        raise _Bad(f"{rest!r} is not a version: only a pre-release marker like rc1 may follow the numbers")
    release = v.release
    written = len(release)
    if op in ("", "=", "==", "!=") and v.pre is None:  # 3.11 is any 3.11.x
        inside = _cmp("in", v, _floor_key(release), _floor_key(_bump(release, written - 1)))
        return [replace(inside, op="not-in")] if op == "!=" else [inside]
    if m[2] and op not in ("", "=", "==", "!=", ">=", "<", "^", "~"):
        raise _Bad(f"{op}{rest}: a wildcard only goes with =, >=, <, ^ or ~")
    if op == "^":
        first = next((i for i, x in enumerate(release) if x), written - 1)
        return [_cmp("in", v, upper=_floor_key(_bump(release, first)))]
    if op == "~":
        return [_cmp("in", v, upper=_floor_key(_bump(release, 1 if written > 1 else 0)))]
    if op in ("~>", "~="):
        return [_cmp("in", v, upper=_floor_key(_bump(release, max(0, written - 2))))]
    return [_plain(op or "==", v)]


def _loose_constraint(text: str) -> _Alternatives:
    alternatives = []
    for part in re.split(r"\s*\|\|?\s*", text.strip()):
        if not part:
            raise _Bad("an empty alternative")
        hyphen = _HYPHEN.fullmatch(part)
        if hyphen:  # 1.2 - 2.3 takes in all of 2.3.x, like a bare 2.3
            lo = _need(_loose_version, hyphen[1])
            hi = _need(_loose_version, hyphen[2])
            top = _cmp("<=", hi) if hi.pre else _cmp("<", hi, _floor_key(_bump(hi.release, len(hi.release) - 1)))
            alternatives.append((_cmp(">=", lo), top))
            continue
        comparators = []
        for op, rest in _clauses(part, r"\s*,\s*|\s+"):
            comparators += _loose_clause(op, rest)
        alternatives.append(tuple(comparators))
    return _Alternatives(tuple(alternatives), "order")


# --- the schemes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scheme:
    name: str
    label: str  # for messages: "npm range"
    version: Callable[[str], Version | None]  # an exact version, None when the text is not one
    constraint: Callable[[str], _Spec]  # raises _Bad or a library's ValueError
    loose_fallback: bool = False  # read a version a scheme's grammar refuses (Poetry's ^1.2) loosely


_SCHEME_TABLE: dict[str, _Scheme] = {
    s.name: s
    for s in (
        _Scheme("pep440", "PEP 440 specifier", _pep440_version, _pep440_constraint, loose_fallback=True),
        _Scheme("npm", "npm range", _semver_version("npm"), _npm_constraint),
        _Scheme("cargo", "Cargo requirement", _semver_version("cargo"), _cargo_constraint),
        _Scheme("composer", "Composer constraint", _composer_version, _composer_constraint, loose_fallback=True),
        _Scheme("gem", "RubyGems requirement", _gem_version, _gem_constraint),
        _Scheme("maven", "Maven version range", _maven_version, _maven_constraint),
        _Scheme("nuget", "NuGet version range", _nuget_version, _nuget_constraint),
        _Scheme("semver", "semver range", _semver_version("semver"), _semver_constraint),
        _Scheme("terraform", "Terraform version constraint", _terraform_version, _terraform_constraint),
        _Scheme(LOOSE, "version constraint", _loose_version, _loose_constraint),
    )
}


def scheme_of(ecosystem: str | None) -> str:
    """The scheme whose rules compare this ecosystem's versions ("loose" for anything unknown)."""
    return SCHEMES.get((ecosystem or "").strip().lower(), LOOSE)


def _scheme(ecosystem: str | None) -> _Scheme:
    return _SCHEME_TABLE[scheme_of(ecosystem)]


# --- the public API ----------------------------------------------------------------------------


def _unwrap(text: str) -> str | None:
    """The version part of what a manifest says, or None when it names no version (a tag, a
    variable, a path, a URL)."""
    s = text.strip().strip("'\"").strip()
    if "#semver:" in s:
        s = s.split("#semver:", 1)[1]
    s = s.removeprefix("workspace:")
    if s.startswith("npm:"):
        s = s.rsplit("@", 1)[1] if "@" in s[5:] else ""
    low = s.lower()
    if (
        not s
        or len(s) > MAX_TEXT
        or _VARIABLE.search(s)
        or low in TAGS
        or low.startswith(("lts/", "latest.", "file:", "link:", "git", "http", "./", "../", "/", "~/"))
        or "://" in s
    ):
        return None
    return s


def parse_version(text: str | None, ecosystem: str = "generic") -> Version | None:
    """A concrete version out of what a manifest or lock file says: the exact version, or the LOWEST
    version a declared range allows (`^18.2.0` -> 18.2.0, `>=3.2,<4` -> 3.2, `~> 7.1` -> 7.1,
    `[1.0,2.0)` -> 1.0, `(,2.0]` -> None (no lower bound), `v1.22.3` -> 1.22.3, `3.11-slim` -> 3.11,
    `20-alpine` -> 20, `1.2.3-beta.1` -> pre-release, `latest`/`*`/`${x}`/`` -> None).

    Never raises: manifests say anything, and an unknown version is an answer (None), not an error.
    The returned version's `text` is the text as found, range operators and all.
    """
    if not isinstance(text, str):
        return None
    try:
        s = _unwrap(text)
        if s is None:
            return None
        scheme = _scheme(ecosystem)
        found = scheme.version(s) or _lowest_of(s, scheme)
        if found is None and scheme.loose_fallback:
            loose = _loose_version(s) or _lowest_of(s, _SCHEME_TABLE[LOOSE])
            found = scheme.version(_dotted(loose.release)) if loose is not None and loose.pre is None else None
        return replace(found, text=text.strip()) if found is not None else None
    except Exception:  # the contract: an unreadable version is unknown, never a crash
        return None


def _lowest_of(text: str, scheme: _Scheme) -> Version | None:
    try:
        return _compile(text, scheme).lowest()
    except ConstraintError:
        return None


def _compile(text: object, scheme: _Scheme) -> _Spec:
    """The compiled constraint, or a ConstraintError quoting the text and saying what is expected."""
    if not isinstance(text, str):
        raise _error(text, scheme, f"expected text, found {type(text).__name__}")
    return _compile_text(text, scheme)


@lru_cache(maxsize=4096)  # an organisation repeats the same few ranges thousands of times
def _compile_text(text: str, scheme: _Scheme) -> _Spec:
    s = text.strip()
    if not s:
        raise _error(text, scheme, "empty")
    if len(s) > MAX_TEXT:
        raise _error(text, scheme, f"longer than {MAX_TEXT} characters")
    try:
        return scheme.constraint(s)
    except _Bad as err:
        raise _error(text, scheme, str(err)) from None
    except Exception:  # a library's own complaint about the syntax: say what is expected instead
        raise _error(text, scheme, "") from None


def _error(text: object, scheme: _Scheme, reason: str) -> ConstraintError:
    because = f": {reason}" if reason else ""
    return ConstraintError(
        f'"{text}": not a valid {scheme.label}{because}; expected something like {EXPECTED[scheme.name]}'
    )


@dataclass(frozen=True)
class Constraint:
    """A version constraint in an ecosystem's semantics, e.g. Constraint("npm", "^18")."""

    ecosystem: str
    text: str
    _spec: _Spec = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_spec", _compile(self.text, _scheme(self.ecosystem)))

    @property
    def scheme(self) -> str:
        return scheme_of(self.ecosystem)

    def allows(self, version: Version | str | None) -> bool | None:
        """None when the version is unknown/unparseable. A text is read as `parse_version` reads it,
        so a declared range is judged by the lowest version it allows."""
        v = self._coerce(version)
        if v is None:
            return None
        try:
            return bool(self._spec.allows(v))
        except Exception:  # e.g. a hand-built Version whose key this scheme cannot order
            return None

    def lowest(self) -> Version | None:
        """The lowest version the constraint allows (its lower bound as written; for an exclusive
        bound such as `>1.2`, the bound itself), None when unbounded below."""
        return self._spec.lowest()

    def _coerce(self, version: Version | str | None) -> Version | None:
        """The version in this constraint's scheme: a text is parsed; a Version of another scheme is
        read again from its text (or, failing that, from its release numbers when it is final)."""
        if isinstance(version, str):
            return parse_version(version, self.ecosystem)
        if not isinstance(version, Version):
            return None
        if version.scheme == self.scheme:
            return version
        again = parse_version(version.text, self.ecosystem)
        if again is None and version.pre is None and version.release:
            again = parse_version(_dotted(version.release), self.ecosystem)
        return again


def parse_constraint(text: str, ecosystem: str = "generic") -> Constraint:
    """The constraint a standards file writes as a target. Raises ConstraintError on bad input."""
    return Constraint(ecosystem, text)


def behind(version: Version | str | None, constraint: Constraint) -> tuple[int, int] | None:
    """(majors, minors) the version is behind the constraint's lowest allowed version, for a drift
    chart that counts whole upgrades. Precisely, with target = constraint.lowest():
    - None when the version is unknown (or unreadable in the constraint's scheme);
    - (0, 0) when the constraint allows it, when it is ahead of the target (above an upper bound,
      in a gap of a union), or when the constraint has no lower bound to be behind;
    - else majors = max(0, target.major - v.major); minors = max(0, target.minor - v.minor) when
      both have the same major, else 0 (so 2.7 against >=3.2 is (1, 0), 3.1 against >=3.4 is (0, 3),
      and 3.2.0 against >=3.2.5 is (0, 0): patches are not counted).
    """
    v = constraint._coerce(version)
    if v is None:
        return None
    allowed = constraint.allows(v)
    if allowed is None:
        return None
    target = constraint.lowest()
    if allowed or target is None:
        return (0, 0)
    majors = max(0, target.major - v.major)
    minors = max(0, target.minor - v.minor) if target.major == v.major else 0
    return (majors, minors)
