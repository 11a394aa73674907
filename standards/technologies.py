"""The Technologies page's frames: the radar as agreed against what the repositories use, how many
ways each category is done per team, and the repositories behind any bar or cell.

Pure pandas over an `Analysis` (no Streamlit): the page gets the costly ones through
`pages.common.derived`, so each is computed once per snapshot, standards file and filters. Like
`standards.metrics`, archived repositories are left out: dead code does not say what a team uses.

Without a standards file there is no radar: `radar` still lists every technology in use (its
`ring` None, no flags), since calling them all "unreviewed" would blame the guild for a file that
is simply not configured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from standards import metrics
from standards.analysis import Analysis
from standards.model import Standards

#: Columns of `repos_behind`: one row per (repository, technology).
BEHIND_COLUMNS = ["repo", "team", "technology", "category", "version", "evidence", "url"]
#: Columns of `usage_bars`: one bar per technology.
BAR_COLUMNS = ["group", "technology", "ring", "category", "repos", "teams", "team_names", "note"]
#: What a bar says beside its count: the first condition that holds on its radar row wins.
NOTES: tuple[tuple[Callable[[Any], bool], str], ...] = (
    (lambda r: r.ring is not None and r.repos == 0, "not used"),
    (lambda r: bool(r.hold_in_use and r.replace_with), "move to {replace_with}"),
    (lambda r: bool(r.hold_in_use), "on hold"),
    (lambda r: bool(r.adopt_rare), "rarely used"),
)
#: How many technologies the usage chart shows per ring when it shows several rings.
DEFAULT_PER_RING = 8
#: How many technologies the usage chart shows without a radar (grouped by category).
DEFAULT_TOP = 25


def radar(analysis: Analysis) -> pd.DataFrame:
    """`standards.metrics.radar_reality` of the analysis (RADAR_COLUMNS); without a standards file,
    every technology in use with `ring` None and every flag False."""
    if analysis.standards is not None:
        return metrics.radar_reality(analysis.standards, analysis.frames)
    used = metrics.radar_reality(Standards(), analysis.frames)
    return used.assign(ring=None, hold_in_use=False, adopt_rare=False, unreviewed_in_use=False)


def rings(analysis: Analysis) -> pd.DataFrame | None:
    """`standards.metrics.ring_usage` (all five rings), or None without a standards file."""
    if analysis.standards is None:
        return None
    return metrics.ring_usage(analysis.standards, analysis.frames)


def usage_bars(
    radar_frame: pd.DataFrame,
    shown_rings: Sequence[str] = metrics.RING_ORDER,
    per_group: int | None = DEFAULT_PER_RING,
) -> pd.DataFrame:
    """The bars of the usage chart (BAR_COLUMNS), in display order, from a `radar` frame.

    With a radar, `group` is the ring: the rings in `shown_rings` in RING_ORDER, each its
    `per_group` most used technologies (all when None), most used first. Without one (`ring` all
    None), `group` is the category: the `per_group` most used technologies overall, grouped by
    category, the category of the most used first. `note` says what a tech lead should see beside
    the count: "move to X" for a hold technology in use with a replacement, "on hold", "rarely
    used" (adopt), "not used" (on the radar, no repository).
    """
    frame = radar_frame
    if frame.empty:
        return pd.DataFrame(columns=BAR_COLUMNS)
    with_radar = frame["ring"].notna().any()
    if with_radar:
        frame = frame[frame["ring"].isin(shown_rings)]
        rank = frame["ring"].map({r: i for i, r in enumerate(metrics.RING_ORDER)})
        frame = frame.assign(_rank=rank).sort_values(["_rank", "repos", "technology"], ascending=[True, False, True])
        if per_group is not None:
            frame = frame.groupby("ring", sort=False).head(per_group)
        group = frame["ring"]
    else:
        frame = frame.sort_values(["repos", "technology"], ascending=[False, True], kind="stable")
        if per_group is not None:
            frame = frame.head(per_group)
        category = frame["category"].fillna("(no category)")
        first_seen = {c: i for i, c in reversed(list(enumerate(category)))}
        frame = frame.assign(_rank=category.map(first_seen), _category=category)
        frame = frame.sort_values(["_rank", "repos", "technology"], ascending=[True, False, True], kind="stable")
        group = frame["_category"]
    out = pd.DataFrame(
        {
            "group": group.to_numpy(dtype=object),
            "technology": frame["technology"].to_numpy(dtype=object),
            "ring": frame["ring"].to_numpy(dtype=object),
            "category": frame["category"].to_numpy(dtype=object),
            "repos": frame["repos"].to_numpy(dtype="int64"),
            "teams": frame["teams"].to_numpy(dtype="int64"),
            "team_names": frame["team_names"].to_numpy(dtype=object),
            "note": [_note(row) for row in frame.itertuples()],
        }
    )
    return out[BAR_COLUMNS]


def _note(row: Any) -> str:
    """The first of NOTES that holds for a radar row, filled in ("" when none does)."""
    for holds, text in NOTES:
        if holds(row):
            return text.format(replace_with=row.replace_with)
    return ""


def callouts(radar_frame: pd.DataFrame, flag: str) -> pd.DataFrame:
    """The rows of a `radar` frame with `flag` set (hold_in_use, adopt_rare, unreviewed_in_use),
    most used first: the technologies the meeting should talk about."""
    rows = radar_frame[radar_frame[flag].astype(bool)]
    return rows.sort_values(["repos", "technology"], ascending=[False, True], kind="stable").reset_index(drop=True)


def fragmentation(analysis: Analysis) -> pd.DataFrame:
    """`standards.metrics.fragmentation(frames, by="team")` for a category x team heatmap.

    `category` and `team` are ordered categoricals: categories most fragmented first (the
    organisation's effective number of choices, then name), the organisation's column first, then
    teams by name.
    """
    frame = metrics.fragmentation(analysis.frames, by="team")
    org = frame[frame["team"] == metrics.ORGANISATION]
    categories = org.sort_values(["effective_choices", "category"], ascending=[False, True])["category"].tolist()
    teams = [metrics.ORGANISATION, *sorted(set(frame["team"]) - {metrics.ORGANISATION})]
    return frame.assign(
        category=pd.Categorical(frame["category"], categories=categories, ordered=True),
        team=pd.Categorical(frame["team"], categories=teams, ordered=True),
    )


def deviation(analysis: Analysis) -> pd.DataFrame:
    """`standards.metrics.team_deviation`: one row per team, most deviating first."""
    return metrics.team_deviation(analysis.frames)


def deviation_by_category(analysis: Analysis) -> pd.DataFrame:
    """`standards.metrics.team_category_deviation`: one row per (team, category) the team uses."""
    return metrics.team_category_deviation(analysis.frames)


def differing(long: pd.DataFrame, team: str | None = None) -> pd.DataFrame:
    """The (team, category) rows of `deviation_by_category` where the team differs from the
    organisation's most common choice, of one team (every team when None); most differing first,
    `alternatives` as one readable string."""
    rows = long[long["differing_repos"] > 0]
    if team is not None:
        rows = rows[rows["team"] == team]
    rows = rows.sort_values(["differing_repos", "team", "category"], ascending=[False, True, True], kind="stable")
    return rows.assign(alternatives=rows["alternatives"].map(", ".join)).reset_index(drop=True)


def repos_behind(
    analysis: Analysis,
    technology: str | None = None,
    category: str | None = None,
    team: str | None = None,
) -> pd.DataFrame:
    """The rows behind a bar or a cell (BEHIND_COLUMNS): one per (active repository, technology),
    narrowed to a technology, a category and a team (`metrics.ORGANISATION` or None: every team).

    A technology named by several files counts once, its versions and evidence joined (", "), so
    the rows of a technology are as many as its bar counts, and the repositories of a category and
    team as many as its fragmentation cell's `repos`. Rows: by team, repository, technology.
    """
    tech = analysis.frames.technologies
    if technology is not None:
        tech = tech[tech["name"] == technology]
    if category is not None:
        tech = tech[tech["category"] == category]
    repos = analysis.repos.loc[~analysis.repos["archived"].astype(bool), ["repo", "team", "url"]]
    if team is not None and team != metrics.ORGANISATION:
        repos = repos[repos["team"] == team]
    rows = tech[["repo", "name", "category", "version", "evidence"]].merge(repos, on="repo", how="inner")
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in BEHIND_COLUMNS})
    out = (
        rows.groupby(["repo", "name"], sort=False)
        .agg(
            team=("team", "first"),
            category=("category", "first"),
            version=("version", _joined),
            evidence=("evidence", _joined),
            url=("url", "first"),
        )
        .reset_index()
        .rename(columns={"name": "technology"})
    )
    out = out.sort_values(["team", "repo", "technology"], kind="stable").reset_index(drop=True)
    return metrics.none_for_missing(out[BEHIND_COLUMNS])


def _joined(values: pd.Series) -> str | None:
    """Distinct non-blank texts in first-seen order, joined; None when there is none."""
    texts = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    return ", ".join(dict.fromkeys(texts)) or None
