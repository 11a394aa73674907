"""The fact model: what a collection learns about one repository.

Detectors fill a `Facts` each; `RepoFacts` is one repository's merged record. Both are plain
dataclasses (no pydantic) so the collection path stays quick to import, and both go to and from
the JSON export format (`reports/schema/export.schema.json`) without loss.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: Version of the per-repository record; bump when a field changes meaning.
FACTS_VERSION = 2


@dataclass(frozen=True, order=True)
class Dependency:
    ecosystem: str  # pypi, npm, maven, gradle, go, cargo, rubygems, ...
    name: str
    declared: str | None = None  # the version or range as written in the manifest
    resolved: str | None = None  # the exact version from a lock file, when there is one
    scope: str = "runtime"  # runtime, dev, test, build, plugin, optional, peer
    manifest: str = ""  # path of the manifest (or lock file) inside the repository


@dataclass(frozen=True, order=True)
class Technology:
    name: str
    category: str
    version: str | None = None
    evidence: str = ""  # path of the file that signalled it


@dataclass(frozen=True, order=True)
class Runtime:
    name: str  # python, node, java, go, ruby, dotnet, ...
    version: str | None
    evidence: str = ""


@dataclass(frozen=True, order=True)
class DockerImage:
    image: str
    tag: str | None = None
    digest: str | None = None
    stage: str | None = None
    path: str = ""


@dataclass(frozen=True, order=True)
class CiFile:
    provider: str  # github-actions, gitlab-ci, jenkins, ...
    path: str


@dataclass(frozen=True, order=True)
class ActionUse:
    """One `uses:` of a GitHub Actions workflow: `actions/checkout@v4`."""

    action: str
    ref: str | None
    path: str


@dataclass(frozen=True)
class HygieneItem:
    present: bool
    path: str | None = None
    detail: str | None = None  # e.g. the SPDX id of a licence


@dataclass(frozen=True, order=True)
class WorkflowHealth:
    """One GitHub Actions workflow's latest runs on the default branch."""

    workflow: str  # the workflow's name
    path: str | None  # .github/workflows/ci.yml
    runs: int  # runs looked at (the latest N on the default branch)
    latest_conclusion: str | None  # success, failure, cancelled, ...; None while the latest still runs
    latest_at: str | None  # ISO 8601 UTC: when the latest run started
    success_rate: float | None  # successes / completed runs; None when none completed
    median_duration_s: float | None  # of the completed runs
    last_success_at: str | None  # ISO 8601 UTC


@dataclass(frozen=True, order=True)
class CheckResult:
    """One check run or commit status reported on the head commit of the default branch."""

    name: str  # the check run's name or the status's context
    kind: str  # check-run or status
    app: str | None  # who reported it: github-actions, jenkins, circleci-checks, ...
    state: str  # success, failure, error, pending, neutral, skipped, cancelled, ...


@dataclass(frozen=True)
class BuildHealth:
    """The default branch's build, in one word and the reason for it."""

    state: str  # green, red, pending, unknown (see BUILD_STATES)
    reason: str
    commit: str | None = None  # the head the state is about
    checked_at: str | None = None  # ISO 8601 UTC


#: The overall build states, best first.
BUILD_STATES = ("green", "pending", "red", "unknown")


@dataclass(frozen=True, order=True)
class Warning_:
    """A problem met while reading one file; the collection goes on."""

    path: str
    message: str


@dataclass
class Facts:
    """What one or more detectors found in one repository; `add` folds another `Facts` in."""

    languages: dict[str, int] = field(default_factory=dict)
    other_languages: dict[str, int] = field(default_factory=dict)  # data, prose and non-detectable code, by bytes
    dependencies: list[Dependency] = field(default_factory=list)
    technologies: list[Technology] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    docker_images: list[DockerImage] = field(default_factory=list)
    ci_files: list[CiFile] = field(default_factory=list)
    actions: list[ActionUse] = field(default_factory=list)
    hygiene: dict[str, HygieneItem] = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(Warning_(path, message))

    def add(self, found: Facts) -> None:
        for lang, size in found.languages.items():
            self.languages[lang] = self.languages.get(lang, 0) + size
        for lang, size in found.other_languages.items():
            self.other_languages[lang] = self.other_languages.get(lang, 0) + size
        self.dependencies += found.dependencies
        self.technologies += found.technologies
        self.runtimes += found.runtimes
        self.docker_images += found.docker_images
        self.ci_files += found.ci_files
        self.actions += found.actions
        self.hygiene.update(found.hygiene)
        self.warnings += found.warnings


@dataclass(kw_only=True)
class RepoFacts(Facts):
    """One repository at the head of its default branch, as the store and the export see it."""

    name: str  # path relative to the collection root, or owner/name
    team: str = "unassigned"
    team_source: str = "default"  # teams-file, catalog-info, codeowners, folder, default
    default_branch: str | None = None
    head: str | None = None
    archived: bool = False
    pushed_at: str | None = None  # ISO 8601, UTC
    url: str | None = None
    topics: list[str] = field(default_factory=list)
    fork: bool = False
    visibility: str | None = None  # public, private, internal (GitHub); None for a local clone
    team_candidates: dict[str, str] = field(default_factory=dict)  # every source that named a team
    build: BuildHealth | None = None  # None when the source has no CI results (a local clone)
    workflows: list[WorkflowHealth] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)

    def normalise(self) -> RepoFacts:
        """Sort every list so the same heads always give the same record."""
        self.languages = dict(sorted(self.languages.items(), key=lambda kv: (-kv[1], kv[0])))
        self.other_languages = dict(sorted(self.other_languages.items(), key=lambda kv: (-kv[1], kv[0])))
        for name in LIST_FIELDS:
            items = getattr(self, name)
            setattr(self, name, sorted(set(items), key=_sort_key))
        self.hygiene = dict(sorted(self.hygiene.items()))
        self.topics = sorted(set(self.topics))
        self.team_candidates = dict(sorted(self.team_candidates.items()))
        return self

    # --- the JSON export format -------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The record as it appears under `repositories[]` in the JSON export."""
        return {
            "name": self.name,
            "team": self.team,
            "team_source": self.team_source,
            "default_branch": self.default_branch,
            "head": self.head,
            "archived": self.archived,
            "pushed_at": self.pushed_at,
            "url": self.url,
            "topics": list(self.topics),
            "fork": self.fork,
            "visibility": self.visibility,
            "team_candidates": dict(self.team_candidates),
            "languages": dict(self.languages),
            "other_languages": dict(self.other_languages),
            "dependencies": [asdict(d) for d in self.dependencies],
            "technologies": [asdict(t) for t in self.technologies],
            "runtimes": [asdict(r) for r in self.runtimes],
            "docker_images": [asdict(d) for d in self.docker_images],
            "ci": {
                "providers": sorted({c.provider for c in self.ci_files}),
                "files": [asdict(c) for c in self.ci_files],
                "actions": [asdict(a) for a in self.actions],
            },
            "hygiene": {k: asdict(v) for k, v in self.hygiene.items()},
            "build": {
                **(
                    asdict(self.build)
                    if self.build
                    else {"state": None, "reason": None, "commit": None, "checked_at": None}
                ),
                "workflows": [asdict(w) for w in self.workflows],
                "checks": [asdict(c) for c in self.checks],
            },
            "warnings": [asdict(w) for w in self.warnings],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RepoFacts:
        ci = data.get("ci") or {}
        build = data.get("build") or {}
        return cls(
            name=data["name"],
            team=data.get("team", "unassigned"),
            team_source=data.get("team_source", "default"),
            default_branch=data.get("default_branch"),
            head=data.get("head"),
            archived=bool(data.get("archived", False)),
            pushed_at=data.get("pushed_at"),
            url=data.get("url"),
            topics=list(data.get("topics") or []),
            fork=bool(data.get("fork", False)),
            visibility=data.get("visibility"),
            team_candidates=dict(data.get("team_candidates") or {}),
            build=_build(BuildHealth, build) if build.get("state") else None,
            workflows=[_build(WorkflowHealth, w) for w in build.get("workflows") or []],
            checks=[_build(CheckResult, c) for c in build.get("checks") or []],
            languages=dict(data.get("languages") or {}),
            other_languages=dict(data.get("other_languages") or {}),
            dependencies=[_build(Dependency, d) for d in data.get("dependencies") or []],
            technologies=[_build(Technology, t) for t in data.get("technologies") or []],
            runtimes=[_build(Runtime, r) for r in data.get("runtimes") or []],
            docker_images=[_build(DockerImage, d) for d in data.get("docker_images") or []],
            ci_files=[_build(CiFile, c) for c in ci.get("files") or []],
            actions=[_build(ActionUse, a) for a in ci.get("actions") or []],
            hygiene={k: _build(HygieneItem, v) for k, v in (data.get("hygiene") or {}).items()},
            warnings=[_build(Warning_, w) for w in data.get("warnings") or []],
        )


#: The list-shaped fields of `RepoFacts`, sorted by `normalise`.
LIST_FIELDS = (
    "dependencies",
    "technologies",
    "runtimes",
    "docker_images",
    "ci_files",
    "actions",
    "warnings",
    "workflows",
    "checks",
)


def _build(kind: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(kind)}
    return kind(**{k: v for k, v in data.items() if k in names})


def _sort_key(item: Any) -> tuple:
    return tuple("" if v is None else str(v) for v in asdict(item).values())
