"""Helm: the chart dependencies of Chart.yaml, their locked versions in Chart.lock.

- `Chart.yaml` anywhere outside vendored code: each `dependencies:` entry (apiVersion v2) is a
  dependency named by its chart `name` (not its `alias`), declared as its `version` constraint. A
  dependency from a local folder (`repository: file://../common`) is the repository's own chart and
  left out. The chart's own `version` and `appVersion` are not dependencies.
- apiVersion v1 charts list their dependencies in `requirements.yaml` beside Chart.yaml (and lock
  them in `requirements.lock`); those are read the same way.
- `Chart.lock` (or `requirements.lock`) beside it fills `resolved`.
- A chart unpacked under another chart's `charts/` folder that the parent lists as a dependency
  from a repository is a downloaded copy (what `helm dependency build` writes), not a chart of this
  repository, and is skipped.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from collectors.detectors.parsing import ParseError, kind_of, load_yaml, read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import Dependency, Facts
from collectors.repo_view import RepoView

ECOSYSTEM = "helm"
CHART = "Chart.yaml"
#: (file listing the dependencies, its lock), newest format first.
SOURCES: tuple[tuple[str, str], ...] = ((CHART, "Chart.lock"), ("requirements.yaml", "requirements.lock"))
WANTS: tuple[str, ...] = tuple(name for pair in SOURCES for name in pair)


@dataclass(frozen=True)
class ChartDependency:
    name: str
    version: str | None
    repository: str | None


@dataclass
class Parsed:
    dependencies: list[ChartDependency] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_kind = kind_of


def parse_dependencies(text: str) -> Parsed:
    """The `dependencies:` of a Chart.yaml, requirements.yaml, Chart.lock or requirements.lock
    (they share the shape). Raises ParseError when the file is not a YAML mapping."""
    data = load_yaml(text)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParseError(f"expected a mapping at the top, found {_kind(data)}")
    out = Parsed()
    entries = data.get("dependencies")
    if entries is None:
        return out
    if not isinstance(entries, list):
        out.warnings.append(f"dependencies: expected a list, found {_kind(entries)}")
        return out
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            out.warnings.append(f"dependencies[{i}]: expected a mapping with a name")
            continue
        version = entry.get("version")
        if isinstance(version, (int, float)) and not isinstance(version, bool):
            version = str(version)  # `version: 1.2` read as a number
        if version is not None and not isinstance(version, str):
            out.warnings.append(f"dependencies[{i}] {entry['name']}: version is {_kind(version)}, not a string")
            version = None
        repository = entry.get("repository")
        out.dependencies.append(
            ChartDependency(
                entry["name"].strip(),
                version.strip() or None if isinstance(version, str) else None,
                repository.strip() if isinstance(repository, str) else None,
            )
        )
    return out


def _is_local(dep: ChartDependency) -> bool:
    return dep.repository is not None and dep.repository.startswith("file://")


def _read(repo: RepoView, path: str, facts: Facts) -> Parsed | None:
    text = read_text(repo, path, facts)
    if text is None:
        return None
    try:
        parsed = parse_dependencies(text)
    except ParseError as err:
        facts.warn(path, str(err))
        return None
    for message in parsed.warnings:
        facts.warn(path, message)
    return parsed


def downloaded_subchart(chart: str, listed: dict[str, list[ChartDependency]]) -> bool:
    """Is `chart` (a Chart.yaml path) `parent/charts/<name>/Chart.yaml` for a parent chart that
    takes `<name>` from a repository?"""
    folder = posixpath.dirname(chart)
    charts, name = posixpath.split(folder)
    if posixpath.basename(charts) != "charts":
        return False
    parent = posixpath.dirname(charts)
    deps = listed.get(parent, [])
    return any(d.name == name and not _is_local(d) for d in deps)


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    # parents before the charts under their charts/ folder, to tell downloaded copies
    charts = sorted((p for p in repo.matching((CHART,)) if not manifest_excluded(p)), key=lambda p: (p.count("/"), p))
    listed: dict[str, list[ChartDependency]] = {}  # chart folder -> what it depends on, and where from
    for chart in charts:
        if downloaded_subchart(chart, listed):
            continue
        folder = posixpath.dirname(chart)
        for source, lock_name in SOURCES:
            manifest = posixpath.join(folder, source)
            if not repo.exists(manifest):
                continue
            parsed = _read(repo, manifest, facts)
            if parsed is None or not parsed.dependencies:
                continue
            listed[folder] = parsed.dependencies
            locked: dict[str, str] = {}
            lock_path = posixpath.join(folder, lock_name)
            if repo.exists(lock_path):
                lock = _read(repo, lock_path, facts)
                for dep in lock.dependencies if lock is not None else []:
                    if dep.version is not None:
                        locked[dep.name] = dep.version
            facts.dependencies += [
                Dependency(ECOSYSTEM, d.name, d.version, locked.get(d.name), "runtime", manifest)
                for d in parsed.dependencies
                if not _is_local(d)
            ]
            break
    return facts
