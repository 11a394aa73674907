"""What to look for in a repository. One module per concern; each reads only through `RepoView`.

A detector module has `WANTS` (globs of the paths it reads, so a remote source fetches only those)
and `detect(repo) -> Facts`. Adding a detector is one module and one line in `DETECTORS`. After
them all, `technologies` reads the catalog's signals off what they found (packages, base images,
CI providers, file names): adding a technology is one entry in `collectors/catalog/technologies.yaml`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from collectors import teams
from collectors.detectors import (
    ci,
    compose,
    docker,
    dotnet,
    go,
    gradle,
    helm,
    hygiene,
    javascript,
    languages,
    maven,
    php,
    python,
    python_pipenv,
    python_setup,
    ruby,
    rust,
    sbt,
    technologies,
    terraform,
    toolversions,
)
from collectors.facts import Facts, Warning_
from collectors.repo_view import FileTooLarge, RepoView


@dataclass(frozen=True)
class Detector:
    name: str
    wants: tuple[str, ...]
    detect: Callable[[RepoView], Facts]


def _from(module: ModuleType) -> Detector:
    return Detector(module.__name__.rsplit(".", 1)[-1], tuple(module.WANTS), module.detect)


DETECTORS: tuple[Detector, ...] = tuple(
    _from(m)
    for m in (
        languages,
        python,
        python_setup,
        python_pipenv,
        javascript,
        maven,
        gradle,
        sbt,
        go,
        rust,
        ruby,
        php,
        dotnet,
        terraform,
        helm,
        docker,
        compose,
        ci,
        hygiene,
        toolversions,
    )
)


#: A garbage file can yield thousands of warnings; past this many per file, one line says how many more.
MAX_WARNINGS_PER_FILE = 20


def cap_warnings(warnings: list[Warning_], per_file: int = MAX_WARNINGS_PER_FILE) -> list[Warning_]:
    """At most `per_file` warnings for each path, then one that counts the rest."""
    kept: list[Warning_] = []
    counts: Counter[str] = Counter()
    for w in warnings:
        counts[w.path] += 1
        if counts[w.path] <= per_file:
            kept.append(w)
    kept += [Warning_(path, f"... and {n - per_file} more warnings") for path, n in counts.items() if n > per_file]
    return kept


@cache
def wanted_globs() -> tuple[str, ...]:
    """Every path glob any detector reads (team files too): what a remote source should download."""
    return tuple(sorted({g for d in DETECTORS for g in d.wants} | set(teams.WANTS)))


#: What turns a repository's files into facts: change any of these and facts collected before
#: may differ, so a collection must not carry them over.
_FINGERPRINTED = ("detectors/*.py", "detectors/*.json", "catalog/*", "facts.py", "teams.py", "repo_view.py", "run.py")


@cache
def fingerprint() -> str:
    """A short hash of the detection code and tables; a later run carries facts over from an
    unchanged repository only when it matches, so upgrading guildboard re-reads everything."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted({p for pattern in _FINGERPRINTED for p in root.glob(pattern) if p.is_file()}):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def detect_all(repo: RepoView) -> Facts:
    """Run every detector; a detector that fails becomes a warning, never a lost repository."""
    merged = Facts()
    repo.prefetch(repo.matching(wanted_globs()))  # every manifest in one exchange with the source
    for detector in DETECTORS:
        try:
            found = detector.detect(repo)
        except FileTooLarge as err:  # a detector that forgot to catch it
            merged.warn("", f"{detector.name}: {err}")
            continue
        except Exception as err:  # one bad repository must not stop a run
            merged.warn("", f"{detector.name} failed: {type(err).__name__}: {err}")
            continue
        merged.add(found)
    merged.warnings = cap_warnings(merged.warnings)
    try:  # last: technologies are read off the facts every detector above found
        merged.technologies += technologies.detect_technologies(repo, merged)
    except Exception as err:  # a bad catalog entry must not lose the repository
        merged.warn("", f"technologies failed: {type(err).__name__}: {err}")
    return merged
