"""Safe reading and parsing for every detector: one error type, no surprise from hostile input.

Manifests come from repositories nobody here controls. Each loader here turns every way a file can
be bad (malformed, binary, too large, an XML entity bomb, a YAML alias bomb, nesting deep enough to
exhaust the stack) into `ParseError` with a one-line reason, which the detector records as a
warning on that file; the collection goes on.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import yaml

from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Facts
from collectors.repo_view import FileTooLarge, ReadFailed, RepoView

#: libyaml's safe loader where it is built in: several times faster than the pure-Python one.
SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Values a YAML document may stand for once its aliases are expanded; past it, an alias bomb.
MAX_YAML_NODES = 1_000_000


class ParseError(Exception):
    """The file cannot be understood; the message says why in one line."""


def read_text(repo: RepoView, path: str, facts: Facts, limit: int | None = None) -> str | None:
    """The file as text, or None after recording a warning (too large, binary, vanished)."""
    try:
        text = repo.read_text(path, limit)
    except FileTooLarge as err:
        facts.warn(path, f"not read: {err}")
        return None
    except ReadFailed as err:
        facts.warn(path, f"not read: {err}")
        return None
    except FileNotFoundError:
        facts.warn(path, "listed but could not be read")
        return None
    if text is None:
        facts.warn(path, "not readable as text (binary content)")
    return text


def manifest_texts(
    repo: RepoView, globs: Iterable[str], facts: Facts, skip: Callable[[str], bool] = manifest_excluded
) -> Iterator[tuple[str, str]]:
    """(path, text) of every file matching `globs` outside vendored code (or what `skip` says),
    read as text; a file that cannot be read is a warning and is passed over."""
    for path in repo.matching(globs):
        if skip(path):
            continue
        text = read_text(repo, path, facts)
        if text is not None:
            yield path, text


def load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ParseError(f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from None
    except RecursionError:
        raise ParseError("not read: JSON nested too deeply") from None


def load_toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ParseError(f"not valid TOML: {err}") from None
    except RecursionError:
        raise ParseError("not read: TOML nested too deeply") from None


def load_yaml(text: str, *, all_documents: bool = False) -> Any:
    """Safe YAML (no tags that build objects); an alias bomb is refused before anything is built.

    Aliases share nodes, so a few dozen can stand for billions of values; each document's node
    graph is measured as if expanded (linear time, memoised per node) before it is constructed.
    """
    loader = SAFE_LOADER(text)
    try:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            expanded = _expanded_size(node, {})
            if expanded > MAX_YAML_NODES:
                raise ParseError(f"not read: YAML aliases expand to over {MAX_YAML_NODES:,} values (an alias bomb?)")
            documents.append(loader.construct_document(node))
            if not all_documents:
                break
        return documents if all_documents else (documents[0] if documents else None)
    except yaml.YAMLError as err:
        raise ParseError(f"not valid YAML: {_yaml_reason(err)}") from None
    except RecursionError:
        raise ParseError("not read: YAML nested too deeply") from None
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, seen: dict[int, int]) -> int:
    known = seen.get(id(node))
    if known is not None:
        return known
    seen[id(node)] = 1  # a node that contains itself counts once, not forever
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, seen) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, seen) + _expanded_size(v, seen) for k, v in node.value)
    seen[id(node)] = size
    return size


def load_xml(text: str) -> Any:
    """An ElementTree root; entity declarations and external references are refused (defusedxml)."""
    from xml.etree.ElementTree import ParseError as XmlSyntaxError

    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        return SafeET.fromstring(text)
    except DefusedXmlException as err:
        raise ParseError(f"not read: forbidden XML construct ({type(err).__name__})") from None
    except XmlSyntaxError as err:
        raise ParseError(f"not valid XML: {err}") from None
    except RecursionError:
        raise ParseError("not read: XML nested too deeply") from None


def kind_of(value: Any, *, mapping: str = "a mapping", sequence: str = "a list") -> str:
    """A parsed value named for a warning ("expected a list, found a string"), in the words of its
    format: JSON says object, TOML says table and array, YAML says mapping and list."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return mapping
    if isinstance(value, list):
        return sequence
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def _yaml_reason(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err).strip().splitlines()[0]
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else str(problem)
