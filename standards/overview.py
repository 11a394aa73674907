"""The Overview page's numbers: headline figures, repositories per team, language mix per team.

Pure pandas over a `store.frames.SnapshotFrames`; no Streamlit, so it is tested on its own and the
reports draw the same numbers. Every frame returned here is small (one row per team, per language
or per (team, language)) and sorted the way a chart or table shows it.

Archived repositories are counted among repositories (split out as archived) and left out of
everything about languages: dead code does not say what a team writes today.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from store.frames import SnapshotFrames

#: The bucket the languages past the top N fall into.
OTHER = "Other"

#: How many languages the language-mix chart names before grouping the rest as `OTHER`.
DEFAULT_TOP_LANGUAGES = 8


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the Overview page."""

    snapshot_id: int
    taken_at: pd.Timestamp | None  # UTC; None when the caller did not pass the snapshot's time
    repositories: int
    active_repositories: int  # not archived
    archived_repositories: int
    teams: int
    languages: int  # distinct languages in the breakdown (programming and markup) of active repositories
    dependencies: int  # distinct (ecosystem, package) pairs declared anywhere
    dependency_declarations: int  # every declaration, one per (repository, manifest, package)
    warnings: int
    repositories_with_warnings: int


@dataclass(frozen=True)
class Overview:
    """Everything the Overview page draws, computed once per snapshot."""

    headline: Headline
    repos_per_team: pd.DataFrame  # team, active, archived, total
    language_bytes: pd.DataFrame  # team, language (ordered categoricals), bytes, share
    top_languages: pd.DataFrame  # language, bytes, share, repositories
    teams: pd.DataFrame  # team, repositories, active, archived, languages, main_language, ...
    repos: pd.DataFrame  # one row per repository, with team

    def repos_of(self, team: str | None) -> pd.DataFrame:
        """The repositories of one team (every repository when `team` is None)."""
        if team is None:
            return self.repos
        return self.repos[self.repos["team"] == team].reset_index(drop=True)


def overview(frames: SnapshotFrames, *, taken_at: str | None = None, top_n: int = DEFAULT_TOP_LANGUAGES) -> Overview:
    return Overview(
        headline=headline(frames, taken_at=taken_at),
        repos_per_team=repos_per_team(frames),
        language_bytes=language_bytes_per_team(frames, top_n=top_n),
        top_languages=top_languages(frames),
        teams=team_table(frames),
        repos=repo_table(frames),
    )


def headline(frames: SnapshotFrames, *, taken_at: str | None = None) -> Headline:
    repos = frames.repos
    archived = int(repos["archived"].sum())
    deps = frames.dependencies
    warnings = frames.warnings
    return Headline(
        snapshot_id=frames.snapshot_id,
        taken_at=pd.to_datetime(taken_at, utc=True, format="ISO8601") if taken_at else None,
        repositories=len(repos),
        active_repositories=len(repos) - archived,
        archived_repositories=archived,
        teams=int(repos["team"].nunique()),
        languages=int(_counted(frames)["language"].nunique()),
        dependencies=len(deps[["ecosystem", "name"]].drop_duplicates()),
        dependency_declarations=len(deps),
        warnings=len(warnings),
        repositories_with_warnings=int(warnings["repo"].nunique()),
    )


def repos_per_team(frames: SnapshotFrames) -> pd.DataFrame:
    """One row per team: active and archived repositories; most repositories first."""
    repos = frames.repos
    out = pd.DataFrame(
        {
            "team": repos["team"].astype(str),
            "active": (~repos["archived"]).astype(int),
            "archived": repos["archived"].astype(int),
        }
    )
    out = out.groupby("team", as_index=False)[["active", "archived"]].sum()
    out["total"] = out["active"] + out["archived"]
    out = out.sort_values(["total", "active", "team"], ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True).astype({"active": "int64", "archived": "int64", "total": "int64"})


def top_languages(frames: SnapshotFrames, *, include_archived: bool = False) -> pd.DataFrame:
    """Languages by bytes over the whole organisation: bytes, share of all bytes, repositories."""
    langs = _counted(frames, include_archived=include_archived)
    out = langs.groupby("language", as_index=False).agg(bytes=("bytes", "sum"), repositories=("repo", "nunique"))
    total = out["bytes"].sum()
    out["share"] = out["bytes"] / total if total else 0.0
    out = out.sort_values(["bytes", "language"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out[["language", "bytes", "share", "repositories"]].astype({"bytes": "int64", "repositories": "int64"})


def language_bytes_per_team(
    frames: SnapshotFrames, *, top_n: int = DEFAULT_TOP_LANGUAGES, include_archived: bool = False
) -> pd.DataFrame:
    """Bytes per (team, language), the top `top_n` languages named and the rest as `OTHER`.

    `share` is the language's part of that team's bytes (a team's shares add up to 1). `team` and
    `language` are ordered categoricals giving the display order: the team with most bytes first;
    languages the organisation's biggest first, `OTHER` last, one order for every team. Rows come
    in that order. Teams without any counted bytes are left out.
    """
    langs = _counted(frames, include_archived=include_archived)
    if langs.empty:
        return pd.DataFrame(
            {
                "team": pd.Categorical([], categories=[], ordered=True),
                "language": pd.Categorical([], categories=[], ordered=True),
                "bytes": pd.Series(dtype="int64"),
                "share": pd.Series(dtype=float),
            }
        )
    named = top_languages(frames, include_archived=include_archived)["language"].head(max(top_n, 0)).tolist()
    langs = langs.assign(language=langs["language"].where(langs["language"].isin(named), OTHER))
    out = langs.groupby(["team", "language"], as_index=False)["bytes"].sum()
    out = out[out["bytes"] > 0]
    team_bytes = out.groupby("team")["bytes"].transform("sum")
    out = out.assign(share=out["bytes"] / team_bytes)
    order = [lang for lang in [*named, OTHER] if lang in set(out["language"])]
    totals = out.groupby("team")["bytes"].sum()
    teams = sorted(totals.index, key=lambda t: (-totals[t], t))
    out = out.assign(
        team=pd.Categorical(out["team"], categories=teams, ordered=True),
        language=pd.Categorical(out["language"], categories=order, ordered=True),
    )
    out = out.sort_values(["team", "language"], kind="stable").reset_index(drop=True)
    return out[["team", "language", "bytes", "share"]].astype({"bytes": "int64"})


def team_table(frames: SnapshotFrames) -> pd.DataFrame:
    """One row per team for the Overview table, in the order of `repos_per_team`."""
    per_team = repos_per_team(frames)
    repo_team = frames.repos.set_index("repo")["team"]
    langs = _counted(frames)
    lang_bytes = langs.groupby(["team", "language"], as_index=False)["bytes"].sum()
    lang_count = lang_bytes.groupby("team")["language"].nunique()
    main = (
        lang_bytes.sort_values(["team", "bytes", "language"], ascending=[True, False, True], kind="stable")
        .drop_duplicates("team")
        .set_index("team")["language"]
    )
    warnings = frames.warnings["repo"].map(repo_team).value_counts()
    deps = frames.dependencies.assign(team=frames.dependencies["repo"].map(repo_team))
    dep_count = deps.drop_duplicates(["team", "ecosystem", "name"]).groupby("team").size()
    out = per_team.rename(columns={"total": "repositories"})
    out = out.assign(
        languages=out["team"].map(lang_count).fillna(0).astype("int64"),
        main_language=out["team"].map(main),
        dependencies=out["team"].map(dep_count).fillna(0).astype("int64"),
        warnings=out["team"].map(warnings).fillna(0).astype("int64"),
    )
    return out[
        [
            "team",
            "repositories",
            "active",
            "archived",
            "languages",
            "main_language",
            "dependencies",
            "warnings",
        ]
    ]


def repo_table(frames: SnapshotFrames) -> pd.DataFrame:
    """One row per repository: team, archived, main language, counts; by team, then name."""
    repos = frames.repos
    langs = frames.languages[frames.languages["counted"]]
    main = (
        langs.sort_values(["repo", "bytes", "language"], ascending=[True, False, True], kind="stable")
        .drop_duplicates("repo")
        .set_index("repo")["language"]
    )
    lang_count = langs.groupby("repo")["language"].nunique()
    dep_count = frames.dependencies.groupby("repo").size()
    warn_count = frames.warnings.groupby("repo").size()
    out = pd.DataFrame(
        {
            "repo": repos["repo"],
            "team": repos["team"],
            "archived": repos["archived"].astype(bool),
            "main_language": repos["repo"].map(main),
            "languages": repos["repo"].map(lang_count).fillna(0).astype("int64"),
            "dependencies": repos["repo"].map(dep_count).fillna(0).astype("int64"),
            "warnings": repos["repo"].map(warn_count).fillna(0).astype("int64"),
            "default_branch": repos["default_branch"],
            "pushed_at": pd.to_datetime(repos["pushed_at"], utc=True, format="ISO8601"),
            "url": repos["url"],
        }
    )
    return out.sort_values(["team", "repo"], kind="stable").reset_index(drop=True)


def _counted(frames: SnapshotFrames, *, include_archived: bool = False) -> pd.DataFrame:
    """The language breakdown (counted rows) joined to each repository's team."""
    repos = frames.repos
    if not include_archived:
        repos = repos[~repos["archived"]]
    langs = frames.languages[frames.languages["counted"]]
    return langs[["repo", "language", "bytes"]].merge(repos[["repo", "team"]], on="repo", how="inner")
