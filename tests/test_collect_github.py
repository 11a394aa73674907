"""The GitHub source end to end: the real PyGithub client against the fake GitHub over real HTTP.

The fake serves real git repositories (built in tmp_path or by the demo generator), so the same
organisation can be collected both ways and the facts compared.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from collectors.facts import RepoFacts
from collectors.run import collect_local
from collectors.run_github import GitHubOptions, GitHubStats, collect_github
from collectors.sources.blob_cache import BlobCache
from collectors.sources.github import BlobFetcher, Target
from collectors.sources.github_api import Api, ApiSettings, Credentials
from store.db import open_store
from tests.fake_github import FakeGitHub, FakeRepo
from tests.gitrepo import git, make_repo

TOKEN = "test-token-Sup3rSecretValue-0123456789abcdef"
ROOT = Path(__file__).resolve().parent.parent

#: The facts that must not depend on where the bytes came from.
FILE_FACTS = (
    "languages",
    "other_languages",
    "dependencies",
    "technologies",
    "runtimes",
    "docker_images",
    "ci_files",
    "actions",
    "hygiene",
    "warnings",
    "head",
    "default_branch",
    "team",
)


def fast_settings(fake: FakeGitHub, **kw) -> ApiSettings:
    return ApiSettings(base_url=fake.base_url, backoff=0.05, secondary_wait=1, retries=4, **kw)


def run_github(
    fake: FakeGitHub,
    tmp_path: Path,
    *,
    previous: dict[str, RepoFacts] | None = None,
    journaled: dict[str, RepoFacts] | None = None,
    settings: ApiSettings | None = None,
    **options,
) -> tuple[list[RepoFacts], Api, BlobFetcher, GitHubStats]:
    cache = BlobCache(tmp_path / "cache.sqlite")
    api = Api(Credentials(token=TOKEN), settings or fast_settings(fake), cache=cache)
    fetcher = BlobFetcher(api, cache)
    stats = GitHubStats()
    opts = GitHubOptions(target=options.pop("target", Target("org", "acme")), **options)
    try:
        collection = collect_github(api, fetcher, opts, previous=previous, journaled=journaled, stats=stats)
    finally:
        fetcher.close()
        cache.close()
    return collection.repos, api, fetcher, stats


def short(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def fact_view(record: RepoFacts) -> dict:
    return {f: getattr(record, f) for f in FILE_FACTS}


@pytest.fixture(scope="module")
def demo_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from demo import build_organisation

    root = tmp_path_factory.mktemp("demo") / "org"
    build_organisation(root, repos=64, teams=8, seed=7)
    return root


# --- the same organisation both ways -------------------------------------------------------------------


def test_demo_organisation_gives_the_same_facts_through_github_as_through_local_clones(
    demo_org: Path, tmp_path: Path
) -> None:
    local = {short(r.name): r for r in collect_local(demo_org).repos}
    with FakeGitHub.from_local_root(demo_org, "acme", tokens=[TOKEN]) as fake:
        # locally the folder is the last word; on the fake, the folder became the maintaining team
        order = ("teams-file", "catalog-info", "codeowners", "github-team")
        remote, _api, _fetcher, stats = run_github(fake, tmp_path, team_order=order)
    remote_by = {short(r.name): r for r in remote}
    assert sorted(remote_by) == sorted(local)
    differences = {
        name: {k: (v, fact_view(local[name])[k]) for k, v in fact_view(r).items() if v != fact_view(local[name])[k]}
        for name, r in remote_by.items()
    }
    assert {k: v for k, v in differences.items() if v} == {}
    assert all(r.name.startswith("acme/") and r.url and r.visibility for r in remote)
    assert stats.read == len(local) and stats.carried == 0
    assert any(r.build is not None and r.build.state in ("green", "red") for r in remote)
    assert any(r.workflows for r in remote)


def test_unchanged_rerun_carries_facts_over_with_almost_no_requests(demo_org: Path, tmp_path: Path) -> None:
    with FakeGitHub.from_local_root(demo_org, "acme", tokens=[TOKEN]) as fake:
        first, *_ = run_github(fake, tmp_path)
        first_requests = fake.total
        fake.reset_counts()
        second, api2, fetch2, stats = run_github(fake, tmp_path, previous={r.name: r for r in first})
        rerun_requests = fake.total
    n = len(first)
    assert first_requests / n <= 4, fake.counts
    # nothing per repository: the listing, the teams (one request per team) and batched heads
    teams = 1 + fake.counts["teams.repos"]
    assert set(fake.counts) <= {"repos.list", "teams.list", "teams.repos", "graphql"}, fake.counts
    assert rerun_requests - teams <= 0.05 * n, fake.counts
    assert api2.counts["not-modified"] >= teams  # conditional pages: unchanged teams cost no rate limit
    assert fetch2.downloaded == 0 and stats.carried == n and stats.read == 0
    assert [r.to_json() for r in second] == [r.to_json() for r in first]


def test_a_push_is_read_again_and_only_that_repository(tmp_path: Path) -> None:
    a = make_repo(tmp_path / "org" / "a", {"requirements.txt": "django==4.2\n"})
    b = make_repo(tmp_path / "org" / "b", {"package.json": '{"dependencies": {"react": "18.2.0"}}'})
    with FakeGitHub("acme", [FakeRepo("a", a), FakeRepo("b", b)], tokens=[TOKEN]) as fake:
        first, *_ = run_github(fake, tmp_path)
        (a / "requirements.txt").write_text("django==5.1\n")
        git(a, "commit", "-qam", "upgrade")
        fake.reset_counts()
        second, _, fetcher, stats = run_github(fake, tmp_path, previous={r.name: r for r in first})
        assert fake.counts["git.trees"] == 1
    assert stats.read == 1 and stats.carried == 1
    deps = {r.name: {d.name: d.declared for d in r.dependencies} for r in second}
    assert deps["acme/a"] == {"django": "==5.1"} and deps["acme/b"]["react"] == "18.2.0"
    assert fetcher.downloaded == 1  # the new requirements.txt; package.json is unchanged


# --- faults ----------------------------------------------------------------------------------------------


@pytest.fixture
def small_org(tmp_path: Path) -> list[FakeRepo]:
    repos = []
    for i in range(6):
        path = make_repo(
            tmp_path / "org" / f"svc-{i}",
            {
                "requirements.txt": f"flask=={2 + i % 2}.0\n",
                "app.py": "print('hi')\n" * (i + 1),
                "src/lib/deep/mod.py": "x = 1\n",
                ".github/workflows/ci.yml": "name: CI\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
            },
        )
        repos.append(FakeRepo(f"svc-{i}", path, teams={"payments": "maintain"}))
    return repos


def reference(small_org: list[FakeRepo], tmp_path: Path) -> dict[str, dict]:
    with FakeGitHub("acme", small_org, tokens=[TOKEN]) as fake:
        repos, *_ = run_github(fake, tmp_path / "ref")
    return {r.name: fact_view(r) for r in repos}


@pytest.mark.parametrize(
    "inject",
    [
        pytest.param(lambda f: f.faults.fail(r"/git/trees/", 502, times=3), id="5xx-retried"),
        pytest.param(lambda f: f.faults.fail(r"/api/graphql", 503, times=2), id="graphql-5xx-retried"),
        pytest.param(lambda f: f.faults.secondary_limit(r"/git/trees/", retry_after=1), id="secondary-403"),
        pytest.param(lambda f: f.faults.secondary_limit(r"/api/graphql", status=429), id="secondary-429"),
        pytest.param(lambda f: f.faults.drop(r"/git/trees/", times=2), id="dropped-connection"),
        pytest.param(lambda f: f.faults.drop(r"/api/graphql", times=1), id="graphql-dropped"),
        pytest.param(lambda f: setattr(f.faults, "truncate_trees_over", 3), id="truncated-trees"),
        pytest.param(lambda f: setattr(f.faults, "latency", 0.02), id="latency"),
        pytest.param(lambda f: f.faults.fail(r"/api/graphql", 502, times=100), id="graphql-down-rest-fallback"),
    ],
)
def test_recoverable_faults_give_the_same_facts(small_org: list[FakeRepo], tmp_path: Path, inject) -> None:
    expected = reference(small_org, tmp_path)
    with FakeGitHub("acme", small_org, tokens=[TOKEN]) as fake:
        inject(fake)
        repos, *_ = run_github(fake, tmp_path / "run")
    got = {r.name: fact_view(r) for r in repos}
    for _name, facts in got.items():
        facts["warnings"] = [w for w in facts["warnings"] if "truncated" not in w.message]
    assert got == expected


def test_repository_faults_are_warnings_and_the_run_goes_on(small_org: list[FakeRepo], tmp_path: Path) -> None:
    small_org[0].status = 404
    small_org[1].status = 451
    small_org[2].path = None  # empty repository
    with FakeGitHub("acme", small_org, tokens=[TOKEN]) as fake:
        fake.faults.fail(r"/repos/acme/svc-3/git/trees/", 500, times=1000)  # never recovers
        repos, *_ = run_github(fake, tmp_path)
    by = {short(r.name): r for r in repos}
    assert sorted(by) == [f"svc-{i}" for i in range(6)]
    assert "not read" in by["svc-0"].warnings[0].message
    assert "not read" in by["svc-1"].warnings[0].message
    assert "empty repository" in by["svc-2"].warnings[0].message
    assert "files not listed" in by["svc-3"].warnings[0].message and "500" in by["svc-3"].warnings[0].message
    assert by["svc-4"].dependencies and not by["svc-4"].warnings
    assert all(r.team == "payments" for r in repos)  # host metadata survives a repository that cannot be read


def test_odd_paths_in_a_tree_are_left_out_with_a_warning(tmp_path: Path) -> None:
    from collectors.sources.github import Tree, _add_entries

    tree = Tree({})
    entries = [
        {"path": "ok.py", "mode": "100644", "type": "blob", "sha": "a" * 40, "size": 3},
        {"path": "../escape", "mode": "100644", "type": "blob", "sha": "b" * 40, "size": 3},
        {"path": "a//b", "mode": "100644", "type": "blob", "sha": "c" * 40, "size": 3},
        {"path": ".git/config", "mode": "100644", "type": "blob", "sha": "d" * 40, "size": 3},
        {"path": "neg", "mode": "100644", "type": "blob", "sha": "e" * 40, "size": -1},
        {"path": "link", "mode": "120000", "type": "blob", "sha": "f" * 40, "size": 3},
        {"path": "sub", "mode": "160000", "type": "commit", "sha": "0" * 40},
    ]
    _add_entries(tree, "", entries)
    assert list(tree.files) == ["ok.py"]
    assert len(tree.warnings) == 4


def test_rate_limit_is_paced_not_hit(small_org: list[FakeRepo], tmp_path: Path) -> None:
    with FakeGitHub("acme", small_org, tokens=[TOKEN], rate_limit=12, rate_reset_seconds=2) as fake:
        settings = fast_settings(fake, reserve=2)
        repos, api, *_ = run_github(fake, tmp_path, settings=settings, workers=2)
    assert all(r.dependencies for r in repos)
    assert api.gate.waited > 0  # it waited for resets instead of running into 403s


# --- the command: secrets, resume, GitHub App ------------------------------------------------------------


def guildboard(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_token_never_leaks_even_through_faults(small_org: list[FakeRepo], tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    small_org[0].status = 403
    with FakeGitHub("acme", small_org, tokens=[TOKEN]) as fake:
        fake.faults.fail(r"/repos/acme/svc-1/git/trees/", 500, times=1000, message=f"boom token {TOKEN}")
        fake.faults.fail(r"/repos/acme/svc-2/git/trees/", 404, times=1000, message=f"no tree for {TOKEN}")
        fake.faults.secondary_limit(r"/api/graphql", retry_after=1)
        fake.faults.drop(r"/git/blobs/", times=1)
        done = guildboard(
            "collect", "github", "acme", "--base-url", fake.base_url, "--db", f"sqlite:///{db}",
            env={"GITHUB_TOKEN": TOKEN, "GUILDBOARD_DEBUG": ""},
        )  # fmt: skip
        exported = guildboard("export", "json", "--db", f"sqlite:///{db}")
        bad = guildboard(
            "collect", "github", "acme", "--base-url", fake.base_url, "--db", f"sqlite:///{db}",
            env={"GITHUB_TOKEN": TOKEN + "x"},
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "snapshot 1:" in done.stdout
    assert bad.returncode == 2 and "401" in bad.stderr
    texts = [done.stdout, done.stderr, exported.stdout, bad.stdout, bad.stderr]
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert any(p.name.endswith(".cache.sqlite") for p in files)
    for secret in (TOKEN, TOKEN[4:20]):
        assert not [t for t in texts if secret in t]
        assert not [p.name for p in files if secret.encode() in p.read_bytes()]
    assert "500" in exported.stdout  # the fault is on the repository, without the token
    assert "no tree for ***" in exported.stdout  # GitHub's message is kept, the token blotted out


def test_interrupted_run_resumes_without_fetching_finished_repositories(tmp_path: Path) -> None:
    repos = [
        FakeRepo(f"r{i:02d}", make_repo(tmp_path / "org" / f"r{i:02d}", {"requirements.txt": f"flask=={i}.0\n"}))
        for i in range(24)
    ]
    db = f"sqlite:///{tmp_path / 'g.db'}"
    with FakeGitHub("acme", repos, tokens=[TOKEN]) as fake:
        fake.faults.latency = 0.05
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "collect", "github", "acme", "--base-url", fake.base_url, "--db", db,
             "--workers", "1", "--no-ci", "-q"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_TOKEN": TOKEN},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        store = open_store(db)
        import time

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            runs = store.unfinished_runs("github", f"{fake.base_url.split('/')[2]}/acme")
            if runs and runs[0].done >= 5:
                break
            time.sleep(0.1)
        proc.send_signal(__import__("signal").SIGINT)
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "--resume" in err
        assert store.snapshots() == []  # the partial run is not a snapshot
        done_before = store.unfinished_runs("github", f"{fake.base_url.split('/')[2]}/acme")[0].done
        assert 5 <= done_before < 24
        fake.reset_counts()
        fake.faults.latency = 0
        resumed = guildboard(
            "collect", "github", "acme", "--base-url", fake.base_url, "--db", db, "--resume", "--no-ci",
            env={"GITHUB_TOKEN": TOKEN},
        )  # fmt: skip
        assert resumed.returncode == 0, resumed.stderr
        assert fake.counts["git.trees"] == 24 - done_before
    snaps = store.snapshots()
    assert len(snaps) == 1 and snaps[0].repo_count == 24
    assert store.unfinished_runs("github", f"{fake.base_url.split('/')[2]}/acme") == []
    facts = store.repo_facts(snaps[0].id)
    assert [d.declared for r in facts for d in r.dependencies] == [f"=={i}.0" for i in range(24)]


def test_network_loss_stops_the_run_and_resume_finishes_it(tmp_path: Path) -> None:
    import time

    repos = [
        FakeRepo(f"r{i:02d}", make_repo(tmp_path / "org" / f"r{i:02d}", {"go.mod": f"module r{i}\n\ngo 1.2{i % 3}\n"}))
        for i in range(30)
    ]
    db = f"sqlite:///{tmp_path / 'g.db'}"
    with FakeGitHub("acme", repos, tokens=[TOKEN]) as fake:
        root = f"{fake.base_url.split('/')[2]}/acme"
        fake.faults.latency = 0.05
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "collect", "github", "acme", "--base-url", fake.base_url, "--db", db,
             "--workers", "2", "--retries", "1", "-q"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_TOKEN": TOKEN},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        store = open_store(db)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not [r for r in store.unfinished_runs("github", root) if r.done >= 4]:
            time.sleep(0.05)
        fake.faults.drop(".", times=10**6)  # the network is gone
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 2, err
        assert "failed on" in err and "--resume" in err
        assert store.snapshots() == []
        done_before = store.unfinished_runs("github", root)[0].done
        assert 4 <= done_before < 30  # what failed for the network's sake is not journaled as done
        fake.faults.clear()
        fake.faults.latency = 0
        fake.reset_counts()
        resumed = guildboard(
            "collect", "github", "acme", "--base-url", fake.base_url, "--db", db, "--resume",
            env={"GITHUB_TOKEN": TOKEN},
        )  # fmt: skip
        assert resumed.returncode == 0, resumed.stderr
        assert fake.counts["git.trees"] == 30 - done_before
    (snap,) = store.snapshots()
    facts = store.repo_facts(snap.id)
    assert len(facts) == 30 and not [r.name for r in facts if r.warnings or not r.runtimes]


def test_github_app_auth_and_user_repositories(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from tests.fake_github import FakeApp

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "app.pem").write_bytes(pem)
    repo = make_repo(tmp_path / "org" / "tool", {"go.mod": "module x\n\ngo 1.22\n"})
    own = make_repo(tmp_path / "user" / "dotfiles", {"Gemfile": "gem 'rails', '7.1.0'\n"})
    app = FakeApp(app_id=42, public_key_pem=public, installation_id=7)
    db = f"sqlite:///{tmp_path / 'g.db'}"
    with FakeGitHub("acme", [FakeRepo("tool", repo)], users={"jane": [FakeRepo("dotfiles", own)]}, app=app) as fake:
        done = guildboard(
            "collect", "github", "acme", "--base-url", fake.base_url, "--db", db,
            "--app-id", "42", "--app-key", str(tmp_path / "app.pem"), "--installation-id", "7",
            env={"GITHUB_TOKEN": ""},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        user = guildboard(
            "collect", "github", "--user", "jane", "--base-url", fake.base_url, "--db", db,
            "--app-id", "42", "--app-key", str(tmp_path / "app.pem"), "--installation-id", "7",
        )  # fmt: skip
        assert user.returncode == 0, user.stderr
    store = open_store(db)
    by_root = {s.root.split("/")[-1]: store.repo_facts(s.id) for s in store.snapshots()}
    assert [r.name for r in by_root["acme"]] == ["acme/tool"]
    assert by_root["acme"][0].runtimes[0].name == "go"
    assert [r.name for r in by_root["jane"]] == ["jane/dotfiles"]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["acme"], {"GITHUB_TOKEN": ""}, "no GitHub token"),
        ([], {"GITHUB_TOKEN": "x"}, "name one organisation"),
        (["acme", "--user", "jane"], {"GITHUB_TOKEN": "x"}, "name one organisation"),
        (["acme", "--app-id", "1"], {"GITHUB_TOKEN": ""}, "--app-id, --app-key and --installation-id"),
        (["acme", "--team-order", "owners"], {"GITHUB_TOKEN": "x"}, "bad team order"),
    ],
)
def test_command_refuses_bad_options_in_one_line(args: list[str], env: dict, message: str, tmp_path: Path) -> None:
    done = guildboard("collect", "github", *args, "--db", f"sqlite:///{tmp_path / 'g.db'}", env=env)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_build_health_from_runs_checks_and_statuses(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "org" / "svc", {".github/workflows/ci.yml": "name: CI\non: push\n"})
    head = git(path, "rev-parse", "HEAD").strip()
    runs = [
        {
            "id": 100 - n, "name": "CI", "path": ".github/workflows/ci.yml", "head_branch": "main",
            "head_sha": head if n == 0 else "0" * 40, "event": "push", "status": "completed",
            "conclusion": "failure" if n == 0 else "success", "run_number": 100 - n,
            "created_at": f"2026-11-{20 - n:02d}T10:00:00Z", "updated_at": f"2026-11-{20 - n:02d}T10:05:00Z",
            "run_started_at": f"2026-11-{20 - n:02d}T10:00:00Z",
        }
        for n in range(5)
    ]  # fmt: skip
    checks = [
        {
            "id": 1, "name": "build", "head_sha": head, "status": "completed", "conclusion": "failure",
            "started_at": "2026-11-20T10:00:00Z", "completed_at": "2026-11-20T10:05:00Z",
            "app": {"slug": "github-actions", "name": "GitHub Actions", "id": 15368}, "check_suite": {"id": 9},
        }
    ]  # fmt: skip
    statuses = [
        {"context": "continuous-integration/jenkins/branch", "state": "success", "created_at": "2026-11-20T10:00:00Z",
         "updated_at": "2026-11-20T10:00:00Z", "target_url": "https://jenkins.example.com/job/1", "description": "ok"},
    ]  # fmt: skip
    repo = FakeRepo("svc", path, runs=runs, check_runs=checks, statuses=statuses)
    with FakeGitHub("acme", [repo], tokens=[TOKEN]) as fake:
        (record,), *_ = run_github(fake, tmp_path)
    assert record.build is not None and record.build.state == "red" and record.build.commit == head
    assert "build" in record.build.reason
    (workflow,) = record.workflows
    assert (workflow.workflow, workflow.runs, workflow.success_rate) == ("CI", 5, 0.8)
    assert workflow.latest_conclusion == "failure" and workflow.median_duration_s == 300.0
    assert {(c.kind, c.state) for c in record.checks} == {("check-run", "failure"), ("status", "success")}


def test_no_ci_reads_no_build_health(small_org: list[FakeRepo], tmp_path: Path) -> None:
    with FakeGitHub("acme", small_org, tokens=[TOKEN]) as fake:
        repos, *_ = run_github(fake, tmp_path, with_ci=False)
        assert fake.counts["actions.runs"] == 0
    assert all(r.build is None and not r.workflows for r in repos)


def test_selection_archived_forks_and_globs(tmp_path: Path) -> None:
    def repo(name: str, **kw) -> FakeRepo:
        return FakeRepo(name, make_repo(tmp_path / "org" / name, {"a.py": "1\n"}), **kw)

    org = [repo("api"), repo("old", archived=True), repo("fork", fork=True), repo("web-ui"), repo("web-legacy")]
    with FakeGitHub("acme", org, tokens=[TOKEN]) as fake:
        default, *_ = run_github(fake, tmp_path / "a")
        every, *_ = run_github(fake, tmp_path / "b", include_archived=True, include_forks=True)
        web, *_ = run_github(fake, tmp_path / "c", include=["web-*"], exclude=["*legacy"])
    assert [short(r.name) for r in default] == ["api", "web-legacy", "web-ui"]
    assert [short(r.name) for r in every] == ["api", "fork", "old", "web-legacy", "web-ui"]
    assert [short(r.name) for r in web] == ["web-ui"]
    assert {short(r.name): (r.archived, r.fork) for r in every}["old"] == (True, False)


def test_team_sources_and_topics(tmp_path: Path) -> None:
    a = make_repo(tmp_path / "org" / "a", {"CODEOWNERS": "* @acme/owners\n"})
    b = make_repo(tmp_path / "org" / "b", {"x.py": "1\n"})
    c = make_repo(tmp_path / "org" / "c", {"catalog-info.yaml": "spec:\n  owner: cat\n  lifecycle: retired\n"})
    org = [
        FakeRepo("a", a, teams={"admins": "admin", "maint": "maintain", "readers": "pull"}),
        FakeRepo("b", b, topics=["team-search", "python"]),
        FakeRepo("c", c, teams={"maint": "maintain"}),
    ]
    with FakeGitHub("acme", org, tokens=[TOKEN]) as fake:
        first, *_ = run_github(fake, tmp_path)
        again, *_ = run_github(fake, tmp_path, previous={r.name: r for r in first})
    for repos in (first, again):
        by = {short(r.name): r for r in repos}
        assert (by["a"].team, by["a"].team_source) == ("admins", "github-team")
        assert by["a"].team_candidates == {"github-team": "admins", "codeowners": "owners"}
        assert (by["b"].team, by["b"].team_source) == ("search", "topic")
        assert (by["c"].team, by["c"].team_source, by["c"].archived) == ("cat", "catalog-info", True)


def test_record_fields_survive_the_store(small_org: list[FakeRepo], tmp_path: Path, store) -> None:
    from store.db import SnapshotMeta

    with FakeGitHub("acme", small_org, tokens=[TOKEN]) as fake:
        repos, *_ = run_github(fake, tmp_path)
    sid = store.write_snapshot(SnapshotMeta("2026-11-28T00:00:00+00:00", "github", "x/acme"), repos)
    back = store.repo_facts(sid)
    assert [r.to_json() for r in back] == [r.to_json() for r in repos]
    assert {f.name for f in fields(RepoFacts)} >= {"build", "workflows", "checks"}
