"""The Build health page's numbers: each default branch's build, the CI providers and the GitHub
Actions in use.

Pure pandas over an `Analysis` (narrowed to the sidebar's filters); no Streamlit. Build health
(`build_health`, `workflows`, `checks`) comes only from a GitHub collection: a local clone has
none, and a repository without a row counts as `unknown` with `NOT_COLLECTED` as its reason. CI
files and actions come from the repositories' files, so they are there for every source.

"Days since green" is counted in whole UTC days up to the snapshot's `taken_at` (not today: an
old snapshot tells what was true then): 0 for a branch green now, else from the newest
`last_success_at` of its workflows; None when no green run was seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from collectors.build_health import NAMED_CHECK_STATES
from collectors.facts import BUILD_STATES
from standards.analysis import Analysis

#: The reason of a repository the snapshot has no build health for.
NOT_COLLECTED = "no build health collected (it comes from guildboard collect github)"
#: The provider column of repositories without any CI file.
NO_CI = "(no CI file)"
#: Check states that count as failing (a red rollup names these).
FAILING_CHECK_STATES = NAMED_CHECK_STATES["red"]

#: How a `uses:` is pinned, told from `action@ref` by the first pattern that matches it in full.
PIN_KINDS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("local", re.compile(r"\./.*"), "an action of the same repository: pinned by its commit"),
    ("docker", re.compile(r"docker://.*"), "a Docker image"),
    ("unpinned", re.compile(r"[^@]*@"), "no ref: whatever the default branch holds"),
    ("sha", re.compile(r"[^@]*@[0-9a-fA-F]{40}"), "a commit sha: cannot move"),
    ("version", re.compile(r"[^@]*@v?\d+(\.\d+)*([-+.][0-9A-Za-z.+-]*)?"), "a version tag: its owner can move it"),
    ("branch", re.compile(r".*"), "a branch (or another tag): moves with every push"),
)

REPO_COLUMNS = [
    "repo",
    "team",
    "state",
    "reason",
    "success_rate",
    "median_duration_s",
    "days_since_green",
    "last_green_at",
    "workflows",
    "workflow_count",
    "failing_checks",
    "checks",
]


@dataclass(frozen=True)
class BuildView:
    """Everything the Build health page draws, computed once per snapshot and filters."""

    collected: int  # repositories in view with build health from the snapshot
    repos: pd.DataFrame  # REPO_COLUMNS, one row per repository in view: red first
    states: pd.DataFrame  # team, state (ordered BUILD_STATES), repositories: a row for every pair
    workflows: pd.DataFrame  # repo, team, workflow, path, latest_conclusion, success_rate, ...
    checks: pd.DataFrame  # repo, team, name, kind, app, state
    providers: pd.DataFrame  # team, provider, repositories, share (of the team's repositories)
    actions: pd.DataFrame  # action, ref, pinned, sha, repositories, teams, uses

    @property
    def teams(self) -> list[str]:
        return list(dict.fromkeys(self.states["team"].astype(str)))

    def totals(self) -> dict[str, int]:
        """Repositories per build state, every state present (0 when none)."""
        counts = self.repos["state"].value_counts()
        return {state: int(counts.get(state, 0)) for state in BUILD_STATES}

    def repos_of(self, team: str | None = None, state: str | None = None) -> pd.DataFrame:
        """The repositories behind a bar segment: of `team` (every team when None) in `state`
        (every state when None)."""
        rows = self.repos
        if team is not None:
            rows = rows[rows["team"] == team]
        if state is not None:
            rows = rows[rows["state"] == state]
        return rows.reset_index(drop=True)


def build_view(analysis: Analysis, taken_at: str) -> BuildView:
    """The Build health page of one (narrowed) analysis; `taken_at` is the snapshot's (ISO 8601)."""
    frames = analysis.frames
    teams = analysis.repos.set_index("repo")["team"]
    workflows = _with_team(frames.workflows, teams)
    checks = _with_team(frames.checks, teams)
    repos = repo_builds(analysis, pd.Timestamp(taken_at))
    return BuildView(
        collected=int(frames.build_health["repo"].isin(teams.index).sum()),
        repos=repos,
        states=states_per_team(repos),
        workflows=workflows.sort_values(["repo", "workflow"], kind="stable").reset_index(drop=True),
        checks=checks.sort_values(["repo", "name"], kind="stable").reset_index(drop=True),
        providers=providers_per_team(analysis),
        actions=actions_in_use(analysis),
    )


def repo_builds(analysis: Analysis, taken_at: pd.Timestamp) -> pd.DataFrame:
    """One row per repository (REPO_COLUMNS): state and reason, its workflows' lowest success
    rate and slowest median duration, days since green, workflow names, failing and all checks.
    Red first, then pending, unknown, green; by name within a state."""
    frames = analysis.frames
    repos = analysis.repos[["repo", "team"]].reset_index(drop=True)
    bh = frames.build_health.drop_duplicates("repo").set_index("repo")
    state = _lookup(repos["repo"], bh["state"], "unknown")
    reason = repos["repo"].map(bh["reason"]).where(repos["repo"].isin(bh.index), NOT_COLLECTED)

    wf = frames.workflows
    per_repo = wf.groupby("repo")
    lowest = per_repo["success_rate"].min()
    slowest = per_repo["median_duration_s"].max()
    names = per_repo["workflow"].agg(lambda s: ", ".join(sorted(map(str, s.dropna()), key=str.casefold)))
    count = per_repo.size()
    last_green = pd.to_datetime(wf["last_success_at"], utc=True, format="ISO8601").groupby(wf["repo"]).max()

    when = taken_at.tz_convert("UTC") if taken_at.tzinfo else taken_at.tz_localize("UTC")
    newest = last_green.reindex(repos["repo"].to_numpy()).reset_index(drop=True)
    days = (when.normalize() - newest.dt.normalize()).dt.days.clip(lower=0)
    days = days.astype("Float64").where(state != "green", 0.0).astype("Int64")

    failing = frames.checks[frames.checks["state"].isin(FAILING_CHECK_STATES)].groupby("repo").size()
    all_checks = frames.checks.groupby("repo").size()
    out = pd.DataFrame(
        {
            "repo": repos["repo"].to_numpy(dtype=object),
            "team": repos["team"].to_numpy(dtype=object),
            "state": state.to_numpy(dtype=object),
            "reason": reason.to_numpy(dtype=object),
            "success_rate": repos["repo"].map(lowest).to_numpy(dtype=float),
            "median_duration_s": repos["repo"].map(slowest).to_numpy(dtype=float),
            "days_since_green": days.to_numpy(),
            "last_green_at": newest.to_numpy(),
            "workflows": _lookup(repos["repo"], names, "").to_numpy(dtype=object),
            "workflow_count": repos["repo"].map(count).fillna(0).to_numpy(dtype="int64"),
            "failing_checks": repos["repo"].map(failing).fillna(0).to_numpy(dtype="int64"),
            "checks": repos["repo"].map(all_checks).fillna(0).to_numpy(dtype="int64"),
        }
    )
    out["days_since_green"] = out["days_since_green"].astype("Int64")
    out["last_green_at"] = pd.to_datetime(out["last_green_at"], utc=True)
    rank = {s: i for i, s in enumerate(("red", "pending", "unknown", "green"))}
    out = out.assign(_rank=out["state"].map(rank).fillna(len(rank)))
    out = out.sort_values(["_rank", "repo"], kind="stable").drop(columns="_rank")
    return out.reset_index(drop=True)[REPO_COLUMNS]


def states_per_team(repos: pd.DataFrame) -> pd.DataFrame:
    """Repositories per (team, build state), every state of every team (0 when none); `team` and
    `state` ordered categoricals. Teams with most red first, then most pending, most
    repositories, name: the teams to talk about come first."""
    if repos.empty:
        return pd.DataFrame(
            {
                "team": pd.Categorical([], categories=[], ordered=True),
                "state": pd.Categorical([], categories=list(BUILD_STATES), ordered=True),
                "repositories": pd.Series(dtype="int64"),
            }
        )
    counts = pd.crosstab(repos["team"], repos["state"]).reindex(columns=list(BUILD_STATES), fill_value=0)
    total = counts.sum(axis=1)
    order = sorted(counts.index, key=lambda t: (-counts.at[t, "red"], -counts.at[t, "pending"], -total[t], t))
    long = counts.reindex(order).stack().rename("repositories").reset_index()
    long.columns = ["team", "state", "repositories"]
    return pd.DataFrame(
        {
            "team": pd.Categorical(long["team"], categories=order, ordered=True),
            "state": pd.Categorical(long["state"], categories=list(BUILD_STATES), ordered=True),
            "repositories": long["repositories"].astype("int64"),
        }
    )


def providers_per_team(analysis: Analysis) -> pd.DataFrame:
    """Repositories per (team, CI provider) and their share of the team's repositories;
    repositories without any CI file count under `NO_CI`. Teams by name, providers most used
    first (`NO_CI` last)."""
    repos = analysis.repos[["repo", "team"]]
    ci = analysis.frames.ci_files
    ci = ci[ci["repo"].isin(repos["repo"])][["repo", "provider"]].drop_duplicates()
    none = repos.loc[~repos["repo"].isin(ci["repo"]), ["repo"]].assign(provider=NO_CI)
    used = pd.concat([ci, none], ignore_index=True).merge(repos, on="repo")
    out = used.groupby(["team", "provider"], as_index=False).agg(repositories=("repo", "nunique"))
    sizes = repos.groupby("team")["repo"].nunique()
    out["share"] = (out["repositories"] / out["team"].map(sizes)).astype(float)
    popular = out.groupby("provider")["repositories"].sum()
    order = sorted(popular.index, key=lambda p: (p == NO_CI, -popular[p], p))
    out = out.assign(_p=out["provider"].map({p: i for i, p in enumerate(order)}))
    out = out.sort_values(["team", "_p"], kind="stable").drop(columns="_p").reset_index(drop=True)
    out["provider"] = pd.Categorical(out["provider"], categories=order, ordered=True)
    return out.astype({"repositories": "int64"})


def pin_kind(action: str, ref: str | None) -> str:
    """How one `uses:` is pinned: the first of `PIN_KINDS` whose pattern matches `action@ref`."""
    uses = f"{action}@{ref or ''}"
    return next(kind for kind, pattern, _ in PIN_KINDS if pattern.fullmatch(uses))


def actions_in_use(analysis: Analysis) -> pd.DataFrame:
    """One row per (action, ref) used in the repositories in view: how it is pinned, whether to
    a sha, repositories and teams using it, and its `uses:` lines. Most repositories first."""
    acts = analysis.frames.actions
    teams = analysis.repos.set_index("repo")["team"]
    acts = acts[acts["repo"].isin(teams.index) & acts["action"].notna()]
    if acts.empty:
        return pd.DataFrame(
            {
                "action": pd.Series(dtype=object),
                "ref": pd.Series(dtype=object),
                "pinned": pd.Series(dtype=object),
                "sha": pd.Series(dtype=bool),
                "repositories": pd.Series(dtype="int64"),
                "teams": pd.Series(dtype=object),
                "uses": pd.Series(dtype="int64"),
            }
        )
    ref = acts["ref"].astype(object).where(acts["ref"].notna(), "")
    acts = acts.assign(ref=ref, team=acts["repo"].map(teams))
    out = acts.groupby(["action", "ref"], as_index=False).agg(
        repositories=("repo", "nunique"),
        teams=("team", lambda s: ", ".join(sorted(set(map(str, s)), key=str.casefold))),
        uses=("repo", "size"),
    )
    out["pinned"] = [pin_kind(a, r or None) for a, r in zip(out["action"], out["ref"], strict=True)]
    out["sha"] = (out["pinned"] == "sha").to_numpy(dtype=bool)
    out = out.sort_values(["repositories", "action", "ref"], ascending=[False, True, True], kind="stable")
    out = out.reset_index(drop=True)[["action", "ref", "pinned", "sha", "repositories", "teams", "uses"]]
    return out.astype({"repositories": "int64", "uses": "int64"})


def _with_team(frame: pd.DataFrame, teams: pd.Series) -> pd.DataFrame:
    """A fact table cut to the repositories in view, with their team after `repo`."""
    frame = frame[frame["repo"].isin(teams.index)]
    team = frame["repo"].map(teams).to_numpy(dtype=object)
    return frame.assign(team=team)[["repo", "team", *[c for c in frame.columns if c != "repo"]]].reset_index(drop=True)


def _lookup(keys: pd.Series, values: pd.Series, default: object) -> pd.Series:
    """`values` looked up by `keys` (text), `default` where there is none."""
    found = keys.map(values).astype(object)
    return found.where(found.notna(), default)
