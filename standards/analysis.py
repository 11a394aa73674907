"""One snapshot judged by the guild's standards, and the dashboard's filters over it.

The dashboard evaluates a snapshot once (`analyse`, cached by snapshot and standards file) and
then narrows the result to what the sidebar's filters keep (`narrow`): a set of repositories, cut
out of every table, with nothing evaluated again. Metrics (`standards.metrics`) take the narrowed
frames as they take any snapshot's.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

import numpy as np
import pandas as pd

from standards.evaluate import RESULT_COLUMNS, evaluate, main_languages
from standards.levels import NO_LEVEL, repo_levels
from standards.model import Standards
from store.frames import SnapshotFrames

#: `main_language` of a repository with no counted language, as the filter lists it.
NO_LANGUAGE = "(none)"
#: Columns of `Analysis.repos`, one row per repository of the snapshot.
REPO_COLUMNS = [
    "repo",
    "team",
    "archived",
    "main_language",
    "level",
    "failing",
    "waived",
    "errors",
    "build",
    "url",
    "default_branch",
    "pushed_at",
]


@dataclass(frozen=True)
class Filters:
    """What the sidebar keeps: some teams (none = all), some main languages (none = all), and
    whether archived repositories are shown. Hashable, so it can key a cache."""

    teams: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    include_archived: bool = False

    def active(self) -> bool:
        """True when the filters leave anything out (beyond archived repositories)."""
        return bool(self.teams or self.languages)

    def describe(self) -> str:
        """`teams payments, search · languages Go · archived included`, or `all repositories`."""
        parts = []
        if self.teams:
            parts.append("teams " + ", ".join(self.teams))
        if self.languages:
            parts.append("languages " + ", ".join(self.languages))
        if self.include_archived:
            parts.append("archived included")
        return " · ".join(parts) or "all active repositories"


@dataclass(frozen=True)
class Analysis:
    """A snapshot's frames, the evaluation of every standard on them, and one row per repository.

    `standards` is None when no standards file is configured: `results` is then empty and every
    repository's `level` is None; facts-only pages work the same.
    """

    frames: SnapshotFrames
    standards: Standards | None
    results: pd.DataFrame  # RESULT_COLUMNS
    repos: pd.DataFrame  # REPO_COLUMNS
    today: date

    @property
    def teams(self) -> list[str]:
        """Every team of the snapshot, by name."""
        return sorted(set(self.repos["team"]))

    @property
    def languages(self) -> list[str]:
        """Every main language of the snapshot's repositories, by name (`NO_LANGUAGE` last)."""
        found = set(self.repos["main_language"])
        return sorted(found - {NO_LANGUAGE}) + ([NO_LANGUAGE] if NO_LANGUAGE in found else [])


def analyse(frames: SnapshotFrames, standards: Standards | None, *, today: date) -> Analysis:
    """Evaluate every standard on the snapshot (judged on `today`) and sum up each repository."""
    if standards is not None:
        results = evaluate(standards, frames, today=today)
        levels = repo_levels(standards, results).set_index("repo")
    else:
        results = pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS})
        levels = pd.DataFrame(columns=["level", "failing", "waived", "errors"])
    repos = frames.repos.drop_duplicates("repo").set_index("repo")
    index = repos.index
    main = main_languages(frames).reindex(index)
    build = frames.build_health.drop_duplicates("repo").set_index("repo")["state"].reindex(index)
    known = levels.reindex(index)
    no_level = NO_LEVEL if standards is not None and standards.standards else None
    table = _objects(
        {
            "repo": index.to_numpy(dtype=object),
            "team": repos["team"].to_numpy(dtype=object),
            "archived": repos["archived"].to_numpy(dtype=bool),
            "main_language": main.fillna(NO_LANGUAGE).to_numpy(dtype=object),
            "level": _or(known["level"], no_level),
            "failing": known["failing"].fillna(0).to_numpy(dtype="int64"),
            "waived": known["waived"].fillna(0).to_numpy(dtype="int64"),
            "errors": known["errors"].fillna(0).to_numpy(dtype="int64"),
            "build": _or(build, None),
            "url": repos["url"].to_numpy(dtype=object),
            "default_branch": repos["default_branch"].to_numpy(dtype=object),
            "pushed_at": repos["pushed_at"].to_numpy(dtype=object),
        }
    )
    # archived repositories reach no level: they are left out of levels and roll-ups
    table["level"] = pd.Series(np.where(table["archived"], None, table["level"]), dtype=object)
    table = table.sort_values("repo", kind="stable").reset_index(drop=True)
    return Analysis(frames=frames, standards=standards, results=results, repos=table[REPO_COLUMNS], today=today)


def kept_repos(analysis: Analysis, filters: Filters) -> np.ndarray:
    """The names of the repositories the filters keep."""
    repos = analysis.repos
    keep = np.ones(len(repos), dtype=bool)
    if filters.teams:
        keep &= repos["team"].isin(filters.teams).to_numpy()
    if filters.languages:
        keep &= repos["main_language"].isin(filters.languages).to_numpy()
    if not filters.include_archived:
        keep &= ~repos["archived"].to_numpy(dtype=bool)
    return repos["repo"].to_numpy(dtype=object)[keep]


def narrow(analysis: Analysis, filters: Filters) -> Analysis:
    """The analysis of only the repositories the filters keep: every frame and the results cut
    to them; nothing is evaluated again, so a team-wide rule keeps the verdict it had on the
    whole snapshot. Unfiltered, the same object comes back."""
    if filters == Filters(include_archived=True) or (filters == Filters() and not analysis.repos["archived"].any()):
        return analysis
    keep = kept_repos(analysis, filters)
    frames = narrow_frames(analysis.frames, keep)
    results = analysis.results
    results = results[results["repo"].isin(keep)].reset_index(drop=True)
    repos = analysis.repos[analysis.repos["repo"].isin(keep)].reset_index(drop=True)
    return replace(analysis, frames=frames, results=results, repos=repos)


def narrow_frames(frames: SnapshotFrames, repos: np.ndarray | list[str]) -> SnapshotFrames:
    """Every table of the snapshot cut to these repositories."""
    wanted = pd.Index(repos)
    cut = {}
    for f in fields(SnapshotFrames):
        if f.name == "snapshot_id":
            continue
        table: pd.DataFrame = getattr(frames, f.name)
        cut[f.name] = table[table["repo"].isin(wanted)].reset_index(drop=True)
    return SnapshotFrames(snapshot_id=frames.snapshot_id, **cut)


def _objects(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """A frame whose text columns stay Python objects (None where missing), as the results' do:
    pandas would infer its string dtype and turn None into NaN."""
    return pd.DataFrame({c: pd.Series(v, dtype=object if v.dtype == object else v.dtype) for c, v in columns.items()})


def _or(values: pd.Series, missing: object) -> np.ndarray:
    """The values as Python objects, `missing` where there is none (pandas would put NaN back)."""
    return np.where(values.notna().to_numpy(), values.to_numpy(dtype=object), missing)
