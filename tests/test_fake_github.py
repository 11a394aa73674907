"""The fake GitHub server, driven by the real PyGithub client over real HTTP against real git repositories.

These tests hold the fake to GitHub's shapes, so the collector tested against it also works against GitHub.
"""

from __future__ import annotations

import base64
import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import github
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from github import Auth, Github, GithubException, GithubRetry

from tests.fake_github import FakeApp, FakeGitHub, FakeRepo
from tests.gitrepo import git, make_repo

TOKEN = "test-token"
BINARY = bytes(range(256)) * 3 + b"\x00tail"
CI_YAML = "name: CI\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
RELEASE_YAML = "on: push\njobs:\n  publish:\n    name: Publish\n    runs-on: ubuntu-latest\n"


# ------------------------------------------------------------------------------------------------------------
# Fixtures: one organisation of real repositories, built once per module


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """root/<team>/<repo> like the demo organisation, plus one repository straight under root."""
    base = tmp_path_factory.mktemp("org")
    api = make_repo(
        base / "platform" / "api",
        {
            "README.md": "# api\n",
            "src/app.py": "print('hello')\n",
            "src/pkg/__init__.py": "",
            ".github/workflows/ci.yml": CI_YAML,
            ".github/workflows/release.yaml": RELEASE_YAML,
            "bin/logo.png": BINARY,
            "notes/héllo wörld.txt": "ünïcode\n",
        },
        symlinks={"docs/readme-link": "../README.md", "outside": "../../etc/passwd"},
    )
    (api / "README.md").write_text("# api\n\nsecond version\n")
    git(api, "commit", "-q", "-am", "second commit\n\nwith a body")
    make_repo(base / "platform" / "web", {"package.json": '{"name": "web"}\n'})
    make_repo(base / "data" / "etl", {"pyproject.toml": "[project]\nname = 'etl'\n"})
    make_repo(base / "data" / "ml", {"train.py": "pass\n"})
    make_repo(base / "payments" / "ledger", {"go.mod": "module ledger\n"})
    make_repo(base / "payments" / "gateway", {"pom.xml": "<project/>\n"}, branch="trunk")
    make_repo(base / "tools", {"Makefile": "all:\n"})
    return base


def org_specs(root: Path) -> list[FakeRepo]:
    """The organisation as most tests see it: the repositories under root plus special cases."""
    return [
        FakeRepo("api", root / "platform" / "api", visibility="internal", topics=["python", "api"],
                 teams={"platform": "maintain", "security": "pull"},
                 statuses=[{"context": "ci/jenkins", "state": "success", "target_url": "https://jenkins/1"}]),
        FakeRepo("web", root / "platform" / "web", visibility="public", teams={"platform": "push"},
                 statuses=[{"context": "ci/jenkins", "state": "failure", "description": "red"}]),
        FakeRepo("etl", root / "data" / "etl", archived=True, teams={"data": "admin"}),
        FakeRepo("ml", root / "data" / "ml", fork=True, teams={"data": "triage"},
                 check_runs=[{"name": "lint", "status": "in_progress"}]),
        FakeRepo("ledger", root / "payments" / "ledger", pushed_at="2026-11-20T10:00:00Z",
                 runs=[
                     {"name": "Build", "path": ".github/workflows/build.yml", "conclusion": "failure",
                      "created_at": "2026-11-20T10:00:00Z"},
                     {"name": "Build", "path": ".github/workflows/build.yml", "head_branch": "release",
                      "created_at": "2026-11-19T10:00:00Z"},
                 ]),
        FakeRepo("gateway", root / "payments" / "gateway"),
        FakeRepo("tools", root / "tools", visibility="public"),
        FakeRepo("empty", None),
        FakeRepo("gone", root / "tools", status=404),
        FakeRepo("dmca", root / "tools", status=451),
        FakeRepo("tos", root / "tools", status=403),
    ]  # fmt: skip


@pytest.fixture
def fake(root: Path) -> Iterator[FakeGitHub]:
    with FakeGitHub("acme", org_specs(root)) as server:
        yield server
        assert server.server_errors == []


def client(fake: FakeGitHub, token: str = TOKEN, auth: Auth.Auth | None = None, **kwargs: Any) -> Github:
    """The real PyGithub client against the fake; no retries and no pacing unless a test asks for them."""
    kwargs.setdefault("retry", 0)
    kwargs.setdefault("seconds_between_requests", None)
    kwargs.setdefault("seconds_between_writes", None)
    return Github(base_url=fake.base_url, auth=auth or Auth.Token(token), **kwargs)


def raw_get(fake: FakeGitHub, path: str, token: str | None = TOKEN, **headers: str) -> requests.Response:
    if token is not None:
        headers["Authorization"] = f"token {token}"
    return requests.get(f"{fake.base_url}{path}", headers=headers, timeout=10)


def graphql(gh: Github, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    _, data = gh.requester.requestJsonAndCheck(
        "POST", gh.requester.graphql_url, input={"query": query, "variables": variables or {}}
    )
    return data


def ls_tree(path: Path, *args: str) -> list[tuple[str, str, str, str, int | None]]:
    out = []
    for raw in git(path, "ls-tree", "-l", "--full-tree", "-z", *args).split("\x00"):
        if raw:
            info, _, name = raw.partition("\t")
            mode, kind, sha, size = info.split()
            out.append((name, mode, kind, sha, None if size == "-" else int(size)))
    return out


def head(path: Path) -> str:
    return git(path, "rev-parse", "HEAD").strip()


# ------------------------------------------------------------------------------------------------------------
# Discovery, organisation, repositories


def test_from_local_root_names_repositories_and_teams(root: Path) -> None:
    make_repo(root / "platform" / "api" / "vendor" / "inner", {"x": "y"})  # inside a repository: not listed
    fake = FakeGitHub.from_local_root(root, "acme")
    specs = {r.name: r for o in fake._owners.values() for r in (x.spec for x in o.repos.values())}
    assert sorted(specs) == ["api", "etl", "gateway", "ledger", "ml", "tools", "web"]
    assert specs["api"].teams == {"platform": "maintain"}
    assert specs["ledger"].teams == {"payments": "maintain"}
    assert specs["tools"].teams == {}
    assert all(s.owner == "acme" for s in specs.values())


def test_org_listing_is_paginated_with_link_headers_walked_by_paginated_list(fake: FakeGitHub) -> None:
    gh = client(fake, per_page=3)
    org = gh.get_organization("acme")
    assert (org.login, org.type, org.id) == ("acme", "Organization", 1000)
    names = [r.full_name for r in org.get_repos(type="all")]
    assert names == sorted(f"acme/{r.name}" for r in org_specs(Path("/")))
    assert fake.counts["repos.list"] == 4  # 11 repositories, 3 per page

    first = raw_get(fake, "/orgs/acme/repos?per_page=3")
    assert first.links["next"]["url"] == f"{fake.base_url}/orgs/acme/repos?per_page=3&page=2"
    assert first.links["last"]["url"].endswith("page=4")
    middle = raw_get(fake, "/orgs/acme/repos?per_page=3&page=2")
    assert [rel for rel in middle.links] == ["prev", "next", "last", "first"]
    assert "next" not in raw_get(fake, "/orgs/acme/repos?per_page=3&page=4").links
    assert "Link" not in raw_get(fake, "/orgs/acme/repos").headers  # one page of 30

    assert {r.name for r in org.get_repos(type="public")} == {"web", "tools"}
    assert {r.name for r in org.get_repos(type="forks")} == {"ml"}
    assert "ml" not in {r.name for r in org.get_repos(type="sources")}
    assert raw_get(fake, "/orgs/nope").status_code == 404
    assert raw_get(fake, "/orgs/acme/repos?per_page=1000").json().__len__() == 11  # capped at per_page_max


def test_repository_object_has_githubs_fields(fake: FakeGitHub, root: Path) -> None:
    gh = client(fake)
    repo = gh.get_repo("acme/api")
    assert repo.full_name == "acme/api"
    assert (repo.visibility, repo.private, repo.archived, repo.fork) == ("internal", True, False, False)
    assert repo.topics == ["python", "api"]
    assert repo.default_branch == "main"
    assert repo.pushed_at.isoformat() == "2026-01-15T10:00:00+00:00"  # the head commit's committer date
    assert repo.owner.login == "acme" and repo.owner.type == "Organization"
    assert repo.html_url == f"{fake.origin}/acme/api"
    assert repo.url == f"{fake.base_url}/repos/acme/api"
    assert repo.permissions.admin is True
    assert gh.get_repo("acme/gateway").default_branch == "trunk"
    assert gh.get_repo("acme/ledger").pushed_at.isoformat() == "2026-11-20T10:00:00+00:00"

    empty = raw_get(fake, "/repos/acme/empty").json()
    assert (empty["default_branch"], empty["pushed_at"], empty["size"]) == ("main", None, 0)
    body = raw_get(fake, "/repos/acme/etl").json()
    for key in ("id", "node_id", "name", "full_name", "owner", "private", "visibility", "fork", "archived",
                "disabled", "html_url", "url", "description", "default_branch", "pushed_at", "created_at",
                "updated_at", "topics", "size", "language"):  # fmt: skip
        assert key in body, key
    assert body["archived"] is True and body["language"] is None

    with pytest.raises(github.UnknownObjectException):
        gh.get_repo("acme/missing")
    with pytest.raises(github.UnknownObjectException):
        gh.get_repo("acme/gone")
    for name, status in (("dmca", 451), ("tos", 403)):
        answer = raw_get(fake, f"/repos/acme/{name}/git/trees/main")
        assert answer.status_code == status
        assert answer.json()["message"] == "Repository access blocked"


def test_user_repositories(root: Path) -> None:
    users = {"alice": [FakeRepo("dotfiles", root / "tools", visibility="public")]}
    with FakeGitHub("acme", [], users=users) as fake:
        gh = client(fake)
        user = gh.get_user("alice")
        assert (user.login, user.type) == ("alice", "User")
        assert [r.full_name for r in user.get_repos()] == ["alice/dotfiles"]
        assert gh.get_repo("alice/dotfiles").get_git_tree("main").tree[0].path == "Makefile"
        assert fake.counts["users.get"] == 1 and fake.counts["repos.list"] == 1


# ------------------------------------------------------------------------------------------------------------
# Git data


def test_recursive_tree_equals_git_ls_tree(fake: FakeGitHub, root: Path) -> None:
    path = root / "platform" / "api"
    repo = client(fake).get_repo("acme/api")
    tree = repo.get_git_tree("main", recursive=True)
    assert tree.sha == git(path, "rev-parse", "HEAD^{tree}").strip()
    assert [(e.path, e.mode, e.type, e.sha, e.size) for e in tree.tree] == ls_tree(path, "-r", "-t", "HEAD")
    assert tree.raw_data["truncated"] is False
    link = next(e for e in tree.tree if e.path == "docs/readme-link")
    assert (link.mode, link.type) == ("120000", "blob")

    top = repo.get_git_tree(head(path))  # by commit sha, not recursive
    assert [e.path for e in top.tree] == [e[0] for e in ls_tree(path, "HEAD")]
    by_tree_sha = repo.get_git_tree(tree.sha)
    assert by_tree_sha.sha == tree.sha
    src = next(e for e in tree.tree if e.path == "src")
    assert [e.path for e in repo.get_git_tree(src.sha).tree] == ["app.py", "pkg"]

    assert raw_get(fake, "/repos/acme/api/git/trees/no-such-branch").status_code == 404
    empty = raw_get(fake, "/repos/acme/empty/git/trees/main")
    assert (empty.status_code, empty.json()["message"]) == (409, "Git Repository is empty.")


def test_blobs_round_trip_bytes_exactly(fake: FakeGitHub, root: Path) -> None:
    path = root / "platform" / "api"
    repo = client(fake).get_repo("acme/api")
    blobs = [e for e in repo.get_git_tree("main", recursive=True).tree if e.type == "blob"]
    for entry in blobs:
        blob = repo.get_git_blob(entry.sha)
        assert blob.encoding == "base64"
        assert all(len(line) <= 60 for line in blob.content.split("\n"))
        expected = git_bytes(path, entry.sha)
        assert base64.b64decode(blob.content) == expected
        assert blob.size == len(expected)
    logo = next(e for e in blobs if e.path == "bin/logo.png")
    assert base64.b64decode(repo.get_git_blob(logo.sha).content) == BINARY
    assert fake.blobs_served[logo.sha] == 2
    assert fake.counts["git.blobs"] == len(blobs) + 1


def git_bytes(path: Path, sha: str) -> bytes:
    import subprocess

    return subprocess.run(["git", "-C", str(path), "cat-file", "blob", sha], capture_output=True, check=True).stdout


def test_contents_files_folders_and_symlinks(fake: FakeGitHub, root: Path) -> None:
    path = root / "platform" / "api"
    repo = client(fake).get_repo("acme/api")
    readme = repo.get_contents("README.md")
    assert readme.decoded_content == b"# api\n\nsecond version\n"
    assert (readme.type, readme.encoding, readme.name, readme.path) == ("file", "base64", "README.md", "README.md")
    old = repo.get_contents("README.md", ref=git(path, "rev-parse", "HEAD~1").strip())
    assert old.decoded_content == b"# api\n"
    assert repo.get_contents("bin/logo.png").decoded_content == BINARY
    assert repo.get_contents("notes/héllo wörld.txt").decoded_content == "ünïcode\n".encode()
    listing = repo.get_contents("src")
    assert sorted((c.name, c.type) for c in listing) == [("app.py", "file"), ("pkg", "dir")]
    top = {c.name: c.type for c in repo.get_contents("")}
    assert top["outside"] == "symlink" and top["README.md"] == "file"
    link = repo.get_contents("docs/readme-link")  # GitHub answers the target file of an inside link
    assert (link.path, link.decoded_content) == ("README.md", readme.decoded_content)
    outside = raw_get(fake, "/repos/acme/api/contents/outside").json()
    assert (outside["type"], outside["target"]) == ("symlink", "../../etc/passwd")
    assert requests.get(readme.download_url, headers={"Authorization": f"token {TOKEN}"}, timeout=5).content == (
        readme.decoded_content
    )
    with pytest.raises(github.UnknownObjectException):
        repo.get_contents("nope.txt")
    assert raw_get(fake, "/repos/acme/empty/contents/x").json()["message"] == "This repository is empty."


def test_branches_and_commits(fake: FakeGitHub, root: Path) -> None:
    path = root / "platform" / "api"
    repo = client(fake).get_repo("acme/api")
    branch = repo.get_branch("main")
    assert (branch.name, branch.commit.sha, branch.protected) == ("main", head(path), False)
    commit = repo.get_commit("main")
    assert commit.sha == head(path)
    assert commit.commit.tree.sha == git(path, "rev-parse", "HEAD^{tree}").strip()
    assert commit.commit.message == "second commit\n\nwith a body"
    assert commit.commit.committer.date.isoformat() == "2026-01-15T10:00:00+00:00"
    assert [p.sha for p in commit.parents] == [git(path, "rev-parse", "HEAD~1").strip()]
    assert repo.get_commit(head(path)[:7]).sha == head(path)
    assert raw_get(fake, "/repos/acme/api/commits/nope").status_code == 422
    assert raw_get(fake, "/repos/acme/api/branches/nope").json()["message"] == "Branch not found"
    assert raw_get(fake, "/repos/acme/empty/commits/main").status_code == 409


def test_a_commit_made_by_a_test_is_seen_at_once(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "svc", {"a.txt": "a\n"})
    with FakeGitHub("acme", [FakeRepo("svc", path)]) as fake:
        repo = client(fake).get_repo("acme/svc")
        assert [e.path for e in repo.get_git_tree("main").tree] == ["a.txt"]
        assert repo.get_workflow_runs().totalCount == 0
        (path / ".github" / "workflows").mkdir(parents=True)
        (path / ".github" / "workflows" / "ci.yml").write_text(CI_YAML)
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "add ci", env={"GIT_COMMITTER_DATE": "2026-02-01T00:00:00+00:00"})
        assert client(fake).get_repo("acme/svc").pushed_at.isoformat() == "2026-02-01T00:00:00+00:00"
        assert [e.path for e in repo.get_git_tree("main").tree] == [".github", "a.txt"]
        runs = list(repo.get_workflow_runs())
        assert len(runs) == 25 and runs[0].head_sha == head(path)
        fake.push("svc")  # the optional helper: harmless
        assert repo.get_commit("main").sha == head(path)


def test_packed_repositories_read_the_same_as_loose_ones(tmp_path: Path) -> None:
    """After `git gc` objects live in a pack, many as deltas: read whole from the pack or through git."""
    path = make_repo(tmp_path / "packed", {"a.txt": "line\n" * 200, "b.bin": BINARY})
    for number in range(3):
        (path / "a.txt").write_text("line\n" * 200 + f"change {number}\n")
        git(path, "commit", "-q", "-am", f"change {number}")
    git(path, "gc", "-q", "--aggressive", "--prune=now")
    assert not list((path / ".git" / "objects").glob("??/*"))
    with FakeGitHub("acme", [FakeRepo("packed", path)]) as fake:
        repo = client(fake).get_repo("acme/packed")
        assert repo.pushed_at.isoformat() == "2026-01-15T10:00:00+00:00"
        shas = git(path, "rev-list", "HEAD").split()
        for sha in shas:
            commit = repo.get_commit(sha)
            assert commit.commit.tree.sha == git(path, "rev-parse", f"{sha}^{{tree}}").strip()
            for entry in repo.get_git_tree(sha, recursive=True).tree:
                assert base64.b64decode(repo.get_git_blob(entry.sha).content) == git_bytes(path, entry.sha)
        assert len(shas) == 4 and fake.server_errors == []


# ------------------------------------------------------------------------------------------------------------
# Actions, checks, statuses


def test_synthesised_actions_runs(fake: FakeGitHub, root: Path) -> None:
    repo = client(fake, per_page=100).get_repo("acme/api")
    runs = list(repo.get_workflow_runs())
    assert len(runs) == 50  # two workflow files, 25 runs each
    assert {r.name for r in runs} == {"CI", ".github/workflows/release.yaml"}  # no name: -> the path
    assert {r.path for r in runs} == {".github/workflows/ci.yml", ".github/workflows/release.yaml"}
    created = [r.created_at for r in runs]
    assert created == sorted(created, reverse=True)
    newest = {r.path: r for r in reversed(runs)}
    assert {r.head_sha for r in newest.values()} == {head(root / "platform" / "api")}
    assert all(r.run_number == 25 and r.head_branch == "main" for r in newest.values())
    successes = sum(r.conclusion == "success" for r in runs)
    assert 30 <= successes <= 50
    assert all(r.status == "completed" and 60 <= (r.updated_at - r.run_started_at).total_seconds() <= 600 for r in runs)
    second = raw_get(fake, "/repos/acme/api/actions/runs?per_page=100").json()["workflow_runs"]
    assert [r["conclusion"] for r in second] == [r.conclusion for r in runs]  # deterministic

    assert repo.get_workflow_runs(branch="main").totalCount == 50
    assert repo.get_workflow_runs(branch="other").totalCount == 0
    failures = repo.get_workflow_runs(status="failure")
    assert all(r.conclusion == "failure" for r in failures)
    run = repo.get_workflow_run(runs[0].id)
    assert run.run_number == runs[0].run_number

    ledger = client(fake).get_repo("acme/ledger")
    assert ledger.get_workflow_runs().totalCount == 2
    release = list(ledger.get_workflow_runs(branch="release"))
    assert [(r.name, r.head_branch) for r in release] == [("Build", "release")]
    assert raw_get(fake, "/repos/acme/tools/actions/runs").json() == {"total_count": 0, "workflow_runs": []}


def test_check_runs_and_combined_status(fake: FakeGitHub, root: Path) -> None:
    gh = client(fake)
    commit = gh.get_repo("acme/api").get_commit("main")
    checks = list(commit.get_check_runs())
    assert sorted(c.name for c in checks) == ["Publish", "build"]  # one per workflow, named after its job
    assert all(c.app.slug == "github-actions" and c.head_sha == commit.sha for c in checks)
    assert all(c.status == "completed" and c.completed_at is not None for c in checks)
    status = commit.get_combined_status()
    assert (status.state, status.total_count) == ("success", 1)
    assert status.statuses[0].context == "ci/jenkins"

    assert gh.get_repo("acme/web").get_commit("main").get_combined_status().state == "failure"
    nothing = gh.get_repo("acme/tools").get_commit("main")
    assert (nothing.get_combined_status().state, nothing.get_check_runs().totalCount) == ("pending", 0)
    lint = list(gh.get_repo("acme/ml").get_commit("main").get_check_runs())
    assert [(c.name, c.status, c.conclusion) for c in lint] == [("lint", "in_progress", None)]


# ------------------------------------------------------------------------------------------------------------
# Teams


def test_teams_and_their_repositories_with_permissions(fake: FakeGitHub) -> None:
    org = client(fake, per_page=2).get_organization("acme")
    teams = {t.slug: t for t in org.get_teams()}
    assert sorted(teams) == ["data", "platform", "security"]
    platform = {r.name: r.permissions for r in teams["platform"].get_repos()}
    assert platform["api"].maintain is True and platform["api"].admin is False
    assert platform["web"].push is True and platform["web"].maintain is False
    data = {r.name: r.permissions for r in teams["data"].get_repos()}
    assert data["etl"].admin is True and data["ml"].triage is True and data["ml"].push is False
    by_slug = raw_get(fake, "/orgs/acme/teams/security/repos").json()
    assert [(r["name"], r["role_name"], r["permissions"]["pull"]) for r in by_slug] == [("api", "read", True)]
    assert fake.counts["teams.list"] == 2 and fake.counts["teams.repos"] == 3
    assert raw_get(fake, "/orgs/acme/teams/nope/repos").status_code == 404


# ------------------------------------------------------------------------------------------------------------
# Auth, rate limits, conditional requests


def test_rate_limit_headers_count_down_and_304_is_free(fake: FakeGitHub) -> None:
    first = raw_get(fake, "/repos/acme/api")
    second = raw_get(fake, "/repos/acme/api")
    assert first.headers["X-RateLimit-Limit"] == "5000"
    assert first.headers["X-RateLimit-Resource"] == "core"
    assert int(second.headers["X-RateLimit-Remaining"]) == int(first.headers["X-RateLimit-Remaining"]) - 1
    assert int(second.headers["X-RateLimit-Used"]) == 2
    assert int(first.headers["X-RateLimit-Reset"]) > time.time()
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and etag == second.headers["ETag"]

    cached = raw_get(fake, "/repos/acme/api", **{"If-None-Match": etag})
    assert (cached.status_code, cached.content) == (304, b"")
    assert cached.headers["X-RateLimit-Remaining"] == second.headers["X-RateLimit-Remaining"]
    limits = raw_get(fake, "/rate_limit").json()
    assert limits["resources"]["core"]["remaining"] == 4998 and limits["rate"]["remaining"] == 4998
    assert limits["resources"]["graphql"]["remaining"] == 5000

    repo = client(fake).get_repo("acme/api")  # PyGithub's own conditional request
    assert repo.update() is False
    assert raw_get(fake, "/rate_limit").json()["resources"]["core"]["remaining"] == 4997


def test_exhausted_bucket_answers_403_until_reset(root: Path) -> None:
    with FakeGitHub("acme", org_specs(root), rate_limit=2, rate_reset_seconds=3) as fake:
        gh = client(fake)
        gh.get_repo("acme/api")
        gh.get_repo("acme/web")
        with pytest.raises(github.RateLimitExceededException) as caught:
            gh.get_repo("acme/etl")
        assert caught.value.status == 403
        assert caught.value.data["message"] == "API rate limit exceeded for user ID 1."
        assert caught.value.headers["x-ratelimit-remaining"] == "0"
        query = "{ rateLimit { remaining limit used } }"
        assert graphql(gh, query)["data"]["rateLimit"] == {"remaining": 1, "limit": 2, "used": 1}
        graphql(gh, query)
        exhausted = graphql(gh, query)  # GitHub: HTTP 200, the error in the body
        assert exhausted["errors"][0]["type"] == "RATE_LIMITED" and "data" not in exhausted
        time.sleep(max(0.0, int(caught.value.headers["x-ratelimit-reset"]) - time.time()) + 0.05)
        assert gh.get_repo("acme/etl").name == "etl"


def test_bad_or_missing_token_is_401(fake: FakeGitHub) -> None:
    with pytest.raises(github.BadCredentialsException):
        client(fake, token="wrong").get_repo("acme/api")
    answer = raw_get(fake, "/repos/acme/api", token=None)
    assert answer.status_code == 401 and answer.json()["message"] == "Requires authentication"
    bearer = requests.get(f"{fake.base_url}/orgs/acme", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert bearer.status_code == 200


def test_github_app_installation_token(root: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    app = FakeApp(app_id=4242, public_key_pem=public_pem, installation_id=77)
    with FakeGitHub("acme", org_specs(root), tokens=(), app=app) as fake:
        auth = Auth.AppAuth(4242, private_pem).get_installation_auth(77)
        gh = client(fake, auth=auth)
        assert len(list(gh.get_organization("acme").get_repos())) == 11
        assert fake.counts["apps.token"] == 1
        assert gh.get_repo("acme/api").get_git_tree("main").sha

        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        wrong_pem = other.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        wrong = Auth.AppAuth(4242, wrong_pem).get_installation_auth(77)
        with pytest.raises(GithubException) as caught:
            client(fake, auth=wrong).get_repo("acme/api")
        assert caught.value.status == 401


# ------------------------------------------------------------------------------------------------------------
# Faults


def test_fail_fault_answers_the_status_then_recovers(fake: FakeGitHub) -> None:
    fake.faults.fail(r"/git/trees/", 502, times=2)
    repo = client(fake).get_repo("acme/api")
    with pytest.raises(GithubException) as caught:
        repo.get_git_tree("main")
    assert caught.value.status == 502 and caught.value.data["message"] == "Server Error"
    fake.faults.fail(r"/git/trees/", 503, times=1, headers={"X-Extra": "1"}, message="down")
    retried = client(fake, retry=GithubRetry())
    assert retried.get_repo("acme/api").get_git_tree("main").sha  # GithubRetry retries 5xx
    assert fake.counts["git.trees"] == 4 and fake.faults.armed() == 0

    fake.faults.fail(r"/repos/acme/web$", 404, times=-1)
    for _ in range(2):
        assert raw_get(fake, "/repos/acme/web").status_code == 404
    fake.faults.clear()
    assert raw_get(fake, "/repos/acme/web").status_code == 200


def test_secondary_limit_has_retry_after_and_pygithub_waits_it_out(fake: FakeGitHub) -> None:
    fake.faults.secondary_limit(r"/repos/acme/api$", retry_after=1)
    answer = raw_get(fake, "/repos/acme/api")
    assert (answer.status_code, answer.headers["Retry-After"]) == (403, "1")
    assert answer.json()["message"].startswith("You have exceeded a secondary rate limit.")
    assert int(answer.headers["X-RateLimit-Remaining"]) > 0

    fake.faults.secondary_limit(r"/repos/acme/api$", retry_after=1, status=429)
    patient = client(fake, retry=GithubRetry())
    started = time.monotonic()
    assert patient.get_repo("acme/api").name == "api"
    assert time.monotonic() - started >= 0.9
    assert fake.counts["repos.get"] == 3


def test_drop_closes_the_connection_without_an_answer(fake: FakeGitHub) -> None:
    fake.faults.drop(r"/orgs/acme$")
    with pytest.raises(requests.exceptions.ConnectionError):
        client(fake).get_organization("acme")
    assert client(fake).get_organization("acme").login == "acme"
    assert fake.counts["orgs.get"] == 2


def test_truncate_trees_over_cuts_only_recursive_trees(fake: FakeGitHub) -> None:
    fake.faults.truncate_trees_over = 3
    repo = client(fake).get_repo("acme/api")
    cut = repo.get_git_tree("main", recursive=True)
    assert (len(cut.tree), cut.raw_data["truncated"]) == (3, True)
    whole = repo.get_git_tree("main")
    assert whole.raw_data["truncated"] is False and len(whole.tree) > 3


def test_latency_delays_every_answer_and_requests_are_served_in_parallel(fake: FakeGitHub) -> None:
    fake.faults.latency = 0.2
    started = time.monotonic()
    assert raw_get(fake, "/orgs/acme").status_code == 200
    assert time.monotonic() - started >= 0.2

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(raw_get(fake, "/repos/acme/api/git/trees/main").status_code))
        for _ in range(16)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * 16
    assert time.monotonic() - started < 1.6  # serially this would take 3.2 s


def test_keep_alive_serves_many_requests_on_one_connection(fake: FakeGitHub) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=5)
    for _ in range(3):
        conn.request("GET", "/api/v3/orgs/acme", headers={"Authorization": f"token {TOKEN}"})
        answer = conn.getresponse()
        body = answer.read()
        assert answer.status == 200 and int(answer.headers["Content-Length"]) == len(body)
    conn.close()


# ------------------------------------------------------------------------------------------------------------
# GraphQL

MULTI = """
query Heads($owner: String!) {
  api: repository(owner: $owner, name: "api") { ...Head }
  web: repository(owner: $owner, name: "web") { ...Head }
  ml: repository(owner: $owner, name: "ml") { ...Head }
  missing: repository(owner: $owner, name: "missing") { ...Head }
  rateLimit { cost remaining }
}
fragment Head on Repository {
  __typename name nameWithOwner isArchived isFork isEmpty visibility pushedAt url
  defaultBranchRef {
    name prefix
    target {
      __typename oid abbreviatedOid
      ... on Commit {
        committedDate message tree { oid }
        statusCheckRollup {
          state
          contexts(first: 10) {
            totalCount
            pageInfo { hasNextPage endCursor }
            nodes {
              __typename
              ... on CheckRun {
                name status conclusion startedAt completedAt detailsUrl
                checkSuite { app { slug name } workflowRun { databaseId runNumber createdAt workflow { name } } }
              }
              ... on StatusContext { context state createdAt targetUrl description }
            }
          }
        }
      }
    }
  }
}
"""


def test_graphql_aliases_fragments_rollups_and_not_found(fake: FakeGitHub, root: Path) -> None:
    gh = client(fake)
    answer = graphql(gh, MULTI, {"owner": "acme"})
    data = answer["data"]
    api = data["api"]
    assert (api["__typename"], api["nameWithOwner"], api["visibility"]) == ("Repository", "acme/api", "INTERNAL")
    assert api["pushedAt"] == "2026-01-15T10:00:00Z" and api["isEmpty"] is False
    target = api["defaultBranchRef"]["target"]
    assert (api["defaultBranchRef"]["name"], api["defaultBranchRef"]["prefix"]) == ("main", "refs/heads/")
    assert target["__typename"] == "Commit" and target["oid"] == head(root / "platform" / "api")
    assert target["abbreviatedOid"] == target["oid"][:7]
    rollup = target["statusCheckRollup"]
    assert rollup["contexts"]["totalCount"] == 3
    kinds = sorted((n["__typename"], n.get("name") or n.get("context")) for n in rollup["contexts"]["nodes"])
    assert kinds == [("CheckRun", "Publish"), ("CheckRun", "build"), ("StatusContext", "ci/jenkins")]
    build = next(n for n in rollup["contexts"]["nodes"] if n.get("name") == "build")
    assert build["checkSuite"]["app"] == {"slug": "github-actions", "name": "GitHub Actions"}
    assert build["checkSuite"]["workflowRun"]["workflow"]["name"] == "CI"
    assert build["checkSuite"]["workflowRun"]["runNumber"] == 25
    rest_conclusions = {c.name: c.conclusion for c in gh.get_repo("acme/api").get_commit("main").get_check_runs()}
    expected = "FAILURE" if set(rest_conclusions.values()) - {"success"} else "SUCCESS"
    assert rollup["state"] == expected

    assert data["web"]["defaultBranchRef"]["target"]["statusCheckRollup"]["state"] == "FAILURE"  # Jenkins red
    assert data["ml"]["defaultBranchRef"]["target"]["statusCheckRollup"]["state"] == "PENDING"  # in progress
    assert data["missing"] is None
    assert answer["errors"] == [
        {
            "type": "NOT_FOUND",
            "path": ["missing"],
            "locations": [{"line": 6, "column": 3}],
            "message": "Could not resolve to a Repository with the name 'acme/missing'.",
        }
    ]
    assert data["rateLimit"] == {"cost": 1, "remaining": 4999}
    assert fake.counts["graphql"] == 1


def test_graphql_blobs_trees_and_expressions(fake: FakeGitHub, root: Path) -> None:
    path = root / "platform" / "api"
    entries = {e[0]: e for e in ls_tree(path, "-r", "HEAD")}
    readme, logo = entries["README.md"][3], entries["bin/logo.png"][3]
    query = """
    query($readme: GitObjectID!, $logo: GitObjectID!) {
      repository(owner: "acme", name: "api") {
        readme: object(oid: $readme) { ... on Blob { byteSize isBinary isTruncated text } }
        logo: object(oid: $logo) { ... on Blob { byteSize isBinary text } }
        byPath: object(expression: "HEAD:src/app.py") { __typename oid ... on Blob { text } }
        src: object(expression: "main:src") { ... on Tree { entries { name path type mode oid size } } }
        nothing: object(expression: "main:no/such/file") { oid }
      }
    }
    """
    data = graphql(client(fake), query, {"readme": readme, "logo": logo})["data"]["repository"]
    assert data["readme"] == {
        "byteSize": 22,
        "isBinary": False,
        "isTruncated": False,
        "text": "# api\n\nsecond version\n",
    }
    assert data["logo"] == {"byteSize": len(BINARY), "isBinary": True, "text": None}
    assert data["byPath"]["__typename"] == "Blob" and data["byPath"]["text"] == "print('hello')\n"
    assert data["byPath"]["oid"] == entries["src/app.py"][3]
    src = {e["name"]: e for e in data["src"]["entries"]}
    assert src["app.py"]["path"] == "src/app.py" and src["app.py"]["mode"] == 0o100644
    assert (src["pkg"]["type"], src["pkg"]["size"]) == ("tree", 0)
    assert data["nothing"] is None
    assert fake.blobs_served[readme] == 1 and logo not in fake.blobs_served


def test_graphql_text_limit_pagination_and_errors(root: Path) -> None:
    with FakeGitHub("acme", org_specs(root), graphql_text_limit=4) as fake:
        gh = client(fake)
        text = graphql(gh, '{ repository(owner: "acme", name: "api") { object(expression: "HEAD:README.md") '
                       "{ ... on Blob { text isTruncated byteSize } } } }")  # fmt: skip
        assert text["data"]["repository"]["object"] == {"text": "# ap", "isTruncated": True, "byteSize": 22}

        page = """query($after: String) { repository(owner: "acme", name: "api") { defaultBranchRef { target {
          ... on Commit { statusCheckRollup { contexts(first: 2, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } nodes { __typename } } } } } } } }"""
        first = graphql(gh, page)["data"]["repository"]["defaultBranchRef"]["target"]["statusCheckRollup"]
        assert first["contexts"]["pageInfo"]["hasNextPage"] is True and len(first["contexts"]["nodes"]) == 2
        cursor = first["contexts"]["pageInfo"]["endCursor"]
        rest = graphql(gh, page, {"after": cursor})["data"]["repository"]["defaultBranchRef"]["target"]
        assert rest["statusCheckRollup"]["contexts"]["nodes"] == [{"__typename": "StatusContext"}]
        assert rest["statusCheckRollup"]["contexts"]["pageInfo"]["hasNextPage"] is False

        unbounded = graphql(gh, page.replace("first: 2, ", ""))
        assert unbounded["errors"][0]["type"] == "MISSING_PAGINATION_BOUNDARIES"
        syntax = graphql(gh, "{ repository(owner: ")
        assert "data" not in syntax and syntax["errors"][0]["locations"]
        invalid = graphql(gh, '{ repository(owner: "acme", name: "api") { noSuchField } }')
        assert "data" not in invalid and "noSuchField" in invalid["errors"][0]["message"]
        blocked = graphql(gh, '{ a: repository(owner: "acme", name: "dmca") { name } organization(login: "acme") '
                          '{ login } empty: repository(owner: "acme", name: "empty") { isEmpty defaultBranchRef '
                          "{ name } } }")  # fmt: skip
        assert blocked["data"]["a"] is None and blocked["errors"][0]["type"] == "NOT_FOUND"
        assert blocked["data"]["organization"] == {"login": "acme"}
        assert blocked["data"]["empty"] == {"isEmpty": True, "defaultBranchRef": None}

        fake.faults.fail(r"/api/graphql", 502)
        with pytest.raises(GithubException) as caught:
            graphql(gh, "{ rateLimit { remaining } }")
        assert caught.value.status == 502
        unauthenticated = requests.post(fake.graphql_url, json={"query": "{ rateLimit { cost } }"}, timeout=5)
        assert unauthenticated.status_code == 401
        assert unauthenticated.headers["X-RateLimit-Resource"] == "graphql"
        assert json.loads(unauthenticated.content)["message"].startswith("This endpoint requires you")
