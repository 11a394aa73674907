"""A test fails when a dashboard address parameter is not documented in the README (as datasette
does for its options): every widget bound to the address, and the parameters the frame and the
meeting page keep by hand."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from pages import common

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "pages").glob("*.py"))


def bound_keys(path: Path) -> set[str]:
    """The `key` of every call with `bind="query-params"` in a page's source."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        kwargs = {k.arg: k.value for k in node.keywords if k.arg}
        bind = kwargs.get("bind")
        if isinstance(bind, ast.Constant) and bind.value == "query-params":
            key = kwargs.get("key")
            assert isinstance(key, ast.Constant | ast.Name), f"{path.name}: a bound widget's key must be a name"
            keys.add(key.value if isinstance(key, ast.Constant) else _constant(path, key.id))
    return keys


def _constant(path: Path, name: str) -> str:
    """The value of a module-level name in the page: assigned there, or imported from a module."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return getattr(importlib.import_module(node.module), alias.name)
    raise AssertionError(f"{path.name}: cannot tell what {name} is")


HAND_KEPT = {common.SNAPSHOT_PARAM, common.COMPARE_PARAM, common.PRESENT_PARAM, "section"}


def every_parameter() -> list[str]:
    found = set(HAND_KEPT)
    for path in PAGES:
        found |= bound_keys(path)
    return sorted(found)


def test_the_pages_bind_some_parameters() -> None:
    assert {"team", "lang", "archived"} <= set(every_parameter())


@pytest.mark.parametrize("param", every_parameter())
def test_every_address_parameter_is_documented_in_the_readme(param: str) -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"`{param}" in readme or f"?{param}=" in readme or f"&{param}=" in readme, (
        f"the address parameter {param!r} is not documented in README.md"
    )
