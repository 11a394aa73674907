"""The asdf detector: .tool-versions runtimes, names normalised."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.detectors import toolversions
from collectors.detectors.toolversions import parse_tool_versions
from collectors.facts import Runtime
from tests.gitrepo import detect_with

detect_in = partial(detect_with, toolversions.detect)


TOOL_VERSIONS = """\
# managed by the platform team
nodejs 20.11.0
python 3.12.1 3.11.7   # the first one is used
golang 1.22.0
ruby    3.3.0
dotnet-core 8.0.101
terraform 1.7.1
java temurin-21.0.2+13.0.LTS
rust ref:nightly
kubectl system

"""


def test_each_tool_gives_its_first_version_under_the_common_runtime_name() -> None:
    parsed = parse_tool_versions(TOOL_VERSIONS, ".tool-versions")
    assert [(r.name, r.version) for r in parsed.runtimes] == [
        ("node", "20.11.0"),
        ("python", "3.12.1"),
        ("go", "1.22.0"),
        ("ruby", "3.3.0"),
        ("dotnet", "8.0.101"),
        ("terraform", "1.7.1"),
        ("java", "temurin-21.0.2+13.0.LTS"),
        ("rust", "ref:nightly"),
        ("kubectl", "system"),
    ]
    assert all(r.evidence == ".tool-versions" for r in parsed.runtimes)
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("nodejs\n", "line 1: nodejs has no version"),
        ("nodejs 20\nnodejs 18\n", "line 2: nodejs is listed twice; the first line counts"),
        ("node 20\nnodejs 18\n", "line 2: nodejs is listed twice; the first line counts"),
        ("{{bad}} 1.0\n", "line 1: '{{bad}}' is not a tool name"),
    ],
)
def test_problem_lines_are_warnings(text: str, warning: str) -> None:
    assert parse_tool_versions(text, ".tool-versions").warnings == [warning]


def test_tool_versions_anywhere_but_vendored(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            ".tool-versions": "nodejs 20.11.0\n",
            "svc/.tool-versions": "golang 1.21.6\n",
            "node_modules/x/.tool-versions": "nodejs 12.0.0\n",
            "bin/.tool-versions": b"\x00\x01",
        },
    )
    assert set(facts.runtimes) == {
        Runtime("node", "20.11.0", ".tool-versions"),
        Runtime("go", "1.21.6", "svc/.tool-versions"),
    }
    assert [(w.path, w.message) for w in facts.warnings] == [
        ("bin/.tool-versions", "not readable as text (binary content)")
    ]


@given(st.text(max_size=300))
def test_any_text_never_raises(text: str) -> None:
    parsed = parse_tool_versions(text, ".tool-versions")
    assert all(r.name and r.version and " " not in r.version for r in parsed.runtimes)
    assert all(w.startswith("line ") for w in parsed.warnings)
