"""standards.build_view: build states, workflows, CI providers and actions, on a GitHub-shaped
organisation written to a real SQLite file (the Build health and Repository page tests use it too)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from collectors.facts import (
    ActionUse,
    BuildHealth,
    CheckResult,
    CiFile,
    Dependency,
    DockerImage,
    HygieneItem,
    RepoFacts,
    Runtime,
    Technology,
    Warning_,
    WorkflowHealth,
)
from standards import build_view as bv
from standards.analysis import Analysis, Filters, analyse, narrow
from store import SnapshotMeta, open_store
from store.frames import frames_from_records, load_frames

TAKEN_AT = "2026-11-20T14:03:00Z"
SHA = "0123456789abcdef0123456789abcdef01234567"
PAY_API_HEAD = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"


def wf(name: str, *, rate: float | None, median: float | None, last_green: str | None, latest: str | None = "success",
       runs: int = 20, path: str | None = None) -> WorkflowHealth:  # fmt: skip
    return WorkflowHealth(name, path or f".github/workflows/{name}.yml", runs, latest, "2026-11-20T09:00:00Z",
                          rate, median, last_green)  # fmt: skip


def github_org() -> list[RepoFacts]:
    """Three teams collected from GitHub (one repository on GitHub Enterprise), with build health:

    payments: pay-api red (ci failed; last green 14 days before the snapshot), pay-worker green,
    pay-legacy archived and red; search: search-ui pending (GHE), search-idx green; platform:
    infra unknown (nothing reported), docs-site with no build health row at all.
    """
    return [
        RepoFacts(
            name="acme/pay-api",
            team="payments",
            team_source="github-team",
            team_candidates={"github-team": "payments", "codeowners": "payments-core"},
            default_branch="main",
            head=PAY_API_HEAD,
            url="https://github.com/acme/pay-api",
            visibility="private",
            topics=["python", "team-payments"],
            pushed_at="2026-11-19T16:00:00Z",
            languages={"Python": 6000, "Shell": 1000},
            other_languages={"YAML": 900},
            dependencies=[
                Dependency("pypi", "fastapi", "0.110", manifest="requirements.txt"),
                Dependency("pypi", "pytest", "8.0", scope="dev", manifest="requirements-dev.txt"),
            ],
            technologies=[Technology("fastapi", "web-framework", "0.110", evidence="requirements.txt")],
            runtimes=[Runtime("python", "3.12", evidence=".python-version")],
            docker_images=[DockerImage("python", "3.12-slim", path="Dockerfile")],
            ci_files=[
                CiFile("github-actions", ".github/workflows/ci.yml"),
                CiFile("github-actions", ".github/workflows/release.yml"),
            ],
            actions=[
                ActionUse("actions/checkout", SHA, ".github/workflows/ci.yml"),
                ActionUse("actions/setup-python", "v5", ".github/workflows/ci.yml"),
            ],
            hygiene={
                "readme": HygieneItem(True, "README.md"),
                "codeowners": HygieneItem(True, ".github/CODEOWNERS"),
                "license": HygieneItem(False),
            },
            warnings=[Warning_("pyproject.toml", "not valid TOML")],
            build=BuildHealth("red", "latest run of ci failed on a1b2c3d", PAY_API_HEAD, "2026-11-20T14:00:00Z"),
            workflows=[
                wf("ci", rate=0.75, median=300.0, last_green="2026-11-06T10:00:00Z", latest="failure"),
                wf("release", rate=1.0, median=120.0, last_green="2026-11-01T10:00:00Z", runs=5),
            ],
            checks=[
                CheckResult("ci / test", "check-run", "github-actions", "failure"),
                CheckResult("ci / lint", "check-run", "github-actions", "success"),
                CheckResult("jenkins", "status", "jenkins", "error"),
            ],
        ),
        RepoFacts(
            name="acme/pay-worker",
            team="payments",
            default_branch="main",
            head="b" * 40,
            url="https://github.com/acme/pay-worker",
            languages={"Python": 2000},
            ci_files=[CiFile("github-actions", ".github/workflows/ci.yml"), CiFile("jenkins", "Jenkinsfile")],
            actions=[ActionUse("actions/checkout", "v4", ".github/workflows/ci.yml")],
            build=BuildHealth("green", "all 2 passed on bbbbbbb", "b" * 40),
            workflows=[wf("ci", rate=0.9, median=90.0, last_green="2026-11-20T09:00:00Z")],
        ),
        RepoFacts(
            name="acme/pay-legacy",
            team="payments",
            archived=True,
            url="https://github.com/acme/pay-legacy",
            languages={"Java": 5000},
            build=BuildHealth("red", "latest run of build failed"),
            workflows=[wf("build", rate=0.0, median=50.0, last_green=None, latest="failure")],
        ),
        RepoFacts(
            name="web/search-ui",
            team="search",
            default_branch="develop",
            head=None,
            url="https://ghe.acme.io/web/search-ui",
            languages={"TypeScript": 3000, "CSS": 1000},
            ci_files=[CiFile("github-actions", ".github/workflows/ci.yml")],
            actions=[
                ActionUse("actions/checkout", "v4", ".github/workflows/ci.yml"),
                ActionUse("actions/setup-node", "main", ".github/workflows/ci.yml"),
                ActionUse("./.github/actions/build", None, ".github/workflows/ci.yml"),
            ],
            hygiene={"readme": HygieneItem(True, "docs/Read Me.md")},
            build=BuildHealth("pending", "1 of 2 still running on c0ffee0"),
            workflows=[wf("ci", rate=0.5, median=600.0, last_green="2026-11-19T08:00:00Z", latest=None)],
        ),
        RepoFacts(
            name="acme/search-idx",
            team="search",
            default_branch="main",
            head="d" * 40,
            url="https://github.com/acme/search-idx",
            languages={"Go": 4000},
            ci_files=[
                CiFile("github-actions", ".github/workflows/build.yml"),
                CiFile("circleci", ".circleci/config.yml"),
            ],
            actions=[ActionUse("actions/checkout", "v4", ".github/workflows/build.yml")],
            build=BuildHealth("green", "latest runs of build passed on ddddddd"),
            workflows=[wf("build", rate=1.0, median=45.5, last_green="2026-11-20T12:00:00Z")],
        ),
        RepoFacts(
            name="acme/infra",
            team="platform",
            url="https://github.com/acme/infra",
            languages={"HCL": 800, "Shell": 200},
            build=BuildHealth("unknown", "no CI run or check reported on eeeeeee"),
        ),
        RepoFacts(
            name="acme/docs-site",
            team="platform",
            url="https://github.com/acme/docs-site",
            other_languages={"Markdown": 5000},
            ci_files=[CiFile("gitlab-ci", ".gitlab-ci.yml")],
        ),
    ]


def github_snapshot(tmp_path: Path, repos: list[RepoFacts] | None = None) -> tuple[str, int]:
    """`github_org()` (or `repos`) written as one snapshot of the `github` source into tmp_path/gh.db."""
    url = f"sqlite:///{tmp_path / 'gh.db'}"
    store = open_store(url)
    sid = store.write_snapshot(SnapshotMeta(TAKEN_AT, "github", "acme", "2026-11 guild meeting"),
                               repos if repos is not None else github_org())  # fmt: skip
    return url, sid


@pytest.fixture
def analysis(tmp_path: Path) -> Analysis:
    """The GitHub organisation read back from the store, active repositories only (as the
    sidebar shows by default)."""
    url, sid = github_snapshot(tmp_path)
    frames = load_frames(open_store(url), sid)
    return narrow(analyse(frames, None, today=date(2026, 11, 28)), Filters())


def of(records: list[RepoFacts], filters: Filters | None = None) -> Analysis:
    return narrow(analyse(frames_from_records(records), None, today=date(2026, 11, 28)), filters or Filters())


def test_repositories_red_first_with_their_workflows_summed_up(analysis: Analysis) -> None:
    repos = bv.build_view(analysis, TAKEN_AT).repos.set_index("repo")
    assert list(repos.index) == [
        "acme/pay-api",  # red
        "web/search-ui",  # pending
        "acme/docs-site",  # unknown (not collected), by name
        "acme/infra",
        "acme/pay-worker",  # green
        "acme/search-idx",
    ]
    pay = repos.loc["acme/pay-api"]
    assert (pay["state"], pay["reason"]) == ("red", "latest run of ci failed on a1b2c3d")
    assert pay["success_rate"] == 0.75  # the worst workflow, as the build-health standard judges
    assert pay["median_duration_s"] == 300.0  # the slowest workflow's median
    assert pay["days_since_green"] == 14  # 2026-11-06 (ci) is the newest green; 11-20 is the snapshot
    assert pay["workflows"] == "ci, release"
    assert (pay["workflow_count"], pay["failing_checks"], pay["checks"]) == (2, 2, 3)  # failure and error fail
    assert repos.loc["web/search-ui", "days_since_green"] == 1  # pending: counted from its last green
    assert repos.loc["acme/pay-worker", "days_since_green"] == 0  # green now
    assert repos.loc["acme/search-idx", "success_rate"] == 1.0


def test_a_repository_without_build_health_is_unknown_and_says_why(analysis: Analysis) -> None:
    repos = bv.build_view(analysis, TAKEN_AT).repos.set_index("repo")
    docs = repos.loc["acme/docs-site"]
    assert (docs["state"], docs["reason"]) == ("unknown", bv.NOT_COLLECTED)
    assert pd.isna(docs["days_since_green"]) and pd.isna(docs["success_rate"])
    infra = repos.loc["acme/infra"]
    assert (infra["state"], infra["reason"]) == ("unknown", "no CI run or check reported on eeeeeee")
    assert pd.isna(infra["days_since_green"])  # never green: not 0


def test_days_since_green_count_to_the_snapshot_not_to_today(analysis: Analysis) -> None:
    later = bv.build_view(analysis, "2026-12-01T08:00:00+00:00").repos.set_index("repo")
    assert later.loc["acme/pay-api", "days_since_green"] == 25
    assert later.loc["acme/pay-worker", "days_since_green"] == 0  # still green in that snapshot


def test_states_per_team_every_state_of_every_team_most_red_first(analysis: Analysis) -> None:
    view = bv.build_view(analysis, TAKEN_AT)
    states = view.states
    assert list(states["state"].cat.categories) == ["green", "pending", "red", "unknown"]
    counts = {(t, s): n for t, s, n in states.itertuples(index=False, name=None)}
    assert len(counts) == 3 * 4
    assert counts[("payments", "red")] == 1 and counts[("payments", "green")] == 1
    assert counts[("search", "pending")] == 1 and counts[("search", "green")] == 1
    assert counts[("platform", "unknown")] == 2 and counts[("platform", "green")] == 0
    # payments has a red branch; search a pending one; platform neither
    assert view.teams == ["payments", "search", "platform"]
    assert view.totals() == {"green": 2, "pending": 1, "red": 1, "unknown": 2}
    assert view.collected == 5  # docs-site has no row


def test_archived_repositories_count_only_when_the_filters_keep_them(tmp_path: Path) -> None:
    view = bv.build_view(of(github_org(), Filters(include_archived=True)), TAKEN_AT)
    assert view.totals()["red"] == 2
    assert view.repos_of("payments", "red")["repo"].tolist() == ["acme/pay-api", "acme/pay-legacy"]
    assert view.repos_of(None, "pending")["repo"].tolist() == ["web/search-ui"]
    assert view.repos_of("search")["repo"].tolist() == ["web/search-ui", "acme/search-idx"]


def test_a_team_filter_narrows_every_table(tmp_path: Path) -> None:
    view = bv.build_view(of(github_org(), Filters(teams=("search",))), TAKEN_AT)
    assert view.repos["repo"].tolist() == ["web/search-ui", "acme/search-idx"]
    assert view.teams == ["search"]
    assert set(view.workflows["repo"]) == {"web/search-ui", "acme/search-idx"}
    assert set(view.actions["action"]) == {"actions/checkout", "actions/setup-node", "./.github/actions/build"}
    assert view.checks.empty


def test_providers_per_team_with_the_share_of_the_team_and_repositories_without_ci(analysis: Analysis) -> None:
    providers = bv.build_view(analysis, TAKEN_AT).providers
    got = {(t, p): (n, round(s, 3)) for t, p, n, s in providers.itertuples(index=False, name=None)}
    assert got == {
        ("payments", "github-actions"): (2, 1.0),
        ("payments", "jenkins"): (1, 0.5),
        ("platform", "gitlab-ci"): (1, 0.5),
        ("platform", bv.NO_CI): (1, 0.5),  # infra has no CI file
        ("search", "github-actions"): (2, 1.0),
        ("search", "circleci"): (1, 0.5),
    }
    # most used provider first, "no CI file" last, within each team
    assert providers[providers["team"] == "platform"]["provider"].tolist() == ["gitlab-ci", bv.NO_CI]
    assert providers[providers["team"] == "payments"]["provider"].tolist() == ["github-actions", "jenkins"]


def test_actions_in_use_with_how_each_is_pinned(analysis: Analysis) -> None:
    actions = bv.build_view(analysis, TAKEN_AT).actions
    got = {(a, r): (p, s, n, t) for a, r, p, s, n, t, _ in actions.itertuples(index=False, name=None)}
    assert got == {
        ("actions/checkout", "v4"): ("version", False, 3, "payments, search"),
        ("actions/checkout", SHA): ("sha", True, 1, "payments"),
        ("actions/setup-python", "v5"): ("version", False, 1, "payments"),
        ("actions/setup-node", "main"): ("branch", False, 1, "search"),
        ("./.github/actions/build", ""): ("local", False, 1, "search"),
    }
    assert actions.iloc[0][["action", "ref"]].tolist() == ["actions/checkout", "v4"]  # most repositories first


@pytest.mark.parametrize(
    ("action", "ref", "kind"),
    [
        ("actions/checkout", SHA, "sha"),
        ("actions/checkout", SHA.upper(), "sha"),
        ("actions/checkout", SHA[:12], "branch"),  # a short sha is not a pin GitHub guarantees
        ("actions/checkout", "v4", "version"),
        ("actions/checkout", "v4.1.7", "version"),
        ("actions/checkout", "4", "version"),
        ("shivammathur/setup-php", "2.30.0-beta.1", "version"),
        ("dtolnay/rust-toolchain", "master", "branch"),
        ("dtolnay/rust-toolchain", "stable", "branch"),
        ("actions/checkout", None, "unpinned"),
        ("actions/checkout", "", "unpinned"),
        ("./.github/actions/build", None, "local"),
        ("docker://alpine:3.20", None, "docker"),
    ],
)
def test_pin_kind(action: str, ref: str | None, kind: str) -> None:
    assert bv.pin_kind(action, ref) == kind


def test_every_pin_kind_is_reachable_and_described() -> None:
    kinds = [kind for kind, _, said in bv.PIN_KINDS if said]
    assert len(kinds) == len(set(kinds)) == len(bv.PIN_KINDS)
    assert bv.PIN_KINDS[-1][1].pattern == ".*"  # the last one catches everything


def test_a_snapshot_without_build_health_still_has_providers_and_actions() -> None:
    local = [
        RepoFacts(name="a", team="t", ci_files=[CiFile("github-actions", ".github/workflows/ci.yml")],
                  actions=[ActionUse("actions/checkout", "v3", ".github/workflows/ci.yml")]),
        RepoFacts(name="b", team="t"),
    ]  # fmt: skip
    view = bv.build_view(of(local), TAKEN_AT)
    assert view.collected == 0
    assert view.totals() == {"green": 0, "pending": 0, "red": 0, "unknown": 2}
    assert set(view.repos["reason"]) == {bv.NOT_COLLECTED}
    assert view.providers[["provider", "repositories"]].values.tolist() == [["github-actions", 1], [bv.NO_CI, 1]]
    assert view.actions[["action", "ref", "pinned"]].values.tolist() == [["actions/checkout", "v3", "version"]]


def test_an_empty_snapshot_gives_empty_tables() -> None:
    view = bv.build_view(of([]), TAKEN_AT)
    assert view.repos.empty and view.states.empty and view.providers.empty and view.actions.empty
    assert view.teams == [] and view.collected == 0
    assert list(view.repos.columns) == bv.REPO_COLUMNS
