"""Divergence metrics: how far versions drift from targets, how many ways a thing is done, where the
radar and the repositories disagree.

Pure pandas over a `store.frames.SnapshotFrames`, like `standards.overview`; no Streamlit, so the
pages and the reports draw the same numbers. Every frame returned is small (one row per technology,
team or category) and sorted the way a table shows it.

Archived repositories are left out of every metric: dead code does not say what a team uses today.
A repository counts once per technology (or runtime) however many files name it.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache

import numpy as np
import pandas as pd

from standards.load import ecosystem_of
from standards.model import RINGS, Standards
from standards.versions import Constraint, ConstraintError, Version, behind, parse_constraint, parse_version
from store.frames import SnapshotFrames

#: The `team` (or other `by`) value of a row about the whole organisation.
ORGANISATION = "(organisation)"
#: The ring of a technology in use that the radar does not list.
UNREVIEWED = "unreviewed"
#: Every ring a technology can be in, in display order.
RING_ORDER: tuple[str, ...] = (*RINGS, UNREVIEWED)
#: Kinds of versioned things `version_drift` covers.
KINDS = ("technology", "runtime")

DRIFT_COLUMNS = [
    "kind",
    "name",
    "category",
    "team",
    "repos",
    "unknown_version",
    "versions",
    "versions_in_use",
    "target",
    "on_target",
    "share_on_target",
    "majors_behind_max",
    "minors_behind_max",
]
SPREAD_COLUMNS = ["repo", "team", "version", "evidence"]
FRAGMENTATION_COLUMNS = ["category", "technologies", "repos", "effective_choices", "top_technology", "top_share"]
TEAM_CATEGORY_COLUMNS = [
    "team",
    "category",
    "org_choice",
    "team_choice",
    "repos",
    "differing_repos",
    "deviation",
    "alternatives",
]
TEAM_DEVIATION_COLUMNS = ["team", "deviation", "categories_compared", "choices", "differing_choices", "differing"]
RADAR_COLUMNS = [
    "technology",
    "category",
    "ring",
    "repos",
    "teams",
    "team_names",
    "replace_with",
    "hold_in_use",
    "adopt_rare",
    "unreviewed_in_use",
]
RING_USAGE_COLUMNS = ["ring", "technologies", "in_use", "repos", "share_of_repos"]


# --- version drift -------------------------------------------------------------------------------------


def version_drift(standards: Standards, frames: SnapshotFrames) -> pd.DataFrame:
    """One row per (kind, name, team): which versions are in use and how far they are from target.

    - `versions`: distinct version texts, newest first (texts that do not parse as versions last);
      `versions_in_use` the same as one readable string with repositories per version,
      `"3.2 (4), 2.7 (1), unknown (2)"`; `unknown_version` counts repositories with no version.
    - `target`: for a technology the radar's version, else the constraint of a `version` standard on
      it; for a runtime the constraint of a `version` standard on that runtime (one naming the team
      in `applies_to.teams` before one for every team, then file order). None: no target, and
      `on_target`, `share_on_target` and the behind columns are missing (pd.NA / NaN).
    - `on_target`: repositories where the target allows every use (as `standards.evaluate` judges a
      `version` standard with `missing_version: fail`: a use with no version, or one that does not
      parse, is not on target); `share_on_target` is over all `repos`, so unknown versions lower it.
    - `majors_behind_max`, `minors_behind_max`: of the version furthest behind the target's lowest
      allowed version (majors first, then minors); 0 when nothing is behind.
    """
    rows: list[dict] = []
    for kind in KINDS:
        used = _used_versions(frames, kind)
        known = used.dropna(subset=["category"]).drop_duplicates("name")
        categories = dict(zip(known["name"].tolist(), known["category"].tolist(), strict=True))
        uses: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
        for name, team, repo, version in zip(
            used["name"].tolist(), used["team"].tolist(), used["repo"].tolist(), used["version"].tolist(), strict=True
        ):
            uses.setdefault((str(name), str(team)), []).append((str(repo), version))
        for name, team in sorted(uses):
            target, ecosystem = _target(standards, kind, name, team)
            rows.append(_drift_row(kind, name, categories.get(name), team, uses[name, team], target, ecosystem))
    out = pd.DataFrame(rows, columns=DRIFT_COLUMNS)
    out = out.astype(
        {
            "repos": "int64",
            "unknown_version": "int64",
            "on_target": "Int64",
            "share_on_target": "float64",
            "majors_behind_max": "Int64",
            "minors_behind_max": "Int64",
        }
    )
    order = out["kind"].map({k: i for i, k in enumerate(KINDS)})
    out = out.assign(_order=order).sort_values(["_order", "name", "team"], kind="stable")
    return none_for_missing(out.drop(columns="_order").reset_index(drop=True))


def version_spread(frames: SnapshotFrames, kind: str, name: str) -> pd.DataFrame:
    """The drill-down behind a drift row: every (repository, version, evidence) of one technology or
    runtime; oldest version first (the ones to act on), unknown versions last, then team and repo."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    used = _used_versions(frames, kind)
    used = used[used["name"] == name]
    out = used[SPREAD_COLUMNS].drop_duplicates().reset_index(drop=True)
    ecosystem = ecosystem_of(name) if kind == "technology" else "generic"
    keys = [_version_key(v, ecosystem) for v in out["version"]]
    order = sorted(range(len(out)), key=lambda i: (keys[i], str(out["team"][i]), str(out["repo"][i])))
    return none_for_missing(out.iloc[order].reset_index(drop=True))


def _used_versions(frames: SnapshotFrames, kind: str) -> pd.DataFrame:
    """repo, team, name, category, version (None when unknown), evidence of active repositories."""
    table = frames.technologies if kind == "technology" else frames.runtimes
    cols = ["repo", "name", "version", "evidence"] + (["category"] if kind == "technology" else [])
    used = _with_team(frames, table[cols])
    if kind != "technology":
        used = used.assign(category=None)
    version = pd.Series([_text(v) for v in used["version"]], index=used.index, dtype=object)
    return used.assign(version=version)[["repo", "team", "name", "category", "version", "evidence"]]


def _drift_row(
    kind: str,
    name: str,
    category: str | None,
    team: str,
    uses: list[tuple[str, str | None]],
    target: str | None,
    ecosystem: str,
) -> dict:
    """One drift row from the (repo, version text or None) uses of one thing in one team."""
    repo_versions: dict[str, set[str]] = {}
    unknown_use: set[str] = set()  # repositories with a use of no known version
    for repo, version in uses:
        texts = repo_versions.setdefault(repo, set())
        if isinstance(version, str):
            texts.add(version)
        else:
            unknown_use.add(str(repo))
    per_version = Counter(text for texts in repo_versions.values() for text in texts)
    unknown = sum(1 for texts in repo_versions.values() if not texts)
    versions = sorted(per_version, key=lambda t: _version_key(t, ecosystem, newest_first=True))
    readable = [f"{v} ({per_version[v]})" for v in versions] + ([f"unknown ({unknown})"] if unknown else [])
    row = {
        "kind": kind,
        "name": name,
        "category": category,
        "team": team,
        "repos": len(repo_versions),
        "unknown_version": unknown,
        "versions": versions,
        "versions_in_use": ", ".join(readable),
        "target": target,
        "on_target": pd.NA,
        "share_on_target": math.nan,
        "majors_behind_max": pd.NA,
        "minors_behind_max": pd.NA,
    }
    constraint = _constraint(target, ecosystem) if target else None
    if constraint is None:
        return row
    on_target = 0
    worst: tuple[int, int] = (0, 0)
    for repo, texts in repo_versions.items():
        parsed = [_parse(t, ecosystem) for t in texts]
        known = [v for v in parsed if v is not None]
        every_use_known = bool(known) and len(known) == len(parsed) and repo not in unknown_use
        if every_use_known and all(constraint.allows(v) is True for v in known):
            on_target += 1
        for version in known:
            gap = behind(version, constraint)
            if gap is not None:
                worst = max(worst, (int(gap[0]), int(gap[1])))
    row.update(
        on_target=on_target,
        share_on_target=on_target / len(repo_versions) if repo_versions else math.nan,
        majors_behind_max=worst[0],
        minors_behind_max=worst[1],
    )
    return row


def _target(standards: Standards, kind: str, name: str, team: str) -> tuple[str | None, str]:
    """(constraint text or None, ecosystem whose version semantics apply) for one thing in one team."""
    if kind == "technology":
        entry = standards.radar.get(name)
        ecosystem = ecosystem_of(name, standards)
        if entry is not None and entry.version:
            return entry.version, ecosystem
    else:
        ecosystem = "generic"
    candidates = []
    for i, std in enumerate(standards.standards):
        rule = std.rule
        if rule.kind != "version" or not rule.constraint or getattr(rule, kind) != name:
            continue
        teams = std.applies_to.teams
        if teams and team not in teams:
            continue
        candidates.append((0 if teams else 1, i, rule.constraint))
    return (min(candidates)[2] if candidates else None), ecosystem


@cache
def _parse(text: str, ecosystem: str) -> Version | None:
    return parse_version(text, ecosystem)


@cache
def _constraint(text: str, ecosystem: str) -> Constraint | None:
    try:
        return parse_constraint(text, ecosystem)
    except ConstraintError:  # a Standards built in code, not through load: no usable target
        return None


def _version_key(text: str | None, ecosystem: str, *, newest_first: bool = False) -> tuple:
    """Sort key: parsed versions in order (or reversed), then unparsed texts, then unknown."""
    if text is None:
        return (2, 0, "")
    version = _parse(text, ecosystem)
    if version is None:
        return (1, 0, text)
    return (0, _Reversed(version) if newest_first else version, text)


class _Reversed:
    """Wraps a value so sorting puts the greatest first."""

    def __init__(self, value: Version) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return other.value < self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]


# --- fragmentation ---------------------------------------------------------------------------------------


def fragmentation(frames: SnapshotFrames, by: str = "team") -> pd.DataFrame:
    """How many ways each category is done, per `by` group (a `repos` column) and for the organisation.

    One row per (category, group), plus a row per category whose `by` is `ORGANISATION`.
    `effective_choices` is exp(Shannon entropy) of the repositories per technology: 1.0 when one
    technology is used, n when n technologies are used equally, between when one dominates; it
    reads as "how many technologies this group really uses". `top_share` is the share of the
    group's repositories using the category that use the top technology (ties: the name first).
    Rows: by category, the organisation first, then groups by name.
    """
    if by not in frames.repos.columns:
        raise ValueError(
            f"cannot group by {by!r}: not a column of the repositories ({', '.join(frames.repos.columns)})"
        )
    used = _technologies(frames, by=by)
    keys = ["category", by]
    both = pd.concat([used, used.assign(**{by: ORGANISATION})], ignore_index=True)
    counts = both.groupby([*keys, "name"]).size().reset_index(name="n")
    share = counts["n"] / counts.groupby(keys)["n"].transform("sum")
    counts = counts.assign(_entropy=-(share * np.log(share)))
    out = counts.groupby(keys).agg(technologies=("name", "size"), _entropy=("_entropy", "sum"))
    top = _top(counts, keys).set_index(keys)
    repos = both.groupby(keys)["repo"].nunique()
    out = out.assign(
        repos=repos,
        effective_choices=np.exp(out["_entropy"]),
        top_technology=top["name"],
        top_share=top["n"] / repos,
    ).reset_index()
    columns = ["category", by, *FRAGMENTATION_COLUMNS[1:]]
    out = out.reindex(columns=columns).astype(
        {"technologies": "int64", "repos": "int64", "effective_choices": "float64", "top_share": "float64"}
    )
    org_first = (out[by] != ORGANISATION).astype(int)
    out = out.assign(_org=org_first).sort_values(["category", "_org", by], kind="stable")
    return none_for_missing(out.drop(columns="_org").reset_index(drop=True))


def _top(counts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per `keys`, the row of the most used `name` (`n`), the name first on a tie."""
    order = counts.sort_values([*keys, "n", "name"], ascending=[*([True] * len(keys)), False, True], kind="stable")
    return order.drop_duplicates(keys)


# --- team deviation --------------------------------------------------------------------------------------


def team_category_deviation(frames: SnapshotFrames) -> pd.DataFrame:
    """The long frame behind `team_deviation`: one row per (team, category) the team uses.

    `org_choice` is the organisation's most used technology of the category (by repositories; ties:
    the name first). A repository of the team that uses the category *follows* the organisation when
    it uses `org_choice` (also beside others: a Next.js repository that also uses React follows a
    React organisation); otherwise it *differs*. `repos` counts the team's repositories using the
    category, `differing_repos` those that differ, `deviation` their share; `team_choice` is the
    team's own most used technology of the category; `alternatives` what the differing repositories
    use instead, most used first. Rows: by team, then category.
    """
    used = _technologies(frames)
    keys = ["team", "category"]
    org_choice = _top(used.groupby(["category", "name"]).size().reset_index(name="n"), ["category"])
    org_choice = org_choice.set_index("category")["name"]
    used = used.assign(follows=used["name"] == used["category"].map(org_choice))
    per_repo = used.groupby([*keys, "repo"])["follows"].any().reset_index()
    out = per_repo.groupby(keys).agg(repos=("repo", "size"), _following=("follows", "sum")).reset_index()
    out = out.assign(
        org_choice=out["category"].map(org_choice),
        differing_repos=out["repos"] - out["_following"],
    )
    team_counts = used.groupby([*keys, "name"]).size().reset_index(name="n")
    out = out.merge(_top(team_counts, keys).rename(columns={"name": "team_choice"})[[*keys, "team_choice"]], on=keys)
    differing = used.merge(per_repo[~per_repo["follows"]][[*keys, "repo"]], on=[*keys, "repo"])
    instead = differing.groupby([*keys, "name"]).size().reset_index(name="n")
    instead = instead.sort_values([*keys, "n", "name"], ascending=[True, True, False, True], kind="stable")
    alternatives = instead.groupby(keys)["name"].agg(list)
    out = out.assign(
        deviation=out["differing_repos"] / out["repos"],
        alternatives=[
            alternatives.get(k, []) for k in zip(out["team"].tolist(), out["category"].tolist(), strict=True)
        ],
    )
    out = out.reindex(columns=TEAM_CATEGORY_COLUMNS).sort_values(keys, kind="stable").reset_index(drop=True)
    return none_for_missing(out.astype({"repos": "int64", "differing_repos": "int64", "deviation": "float64"}))


def team_deviation(frames: SnapshotFrames) -> pd.DataFrame:
    """One row per team: how far its technology choices are from the organisation's most common ones.

    `choices` counts the team's (repository, category) pairs, `differing_choices` those that do not
    use the organisation's most common technology of the category (see `team_category_deviation`,
    the per-(team, category) frame), `deviation` = differing / choices (0..1);
    `categories_compared` counts the categories the team uses; `differing` lists, per category with
    a difference, `"category: the team's alternatives vs the organisation's choice"`. Teams with no
    technology in an active repository are left out. Most deviating first, then by team.
    """
    long = team_category_deviation(frames)
    rows = []
    for team, group in long.groupby("team", sort=True):
        choices = int(group["repos"].sum())
        differing_choices = int(group["differing_repos"].sum())
        notes = [
            f"{r.category}: {', '.join(r.alternatives)} vs {r.org_choice}"
            for r in group.itertuples()
            if r.differing_repos
        ]
        rows.append(
            {
                "team": team,
                "deviation": differing_choices / choices,
                "categories_compared": len(group),
                "choices": choices,
                "differing_choices": differing_choices,
                "differing": notes,
            }
        )
    out = pd.DataFrame(rows, columns=TEAM_DEVIATION_COLUMNS)
    out = out.astype(
        {"deviation": "float64", "categories_compared": "int64", "choices": "int64", "differing_choices": "int64"}
    )
    out = out.sort_values(["deviation", "team"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


# --- the radar against reality ---------------------------------------------------------------------------


def radar_reality(standards: Standards, frames: SnapshotFrames) -> pd.DataFrame:
    """One row per technology on the radar or in use: its ring, who uses it, and what is off.

    Flags: `hold_in_use` (on hold, still used), `adopt_rare` (adopt, yet used by fewer than
    max(2, 5% of the active repositories): an agreement nobody follows, or a ring to reconsider),
    `unreviewed_in_use` (used, and the radar does not list it). Rows: by ring (adopt to hold, then
    unreviewed), most used first, then by name.
    """
    used = _technologies(frames)
    active = len(_active_repos(frames))
    threshold = max(2.0, 0.05 * active)
    names = sorted(set(used["name"]) | set(standards.radar))
    categories = used.drop_duplicates("name").set_index("name")["category"]
    repos = used.groupby("name")["repo"].nunique()
    teams = used.groupby("name")["team"].agg(lambda s: sorted(set(s)))
    rows = []
    for name in names:
        entry = standards.radar.get(name)
        ring = entry.ring if entry else UNREVIEWED
        n = int(repos.get(name, 0))
        team_names = teams.get(name, [])
        rows.append(
            {
                "technology": name,
                "category": categories.get(name) or _catalog_category(name),
                "ring": ring,
                "repos": n,
                "teams": len(team_names),
                "team_names": team_names,
                "replace_with": entry.replace_with if entry else None,
                "hold_in_use": ring == "hold" and n > 0,
                "adopt_rare": ring == "adopt" and n < threshold,
                "unreviewed_in_use": ring == UNREVIEWED and n > 0,
            }
        )
    out = pd.DataFrame(rows, columns=RADAR_COLUMNS)
    out = out.astype(
        {"repos": "int64", "teams": "int64", "hold_in_use": "bool", "adopt_rare": "bool", "unreviewed_in_use": "bool"}
    )
    ring_rank = out["ring"].map({r: i for i, r in enumerate(RING_ORDER)})
    out = out.assign(_ring=ring_rank).sort_values(["_ring", "repos", "technology"], ascending=[True, False, True])
    return none_for_missing(out.drop(columns="_ring").reset_index(drop=True))


def ring_usage(standards: Standards, frames: SnapshotFrames) -> pd.DataFrame:
    """One row per ring (adopt, trial, assess, hold, unreviewed), always all five: `technologies` in
    it (on the radar; for unreviewed: in use and not on the radar), `in_use` of those used by an
    active repository, `repos` using at least one of them and their `share_of_repos`."""
    used = _technologies(frames)
    ring_of = used["name"].map(lambda n: standards.radar[n].ring if n in standards.radar else UNREVIEWED)
    used = used.assign(ring=ring_of)
    active = len(_active_repos(frames))
    rows = []
    for ring in RING_ORDER:
        in_ring = used[used["ring"] == ring]
        if ring == UNREVIEWED:
            listed = set(in_ring["name"])
        else:
            listed = {n for n, e in standards.radar.items() if e.ring == ring}
        repos = in_ring["repo"].nunique()
        rows.append(
            {
                "ring": ring,
                "technologies": len(listed),
                "in_use": in_ring["name"].nunique(),
                "repos": repos,
                "share_of_repos": repos / active if active else 0.0,
            }
        )
    out = pd.DataFrame(rows, columns=RING_USAGE_COLUMNS)
    return out.astype({"technologies": "int64", "in_use": "int64", "repos": "int64", "share_of_repos": "float64"})


# --- shared ----------------------------------------------------------------------------------------------


def _active_repos(frames: SnapshotFrames) -> pd.DataFrame:
    repos = frames.repos
    return repos[~repos["archived"].astype(bool)]


def _with_team(frames: SnapshotFrames, table: pd.DataFrame) -> pd.DataFrame:
    """`table` restricted to active repositories, with each one's team."""
    active = _active_repos(frames)[["repo", "team"]].drop_duplicates("repo")
    return table.merge(active, on="repo", how="inner")


def _technologies(frames: SnapshotFrames, by: str = "team") -> pd.DataFrame:
    """repo, name, category, team (and `by`): one row per (repository, technology) of active repositories."""
    table = frames.technologies[["repo", "name", "category"]].drop_duplicates(["repo", "name"])
    used = _with_team(frames, table)
    if by != "team":
        groups = _active_repos(frames).drop_duplicates("repo").set_index("repo")[by]
        used = used.assign(**{by: used["repo"].map(groups).astype(object).where(lambda s: s.notna(), "(none)")})
    return used


def _text(value: object) -> str | None:
    """A version text as found, stripped; None when missing or blank."""
    return (value.strip() or None) if isinstance(value, str) else None


def none_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as object with None for a missing value (pandas reads a missing text as NaN),
    so a table, a JSON export and a test all see None."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def _catalog_category(name: str) -> str | None:
    from collectors.catalog import load_catalog

    entry = load_catalog().get(name)
    return entry.category if entry else None
