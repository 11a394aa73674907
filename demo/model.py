"""One demo repository's state: the few facts from which all of its files are rendered.

History changes these fields (an era, a hygiene item, the CI provider) and the repository is
rendered again; nothing else is stored, so a repository's files are always consistent with it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class Repo:
    name: str
    team: str  # the owning team (what the catalog says)
    folder: str | None  # parent folder under the root: a team's id (maybe not its own), None at the root
    stack: str
    seed: str  # per-repository choices (manifest kind, Dockerfile variant) derive from this
    entities: tuple[str, ...]  # the nouns its code is about; the first one names it
    levels: dict[str, int]  # toolchain -> era index; "actions" for the CI actions' versions
    ci: str  # a key of spec.ci; "none" for no CI
    items: set[str]  # hygiene items present: readme, license, codeowners, catalog, tests, docker, ...
    extras: list[str] = field(default_factory=list)
    license: str = "proprietary"
    codeowners_path: str = ".github/CODEOWNERS"
    year: int = 2020
    version: str = "1.0.0"
    lifecycle: str = "production"
    committed: bool = False  # has a first commit on disk

    @property
    def path(self) -> str:
        """Where the repository sits under the organisation root."""
        return self.name if self.folder is None else f"{self.folder}/{self.name}"

    @property
    def archived(self) -> bool:
        return self.lifecycle == "archived"

    def choice(self, key: str, weights: Mapping[str, float]) -> str:
        """A stable weighted choice for this repository: the same key always gives the same answer."""
        return weighted(random.Random(f"{self.seed}/{key}"), weights)


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    """One key of `weights`, drawn with its weight; keys keep their file order for determinism."""
    keys = list(weights)
    if len(keys) == 1:
        return keys[0]
    return rng.choices(keys, weights=[float(weights[k]) for k in keys])[0]


def sample(rng: random.Random, items: Sequence[T], n: int) -> list[T]:
    """`n` items (fewer if there are fewer), in their original order."""
    if n >= len(items):
        return list(items)
    picked = set(rng.sample(range(len(items)), n))
    return [item for i, item in enumerate(items) if i in picked]
