"""The demo organisation generator: real repositories, the variety the dashboard needs, determinism.

The default demo is built once per module (about a second) and read back through git objects,
the way the collector reads it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path

import pytest
import yaml

from collectors.run import collect_local
from demo import DemoStep, build_demo, build_organisation
from demo.generate import MARKER
from demo.model import Repo
from demo.organisation import Organisation
from demo.render import render
from demo.spec import load_spec
from demo.templates import TemplateError, fill

GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C", "PATH": os.environ["PATH"]}


def git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, input=data, env=GIT_ENV, capture_output=True, check=True).stdout


def repositories(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.glob("**/.git"))


def head(repo: Path) -> str:
    """HEAD's sha, read from the ref file the way a quick snapshot would."""
    return (repo / ".git" / "refs" / "heads" / "main").read_text().strip()


def tree(repo: Path) -> dict[str, bytes]:
    """Every file at HEAD, read from git objects (not the working tree)."""
    listing = git(repo, "ls-tree", "-r", "-z", "HEAD").split(b"\0")
    entries = [line.split(b"\t", 1) for line in listing if line]
    shas = [meta.split()[2] for meta, _ in entries]
    out = git(repo, "cat-file", "--batch", data=b"\n".join(shas) + b"\n")
    files, pos = {}, 0
    for (_, path), _sha in zip(entries, shas, strict=True):
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        files[path.decode()] = out[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
    return files


@dataclass
class Built:
    root: Path
    steps: list[DemoStep]
    heads: list[dict[str, str]]  # per step: repository path -> HEAD sha
    trees: dict[str, dict[str, bytes]]  # repository path -> files at the end

    def texts(self, name: str) -> list[tuple[str, str, str]]:
        """(repository, path, text) of every file whose name or path ends with `name`."""
        return [
            (repo, path, data.decode())
            for repo, files in self.trees.items()
            for path, data in files.items()
            if path == name or path.endswith("/" + name)
        ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("org")
    steps, heads = [], []
    for step in build_demo(root):
        steps.append(step)
        heads.append({str(r.relative_to(root)): head(r) for r in repositories(root)})
    trees = {str(r.relative_to(root)): tree(r) for r in repositories(root)}
    return Built(root, steps, heads, trees)


def helm_template(files: dict[str, bytes], path: str) -> bool:
    """A file of a Helm chart's templates/ folder: Go templates that are YAML only once rendered."""
    chart, sep, _ = path.partition("templates/")
    return bool(sep) and (chart + "Chart.yaml") in files


def owner(files: dict[str, bytes], folder: str | None) -> str | None:
    """Who owns a repository, as the collector decides: catalog, then CODEOWNERS, then folder."""
    if "catalog-info.yaml" in files:
        return yaml.safe_load(files["catalog-info.yaml"])["spec"]["owner"].split("/")[-1]
    for path in (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"):
        if path in files:
            match = re.search(r"^\*\s+@acme/(\S+)", files[path].decode(), re.M)
            if match:
                return match.group(1)
    return folder


# --- size and shape ----------------------------------------------------------------------------


def test_default_demo_has_at_least_60_repositories_owned_by_at_least_8_teams(demo: Built) -> None:
    assert len(demo.trees) >= 60
    owners = {owner(files, path.split("/")[0] if "/" in path else None) for path, files in demo.trees.items()}
    assert len(owners - {None}) >= 8


def test_every_repository_is_a_valid_git_repository_on_main(demo: Built) -> None:
    for repo in repositories(demo.root):
        assert git(repo, "symbolic-ref", "HEAD").strip() == b"refs/heads/main"
        git(repo, "fsck", "--no-progress", "--strict")


def test_working_trees_match_head(demo: Built) -> None:
    for repo in repositories(demo.root)[:10]:
        assert git(repo, "status", "--porcelain") == b""


def test_every_ecosystem_appears_with_real_manifests(demo: Built) -> None:
    pyprojects = [tomllib.loads(text) for _, _, text in demo.texts("pyproject.toml")]
    assert any("project" in p for p in pyprojects), "PEP 621"
    assert any("poetry" in p.get("tool", {}) for p in pyprojects), "Poetry"
    assert demo.texts("requirements.txt") and demo.texts("poetry.lock")
    python = " ".join(
        text.lower() for name in ("pyproject.toml", "requirements.txt") for _, _, text in demo.texts(name)
    )
    assert all(f in python for f in ("fastapi", "django", "flask"))

    packages = [json.loads(text) for _, _, text in demo.texts("package.json")]
    npm = {name for p in packages for name in (*p.get("dependencies", {}), *p.get("devDependencies", {}))}
    assert {"react", "next", "express", "vue", "@angular/core", "angular"} <= npm
    assert all(json.loads(text)["lockfileVersion"] == 3 for _, _, text in demo.texts("package-lock.json"))

    parents = [
        re.search(r"spring-boot-starter-parent</artifactId>\s*<version>([\d.]+)", t)
        for _, _, t in demo.texts("pom.xml")
    ]
    boots = {m.group(1).split(".")[0] for m in parents if m}
    assert boots == {"2", "3"}
    for name in ("build.gradle", "build.gradle.kts"):
        scripts = [text for _, _, text in demo.texts(name)]
        assert scripts and all("plugins {" in t and "languageVersion" in t for t in scripts)

    go_versions = {re.search(r"^go (\S+)$", t, re.M).group(1) for _, _, t in demo.texts("go.mod")}
    assert go_versions <= {"1.21", "1.22", "1.23"} and len(go_versions) >= 2

    assert demo.texts("build.properties")
    sbt = " ".join(text for _, _, text in demo.texts("build.sbt"))
    assert "scalaVersion" in sbt and ("akka" in sbt or "pekko" in sbt)

    rails = {re.search(r"^    rails \((\d)", t, re.M).group(1) for _, _, t in demo.texts("Gemfile.lock")}
    assert demo.texts("Gemfile") and rails & {"6", "7"}


def test_rust_php_dotnet_helm_and_compose_appear_with_real_manifests(demo: Built) -> None:
    cargo = [(repo, tomllib.loads(text)) for repo, _, text in demo.texts("Cargo.toml")]
    crates = {name for _, c in cargo for name in c["dependencies"]}
    assert {"axum", "actix-web", "tokio", "serde", "sqlx"} <= crates
    assert len({c["package"]["rust-version"] for _, c in cargo}) >= 2
    for repo, manifest in cargo:
        lock = tomllib.loads(demo.trees[repo]["Cargo.lock"].decode())
        own = next(p for p in lock["package"] if p["name"] == manifest["package"]["name"])
        assert set(own["dependencies"]) == {*manifest["dependencies"], *manifest["dev-dependencies"]}
    assert demo.texts("rust-toolchain.toml")

    composer = [(repo, path, json.loads(text)) for repo, path, text in demo.texts("composer.json")]
    packages = {name for _, _, c in composer for name in c["require"]}
    assert {"laravel/framework", "symfony/framework-bundle", "doctrine/orm"} <= packages
    assert {c["require"]["php"] for _, _, c in composer} >= {"^8.1", "^8.2"}
    laravel = {c["require"]["laravel/framework"] for _, _, c in composer if "laravel/framework" in c["require"]}
    assert len(laravel) >= 2, "Laravel majors diverge"
    for repo, path, _ in composer:
        lock = json.loads(demo.trees[repo][path.replace("composer.json", "composer.lock")])
        assert lock["packages"] and lock["packages-dev"] and lock["content-hash"]

    projects = [data.decode() for files in demo.trees.values() for p, data in files.items() if p.endswith(".csproj")]
    build_props = [text for _, _, text in demo.texts("Directory.Build.props")]
    frameworks = {f for t in projects + build_props for f in re.findall(r"<TargetFramework>(net[\d.]+)<", t)}
    assert "net8.0" in frameworks and len(frameworks) >= 2, "ASP.NET Core majors diverge"
    nuget = " ".join(projects + [t for _, _, t in demo.texts("Directory.Packages.props")])
    assert all(p in nuget for p in ("Serilog.AspNetCore", "Microsoft.EntityFrameworkCore", "xunit"))
    assert demo.texts("Directory.Packages.props") and demo.texts("global.json")
    assert all(json.loads(t)["sdk"]["version"] for _, _, t in demo.texts("global.json"))

    charts = [(repo, path, yaml.safe_load(text)) for repo, path, text in demo.texts("Chart.yaml")]
    assert charts and all(c["apiVersion"] == "v2" for _, _, c in charts)
    assert {"postgresql", "redis"} <= {d["name"] for _, _, c in charts for d in c["dependencies"]}
    for repo, path, chart in charts:
        lock = yaml.safe_load(demo.trees[repo][path.replace("Chart.yaml", "Chart.lock")])
        assert [d["name"] for d in lock["dependencies"]] == [d["name"] for d in chart["dependencies"]]

    composes = [
        yaml.safe_load(data)
        for files in demo.trees.values()
        for path, data in files.items()
        if path.rsplit("/", 1)[-1].startswith(("docker-compose.", "compose."))
    ]
    assert len(composes) >= 5
    images = {s["image"].split(":")[0] for c in composes for s in c["services"].values() if "image" in s}
    assert {"postgres", "redis", "confluentinc/cp-kafka", "localstack/localstack"} <= images


def test_manifests_and_configs_parse(demo: Built) -> None:
    for repo, path, text in demo.texts("package.json") + demo.texts("package-lock.json") + demo.texts("tsconfig.json"):
        json.loads(text), (repo, path)
    for _, _, text in demo.texts("pyproject.toml") + demo.texts("poetry.lock"):
        tomllib.loads(text)
    for _, _, text in demo.texts("pom.xml"):
        ET.fromstring(text)
    for repo, files in demo.trees.items():
        for path, data in files.items():
            # database.yml is ERB; a chart's templates are YAML only once Helm renders them
            if (
                path.endswith((".yml", ".yaml"))
                and not path.endswith("database.yml")
                and not helm_template(files, path)
            ):
                assert list(yaml.safe_load_all(data)), (repo, path)
    for _, _, text in demo.texts("go.mod"):
        assert re.match(r"module github\.com/acme/\S+\n\ngo 1\.\d+\n", text)
        assert "\n\tgithub.com/" in text  # gofmt's tabs
    for _, _, text in demo.texts("Gemfile.lock"):
        assert text.startswith("GEM\n") and "\nDEPENDENCIES\n" in text and "\nBUNDLED WITH\n" in text
    for _, _, text in demo.texts("Cargo.toml") + demo.texts("Cargo.lock") + demo.texts("rust-toolchain.toml"):
        tomllib.loads(text)
    for _, _, text in demo.texts("composer.json") + demo.texts("composer.lock") + demo.texts("global.json"):
        json.loads(text)
    for repo, files in demo.trees.items():
        for path, data in files.items():
            if path.endswith((".csproj", ".props")):
                ET.fromstring(data)
            elif path.endswith("appsettings.json"):
                json.loads(data)
            elif path.endswith("Chart.lock"):
                assert yaml.safe_load(data)["digest"].startswith("sha256:"), (repo, path)


def test_runtime_pins_of_each_kind_appear(demo: Built) -> None:
    names = Counter(path.rsplit("/", 1)[-1] for files in demo.trees.values() for path in files)
    assert all(
        names[n]
        for n in (".python-version", ".nvmrc", ".tool-versions", ".ruby-version", "rust-toolchain.toml", "global.json")
    )
    assert any('"engines"' in text for _, _, text in demo.texts("package.json"))
    assert any("<java.version>" in text for _, _, text in demo.texts("pom.xml"))


def test_source_files_are_real_sized_code(demo: Built) -> None:
    sources = Counter()
    for files in demo.trees.values():
        for path, data in files.items():
            ext = path.rsplit(".", 1)[-1]
            if ext in ("py", "ts", "tsx", "js", "java", "kt", "go", "scala", "rb", "rs", "php", "cs"):
                assert 0 <= len(data) < 8000, path
                sources[ext] += len(data) > 300
    assert all(
        sources[ext] >= 3 for ext in ("py", "ts", "tsx", "js", "java", "kt", "go", "scala", "rb", "rs", "php", "cs")
    )


def test_hold_technologies_are_present(demo: Built) -> None:
    npm = " ".join(text for _, _, text in demo.texts("package.json"))
    jvm = " ".join(
        text for name in ("pom.xml", "build.gradle", "build.gradle.kts", "build.sbt") for _, _, text in demo.texts(name)
    )
    assert '"moment"' in npm and '"angular": "^1.' in npm
    assert "log4j" in jvm


def test_the_collector_reads_every_ecosystem_of_the_demo_without_a_warning(demo: Built) -> None:
    """What a new user sees: every kind of fact, and no warning (a warning is a manifest written wrong)."""
    repos = collect_local(demo.root).repos
    assert [(r.name, w) for r in repos for w in r.warnings] == []
    ecosystems = {d.ecosystem for r in repos for d in r.dependencies}
    assert ecosystems >= {
        *("pypi", "npm", "maven", "gradle-plugin", "sbt-plugin", "go", "cargo", "rubygems"),
        *("packagist", "nuget", "terraform", "helm"),
    }
    assert len({f.provider for r in repos for f in r.ci_files}) >= 6
    composed = {i.image for r in repos for i in r.docker_images if "compose" in i.path.rsplit("/", 1)[-1] and i.tag}
    assert {"postgres", "redis", "confluentinc/cp-kafka", "localstack/localstack"} <= composed
    runtimes = {rt.name for r in repos for rt in r.runtimes}
    assert {"rust", "php", "dotnet"} <= runtimes


# --- ownership and hygiene -----------------------------------------------------------------------


def test_ownership_is_varied(demo: Built) -> None:
    root_level = [path for path in demo.trees if "/" not in path]
    assert len(root_level) >= 3
    misfiled = [
        path
        for path, files in demo.trees.items()
        if "/" in path and owner(files, None) not in (None, path.split("/")[0]) and "catalog-info.yaml" in files
    ]
    assert len(misfiled) >= 2
    paths = {p for files in demo.trees.values() for p in files}
    assert {".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", "catalog-info.yaml"} <= paths


def test_some_repositories_lack_codeowners_and_other_hygiene(demo: Built) -> None:
    def lacking(*names: str) -> int:
        return sum(not any(n in files for n in names) for files in demo.trees.values())

    assert lacking(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS") >= 1
    assert 1 <= lacking("LICENSE") < len(demo.trees) // 2
    assert lacking("SECURITY.md") >= 1 and lacking("CONTRIBUTING.md") >= 1
    paths = {p for files in demo.trees.values() for p in files}
    assert {".editorconfig", ".github/dependabot.yml", "renovate.json", ".pre-commit-config.yaml", "README.md"} <= paths


def test_at_least_six_ci_providers_and_a_repository_without_ci(demo: Built) -> None:
    markers = {
        "github-actions": ".github/workflows/ci.yml",
        "gitlab-ci": ".gitlab-ci.yml",
        "jenkins": "Jenkinsfile",
        "circleci": ".circleci/config.yml",
        "azure-pipelines": "azure-pipelines.yml",
        "travis-ci": ".travis.yml",
        "buildkite": ".buildkite/pipeline.yml",
        "drone": ".drone.yml",
    }
    found = {name for name, path in markers.items() for files in demo.trees.values() if path in files}
    assert len(found) >= 6
    assert any(not set(markers.values()) & set(files) for files in demo.trees.values())
    checkouts = {m for _, _, t in demo.texts("ci.yml") for m in re.findall(r"actions/checkout@(v\d)", t)}
    assert len(checkouts) >= 2


def test_dockerfiles_use_at_least_four_base_images_some_multi_stage(demo: Built) -> None:
    dockerfiles = [text for _, _, text in demo.texts("Dockerfile")]
    images = {line.split()[1] for text in dockerfiles for line in text.splitlines() if line.startswith("FROM ")}
    assert len({image.split(":")[0] for image in images}) >= 4
    assert any(text.count("\nFROM ") + text.startswith("FROM ") > 1 for text in dockerfiles)


def test_a_monorepo_has_several_manifests(demo: Built) -> None:
    manifests = (
        "package.json",
        "pyproject.toml",
        "requirements.txt",
        "go.mod",
        "Gemfile",
        "build.gradle.kts",
        "pom.xml",
        "Chart.yaml",
    )
    assert any(sum(p.rsplit("/", 1)[-1] in manifests for p in files) >= 3 for files in demo.trees.values())


# --- history -------------------------------------------------------------------------------------


def test_history_yields_history_plus_one_steps_with_increasing_utc_dates(demo: Built) -> None:
    assert [s.index for s in demo.steps] == list(range(7))
    dates = [s.date for s in demo.steps]
    assert all(d.tzinfo is not None and d.utcoffset() == timedelta(0) for d in dates)
    assert dates == sorted(dates) and len(set(dates)) == 7
    anchor = load_spec().anchor
    assert anchor - timedelta(days=4) < dates[-1] <= anchor
    assert timedelta(days=150) < dates[-1] - dates[0] < timedelta(days=200)
    assert all(s.summary and s.label.endswith("guild meeting") for s in demo.steps)


def test_each_head_commit_carries_the_date_of_the_step_that_changed_it(demo: Built) -> None:
    committed = {}
    for repo in demo.trees:
        for line in git(demo.root / repo, "log", "--format=%H %ct").decode().split("\n"):
            if line:
                sha, stamp = line.split()
                committed[sha] = int(stamp)
    assert set(demo.heads[0]) and all(
        committed[sha] == demo.steps[0].date.timestamp() for sha in demo.heads[0].values()
    )
    changed_per_step = []
    for step, before, after in zip(demo.steps[1:], demo.heads[:-1], demo.heads[1:], strict=True):
        changed = {repo for repo, sha in after.items() if before.get(repo) != sha}
        changed_per_step.append(len(changed))
        assert all(committed[after[repo]] == step.date.timestamp() for repo in changed)
    assert all(0 < n < len(demo.heads[0]) for n in changed_per_step), "each step commits only what it changes"
    assert len(demo.heads[-1]) > len(demo.heads[0]), "new repositories appear"


def test_exactly_one_repository_is_archived_and_never_changes_again(demo: Built) -> None:
    archived = [
        repo
        for repo, files in demo.trees.items()
        if "catalog-info.yaml" in files
        and yaml.safe_load(files["catalog-info.yaml"])["spec"]["lifecycle"] == "archived"
    ]
    assert len(archived) == 1
    shas = [heads[archived[0]] for heads in demo.heads]
    when = shas.index(shas[-1])
    assert 0 < when < len(shas) - 1 and "archived" in demo.steps[when].summary


def test_history_upgrades_regresses_and_adopts(demo: Built) -> None:
    text = " ".join(s.summary for s in demo.steps[1:])
    for phrase in (
        "checkout@v4",
        "Spring Boot 2 -> 3",
        "Python 3.12",
        "dropped its CODEOWNERS",
        "moment",
        "Litestar",
        "rolled back",
        ".NET 6 -> 8",
    ):
        assert phrase in text, phrase
    assert any("litestar" in t for _, _, t in demo.texts("pyproject.toml"))


# --- determinism and scale -----------------------------------------------------------------------


def test_same_seed_gives_identical_shas_with_or_without_checkout(demo: Built, tmp_path: Path) -> None:
    heads = []
    for _ in build_demo(tmp_path, checkout=False):
        heads.append({str(r.relative_to(tmp_path)): head(r) for r in repositories(tmp_path)})
    assert heads == demo.heads


def test_a_different_seed_gives_a_different_organisation(demo: Built, tmp_path: Path) -> None:
    steps = list(build_demo(tmp_path, seed=8, history=0, checkout=False))
    other = {str(r.relative_to(tmp_path)): head(r) for r in repositories(tmp_path)}
    assert len(steps) == 1
    assert set(other.values()).isdisjoint(demo.heads[0].values())
    assert set(other) != set(demo.heads[0])


def test_history_does_not_change_the_initial_organisation(demo: Built, tmp_path: Path) -> None:
    first = next(build_demo(tmp_path, history=0, checkout=False))
    assert first.summary == demo.steps[0].summary
    assert {str(r.relative_to(tmp_path)): head(r) for r in repositories(tmp_path)}.keys() == demo.heads[0].keys()


def test_build_organisation_scales_teams_and_leaves_working_trees_empty(tmp_path: Path) -> None:
    repos = build_organisation(tmp_path, repos=40, teams=20, seed=3)
    assert len(repos) == 40
    folders = {r.parent.name for r in repos if r.parent != tmp_path}
    assert "payments-2" in folders or "web-experience-2" in folders or len(folders) > 12
    assert all(not [p for p in r.iterdir() if p.name != ".git"] for r in repos)
    assert all(git(r, "rev-parse", "HEAD") for r in repos[:5])


def test_a_tiny_organisation_still_builds(tmp_path: Path) -> None:
    steps = list(build_demo(tmp_path, repos=3, teams=1, history=8, checkout=False))
    assert len(steps) == 9 and len(repositories(tmp_path)) >= 3


def test_rebuilding_wipes_the_previous_demo_but_never_a_foreign_folder(tmp_path: Path) -> None:
    list(build_demo(tmp_path / "org", repos=5, history=0, checkout=False))
    (tmp_path / "org" / "stale").mkdir()
    list(build_demo(tmp_path / "org", repos=5, history=0, checkout=False))
    assert not (tmp_path / "org" / "stale").exists() and (tmp_path / "org" / MARKER).exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    with pytest.raises(FileExistsError):
        next(build_demo(tmp_path / "mine", repos=5))
    assert (tmp_path / "mine" / "thesis.tex").exists()


# --- the spec as a table -----------------------------------------------------------------------


def test_every_stack_renders_at_every_era_with_every_ci_and_hygiene_item() -> None:
    spec = load_spec()
    org = Organisation.plan(spec, repos=1, teams=len(spec.teams), seed=1)
    items = set(spec.hygiene) | {"tests", "docker"}
    for stack in spec.stacks:
        tools = spec.toolchains_of(stack)
        depth = max(len(spec.toolchains[t].eras) for t in [*tools, "actions"])
        for era in range(depth):
            for ci in spec.ci:
                levels = {t: _clamp(era, spec.allowed_eras(stack, t)) for t in tools}
                levels["actions"] = min(era, len(spec.toolchains["actions"].eras) - 1)
                repo = Repo(
                    name=f"{stack}-probe",
                    team="payments",
                    folder="payments",
                    stack=stack,
                    seed=f"{stack}/{era}/{ci}",
                    entities=("invoice", "query", "index"),
                    levels=levels,
                    ci=ci,
                    items=items - {"renovate"},
                    extras=list(spec.extras),
                    lifecycle="archived" if era == 0 else "production",
                )
                files = render(spec, repo, org.team_names)
                assert "README.md" in files and "catalog-info.yaml" in files, stack
                assert not [p for p in files if "{{" in p], stack


def _clamp(era: int, allowed: list[int]) -> int:
    return min(allowed, key=lambda a: (abs(a - era), a))


def test_the_first_eight_teams_cover_every_toolchain_with_distinct_words() -> None:
    spec = load_spec()
    assert len({t.id for t in spec.teams}) == len(spec.teams)
    assert all(len(t.words) == len(set(t.words)) >= 4 for t in spec.teams)
    covered = {tool for team in spec.teams[:8] for stack in team.stacks for tool in spec.toolchains_of(stack)}
    assert covered == set(spec.toolchains) - {"actions"}


@pytest.mark.parametrize(
    ("template", "variables", "expected"),
    [
        ("a {{x}} b", {"x": "1"}, "a 1 b"),
        ("  {{x}}\nend\n", {"x": "one\ntwo"}, "  one\n  two\nend\n"),
        ("start\n  {{x}}\nend\n", {"x": ""}, "start\nend\n"),
        ("  {{x}}\n", {"x": "one\n\ntwo\n"}, "  one\n\n  two\n"),
        ("{{ title }} and ${{ github.sha }}", {}, "{{ title }} and ${{ github.sha }}"),
    ],
)
def test_fill(template: str, variables: dict[str, str], expected: str) -> None:
    assert fill(template, variables) == expected


def test_fill_names_an_unknown_variable() -> None:
    with pytest.raises(TemplateError, match=r"here: undefined variable \{\{nope\}\}"):
        fill("{{nope}}", {}, "here")


def test_step_dates_are_independent_of_the_clock() -> None:
    from demo.generate import step_dates

    spec = load_spec()
    assert step_dates(spec, 6, 7) == step_dates(spec, 6, 7)
    assert step_dates(spec, 6, 7)[-1].astimezone(UTC) == spec.anchor - timedelta(days=7 % 4)
