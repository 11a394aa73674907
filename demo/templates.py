"""Filling the demo organisation's templates: `{{name}}` placeholders, nothing more.

The syntax is deliberately tiny so templates of any language stay readable: no spaces inside the
braces (Vue's and Angular's `{{ x }}` and GitHub's `${{ x }}` are left alone), a placeholder alone
on its line indents a multi-line value like itself and vanishes with an empty one, and an unknown
name raises, so a typo in `data/demo_org.yaml` fails a test instead of shipping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_PLACEHOLDER = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
_ALONE = re.compile(r"^([ \t]*)\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}[ \t]*$")


class TemplateError(KeyError):
    """A template names a variable that is not defined, or one that has no text."""

    def __str__(self) -> str:
        return str(self.args[0])


def fill(text: str, variables: Mapping[str, Any], where: str = "") -> str:
    """Replace every `{{name}}` in `text`; `where` names the template in errors."""
    if "{{" not in text:
        return text
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        alone = _ALONE.match(body)
        if alone:
            indent, name = alone.groups()
            value = _text(variables, name, where).rstrip("\n")
            if value == "":
                continue  # the whole line goes: an empty list, an absent optional block
            newline = "\n" if line.endswith("\n") else ""
            lines = value.split("\n")
            out.append("\n".join(indent + part if part else part for part in lines) + newline)
            continue
        out.append(_PLACEHOLDER.sub(lambda m: _text(variables, m.group(1), where), line))
    return "".join(out)


def is_placeholder(text: str) -> str | None:
    """The variable name when `text` is exactly one placeholder, else None."""
    match = _PLACEHOLDER.fullmatch(text)
    return match.group(1) if match else None


def truthy(condition: str, variables: Mapping[str, Any], where: str = "") -> bool:
    """Evaluate a `when:`: a variable's truth, or its negation with a leading `!`."""
    negate = condition.startswith("!")
    name = condition[1:] if negate else condition
    if name not in variables:
        raise TemplateError(f"{where}: `when: {condition}` names an undefined variable")
    return bool(variables[name]) != negate


def _text(variables: Mapping[str, Any], name: str, where: str) -> str:
    try:
        value = variables[name]
    except KeyError:
        raise TemplateError(f"{where}: undefined variable {{{{{name}}}}}") from None
    if value is None or isinstance(value, bool):
        raise TemplateError(f"{where}: {{{{{name}}}}} is {value!r}, not text")
    return str(value)
