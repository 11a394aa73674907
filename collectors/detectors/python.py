"""Python: dependencies from requirements files and pyproject.toml, the Python version asked for.

- `requirements*.txt` (also `*-requirements.txt` and `requirements/*.txt`) and pip-tools' `.in`
  sources named the same way (`requirements.in`, `requirements/dev.in`), pip's format:
  comments, line continuations, `-r` includes followed through the repository (relative to the
  including file), `-c` constraints skipped, `-e` editable lines, `--hash` and other per-line
  options, environment markers, extras, `name @ url` and bare VCS URLs with `#egg=`. The scope
  comes from the file name: `requirements-dev.txt` is dev, `requirements/test.txt` is test.
- `pyproject.toml`: PEP 621 `[project]` dependencies and optional-dependencies, PEP 735
  `[dependency-groups]`, Poetry's `[tool.poetry]` dependencies and groups, PDM's and uv's dev
  dependencies, `[build-system] requires` (build scope); `requires-python` and Poetry's `python`
  are the Python runtime, not a dependency.
- `.python-version` and Heroku's `runtime.txt` (`python-3.11.4`) are the Python runtime too.
- `poetry.lock` and `uv.lock` fill `resolved` for the pyproject.toml dependencies they lock.

setup.py / setup.cfg are read by `python_setup`, Pipfile / Pipfile.lock by `python_pipenv`.

Names are normalised as PEP 503 says (lower case, runs of `-_.` become `-`); `declared` is the
specifier as the manifest writes it (`>=1.0,<2`, spaces dropped), or the URL of a direct reference;
a Poetry constraint or a Python version range keeps only the spaces that mean something
(`>= 3.7, <4` is `>=3.7,<4`, Poetry's `>=1.2 <2` stays).
"""

from __future__ import annotations

import heapq
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from collectors.detectors.parsing import ParseError, load_toml, manifest_texts, read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

ECOSYSTEM = "pypi"

#: pip's requirements files, and pip-tools' `.in` sources named the same way (`requirements.in`,
#: `requirements/dev.in`); a bare `*.in` would take MANIFEST.in and autoconf's Makefile.in too.
REQUIREMENTS_GLOBS: tuple[str, ...] = tuple(
    pattern.format(ext=ext)
    for ext in ("txt", "in")
    for pattern in (
        "requirements*.{ext}",
        "*-requirements.{ext}",
        "*_requirements.{ext}",
        "requirements/*.{ext}",
        "*/requirements/*.{ext}",
    )
)
LOCK_FILES: tuple[str, ...] = ("poetry.lock", "uv.lock")
VERSION_FILES: tuple[str, ...] = (".python-version", "runtime.txt")
WANTS: tuple[str, ...] = (*REQUIREMENTS_GLOBS, "pyproject.toml", *VERSION_FILES, *LOCK_FILES)

#: Words in a requirements file's name or a dependency group's name, and the scope they mean;
#: checked in this order ("requirements-test-dev.txt" is test).
SCOPE_WORDS: tuple[tuple[str, str], ...] = (
    ("test", "test tests testing ci e2e integration unit qa coverage"),
    ("dev", "dev devel develop development lint linting linters local tools tooling typing types mypy"),
    ("dev", "docs doc documentation style format formatting"),
    ("build", "build setup packaging dist"),
    ("optional", "optional extra extras opt"),
)

#: pip's file-wide options (`-i URL`, `--pre`): they say where packages come from, not which.
_GLOBAL_OPTIONS = frozenset(
    {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host", "--no-binary"}
    | {"--only-binary", "--use-feature", "--progress-bar", "--config-settings", "-C", "--pre"}
    | {"--no-index", "--prefer-binary", "--require-hashes", "-Z", "--always-unzip"}
)
_COMMENT_RE = re.compile(r"(^|\s+)#.*$")
_NAME_AT_RE = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@")
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_ARCHIVE_RE = re.compile(r"\.(whl|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|zip)$", re.IGNORECASE)


class PythonManifestError(ParseError):
    """A Python manifest that cannot be read at all (not valid TOML, not text)."""


@dataclass
class Parsed:
    """What one manifest says: dependencies, runtimes, includes to follow, problems."""

    dependencies: list[Dependency] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    includes: list[tuple[int, str]] = field(default_factory=list)  # (line, target as written)
    warnings: list[str] = field(default_factory=list)


# --- scopes ---------------------------------------------------------------------------------------


def scope_from_words(name: str, default: str) -> str:
    """The scope a file or group name suggests: "requirements-dev" -> dev, "tests" -> test."""
    words = set(re.split(r"[-_.\s]+", name.lower()))
    for scope, vocabulary in SCOPE_WORDS:
        if not words.isdisjoint(vocabulary.split()):
            return scope
    return default


def requirements_scope(path: str) -> str:
    """requirements.txt -> runtime, requirements-dev.txt -> dev, requirements/test.txt -> test."""
    folder, name = posixpath.split(path)
    stem = re.sub(r"\.(txt|in)$", "", name, flags=re.IGNORECASE)
    if posixpath.basename(folder) != "requirements":
        stem = re.sub(r"(^|[-_.])requirements([-_.]|$)", " ", stem, flags=re.IGNORECASE)
    return scope_from_words(stem, "runtime")


# --- one requirement ----------------------------------------------------------------------------


def parse_requirement(text: str) -> tuple[str, str | None] | None:
    """(normalised name, declared) for one requirement as pip writes it; None for a local folder.

    Raises ValueError with a reason a person can act on.
    """
    text = text.strip()
    if _NAME_AT_RE.match(text):
        return _pep508(text)
    if _URL_RE.match(text) or text.startswith(("git+", "hg+", "svn+", "bzr+")):
        url, _, fragment = text.partition("#")
        egg = re.search(r"(?:^|&)egg=([^&]+)", fragment)
        if egg is None:
            archive = _local_archive(url.rsplit("/", 1)[-1])  # .../pkg-1.0-py3-none-any.whl
            if archive is not None:
                return archive[0], url
            raise ValueError(f"{text!r}: a URL without #egg=name; the package cannot be told")
        name = re.sub(r"\[.*$", "", egg.group(1)).strip()
        if not name or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            raise ValueError(f"{text!r}: #egg={egg.group(1)} is not a package name")
        return canonicalize_name(name), url
    if text.startswith((".", "/", "~")) or "/" in text or "\\" in text or _ARCHIVE_RE.search(text):
        return _local_archive(text)
    return _pep508(text)


def _pep508(text: str) -> tuple[str, str | None]:
    try:
        req = Requirement(text)
    except InvalidRequirement as err:
        reason = str(err).splitlines()[0] if str(err) else "invalid"
        raise ValueError(f"{text!r} is not a valid requirement ({reason})") from None
    if req.url:
        return canonicalize_name(req.name), req.url
    return canonicalize_name(req.name), _as_written(text) if req.specifier else None


_NAME_AND_EXTRAS = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?")


def _as_written(text: str) -> str:
    """The version specifier as the manifest writes it, spaces and parentheses dropped."""
    rest = _NAME_AND_EXTRAS.sub("", text.split(";", 1)[0], count=1)
    return re.sub(r"\s+", "", rest).strip("()")


_AROUND_COMMAS = re.compile(r"\s*,\s*")
_AFTER_OPERATOR = re.compile(r"(===|==|!=|<=|>=|~=|<|>|\^|~)\s+")


def tidy_specifier(text: str) -> str | None:
    """A version constraint as written, with the spaces that carry no meaning dropped:
    `>= 3.7, < 4` is `>=3.7,<4`; Poetry's `>=1.2 <2` (a space is "and") and `^1 || ^2` keep theirs.
    None when nothing is left."""
    tidy = _AFTER_OPERATOR.sub(r"\1", _AROUND_COMMAS.sub(",", text.strip()))
    return tidy or None


def _local_archive(text: str) -> tuple[str, str | None] | None:
    """A wheel or sdist named by path gives its package; a project folder is not a dependency."""
    name = posixpath.basename(text.replace("\\", "/"))
    try:
        if name.lower().endswith(".whl"):
            return str(parse_wheel_filename(name)[0]), text
        if _ARCHIVE_RE.search(name):
            return str(parse_sdist_filename(name)[0]), text
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


# --- requirements files -------------------------------------------------------------------------


def _logical_lines(text: str) -> Iterable[tuple[int, str]]:
    """(first line number, line) with continuations joined and comments removed, as pip does."""
    pending: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines(), start=1):
        is_comment = line.lstrip().startswith("#")
        if line.endswith("\\") and not is_comment:
            if not pending:
                first = number
            pending.append(line[:-1])
            continue
        if pending:
            pending.append(" " + line if is_comment else line)
            yield first, _COMMENT_RE.sub("", "".join(pending)).strip()
            pending = []
        else:
            yield number, _COMMENT_RE.sub("", line).strip()
    if pending:
        yield first, _COMMENT_RE.sub("", "".join(pending)).strip()


def _option_value(tokens: list[str]) -> str | None:
    """The value of `-r x`, `-rx`, `--requirement x` or `--requirement=x` (tokens[0] is the option)."""
    head = tokens[0]
    if "=" in head and head.startswith("--"):
        return head.split("=", 1)[1] or None
    if head.startswith("-") and not head.startswith("--") and len(head) > 2:
        return head[2:]
    return tokens[1] if len(tokens) > 1 else None


def parse_requirements(text: str, path: str, scope: str = "runtime") -> Parsed:
    """One requirements file: its dependencies, its `-r` includes and its problems (by line)."""
    out = Parsed()
    for number, line in _logical_lines(text):
        if not line:
            continue
        tokens = line.split()
        head = tokens[0].split("=", 1)[0] if tokens[0].startswith("--") else tokens[0][:2]
        if head in ("-r", "--requirement"):
            target = _option_value(tokens)
            if target is None:
                out.warnings.append(f"line {number}: {head} without a file name")
            else:
                out.includes.append((number, target))
            continue
        if head in ("-c", "--constraint"):
            continue  # constraints pin versions without asking for packages
        editable = head in ("-e", "--editable")
        if editable:
            value = _option_value(tokens)
            if value is None:
                out.warnings.append(f"line {number}: {head} without a project")
                continue
            requirement = value
        elif line.startswith("-"):
            if head not in _GLOBAL_OPTIONS:
                out.warnings.append(f"line {number}: unknown option {tokens[0]}")
            continue
        else:
            # pip's rule: the requirement ends where the first " -option" starts (--hash=...)
            words: list[str] = []
            for token in tokens:
                if token.startswith("-") and words:
                    break
                words.append(token)
            requirement = " ".join(words)
        try:
            found = parse_requirement(requirement)
        except ValueError as err:
            out.warnings.append(f"line {number}: {err}")
            continue
        if found is not None:
            name, declared = found
            out.dependencies.append(Dependency(ECOSYSTEM, name, declared, None, scope, path))
    return out


def resolve_include(including: str, target: str) -> str | None:
    """The repository path `-r target` names from the file `including`; None when it leaves the
    repository or is a URL."""
    if _URL_RE.match(target) or target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(including), target))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined


# --- pyproject.toml -----------------------------------------------------------------------------


def parse_pyproject(text: str, path: str) -> Parsed:
    """PEP 621, PEP 735, Poetry, PDM and uv dependencies and the Python runtime of one file."""
    try:
        data = load_toml(text)
    except ParseError as err:
        return Parsed(warnings=[str(err)])
    return parse_pyproject_data(data, path)


def parse_pyproject_data(data: dict[str, Any], path: str) -> Parsed:
    """`parse_pyproject` once the TOML is read: every value is checked for its type."""
    out = Parsed()
    project = _table(data, "project", out)
    own_name = canonicalize_name(project["name"]) if isinstance(project.get("name"), str) else None

    def add(specs: Any, scope: str, where: str) -> None:
        for spec in _string_list(specs, where, out):
            try:
                found = parse_requirement(spec)
            except ValueError as err:
                out.warnings.append(f"{where}: {err}")
                continue
            if found is not None and found[0] != own_name:  # "pkg[extra]" naming itself
                out.dependencies.append(Dependency(ECOSYSTEM, found[0], found[1], None, scope, path))

    # PEP 621
    if "requires-python" in project:
        _runtime(project["requires-python"], "project.requires-python", path, out)
    if "dependencies" in project:
        add(project["dependencies"], "runtime", "project.dependencies")
    for extra, specs in _table(project, "optional-dependencies", out, "project.").items():
        add(specs, scope_from_words(str(extra), "optional"), f"project.optional-dependencies.{extra}")
    # PEP 735
    for group, specs in _table(data, "dependency-groups", out).items():
        where = f"dependency-groups.{group}"
        if isinstance(specs, list):  # {include-group = "..."} entries name other groups: skip
            specs = [s for s in specs if not (isinstance(s, dict) and set(s) == {"include-group"})]
        add(specs, scope_from_words(str(group), "dev"), where)
    # build-system
    build = _table(data, "build-system", out)
    if "requires" in build:
        add(build["requires"], "build", "build-system.requires")
    # tools
    tool = _table(data, "tool", out)
    poetry = _table(tool, "poetry", out, "tool.")
    _poetry_dependencies(_table(poetry, "dependencies", out, "tool.poetry."), "runtime", path, out)
    _poetry_dependencies(_table(poetry, "dev-dependencies", out, "tool.poetry."), "dev", path, out)
    for group, body in _table(poetry, "group", out, "tool.poetry.").items():
        if not isinstance(body, dict):
            out.warnings.append(f"tool.poetry.group.{group}: not a table")
            continue
        deps = _table(body, "dependencies", out, f"tool.poetry.group.{group}.")
        _poetry_dependencies(deps, scope_from_words(str(group), "dev"), path, out, f"group.{group}.")
    pdm = _table(tool, "pdm", out, "tool.")
    for group, specs in _table(pdm, "dev-dependencies", out, "tool.pdm.").items():
        add(specs, scope_from_words(str(group), "dev"), f"tool.pdm.dev-dependencies.{group}")
    uv = _table(tool, "uv", out, "tool.")
    if "dev-dependencies" in uv:
        add(uv["dev-dependencies"], "dev", "tool.uv.dev-dependencies")
    return out


def _table(parent: dict[str, Any], key: str, out: Parsed, prefix: str = "") -> dict[str, Any]:
    value = parent.get(key, {})
    if not isinstance(value, dict):
        out.warnings.append(f"{prefix}{key}: expected a table, found {kind_of(value)}")
        return {}
    return value


def _string_list(value: Any, where: str, out: Parsed) -> list[str]:
    if not isinstance(value, list):
        out.warnings.append(f"{where}: expected a list of requirements, found {kind_of(value)}")
        return []
    good = [v for v in value if isinstance(v, str)]
    if len(good) != len(value):
        out.warnings.append(f"{where}: {len(value) - len(good)} entries are not strings")
    return good


def _runtime(value: Any, where: str, path: str, out: Parsed) -> None:
    if isinstance(value, str) and value.strip():
        out.runtimes.append(Runtime("python", tidy_specifier(value), evidence=path))
    else:
        out.warnings.append(f"{where}: expected a version string, found {kind_of(value)}")


def _poetry_dependencies(deps: dict[str, Any], scope: str, path: str, out: Parsed, where: str = "") -> None:
    for raw_name, spec in deps.items():
        place = f"tool.poetry.{where}dependencies.{raw_name}"
        if raw_name.lower() == "python":
            version = spec.get("version") if isinstance(spec, dict) else spec
            _runtime(version, place, path, out)
            continue
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", raw_name):
            out.warnings.append(f"{place}: {raw_name!r} is not a package name")
            continue
        name = canonicalize_name(raw_name)
        for entry in spec if isinstance(spec, list) else [spec]:
            found = _poetry_constraint(entry)
            if isinstance(found, str):
                out.warnings.append(f"{place}: {found}")
            elif found is not None:
                declared, optional = found
                out.dependencies.append(
                    Dependency(ECOSYSTEM, name, declared, None, "optional" if optional else scope, path)
                )


def _poetry_constraint(entry: Any) -> tuple[str | None, bool] | str | None:
    """(declared, optional) of one Poetry constraint; None for a path dependency; a str is a problem."""
    if isinstance(entry, str):
        return tidy_specifier(entry), False
    if not isinstance(entry, dict):
        return f"expected a version or a table, found {kind_of(entry)}"
    optional = entry.get("optional") is True
    if "path" in entry:
        return None
    if isinstance(entry.get("git"), str):
        ref = next((entry[k] for k in ("rev", "tag", "branch") if isinstance(entry.get(k), str)), None)
        url = entry["git"] if entry["git"].startswith("git+") else f"git+{entry['git']}"
        return (f"{url}@{ref}" if ref else url), optional
    if isinstance(entry.get("url"), str):
        return entry["url"], optional
    version = entry.get("version")
    if version is not None and not isinstance(version, str):
        return f"version: expected a string, found {kind_of(version)}"
    return tidy_specifier(version) if version else None, optional


def kind_of(value: Any) -> str:
    """What a value is, in a manifest's words ("a table", "a number"), for warnings."""
    return {
        dict: "a table",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


# --- .python-version and lock files -------------------------------------------------------------


def parse_python_version(text: str, path: str) -> Parsed:
    """pyenv's .python-version: the first version named (one per line, # comments allowed)."""
    out = Parsed()
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            out.runtimes.append(Runtime("python", words[0], evidence=path))
            return out
    out.warnings.append("names no Python version")
    return out


_RUNTIME_TXT_RE = re.compile(r"python-?(\d[\w.+-]*)", re.IGNORECASE)


def parse_runtime_txt(text: str, path: str) -> Parsed:
    """Heroku's runtime.txt: `python-3.11.4` asks for Python 3.11.4."""
    out = Parsed()
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        match = _RUNTIME_TXT_RE.fullmatch(words[0])
        if match is None:
            out.warnings.append(f"{words[0][:60]!r} is not a Python runtime (expected python-3.x.y)")
        else:
            out.runtimes.append(Runtime("python", match.group(1), evidence=path))
        return out
    out.warnings.append("names no Python version")
    return out


def parse_lock(text: str) -> dict[str, str]:
    """poetry.lock or uv.lock: normalised name -> the one version locked (names locked at several
    versions, for different platforms or Pythons, are left out). Raises ParseError."""
    data = load_toml(text)
    packages = data.get("package", [])
    if not isinstance(packages, list):
        raise PythonManifestError("package: expected an array of tables")
    versions: dict[str, set[str]] = {}
    for package in packages:
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            version = package.get("version")
            if isinstance(version, str):
                versions.setdefault(canonicalize_name(package["name"]), set()).add(version)
    return {name: found.pop() for name, found in versions.items() if len(found) == 1}


# --- the detector -------------------------------------------------------------------------------


def merge_into(facts: Facts, path: str, parsed: Parsed) -> None:
    facts.dependencies += parsed.dependencies
    facts.runtimes += parsed.runtimes
    for message in parsed.warnings:
        facts.warn(path, message)


_SCOPE_ORDER = {"runtime": 0, "build": 1, "optional": 2, "test": 3, "dev": 4}


def _requirements(repo: RepoView, facts: Facts) -> None:
    roots = [p for p in repo.matching(REQUIREMENTS_GLOBS) if not manifest_excluded(p)]
    own_files = set(roots)
    # Runtime files first, so a file included from both a runtime and a dev file counts as runtime.
    queue = [(_SCOPE_ORDER.get(s, 9), p, s) for p in roots for s in [requirements_scope(p)]]
    heapq.heapify(queue)
    done: set[str] = set()
    while queue:
        _, path, scope = heapq.heappop(queue)
        if path in done:
            continue
        done.add(path)
        text = read_text(repo, path, facts)
        if text is None:
            continue
        parsed = parse_requirements(text, path, scope)
        merge_into(facts, path, parsed)
        for line, target in parsed.includes:
            included = resolve_include(path, target)
            if included is None:
                facts.warn(path, f"line {line}: -r {target}: outside the repository, not followed")
            elif included in own_files:
                continue  # read on its own, with the scope its own name gives
            elif not repo.exists(included):
                facts.warn(path, f"line {line}: -r {target}: {included} is not in the repository")
            else:
                heapq.heappush(queue, (_SCOPE_ORDER.get(scope, 9), included, scope))


def _locked_versions(repo: RepoView, facts: Facts) -> dict[str, dict[str, str]]:
    """Folder -> {name: version} from the poetry.lock or uv.lock in it."""
    locks: dict[str, dict[str, str]] = {}
    for path, text in manifest_texts(repo, LOCK_FILES, facts):
        try:
            versions = parse_lock(text)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        locks.setdefault(posixpath.dirname(path), {}).update(versions)
    return locks


def _lock_for(folder: str, locks: dict[str, dict[str, str]]) -> dict[str, str] | None:
    """The lock beside a pyproject.toml, else the nearest one above it (a uv workspace's)."""
    while True:
        if folder in locks:
            return locks[folder]
        if not folder:
            return None
        folder = posixpath.dirname(folder)


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    _requirements(repo, facts)
    locks = _locked_versions(repo, facts)
    for path, text in manifest_texts(repo, ("pyproject.toml",), facts):
        parsed = parse_pyproject(text, path)
        lock = _lock_for(posixpath.dirname(path), locks)
        if lock:  # build requirements are not locked
            parsed.dependencies = [
                d if d.scope == "build" else replace(d, resolved=lock.get(d.name)) for d in parsed.dependencies
            ]
        merge_into(facts, path, parsed)
    for path in repo.matching(VERSION_FILES):
        if manifest_excluded(path):
            continue
        text = read_text(repo, path, facts)
        if text is not None:
            parse = parse_runtime_txt if path.endswith("runtime.txt") else parse_python_version
            merge_into(facts, path, parse(text, path))
    return facts
