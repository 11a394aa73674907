"""setuptools packages: dependencies from `setup.cfg` and `setup.py`, the Python version asked for.

Many older (and some current) Python projects declare what they need to setuptools rather than
in pyproject.toml; without these two files such a repository would look as if it had no
dependencies at all.

- `setup.cfg`, `[options]`: `install_requires` (runtime), `tests_require` (test), `setup_requires`
  (build), `python_requires` (the Python runtime); `[options.extras_require]` (scope from the
  extra's name: `test` is test, `docs` dev, anything else optional). Values are read the way
  setuptools reads them: one requirement a line, or `;`-separated on a single line, full-line
  comments skipped, `file: requirements.in` followed through the repository (unless the file is
  a requirements file the `python` detector reads on its own).
- `setup.py` is read STATICALLY with `ast`, never executed: the same keywords of every
  `setup(...)` call (`setuptools.setup`, `distutils.core.setup`, an imported alias), when their
  values are literals (lists, tuples, dicts, strings, `list + list`, `dict(a=...)`) or names
  bound once to such literals (`REQUIRES = [...]; setup(install_requires=REQUIRES)`), also
  through `setup(**KWARGS)`. A value computed at run time (read from a file, built in a loop,
  appended to) is reported as "setup.py computes its dependencies; not read (keyword)", never
  guessed.

`%(name)s` references in setup.cfg are expanded as setuptools' ConfigParser does, within limits.

Not covered: `attr:` directives, `-r` includes inside a `file:`
target, and anything a setup.py computes.
"""

from __future__ import annotations

import ast
import configparser
import posixpath
import re
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name

from collectors.detectors.parsing import manifest_texts, read_text
from collectors.detectors.python import (
    ECOSYSTEM,
    REQUIREMENTS_GLOBS,
    Parsed,
    kind_of,
    merge_into,
    parse_requirement,
    parse_requirements,
    resolve_include,
    scope_from_words,
    tidy_specifier,
)
from collectors.facts import Dependency, Facts, Runtime
from collectors.repo_view import RepoView

WANTS: tuple[str, ...] = ("setup.py", "setup.cfg")

#: setuptools keywords that list requirements, and the scope of what they list;
#: `extras_require` takes its scope from each extra's name.
KEYWORD_SCOPES: tuple[tuple[str, str], ...] = (
    ("install_requires", "runtime"),
    ("tests_require", "test"),
    ("setup_requires", "build"),
)
EXTRAS = "extras_require"
PYTHON_REQUIRES = "python_requires"
DYNAMIC = "setup.py computes its dependencies; not read"

#: Modules whose `setup` function takes setuptools' keywords (for `from x import setup as y`).
SETUP_MODULES = frozenset({"setuptools", "distutils.core", "skbuild", "numpy.distutils.core"})
#: Methods that change a list or dict in place: a name they are called on is not a literal.
MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "update", "setdefault", "sort"})
#: How deep a value may nest (names, lists, `+`) before it counts as computed: also ends cycles.
MAX_DEPTH = 32


@dataclass
class SetupParsed(Parsed):
    """`Parsed`, plus the `file:` targets setup.cfg points at: (scope, path as written)."""

    file_includes: list[tuple[str, str]] = field(default_factory=list)


def _requirement_deps(
    specs: Iterable[str], scope: str, where: str, path: str, own_name: str | None, out: Parsed
) -> None:
    for spec in specs:
        try:
            found = parse_requirement(spec)
        except ValueError as err:
            out.warnings.append(f"{where}: {err}")
            continue
        if found is not None and found[0] != own_name:  # "pkg[extra]" naming the package itself
            out.dependencies.append(Dependency(ECOSYSTEM, found[0], found[1], None, scope, path))


def _extra_scope(extra: str) -> tuple[str, str]:
    """(extra name, scope) of an extras_require key; `":python_version<'3.8'"` is a runtime
    requirement with a marker, `"test:sys_platform=='win32'"` the extra `test`."""
    name = extra.split(":", 1)[0].strip()
    return (name, "runtime") if not name else (name, scope_from_words(name, "optional"))


# --- setup.cfg ----------------------------------------------------------------------------------


def _cfg_list(value: str) -> list[str]:
    """setuptools' `list-semi`: one item a line, or `;`-separated on one line; `#` lines dropped."""
    chunks = value.splitlines() if "\n" in value else value.split(";")
    return [c.strip() for c in chunks if c.strip() and not c.strip().startswith("#")]


_REFERENCE = re.compile(r"%\(([^)]*)\)s|%%|%")
#: Interpolation limits: `%(a)s` may name values that name values, but not without end, and ten
#: references to ten references to ... must not grow into gigabytes or billions of steps.
MAX_INTERPOLATION_DEPTH = 10
MAX_INTERPOLATED_CHARS = 64 * 1024
MAX_INTERPOLATION_STEPS = 10_000


def _interpolate(parser: configparser.ConfigParser, section: str, value: str) -> str:
    """`%(name)s` as setuptools' ConfigParser expands it (SQLAlchemy's extras use it), from the
    same section or [DEFAULT]; `%%` is a percent sign. Raises ValueError with a reason."""
    steps = [0]

    def expand(value: str, depth: int) -> str:
        if "%" not in value:
            return value
        if depth >= MAX_INTERPOLATION_DEPTH:
            raise ValueError(f"%(...)s references nested deeper than {MAX_INTERPOLATION_DEPTH}")
        pieces: list[str] = []
        size = position = 0
        for match in _REFERENCE.finditer(value):
            steps[0] += 1
            if steps[0] > MAX_INTERPOLATION_STEPS:
                raise ValueError(f"%(...)s references take over {MAX_INTERPOLATION_STEPS:,} steps to expand")
            pieces.append(value[position : match.start()])
            if match.group(0) == "%%":
                pieces.append("%")
            elif match.group(1) is None:
                shown = value[match.start() : match.start() + 12]
                raise ValueError(f"a lone '%' at {shown!r} (write %% for a percent sign)")
            else:
                raw = parser.get(section, match.group(1), raw=True, fallback=None)
                if raw is None:
                    raise ValueError(f"%({match.group(1)})s names no value in [{section}]")
                pieces.append(expand(raw, depth + 1))
            position = match.end()
            size += len(pieces[-2]) + len(pieces[-1])
            if size > MAX_INTERPOLATED_CHARS:
                raise ValueError(f"%(...)s references expand past {MAX_INTERPOLATED_CHARS:,} characters")
        pieces.append(value[position:])
        return "".join(pieces)

    return expand(value, 0)


def parse_setup_cfg(text: str, path: str) -> SetupParsed:
    """One setup.cfg: `[options]` requirements, extras and python_requires."""
    out = SetupParsed()
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # extras keep their case
    try:
        parser.read_string(text, source=path)
    except configparser.Error as err:
        reason = "; ".join(line.strip() for line in str(err).splitlines() if line.strip())
        out.warnings.append(f"not valid setup.cfg: {(reason or type(err).__name__)[:200]}")
        return out
    except RecursionError:
        out.warnings.append("not read: setup.cfg nested too deeply")
        return out
    raw_name = parser.get("metadata", "name", fallback=None)
    own_name = canonicalize_name(raw_name.strip()) if raw_name and raw_name.strip() else None

    def add(value: str, scope: str, section: str, where: str) -> None:
        try:
            value = _interpolate(parser, section, value)
        except ValueError as err:
            out.warnings.append(f"{where}: {err}")
            return
        value = value.strip()
        if value.startswith("file:"):
            for target in value[len("file:") :].split(","):
                if target.strip():
                    out.file_includes.append((scope, target.strip()))
            return
        _requirement_deps(_cfg_list(value), scope, where, path, own_name, out)

    if parser.has_section("options"):
        options = parser["options"]
        for keyword, scope in KEYWORD_SCOPES:
            if keyword in options:
                add(parser.get("options", keyword, raw=True), scope, "options", f"options.{keyword}")
        python = tidy_specifier(options.get(PYTHON_REQUIRES, ""))
        if python:
            out.runtimes.append(Runtime("python", python, evidence=path))
    section = f"options.{EXTRAS}"
    if parser.has_section(section):
        for extra, value in parser[section].items():
            name, scope = _extra_scope(extra)
            add(value, scope, section, f"{section}.{name or extra}")
    return out


# --- setup.py -----------------------------------------------------------------------------------


class _Computed(Exception):
    """A value that only running setup.py would tell."""


@dataclass
class _Bindings:
    """What each name in setup.py is bound to: the one expression, or None when it is bound more
    than once, imported, a loop variable, or changed in place."""

    values: dict[str, ast.expr | None] = field(default_factory=dict)

    def bind(self, name: str, value: ast.expr | None) -> None:
        self.values[name] = value if name not in self.values else None

    def lookup(self, name: str) -> ast.expr:
        value = self.values.get(name)
        if value is None:
            raise _Computed(name)
        return value


def _bindings(tree: ast.Module) -> tuple[_Bindings, set[str]]:
    """Every name binding in the file (any scope: a setup() inside `def main()` is common) and
    the local names `setup` is imported as."""
    names = _Bindings()
    setup_names = {"setup"}

    def rebind(target: ast.AST) -> None:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                names.bind(node.id, None)

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.bind(target.id, node.value)
                else:
                    rebind(target)  # x, y = ...; X[0] = ...; X.attr = ...
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.bind(node.target.id, node.value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.Delete)):
            for target in node.targets if isinstance(node, ast.Delete) else [node.target]:
                rebind(target)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            rebind(node.target)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            rebind(node.optional_vars)
        elif isinstance(node, ast.NamedExpr):
            rebind(node.target)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                names.bind(local, None)
                if isinstance(node, ast.ImportFrom) and node.module in SETUP_MODULES and alias.name == "setup":
                    setup_names.add(local)
        elif isinstance(node, ast.arg):
            names.bind(node.arg, None)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.bind(node.name, None)  # `def list(...)` shadows the builtin
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATORS
            and isinstance(node.func.value, ast.Name)
        ):
            names.bind(node.func.value.id, None)
    return names, setup_names


def _static(node: ast.expr, names: _Bindings, depth: int = 0) -> Any:
    """The value of an expression made only of literals and names bound once to literals."""
    if depth > MAX_DEPTH:
        raise _Computed("nested too deeply")
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None))):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items: list[Any] = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                items += _as_list(_static(element.value, names, depth + 1))
            else:
                items.append(_static(element, names, depth + 1))
        return items
    if isinstance(node, ast.Dict):
        out: dict[Any, Any] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:  # {**OTHER}
                out.update(_as_dict(_static(value, names, depth + 1)))
            else:
                out[_hashable(_static(key, names, depth + 1))] = _static(value, names, depth + 1)
        return out
    if isinstance(node, ast.Name):
        return _static(names.lookup(node.id), names, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _static(node.left, names, depth + 1), _static(node.right, names, depth + 1)
        if isinstance(left, list) and isinstance(right, list):
            return left + right
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        raise _Computed("+ of different kinds")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in names.values:
        # a builtin, not shadowed by a binding in the file
        if node.func.id in ("list", "tuple", "sorted", "set") and len(node.args) == 1 and not node.keywords:
            return _as_list(_static(node.args[0], names, depth + 1))
        if node.func.id == "dict" and len(node.args) <= 1:
            out = _as_dict(_static(node.args[0], names, depth + 1)) if node.args else {}
            for keyword in node.keywords:
                value = _static(keyword.value, names, depth + 1)
                out.update(_as_dict(value) if keyword.arg is None else {keyword.arg: value})
            return out
    raise _Computed(type(node).__name__)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value)
    raise _Computed("not a list")


def _as_dict(value: Any) -> dict[Any, Any]:
    if isinstance(value, dict):
        return value
    raise _Computed("not a dict")


def _describe(node: ast.expr) -> str:
    """A short name for an expression in a warning (never `ast.unparse`: it recurses)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return f"<{type(node).__name__.lower()}>"


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        raise _Computed("a list as a key")
    return value


def _setup_calls(tree: ast.Module, setup_names: set[str]) -> list[ast.Call]:
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id in setup_names) or (
                isinstance(func, ast.Attribute) and func.attr == "setup"
            ):
                calls.append(node)
    return calls


_WANTED = frozenset({keyword for keyword, _ in KEYWORD_SCOPES} | {EXTRAS, PYTHON_REQUIRES, "name"})


def _call_arguments(call: ast.Call, names: _Bindings, computed: list[str]) -> dict[str, Any]:
    """The keywords of one setup() call that matter here, with their static values; the ones that
    cannot be told are added to `computed`."""
    found: dict[str, Any] = {}
    for keyword in call.keywords:
        if keyword.arg is None:  # setup(**KWARGS)
            try:
                spread = _as_dict(_static(keyword.value, names))
            except _Computed:
                computed.append(f"**{_describe(keyword.value)}")
                continue
            found.update({k: v for k, v in spread.items() if k in _WANTED})
        elif keyword.arg in _WANTED:
            try:
                found[keyword.arg] = _static(keyword.value, names)
            except _Computed:
                if keyword.arg != "name":
                    computed.append(keyword.arg)
                found.pop(keyword.arg, None)
    return found


def _requirement_strings(value: Any, where: str, out: Parsed) -> list[str]:
    """setuptools takes a list of strings or one string of lines."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip() and not line.strip().startswith("#")]
    if isinstance(value, list):
        good = [v for v in value if isinstance(v, str)]
        if len(good) != len(value):
            out.warnings.append(f"{where}: {len(value) - len(good)} entries are not strings")
        return good
    out.warnings.append(f"{where}: expected a list of requirements, found {kind_of(value)}")
    return []


#: `catch_warnings` swaps process-wide state: one parse at a time, so two threads cannot restore
#: each other's filters and leave every warning silenced.
_QUIET = threading.Lock()


def _parse_quietly(text: str, path: str) -> ast.Module:
    """`ast.parse` without the SyntaxWarnings ("invalid escape sequence") someone's setup.py
    would print on the collection's console."""
    with _QUIET, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text, filename=path)


def parse_setup_py(text: str, path: str) -> Parsed:
    """The requirements and python_requires a setup.py passes to setup(), read without running it."""
    out = Parsed()
    try:
        tree = _parse_quietly(text, path)
    except SyntaxError as err:
        out.warnings.append(f"not valid Python: {err.msg} (line {err.lineno})")
        return out
    except (ValueError, RecursionError, MemoryError) as err:  # null bytes; nesting the parser refuses
        out.warnings.append(f"not read: setup.py is not parseable Python ({type(err).__name__})")
        return out
    names, setup_names = _bindings(tree)
    computed: list[str] = []
    for call in _setup_calls(tree, setup_names):
        arguments = _call_arguments(call, names, computed)
        raw_name = arguments.get("name")
        own_name = canonicalize_name(raw_name) if isinstance(raw_name, str) and raw_name.strip() else None
        for keyword, scope in KEYWORD_SCOPES:
            if keyword in arguments:
                specs = _requirement_strings(arguments[keyword], keyword, out)
                _requirement_deps(specs, scope, keyword, path, own_name, out)
        extras = arguments.get(EXTRAS)
        if extras is not None and not isinstance(extras, dict):
            out.warnings.append(f"{EXTRAS}: expected a dict, found {kind_of(extras)}")
        elif extras:
            for extra, specs in extras.items():
                _, scope = _extra_scope(str(extra))
                where = f"{EXTRAS}[{extra!r}]"
                _requirement_deps(_requirement_strings(specs, where, out), scope, where, path, own_name, out)
        python = arguments.get(PYTHON_REQUIRES)
        if isinstance(python, str) and python.strip():
            out.runtimes.append(Runtime("python", tidy_specifier(python), evidence=path))
        elif python is not None:
            out.warnings.append(f"{PYTHON_REQUIRES}: expected a version string, found {kind_of(python)}")
    if computed:
        out.warnings.append(f"{DYNAMIC} ({', '.join(dict.fromkeys(computed))})")
    out.dependencies = list(dict.fromkeys(out.dependencies))  # setup() in both arms of an if
    out.runtimes = list(dict.fromkeys(out.runtimes))
    return out


# --- the detector -------------------------------------------------------------------------------


def _follow_file_includes(
    repo: RepoView, path: str, parsed: SetupParsed, own_requirements: set[str], facts: Facts
) -> None:
    """Read the requirements files setup.cfg names with `file:`, in the scope of its keyword."""
    for scope, target in parsed.file_includes:
        included = resolve_include(path, target)
        if included is None:
            facts.warn(path, f"file: {target}: outside the repository, not followed")
        elif included in own_requirements:
            continue  # the python detector reads it, with the scope its own name gives
        elif not repo.exists(included):
            facts.warn(path, f"file: {target}: {included} is not in the repository")
        else:
            text = read_text(repo, included, facts)
            if text is not None:
                merge_into(facts, included, parse_requirements(text, included, scope))


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    own_requirements = set(repo.matching(REQUIREMENTS_GLOBS))
    for path, text in manifest_texts(repo, WANTS, facts):
        if posixpath.basename(path) == "setup.cfg":
            parsed = parse_setup_cfg(text, path)
            merge_into(facts, path, parsed)
            _follow_file_includes(repo, path, parsed, own_requirements, facts)
        else:
            merge_into(facts, path, parse_setup_py(text, path))
    return facts
