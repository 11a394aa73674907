"""PHP (Composer): composer.json dependencies, composer.lock versions, the PHP version asked for.

- `composer.json` anywhere outside vendored code (vendor/ is where Composer installs): `require`
  (runtime) and `require-dev` (dev), names lower-cased as Composer compares them. `php` in
  `require` is the PHP runtime; the other platform packages (`ext-*`, `lib-*`, `php-64bit`,
  `composer-plugin-api`, ...) say what the PHP installation must have and are left out.
- `composer.lock` beside it fills `resolved` from `packages` and `packages-dev` (the version as
  the lock writes it: `v6.4.1` for a tag named so).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from functools import partial

from collectors.detectors.parsing import ParseError, kind_of, load_json, manifest_texts, read_text
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "packagist"
WANTS: tuple[str, ...] = ("composer.json", "composer.lock")

SECTIONS: tuple[tuple[str, str], ...] = (("require", "runtime"), ("require-dev", "dev"))
#: Platform packages: what the PHP installation provides, not packages Composer installs.
_PLATFORM_RE = re.compile(
    r"^(php(-64bit|-ipv6|-zts|-debug)?|hhvm|composer(-plugin-api|-runtime-api)?|(ext|lib)-.+)$", re.IGNORECASE
)


@dataclass
class Parsed:
    dependencies: list[Dependency] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_kind = partial(kind_of, mapping="an object")


def parse_composer_json(text: str, path: str) -> Parsed:
    """One composer.json. Raises ParseError when it is not a JSON object."""
    data = load_json(text)
    if not isinstance(data, dict):
        raise ParseError(f"expected an object at the top, found {_kind(data)}")
    out = Parsed()
    for section, scope in SECTIONS:
        entries = data.get(section)
        if entries is None or entries == []:  # PHP's json_encode writes an empty object as []
            continue
        if not isinstance(entries, dict):
            out.warnings.append(f"{section}: expected an object, found {_kind(entries)}")
            continue
        for name, constraint in entries.items():
            if not isinstance(constraint, str):
                out.warnings.append(f"{section}.{name}: expected a version constraint, found {_kind(constraint)}")
                continue
            if name.lower() == "php":
                if scope == "runtime" and constraint.strip():
                    out.runtimes.append(Runtime("php", constraint.strip(), evidence=path))
                continue
            if _PLATFORM_RE.match(name):
                continue
            if "/" not in name.strip("/"):
                out.warnings.append(f"{section}: {name!r} is not a vendor/package name")
                continue
            out.dependencies.append(Dependency(ECOSYSTEM, name.lower(), constraint.strip() or None, None, scope, path))
    return out


def parse_composer_lock(text: str) -> dict[str, str]:
    """Package name (lower case) -> version locked, from `packages` and `packages-dev`.

    Raises ParseError when it is not a usable lock."""
    data = load_json(text)
    if not isinstance(data, dict):
        raise ParseError(f"expected an object at the top, found {_kind(data)}")
    if "packages" not in data and "packages-dev" not in data:
        raise ParseError("neither `packages` nor `packages-dev` found: not a composer.lock")
    versions: dict[str, str] = {}
    for section in ("packages", "packages-dev"):
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise ParseError(f"{section}: expected a list, found {_kind(entries)}")
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("version"), str):
                versions[entry["name"].lower()] = entry["version"]
    return versions


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    for path, text in manifest_texts(repo, ("composer.json",), facts):
        try:
            parsed = parse_composer_json(text, path)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        lock_path = posixpath.join(posixpath.dirname(path), "composer.lock")
        if repo.exists(lock_path):
            lock_text = read_text(repo, lock_path, facts)
            if lock_text is not None:
                try:
                    lock = parse_composer_lock(lock_text)
                except ParseError as err:
                    facts.warn(lock_path, str(err))
                else:
                    parsed.dependencies = [replace(d, resolved=lock.get(d.name)) for d in parsed.dependencies]
        facts.dependencies += parsed.dependencies
        facts.runtimes += parsed.runtimes
        for message in parsed.warnings:
            facts.warn(path, message)
    return facts
