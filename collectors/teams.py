"""Which team owns a repository, and which source said so.

Default order, first answer wins (`TEAM_SOURCES`; a collection may reorder or drop sources): the
teams file (`--teams`), the repository's Backstage `catalog-info.yaml` (`spec.owner`), the GitHub
team holding admin or maintain permission on it, its CODEOWNERS (first owner of the `*` rule), a
`team-*` repository topic, then the repository's parent folder under the collection root. Every
source's answer is kept (`RepoFacts.team_candidates`), not only the winner's.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from collectors.detectors.parsing import ParseError, load_yaml, read_text
from collectors.facts import Facts
from collectors.repo_view import RepoView

CATALOG_PATHS = ("catalog-info.yaml", "catalog-info.yml")
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")  # GitHub's search order
WANTS = (*CATALOG_PATHS, *CODEOWNERS_PATHS)

#: Backstage lifecycles that mean the repository is no longer worked on.
ARCHIVED_LIFECYCLES = frozenset({"archived", "retired", "decommissioned"})
UNASSIGNED = "unassigned"


class TeamsFileError(Exception):
    """The teams file is unreadable or malformed; the message names the file and the place."""


@dataclass
class TeamsFile:
    """Team -> repository globs, matched against the repository's name in file order."""

    rules: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> TeamsFile:
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise TeamsFileError(f"{path}: cannot read: {err.strerror}") from None
        except (ParseError, UnicodeDecodeError) as err:
            raise TeamsFileError(f"{path}: {err}") from None
        if not isinstance(data, dict) or not isinstance(data.get("teams"), dict):
            raise TeamsFileError(f"{path}: expected a mapping `teams:` of team name -> list of repository globs")
        rules: list[tuple[str, str]] = []
        problems = []
        for team, globs in data["teams"].items():
            if isinstance(globs, str):
                globs = [globs]
            if not isinstance(globs, list) or not all(isinstance(g, str) and g for g in globs):
                problems.append(f"{path}: teams.{team}: expected a list of repository globs")
                continue
            rules += [(str(team), g) for g in globs]
        if problems:
            raise TeamsFileError("\n".join(problems))
        return cls(rules)

    def team_for(self, repo_name: str) -> str | None:
        for team, glob in self.rules:
            if fnmatch.fnmatchcase(repo_name, glob):
                return team
        return None


@dataclass
class CatalogInfo:
    owner: str | None = None
    lifecycle: str | None = None
    tags: list[str] = field(default_factory=list)
    path: str | None = None


def read_catalog(repo: RepoView, facts: Facts) -> CatalogInfo:
    """The root `catalog-info.yaml`'s owner, lifecycle and tags (the first Component entity)."""
    for path in CATALOG_PATHS:
        if not repo.exists(path):
            continue
        text = read_text(repo, path, facts)
        try:
            docs = load_yaml(text, all_documents=True) if text is not None else []
        except ParseError as err:
            facts.warn(path, str(err))
            return CatalogInfo(path=path)
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            spec = doc.get("spec") if isinstance(doc.get("spec"), dict) else {}
            meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
            owner = spec.get("owner")
            tags = meta.get("tags") if isinstance(meta.get("tags"), list) else []
            return CatalogInfo(
                owner=_entity_name(owner) if isinstance(owner, str) and owner.strip() else None,
                lifecycle=str(spec["lifecycle"]).lower() if spec.get("lifecycle") else None,
                tags=[str(t) for t in tags],
                path=path,
            )
        return CatalogInfo(path=path)
    return CatalogInfo()


def codeowners_team(repo: RepoView, facts: Facts) -> tuple[str | None, str | None]:
    """First owner of the last catch-all rule in the first CODEOWNERS GitHub would use."""
    for path in CODEOWNERS_PATHS:
        if not repo.exists(path):
            continue
        text = read_text(repo, path, facts)
        if text is None:
            return None, path
        owner = None
        for line in text.splitlines():
            parts = line.split("#", 1)[0].split()
            if len(parts) >= 2 and parts[0] in ("*", "/*", "**", "/**"):
                owner = _owner_name(parts[1])  # a later rule overrides an earlier one
        return owner, path
    return None, None


#: Every place a team can come from, in the default order of trust (first answer wins). A
#: repository's own files outrank the host's permissions, which outrank loose conventions.
TEAM_SOURCES: tuple[str, ...] = ("teams-file", "catalog-info", "github-team", "codeowners", "topic", "folder")
DEFAULT_TEAM_ORDER = TEAM_SOURCES
#: Team sources read from the repository's files: they only change when its head moves.
FILE_TEAM_SOURCES = frozenset({"catalog-info", "codeowners"})


class TeamOrderError(ValueError):
    """A team order naming a source guildboard does not know."""


def parse_team_order(text: str) -> tuple[str, ...]:
    """`teams-file,catalog-info,codeowners` -> a validated order (the sources left out are not used)."""
    order = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [s for s in order if s not in TEAM_SOURCES]
    if unknown or not order or len(set(order)) != len(order):
        raise TeamOrderError(
            f"bad team order {text!r}: give each of {', '.join(TEAM_SOURCES)} at most once, comma-separated"
        )
    return order


def team_candidates(
    repo: RepoView,
    facts: Facts,
    *,
    teams_file: TeamsFile | None = None,
    catalog: CatalogInfo | None = None,
    folder_team: str | None = None,
) -> dict[str, str]:
    """Every source that names a team for the repository (source -> team), kept so a reader sees
    where the sources disagree and a later run can re-decide without reading the files again."""
    found: dict[str, str] = {}
    if teams_file is not None and (team := teams_file.team_for(repo.meta.name)):
        found["teams-file"] = team
    catalog = catalog if catalog is not None else read_catalog(repo, facts)
    if catalog.owner:
        found["catalog-info"] = catalog.owner
    owner, _ = codeowners_team(repo, facts)
    if owner:
        found["codeowners"] = owner
    found.update({source: team for source, team in repo.meta.team_hints.items() if team})
    if folder_team:
        found["folder"] = folder_team
    return found


def choose_team(candidates: dict[str, str], order: tuple[str, ...] = DEFAULT_TEAM_ORDER) -> tuple[str, str]:
    """(team, source): the first source in `order` that named one; `unassigned` otherwise."""
    for source in order:
        if team := candidates.get(source):
            return team, source
    return UNASSIGNED, "default"


def resolve_team(
    repo: RepoView,
    facts: Facts,
    *,
    teams_file: TeamsFile | None = None,
    catalog: CatalogInfo | None = None,
    folder_team: str | None = None,
    order: tuple[str, ...] = DEFAULT_TEAM_ORDER,
) -> tuple[str, str]:
    """(team, source) for the repository; source names the rule that decided."""
    found = team_candidates(repo, facts, teams_file=teams_file, catalog=catalog, folder_team=folder_team)
    return choose_team(found, order)


def topic_team(topics: list[str], prefix: str = "team-") -> str | None:
    """`team-payments` -> `payments`: the first such topic, in sorted order so the answer is stable."""
    named = sorted(t[len(prefix) :] for t in topics if t.startswith(prefix) and len(t) > len(prefix))
    return named[0] if named else None


def folder_team(repo_name: str) -> str | None:
    """The first folder of the repository's path under the root; None directly under it."""
    head, sep, _ = repo_name.partition("/")
    return head if sep else None


_KIND_PREFIX = re.compile(r"^[a-z]+:")


def _entity_name(ref: str) -> str:
    """`group:default/payments` -> `payments` (Backstage entity reference)."""
    ref = _KIND_PREFIX.sub("", ref.strip())
    return ref.rsplit("/", 1)[-1]


def _owner_name(owner: str) -> str:
    """`@acme/payments` -> `payments`; `@jane` -> `jane`; an e-mail stays as it is."""
    owner = owner.lstrip("@")
    return owner.rsplit("/", 1)[-1] if "/" in owner else owner
