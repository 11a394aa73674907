"""Build health: what GitHub reports about a default branch, turned into `BuildHealth` facts.

Pure on purpose: the GitHub source fetches the Actions workflow runs (REST) and the head commit's
`statusCheckRollup` (GraphQL) and calls `summarise`, so every rule here is tested on plain dicts.
The data comes from many GitHub and GitHub Enterprise versions: any key may be missing, null or of
the wrong type, and nothing here raises on that; enum values we do not know are kept, lower-cased.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from collectors.facts import BuildHealth, CheckResult, WorkflowHealth

#: A finished run's conclusion -> what it says about the code. Only "passed" and "failed" are
#: decided (they count in a success rate); a conclusion not listed here is "undecided".
RUN_OUTCOMES: dict[str, str] = {
    "success": "passed",
    "failure": "failed",
    "timed_out": "failed",
    "startup_failure": "failed",
    "cancelled": "undecided",
    "skipped": "undecided",
    "neutral": "undecided",
    "stale": "undecided",
    "action_required": "undecided",
}

#: Outcomes that count in a workflow's success rate.
DECIDED_OUTCOMES = frozenset({"passed", "failed"})

#: The outcomes of the newest run of each workflow -> the build state; the first one present wins,
#: so one failing workflow makes the build red whatever the others say.
RUNS_VERDICT: tuple[tuple[str, str], ...] = (
    ("failed", "red"),
    ("running", "pending"),
    ("passed", "green"),
)

#: The rollup's overall state (GitHub's own verdict over every check and status) -> the build state.
ROLLUP_STATES: dict[str, str] = {
    "success": "green",
    "failure": "red",
    "error": "red",
    "pending": "pending",
    "expected": "pending",
}

#: Build state -> the check states a rollup reason names or counts: the failing ones for red, the
#: running ones for pending, the passing ones for green.
NAMED_CHECK_STATES: dict[str, frozenset[str]] = {
    "red": frozenset({"failure", "error", "timed_out", "startup_failure", "cancelled", "action_required"}),
    "pending": frozenset({"pending", "expected"}),
    "green": frozenset({"success", "neutral", "skipped"}),
}

#: (build state, some check fits NAMED_CHECK_STATES) -> the reason; the rollup may list fewer
#: contexts than it counts (GitHub pages them), so the named ones can be missing.
ROLLUP_REASONS: dict[tuple[str, bool], str] = {
    ("red", True): "failing on {sha}: {names}",
    ("red", False): "failing on {sha}",
    ("pending", True): "{count} of {total} still running on {sha}",
    ("pending", False): "waiting for checks on {sha} ({total} reported)",
    ("green", True): "all {total} passed on {sha}",
    ("green", False): "all {total} passed on {sha}",
}

#: Build state -> (the outcome of the runs that decided it, None for all of them; the reason).
RUNS_REASONS: dict[str, tuple[str | None, str]] = {
    "red": ("failed", "latest run of {names} failed {where}"),
    "pending": ("running", "latest run of {names} still running {where}"),
    "green": (None, "latest runs of {workflows} passed {where}"),
    "unknown": (None, "latest runs of {workflows} neither passed nor failed ({seen}) {where}"),
}

#: GraphQL `__typename` of a rollup context -> `CheckResult.kind`.
CONTEXT_KINDS: dict[str, str] = {"CheckRun": "check-run", "StatusContext": "status"}

#: Where the deciding runs are, keyed by (some on the head commit, some on another commit).
WHERE: dict[tuple[bool, bool], str] = {
    (True, False): "on {sha}",
    (False, True): "on earlier commits, not yet on {sha}",
    (True, True): "on {sha} and earlier commits",
}

#: How many names a reason lists before "and N more".
MAX_NAMES = 3


class _Run(NamedTuple):
    """One workflow run, read once so the rules below never touch raw API data."""

    key: str  # the workflow it belongs to: its path, else its name
    name: str | None
    path: str | None
    head_sha: str | None
    running: bool  # GitHub says it has not finished (queued, in_progress, waiting, ...)
    conclusion: str | None  # lower-cased; None unless completed
    started: datetime | None
    duration_s: float | None  # completed runs only

    @property
    def outcome(self) -> str:
        if self.running:
            return "running"
        return RUN_OUTCOMES.get(self.conclusion or "", "undecided")


def summarise(
    *,
    head: str | None,
    runs: Sequence[Mapping] | None,
    rollup: Mapping | None,
    checked_at: str,
    max_runs: int = 20,
) -> tuple[BuildHealth, list[WorkflowHealth], list[CheckResult]]:
    """The default branch's build state, its workflows' recent record and the head commit's checks.

    `runs` are the default branch's Actions runs, newest first (REST shape; None when not fetched);
    `rollup` is the head commit's GraphQL `statusCheckRollup` (None when nothing reported). The
    rollup decides when it has contexts, since it is GitHub's verdict on exactly the head commit;
    the newest run of each workflow decides otherwise. Only the latest `max_runs` runs of each
    workflow count.
    """
    if not isinstance(max_runs, int) or max_runs < 1:
        raise ValueError(f"max_runs must be a positive integer, not {max_runs!r}")
    head = _text(head)
    groups = _group([_read_run(r) for r in _items(runs) if isinstance(r, Mapping)], max_runs)
    # Sorted by key, not by the dataclasses' order: that compares None with str when two names tie.
    workflows = sorted((_workflow(group) for group in groups.values()), key=lambda w: (w.workflow, w.path or ""))
    rollup = rollup if isinstance(rollup, Mapping) else {}
    nodes = _items(_get(rollup, "contexts", "nodes"))
    checks = [check for check in map(_check, nodes) if check is not None]
    state, reason = (
        _from_rollup(head, _word(rollup.get("state")), checks, max(_count_of(rollup), len(nodes)))
        or _from_runs(head, [group[0] for group in groups.values()])
        or ("unknown", _nothing_reported(head, _word(rollup.get("state"))))
    )
    build = BuildHealth(state, reason, commit=head, checked_at=_iso(_when(checked_at)) or checked_at)
    return build, workflows, sorted(checks, key=lambda c: (c.name, c.kind, c.app or "", c.state))


# --- workflows ------------------------------------------------------------------------------------


def _read_run(run: Mapping) -> _Run:
    status = _word(run.get("status"))
    conclusion = _word(run.get("conclusion"))
    # Old GHES may leave out `status`; a conclusion alone then means the run finished.
    completed = status == "completed" or (status is None and conclusion is not None)
    started = _when(run.get("run_started_at")) or _when(run.get("created_at"))
    updated = _when(run.get("updated_at"))
    duration = (updated - started).total_seconds() if completed and started and updated else None
    name, path = _text(run.get("name")), _text(run.get("path"))
    return _Run(
        key=path or name or "",
        name=name,
        path=path,
        head_sha=_text(run.get("head_sha")),
        running=status is not None and not completed,
        conclusion=conclusion if completed else None,
        started=started,
        duration_s=duration if duration is not None and duration >= 0 else None,
    )


def _group(runs: list[_Run], max_runs: int) -> dict[str, list[_Run]]:
    """The latest `max_runs` runs of each workflow, newest first (the input's order is trusted)."""
    groups: dict[str, list[_Run]] = {}
    for run in runs:
        group = groups.setdefault(run.key, [])
        if len(group) < max_runs:
            group.append(run)
    return groups


def _workflow(group: list[_Run]) -> WorkflowHealth:
    latest = group[0]
    decided = [run for run in group if run.outcome in DECIDED_OUTCOMES]
    passed = [run for run in group if run.outcome == "passed"]
    durations = [run.duration_s for run in group if run.duration_s is not None]
    return WorkflowHealth(
        # A renamed workflow goes by its newest name; one GitHub gave no name goes by its path.
        workflow=next((run.name for run in group if run.name), None) or latest.path or "(unnamed workflow)",
        path=latest.path,
        runs=len(group),
        latest_conclusion=latest.conclusion,
        latest_at=_iso(latest.started),
        success_rate=round(len(passed) / len(decided), 4) if decided else None,
        median_duration_s=round(statistics.median(durations), 1) if durations else None,
        last_success_at=_iso(passed[0].started) if passed else None,
    )


# --- checks ---------------------------------------------------------------------------------------


def _check(node: Any) -> CheckResult | None:
    """One rollup context as a `CheckResult`; None when it has no name to show."""
    if not isinstance(node, Mapping):
        return None
    kind = CONTEXT_KINDS.get(_text(node.get("__typename")) or "") or ("status" if "context" in node else "check-run")
    if kind == "status":
        name = _text(node.get("context"))
        return CheckResult(name, kind, None, _word(node.get("state")) or "unknown") if name else None
    name = _text(node.get("name"))
    if not name:
        return None
    # "CI / build", as GitHub shows it: many workflows have a job called "build".
    workflow = _text(_get(node, "checkSuite", "workflowRun", "workflow", "name"))
    status, conclusion = _word(node.get("status")), _word(node.get("conclusion"))
    completed = status == "completed" or (status is None and conclusion is not None)
    state = (conclusion or "unknown") if completed else ("pending" if status else "unknown")
    app = _text(_get(node, "checkSuite", "app", "slug"))
    return CheckResult(f"{workflow} / {name}" if workflow else name, kind, app, state)


# --- the verdict ----------------------------------------------------------------------------------


def _from_rollup(head: str | None, state: str | None, checks: list[CheckResult], total: int) -> tuple[str, str] | None:
    """GitHub's own verdict on the head commit; None when the rollup has none or no contexts."""
    build = ROLLUP_STATES.get(state or "")
    if build is None or total < 1:
        return None
    named = [check.name for check in checks if check.state in NAMED_CHECK_STATES[build]]
    template = ROLLUP_REASONS[build, bool(named)]
    return build, template.format(
        sha=_short(head), names=_names(named), count=len(named), total=_plural(total, "check")
    )


def _from_runs(head: str | None, latest: list[_Run]) -> tuple[str, str] | None:
    """The verdict of each workflow's newest run; None when there are no runs."""
    if not latest:
        return None
    outcomes = {run.outcome for run in latest}
    build = next((state for outcome, state in RUNS_VERDICT if outcome in outcomes), "unknown")
    outcome, template = RUNS_REASONS[build]
    deciding = [run for run in latest if outcome is None or run.outcome == outcome]
    reason = template.format(
        names=_names([run.name or run.path or "(unnamed workflow)" for run in deciding]),
        workflows=_plural(len(latest), "workflow"),
        seen=", ".join(sorted({run.conclusion or "no conclusion" for run in latest})),
        where=_where(head, deciding),
    )
    return build, reason.strip()


def _nothing_reported(head: str | None, rollup_state: str | None) -> str:
    if head is None:
        return "no commit on the default branch"
    if rollup_state and rollup_state not in ROLLUP_STATES:
        return f"checks on {_short(head)} report an unknown state: {rollup_state}"
    return f"no CI results reported for {_short(head)}"


def _where(head: str | None, runs: list[_Run]) -> str:
    """Whether the runs that decided are about the head commit or an older one."""
    if head is None:
        return ""
    on_head = any(run.head_sha == head for run in runs)
    elsewhere = any(run.head_sha != head for run in runs)
    return WHERE.get((on_head, elsewhere), "").format(sha=_short(head))


# --- small readers and writers --------------------------------------------------------------------


def _names(names: list[str]) -> str:
    """'a, b, c and 2 more': a reason stays one short line however many checks fail."""
    unique = list(dict.fromkeys(names))
    shown = ", ".join(unique[:MAX_NAMES])
    return f"{shown} and {len(unique) - MAX_NAMES} more" if len(unique) > MAX_NAMES else shown


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _short(sha: str | None) -> str:
    return sha[:7] if sha else "the head commit"


def _count_of(rollup: Mapping) -> int:
    count = _get(rollup, "contexts", "totalCount")
    return count if isinstance(count, int) and not isinstance(count, bool) else 0


def _get(data: Any, *keys: str) -> Any:
    """data[k1][k2]... or None as soon as a level is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _word(value: Any) -> str | None:
    """An enum value as we keep it: lower-cased, None when missing."""
    text = _text(value)
    return text.lower() if text else None


def _when(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as an aware UTC datetime (naive ones are taken as UTC); None if unreadable."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _iso(when: datetime | None) -> str | None:
    """The project's timestamp form: '2026-11-20T10:00:00+00:00'."""
    return when.isoformat(timespec="seconds") if when else None
