"""The demo organisation's spec (`data/demo_org.yaml`), loaded into typed records and checked.

Checking happens once at load, so a broken reference (a team naming an unknown stack, a history
action with an unknown verb) is one clear error before anything is written to disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "demo_org.yaml"

#: The verbs a history action may use; `demo.history` implements one method per verb.
ACTIONS = ("set_era", "add_repos", "add", "drop", "add_extra", "restack", "switch_ci", "archive")


class SpecError(ValueError):
    """The spec file is inconsistent; the message names the place."""


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    modern: float
    care: float
    weight: float
    ci: dict[str, float]
    stacks: dict[str, float]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Toolchain:
    name: str
    eras: tuple[dict[str, Any], ...]
    indent: int = 4
    dependabot: str | None = None
    pins: tuple[dict[str, Any], ...] = ()
    ci: dict[str, str] = field(default_factory=dict)
    precommit_hooks: str = ""
    docker: dict[str, str] = field(default_factory=dict)
    lock_components: dict[str, list[str]] = field(default_factory=dict)
    v_tagged: tuple[str, ...] = ()  # name prefixes whose releases are tagged v1.2.3 (a lock writes the v)


@dataclass(frozen=True)
class Component:
    stack: str  # a stack without components of its own
    at: str  # folder inside the repository; "" for the root


@dataclass(frozen=True)
class Stack:
    name: str
    toolchain: str | None
    type: str
    tags: tuple[str, ...]
    suffixes: tuple[str, ...]
    description: str
    manifests: dict[str, float] = field(default_factory=dict)
    docker: dict[str, float] = field(default_factory=dict)
    compose: dict[str, float] = field(default_factory=dict)  # compose file kinds; "none" for no file
    eras: dict[str, list[int]] = field(default_factory=dict)
    # name -> version template, None (managed elsewhere), or a mapping of `version` and more fields
    deps: dict[str, Any] = field(default_factory=dict)
    dev_deps: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, dict[str, Any]] = field(default_factory=dict)
    vars: dict[str, Any] = field(default_factory=dict)
    files: tuple[dict[str, Any], ...] = ()
    components: tuple[Component, ...] = ()
    history_only: bool = False
    lifecycle: str = "production"

    def parts(self) -> tuple[Component, ...]:
        """The stacks this repository is made of: itself, or a monorepo's components."""
        return self.components or (Component(self.name, ""),)


@dataclass(frozen=True)
class Spec:
    org: str
    org_title: str
    anchor: datetime
    author: tuple[str, str]
    teams: tuple[Team, ...]
    name_words: tuple[str, ...]
    ownership: dict[str, Any]
    hygiene_rates: dict[str, float]
    updates: dict[str, float]
    toolchains: dict[str, Toolchain]
    ci: dict[str, dict[str, Any]]
    hygiene: dict[str, list[dict[str, Any]]]
    dependabot_update: str
    licenses: dict[str, str]
    extras: dict[str, dict[str, Any]]
    manifests: dict[str, dict[str, Any]]
    compose: dict[str, Any]  # `tags` (image -> weighted tags) and `files` (kind -> file templates)
    stacks: dict[str, Stack]
    history: tuple[dict[str, Any], ...]

    def toolchains_of(self, stack: str) -> list[str]:
        """Toolchains a repository of this stack uses, in component order, without repeats."""
        seen: list[str] = []
        for part in self.stacks[stack].parts():
            tool = self.stacks[part.stack].toolchain
            if tool and tool not in seen:
                seen.append(tool)
        return seen

    def allowed_eras(self, stack: str, toolchain: str) -> list[int]:
        """Eras of `toolchain` every component of `stack` accepts (AngularJS stops at Node 16)."""
        allowed = set(range(len(self.toolchains[toolchain].eras)))
        for part in self.stacks[stack].parts():
            limits = self.stacks[part.stack].eras.get(toolchain)
            if limits is not None:
                allowed &= set(limits)
        return sorted(allowed)


@lru_cache(maxsize=4)
def load_spec(path: Path = SPEC_PATH) -> Spec:
    """Read and check the spec; cached, since every build uses the same file."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    try:
        spec = _build(raw)
    except (KeyError, TypeError) as err:
        raise SpecError(f"{path}: missing or malformed entry: {err}") from None
    _check(spec, path)
    return spec


def _build(raw: dict[str, Any]) -> Spec:
    toolchains = {
        name: Toolchain(
            name=name,
            eras=tuple(data["eras"]),
            indent=data.get("indent", 4),
            dependabot=data.get("dependabot"),
            pins=tuple(data.get("pins") or ()),
            ci=dict(data.get("ci") or {}),
            precommit_hooks=data.get("precommit_hooks") or "",
            docker=dict(data.get("docker") or {}),
            lock_components=dict(data.get("lock_components") or {}),
            v_tagged=tuple(data.get("v_tagged") or ()),
        )
        for name, data in raw["toolchains"].items()
    }
    stacks = {}
    for name, data in raw["stacks"].items():
        stacks[name] = Stack(
            name=name,
            toolchain=data.get("toolchain"),
            type=data["type"],
            tags=tuple(data.get("tags") or ()),
            suffixes=tuple(data["suffixes"]),
            description=data["description"],
            manifests=dict(data.get("manifests") or {}),
            docker=dict(data.get("docker") or {}),
            compose=dict(data.get("compose") or {}),
            eras=dict(data.get("eras") or {}),
            deps=dict(data.get("deps") or {}),
            dev_deps=dict(data.get("dev_deps") or {}),
            extras=dict(data.get("extras") or {}),
            vars=dict(data.get("vars") or {}),
            files=tuple(data.get("files") or ()),
            components=tuple(Component(c["stack"], c["at"]) for c in data.get("components") or ()),
            history_only=bool(data.get("history_only", False)),
            lifecycle=data.get("lifecycle", "production"),
        )
    teams = tuple(
        Team(
            id=t["id"],
            name=t["name"],
            modern=float(t["modern"]),
            care=float(t["care"]),
            weight=float(t["weight"]),
            ci=dict(t["ci"]),
            stacks=dict(t["stacks"]),
            words=tuple(t["words"]),
        )
        for t in raw["teams"]
    )
    anchor = datetime.fromisoformat(raw["anchor"])
    return Spec(
        org=raw["org"],
        org_title=raw["org_title"],
        anchor=anchor,
        author=(raw["author"]["name"], raw["author"]["email"]),
        teams=teams,
        name_words=tuple(raw["name_words"]),
        ownership=dict(raw["ownership"]),
        hygiene_rates=dict(raw["hygiene_rates"]),
        updates=dict(raw["updates"]),
        toolchains=toolchains,
        ci=dict(raw["ci"]),
        hygiene=dict(raw["hygiene"]),
        dependabot_update=raw["dependabot_update"],
        licenses=dict(raw["licenses"]),
        extras=dict(raw["extras"]),
        manifests=dict(raw["manifests"]),
        compose={"tags": dict(raw["compose"]["tags"]), "files": dict(raw["compose"]["files"])},
        stacks=stacks,
        history=tuple(raw["history"]),
    )


def _check(spec: Spec, path: Path) -> None:
    problems: list[str] = []
    if spec.anchor.tzinfo is None:
        problems.append("anchor: needs a UTC offset")
    for team in spec.teams:
        problems += [f"teams.{team.id}: unknown stack {s!r}" for s in team.stacks if s not in spec.stacks]
        problems += [f"teams.{team.id}: unknown CI {c!r}" for c in team.ci if c not in spec.ci]
    for stack in spec.stacks.values():
        where = f"stacks.{stack.name}"
        for part in stack.components:
            inner = spec.stacks.get(part.stack)
            if inner is None or inner.components:
                problems.append(f"{where}: component {part.stack!r} is not a plain stack")
        if stack.components:
            continue
        if stack.toolchain not in spec.toolchains:
            problems.append(f"{where}: unknown toolchain {stack.toolchain!r}")
            continue
        tool = spec.toolchains[stack.toolchain]
        problems += [f"{where}: unknown manifest {m!r}" for m in stack.manifests if m not in spec.manifests]
        problems += [f"{where}: unknown Dockerfile {d!r}" for d in stack.docker if d not in tool.docker]
        problems += [
            f"{where}: unknown compose file {c!r}"
            for c in stack.compose
            if c != "none" and c not in spec.compose["files"]
        ]
        problems += [f"{where}: unknown extra {e!r}" for e in stack.extras if e not in spec.extras]
        for name, eras in stack.eras.items():
            if name not in spec.toolchains or not set(eras) <= set(range(len(spec.toolchains[name].eras))):
                problems.append(f"{where}.eras: {name}: {eras} is not a list of existing eras")
        if not stack.manifests:
            problems.append(f"{where}: needs at least one manifest kind")
    for name, tool in spec.toolchains.items():
        keys = set(tool.eras[0])
        problems += [
            f"toolchains.{name}.eras[{i}]: keys differ from the first era: {sorted(keys ^ set(era))}"
            for i, era in enumerate(tool.eras)
            if set(era) != keys
        ]
    for name, extra in spec.extras.items():
        if extra["toolchain"] not in spec.toolchains:
            problems.append(f"extras.{name}: unknown toolchain {extra['toolchain']!r}")
    for i, step in enumerate(spec.history):
        for j, action in enumerate(step["actions"]):
            where = f"history[{i}].actions[{j}]"
            if action.get("do") not in ACTIONS:
                problems.append(f"{where}: unknown action {action.get('do')!r}; known: {', '.join(ACTIONS)}")
            if "say" not in action or "message" not in action:
                problems.append(f"{where}: needs `say` and `message`")
    if not any(step.get("repeat") for step in spec.history):
        problems.append("history: needs at least one entry with `repeat: true` for long histories")
    if problems:
        raise SpecError(f"{path}:\n  " + "\n  ".join(problems))
