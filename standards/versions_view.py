"""The Versions page's frames: the drift matrix (technology or runtime x team), one line per
technology or runtime for the whole organisation, and the repositories on each version.

Pure pandas over an `Analysis` (no Streamlit), on top of `standards.metrics.version_drift` and
`version_spread`; the page gets the costly ones through `pages.common.derived`. Without a standards
file there are no targets: every row says so (`target` None) and the versions in use still show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from standards import metrics
from standards.analysis import Analysis
from standards.load import ecosystem_of
from standards.model import Standards
from standards.versions import Constraint, ConstraintError, behind, parse_constraint, parse_version

#: The drift frame's columns, and `item`: the readable "kind: name" a selectbox and a link show.
ITEM_COLUMNS = ["item", *metrics.DRIFT_COLUMNS]
#: Columns of `organisation`: one row per technology or runtime.
ORGANISATION_COLUMNS = [
    "item",
    "kind",
    "name",
    "category",
    "teams",
    "repos",
    "unknown_version",
    "versions",
    "versions_in_use",
    "target",
    "main_target",
    "on_target",
    "share_on_target",
    "majors_behind_max",
    "minors_behind_max",
]
#: Columns of `version_bars`: one bar per version of one technology or runtime.
VERSION_COLUMNS = ["version", "repos", "teams", "status", "majors_behind", "minors_behind"]
#: Columns of `repos_on`: the drill-down behind a version bar.
SPREAD_COLUMNS = ["repo", "team", "version", "evidence"]
#: A version bar's status, in the order a legend lists them.
STATUSES = ("on target", "behind", "off target", "not a version", "unknown", "no target")
#: The label of a use with no version (a bar, a selectbox option).
UNKNOWN = "unknown"


def item_label(kind: str, name: str) -> str:
    """`technology: spring-boot`: how a selectbox and the address name one row of the matrix."""
    return f"{kind}: {name}"


def parse_item(label: str) -> tuple[str, str] | None:
    """(kind, name) of an `item_label`, or None when it names no kind."""
    kind, sep, name = label.partition(": ")
    return (kind, name) if sep and kind in metrics.KINDS and name else None


def drift(analysis: Analysis) -> pd.DataFrame:
    """`standards.metrics.version_drift` of the analysis with an `item` column (ITEM_COLUMNS);
    without a standards file, judged by no standards (no targets)."""
    out = metrics.version_drift(analysis.standards or Standards(), analysis.frames)
    out.insert(0, "item", [item_label(k, n) for k, n in zip(out["kind"], out["name"], strict=True)])
    return out


def organisation(analysis: Analysis, per_team: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per technology or runtime across the teams (ORGANISATION_COLUMNS).

    Versions are counted over the whole organisation (a repository counts once per version). A
    team is judged by its own target (a standard naming the team before one for every team), so
    `on_target` sums the teams' `on_target`, `share_on_target` is over the repositories of the
    teams with a target, the behind columns are the worst team's (majors first), `target` lists
    each distinct target (`">=3.11 · >=3.12 (payments)"`, the most common first) and
    `main_target` is the most common one (what `version_bars` judges by). Rows:
    those with a target first, least on target first, then most used, then by kind and name.
    """
    if per_team is None:  # `drift(analysis)`, when the caller has it already
        per_team = drift(analysis)
    whole = replace(analysis.frames, repos=analysis.frames.repos.assign(team=metrics.ORGANISATION))
    org = metrics.version_drift(analysis.standards or Standards(), whole)
    by_thing = dict(list(per_team.groupby(["kind", "name"], sort=False)))
    rows = []
    for row in org.itertuples(index=False):
        teams = by_thing[row.kind, row.name]
        judged = teams[teams["target"].notna()]
        targets = _targets(judged)
        on_target = int(judged["on_target"].sum()) if len(judged) else None
        judged_repos = int(judged["repos"].sum())
        worst = max(
            zip(judged["majors_behind_max"].astype(int), judged["minors_behind_max"].astype(int), strict=True),
            default=None,
        )
        rows.append(
            {
                "item": item_label(row.kind, row.name),
                "kind": row.kind,
                "name": row.name,
                "category": row.category,
                "teams": len(teams),
                "repos": row.repos,
                "unknown_version": row.unknown_version,
                "versions": row.versions,
                "versions_in_use": row.versions_in_use,
                "target": " · ".join(targets) if targets else None,
                "main_target": targets[0] if targets else None,
                "on_target": on_target,
                "share_on_target": on_target / judged_repos if on_target is not None and judged_repos else np.nan,
                "majors_behind_max": worst[0] if worst else None,
                "minors_behind_max": worst[1] if worst else None,
            }
        )
    out = pd.DataFrame(rows, columns=ORGANISATION_COLUMNS).astype(
        {
            "teams": "int64",
            "repos": "int64",
            "unknown_version": "int64",
            "on_target": "Int64",
            "share_on_target": "float64",
            "majors_behind_max": "Int64",
            "minors_behind_max": "Int64",
        }
    )
    no_target = out["target"].isna()
    out = out.assign(_none=no_target, _kind=out["kind"].map({k: i for i, k in enumerate(metrics.KINDS)}))
    out = out.sort_values(
        ["_none", "share_on_target", "repos", "_kind", "name"],
        ascending=[True, True, False, True, True],
        kind="stable",
        na_position="last",
    )
    return metrics.none_for_missing(out.drop(columns=["_none", "_kind"]).reset_index(drop=True))


def _targets(judged: pd.DataFrame) -> list[str]:
    """The distinct targets of the teams judged, most common first; a target that only some teams
    have names them (`[">=3.11", ">=3.12 (payments)"]`); [] when no team has one."""
    if judged.empty:
        return []
    by_target = judged.groupby("target", sort=False)["team"].agg(list)
    order = sorted(by_target.index, key=lambda t: (-len(by_target[t]), t))
    return [order[0], *(f"{t} ({', '.join(sorted(by_target[t]))})" for t in order[1:])]


def matrix(
    per_team: pd.DataFrame,
    org: pd.DataFrame,
    kinds: Sequence[str] = metrics.KINDS,
    every_technology: bool = False,
) -> pd.DataFrame:
    """The drift rows (ITEM_COLUMNS) a heatmap shows, `item` and `team` as ordered categoricals.

    Rows: the kinds asked for; every runtime, and the technologies with a target in some team
    (or, with `every_technology`, every technology with a known version), in the order of `org`
    (`organisation`: least on target first). Columns: teams by name.
    """
    wanted = org[org["kind"].isin(kinds)]
    keep = (wanted["kind"] == "runtime") | wanted["target"].notna()
    if every_technology:
        keep |= wanted["versions"].map(len) > 0
    items = wanted.loc[keep, "item"].tolist()
    rows = per_team[per_team["item"].isin(items)]
    teams = sorted(set(rows["team"]))
    return rows.assign(
        item=pd.Categorical(rows["item"], categories=items, ordered=True),
        team=pd.Categorical(rows["team"], categories=teams, ordered=True),
    ).reset_index(drop=True)


def version_bars(analysis: Analysis, kind: str, name: str, target: str | None = None) -> pd.DataFrame:
    """Repositories per version of one technology or runtime (VERSION_COLUMNS), oldest first,
    texts that are not versions after, `unknown` (no version found) last.

    `status` judges each version against `target` (the organisation's, from `organisation`) in
    the thing's ecosystem: "on target", "behind" (`majors_behind`/`minors_behind` say how far),
    "off target" (not allowed, yet not behind: ahead of an upper bound), "not a version" (a text
    that does not parse), "unknown", or "no target". A repository naming two versions counts on
    each.
    """
    spread = metrics.version_spread(analysis.frames, kind, name)
    if spread.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in VERSION_COLUMNS})
    ecosystem = ecosystem_of(name, analysis.standards) if kind == "technology" else "generic"
    try:
        constraint = parse_constraint(target, ecosystem) if target else None
    except ConstraintError:
        constraint = None
    labels = spread["version"].map(lambda v: UNKNOWN if v is None else v)
    grouped = spread.assign(version=labels).groupby("version", sort=False)
    counts = grouped["repo"].nunique()
    teams = grouped["team"].nunique()
    rows = []
    for version in counts.index:  # version_spread's order: oldest first, unknown last
        status, gap = _judge(None if version == UNKNOWN else version, ecosystem, constraint)
        rows.append(
            {
                "version": version,
                "repos": int(counts[version]),
                "teams": int(teams[version]),
                "status": status,
                "majors_behind": gap[0] if gap else None,
                "minors_behind": gap[1] if gap else None,
            }
        )
    out = pd.DataFrame(rows, columns=VERSION_COLUMNS)
    return out.astype({"repos": "int64", "teams": "int64", "majors_behind": "Int64", "minors_behind": "Int64"})


def _judge(text: str | None, ecosystem: str, constraint: Constraint | None) -> tuple[str, tuple[int, int] | None]:
    """(status, (majors, minors) behind or None) of one version text against a constraint."""
    if text is None:
        return "unknown", None
    version = parse_version(text, ecosystem)
    if version is None:
        return "not a version", None
    if constraint is None:
        return "no target", None
    if constraint.allows(version) is True:
        return "on target", (0, 0)
    gap = behind(version, constraint)
    if gap is None:
        return "not a version", None
    return ("behind" if gap != (0, 0) else "off target"), gap


def repos_on(analysis: Analysis, kind: str, name: str, version: str | None = None) -> pd.DataFrame:
    """The repositories behind a version bar (SPREAD_COLUMNS, plus `url`): one row per repository
    and version, the files naming it joined; every version when `version` is None, the uses with
    no version for `UNKNOWN`. Rows in `version_spread`'s order (oldest version first)."""
    spread = metrics.version_spread(analysis.frames, kind, name)
    spread = spread.assign(version=spread["version"].map(lambda v: UNKNOWN if v is None else v))
    if version is not None:
        spread = spread[spread["version"] == version]
    out = (
        spread.groupby(["version", "repo"], sort=False)
        .agg(team=("team", "first"), evidence=("evidence", lambda s: ", ".join(dict.fromkeys(s.dropna()))))
        .reset_index()
    )
    urls = analysis.repos.set_index("repo")["url"]
    out = out.assign(url=out["repo"].map(urls))
    return metrics.none_for_missing(out[[*SPREAD_COLUMNS, "url"]].reset_index(drop=True))
