"""The Repository page's facts: everything a snapshot knows about one repository, and where its
files live on its host.

Pure pandas over an `Analysis`; no Streamlit. `repository_link` is the address other pages use to
open a repository here (`repository?repo=<name>`); `file_url` turns a path found in the
repository into a link to that file on GitHub or GitHub Enterprise, at the commit the facts were
read from (the head), so a link shows exactly what the collection read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pandas as pd

from standards.analysis import Analysis
from standards.build_view import pin_kind
from standards.evaluate import UNREVIEWED

#: The page's query parameter naming the repository (the selectbox's key).
REPO_PARAM = "repo"
#: Hosts whose repository URLs are not laid out as GitHub's (`/blob/<ref>/<path>`).
NOT_GITHUB_HOSTS = frozenset({"gitlab.com", "bitbucket.org", "dev.azure.com", "codeberg.org", "sr.ht"})
_OWNER_NAME = re.compile(r"/[^/]+/[^/]+")

#: Result statuses in the order findings are listed: what needs doing first.
STATUS_ORDER = ("fail", "error", "waived", "pass", "not-applicable")

#: Team sources in words, in the default team order (`collectors.teams.TEAM_SOURCES`, then the
#: fallback `default`).
TEAM_SOURCES = {
    "teams-file": "the teams file (--teams)",
    "catalog-info": "catalog-info.yaml (spec.owner)",
    "github-team": "the GitHub team with admin or maintain rights",
    "codeowners": "CODEOWNERS (first owner of the * rule)",
    "topic": "a team-* topic",
    "folder": "its folder under the collection root",
    "default": "no source named a team",
}


def repository_link(name: str, *, snapshot: int | None = None) -> str:
    """The relative address of a repository on the Repository page: `repository?repo=<name>`
    (URL-encoded; `/` kept, as query strings allow), with `&snapshot=<id>` when given, so a link
    from another page opens the same snapshot. Use it as a `LinkColumn` value or in markdown."""
    query = {REPO_PARAM: name} if snapshot is None else {REPO_PARAM: name, "snapshot": str(snapshot)}
    return "repository?" + urlencode(query, safe="/", quote_via=quote)


def repository_listing(analysis: Analysis, snapshot: int) -> pd.DataFrame:
    """The analysed repositories with a `page` column linking each to its Repository page in
    `snapshot`: the list the page shows before one is picked (built once per snapshot and filters,
    not on every run: at 5,000 repositories the links alone cost a noticeable part of a second)."""
    repos = analysis.repos
    return repos.assign(page=[repository_link(name, snapshot=snapshot) for name in repos["repo"]])


def file_url(repo_url: str | None, ref: str | None, path: str | None) -> str | None:
    """The file's page on its host: `{repo_url}/blob/{ref}/{path}` when `repo_url` is a GitHub or
    GitHub Enterprise repository URL (`https://host/owner/name`); None otherwise (a local clone,
    another host, no ref or no path). Path and ref are percent-encoded, their `/` kept."""
    if not (repo_url and ref and path):
        return None
    base = repo_url.strip().removesuffix("/").removesuffix(".git")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return None
    if parts.hostname in NOT_GITHUB_HOSTS or not _OWNER_NAME.fullmatch(parts.path):
        return None
    path = path.strip().removeprefix("./").lstrip("/")
    if not path:
        return None
    return f"{base}/blob/{quote(ref.strip(), safe='/')}/{quote(path, safe='/')}"


@dataclass(frozen=True)
class RepositoryFacts:
    """One repository's facts as the page shows them; each table has a `link` column (the file on
    the host, or None) beside its path."""

    about: dict[str, Any]  # repo, team, team_source, default_branch, head, archived, visibility, ...
    host_links: bool  # paths link to the host (a GitHub / GitHub Enterprise URL with a ref)
    team_candidates: pd.DataFrame  # source, means, team, decided
    languages: pd.DataFrame  # language, bytes, share (of the counted bytes), counted
    technologies: pd.DataFrame  # technology, category, version, ring, evidence, link
    dependencies: pd.DataFrame  # ecosystem, name, declared, resolved, scope, manifest, link
    runtimes: pd.DataFrame  # runtime, version, evidence, link
    docker_images: pd.DataFrame  # image, tag, digest, stage, path, link
    ci_files: pd.DataFrame  # provider, path, link
    actions: pd.DataFrame  # action, ref, pinned, path, link
    hygiene: pd.DataFrame  # item, present, path, detail, link
    build: dict[str, Any] | None  # state, reason, commit, checked_at; None when not collected
    workflows: pd.DataFrame  # workflow, path, runs, latest_conclusion, ..., link
    checks: pd.DataFrame  # name, kind, app, state
    warnings: pd.DataFrame  # path, message, link
    findings: pd.DataFrame  # status, title, standard, level, severity, detail, evidence, link, ...


def repository_facts(analysis: Analysis, repo: str) -> RepositoryFacts | None:
    """Every fact of `repo` in the analysis, and its findings; None when the snapshot has no such
    repository."""
    frames = analysis.frames
    rows = frames.repos[frames.repos["repo"] == repo]
    if rows.empty:
        return None
    info = rows.iloc[0]
    summary = analysis.repos[analysis.repos["repo"] == repo]
    ref = _text(info["head"]) or _text(info["default_branch"])
    url = _text(info["url"])
    host_links = file_url(url, ref, "x") is not None

    def link(paths: pd.Series) -> pd.Series:
        return pd.Series([file_url(url, ref, _text(p)) for p in paths], index=paths.index, dtype=object)

    def of(table: pd.DataFrame, columns: list[str], path: str | None = None, sort: list[str] | None = None):
        mine = table[table["repo"] == repo]
        if sort:
            mine = mine.sort_values(sort, kind="stable", na_position="first")
        out = _none_for_missing(mine[columns].reset_index(drop=True))
        if path is not None:
            out["link"] = link(out[path])
        return out

    about = {
        "repo": repo,
        "team": info["team"],
        "team_source": info["team_source"],
        "default_branch": _text(info["default_branch"]),
        "head": _text(info["head"]),
        "archived": bool(info["archived"]),
        "fork": bool(info["fork"]),
        "visibility": _text(info["visibility"]),
        "pushed_at": _text(info["pushed_at"]),
        "url": url,
        "topics": _json(info["topics"], list),
        "main_language": summary["main_language"].iloc[0] if len(summary) else None,
        "level": summary["level"].iloc[0] if len(summary) else None,
    }

    techs = of(frames.technologies, ["name", "category", "version", "evidence"], "evidence", ["category", "name"])
    radar = analysis.standards.radar if analysis.standards is not None else None
    rings = [None if radar is None else (radar[n.lower()].ring if n.lower() in radar else UNREVIEWED)
             for n in techs["name"]]  # fmt: skip
    techs = techs.rename(columns={"name": "technology"})
    techs.insert(3, "ring", rings)

    langs = frames.languages[frames.languages["repo"] == repo]
    langs = langs.sort_values(["counted", "bytes", "language"], ascending=[False, False, True], kind="stable")
    counted = int(langs.loc[langs["counted"], "bytes"].sum())
    languages = pd.DataFrame(
        {
            "language": langs["language"].to_numpy(dtype=object),
            "bytes": langs["bytes"].to_numpy(dtype="int64"),
            "share": (langs["bytes"] / counted).where(langs["counted"]).to_numpy(dtype=float)
            if counted
            else [float("nan")] * len(langs),
            "counted": langs["counted"].to_numpy(dtype=bool),
        }
    )

    actions = of(frames.actions, ["action", "ref", "path"], "path", ["path", "action"])
    actions.insert(2, "pinned", [pin_kind(a, r) for a, r in zip(actions["action"], actions["ref"], strict=True)])

    workflows = of(
        frames.workflows,
        [
            "workflow",
            "path",
            "runs",
            "latest_conclusion",
            "latest_at",
            "success_rate",
            "median_duration_s",
            "last_success_at",
        ],
        "path",
        ["workflow"],
    )
    for column in ("latest_at", "last_success_at"):
        workflows[column] = pd.to_datetime(workflows[column], utc=True, format="ISO8601")

    build_rows = frames.build_health[frames.build_health["repo"] == repo]
    build = None
    if len(build_rows):
        b = build_rows.iloc[0]
        build = {k: _text(b[k]) for k in ("state", "reason", "commit", "checked_at")}

    return RepositoryFacts(
        about=about,
        host_links=host_links,
        team_candidates=_team_candidates(info["team_candidates"], info["team_source"], info["team"]),
        languages=languages,
        technologies=techs,
        dependencies=of(
            frames.dependencies,
            ["ecosystem", "name", "declared", "resolved", "scope", "manifest"],
            "manifest",
            ["ecosystem", "name", "manifest"],
        ),
        runtimes=of(frames.runtimes, ["name", "version", "evidence"], "evidence", ["name", "version"]).rename(
            columns={"name": "runtime"}
        ),
        docker_images=of(frames.docker_images, ["image", "tag", "digest", "stage", "path"], "path", ["path"]),
        ci_files=of(frames.ci_files, ["provider", "path"], "path", ["provider", "path"]),
        actions=actions,
        hygiene=of(frames.hygiene, ["item", "present", "path", "detail"], "path", ["item"]),
        build=build,
        workflows=workflows,
        checks=of(frames.checks, ["name", "kind", "app", "state"], sort=["name"]),
        warnings=of(frames.warnings, ["path", "message"], "path", ["path"]),
        findings=findings_of(analysis.results, repo, url, ref),
    )


def findings_of(results: pd.DataFrame, repo: str, url: str | None = None, ref: str | None = None) -> pd.DataFrame:
    """The evaluation rows of one repository, what needs doing first (`STATUS_ORDER`), then the
    standards file's order; `waiver` says who waived it, why and until when; `link` is the
    evidence file on the host."""
    mine = results[results["repo"] == repo]
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    mine = mine.assign(_rank=mine["status"].map(rank).fillna(len(rank))).sort_values("_rank", kind="stable")
    waiver = [
        _waiver_text(r, a, e, x)
        for r, a, e, x in zip(
            mine["waiver_reason"], mine["waiver_approver"], mine["waiver_expires"], mine["waiver_expired"], strict=True
        )
    ]
    out = pd.DataFrame(
        {
            "status": mine["status"].to_numpy(dtype=object),
            "title": mine["title"].to_numpy(dtype=object),
            "standard": mine["standard"].to_numpy(dtype=object),
            "level": mine["level"].to_numpy(dtype=object),
            "severity": mine["severity"].to_numpy(dtype=object),
            "detail": mine["detail"].to_numpy(dtype=object),
            "evidence": mine["evidence"].to_numpy(dtype=object),
            "link": [file_url(url, ref, _text(e)) for e in mine["evidence"]],
            "found": mine["found"].to_numpy(dtype=object),
            "target": mine["target"].to_numpy(dtype=object),
            "waiver": pd.Series(waiver, dtype=object).to_numpy(),
        }
    )
    return _none_for_missing(out)


def dependencies_matching(
    deps: pd.DataFrame, text: str = "", ecosystems: tuple[str, ...] = (), scopes: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The dependency rows whose name or manifest holds `text` (case-insensitively), in one of
    `ecosystems` and `scopes` (none: any)."""
    keep = pd.Series(True, index=deps.index)
    needle = text.strip().casefold()
    if needle:
        name = deps["name"].astype(str).str.casefold().str.contains(needle, regex=False)
        manifest = deps["manifest"].fillna("").astype(str).str.casefold().str.contains(needle, regex=False)
        keep &= name | manifest
    if ecosystems:
        keep &= deps["ecosystem"].isin(ecosystems)
    if scopes:
        keep &= deps["scope"].isin(scopes)
    return deps[keep].reset_index(drop=True)


def _team_candidates(text: Any, source: str, team: str) -> pd.DataFrame:
    """Every source that named a team (`team_candidates` JSON), the deciding one marked; the
    deciding source is listed even when the JSON lacks it (older snapshots, `default`)."""
    named = _json(text, dict)
    if source not in named:
        named = {source: team, **named}
    order = list(TEAM_SOURCES)  # the default team order: the first source that names a team wins
    named = dict(sorted(named.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
    return pd.DataFrame(
        {
            "source": list(named),
            "means": [TEAM_SOURCES.get(s, s) for s in named],
            "team": [str(t) for t in named.values()],
            "decided": [s == source for s in named],
        }
    )


def _waiver_text(reason: Any, approver: Any, expires: Any, expired: Any) -> str | None:
    if _text(reason) is None and _text(approver) is None:
        return None
    until = f"until {expires}" if _text(expires) else "no expiry"
    state = "expired " if bool(expired) else ""
    who = f", approved by {approver}" if _text(approver) else ""
    return f"{reason}{who} ({state}{until})"


def _json(text: Any, kind: type) -> Any:
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        value = None
    return value if isinstance(value, kind) else kind()


def _text(value: Any) -> str | None:
    """A cell as text; None for NULL, NaN and ""."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value)
    return text or None


def _none_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns with None for missing (not NaN), so tables show them blank."""
    out = frame.copy()
    for col in out.columns:
        kind = out[col].dtype
        if not (pd.api.types.is_numeric_dtype(kind) or pd.api.types.is_bool_dtype(kind)):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out
