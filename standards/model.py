"""The standards file's model: the radar, the standards with their reasons, and waivers.

A guild writes it in YAML and keeps it under version control; `standards.load` reads and checks it.
Every model forbids unknown keys, so a typo (`severty:`) is an error with its line, never a rule
that silently does nothing. Rules are data with a `kind`; evaluating them is `standards.evaluate`'s
job: nothing in the file is ever executed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Tech-radar rings, from "use it" to "stop using it".
RINGS = ("adopt", "trial", "assess", "hold")
Ring = Literal["adopt", "trial", "assess", "hold"]
#: Levels a repository can reach, lowest first: it reaches a level when it passes every standard
#: of that level and of every level below.
LEVELS = ("bronze", "silver", "gold")
Level = Literal["bronze", "silver", "gold"]
#: How much a failing finding matters, lowest first; `guildboard check --fail-on` compares these.
SEVERITIES = ("info", "low", "medium", "high", "critical")
Severity = Literal["info", "low", "medium", "high", "critical"]
#: Outcomes of one standard on one repository.
STATUSES = ("pass", "fail", "waived", "not-applicable", "error")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class RadarEntry(_Strict):
    """Where the guild places one technology (named as in the technology catalog)."""

    ring: Ring
    version: str | None = Field(None, description="Version target in the ecosystem's semantics, e.g. '>=3.2'.")
    ecosystem: str | None = Field(
        None, description="Whose version semantics the target uses; default: the technology's first signal's."
    )
    replace_with: str | None = Field(None, description="For a hold technology: what to move to.")
    reason: str = ""

    @model_validator(mode="after")
    def _replace_only_on_hold(self) -> RadarEntry:
        if self.replace_with and self.ring != "hold":
            raise ValueError("replace_with is for hold technologies only")
        return self


class AppliesTo(_Strict):
    """Which repositories a standard is about; every given condition must hold (empty = all)."""

    teams: list[str] = Field(default_factory=list, description="Only these teams.")
    repos: list[str] = Field(default_factory=list, description="Repository name globs (owner/name or path).")
    exclude_repos: list[str] = Field(default_factory=list, description="Repository name globs left out.")
    languages: list[str] = Field(default_factory=list, description="Repositories whose main language is one of these.")
    topics: list[str] = Field(default_factory=list, description="Repositories with at least one of these topics.")
    archived: bool = Field(False, description="Also archived repositories (default: they are not applicable).")


# --- rule kinds ----------------------------------------------------------------------------------------


class TechnologyRingRule(_Strict):
    """No technology in a forbidden ring; optionally nothing the radar has not reviewed."""

    kind: Literal["technology-ring"]
    forbid: list[Ring] = Field(default_factory=lambda: ["hold"])
    unreviewed: bool = Field(True, description="A technology in use that the radar does not list fails too.")
    categories: list[str] = Field(default_factory=list, description="Only technologies of these categories.")


class VersionRule(_Strict):
    """A technology, runtime or base image on a version the constraint allows."""

    kind: Literal["version"]
    technology: str | None = None
    runtime: str | None = None
    image: str | None = Field(None, description="A Docker base image name, e.g. 'python' or 'eclipse-temurin'.")
    constraint: str | None = Field(None, description="Default for a technology: its radar version target.")
    missing_version: Literal["pass", "fail"] = Field(
        "fail", description="When the thing is used but no version is known."
    )

    @model_validator(mode="after")
    def _one_target(self) -> VersionRule:
        given = [n for n in ("technology", "runtime", "image") if getattr(self, n)]
        if len(given) != 1:
            raise ValueError("name exactly one of technology, runtime or image")
        if not self.technology and not self.constraint:
            raise ValueError("a runtime or image rule needs a constraint")
        return self


class MaxPerCategoryRule(_Strict):
    """At most `max` technologies of a category in use across a team or the organisation; a
    repository fails when it uses one outside the `max` most used there."""

    kind: Literal["max-per-category"]
    category: str
    max: int = Field(1, ge=1)
    scope: Literal["team", "org"] = "team"
    per_language: bool = Field(False, description="Count separately per repository main language.")


class FileExistsRule(_Strict):
    """At least one of these paths (globs) exists."""

    kind: Literal["file-exists"]
    paths: list[str] = Field(min_length=1)


class CiProviderRule(_Strict):
    """CI configured, with one of the allowed providers."""

    kind: Literal["ci-provider"]
    allowed: list[str] = Field(default_factory=list, description="Empty: any provider, but some CI.")


class ActionsPinnedRule(_Strict):
    """GitHub Actions `uses:` pinned to a commit sha, or at least a major per action."""

    kind: Literal["actions-pinned"]
    mode: Literal["sha", "major"] = "sha"
    min_major: dict[str, int] = Field(default_factory=dict, description="Action -> lowest major, e.g. checkout: 4.")
    ignore: list[str] = Field(default_factory=list, description="Action globs left alone (e.g. 'actions/*').")


class BuildHealthRule(_Strict):
    """The default branch's build: green, a success rate, a recent green."""

    kind: Literal["build-health"]
    require_green: bool = True
    min_success_rate: float | None = Field(None, ge=0, le=1)
    max_days_since_green: int | None = Field(None, ge=0)
    unknown: Literal["pass", "fail", "not-applicable"] = Field(
        "not-applicable", description="When no build health was collected (local clones)."
    )


class DependencySpec(_Strict):
    ecosystem: str
    name: str = Field(description="Package name; globs allowed (e.g. 'log4j*').")
    versions: str | None = Field(None, description="Only versions this constraint allows (banned) / needs (required).")


class DependencyRule(_Strict):
    """Dependencies banned (none may be used) or required (each must be)."""

    kind: Literal["dependency"]
    banned: list[DependencySpec] = Field(default_factory=list)
    required: list[DependencySpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _something(self) -> DependencyRule:
        if not self.banned and not self.required:
            raise ValueError("give banned or required dependencies")
        return self


Rule = Annotated[
    TechnologyRingRule
    | VersionRule
    | MaxPerCategoryRule
    | FileExistsRule
    | CiProviderRule
    | ActionsPinnedRule
    | BuildHealthRule
    | DependencyRule,
    Field(discriminator="kind"),
]
RULE_KINDS = (
    "technology-ring",
    "version",
    "max-per-category",
    "file-exists",
    "ci-provider",
    "actions-pinned",
    "build-health",
    "dependency",
)


class Standard(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", description="Stable id, lower-case, used by waivers.")
    title: str = Field(min_length=1)
    level: Level
    severity: Severity = "medium"
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    rule: Rule
    rationale: str = Field(min_length=1, description="Why the guild agreed this.")
    tradeoffs: str = ""
    owner: str = Field(min_length=1, description="Who answers for it.")
    review_by: date = Field(description="When the guild looks at it again.")
    links: list[str] = Field(default_factory=list)


class Waiver(_Strict):
    """A standard knowingly not met by a repository or a whole team, until `expires`."""

    standard: str
    repo: str | None = Field(None, description="Repository name (or glob).")
    team: str | None = None
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    expires: date = Field(description="Last day the waiver holds (inclusive, in UTC).")

    @model_validator(mode="after")
    def _one_subject(self) -> Waiver:
        if bool(self.repo) == bool(self.team):
            raise ValueError("name exactly one of repo or team")
        return self


class Standards(_Strict):
    """The whole standards file."""

    version: Literal[1] = 1
    radar: dict[str, RadarEntry] = Field(default_factory=dict)
    standards: list[Standard] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)

    @field_validator("radar")
    @classmethod
    def _lower_names(cls, radar: dict[str, RadarEntry]) -> dict[str, RadarEntry]:
        return {name.strip().lower(): entry for name, entry in radar.items()}

    def standard(self, standard_id: str) -> Standard | None:
        return next((s for s in self.standards if s.id == standard_id), None)
