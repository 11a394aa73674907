"""The Languages page's numbers: which languages each team writes, in bytes and in repositories.

Pure pandas over an `Analysis` (already narrowed to the sidebar's filters, so archived
repositories are in only when the sidebar asks for them); no Streamlit. Only the language
breakdown counts (programming and markup, `languages.counted`): data and prose files say nothing
about what a team writes. A repository "uses" a language when it has any counted bytes of it; its
"main" language is the one with most bytes (`Analysis.repos.main_language`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from standards import overview
from standards.analysis import Analysis

#: The column a pivot of `LanguagesView.table` adds for the whole organisation (as filtered).
ALL_TEAMS = "All teams"
#: Columns of `LanguagesView.rows`, one row per (repository, language).
ROW_COLUMNS = ["repo", "team", "language", "bytes", "share", "main"]


@dataclass(frozen=True)
class LanguagesView:
    """Everything the Languages page draws, computed once per snapshot and filters."""

    mix: pd.DataFrame  # standards.overview.language_bytes_per_team: team, language, bytes, share
    per_language: pd.DataFrame  # language, main_of, used_in, bytes: most used first
    table: pd.DataFrame  # language, team, repositories, bytes: long form of the language x team table
    rows: pd.DataFrame  # ROW_COLUMNS: what a click on a bar leads to
    repositories: int  # repositories in view
    without_language: int  # of those, how many have no counted bytes at all

    @property
    def languages(self) -> list[str]:
        """Every language in use, by name (the language picker's options)."""
        return sorted(self.per_language["language"], key=str.casefold)

    @property
    def teams(self) -> list[str]:
        """Every team with counted bytes, by name."""
        return sorted(set(self.rows["team"]), key=str.casefold)

    @property
    def total_bytes(self) -> int:
        return int(self.rows["bytes"].sum())

    def rows_for(self, language: str | None = None, team: str | None = None) -> pd.DataFrame:
        """The repositories behind a bar: their bytes of `language` (every language when None)
        for `team` (every team when None), most bytes first."""
        rows = self.rows
        if language is not None:
            rows = rows[rows["language"] == language]
        if team is not None:
            rows = rows[rows["team"] == team]
        return rows.reset_index(drop=True)

    def pivot(self, value: str) -> pd.DataFrame:
        """The language x team table of `value` (`repositories` or `bytes`): one row per language
        (most bytes first), one column per team (most bytes first), then `ALL_TEAMS`. A team that
        does not use a language has 0."""
        if value not in ("repositories", "bytes"):
            raise ValueError(f"pivot of repositories or bytes, not {value!r}")
        table = self.table
        if table.empty:
            return pd.DataFrame({"language": pd.Series(dtype=object), ALL_TEAMS: pd.Series(dtype="int64")})
        teams = table.groupby("team")["bytes"].sum()
        team_order = sorted(teams.index, key=lambda t: (-teams[t], t))
        wide = table.pivot(index="language", columns="team", values=value).fillna(0).astype("int64")
        by_bytes = self.per_language.sort_values(["bytes", "language"], ascending=[False, True])["language"]
        wide = wide.reindex(index=by_bytes, columns=team_order, fill_value=0)
        if value == "bytes":
            wide[ALL_TEAMS] = wide.sum(axis=1)
        else:  # a repository counts once, whatever its team
            wide[ALL_TEAMS] = self.per_language.set_index("language")["used_in"].reindex(wide.index).to_numpy()
        wide.columns.name = None
        return wide.reset_index()


def languages_view(analysis: Analysis, top_n: int = overview.DEFAULT_TOP_LANGUAGES) -> LanguagesView:
    """The Languages page of one (narrowed) analysis; `top_n` languages named in the mix chart."""
    frames = analysis.frames
    rows = repo_languages(analysis)
    return LanguagesView(
        mix=overview.language_bytes_per_team(frames, top_n=top_n, include_archived=True),
        per_language=repos_per_language(rows),
        table=language_team_table(rows),
        rows=rows,
        repositories=len(analysis.repos),
        without_language=int((~analysis.repos["repo"].isin(rows["repo"])).sum()),
    )


def repo_languages(analysis: Analysis) -> pd.DataFrame:
    """One row per (repository, counted language with bytes): team, bytes, the language's share of
    the repository's counted bytes, and whether it is the repository's main language. Most bytes
    first, then repository and language by name."""
    langs = analysis.frames.languages
    langs = langs[langs["counted"].to_numpy(dtype=bool) & (langs["bytes"] > 0).to_numpy()]
    repos = analysis.repos.set_index("repo")
    langs = langs[langs["repo"].isin(repos.index)]
    if langs.empty:
        return pd.DataFrame(
            {
                "repo": pd.Series(dtype=object),
                "team": pd.Series(dtype=object),
                "language": pd.Series(dtype=object),
                "bytes": pd.Series(dtype="int64"),
                "share": pd.Series(dtype=float),
                "main": pd.Series(dtype=bool),
            }
        )
    langs = langs.groupby(["repo", "language"], as_index=False)["bytes"].sum()
    repo_bytes = langs.groupby("repo")["bytes"].transform("sum")
    out = pd.DataFrame(
        {
            "repo": langs["repo"].to_numpy(dtype=object),
            "team": langs["repo"].map(repos["team"]).to_numpy(dtype=object),
            "language": langs["language"].to_numpy(dtype=object),
            "bytes": langs["bytes"].to_numpy(dtype="int64"),
            "share": (langs["bytes"] / repo_bytes).to_numpy(dtype=float),
            "main": (langs["language"] == langs["repo"].map(repos["main_language"])).to_numpy(dtype=bool),
        }
    )
    out = out.sort_values(["bytes", "repo", "language"], ascending=[False, True, True], kind="stable")
    return out.reset_index(drop=True)[ROW_COLUMNS]


def repos_per_language(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per language: repositories whose main language it is, repositories using it at
    all, and its bytes. Most used first (then most main, most bytes, name)."""
    if rows.empty:
        return pd.DataFrame(
            {
                "language": pd.Series(dtype=object),
                "main_of": pd.Series(dtype="int64"),
                "used_in": pd.Series(dtype="int64"),
                "bytes": pd.Series(dtype="int64"),
            }
        )
    out = rows.groupby("language", as_index=False).agg(
        main_of=("main", "sum"), used_in=("repo", "nunique"), bytes=("bytes", "sum")
    )
    out = out.sort_values(
        ["used_in", "main_of", "bytes", "language"], ascending=[False, False, False, True], kind="stable"
    )
    return out.reset_index(drop=True).astype({"main_of": "int64", "used_in": "int64", "bytes": "int64"})


def language_team_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (language, team) in use: repositories using it and their bytes of it."""
    out = rows.groupby(["language", "team"], as_index=False).agg(
        repositories=("repo", "nunique"), bytes=("bytes", "sum")
    )
    out = out.sort_values(["language", "team"], kind="stable").reset_index(drop=True)
    return out.astype({"repositories": "int64", "bytes": "int64"})
