"""Build health: GitHub's workflow runs and status-check rollup turned into the build facts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.build_health import RUN_OUTCOMES, summarise
from collectors.facts import BUILD_STATES, BuildHealth, CheckResult, WorkflowHealth

HEAD = "abc1234def567890abc1234def567890abc12345"
OLD = "0123456789abcdef0123456789abcdef01234567"
CI = ".github/workflows/ci.yml"
CHECKED = "2026-11-20T12:00:00Z"


def run(name: str | None = "CI", conclusion: str | None = "success", **fields: Any) -> dict[str, Any]:
    """A completed REST workflow run on the head commit; `fields` override or add keys (None drops one)."""
    data = {
        "name": name,
        "path": f".github/workflows/{(name or 'unnamed').lower()}.yml",
        "head_sha": HEAD,
        "event": "push",
        "status": "completed" if conclusion else "in_progress",
        "conclusion": conclusion,
        "run_number": 1,
        "created_at": "2026-11-20T10:00:00Z",
        "run_started_at": "2026-11-20T10:00:00Z",
        "updated_at": "2026-11-20T10:05:00Z",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None or k == "conclusion"}


def check_run(
    name: str, conclusion: str | None = "SUCCESS", status: str = "COMPLETED", workflow: str | None = "CI", **extra: Any
) -> dict[str, Any]:
    suite = {
        "app": {"slug": "github-actions"},
        "workflowRun": {"workflow": {"name": workflow}} if workflow else None,
    }
    return {
        "__typename": "CheckRun",
        "name": name,
        "status": status,
        "conclusion": conclusion,
        "checkSuite": suite,
    } | extra


def status(context: str, state: str = "SUCCESS") -> dict[str, Any]:
    return {"__typename": "StatusContext", "context": context, "state": state, "targetUrl": "https://ci.example.com/1"}


def rollup(state: str, *nodes: dict[str, Any], total: int | None = None) -> dict[str, Any]:
    return {"state": state, "contexts": {"totalCount": len(nodes) if total is None else total, "nodes": list(nodes)}}


def build_of(*, head: str | None = HEAD, runs: Any = None, rollup: Any = None, max_runs: int = 20) -> BuildHealth:
    return summarise(head=head, runs=runs, rollup=rollup, checked_at=CHECKED, max_runs=max_runs)[0]


def workflows_of(runs: list[dict[str, Any]], max_runs: int = 20) -> dict[str, WorkflowHealth]:
    _, workflows, _ = summarise(head=HEAD, runs=runs, rollup=None, checked_at=CHECKED, max_runs=max_runs)
    return {w.workflow: w for w in workflows}


def checks_of(*nodes: dict[str, Any]) -> list[CheckResult]:
    return summarise(head=HEAD, runs=None, rollup=rollup("SUCCESS", *nodes), checked_at=CHECKED)[2]


# --- the build state ------------------------------------------------------------------------------

JENKINS = "continuous-integration/jenkins/branch"

BUILD_CASES = [
    # 1. the rollup decides when it has contexts
    pytest.param(
        None,
        rollup("FAILURE", check_run("build", "FAILURE"), check_run("lint"), status(JENKINS, "FAILURE")),
        ("red", f"failing on abc1234: CI / build, {JENKINS}"),
        id="rollup-failure-names-failing-checks",
    ),
    pytest.param(
        None,
        rollup("ERROR", status(JENKINS, "ERROR"), status("ci/circleci: test")),
        ("red", f"failing on abc1234: {JENKINS}"),
        id="rollup-error-is-red",
    ),
    pytest.param(
        None,
        rollup("FAILURE", *(check_run(f"job{i}", "FAILURE", workflow=None) for i in range(5)), check_run("ok")),
        ("red", "failing on abc1234: job0, job1, job2 and 2 more"),
        id="rollup-failure-names-at-most-three",
    ),
    pytest.param(
        None,
        rollup("FAILURE", check_run("build", "TIMED_OUT"), check_run("deploy", "CANCELLED")),
        ("red", "failing on abc1234: CI / build, CI / deploy"),
        id="rollup-failure-timed-out-and-cancelled-named",
    ),
    pytest.param(
        None,
        rollup("FAILURE", check_run("lint"), total=250),
        ("red", "failing on abc1234"),
        id="rollup-failure-failing-check-not-among-those-read",
    ),
    pytest.param(
        None,
        rollup("PENDING", check_run("build", None, "IN_PROGRESS"), check_run("lint"), status(JENKINS, "PENDING")),
        ("pending", "2 of 3 checks still running on abc1234"),
        id="rollup-pending-counts-running",
    ),
    pytest.param(
        None,
        rollup("EXPECTED", check_run("lint"), check_run("test")),
        ("pending", "waiting for checks on abc1234 (2 checks reported)"),
        id="rollup-expected-with-nothing-running",
    ),
    pytest.param(
        None,
        rollup("SUCCESS", check_run("build"), check_run("docs", "SKIPPED")),
        ("green", "all 2 checks passed on abc1234"),
        id="rollup-success",
    ),
    pytest.param(
        None,
        rollup("SUCCESS", check_run("build"), total=140),
        ("green", "all 140 checks passed on abc1234"),
        id="rollup-counts-total-not-nodes-read",
    ),
    pytest.param(
        None,
        rollup("SUCCESS", status(JENKINS)),
        ("green", "all 1 check passed on abc1234"),
        id="statuses-only-jenkins-green",
    ),
    pytest.param(
        None,
        rollup("FAILURE", status(JENKINS, "FAILURE"), status("sonarqube")),
        ("red", f"failing on abc1234: {JENKINS}"),
        id="statuses-only-jenkins-red",
    ),
    pytest.param(
        [run("CI", "failure")],
        rollup("SUCCESS", check_run("build")),
        ("green", "all 1 check passed on abc1234"),
        id="rollup-beats-runs",
    ),
    pytest.param(
        [run("CI", "failure")],
        {"state": "SUCCESS", "contexts": {"totalCount": 0, "nodes": []}},
        ("red", "latest run of CI failed on abc1234"),
        id="rollup-without-contexts-leaves-it-to-runs",
    ),
    pytest.param(
        [run("CI", "success")],
        rollup("WEIRD", check_run("build")),
        ("green", "latest runs of 1 workflow passed on abc1234"),
        id="rollup-unknown-state-leaves-it-to-runs",
    ),
    # 2. otherwise the newest run of each workflow
    pytest.param(
        [run("CI", "success"), run("Deploy", "failure"), run("Docs", None), run("Lint", "cancelled")],
        None,
        ("red", "latest run of Deploy failed on abc1234"),
        id="runs-mixed-one-failed-is-red",
    ),
    pytest.param(
        [run("CI", "timed_out"), run("Release", "startup_failure", head_sha=OLD)],
        None,
        ("red", "latest run of CI, Release failed on abc1234 and earlier commits"),
        id="runs-timed-out-and-startup-failure-are-red",
    ),
    pytest.param(
        [run(n, "failure") for n in ("A", "B", "C", "D")],
        None,
        ("red", "latest run of A, B, C and 1 more failed on abc1234"),
        id="runs-red-names-at-most-three",
    ),
    pytest.param(
        [run("CI", "success"), run("CI", "failure", head_sha=OLD)],
        None,
        ("green", "latest runs of 1 workflow passed on abc1234"),
        id="runs-only-newest-of-each-workflow-counts",
    ),
    pytest.param(
        [run("CI", "success"), run("Docs", None, status="queued")],
        None,
        ("pending", "latest run of Docs still running on abc1234"),
        id="runs-running-without-failure-is-pending",
    ),
    pytest.param(
        [run("CI", None, status="waiting")],
        None,
        ("pending", "latest run of CI still running on abc1234"),
        id="runs-waiting-for-environment-is-pending",
    ),
    pytest.param(
        [run("CI", None, status="brand_new_status")],
        None,
        ("pending", "latest run of CI still running on abc1234"),
        id="runs-unknown-status-counts-as-not-finished",
    ),
    pytest.param(
        [run("CI"), run("Docs", "skipped")],
        None,
        ("green", "latest runs of 2 workflows passed on abc1234"),
        id="runs-success-beside-skipped-is-green",
    ),
    pytest.param(
        [run("CI", head_sha=OLD), run("Docs", head_sha=OLD)],
        None,
        ("green", "latest runs of 2 workflows passed on earlier commits, not yet on abc1234"),
        id="runs-green-on-an-older-commit-says-so",
    ),
    pytest.param(
        [run("CI", "failure", head_sha=None)],
        None,
        ("red", "latest run of CI failed on earlier commits, not yet on abc1234"),
        id="runs-without-head-sha-are-not-on-head",
    ),
    pytest.param(
        [run("CI", "cancelled"), run("Docs", "skipped")],
        None,
        ("unknown", "latest runs of 2 workflows neither passed nor failed (cancelled, skipped) on abc1234"),
        id="runs-cancelled-and-skipped-only-is-unknown",
    ),
    pytest.param(
        [run("CI", None, status="completed")],
        None,
        ("unknown", "latest runs of 1 workflow neither passed nor failed (no conclusion) on abc1234"),
        id="runs-completed-with-null-conclusion",
    ),
    pytest.param(
        [run("CI", "EXPLODED")],
        None,
        ("unknown", "latest runs of 1 workflow neither passed nor failed (exploded) on abc1234"),
        id="runs-unknown-conclusion-kept-lower-cased",
    ),
    pytest.param(
        [run("CI", "success", status=None)],
        None,
        ("green", "latest runs of 1 workflow passed on abc1234"),
        id="runs-without-status-but-with-conclusion-finished",
    ),
    # 3. nothing reported
    pytest.param(None, None, ("unknown", "no CI results reported for abc1234"), id="nothing-read"),
    pytest.param([], None, ("unknown", "no CI results reported for abc1234"), id="no-runs"),
    pytest.param(
        [],
        {"state": "SUCCESS", "contexts": {"totalCount": 0, "nodes": []}},
        ("unknown", "no CI results reported for abc1234"),
        id="empty-rollup-and-no-runs",
    ),
    pytest.param(
        None,
        rollup("WEIRD", check_run("build")),
        ("unknown", "checks on abc1234 report an unknown state: weird"),
        id="rollup-unknown-state-and-no-runs",
    ),
]


@pytest.mark.parametrize(("runs", "roll", "expected"), BUILD_CASES)
def test_build_state_and_reason(runs: Any, roll: Any, expected: tuple[str, str]) -> None:
    build = build_of(runs=runs, rollup=roll)
    assert (build.state, build.reason) == expected
    assert build.commit == HEAD
    assert build.checked_at == "2026-11-20T12:00:00+00:00"


@pytest.mark.parametrize(
    ("runs", "roll", "expected"),
    [
        pytest.param(None, None, ("unknown", "no commit on the default branch"), id="empty-repository"),
        pytest.param([], None, ("unknown", "no commit on the default branch"), id="empty-repository-no-runs"),
        pytest.param([run("CI", "failure")], None, ("red", "latest run of CI failed"), id="runs-without-head"),
        pytest.param(
            None,
            rollup("SUCCESS", check_run("b")),
            ("green", "all 1 check passed on the head commit"),
            id="rollup-no-head",
        ),
    ],
)
def test_build_without_a_head_commit(runs: Any, roll: Any, expected: tuple[str, str]) -> None:
    build = build_of(head=None, runs=runs, rollup=roll)
    assert (build.state, build.reason) == expected
    assert build.commit is None


def test_checked_at_is_normalised_to_utc() -> None:
    build = summarise(head=HEAD, runs=None, rollup=None, checked_at="2026-11-20T13:00:00.123456+01:00")[0]
    assert build.checked_at == "2026-11-20T12:00:00+00:00"


def test_max_runs_below_one_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="max_runs"):
        summarise(head=HEAD, runs=[], rollup=None, checked_at=CHECKED, max_runs=0)


# --- the workflows --------------------------------------------------------------------------------


def minutes(start: str, end: str, **fields: Any) -> dict[str, Any]:
    """A CI run from `start` to `end` on 20 November 2026 ("10:00")."""
    return run("CI", **{"run_started_at": f"2026-11-20T{start}:00Z", "updated_at": f"2026-11-20T{end}:00Z", **fields})


WORKFLOW_CASES = [
    pytest.param(
        [run("CI", c) for c in ("success", "failure", "cancelled", "skipped", "neutral", "stale", "action_required")]
        + [run("CI", "timed_out"), run("CI", "startup_failure")],
        {"runs": 9, "latest_conclusion": "success", "success_rate": 0.25},
        id="success-rate-over-decided-runs-only",
    ),
    pytest.param(
        [run("CI", "success"), run("CI", "success"), run("CI", "failure")],
        {"success_rate": 0.6667},
        id="success-rate-rounded-to-4-decimals",
    ),
    pytest.param(
        [run("CI", "cancelled"), run("CI", "skipped"), run("CI", None)],
        {"success_rate": None, "latest_conclusion": "cancelled", "last_success_at": None},
        id="success-rate-none-without-decided-runs",
    ),
    pytest.param(
        [run("CI", "success")] * 20 + [run("CI", "failure")] * 5,
        {"runs": 20, "success_rate": 1.0},
        id="only-the-latest-max-runs-count",
    ),
    pytest.param(
        [run("CI", None), minutes("09:00", "09:04", conclusion="failure", status="completed")],
        {"latest_conclusion": None, "latest_at": "2026-11-20T10:00:00+00:00", "median_duration_s": 240.0},
        id="latest-still-running-has-no-conclusion",
    ),
    pytest.param(
        [minutes("10:00", "10:01"), minutes("09:00", "09:02"), minutes("08:00", "08:03"), minutes("07:00", "07:04")],
        {"median_duration_s": 150.0},
        id="median-of-an-even-count",
    ),
    pytest.param(
        [run("CI", run_started_at=None, created_at="2026-11-20T09:58:00Z", updated_at="2026-11-20T10:00:30Z")],
        {
            "latest_at": "2026-11-20T09:58:00+00:00",
            "median_duration_s": 150.0,
            "last_success_at": "2026-11-20T09:58:00+00:00",
        },
        id="missing-run-started-at-falls-back-to-created-at",
    ),
    pytest.param(
        [run("CI", run_started_at="2026-11-20T12:00:00.789+02:00", updated_at="2026-11-20T10:00:10.289Z")],
        {"latest_at": "2026-11-20T10:00:00+00:00", "median_duration_s": 9.5},
        id="timestamps-normalised-to-utc-seconds",
    ),
    pytest.param(
        [run("CI", run_started_at="2026-11-20T10:00:00", updated_at="2026-11-20T10:01:00")],
        {"latest_at": "2026-11-20T10:00:00+00:00", "median_duration_s": 60.0},
        id="naive-timestamps-taken-as-utc",
    ),
    pytest.param(
        [run("CI", run_started_at="yesterday", created_at=None, updated_at=42)],
        {"latest_at": None, "median_duration_s": None, "last_success_at": None, "success_rate": 1.0},
        id="unreadable-timestamps-are-none",
    ),
    pytest.param(
        [run("CI", updated_at="2026-11-20T09:00:00Z")],
        {"median_duration_s": None},
        id="negative-duration-ignored",
    ),
    pytest.param(
        [
            run("CI", "failure", run_started_at="2026-11-20T10:00:00Z"),
            run("CI", "success", run_started_at="2026-11-19T10:00:00Z"),
            run("CI", "success", run_started_at="2026-11-18T10:00:00Z"),
        ],
        {"latest_conclusion": "failure", "last_success_at": "2026-11-19T10:00:00+00:00"},
        id="last-success-is-the-newest-successful-run",
    ),
    pytest.param(
        [run("CI", "Failure"), run("CI", "SUCCESS")],
        {"latest_conclusion": "failure", "success_rate": 0.5},
        id="enum-case-ignored",
    ),
]


@pytest.mark.parametrize(("runs", "expected"), WORKFLOW_CASES)
def test_workflow_health(runs: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    [workflow] = workflows_of(runs).values()
    assert {k: getattr(workflow, k) for k in expected} == expected


def test_max_runs_counts_per_workflow_not_per_input() -> None:
    """25 CI runs interleaved with 3 Docs runs: CI keeps its newest 20, Docs all 3."""
    runs = [run("CI", "success" if i < 20 else "failure") for i in range(25)]
    runs[1:1] = [run("Docs", "failure")] * 3
    got = workflows_of(runs, max_runs=20)
    assert (got["CI"].runs, got["CI"].success_rate) == (20, 1.0)
    assert (got["Docs"].runs, got["Docs"].success_rate) == (3, 0.0)


def test_workflows_grouped_by_path_then_name() -> None:
    runs = [
        run("Build", path=".github/workflows/build.yml"),
        run("Build", path=".github/workflows/build-legacy.yml"),
        run("CI", path=None),
        run("CI", "failure", path=None),
        run(None, path=".github/workflows/nameless.yml"),
    ]
    _, workflows, _ = summarise(head=HEAD, runs=runs, rollup=None, checked_at=CHECKED)
    assert [(w.workflow, w.path, w.runs) for w in workflows] == [
        (".github/workflows/nameless.yml", ".github/workflows/nameless.yml", 1),
        ("Build", ".github/workflows/build-legacy.yml", 1),
        ("Build", ".github/workflows/build.yml", 1),
        ("CI", None, 2),
    ]


def test_renamed_workflow_goes_by_its_newest_name() -> None:
    got = workflows_of([run("Tests", path=CI), run("CI", path=CI)])
    assert list(got) == ["Tests"]
    assert got["Tests"].runs == 2


# --- the checks -----------------------------------------------------------------------------------

CHECK_CASES = [
    pytest.param(
        check_run("build", "FAILURE"),
        CheckResult("CI / build", "check-run", "github-actions", "failure"),
        id="actions-job",
    ),
    pytest.param(
        check_run(
            "test", "SUCCESS", workflow=None, checkSuite={"app": {"slug": "circleci-checks"}, "workflowRun": None}
        ),
        CheckResult("test", "check-run", "circleci-checks", "success"),
        id="third-party-check-run",
    ),
    pytest.param(
        check_run("build", None, "IN_PROGRESS"),
        CheckResult("CI / build", "check-run", "github-actions", "pending"),
        id="in-progress",
    ),
    pytest.param(
        check_run("build", None, "QUEUED"),
        CheckResult("CI / build", "check-run", "github-actions", "pending"),
        id="queued",
    ),
    pytest.param(
        check_run("build", None, "COMPLETED"),
        CheckResult("CI / build", "check-run", "github-actions", "unknown"),
        id="completed-without-conclusion",
    ),
    pytest.param(
        check_run("build", "BRAND_NEW"),
        CheckResult("CI / build", "check-run", "github-actions", "brand_new"),
        id="unknown-conclusion",
    ),
    pytest.param(
        {"__typename": "CheckRun", "name": "scan", "conclusion": "NEUTRAL", "checkSuite": {"app": None}},
        CheckResult("scan", "check-run", None, "neutral"),
        id="no-status-no-app",
    ),
    pytest.param(status(JENKINS, "ERROR"), CheckResult(JENKINS, "status", None, "error"), id="jenkins-status"),
    pytest.param(status(JENKINS, "EXPECTED"), CheckResult(JENKINS, "status", None, "expected"), id="expected-status"),
    pytest.param(
        {"context": "ci/travis", "state": None},
        CheckResult("ci/travis", "status", None, "unknown"),
        id="status-without-typename-or-state",
    ),
]


@pytest.mark.parametrize(("node", "expected"), CHECK_CASES)
def test_check_result(node: dict[str, Any], expected: CheckResult) -> None:
    assert checks_of(node) == [expected]


@pytest.mark.parametrize(
    "node",
    [
        pytest.param({"__typename": "CheckRun", "status": "COMPLETED"}, id="check-run-without-name"),
        pytest.param({"__typename": "StatusContext", "state": "SUCCESS"}, id="status-without-context"),
        pytest.param(None, id="null-node"),
        pytest.param("CI", id="string-node"),
    ],
)
def test_nameless_or_odd_contexts_are_left_out(node: Any) -> None:
    assert checks_of(node) == []


# --- invariants on any input ----------------------------------------------------------------------

STAMPS = st.sampled_from(
    ["2026-11-20T10:00:00Z", "2026-11-20T10:07:30+02:00", "2026-11-19T23:59:59.999Z", "2026-11-20", "", "never"]
)
SHAS = st.sampled_from([HEAD, OLD, None, ""])
RUN_STATUSES = st.sampled_from(["completed", "queued", "in_progress", "waiting", "requested", "pending", "NEW", None])
CONCLUSIONS = st.sampled_from([*RUN_OUTCOMES, "SUCCESS", "exploded", None])
ROLLUP_STATES_IN = st.sampled_from(["SUCCESS", "FAILURE", "ERROR", "PENDING", "EXPECTED", "weird", None])

plausible_runs = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(["CI", "Docs", "Release", None]),
            "path": st.sampled_from([CI, ".github/workflows/docs.yml", None]),
            "head_sha": SHAS,
            "status": RUN_STATUSES,
            "conclusion": CONCLUSIONS,
            "created_at": STAMPS,
            "updated_at": STAMPS,
        },
        optional={"run_started_at": STAMPS},
    ),
    max_size=40,
)
plausible_rollup = st.none() | st.fixed_dictionaries(
    {
        "state": ROLLUP_STATES_IN,
        "contexts": st.fixed_dictionaries(
            {
                "totalCount": st.integers(0, 300),
                "nodes": st.lists(
                    st.one_of(
                        st.builds(
                            check_run,
                            st.sampled_from(["build", "lint"]),
                            st.sampled_from(["SUCCESS", "FAILURE", "CANCELLED", None]),
                            st.sampled_from(["COMPLETED", "IN_PROGRESS", "QUEUED"]),
                        ),
                        st.builds(status, st.just(JENKINS), ROLLUP_STATES_IN.filter(bool)),
                    ),
                    max_size=8,
                ),
            }
        ),
    }
)

KEYS = st.sampled_from(
    [
        "name",
        "path",
        "head_sha",
        "status",
        "conclusion",
        "created_at",
        "updated_at",
        "run_started_at",
        "state",
        "contexts",
        "nodes",
        "totalCount",
        "__typename",
        "context",
        "checkSuite",
        "app",
        "slug",
        "workflowRun",
        "workflow",
    ]
) | st.text(max_size=5)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | STAMPS
    | CONCLUSIONS
    | ROLLUP_STATES_IN
    | st.sampled_from(["CheckRun", "StatusContext", "9999-12-31T23:59:59-23:00", "0001-01-01T00:00:00+05:00"])
)
junk = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=6), max_leaves=40
)


def assert_valid(result: Any, max_runs: int) -> None:
    build, workflows, checks = result
    assert isinstance(build, BuildHealth)
    assert build.state in BUILD_STATES
    assert isinstance(build.reason, str) and build.reason
    for w in workflows:
        assert isinstance(w, WorkflowHealth) and isinstance(w.workflow, str)
        assert 1 <= w.runs <= max_runs
        assert w.success_rate is None or 0 <= w.success_rate <= 1
        assert w.median_duration_s is None or w.median_duration_s >= 0
        assert w.latest_conclusion is None or w.latest_conclusion == w.latest_conclusion.lower()
        for stamp in (w.latest_at, w.last_success_at):
            assert stamp is None or stamp.endswith("+00:00")
    for c in checks:
        assert isinstance(c, CheckResult) and c.name and c.kind in ("check-run", "status")
        assert c.state and c.state == c.state.lower()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(head=SHAS, runs=st.none() | plausible_runs, roll=plausible_rollup, max_runs=st.integers(1, 6))
def test_invariants_on_plausible_input(head: str | None, runs: Any, roll: Any, max_runs: int) -> None:
    result = summarise(head=head, runs=runs, rollup=roll, checked_at=CHECKED, max_runs=max_runs)
    assert_valid(result, max_runs)
    # No run is counted twice, and a workflow keeps at most max_runs of its runs.
    assert sum(w.runs for w in result[1]) <= len(runs or [])


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(head=st.none() | st.text(max_size=12) | junk, runs=junk, roll=junk, checked_at=st.text(max_size=30) | STAMPS)
def test_never_raises_on_junk(head: Any, runs: Any, roll: Any, checked_at: str) -> None:
    assert_valid(summarise(head=head, runs=runs, rollup=roll, checked_at=checked_at, max_runs=3), 3)
