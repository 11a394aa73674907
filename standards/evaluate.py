"""Evaluating the guild's standards against one snapshot: one row per (repository, standard).

Pure pandas over a `store.frames.SnapshotFrames`; the same code serves the dashboard (a whole
snapshot from the store) and `guildboard check` (one repository on disk, through
`store.frames.frames_from_records`). Each rule kind has one evaluator in `EVALUATORS`, working on
all applicable repositories at once; what is per value (a version, a glob, an action reference) is
worked out once per distinct value, so 5,000 repositories cost a few vectorised passes per
standard, not a loop over facts.

- Every (repository, standard) gets a row, also when the standard does not apply (status
  `not-applicable`, `detail` says why): a table of results is complete, never silently short.
- `applies_to` conditions all hold for a repository the standard applies to. Repository globs
  (`repos`, `exclude_repos`, a waiver's `repo`) are fnmatch patterns on the full name, compared
  case-insensitively as GitHub does; `languages` compares the main language (most counted bytes)
  case-insensitively; `topics` needs one topic in common, case-insensitively. Archived
  repositories are not applicable unless `applies_to.archived` is true.
- A rule that raises while evaluating gives `error` rows with the exception's text, never a
  crash; when the error comes from one repository's data, only that repository gets it (the
  evaluator is run again on halves of the repositories until the culprit is found).
- A failing row matched by a waiver (its standard, and its repository glob or team) becomes
  `waived` while `today <= expires` (the expiry day is the waiver's last, in UTC); after that the
  row stays `fail` with the waiver's columns filled and `waiver_expired` true, so the meeting sees
  it. Waived is never passed. When several waivers match, one that holds beats one that expired,
  then the later expiry wins.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from standards.load import ecosystem_of
from standards.model import (
    ActionsPinnedRule,
    BuildHealthRule,
    CiProviderRule,
    DependencyRule,
    DependencySpec,
    FileExistsRule,
    MaxPerCategoryRule,
    Standard,
    Standards,
    TechnologyRingRule,
    VersionRule,
)
from standards.versions import Constraint, Version, parse_constraint, parse_version
from store.frames import SnapshotFrames

#: The columns of `evaluate`'s frame, in order. Text columns hold Python strings ("" when there is
#: nothing to say); the waiver columns None when no waiver matched; `waiver_expires` a `date`.
#: `archived` lets `standards.levels` leave archived repositories out of levels and roll-ups.
RESULT_COLUMNS = (
    "repo",
    "team",
    "standard",
    "title",
    "level",
    "severity",
    "status",
    "detail",
    "evidence",
    "found",
    "target",
    "waiver_reason",
    "waiver_approver",
    "waiver_expires",
    "waiver_expired",
    "archived",
)
#: What an evaluator returns per repository; a repository it returns no row for passes.
OUTCOME_COLUMNS = ("repo", "status", "detail", "evidence", "found", "target")
#: The ring of a technology the radar does not list.
UNREVIEWED = "unreviewed"
#: Repositories whose errors are told apart one by one; past that, the rest of an erroring set
#: gets the first error's text, so an evaluator failing everywhere is not rerun per repository.
ERROR_BUDGET = 32

_SHA = re.compile(r"[0-9a-fA-F]{40}")
_MAJOR = re.compile(r"v?(\d+)(?:[.\-+]|$)", re.IGNORECASE)


# --- the evaluation ------------------------------------------------------------------------------------


def utc_today(moment: datetime | None = None) -> date:
    """The day waivers and reviews are judged on: the UTC date, wherever the machine or the
    meeting is, so one snapshot gives one answer in Sydney and in San Francisco."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("a moment without a time zone is ambiguous")
    return moment.astimezone(UTC).date()


def evaluate(standards: Standards, frames: SnapshotFrames, *, today: date) -> pd.DataFrame:
    """One row per (repository, standard): status pass, fail, waived, not-applicable or error.

    Columns `RESULT_COLUMNS`; rows by repository name, then standards in the file's order.
    `detail` says what was found in words, `evidence` the file it was found in ("" for a finding
    about the whole repository), `found` and `target` the values compared (a version and its
    constraint, the technologies used and the ones chosen, ...).
    """
    ctx = Context(standards, frames, today)
    stds = standards.standards
    n = len(ctx.index)
    if not stds or not n:
        return _empty_results()
    blocks = [_evaluate_standard(std, ctx) for std in stds]
    cols = {c: np.concatenate([b[c] for b in blocks]) for c in ("status", "detail", "evidence", "found", "target")}
    waivers = _waivers(standards, ctx, cols["status"], today)
    # blocks are standard after standard; the frame lists repository after repository
    order = np.arange(len(stds) * n).reshape(len(stds), n).T.ravel()

    def per_standard(values: list[Any]) -> np.ndarray:
        return np.repeat(np.array(values, dtype=object), n)[order]

    data = {
        "repo": np.tile(ctx.names, len(stds))[order],
        "team": np.tile(ctx.team, len(stds))[order],
        "standard": per_standard([s.id for s in stds]),
        "title": per_standard([s.title for s in stds]),
        "level": per_standard([s.level for s in stds]),
        "severity": per_standard([s.severity for s in stds]),
        **{c: cols[c][order] for c in ("status", "detail", "evidence", "found", "target")},
        **{c: waivers[c][order] for c in ("waiver_reason", "waiver_approver", "waiver_expires")},
    }
    out = pd.DataFrame({c: pd.Series(v, dtype=object, copy=False) for c, v in data.items()})
    out["waiver_expired"] = waivers["waiver_expired"][order]
    out["archived"] = np.tile(ctx.archived, len(stds))[order]
    return out[list(RESULT_COLUMNS)]


def technology_rings(standards: Standards, frames: SnapshotFrames) -> pd.DataFrame:
    """Every technology in use per repository with its radar ring or "unreviewed": repo, team,
    technology, category, version, ring.

    One row per (repository, technology, version): a monorepo on two versions shows both. Archived
    repositories are left out: their technologies are not in use.
    """
    ctx = Context(standards, frames, None)
    techs = ctx.rows("technologies", ctx.index[~ctx.archived])
    out = pd.DataFrame(
        {
            "repo": techs["repo"],
            "team": ctx.team[techs["_code"].to_numpy()],
            "technology": techs["name"],
            "category": techs["category"],
            "version": techs["version"].astype(object).where(techs["version"].notna(), None),
            "ring": ctx.rings(techs),
        }
    )
    out = out.drop_duplicates(["repo", "technology", "version"])
    out = out.sort_values(["repo", "technology", "version"], kind="stable", na_position="first")
    return out.reset_index(drop=True)


def main_languages(frames: SnapshotFrames) -> pd.Series:
    """Repository -> the language with most counted bytes (ties: the first by name); None when the
    repository has no counted language. Indexed by every repository of the snapshot."""
    langs = frames.languages
    langs = langs[langs["counted"] & (langs["bytes"] > 0)]
    top = langs.sort_values(["repo", "bytes", "language"], ascending=[True, False, True], kind="stable")
    top = top.drop_duplicates("repo").set_index("repo")["language"]
    repos = pd.Index(frames.repos["repo"], name="repo")
    return top.reindex(repos).astype(object).where(lambda s: s.notna(), None).rename("main_language")


class Context:
    """One evaluation's view of the snapshot: the repositories (sorted by name) with their team,
    archived flag and main language as arrays, and each fact table's rows located by repository
    position (`_code`), so selecting the rows of a set of repositories is one array lookup."""

    def __init__(self, standards: Standards, frames: SnapshotFrames, today: date | None) -> None:
        self.standards = standards
        self.frames = frames
        self.today = today
        repos = frames.repos.sort_values("repo", kind="stable")
        self.index = pd.Index(repos["repo"].to_numpy(dtype=object), dtype=object, name="repo")
        self.names = self.index.to_numpy()
        self.team = repos["team"].to_numpy(dtype=object)
        self.archived = repos["archived"].to_numpy(dtype=bool)
        self.main_language = main_languages(frames).reindex(self.index).to_numpy(dtype=object)
        self._topics = repos["topics"].to_numpy(dtype=object)
        self._tables: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        """A fact table of the snapshot with `_code`, the position of each row's repository."""
        if name not in self._tables:
            frame = getattr(self.frames, name)
            codes = self.index.get_indexer(frame["repo"].to_numpy(dtype=object))
            self._tables[name] = frame.assign(_code=codes)[codes >= 0]
        return self._tables[name]

    def mask(self, repos: pd.Index) -> np.ndarray:
        """Booleans by repository position: which are in `repos`."""
        out = np.zeros(len(self.index), dtype=bool)
        out[self.index.get_indexer(repos)] = True
        return out

    def rows(self, name: str, repos: pd.Index, where: Callable[[pd.DataFrame], Any] | None = None) -> pd.DataFrame:
        """The rows of a fact table about these repositories (and for which `where` holds: a
        condition on the whole table, cheaper than filtering twice)."""
        frame = self.table(name)
        keep = self.mask(repos)[frame["_code"].to_numpy()]
        if where is not None:
            keep &= np.asarray(where(frame), dtype=bool)
        return frame[keep]

    @cached_property
    def topics(self) -> list[set[str]]:
        """Each repository's topics, lower-cased (none when the stored JSON list is unreadable)."""

        def read(text: Any) -> set[str]:
            try:
                topics = json.loads(text) if isinstance(text, str) else []
            except ValueError:
                return set()
            return {str(t).lower() for t in topics} if isinstance(topics, list) else set()

        return [read(text) for text in self._topics]

    def rings(self, techs: pd.DataFrame) -> np.ndarray:
        """The radar ring (or `UNREVIEWED`) of each technology row."""
        radar = self.standards.radar
        return _per_value(techs["name"], lambda n: radar[n].ring if n in radar else UNREVIEWED)

    def hygiene_present(self, item: str) -> tuple[np.ndarray, np.ndarray]:
        """(repository positions, paths) of one hygiene item where it is present."""
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
        return self._hygiene_present.get(item, empty)

    @cached_property
    def _hygiene_present(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        hyg = self.table("hygiene")
        hyg = hyg[hyg["present"].to_numpy(dtype=bool)]
        items = hyg["item"].to_numpy(dtype=object)
        codes, paths = hyg["_code"].to_numpy(), hyg["path"].to_numpy(dtype=object)
        return {k: (codes[items == k], paths[items == k]) for k in pd.unique(items)}

    @cached_property
    def known_paths(self) -> pd.DataFrame:
        """repo, path, _code: every file the collection recorded a fact about (see `file_exists`)."""
        hyg = self.table("hygiene")
        sources = [
            (hyg[hyg["present"]], "path"),
            (self.table("ci_files"), "path"),
            (self.table("actions"), "path"),
            (self.table("docker_images"), "path"),
            (self.table("dependencies"), "manifest"),
            (self.table("runtimes"), "evidence"),
            (self.table("technologies"), "evidence"),
            (self.table("warnings"), "path"),
        ]
        parts = [
            pd.DataFrame({"repo": f["repo"].to_numpy(dtype=object), "path": f[col].to_numpy(dtype=object),
                          "_code": f["_code"].to_numpy()})
            for f, col in sources
        ]  # fmt: skip
        paths = pd.concat(parts, ignore_index=True)
        paths = paths[np.array([isinstance(p, str) and p != "" for p in paths["path"]], dtype=bool)]
        return paths.drop_duplicates(["_code", "path"]).reset_index(drop=True)


Evaluator = Callable[[Any, Context, pd.Index, pd.Index], pd.DataFrame]
"""(rule, context, applicable, repos) -> outcomes (`OUTCOME_COLUMNS`) about `repos`.

`applicable` holds every repository the standard applies to (a rule comparing repositories, such
as max-per-category, ranks over it); `repos` the ones to report on, a subset of it. A repository of
`repos` the evaluator returns no row for passes."""


def _evaluate_standard(std: Standard, ctx: Context) -> dict[str, np.ndarray]:
    """Outcome columns by repository position."""
    applies, why_not = _applicability(std, ctx)
    applicable = ctx.index[applies]
    n = len(ctx.index)
    status = np.where(applies, "pass", "not-applicable").astype(object)
    detail = np.where(applies, "", why_not).astype(object)
    cols = {"status": status, "detail": detail, **{c: np.full(n, "", dtype=object) for c in OUTCOME_COLUMNS[3:]}}
    decided = _run(EVALUATORS[std.rule.kind], std.rule, ctx, applicable)
    if len(decided):
        decided = decided.drop_duplicates("repo", keep="first")
        pos = ctx.index.get_indexer(decided["repo"].to_numpy(dtype=object))
        keep = pos >= 0
        keep[keep] = applies[pos[keep]]  # an evaluator speaks only of applicable repositories
        for c in OUTCOME_COLUMNS[1:]:
            values = decided[c].to_numpy(dtype=object, copy=True)
            values[pd.isna(values)] = ""
            cols[c][pos[keep]] = values[keep]
    return cols


def _run(evaluator: Evaluator, rule: Any, ctx: Context, applicable: pd.Index) -> pd.DataFrame:
    """The evaluator's outcomes; an exception becomes `error` rows for the repositories causing it."""
    try:
        return _checked(evaluator(rule, ctx, applicable, applicable))
    except Exception as err:  # a rule must never stop an evaluation
        first = err
    try:
        _checked(evaluator(rule, ctx, applicable, applicable[:0]))
    except Exception as err:  # fails with no repository at all: the rule itself is at fault
        return _errors(applicable, err)
    found: list[pd.DataFrame] = []
    budget = [ERROR_BUDGET]

    def bisect(repos: pd.Index) -> None:
        if budget[0] <= 0:
            found.append(_errors(repos, first))
            return
        try:
            found.append(_checked(evaluator(rule, ctx, applicable, repos)))
        except Exception as err:
            if len(repos) == 1:
                budget[0] -= 1
                found.append(_errors(repos, err))
            else:
                bisect(repos[: len(repos) // 2])
                bisect(repos[len(repos) // 2 :])

    bisect(applicable)
    return pd.concat(found, ignore_index=True) if found else _outcomes([], "pass")


def _checked(out: pd.DataFrame) -> pd.DataFrame:
    missing = set(OUTCOME_COLUMNS) - set(out.columns)
    if missing:
        raise TypeError(f"evaluator returned no {', '.join(sorted(missing))}")
    return out[list(OUTCOME_COLUMNS)]


def _errors(repos: Iterable[str], err: Exception) -> pd.DataFrame:
    return _outcomes(list(repos), "error", detail=f"{type(err).__name__}: {err}")


def _outcomes(
    repo: Any, status: Any, *, detail: Any = "", evidence: Any = "", found: Any = "", target: Any = ""
) -> pd.DataFrame:
    """Outcome rows from columns (lists, arrays, Series) or scalars."""

    def plain(v: Any) -> Any:
        return v.tolist() if isinstance(v, pd.Series | pd.Index | np.ndarray) else v

    repo = list(plain(repo))
    cols = {"status": status, "detail": detail, "evidence": evidence, "found": found, "target": target}
    return pd.DataFrame({"repo": repo, **{k: plain(v) for k, v in cols.items()}}, columns=list(OUTCOME_COLUMNS),
                        dtype=object)  # fmt: skip


def _empty_results() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS})
    return out.astype({"waiver_expired": bool, "archived": bool})


# --- small vectorised helpers ----------------------------------------------------------------------------


def _per_value(values: pd.Series | np.ndarray, fn: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
    """`fn` of each value, computed once per distinct value (None and NaN are given as None)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    results = np.array([fn(u) for u in uniques] + [fn(None)], dtype=dtype)
    return results[codes]  # the sentinel -1 picks fn(None), the last


def _glob_regex(globs: Sequence[str], *, ignore_case: bool = True) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{fnmatch.translate(g)})" for g in globs), re.IGNORECASE if ignore_case else 0)


def _glob_mask(values: pd.Series | np.ndarray, globs: Sequence[str], *, ignore_case: bool = True) -> np.ndarray:
    """Which values match one of the fnmatch globs."""
    rx = _glob_regex(globs, ignore_case=ignore_case)
    return _per_value(values, lambda v: v is not None and rx.match(str(v)) is not None, bool)


def _joined(keys: Iterable[Any], values: Iterable[Any], sep: str = ", ") -> dict[Any, str]:
    """Key -> its distinct values joined in order of appearance (a groupby join, without pandas'
    per-group overhead)."""
    out: dict[Any, list[str]] = {}
    for k, v in zip(keys, values, strict=True):
        seen = out.setdefault(k, [])
        if v not in seen:
            seen.append(v)
    return {k: sep.join(str(x) for x in vs) for k, vs in out.items()}


def _first(keys: Iterable[Any], values: Iterable[Any]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for k, v in zip(keys, values, strict=True):
        out.setdefault(k, v)
    return out


def _text(value: Any) -> str:
    """ "" for None and NaN, else the text."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _and(items: Iterable[str]) -> str:
    return ", ".join(str(i) for i in items)


def _missing(repos: pd.Index, present: Iterable[str]) -> pd.Index:
    """The repositories of `repos` not among `present`."""
    return repos[~repos.isin(pd.unique(np.asarray(list(present), dtype=object)))]


# --- applicability -------------------------------------------------------------------------------------


def _applicability(std: Standard, ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """(applies, why not) by repository position: booleans, and the first unmet condition in words."""
    cond = std.applies_to
    why = np.full(len(ctx.index), "", dtype=object)

    def unmet(mask: np.ndarray, text: np.ndarray | str) -> None:
        sel = mask & (why == "")
        why[sel] = text[sel] if isinstance(text, np.ndarray) else text

    if not cond.archived:
        unmet(ctx.archived, "archived")
    if cond.teams:
        unmet(
            ~pd.Series(ctx.team).isin(cond.teams).to_numpy(), "team " + ctx.team + f" is not one of {_and(cond.teams)}"
        )
    if cond.repos:
        unmet(~_glob_mask(ctx.names, cond.repos), f"the name matches none of {_and(cond.repos)}")
    if cond.exclude_repos:
        unmet(_glob_mask(ctx.names, cond.exclude_repos), f"excluded by {_and(cond.exclude_repos)}")
    if cond.languages:
        wanted = {lang.lower() for lang in cond.languages}
        lang = ctx.main_language
        known = np.array([x is not None for x in lang], dtype=bool)
        unmet(~known, f"no main language (wanted {_and(cond.languages)})")
        said = np.array([f"main language {x} is not one of {_and(cond.languages)}" for x in lang], dtype=object)
        unmet(known & ~_per_value(lang, lambda x: x is not None and str(x).lower() in wanted, bool), said)
    if cond.topics:
        wanted_topics = {t.lower() for t in cond.topics}
        has = np.array([bool(ts & wanted_topics) for ts in ctx.topics], dtype=bool)
        unmet(~has, f"no topic of {_and(cond.topics)}")
    return why == "", why


# --- technology-ring -----------------------------------------------------------------------------------


def technology_ring(rule: TechnologyRingRule, ctx: Context, applicable: pd.Index, repos: pd.Index) -> pd.DataFrame:
    """Fail on a technology in a forbidden ring, or (with `unreviewed`) one the radar does not list;
    `found` names them, `evidence` is the first one's file."""
    categories = rule.categories
    techs = ctx.rows("technologies", repos, (lambda t: t["category"].isin(categories)) if categories else None)
    ring = ctx.rings(techs)
    bad = np.isin(ring, list(rule.forbid))
    if rule.unreviewed:
        bad |= ring == UNREVIEWED
    bad_rows = techs[bad].assign(ring=ring[bad])
    bad_rows = bad_rows.sort_values(["_code", "name", "evidence"], kind="stable").drop_duplicates(["_code", "name"])
    if bad_rows.empty:
        return _outcomes([], "pass")
    radar = ctx.standards.radar

    def say(name: str, ring: str) -> str:
        if ring == UNREVIEWED:
            return f"{name} is not on the radar"
        entry = radar[name]
        return f"{name} is on {ring}" + (f": move to {entry.replace_with}" if entry.replace_with else "")

    names, keys = bad_rows["name"].tolist(), bad_rows["repo"].tolist()
    said = [say(n, r) for n, r in zip(names, bad_rows["ring"].tolist(), strict=True)]
    details, found = _joined(keys, said, "; "), _joined(keys, names)
    evidence = _first(keys, bad_rows["evidence"].tolist())
    failing = list(details)
    return _outcomes(failing, "fail", detail=[details[r] for r in failing], found=[found[r] for r in failing],
                     evidence=[_text(evidence[r]) for r in failing])  # fmt: skip


# --- version -------------------------------------------------------------------------------------------


def version(rule: VersionRule, ctx: Context, applicable: pd.Index, repos: pd.Index) -> pd.DataFrame:
    """Every use of the technology, runtime or base image on a version the constraint allows.

    - technology: the technologies frame's version, the rule's constraint or else the radar's, in
      the radar entry's ecosystem or else the technology's (`standards.load.ecosystem_of`);
    - runtime: the runtimes frame, by name (case-insensitive), loose semantics;
    - image: the docker_images frame, an image named the same after any registry and namespace
      (`eclipse-temurin` is also `docker.io/library/eclipse-temurin` and `registry/x/eclipse-temurin`),
      its tag as the version in loose semantics (`3.12-slim` is 3.12; `latest` is unknown).
    Used several times (a monorepo, a multi-stage Dockerfile): every use must satisfy it, and the
    worst is reported (a failing one, lowest version first). Not used: not applicable. A use with no
    known version (none written, `latest`, a variable) follows `missing_version`.
    """
    if rule.technology:
        entry = ctx.standards.radar.get(rule.technology)
        text = rule.constraint or (entry.version if entry else None)
        ecosystem = ecosystem_of(rule.technology, ctx.standards)
        techs = ctx.rows("technologies", repos, lambda t: t["name"] == rule.technology)
        uses = pd.DataFrame(
            {"repo": techs["repo"], "version": techs["version"], "evidence": techs["evidence"], "what": rule.technology}
        )
    elif rule.runtime:
        text, ecosystem = rule.constraint, "generic"
        wanted = rule.runtime.lower()
        rts = ctx.rows("runtimes", repos, lambda t: _per_value(t["name"], lambda n: _text(n).lower() == wanted, bool))
        uses = pd.DataFrame({"repo": rts["repo"], "version": rts["version"], "evidence": rts["evidence"],
                             "what": rule.runtime})  # fmt: skip
    else:
        text, ecosystem = rule.constraint, "generic"
        imgs = ctx.rows("docker_images", repos, lambda t: _image_matches(t["image"], str(rule.image)))
        uses = pd.DataFrame({"repo": imgs["repo"], "version": imgs["tag"], "evidence": imgs["path"],
                             "what": imgs["image"]})  # fmt: skip
    if text is None:
        raise ValueError(f"no constraint for {rule.technology}: the rule gives none and the radar no version")
    constraint = parse_constraint(text, ecosystem)
    name = rule.technology or rule.runtime or rule.image
    out = [_outcomes(_missing(repos, uses["repo"]), "not-applicable", detail=f"{name} not used")]
    if uses.empty:
        return out[0]

    verdict, rank = _verdicts(uses["version"], constraint, ecosystem)
    # state: 0 fails, 1 unknown when unknown fails, 2 satisfies, 3 unknown when unknown passes
    unknown_state = 1 if rule.missing_version == "fail" else 3
    state = np.array([unknown_state if ok is None else (2 if ok else 0) for ok in verdict], dtype=np.int64)
    uses = uses.assign(state=state, rank=rank, failing=state <= 1)
    counts = uses.groupby("repo", sort=False)["failing"].agg(["sum", "size"])
    worst = uses.sort_values(["repo", "state", "rank"], kind="stable").drop_duplicates("repo")
    failing_n = counts["sum"].reindex(worst["repo"]).tolist()
    total_n = counts["size"].reindex(worst["repo"]).tolist()

    status, detail, found = [], [], []
    for st, what, shown, evidence, bad, size in zip(
        worst["state"].tolist(), worst["what"].tolist(), worst["version"].tolist(), worst["evidence"].tolist(),
        failing_n, total_n, strict=True,
    ):  # fmt: skip
        shown, where = _text(shown), f" ({evidence})" if _text(evidence) else ""
        label = f"{what} {shown}" if shown else str(what)
        many = f"; {bad} of {size} uses fail" if size > 1 and bad else (f"; all {size} uses" if size > 1 else "")
        if st == 0:
            status.append("fail")
            detail.append(f"{label} does not satisfy {text}{where}{many}")
        elif st == 1:
            status.append("fail")
            detail.append(f"{label}: version not known{where}{many}")
        elif st == 2:
            status.append("pass")
            detail.append(f"{label} satisfies {text}{where}{many}")
        else:
            status.append("pass")
            detail.append(f"{label}: version not known, which this standard allows{where}")
        found.append(shown)
    out.append(_outcomes(worst["repo"], status, detail=detail, evidence=worst["evidence"], found=found, target=text))
    return pd.concat(out, ignore_index=True)


def _verdicts(texts: pd.Series, constraint: Constraint, ecosystem: str) -> tuple[list[bool | None], np.ndarray]:
    """Per version text: whether the constraint allows it (None: no version known, or the constraint
    cannot tell) and its rank among the texts (lowest version 0, unknown last). A text is parsed as
    `parse_version` reads it: a declared range stands for the lowest version it allows."""
    codes, uniques = pd.factorize(np.asarray(texts, dtype=object), use_na_sentinel=True)
    parsed: list[Version | None] = [parse_version(str(u), ecosystem) if isinstance(u, str) else None for u in uniques]
    allows = [constraint.allows(v) if v is not None else None for v in parsed]
    known = sorted((i for i, v in enumerate(parsed) if v is not None), key=lambda i: parsed[i])
    ranks = np.full(len(uniques) + 1, len(known), dtype=np.int64)
    ranks[known] = np.arange(len(known))
    allows.append(None)  # the sentinel -1: no text at all
    return [allows[c] for c in codes], ranks[codes]


def _normal_image(name: str) -> str:
    name = name.strip().lower()
    for prefix in ("docker.io/", "index.docker.io/", "registry-1.docker.io/"):
        name = name.removeprefix(prefix)
    return name.removeprefix("library/")


def _image_matches(images: pd.Series, wanted: str) -> np.ndarray:
    """`python` matches `python`, `docker.io/library/python` and `registry.example.com/python`."""
    want = _normal_image(wanted)

    def same(image: Any) -> bool:
        n = _normal_image(image) if isinstance(image, str) else ""
        return n == want or n.endswith("/" + want)

    return _per_value(images, same, bool)


# --- max-per-category ----------------------------------------------------------------------------------


def max_per_category(rule: MaxPerCategoryRule, ctx: Context, applicable: pd.Index, repos: pd.Index) -> pd.DataFrame:
    """A repository fails when it uses a technology of the category outside the `max` most used in
    its scope (its team, or the organisation; per main language with `per_language`).

    Counted: the repositories using each technology among the applicable, non-archived ones; ties
    are broken by name, so the choice is stable. A repository using none of the category: not
    applicable.
    """
    techs = ctx.rows("technologies", applicable, lambda t: t["category"] == rule.category)
    code = techs["_code"].to_numpy()
    scope = ctx.team[code] if rule.scope == "team" else np.full(len(code), "", dtype=object)
    lang = ctx.main_language[code] if rule.per_language else np.full(len(code), None, dtype=object)
    techs = pd.DataFrame({"repo": techs["repo"].to_numpy(dtype=object), "name": techs["name"].to_numpy(dtype=object),
                          "evidence": techs["evidence"].to_numpy(dtype=object), "_code": code,
                          "_scope": scope, "_lang": np.array([_text(x) for x in lang], dtype=object)})  # fmt: skip
    keys = ["_scope", "_lang"]

    counted = techs[~ctx.archived[code]].drop_duplicates(["_code", "name"])
    counts = counted.groupby([*keys, "name"], as_index=False).size()
    counts = counts.sort_values([*keys, "size", "name"], ascending=[True, True, False, True], kind="stable")
    allowed = counts[counts.groupby(keys).cumcount() < rule.max]
    a_scope, a_lang, a_name = allowed["_scope"].tolist(), allowed["_lang"].tolist(), allowed["name"].tolist()
    choices = _joined(zip(a_scope, a_lang, strict=True), a_name)
    ok_pairs = set(zip(a_scope, a_lang, a_name, strict=True))

    mine = techs[ctx.mask(repos)[code]].sort_values(["repo", "name"], kind="stable")
    out = [_outcomes(_missing(repos, mine["repo"]), "not-applicable", detail=f"uses no {rule.category}")]
    if mine.empty:
        return out[0]
    m_repo, m_name = mine["repo"].tolist(), mine["name"].tolist()
    m_key = list(zip(mine["_scope"].tolist(), mine["_lang"].tolist(), strict=True))
    inside = [(*k, n) in ok_pairs for k, n in zip(m_key, m_name, strict=True)]
    outside = [i for i, ok in enumerate(inside) if not ok]
    out_names = _joined([m_repo[i] for i in outside], [m_name[i] for i in outside])
    m_evidence = mine["evidence"].tolist()
    out_evidence = _first([m_repo[i] for i in outside], [m_evidence[i] for i in outside])
    used = _joined(m_repo, m_name)
    key_of = _first(m_repo, m_key)
    whose = "the team's" if rule.scope == "team" else "the organisation's"
    rows = []
    for repo, (sc, lg) in key_of.items():
        picked = choices.get((sc, lg), "")
        where = "" if not rule.per_language else (f" for {lg}" if lg else " for repositories without a main language")
        if repo in out_names:
            are = f"{whose} choices{where} are {picked or 'none yet'}"
            rows.append((repo, "fail", f"uses {out_names[repo]}; {are}", _text(out_evidence[repo]), out_names[repo],
                         picked))  # fmt: skip
        else:
            rows.append((repo, "pass", f"uses {used[repo]}, among {whose} choices{where}", "", used[repo], picked))
    out.append(pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS), dtype=object))
    return pd.concat(out, ignore_index=True)


# --- file-exists ---------------------------------------------------------------------------------------


def file_exists(rule: FileExistsRule, ctx: Context, applicable: pd.Index, repos: pd.Index) -> pd.DataFrame:
    """At least one of `paths` is there; the first entry found gives `evidence`.

    A snapshot does not hold every file of a repository, only those it recorded facts about, so:
    - `hygiene:<item>` (`hygiene:readme`, `hygiene:license`, `hygiene:codeowners`, ..., the keys of
      `collectors.detectors.hygiene.KEYS`; `-` and `_` alike) asks the hygiene detector, which
      looks where the tools do (a README in `.github/`, the root or `docs/`, in any case). Prefer these.
    - any other entry is an fnmatch glob (case-sensitive; `*` also crosses `/`) matched against the
      paths the snapshot knows: present hygiene files, CI files and workflows, Dockerfiles,
      dependency manifests and lock files, the files runtimes and technologies were read from, and
      files with warnings. `Makefile` or `docs/adr/*` are none of these and never match.
    """
    from collectors.detectors.hygiene import KEYS

    n = len(ctx.index)
    wanted = ctx.mask(repos)
    hit_path = np.full(n, None, dtype=object)
    hit_entry = np.full(n, None, dtype=object)
    for entry in rule.paths:
        if entry.startswith("hygiene:"):
            item = entry.removeprefix("hygiene:").strip().lower().replace("-", "_")
            if item not in KEYS:
                raise ValueError(f"unknown hygiene item {item!r}; known: {', '.join(KEYS)}")
            codes, paths = ctx.hygiene_present(item)
        else:
            known = ctx.known_paths
            known = known[_glob_mask(known["path"], [entry], ignore_case=False)].sort_values("path", kind="stable")
            codes, paths = known["_code"].to_numpy(), known["path"].to_numpy(dtype=object)
        new = wanted[codes] & (hit_entry[codes] == None)  # noqa: E711 - elementwise
        codes, paths = codes[new], paths[new]
        codes, first = np.unique(codes, return_index=True)  # the first path (by name) per repository
        hit_path[codes] = [_text(p) for p in paths[first]]
        hit_entry[codes] = entry
    found = wanted & (hit_entry != None)  # noqa: E711 - elementwise
    target = _and(rule.paths)
    said = [f"{e}: {p}" if p else e for e, p in zip(hit_entry[found], hit_path[found], strict=True)]
    passing = _outcomes(ctx.names[found], "pass", detail=said, evidence=hit_path[found], found=hit_path[found],
                        target=target)  # fmt: skip
    failing = _outcomes(ctx.names[wanted & ~found], "fail", detail=f"none of {target} found", target=target)
    return pd.concat([passing, failing], ignore_index=True)


# --- ci-provider ---------------------------------------------------------------------------------------


def ci_provider(rule: CiProviderRule, ctx: Context, applicable: pd.Index, repos: pd.Index) -> pd.DataFrame:
    """Some CI; with `allowed`, at least one of the repository's providers is allowed (providers
    compared case-insensitively)."""
    ci = ctx.rows("ci_files", repos).sort_values(["repo", "provider", "path"], kind="stable")
    allowed = {a.lower() for a in rule.allowed}
    ok = _per_value(ci["provider"], lambda p: not allowed or str(p).lower() in allowed, bool)
    keys = ci["repo"].tolist()
    providers = _joined(keys, ci["provider"].tolist())
    any_ok = set(ci["repo"][ok])
    first_path = _first(keys, ci["path"].tolist())
    target = _and(rule.allowed)
    rows = [
        (r, "pass", f"CI on {p}", "", p, target)
        if r in any_ok
        else (r, "fail", f"CI on {p}; allowed: {target}", _text(first_path[r]), p, target)
        for r, p in providers.items()
    ]
    return pd.concat(
        [
            _outcomes(_missing(repos, providers), "fail", detail="no CI configured", target=target),
            pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS), dtype=object),
        ],
        ignore_index=True,
    )


# --- actions-pinned ------------------------------------------------------------------------------------


def actions_pinned(rule: ActionsPinnedRule, ctx: Context, applicable: pd.Index, repos: pd.Index) -> pd.DataFrame:
    """Every `uses:` of another repository's action pinned: to a 40-hex commit sha (`mode: sha`), or
    to a version tag whose major is at least `min_major` for that action (`mode: major`, where a
    sha is accepted too, being stricter; a branch is not). Local (`./`) and `docker://` actions and
    the `ignore` globs are left alone; no action left: not applicable.

    `min_major` keys name an action with or without its owner (`actions/checkout` or `checkout`);
    a sub-action (`github/codeql-action/init`) is its repository's (`github/codeql-action`).
    """
    acts = ctx.rows("actions", repos)
    acts = acts[acts["action"].notna()]
    keep = ~_per_value(acts["action"], lambda a: str(a).startswith(("./", "docker://")), bool)
    if rule.ignore:
        keep &= ~_glob_mask(acts["action"], rule.ignore)
    acts = acts[keep]
    out = [_outcomes(_missing(repos, acts["repo"]), "not-applicable", detail="no GitHub Actions used")]
    if acts.empty:
        return out[0]
    pairs = list(zip(acts["action"].tolist(), acts["ref"].tolist(), strict=True))
    uses = [f"{a}@{r}" if isinstance(r, str) and r else str(a) for a, r in pairs]
    problem = _per_value(
        np.array([f"{a}\0{_text(r)}" for a, r in pairs], dtype=object),
        lambda key: _action_problem(*key.split("\0"), rule) if key else "",
    )
    bad = acts.assign(uses=uses, problem=problem)[problem != ""]
    bad = bad.sort_values(["repo", "path", "action"], kind="stable").drop_duplicates(["repo", "uses"])
    if not bad.empty:
        keys = bad["repo"].tolist()
        detail, found = _joined(keys, bad["problem"].tolist(), "; "), _joined(keys, bad["uses"].tolist())
        evidence = _first(keys, bad["path"].tolist())
        target = "a commit sha" if rule.mode == "sha" else _and(f"{k}@v{v}" for k, v in rule.min_major.items())
        failing = list(detail)
        out.append(_outcomes(failing, "fail", detail=[detail[r] for r in failing], found=[found[r] for r in failing],
                             evidence=[evidence[r] for r in failing], target=target or "a version"))  # fmt: skip
    return pd.concat(out, ignore_index=True)


def _action_problem(action: str, ref: str, rule: ActionsPinnedRule) -> str:
    """What is wrong with one `uses:`, "" when nothing is."""
    uses = f"{action}@{ref}" if ref else action
    if not ref:
        return f"{uses} is not pinned"
    if _SHA.fullmatch(ref):
        return ""
    if rule.mode == "sha":
        return f"{uses} is not pinned to a commit sha"
    m = _MAJOR.match(ref)
    if not m:
        return f"{uses} is not pinned to a version"
    lowest = _min_major(action, rule.min_major)
    if lowest is not None and int(m.group(1)) < lowest:
        return f"{uses} is below v{lowest}"
    return ""


def _min_major(action: str, table: dict[str, int]) -> int | None:
    parts = action.lower().split("/")
    owner_repo = "/".join(parts[:2])
    repo = parts[1] if len(parts) > 1 else parts[0]
    for key, major in table.items():
        key = key.strip().lower()
        if key in (owner_repo, action.lower()) or ("/" not in key and key == repo):
            return major
    return None


# --- build-health --------------------------------------------------------------------------------------


def build_health(rule: BuildHealthRule, ctx: Context, applicable: pd.Index, repos: pd.Index) -> pd.DataFrame:
    """The default branch's build: green now (`require_green`; pending is not green), every
    workflow's success rate at least `min_success_rate` (the worst workflow decides: one flaky
    workflow is enough to block a release), and a green within `max_days_since_green` days of
    `today` (a branch green now was green today; otherwise the newest `last_success_at` of its
    workflows).

    No build health for a repository (a local clone), or its state `unknown`: `unknown` decides.
    A repository with no workflow success rate (no completed runs, CI outside Actions) is not held
    to `min_success_rate`.
    """
    bh = ctx.rows("build_health", repos).drop_duplicates("repo")
    known = bh[bh["state"] != "unknown"]
    no_data = _missing(repos, known["repo"])
    out = [_outcomes(no_data, rule.unknown, detail="build health not known")]
    if known.empty:
        return out[0]

    wf = ctx.rows("workflows", pd.Index(known["repo"].to_numpy(dtype=object)))
    rated = wf[wf["success_rate"].notna()].sort_values(["repo", "success_rate", "workflow"], kind="stable")
    worst = rated.drop_duplicates("repo").set_index("repo")
    worst_rate = worst["success_rate"].to_dict()
    worst_name, worst_path = worst["workflow"].to_dict(), worst["path"].to_dict()
    greens = pd.to_datetime(wf["last_success_at"], utc=True, format="ISO8601")
    newest = greens.groupby(wf["repo"].to_numpy(dtype=object)).max()
    today = pd.Timestamp(ctx.today or date.today())
    days_since = {r: (today - ts.tz_localize(None).normalize()).days for r, ts in newest.items() if pd.notna(ts)}

    rows = []
    target = _build_target(rule)
    for repo, state, reason in zip(known["repo"].tolist(), known["state"].tolist(), known["reason"].tolist(),
                                   strict=True):  # fmt: skip
        problems, evidence = [], ""
        if rule.require_green and state != "green":
            problems.append(f"the default branch is {state}: {reason}")
        rate = worst_rate.get(repo)
        if rule.min_success_rate is not None and rate is not None and rate < rule.min_success_rate:
            problems.append(f"{worst_name[repo]} succeeds in {rate:.0%} of its runs, below {rule.min_success_rate:.0%}")
            evidence = _text(worst_path[repo])
        if rule.max_days_since_green is not None:
            days = 0 if state == "green" else days_since.get(repo)
            if days is None:
                problems.append("no green run seen")
            elif days > rule.max_days_since_green:
                problems.append(f"last green {days} days ago, more than {rule.max_days_since_green}")
        status = "fail" if problems else "pass"
        rows.append((repo, status, "; ".join(problems) or f"the default branch is {state}", evidence, state, target))
    out.append(pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS), dtype=object))
    return pd.concat(out, ignore_index=True)


def _build_target(rule: BuildHealthRule) -> str:
    parts = ["green"] if rule.require_green else []
    if rule.min_success_rate is not None:
        parts.append(f"success rate >= {rule.min_success_rate:.0%}")
    if rule.max_days_since_green is not None:
        parts.append(f"green within {rule.max_days_since_green} days")
    return ", ".join(parts)


# --- dependency ----------------------------------------------------------------------------------------


def dependency(rule: DependencyRule, ctx: Context, applicable: pd.Index, repos: pd.Index) -> pd.DataFrame:
    """No banned dependency; every required one.

    A spec matches by ecosystem and name glob (names compared as the catalog does: case folded,
    PyPI names PEP 503-normalised). `versions` narrows it to the versions the constraint allows,
    read from the resolved version when a lock file gave one, else from the lowest the declared
    range allows. A dependency whose version is not known matches no version-limited spec: it is
    not reported as banned (only what is known to be banned is), nor does it meet a requirement.
    """
    from collectors.catalog import normalise_name

    deps = ctx.rows("dependencies", repos)
    ecosystems = _per_value(deps["ecosystem"], lambda e: _text(e).strip().lower())

    def matching(spec: DependencySpec) -> pd.DataFrame:
        eco = spec.ecosystem.strip().lower()
        mine = deps[ecosystems == eco]
        rx = _glob_regex([normalise_name(eco, spec.name)])
        mine = mine[_per_value(mine["name"], lambda n: n is not None and bool(rx.match(normalise_name(eco, n))), bool)]
        if spec.versions and not mine.empty:
            constraint = parse_constraint(spec.versions, eco)
            text = mine["resolved"].where(mine["resolved"].notna(), mine["declared"])
            verdict, _ = _verdicts(text, constraint, eco)
            mine = mine[np.array([ok is True for ok in verdict], dtype=bool)]
        return mine

    def spec_text(spec: DependencySpec) -> str:
        return f"{spec.ecosystem}:{spec.name}" + (f" {spec.versions}" if spec.versions else "")

    problems: dict[str, list[str]] = {}
    evidence: dict[str, str] = {}
    found: dict[str, list[str]] = {}
    for spec in rule.banned:
        hits = matching(spec).sort_values(["repo", "manifest", "name"], kind="stable").drop_duplicates("repo")
        for repo, eco, name, resolved, declared, manifest in zip(
            hits["repo"].tolist(), hits["ecosystem"].tolist(), hits["name"].tolist(), hits["resolved"].tolist(),
            hits["declared"].tolist(), hits["manifest"].tolist(), strict=True,
        ):  # fmt: skip
            version = _text(resolved) or _text(declared)
            said = f"{eco}:{name}" + (f" {version}" if version else "")
            problems.setdefault(repo, []).append(f"{said} is banned" + (f" ({spec.versions})" if spec.versions else ""))
            found.setdefault(repo, []).append(said)
            evidence.setdefault(repo, _text(manifest))
    for spec in rule.required:
        for repo in _missing(repos, matching(spec)["repo"]):
            problems.setdefault(repo, []).append(f"{spec_text(spec)} is required but missing")
    target = _and([f"no {spec_text(s)}" for s in rule.banned] + [spec_text(s) for s in rule.required])
    failing = list(problems)
    return _outcomes(
        failing,
        "fail",
        detail=["; ".join(problems[r]) for r in failing],
        evidence=[evidence.get(r, "") for r in failing],
        found=[_and(found.get(r, [])) for r in failing],
        target=target,
    )


#: Rule kind -> its evaluator; `standards.model.RULE_KINDS` names the same kinds.
EVALUATORS: dict[str, Evaluator] = {
    "technology-ring": technology_ring,
    "version": version,
    "max-per-category": max_per_category,
    "file-exists": file_exists,
    "ci-provider": ci_provider,
    "actions-pinned": actions_pinned,
    "build-health": build_health,
    "dependency": dependency,
}


# --- waivers -------------------------------------------------------------------------------------------


def _waivers(standards: Standards, ctx: Context, status: np.ndarray, today: date) -> dict[str, np.ndarray]:
    """The waiver columns, block by block as `status` is; turns failing rows a waiver holds for into
    `waived` (in place). When several waivers match a row, one that holds beats one that expired,
    then the later expiry."""
    total = len(status)
    out = {
        "waiver_reason": np.full(total, None, dtype=object),
        "waiver_approver": np.full(total, None, dtype=object),
        "waiver_expires": np.full(total, None, dtype=object),
        "waiver_expired": np.zeros(total, dtype=bool),
    }
    n = len(ctx.index)
    block = {s.id: i for i, s in enumerate(standards.standards)}
    failing = status == "fail"
    # the weakest first, so the strongest is the one left standing
    for w in sorted(standards.waivers, key=lambda w: (w.expires >= today, w.expires)):
        if w.standard not in block:
            continue
        start = block[w.standard] * n
        subject = _glob_mask(ctx.names, [w.repo]) if w.repo else ctx.team == w.team
        rows = start + np.flatnonzero(subject & failing[start : start + n])
        out["waiver_reason"][rows] = w.reason
        out["waiver_approver"][rows] = w.approver
        out["waiver_expires"][rows] = w.expires
        out["waiver_expired"][rows] = w.expires < today
    status[failing & ~out["waiver_expired"] & (out["waiver_expires"] != None)] = "waived"  # noqa: E711 - elementwise
    return out
