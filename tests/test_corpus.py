"""The real-code corpus: releases of two dozen well-known projects, collected with the real collector,
must show the facts a person read in their files (`tests/corpus/projects.yaml`).

The releases are downloaded from PyPI and npm on the first run into the git-ignored
`tests/.cache/corpus/` and kept there (`tests/corpus/fetch.py`). Without a network the tests
skip, saying why; with the environment variable CI set they fail instead, since CI reaches both
registries and a corpus that silently went missing would hide every regression it guards.

Each expected fact is asserted present (a subset of what is found); a failure lists every missing
fact of the project, each with what was found instead for that name.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from collectors.facts import RepoFacts
from collectors.run import collect_local
from tests.corpus.fetch import PROJECTS_FILE, FetchError, Project, fetch_corpus, load_projects

PROJECTS = load_projects()

#: What a project's entry may say, and the fields each fact may give.
FIELDS: dict[str, set[str]] = {
    "dependencies": {"ecosystem", "name", "declared", "resolved", "scope", "manifest"},
    "runtimes": {"name", "version", "evidence"},
    "docker_images": {"image", "tag", "digest", "stage", "path"},
    "actions": {"action", "ref", "path"},
    "hygiene": {"present", "path", "detail"},
}
SECTIONS = {"languages", "dependencies", "runtimes", "hygiene", "technologies", "docker_images", "ci"}
_SHARE_RE = re.compile(r"^>=\s*(\d+(?:\.\d+)?)\s*%$")


@pytest.fixture(scope="module")
def corpus() -> dict[str, RepoFacts]:
    """Every project collected once, by name; fetched first when the cache lacks it."""
    problem = None
    try:
        root = fetch_corpus(projects=PROJECTS, log=print)
    except FetchError as err:
        problem = f"the corpus could not be fetched from PyPI / npm: {err}"
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(problem, pytrace=False)
        pytest.skip(problem)
    collection = collect_local(Path(root))
    return {record.name: record for record in collection.repos}


# --- the expectations file itself -----------------------------------------------------------------


def _walk(value: Any, where: str) -> list[str]:
    """Problems of one expected value: YAML numbers (0.18 is a float) must be quoted strings."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _walk(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _walk(v, f"{where}[{i}]")]
    if value is None or isinstance(value, (str, bool)):
        return []
    return [f"{where}: {value!r} is a {type(value).__name__}; quote it so it stays as written"]


def test_corpus_expectations_are_well_formed() -> None:
    problems: list[str] = []
    for project in PROJECTS:
        where = f"{PROJECTS_FILE.name}: {project.name}"
        unknown = set(project.expect) - SECTIONS
        if unknown:
            problems.append(f"{where}: unknown sections {sorted(unknown)}")
        problems += _walk(project.expect, where)
        for section in ("dependencies", "runtimes", "docker_images"):
            for i, fact in enumerate(project.expect.get(section) or []):
                if set(fact) - FIELDS[section]:
                    problems.append(f"{where}.{section}[{i}]: unknown fields {sorted(set(fact) - FIELDS[section])}")
        for i, fact in enumerate((project.expect.get("ci") or {}).get("actions") or []):
            if set(fact) - FIELDS["actions"]:
                problems.append(f"{where}.ci.actions[{i}]: unknown fields {sorted(set(fact) - FIELDS['actions'])}")
        for item, fact in (project.expect.get("hygiene") or {}).items():
            if not isinstance(fact, dict) or "present" not in fact or set(fact) - FIELDS["hygiene"]:
                problems.append(f"{where}.hygiene.{item}: needs `present` and only {sorted(FIELDS['hygiene'])}")
        languages = project.expect.get("languages") or {}
        if "top" not in languages or ("share" in languages and not _SHARE_RE.match(str(languages["share"]))):
            problems.append(f'{where}.languages: needs `top`, and `share` like ">= 90%"')
    assert not problems, "\n".join(problems)


# --- one test per project ---------------------------------------------------------------------------


def _show(fact: dict[str, Any]) -> str:
    return " ".join(f"{k}={v!r}" for k, v in fact.items())


def _matches(found: dict[str, Any], expected: dict[str, Any]) -> bool:
    return all(found.get(key) == value for key, value in expected.items())


def _missing_facts(
    label: str, expected: list[dict[str, Any]], found: list[dict[str, Any]], by: tuple[str, ...]
) -> list[str]:
    """Each expected fact no found fact matches, with the found facts sharing its `by` fields."""
    problems = []
    for fact in expected:
        if any(_matches(f, fact) for f in found):
            continue
        same = [f for f in found if all(f.get(k) == fact.get(k) for k in by if k in fact)]
        shown = [_show({k: f.get(k) for k in fact}) for f in same] if same else ["nothing"]
        problems.append(f"{label} {_show(fact)}\n      found for that name: " + "\n        ".join(shown))
    return problems


def _language_problems(expected: dict[str, Any], record: RepoFacts) -> list[str]:
    languages = record.languages
    total = sum(languages.values())
    ranked = sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{name} {size / total:.0%}" for name, size in ranked[:5]) if total else "none"
    top = ranked[0][0] if ranked else None
    problems = []
    if top != expected["top"]:
        problems.append(f"top language {expected['top']!r}, found {top!r} ({shown})")
    share = _SHARE_RE.match(str(expected.get("share", "")))
    if share and total:
        actual = languages.get(expected["top"], 0) / total
        if actual * 100 < float(share.group(1)):
            problems.append(f"{expected['top']} share {expected['share']}, found {actual:.0%} ({shown})")
    return problems


def _hygiene_problems(expected: dict[str, dict[str, Any]], record: RepoFacts) -> list[str]:
    problems = []
    for item, fact in expected.items():
        found = record.hygiene.get(item)
        if found is None:
            problems.append(f"hygiene {item} {_show(fact)}: not reported (reported: {sorted(record.hygiene)})")
        elif not _matches(asdict(found), fact):
            problems.append(f"hygiene {item} {_show(fact)}: found {_show(asdict(found))}")
    return problems


def _ci_problems(expected: dict[str, Any], record: RepoFacts) -> list[str]:
    providers = sorted({c.provider for c in record.ci_files})
    paths = sorted(c.path for c in record.ci_files)
    problems = [f"ci provider {p!r}, found {providers}" for p in expected.get("providers", []) if p not in providers]
    problems += [f"ci file {p!r}, found {paths}" for p in expected.get("files", []) if p not in paths]
    found_actions = [asdict(a) for a in record.actions]
    return problems + _missing_facts("action", expected.get("actions", []), found_actions, ("action",))


def missing(project: Project, record: RepoFacts) -> list[str]:
    """Every expected fact of the project that the collection did not produce."""
    expect = project.expect
    problems = _language_problems(expect["languages"], record)
    deps = [asdict(d) for d in record.dependencies]
    problems += _missing_facts("dependency", expect.get("dependencies", []), deps, ("ecosystem", "name"))
    runtimes = [asdict(r) for r in record.runtimes]
    problems += _missing_facts("runtime", expect.get("runtimes", []), runtimes, ("name",))
    images = [asdict(d) for d in record.docker_images]
    problems += _missing_facts("docker image", expect.get("docker_images", []), images, ("image",))
    problems += _ci_problems(expect.get("ci", {}), record)
    problems += _hygiene_problems(expect.get("hygiene", {}), record)
    names = sorted({t.name for t in record.technologies})
    problems += [f"technology {t!r}, found {names}" for t in expect.get("technologies", []) if t not in names]
    return problems


@pytest.mark.timeout(1800)  # the first run downloads and unpacks ~150 MB in this test's fixture
@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_corpus_project_shows_the_facts_read_in_its_files(project: Project, corpus: dict[str, RepoFacts]) -> None:
    record = corpus.get(project.name)
    assert record is not None, f"{project.name}: not collected (collected: {sorted(corpus)})"
    problems = missing(project, record)
    if problems:
        warnings = "".join(f"\n    {w.path}: {w.message}" for w in record.warnings[:10])
        pytest.fail(
            f"{project.name} ({project.spec}): {len(problems)} expected fact(s) missing\n  - "
            + "\n  - ".join(problems)
            + (f"\n  warnings of the collection:{warnings}" if warnings else ""),
            pytrace=False,
        )
