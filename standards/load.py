"""Reading a standards file: every problem at once, each with its place in the file.

A guild edits this file by hand and reviews it in pull requests, so a rejection lists every
problem (file, line, path such as `standards[3].rule.max`, what is wrong), not only the first.
Checks the schema cannot express run after it: ids unique, waivers naming a standard that
exists, technologies and categories the catalog knows, version constraints that parse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from collectors.detectors import hygiene
from collectors.detectors.parsing import ParseError, load_yaml
from standards.model import RULE_KINDS, Standards

#: What the hygiene detector reports (`hygiene:<item>` in a file-exists rule).
HYGIENE_ITEMS = frozenset(hygiene.KEYS)
SCHEMA_PATH = Path(__file__).with_name("schema") / "standards.schema.json"


@dataclass(frozen=True)
class Problem:
    file: str
    path: str  # standards[3].rule.max
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top)'}: {self.message}"


class StandardsError(Exception):
    """The standards file is unusable; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_standards(path: Path) -> Standards:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise StandardsError([Problem(str(path), "", None, f"cannot read: {getattr(err, 'strerror', err)}")]) from None
    return parse_standards(text, str(path))


def parse_standards(text: str, source: str = "<standards>") -> Standards:
    try:
        data = load_yaml(text)
    except ParseError as err:
        raise StandardsError([Problem(source, "", _yaml_line(text), str(err))]) from None
    lines = _line_map(text)
    if not isinstance(data, dict):
        raise StandardsError([Problem(source, "", 1, "expected a mapping with radar, standards and waivers")])
    try:
        standards = Standards.model_validate(data)
    except ValidationError as err:
        problems = [_problem(source, e, lines) for e in err.errors()]
        raise StandardsError(sorted(set(problems), key=lambda p: (p.line or 0, p.path))) from None
    problems = [Problem(source, path, _line_of(lines, loc), msg) for loc, path, msg in semantic_problems(standards)]
    if problems:
        raise StandardsError(problems)
    return standards


def semantic_problems(standards: Standards) -> list[tuple[tuple, str, str]]:
    """(location, path, message) for what the schema alone cannot see."""
    from collectors.catalog import CATEGORIES, load_catalog
    from standards.versions import ConstraintError, parse_constraint

    known = set(load_catalog().by_name)
    found: list[tuple[tuple, str, str]] = []

    def add(loc: tuple, message: str) -> None:
        found.append((loc, _path(loc), message))

    for name, entry in standards.radar.items():
        if name not in known:
            add(("radar", name), f"{name!r} is not in the technology catalog (collectors/catalog/technologies.yaml)")
        if entry.replace_with and entry.replace_with not in known:
            add(("radar", name, "replace_with"), f"{entry.replace_with!r} is not in the technology catalog")
        if entry.version:
            try:
                parse_constraint(entry.version, ecosystem_of(name, standards))
            except ConstraintError as err:
                add(("radar", name, "version"), str(err))
    seen: dict[str, int] = {}
    for i, std in enumerate(standards.standards):
        if std.id in seen:
            add(("standards", i, "id"), f"id {std.id!r} is already used by standards[{seen[std.id]}]")
        seen.setdefault(std.id, i)
        rule = std.rule
        if rule.kind in ("technology-ring", "max-per-category"):
            cats = rule.categories if rule.kind == "technology-ring" else [rule.category]
            for cat in cats:
                if cat not in CATEGORIES:
                    add(
                        ("standards", i, "rule", "category"),
                        f"unknown category {cat!r}; known: {', '.join(CATEGORIES)}",
                    )
        if rule.kind == "version":
            if rule.technology and rule.technology not in known:
                add(("standards", i, "rule", "technology"), f"{rule.technology!r} is not in the technology catalog")
            constraint = rule.constraint or (
                standards.radar[rule.technology].version if rule.technology in standards.radar else None
            )
            if constraint is None:
                add(("standards", i, "rule", "constraint"), "no constraint, and the radar gives this technology none")
            else:
                eco = ecosystem_of(rule.technology, standards) if rule.technology else "generic"
                try:
                    parse_constraint(constraint, eco)
                except ConstraintError as err:
                    add(("standards", i, "rule", "constraint"), str(err))
        if rule.kind == "file-exists":
            for j, path in enumerate(rule.paths):
                item = path.removeprefix("hygiene:").replace("-", "_")
                if path.startswith("hygiene:") and item not in HYGIENE_ITEMS:
                    add(
                        ("standards", i, "rule", "paths", j),
                        f"unknown hygiene item {path!r}; known: {', '.join(sorted(HYGIENE_ITEMS))}",
                    )
        if rule.kind == "dependency":
            for group in ("banned", "required"):
                for j, spec in enumerate(getattr(rule, group)):
                    if spec.versions:
                        try:
                            parse_constraint(spec.versions, spec.ecosystem)
                        except ConstraintError as err:
                            add(("standards", i, "rule", group, j, "versions"), str(err))
    for i, waiver in enumerate(standards.waivers):
        if waiver.standard not in seen:
            add(("waivers", i, "standard"), f"no standard with id {waiver.standard!r}")
    return found


def ecosystem_of(technology: str | None, standards: Standards | None = None) -> str:
    """The ecosystem whose version semantics a technology's versions follow: the radar entry's
    `ecosystem` when the standards give one, else the technology's first package signal's."""
    from collectors.catalog import ECOSYSTEMS, load_catalog

    radar = standards.radar.get(technology or "") if standards is not None else None
    if radar is not None and radar.ecosystem:
        return radar.ecosystem
    entry = load_catalog().get(technology or "")
    return next((kind for kind in entry.kinds() if kind in ECOSYSTEMS), "generic") if entry else "generic"


def json_schema() -> dict[str, Any]:
    """The JSON Schema editors use to check a standards file as it is typed."""
    schema = Standards.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "guildboard standards file"
    return schema


def write_json_schema(path: Path = SCHEMA_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(json_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")


# --- places in the file --------------------------------------------------------------------------------


def _problem(source: str, error: dict[str, Any], lines: dict[tuple, int]) -> Problem:
    loc = tuple(error.get("loc") or ())
    # a rule's loc names the matched kind (`rule`, `version`, `constraint`): not a key in the file
    loc = tuple(p for i, p in enumerate(loc) if not (i > 0 and loc[i - 1] == "rule" and p in RULE_KINDS))
    message = str(error.get("msg", "invalid"))
    if error.get("type") == "extra_forbidden":
        message = "unknown key (a typo?)"
    elif error.get("type") == "missing":
        message = "required"
    return Problem(source, _path(loc), _line_of(lines, loc), message.removeprefix("Value error, "))


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(lines: dict[tuple, int], loc: tuple) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _line_map(text: str) -> dict[tuple, int]:
    """Path -> 1-based line of every key and list item, from the YAML's node tree."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple, int] = {}

    def walk(node: yaml.Node, path: tuple) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    child = (*path, str(key.value).strip().lower() if path == ("radar",) else key.value)
                    lines[child] = key.start_mark.line + 1
                    walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    if root is not None:
        walk(root, ())
    return lines


def _yaml_line(text: str) -> int | None:
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        return err.problem_mark.line + 1 if err.problem_mark else None
    except yaml.YAMLError:
        return None
    return None
