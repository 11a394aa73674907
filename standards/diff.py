"""What changed between two snapshots, for the meeting: repositories, findings, technologies,
versions, and the standards file's own dates (waivers expiring, standards due for review).

Pure pandas: the caller passes both snapshots' frames and both evaluation results (from
`standards.evaluate.evaluate`), so a diff never evaluates and a test needs no rules. Every part
is a frame with fixed columns, present even when empty, sorted the way the meeting view lists it.

Technologies and versions compare active repositories only, as every metric does: a repository
archived since the old snapshot shows in `repos_archived`, and its technologies as dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import lru_cache

import pandas as pd

from standards.load import ecosystem_of
from standards.metrics import UNREVIEWED, none_for_missing
from standards.model import SEVERITIES, Standards
from standards.versions import Version, parse_version
from store.frames import SnapshotFrames

REPO_COLUMNS = ["repo", "team"]
FINDING_NEW_COLUMNS = ["repo", "team", "standard", "title", "severity", "detail", "old_status"]
FINDING_RESOLVED_COLUMNS = ["repo", "team", "standard", "title", "severity", "detail", "new_status"]
TECH_INTRODUCED_COLUMNS = ["repo", "team", "technology", "category", "version", "ring", "new_to_org", "repo_added"]
TECH_DROPPED_COLUMNS = ["repo", "team", "technology", "category", "version", "ring", "gone_from_org", "repo_gone"]
VERSION_CHANGE_COLUMNS = ["repo", "team", "kind", "name", "old_version", "new_version", "direction"]
WAIVER_COLUMNS = ["standard", "repo", "team", "reason", "approver", "expires"]
STANDARDS_DUE_COLUMNS = ["id", "title", "owner", "review_by", "days_overdue"]

#: Statuses in the new results that resolve an old failure; waived is not passed, error is not known.
RESOLVING = ("pass", "not-applicable")


@dataclass(frozen=True)
class SnapshotDiff:
    """Everything the meeting view and the deck's "since last time" slide show, computed once."""

    repos_added: pd.DataFrame  # repo, team
    repos_removed: pd.DataFrame  # repo, team (as in the old snapshot)
    repos_archived: pd.DataFrame  # repo, team: in both, archived in the new one only
    findings_new: pd.DataFrame  # FINDING_NEW_COLUMNS: failing now, not failing before (old_status None: not evaluated)
    findings_resolved: pd.DataFrame  # FINDING_RESOLVED_COLUMNS: failing before, pass or not-applicable now
    technologies_introduced: pd.DataFrame  # TECH_INTRODUCED_COLUMNS
    technologies_dropped: pd.DataFrame  # TECH_DROPPED_COLUMNS
    version_changes: pd.DataFrame  # VERSION_CHANGE_COLUMNS; direction upgrade, downgrade or changed
    waivers_expired: pd.DataFrame  # WAIVER_COLUMNS + days_ago
    waivers_expiring: pd.DataFrame  # WAIVER_COLUMNS + days_left
    standards_due: pd.DataFrame  # STANDARDS_DUE_COLUMNS

    def summary(self) -> dict[str, int]:
        """Rows per part, for headlines; plus `technologies_new_to_org`, distinct technologies no
        active repository used before."""
        counts = {f.name: len(getattr(self, f.name)) for f in fields(self)}
        introduced = self.technologies_introduced
        counts["technologies_new_to_org"] = int(introduced.loc[introduced["new_to_org"], "technology"].nunique())
        return counts


def diff_snapshots(
    old: SnapshotFrames,
    new: SnapshotFrames,
    standards: Standards,
    *,
    old_results: pd.DataFrame,
    new_results: pd.DataFrame,
    today: date,
    within_days: int = 30,
) -> SnapshotDiff:
    """Compare `old` with `new` (each with its evaluation results); dates are judged on `today`."""
    added, removed, archived = _repo_changes(old, new)
    introduced, dropped = _technology_changes(old, new, standards)
    expired, expiring = waivers_due(standards, today, within_days)
    return SnapshotDiff(
        repos_added=added,
        repos_removed=removed,
        repos_archived=archived,
        findings_new=findings_new(old_results, new_results),
        findings_resolved=findings_resolved(old_results, new_results),
        technologies_introduced=introduced,
        technologies_dropped=dropped,
        version_changes=version_changes(old, new, standards),
        waivers_expired=expired,
        waivers_expiring=expiring,
        standards_due=standards_due(standards, today),
    )


# --- repositories --------------------------------------------------------------------------------------


def _repo_changes(old: SnapshotFrames, new: SnapshotFrames) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Added, removed, and archived since (in both snapshots, archived only in the new one)."""
    before = old.repos.drop_duplicates("repo").set_index("repo")
    after = new.repos.drop_duplicates("repo").set_index("repo")
    added = after.loc[~after.index.isin(before.index)]
    removed = before.loc[~before.index.isin(after.index)]
    both = after.index.intersection(before.index)
    was = before.loc[both, "archived"].astype(bool)
    now = after.loc[both, "archived"].astype(bool)
    archived = after.loc[both[(now & ~was).to_numpy()]]
    return _repo_frame(added), _repo_frame(removed), _repo_frame(archived)


def _repo_frame(repos: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"repo": repos.index.astype(str), "team": repos["team"].astype(str).to_numpy()})
    return _sorted(out, ["team", "repo"], REPO_COLUMNS)


# --- findings ------------------------------------------------------------------------------------------


def findings_new(old_results: pd.DataFrame, new_results: pd.DataFrame) -> pd.DataFrame:
    """(repo, standard) failing in the new results and not failing in the old (or not in them)."""
    new = _results(new_results)
    before = _results(old_results)[["repo", "standard", "status"]].rename(columns={"status": "old_status"})
    out = new[new["status"] == "fail"].merge(before, on=["repo", "standard"], how="left")
    out = out[out["old_status"] != "fail"]
    return _by_severity(out, FINDING_NEW_COLUMNS)


def findings_resolved(old_results: pd.DataFrame, new_results: pd.DataFrame) -> pd.DataFrame:
    """(repo, standard) failing in the old results and passing or not applicable in the new; a
    repository gone from the new snapshot resolves nothing, nor does a waiver. `detail` is the old one."""
    old = _results(old_results)
    now = ["team", "title", "severity", "status"]
    after = _results(new_results)[["repo", "standard", *now]].rename(columns={c: f"{c}_now" for c in now})
    out = old[old["status"] == "fail"].merge(after, on=["repo", "standard"], how="inner")
    out = out[out["status_now"].isin(RESOLVING)].rename(columns={"status_now": "new_status"})
    # team, title and severity as they are now: the meeting talks about today's teams and standards
    for col in ("team", "title", "severity"):
        out[col] = out[f"{col}_now"].where(out[f"{col}_now"].notna(), out[col])
    return _by_severity(out, FINDING_RESOLVED_COLUMNS)


def _results(results: pd.DataFrame) -> pd.DataFrame:
    cols = ["repo", "team", "standard", "title", "severity", "status", "detail"]
    return results[cols].drop_duplicates(["repo", "standard"], keep="last").reset_index(drop=True)


def _by_severity(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Most severe first, then standard, team, repo."""
    rank = frame["severity"].map({s: -i for i, s in enumerate(SEVERITIES)}).fillna(1)
    out = frame.assign(_rank=rank).sort_values(["_rank", "standard", "team", "repo"], kind="stable")
    return none_for_missing(out[columns].reset_index(drop=True))


# --- technologies and versions -----------------------------------------------------------------------


def _technology_changes(
    old: SnapshotFrames, new: SnapshotFrames, standards: Standards
) -> tuple[pd.DataFrame, pd.DataFrame]:
    before, after = _tech_pairs(old), _tech_pairs(new)
    before_keys = set(zip(before["repo"].tolist(), before["technology"].tolist(), strict=True))
    after_keys = set(zip(after["repo"].tolist(), after["technology"].tolist(), strict=True))
    old_active = set(_active(old)["repo"])
    new_active = set(_active(new)["repo"])

    introduced = after[_not_in(after, before_keys)]
    introduced = introduced.assign(
        new_to_org=~introduced["technology"].isin(set(before["technology"])),
        repo_added=~introduced["repo"].isin(old_active),
    )
    dropped = before[_not_in(before, after_keys)]
    dropped = dropped.assign(
        gone_from_org=~dropped["technology"].isin(set(after["technology"])),
        repo_gone=~dropped["repo"].isin(new_active),
    )
    ring = {n: e.ring for n, e in standards.radar.items()}
    introduced = introduced.assign(ring=introduced["technology"].map(lambda n: ring.get(n, UNREVIEWED)))
    dropped = dropped.assign(ring=dropped["technology"].map(lambda n: ring.get(n, UNREVIEWED)))
    return (
        _sorted(introduced, ["technology", "team", "repo"], TECH_INTRODUCED_COLUMNS, first="new_to_org"),
        _sorted(dropped, ["technology", "team", "repo"], TECH_DROPPED_COLUMNS, first="gone_from_org"),
    )


def _not_in(pairs: pd.DataFrame, keys: set[tuple[str, str]]) -> pd.Series:
    """A mask of the (repo, technology) rows of `pairs` not among `keys`."""
    found = [k not in keys for k in zip(pairs["repo"].tolist(), pairs["technology"].tolist(), strict=True)]
    return pd.Series(found, index=pairs.index, dtype=bool)


def _tech_pairs(frames: SnapshotFrames) -> pd.DataFrame:
    """repo, team, technology, category, version: one row per (active repository, technology); the
    version is the repository's versions of it joined (None when none is known)."""
    techs = frames.technologies[["repo", "name", "category", "version"]].merge(_active(frames), on="repo")
    texts = _version_texts(techs)
    out = techs.drop_duplicates(["repo", "name"]).sort_values(["repo", "name"])
    keys = list(zip(out["repo"].tolist(), out["name"].tolist(), strict=True))
    version = pd.Series([", ".join(texts.get(k, ())) or None for k in keys], index=out.index, dtype=object)
    out = out.assign(version=version).rename(columns={"name": "technology"})
    return out[["repo", "team", "technology", "category", "version"]].reset_index(drop=True)


def version_changes(old: SnapshotFrames, new: SnapshotFrames, standards: Standards) -> pd.DataFrame:
    """(repo, kind, name) whose known versions differ between the snapshots, in repositories active in
    both. A repository naming several versions of one thing (two manifests) is compared as its lowest
    and highest: `upgrade` when neither went down and one went up, `downgrade` the reverse, `changed`
    otherwise (mixed, same order but other text such as 3.2 to 3.2.0, or unparseable). A version
    appearing or disappearing is not a change of version and is left out."""
    rows = []
    for kind, table_of in (("technology", lambda f: f.technologies), ("runtime", lambda f: f.runtimes)):
        before = _versions_of(old, table_of(old))
        after = _versions_of(new, table_of(new))
        both = before.merge(after, on=["repo", "name"], suffixes=("_old", "_new"))
        for r in both.itertuples(index=False):
            if r.texts_old == r.texts_new:
                continue
            ecosystem = ecosystem_of(r.name, standards) if kind == "technology" else "generic"
            rows.append(
                {
                    "repo": r.repo,
                    "team": r.team_new,
                    "kind": kind,
                    "name": r.name,
                    "old_version": ", ".join(r.texts_old),
                    "new_version": ", ".join(r.texts_new),
                    "direction": _direction(r.texts_old, r.texts_new, ecosystem),
                }
            )
    out = pd.DataFrame(rows, columns=VERSION_CHANGE_COLUMNS)
    out = out.assign(_kind=(out["kind"] == "runtime").astype(int))  # technologies first, as in the metrics
    return _sorted(out, ["_kind", "name", "team", "repo"], VERSION_CHANGE_COLUMNS)


def _versions_of(frames: SnapshotFrames, table: pd.DataFrame) -> pd.DataFrame:
    """repo, team, name, texts (a sorted tuple of the distinct known versions, never empty)."""
    used = table[["repo", "name", "version"]].merge(_active(frames), on="repo", how="inner")
    teams = dict(zip(used["repo"].tolist(), used["team"].tolist(), strict=True))
    rows = [(repo, teams[repo], name, texts) for (repo, name), texts in _version_texts(used).items()]
    return pd.DataFrame(rows, columns=["repo", "team", "name", "texts"])


@lru_cache(maxsize=65536)
def _parsed(text: str, ecosystem: str) -> Version | None:
    """The same few hundred version texts recur across thousands of repositories: parse each once."""
    return parse_version(text, ecosystem)


def _direction(old: tuple[str, ...], new: tuple[str, ...], ecosystem: str) -> str:
    before = [_parsed(t, ecosystem) for t in old]
    after = [_parsed(t, ecosystem) for t in new]
    if None in before or None in after:
        return "changed"
    low = _compare(min(before), min(after))
    high = _compare(max(before), max(after))
    if low >= 0 and high >= 0 and (low or high):
        return "upgrade"
    if low <= 0 and high <= 0 and (low or high):
        return "downgrade"
    return "changed"


def _compare(a: Version, b: Version) -> int:
    """1 when b is newer than a, -1 when older, 0 when equal in order."""
    return (a < b) - (b < a)


def _version_texts(table: pd.DataFrame) -> dict[tuple[str, str], tuple[str, ...]]:
    """(repo, name) -> sorted tuple of the distinct version texts known; pairs with none are absent."""
    found: dict[tuple[str, str], set[str]] = {}
    for repo, name, version in zip(
        table["repo"].tolist(), table["name"].tolist(), table["version"].tolist(), strict=True
    ):
        if isinstance(version, str) and version.strip():
            found.setdefault((repo, name), set()).add(version.strip())
    return {key: tuple(sorted(texts)) for key, texts in found.items()}


def _active(frames: SnapshotFrames) -> pd.DataFrame:
    repos = frames.repos
    return repos.loc[~repos["archived"].astype(bool), ["repo", "team"]].drop_duplicates("repo")


# --- the standards file's dates ----------------------------------------------------------------------


def waivers_due(standards: Standards, today: date, within_days: int = 30) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Expired: `expires` before today (a waiver holds through its last day). Expiring: from today to
    `within_days` ahead, both ends included."""
    horizon = today + timedelta(days=within_days)
    expired, expiring = [], []
    for w in standards.waivers:
        row = {c: getattr(w, c) for c in WAIVER_COLUMNS}
        if w.expires < today:
            expired.append({**row, "days_ago": (today - w.expires).days})
        elif w.expires <= horizon:
            expiring.append({**row, "days_left": (w.expires - today).days})
    keys = ["expires", "standard", "team", "repo"]
    return (
        _typed(_sorted(pd.DataFrame(expired, columns=[*WAIVER_COLUMNS, "days_ago"]), keys), "days_ago"),
        _typed(_sorted(pd.DataFrame(expiring, columns=[*WAIVER_COLUMNS, "days_left"]), keys), "days_left"),
    )


def standards_due(standards: Standards, today: date) -> pd.DataFrame:
    """Standards whose `review_by` is today or past: most overdue first."""
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "owner": s.owner,
            "review_by": s.review_by,
            "days_overdue": (today - s.review_by).days,
        }
        for s in standards.standards
        if s.review_by <= today
    ]
    out = _sorted(pd.DataFrame(rows, columns=STANDARDS_DUE_COLUMNS), ["review_by", "id"])
    return _typed(out, "days_overdue")


# --- shared ----------------------------------------------------------------------------------------------


def _sorted(
    frame: pd.DataFrame, keys: list[str], columns: list[str] | None = None, *, first: str | None = None
) -> pd.DataFrame:
    """`frame` sorted by the bool column `first` (True rows first), then by `keys` (a missing value
    sorts as the empty text, first); only `columns` kept, flag columns as bool."""
    columns = columns or list(frame.columns)
    sort_keys = {f"_k{i}": frame[k].map(lambda v: "" if v is None or v != v else v) for i, k in enumerate(keys)}
    if first:
        sort_keys = {"_first": ~frame[first].astype(bool), **sort_keys}
    out = frame.assign(**sort_keys).sort_values(list(sort_keys), kind="stable")[columns].reset_index(drop=True)
    flags = [c for c in columns if c in ("new_to_org", "repo_added", "gone_from_org", "repo_gone")]
    return none_for_missing(out.astype(dict.fromkeys(flags, "bool")))


def _typed(frame: pd.DataFrame, int_column: str) -> pd.DataFrame:
    return frame.astype({int_column: "int64"})
