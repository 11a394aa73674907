"""The CI detector: providers by their files, GitHub Actions uses and setup runtimes, GitLab images."""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import ci
from collectors.detectors.ci import (
    PROVIDERS,
    SETUP_ACTIONS,
    TABLE_PATH,
    parse_action,
    parse_gitlab_ci,
    parse_uses,
    parse_workflow,
    provider_of,
    versions,
)
from collectors.facts import ActionUse, CiFile, DockerImage, Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by

WF = ".github/workflows/ci.yml"


detect_in = partial(detect_with, ci.detect)


def uses_of(text: str) -> list[tuple[str, str | None]]:
    return [(a.action, a.ref) for a in parse_workflow(text, WF).actions]


def runtimes_of(text: str) -> list[tuple[str, str | None]]:
    return [(r.name, r.version) for r in parse_workflow(text, WF).runtimes]


# --- providers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "provider"),
    [
        (".github/workflows/ci.yml", "github-actions"),
        (".github/workflows/release.yaml", "github-actions"),
        (".github/workflows/templates/x.yml", None),  # GitHub reads no subfolders
        (".github/dependabot.yml", None),
        (".gitlab-ci.yml", "gitlab-ci"),
        (".gitlab/ci/build.yml", "gitlab-ci"),
        (".gitlab/ci/jobs/deploy.yaml", "gitlab-ci"),
        (".gitlab/issue_templates/bug.md", None),
        ("svc/.gitlab-ci.yml", None),  # GitLab reads the root's only
        ("Jenkinsfile", "jenkins"),
        ("services/api/Jenkinsfile", "jenkins"),
        ("ci/release.Jenkinsfile", "jenkins"),
        ("Jenkinsfile.nightly", "jenkins"),
        ("jenkins/pipeline.groovy", "jenkins"),
        ("src/main/groovy/App.groovy", None),
        (".circleci/config.yml", "circleci"),
        (".circleci/orbs.yml", None),
        (".travis.yml", "travis-ci"),
        ("azure-pipelines.yml", "azure-pipelines"),
        ("azure-pipelines-pr.yml", "azure-pipelines"),
        (".azure-pipelines/templates/build.yml", "azure-pipelines"),
        ("bitbucket-pipelines.yml", "bitbucket-pipelines"),
        (".buildkite/pipeline.yml", "buildkite"),
        (".buildkite/deploy.yaml", "buildkite"),
        (".drone.yml", "drone"),
        (".teamcity/settings.kts", "teamcity"),
        (".teamcity/builds/Build.kt", "teamcity"),
        (".woodpecker.yml", "woodpecker"),
        (".woodpecker/test.yaml", "woodpecker"),
        (".tekton/pull-request.yaml", "tekton"),
        ("appveyor.yml", "appveyor"),
        ("cloudbuild.yaml", "google-cloud-build"),
        ("README.md", None),
        ("src/ci.yml", None),
    ],
)
def test_provider_of_a_path(path: str, provider: str | None) -> None:
    assert provider_of(path) == provider


def test_provider_table_is_well_formed() -> None:
    table = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    names = [p["provider"] for p in table["providers"]]
    assert len(names) == len(set(names))
    globs = [g for p in table["providers"] for g in p["paths"]]
    assert len(globs) == len(set(globs))
    for provider, paths in PROVIDERS.items():
        assert re.fullmatch(r"[a-z0-9-]+", provider)
        assert paths
        for glob in paths:  # each example path of a glob is told as its own provider, never another's
            example = glob.replace("**/", "a/b/").replace("*", "x")
            assert provider_of(example) == provider, (glob, example)
    runtimes = {"python", "node", "java", "kotlin", "scala", "go", "ruby", "dotnet", "php", "rust", "terraform"}
    assert {runtime for runtime, _ in SETUP_ACTIONS.values()} <= runtimes
    assert all(action == action.lower() and action.count("/") == 1 for action in SETUP_ACTIONS)


def test_every_provider_in_one_repository_and_none_in_vendored_code(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n",
            ".gitlab-ci.yml": "test:\n  script: [make]\n",
            "Jenkinsfile": "pipeline { agent any }\n",
            ".circleci/config.yml": "version: 2.1\n",
            ".travis.yml": "language: python\n",
            "azure-pipelines.yml": "trigger: [main]\n",
            "bitbucket-pipelines.yml": "pipelines: {}\n",
            ".buildkite/pipeline.yml": "steps: []\n",
            ".drone.yml": "kind: pipeline\n",
            ".teamcity/settings.kts": 'version = "2024.03"\n',
            "node_modules/pkg/Jenkinsfile": "pipeline {}\n",
            "node_modules/pkg/.travis.yml": "language: node_js\n",
        },
    )
    assert sorted(facts.ci_files) == sorted(
        [
            CiFile("github-actions", ".github/workflows/ci.yml"),
            CiFile("gitlab-ci", ".gitlab-ci.yml"),
            CiFile("jenkins", "Jenkinsfile"),
            CiFile("circleci", ".circleci/config.yml"),
            CiFile("travis-ci", ".travis.yml"),
            CiFile("azure-pipelines", "azure-pipelines.yml"),
            CiFile("bitbucket-pipelines", "bitbucket-pipelines.yml"),
            CiFile("buildkite", ".buildkite/pipeline.yml"),
            CiFile("drone", ".drone.yml"),
            CiFile("teamcity", ".teamcity/settings.kts"),
        ]
    )
    assert facts.warnings == []


def test_a_repository_without_ci_has_no_ci_files(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"README.md": "# x\n", "src/ci.py": "print()\n"})
    assert facts.ci_files == [] and facts.actions == [] and facts.warnings == []


# --- uses -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("actions/checkout@v4", ("actions/checkout", "v4")),
        (
            "actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab",
            ("actions/checkout", "8e5e7e5ab8b370d6c329ec480221332ada57f0ab"),
        ),
        ("github/codeql-action/init@v3", ("github/codeql-action/init", "v3")),
        ("org/repo/path/to/action@feature/branch-1", ("org/repo/path/to/action", "feature/branch-1")),
        ("org/shared/.github/workflows/ci.yml@main", ("org/shared/.github/workflows/ci.yml", "main")),
        ("./.github/actions/local", ("./.github/actions/local", None)),
        ("./.github/workflows/reuse.yml", ("./.github/workflows/reuse.yml", None)),
        ("docker://alpine:3.19", ("docker://alpine", "3.19")),
        ("docker://alpine", ("docker://alpine", None)),
        ("docker://ghcr.io/org/tool:1.2", ("docker://ghcr.io/org/tool", "1.2")),
        ("docker://localhost:5000/tool", ("docker://localhost:5000/tool", None)),
        (f"docker://alpine@sha256:{'a' * 64}", ("docker://alpine", f"sha256:{'a' * 64}")),
        ("  actions/setup-go@v5  ", ("actions/setup-go", "v5")),
        ("actions/checkout", ("actions/checkout", None)),
    ],
)
def test_parse_uses(value: str, expected: tuple[str, str | None]) -> None:
    assert parse_uses(value) == expected


WORKFLOW = """
name: CI
on:
  push:
    branches: [main]
  pull_request:
env:
  NODE_VERSION: "20.x"
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
        python-version: ["3.11", "3.12", 3.10]
        include:
          - python-version: "3.13"
            experimental: true
        exclude:
          - python-version: "3.11"
            os: windows-latest
    steps:
      - uses: actions/checkout@v4
      - name: Python
        uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
          cache: pip
      - uses: actions/setup-node@v4
        with:
          node-version: ${{ env.NODE_VERSION }}
      - run: pytest
  build:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v3
      - uses: actions/setup-java@v4
        with:
          distribution: temurin
          java-version: '21'
      - uses: actions/setup-go@v5
        with:
          go-version-file: go.mod
      - uses: docker://alpine:3.19
      - uses: ./.github/actions/build
  release:
    uses: org/shared/.github/workflows/release.yml@v2
    secrets: inherit
  local:
    uses: ./.github/workflows/reuse.yml
"""


def test_workflow_uses_and_setup_runtimes() -> None:
    parsed = parse_workflow(WORKFLOW, WF)
    assert [(a.action, a.ref) for a in parsed.actions] == [
        ("actions/checkout", "v4"),
        ("actions/setup-python", "v5"),
        ("actions/setup-node", "v4"),
        ("actions/checkout", "v3"),
        ("actions/setup-java", "v4"),
        ("actions/setup-go", "v5"),
        ("docker://alpine", "3.19"),
        ("./.github/actions/build", None),
        ("org/shared/.github/workflows/release.yml", "v2"),
        ("./.github/workflows/reuse.yml", None),
    ]
    assert all(a.path == WF for a in parsed.actions)
    # 3.10 unquoted is the YAML number 3.1, and GitHub passes "3.1" to setup-python too
    assert parsed.runtimes == [
        Runtime("python", "3.11", WF),
        Runtime("python", "3.12", WF),
        Runtime("python", "3.1", WF),
        Runtime("python", "3.13", WF),
        Runtime("node", "20.x", WF),
        Runtime("java", "21", WF),
    ]  # go-version-file names a file other detectors read: no runtime here
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("steps", "runtimes"),
    [
        ("- uses: ruby/setup-ruby@v1\n  with: {ruby-version: 3.3}", [("ruby", "3.3")]),
        ("- uses: actions/setup-go@v5\n  with: {go-version: '1.22'}", [("go", "1.22")]),
        (
            "- uses: actions/setup-dotnet@v4\n  with:\n    dotnet-version: |\n      6.0.x\n      8.0.x\n",
            [("dotnet", "6.0.x"), ("dotnet", "8.0.x")],
        ),
        ("- uses: Actions/Setup-Python@v5\n  with: {python-version: '3.12'}", [("python", "3.12")]),
        ("- uses: actions/setup-python@v5\n  with: {python-version-file: .python-version}", []),
        ("- uses: actions/setup-python@v5", []),
        ("- uses: actions/setup-node@v4\n  with: {node-version: 20}", [("node", "20")]),
        ("- uses: actions/setup-node@v4\n  with: {node-version: lts/*}", [("node", "lts/*")]),
        ("- uses: actions/setup-node@v4\n  with: {node-version: '${{ inputs.node }}'}", []),
        ("- uses: actions/setup-node@v4\n  with: {node-version: '${{ env.MISSING }}'}", []),
        ("- uses: hashicorp/setup-terraform@v3\n  with: {terraform_version: 1.7.5}", [("terraform", "1.7.5")]),
        ("- uses: shivammathur/setup-php@v2\n  with: {php-version: '8.3'}", [("php", "8.3")]),
        ("- uses: actions/setup-node@v4\n  env: {V: '18'}\n  with: {node-version: '${{ env.V }}'}", [("node", "18")]),
        ("- uses: some/other-action@v1\n  with: {python-version: '3.9'}", []),  # not a setup action
    ],
)
def test_setup_steps(steps: str, runtimes: list[tuple[str, str]]) -> None:
    body = "\n".join("      " + line for line in steps.splitlines())
    text = f"on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n{body}\n"
    assert runtimes_of(text) == runtimes
    assert parse_workflow(text, WF).warnings == []


@pytest.mark.parametrize(
    ("matrix", "expression", "expected"),
    [
        ({"py": ["3.11", "3.12"]}, "${{ matrix.py }}", ["3.11", "3.12"]),
        ({"py": "3.12"}, "${{matrix.py}}", ["3.12"]),
        ({"include": [{"py": "3.9"}, {"os": "mac"}]}, "${{ matrix.py }}", ["3.9"]),
        ({"config": [{"python": "3.10", "os": "a"}, {"python": 3.8}]}, "${{ matrix.config.python }}", ["3.10", "3.8"]),
        ({"major": [3], "minor": [11, 12]}, "${{ matrix.major }}.${{ matrix.minor }}", ["3.11", "3.12"]),
        ({"py": ["3.11", "3.11", True, None, {"x": 1}]}, "${{ matrix.py }}", ["3.11"]),
        ({"py": "${{ fromJSON(needs.plan.outputs.versions) }}"}, "${{ matrix.py }}", []),
        ("${{ fromJSON(needs.plan.outputs.matrix) }}", "${{ matrix.py }}", []),
        ({"py": ["3.12"]}, "${{ matrix.other }}", []),
        ({"py": ["3.12"]}, "pypy${{ matrix.py }}", ["pypy3.12"]),
    ],
)
def test_matrix_expressions_stand_for_every_value(matrix: object, expression: str, expected: list[str]) -> None:
    assert versions(expression, matrix, {}) == expected


def test_the_on_key_read_as_true_does_not_matter() -> None:
    for on in ("on: [push]", "on: push", "true: push", "'on': {push: {}}"):
        text = f"{on}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n"
        assert uses_of(text) == [("actions/checkout", "v4")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("jobs: [\n", "not valid YAML: "),
        ("on: push\njobs:\n  a:\n    steps:\n  - bad indent\n", "not valid YAML: "),
        ("", "empty workflow"),
        ("- a\n- b\n", "expected a mapping at the top, found a list"),
        ("on: push\n", "no jobs"),
        ("jobs: [a, b]\n", "jobs: expected a mapping of jobs, found a list"),
        ("jobs:\n  a: 5\n", "jobs.a: expected a mapping, found a number"),
        ("jobs:\n  a:\n    steps: run\n", "jobs.a.steps: expected a list of steps, found a string"),
        ("jobs:\n  a:\n    steps: [5]\n", "jobs.a.steps[0]: expected a mapping, found a number"),
        ("jobs:\n  a:\n    steps:\n      - uses: 5\n", "jobs.a.steps[0].uses: expected an action, found a number"),
        ("jobs:\n  a:\n    uses: ''\n", "jobs.a.uses: expected an action, found a string"),
        ("jobs:\n  a:\n    steps:\n      - uses: actions/checkout\n", "'actions/checkout' names no version (@ref)"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "alias bomb",
        ),
        ("[" * 5000 + "]" * 5000, "nest"),  # too deep: libyaml or our loader refuses it
    ],
)
def test_broken_workflows_are_warnings(text: str, problem: str) -> None:
    parsed = parse_workflow(text, WF)
    assert any(problem in w for w in parsed.warnings), parsed.warnings


def test_workflows_in_a_repository_with_a_broken_and_a_binary_one(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            ".github/workflows/ci.yml": WORKFLOW,
            ".github/workflows/broken.yaml": "jobs:\n  a: [\n",
            ".github/workflows/blob.yml": b"\x00\x01\x02\x03",
            ".github/workflows/utf16.yml": "jobs:\n  a:\n    uses: org/x/.github/workflows/y.yml@v1\n".encode("utf-16"),
        },
    )
    assert {c.path for c in facts.ci_files} == {
        ".github/workflows/ci.yml",
        ".github/workflows/broken.yaml",
        ".github/workflows/blob.yml",
        ".github/workflows/utf16.yml",
    }  # a broken workflow is still a CI file
    assert ActionUse("org/x/.github/workflows/y.yml", "v1", ".github/workflows/utf16.yml") in facts.actions
    assert ActionUse("actions/checkout", "v4", WF) in facts.actions
    problems = {w.path: w.message for w in facts.warnings}
    assert problems[".github/workflows/blob.yml"] == "not readable as text (binary content)"
    assert problems[".github/workflows/broken.yaml"].startswith("not valid YAML: ")
    assert len(facts.warnings) == 2


# --- composite and JavaScript actions -------------------------------------------------------------


def test_composite_action_steps_and_javascript_action_runtime(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            ".github/actions/setup/action.yml": (
                "name: setup\nruns:\n  using: composite\n  steps:\n"
                "    - uses: actions/setup-python@v5\n      with: {python-version: '3.12'}\n"
                "    - run: pip install .\n      shell: bash\n"
            ),
            "action.yaml": "name: mine\nruns:\n  using: node20\n  main: dist/index.js\n",
            "tools/other/action.yml": "tasks: [build]\n",  # some other tool's action.yml
            "node_modules/x/action.yml": "runs:\n  using: node12\n",
        },
    )
    assert facts.actions == [ActionUse("actions/setup-python", "v5", ".github/actions/setup/action.yml")]
    assert sorted(facts.runtimes) == [
        Runtime("node", "20", "action.yaml"),
        Runtime("python", "3.12", ".github/actions/setup/action.yml"),
    ]
    assert facts.ci_files == [] and facts.warnings == []


def test_broken_action_yml_is_a_warning() -> None:
    assert parse_action("runs: [\n", "action.yml").warnings[0].startswith("not valid YAML")


# --- GitLab CI ------------------------------------------------------------------------------------

GITLAB = """
variables:
  PY: "3.12"
  NODE: {value: "20", description: "node major"}
image: python:$PY
default:
  image:
    name: docker.io/library/node:${NODE}-alpine
    entrypoint: [""]
stages: [test, build]
.template:
  image: golang:1.22
  script:
    - go test ./...
test:
  stage: test
  variables:
    PY: "3.11"
  image: python:${PY}-slim
  script:
    - !reference [.template, script]
build:
  image: $CI_REGISTRY_IMAGE/builder:latest
  script: [make]
deploy:
  script: [make deploy]
"""


def test_gitlab_images_with_variables_and_reference_tags() -> None:
    parsed = parse_gitlab_ci(GITLAB, ".gitlab-ci.yml")
    assert [(i.image, i.tag, i.stage) for i in parsed.images] == [
        ("python", "3.12", "gitlab-ci"),
        ("node", "20-alpine", "gitlab-ci"),
        ("golang", "1.22", "gitlab-ci"),
        ("python", "3.11-slim", "gitlab-ci"),  # the job's own variables win
        ("$CI_REGISTRY_IMAGE/builder", "latest", "gitlab-ci"),  # GitLab's own variables: kept as written
    ]
    assert [(r.name, r.version) for r in parsed.runtimes] == [
        ("python", "3.12"),
        ("node", "20"),
        ("go", "1.22"),
        ("python", "3.11"),
    ]
    assert all(r.evidence == ".gitlab-ci.yml" for r in parsed.runtimes)
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("image: [\n", "not valid YAML"),
        ("image: Python:3\n", "image: 'Python:3' is not a valid image reference"),
        ("job:\n  image: 5\n  script: [x]\n", "job.image: expected an image name, found a number"),
        ("job:\n  image: {entrypoint: ['']}\n", "job.image: expected an image name, found a mapping without `name`"),
        # GitLab refuses a job named like a keyword; the top-level `image:` is then no image
        ("image:\n  stage: build\n  image: docker:24\n", "image: expected an image name, found a mapping without"),
        ("- a\n", "expected a mapping at the top, found a list"),
        ("job:\n  script: !unknown [x]\n", "not valid YAML"),
    ],
)
def test_broken_gitlab_files_are_warnings(text: str, problem: str) -> None:
    parsed = parse_gitlab_ci(text, ".gitlab-ci.yml")
    assert any(problem in w for w in parsed.warnings), parsed.warnings


def test_gitlab_in_a_repository_includes_its_ci_folder(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            ".gitlab-ci.yml": "include:\n  - local: .gitlab/ci/build.yml\n",
            ".gitlab/ci/build.yml": "build:\n  image: maven:3.9-eclipse-temurin-17\n  script: [mvn package]\n",
        },
    )
    assert facts.ci_files == [CiFile("gitlab-ci", ".gitlab-ci.yml"), CiFile("gitlab-ci", ".gitlab/ci/build.yml")]
    assert facts.docker_images == [
        DockerImage("maven", "3.9-eclipse-temurin-17", None, "gitlab-ci", ".gitlab/ci/build.yml")
    ]
    assert facts.runtimes == [Runtime("java", "17", ".gitlab/ci/build.yml")]


# --- never an exception ---------------------------------------------------------------------------


mutated = partial(mutated_by, specials=b"-:{}[]$@&*!# \n\"'", any_byte=False)


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(WORKFLOW.encode()), st.text(max_size=200).map(str.encode)))
def test_any_text_as_a_workflow_never_raises(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    parsed = parse_workflow(text, WF)
    assert all(isinstance(w, str) and w for w in parsed.warnings)
    assert all(isinstance(a.action, str) for a in parsed.actions)
    assert all(isinstance(r.version, str) for r in parsed.runtimes)
    parsed = parse_action(text, "action.yml")
    assert all(isinstance(w, str) and w for w in parsed.warnings)


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(GITLAB.encode())))
def test_any_text_as_gitlab_ci_never_raises(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    parsed = parse_gitlab_ci(text, ".gitlab-ci.yml")
    assert all(isinstance(w, str) and w for w in parsed.warnings)
    assert all(i.image and i.stage == "gitlab-ci" for i in parsed.images)


_YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=15,
)


@settings(max_examples=300)
@given(_YAML_VALUES, _YAML_VALUES, st.dictionaries(st.text(max_size=5), _YAML_VALUES, max_size=3))
def test_versions_of_any_shape_never_raise(raw: object, matrix: object, env: dict) -> None:
    found = versions(raw, matrix, env)
    assert all(isinstance(v, str) and v and "${{" not in v for v in found)


@given(
    st.from_regex(r"[a-z0-9-]{1,10}/[a-z0-9._-]{1,10}(/[a-z0-9._-]{1,8})?", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9._/-]{1,20}", fullmatch=True),
)
def test_an_action_and_its_ref_split_back(action: str, ref: str) -> None:
    assert parse_uses(f"{action}@{ref}") == (action, ref)
