"""Levels and roll-ups over evaluation results: which level each repository reached, how many pass
each standard, a score per team.

Pure pandas over `standards.evaluate.evaluate`'s frame. Archived repositories are left out of
everything here (rows with `archived` true): dead code does not say how a team works today.

- A repository reaches a level when every standard of that level and of every level below is
  `pass` or `not-applicable` for it. Waived is not passed, nor is an error. Levels the standards
  file gives no standard are skipped: with only bronze and silver standards, silver is the top.
- Applicable means pass, fail, waived or error: the rows a standard has something to say about.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from standards.model import LEVELS, SEVERITIES, STATUSES, Standards

#: The level of a repository that has not reached the lowest one.
NO_LEVEL = "none"
#: Every level a repository can be at, lowest first.
LEVEL_ORDER: tuple[str, ...] = (NO_LEVEL, *LEVELS)
#: Statuses that count as passing a standard for levels.
PASSING = ("pass", "not-applicable")
#: Statuses of a standard that applies to the repository.
APPLICABLE = ("pass", "fail", "waived", "error")
#: How much a standard of each severity weighs in a score; info standards are shown, never scored.
SEVERITY_WEIGHTS = pd.Series({"info": 0, "low": 1, "medium": 2, "high": 4, "critical": 8}, name="weight")

assert tuple(SEVERITY_WEIGHTS.index) == SEVERITIES


def repo_levels(standards: Standards, results: pd.DataFrame) -> pd.DataFrame:
    """repo, team, level (the highest reached, or "none"), failing (fail rows), waived, errors;
    one row per active repository in the results, by repository."""
    active = _active(results, ["repo", "team", "standard", "level", "status"])
    defined = [lv for lv in LEVELS if any(s.level == lv for s in standards.standards)]
    level_of = {s.id: s.level for s in standards.standards}
    repo_code, repos = pd.factorize(active["repo"].to_numpy(dtype=object), sort=True)
    n = len(repos)
    # the standard's level as the file says, else as the results say; a level with no standard is skipped
    level = active["standard"].map(level_of).fillna(active["level"]).to_numpy(dtype=object)
    level_code = pd.Index(defined, dtype=object).get_indexer(level)
    status = active["status"].to_numpy(dtype=object)
    failing_level = ~np.isin(status, PASSING) & (level_code >= 0)
    bad = np.bincount(repo_code[failing_level] * len(defined) + level_code[failing_level],
                      minlength=n * len(defined)).reshape(n, len(defined))  # fmt: skip
    reached = (np.cumprod(bad == 0, axis=1).sum(axis=1) if defined else np.zeros(n)).astype(int)
    top = np.array([NO_LEVEL, *defined], dtype=object)
    counts = {s: np.bincount(repo_code[status == s], minlength=n) for s in ("fail", "waived", "error")}
    team = pd.Series(active["team"].to_numpy(dtype=object)).groupby(repo_code).first().reindex(range(n))
    out = pd.DataFrame(
        {
            "repo": pd.Series(repos, dtype=object),
            "team": pd.Series(team.to_numpy(), dtype=object),
            "level": pd.Series(top[reached], dtype=object),
            "failing": counts["fail"].astype("int64"),
            "waived": counts["waived"].astype("int64"),
            "errors": counts["error"].astype("int64"),
        }
    )
    return out


def compliance(results: pd.DataFrame, by: Sequence[str] = ("standard",)) -> pd.DataFrame:
    """Per group: rows of each status, `applicable` (pass + fail + waived + error), `share_passing`
    (pass / applicable) and `share_waived` (waived / applicable); shares are NaN where nothing
    applies. Groups sorted by the `by` columns; `by=()` gives one row for everything."""
    by = list(by)
    active = _active(results, [*by, "status"])
    if by:
        counts = active.groupby([*by, "status"], sort=True, observed=True).size().unstack("status", fill_value=0)
        counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    else:
        counts = pd.DataFrame([active["status"].value_counts().reindex(list(STATUSES), fill_value=0)])
    counts = counts.astype("int64")
    counts.columns.name = None
    counts["applicable"] = counts[list(APPLICABLE)].sum(axis=1).astype("int64")
    denominator = counts["applicable"].where(counts["applicable"] > 0)
    counts["share_passing"] = (counts["pass"] / denominator).astype("float64")
    counts["share_waived"] = (counts["waived"] / denominator).astype("float64")
    return counts.reset_index(drop=not by)


def level_distribution(levels: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Repositories per level (every level listed, zero when none), per group of `by` (e.g.
    `("team",)`): the `by` columns, level (ordered "none" < bronze < silver < gold), count, share of
    the group."""
    by = list(by)
    levels = levels.assign(level=levels["level"].astype(str))
    counts = levels.groupby([*by, "level"]).size().rename("count").reset_index()
    grid = pd.DataFrame({"level": list(LEVEL_ORDER)})
    if by:
        grid = levels[by].drop_duplicates().merge(grid, how="cross")
    out = grid.merge(counts, on=[*by, "level"], how="left").fillna({"count": 0})
    out["count"] = out["count"].astype("int64")
    total = out.groupby(by)["count"].transform("sum") if by else pd.Series(out["count"].sum(), index=out.index)
    out["share"] = (out["count"] / total.where(total > 0)).astype("float64")
    out["level"] = pd.Categorical(out["level"], categories=list(LEVEL_ORDER), ordered=True)
    out = out.sort_values([*by, "level"], kind="stable").reset_index(drop=True)
    return out[[*by, "level", "count", "share"]]


def scores(results: pd.DataFrame, by: Sequence[str] = ("team",)) -> pd.DataFrame:
    """Per group: score 0-100, the severity-weighted share of applicable rows passing (weights in
    `SEVERITY_WEIGHTS`; waived and error count as not passing), with `applicable` rows and their
    `weight`. NaN where nothing weighs (nothing applies, or only info standards)."""
    by = list(by)
    active = _active(results, [*by, "severity", "status"])
    active = active[active["status"].isin(APPLICABLE)]
    weight = active["severity"].map(SEVERITY_WEIGHTS).fillna(0).astype("float64")
    frame = active[by].assign(
        applicable=1, weight=weight, passed=weight.where(active["status"] == "pass", 0.0).astype("float64")
    )
    if by:
        out = frame.groupby(by, as_index=False)[["applicable", "weight", "passed"]].sum()
    else:
        out = pd.DataFrame([frame[["applicable", "weight", "passed"]].sum()])
    out["score"] = (100 * out["passed"] / out["weight"].where(out["weight"] > 0)).astype("float64")
    out = out.astype({"applicable": "int64", "weight": "float64"})
    return out[[*by, "score", "applicable", "weight"]].reset_index(drop=True)


def _active(results: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The rows of active repositories (all rows when the results do not say), only these columns."""
    columns = list(dict.fromkeys(columns))
    if "archived" not in results.columns:
        return results[columns]
    return results.loc[~results["archived"].to_numpy(dtype=bool), columns]
