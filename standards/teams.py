"""The Teams page's frames: how each team meets each standard, and one team in detail (its
repositories and levels, its findings, the waivers it lives under).

Pure pandas over an `Analysis` (a snapshot evaluated and narrowed to the sidebar's filters); every
function takes the analysis first, so the page calls them through `pages.common.derived` and the
reports draw the same numbers. Archived repositories never count (as in `standards.levels`): a
team is the teams of active repositories, and findings are theirs. Waived is never passed: shares
are of applicable findings (pass, fail, waived, error), with waived counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from standards.analysis import Analysis
from standards.guild import FINDING_ORDER, STATUS_ORDER, active_results, sort_by_status, waivers_table
from standards.levels import APPLICABLE, LEVEL_ORDER, compliance
from standards.metrics import none_for_missing

#: Counts of each applicable status, in the order bars stack.
STATUS_COUNTS = ["pass", "waived", "fail", "error"]
#: `team_standard_matrix`'s columns: one row per (team, standard), every pair present.
MATRIX_COLUMNS = ["team", "standard", "title", "level", "applicable", *STATUS_COUNTS, "share_passing", "share_waived"]
#: `team_compliance`'s columns (those of `standards.levels.compliance(results, by=["team"])`).
TEAM_COMPLIANCE_COLUMNS = ["team", "pass", "fail", "waived", "not-applicable", "error", "applicable", "share_passing",
                           "share_waived"]  # fmt: skip
#: `team_summary`'s columns: repositories per level, then the findings.
SUMMARY_COLUMNS = ["team", "repositories", "archived", *LEVEL_ORDER, "applicable", "share_passing", "waived", "fail",
                   "error"]  # fmt: skip
#: `team_repos`' columns.
REPO_COLUMNS = ["repo", "main_language", "level", "share_passing", "failing", "waived", "errors", "build", "archived",
                "pushed_at", "url"]  # fmt: skip
#: `team_findings`' and `cell_results`' columns.
FINDING_COLUMNS = ["repo", "team", "standard", "title", "level", "severity", "status", "detail", "evidence", "found",
                   "target", "waiver_reason", "waiver_approver", "waiver_expires", "waiver_expired"]  # fmt: skip


@dataclass(frozen=True)
class TeamHeadline:
    """The figures at the top of one team's detail."""

    team: str
    repositories: int  # active
    archived: int
    levels: dict[str, int]  # repositories at each level of LEVEL_ORDER ("none" first)
    share_passing: float  # of the team's applicable findings; NaN when nothing applies
    applicable: int
    waived: int
    failing: int
    errors: int


def teams(analysis: Analysis) -> list[str]:
    """The teams of the analysis' active repositories, by name."""
    repos = analysis.repos
    return sorted(set(repos.loc[~repos["archived"].astype(bool), "team"]))


def team_standard_matrix(analysis: Analysis) -> pd.DataFrame:
    """One row per (team, standard): teams by name, standards in the file's order, every pair
    present (counts 0 and shares NaN where nothing applies, so a heatmap shows the cell as n/a)."""
    guild = analysis.standards
    names = teams(analysis)
    if guild is None or not guild.standards or not names:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MATRIX_COLUMNS})
    counts = compliance(analysis.results, by=["team", "standard"]).set_index(["team", "standard"])
    grid = pd.MultiIndex.from_product([names, [s.id for s in guild.standards]], names=["team", "standard"])
    counts = counts.reindex(grid)
    out = pd.DataFrame(
        {
            "team": grid.get_level_values("team").to_numpy(dtype=object),
            "standard": grid.get_level_values("standard").to_numpy(dtype=object),
        }
    )
    by_id = {s.id: s for s in guild.standards}
    out["title"] = out["standard"].map(lambda sid: by_id[sid].title).astype(object)
    out["level"] = out["standard"].map(lambda sid: by_id[sid].level).astype(object)
    for column in ("applicable", *STATUS_COUNTS):
        out[column] = counts[column].fillna(0).to_numpy(dtype="int64")
    for column in ("share_passing", "share_waived"):
        out[column] = counts[column].to_numpy(dtype="float64")
    return out[MATRIX_COLUMNS]


def team_compliance(analysis: Analysis) -> pd.DataFrame:
    """Per team (every team with an active repository, by name): each status's findings, applicable,
    share_passing and share_waived; the frame `reports.charts.compliance.compliance_by_team` draws."""
    counts = compliance(analysis.results, by=["team"]).set_index("team")
    names = teams(analysis)
    counts = counts.reindex(pd.Index(names, dtype=object, name="team"))
    ints = [c for c in TEAM_COMPLIANCE_COLUMNS if c not in ("team", "share_passing", "share_waived")]
    counts[ints] = counts[ints].fillna(0)
    out = counts.reset_index()[TEAM_COMPLIANCE_COLUMNS]
    return out.astype({**dict.fromkeys(ints, "int64"), "share_passing": "float64", "share_waived": "float64"})


def team_summary(analysis: Analysis) -> pd.DataFrame:
    """One row per team (every team of the analysis, by name): active repositories, archived, how
    many reached each level, applicable findings, share passing, waived, failing and error findings."""
    repos = analysis.repos
    names = sorted(set(repos["team"]))
    index = pd.Index(names, dtype=object, name="team")
    active = repos[~repos["archived"].astype(bool)]
    per_level = pd.crosstab(active["team"], active["level"].astype(str)).reindex(index=index, columns=list(LEVEL_ORDER))
    found = team_compliance(analysis).set_index("team").reindex(index)
    out = pd.DataFrame(
        {
            "team": names,
            "repositories": active.groupby("team").size().reindex(index).fillna(0).to_numpy(dtype="int64"),
            "archived": repos[repos["archived"].astype(bool)].groupby("team").size().reindex(index).fillna(0)
            .to_numpy(dtype="int64"),
            **{lv: per_level[lv].fillna(0).to_numpy(dtype="int64") for lv in LEVEL_ORDER},
            "applicable": found["applicable"].fillna(0).to_numpy(dtype="int64"),
            "share_passing": found["share_passing"].to_numpy(dtype="float64"),
            "waived": found["waived"].fillna(0).to_numpy(dtype="int64"),
            "fail": found["fail"].fillna(0).to_numpy(dtype="int64"),
            "error": found["error"].fillna(0).to_numpy(dtype="int64"),
        }
    )  # fmt: skip
    if analysis.standards is None:  # no levels without standards: the level columns say nothing
        out[list(LEVEL_ORDER)] = 0
    return out[SUMMARY_COLUMNS]


def team_headline(analysis: Analysis, team: str) -> TeamHeadline:
    """One team's repositories (active, archived), their levels and its findings."""
    repos = analysis.repos[analysis.repos["team"] == team]
    active = repos[~repos["archived"].astype(bool)]
    levels = active["level"].astype(str).value_counts()
    results = active_results(analysis.results)
    status = results.loc[results["team"] == team, "status"].value_counts()
    applicable = int(sum(status.get(s, 0) for s in APPLICABLE))
    return TeamHeadline(
        team=team,
        repositories=len(active),
        archived=len(repos) - len(active),
        levels={lv: int(levels.get(lv, 0)) for lv in LEVEL_ORDER},
        share_passing=status.get("pass", 0) / applicable if applicable else np.nan,
        applicable=applicable,
        waived=int(status.get("waived", 0)),
        failing=int(status.get("fail", 0)),
        errors=int(status.get("error", 0)),
    )


def team_repos(analysis: Analysis, team: str) -> pd.DataFrame:
    """One team's repositories, the lowest level first (then most failing, then by name); archived
    ones (no level) last. `share_passing` is of the repository's applicable findings."""
    repos = analysis.repos[analysis.repos["team"] == team]
    results = active_results(analysis.results)
    results = results[results["team"] == team]
    per_repo = compliance(results, by=["repo"]).set_index("repo")["share_passing"]
    rank = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
    out = repos.assign(
        share_passing=repos["repo"].map(per_repo).astype("float64"),
        pushed_at=pd.to_datetime(repos["pushed_at"], utc=True, format="ISO8601"),
        _archived=repos["archived"].astype(bool),
        _level=repos["level"].map(rank).fillna(len(rank)),
    )
    out = out.sort_values(
        ["_archived", "_level", "failing", "repo"], ascending=[True, True, False, True], kind="stable"
    )
    return none_for_missing(out[REPO_COLUMNS].reset_index(drop=True))


def team_findings(analysis: Analysis, team: str) -> pd.DataFrame:
    """One team's findings (fail, error, waived) in active repositories: the worst severity first,
    then fail before error before waived, then by repository and standard."""
    results = active_results(analysis.results)
    rows = results[(results["team"] == team) & results["status"].isin(FINDING_ORDER)]
    return sort_by_status(rows, ["repo", "standard"], severity_first=True)[FINDING_COLUMNS]


def team_waivers(analysis: Analysis, team: str) -> pd.DataFrame:
    """The waivers covering a team (naming it, or a repository glob matching one of its
    repositories), expired first, then the soonest to expire; see `standards.guild.waivers_table`."""
    return waivers_table(analysis, team)


def cell_results(analysis: Analysis, team: str | None, standard: str | None) -> pd.DataFrame:
    """The rows behind a cell of the team x standard heatmap: one team's results for one standard
    (either left None: every team, or every standard), active repositories, every status (worst
    first: fail, error, waived, pass, not-applicable), then by team, repository and standard."""
    rows = active_results(analysis.results)
    if team is not None:
        rows = rows[rows["team"] == team]
    if standard is not None:
        rows = rows[rows["standard"] == standard]
    rows = rows[rows["status"].isin(STATUS_ORDER)]
    return sort_by_status(rows, ["team", "repo", "standard"])[FINDING_COLUMNS]
