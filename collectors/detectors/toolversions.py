"""asdf (and mise): the runtimes `.tool-versions` pins.

Each line is `tool version [fallback versions...]`; the first version is the one used, so it is the
one reported, as written (`ref:...`, `path:...` and `system` included: they say where the tool
comes from). Tool names are asdf plugin names, brought to the runtime names every detector uses
where they differ (`nodejs` -> `node`, `golang` -> `go`, `dotnet-core` -> `dotnet`); other tools
(`terraform`, `kubectl`, `java`...) are kept as named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from collectors.detectors.parsing import manifest_texts
from collectors.facts import Facts, Runtime
from collectors.repo_view import RepoView

WANTS: tuple[str, ...] = (".tool-versions",)

#: asdf plugin name -> the runtime name the other detectors report.
RUNTIME_NAMES: dict[str, str] = {
    "nodejs": "node",
    "golang": "go",
    "dotnet-core": "dotnet",
}


#: asdf plugin names: lower-case letters, digits, dashes, underscores, dots.
_TOOL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass
class Parsed:
    runtimes: list[Runtime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_tool_versions(text: str, path: str) -> Parsed:
    """One .tool-versions: a runtime per tool line; a tool without a version is a warning."""
    out = Parsed()
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        tool = words[0]
        if not _TOOL_RE.match(tool):
            out.warnings.append(f"line {number}: {tool!r} is not a tool name")
            continue
        if len(words) < 2:
            out.warnings.append(f"line {number}: {tool} has no version")
            continue
        name = RUNTIME_NAMES.get(tool.lower(), tool.lower())
        if name in seen:
            out.warnings.append(f"line {number}: {tool} is listed twice; the first line counts")
            continue
        seen.add(name)
        out.runtimes.append(Runtime(name, words[1], evidence=path))
    return out


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    for path, text in manifest_texts(repo, WANTS, facts):
        parsed = parse_tool_versions(text, path)
        facts.runtimes += parsed.runtimes
        for message in parsed.warnings:
            facts.warn(path, message)
    return facts
