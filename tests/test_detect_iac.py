"""Infrastructure as code: Terraform (*.tf, the lock, .terraform-version), Helm charts, Docker Compose."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import compose, helm, terraform
from collectors.detectors.compose import interpolate, parse_compose, split_image
from collectors.detectors.helm import parse_dependencies
from collectors.detectors.parsing import ParseError
from collectors.detectors.terraform import (
    OPAQUE,
    Attribute,
    Block,
    module_dependency,
    parse_hcl,
    parse_lock,
    parse_tf,
    provider_source,
)
from collectors.facts import DockerImage, Facts, Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by


def detect_in(tmp_path: Path, files: dict[str, str | bytes], module: ModuleType) -> Facts:
    return detect_with(module.detect, tmp_path, files)


def deps_of(facts: Facts) -> set[tuple[str, str | None, str | None, str]]:
    return {(d.name, d.declared, d.resolved, d.manifest) for d in facts.dependencies}


# --- Terraform ------------------------------------------------------------------------------------

VERSIONS_TF = """\
# Pinned by the platform guild { not a block }
terraform {
  required_version = ">= 1.5.0, < 2.0.0" // the CI image has 1.7

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.31"
    }
    datadog = { source = "DataDog/datadog", version = ">= 3.30" }
    random = {
      version = "3.6.0" # no source: hashicorp/random
    }
    cloudflare = {
      source                = "registry.terraform.io/cloudflare/cloudflare"
      configuration_aliases = [cloudflare.dns]
    }
    legacy = "~> 2.0"
  }

  /* the state lives in S3 } { */
  backend "s3" { bucket = "acme-tf-state" }
}
"""

MAIN_TF = """\
locals {
  name   = "${var.env}-api"
  labels = { for k, v in var.labels : k => lower(v) if v != "" }
  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Resource": "*"}]
  EOT
  cidrs = [
    "10.0.0.0/16",
    "10.1.0.0/16", # comment inside a list
  ]
  url = "https://example.com/#/not-a-comment"
  raw = "$${literal} and %%{literal}"
  pick = var.env == "prod" ? { size = "large" } : { size = "small" }
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.5.1"
  name    = local.name
}

module "shared" {
  source = "../modules/shared"
}

module "dns" {
  source = "git::https://github.com/acme/tf-modules.git//dns?ref=v1.4.0"
}

module "queue" {
  source = "git::ssh://git@github.com/acme/queue.git?depth=1&ref=2.0.0"
}

module "bucket" { source = "app.terraform.io/acme/bucket/aws"
  version = "~> 0.3" }

resource "aws_s3_bucket" "logs" {
  bucket = "${local.name}-${var.env == "prod" ? "logs" : "tmp"}"
  dynamic "lifecycle_rule" {
    for_each = var.rules
    content { id = lifecycle_rule.value.id }
  }
}
"""

LOCK_HCL = """\
# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.31.0"
  constraints = "~> 5.31"
  hashes = [
    "h1:abc=",
    "zh:0123",
  ]
}

provider "registry.terraform.io/datadog/datadog" {
  version = "3.34.0"
}
"""


def test_terraform_block_gives_providers_and_the_terraform_runtime() -> None:
    parsed = parse_tf(VERSIONS_TF, "infra/versions.tf")
    assert {(d.name, d.declared) for d in parsed.dependencies} == {
        ("hashicorp/aws", "~> 5.31"),
        ("datadog/datadog", ">= 3.30"),  # lower case, as Terraform compares sources
        ("hashicorp/random", "3.6.0"),
        ("cloudflare/cloudflare", None),  # the default registry's host dropped
        ("hashicorp/legacy", "~> 2.0"),
    }
    assert all(d.ecosystem == "terraform" and d.scope == "runtime" for d in parsed.dependencies)
    assert parsed.runtimes == [Runtime("terraform", ">= 1.5.0, < 2.0.0", evidence="infra/versions.tf")]
    assert parsed.warnings == []


def test_modules_are_named_by_source_and_local_ones_left_out() -> None:
    parsed = parse_tf(MAIN_TF, "main.tf")
    assert {(d.name, d.declared) for d in parsed.dependencies} == {
        ("module:terraform-aws-modules/vpc/aws", "5.5.1"),
        ("module:git::https://github.com/acme/tf-modules.git//dns", "v1.4.0"),
        ("module:git::ssh://git@github.com/acme/queue.git?depth=1", "2.0.0"),
        ("module:app.terraform.io/acme/bucket/aws", "~> 0.3"),
    }
    assert parsed.runtimes == [] and parsed.warnings == []


def test_hcl_values_strings_objects_and_skipped_expressions() -> None:
    items = parse_hcl(MAIN_TF)
    local = next(i for i in items if isinstance(i, Block) and i.type == "locals").attributes()
    assert local["name"] is OPAQUE  # interpolated
    assert local["labels"] is OPAQUE  # a for expression
    assert local["policy"] is OPAQUE  # a heredoc
    assert local["cidrs"] == ["10.0.0.0/16", "10.1.0.0/16"]
    assert local["url"] == "https://example.com/#/not-a-comment"
    assert local["raw"] == "${literal} and %{literal}"
    assert local["pick"] is OPAQUE
    resource = next(i for i in items if isinstance(i, Block) and i.type == "resource")
    assert resource.labels == ["aws_s3_bucket", "logs"]
    assert [b.labels for b in resource.blocks("dynamic")] == [["lifecycle_rule"]]


def test_top_level_attributes_and_escapes() -> None:
    items = parse_hcl('a = "x\\"y\\\\z"\nb = 1\n')
    assert [(i.name, i.value) for i in items if isinstance(i, Attribute)] == [("a", 'x"y\\z'), ("b", OPAQUE)]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("aws", "hashicorp/aws"),
        ("HashiCorp/AWS", "hashicorp/aws"),
        ("registry.terraform.io/hashicorp/aws", "hashicorp/aws"),
        ("registry.opentofu.org/hashicorp/aws", "hashicorp/aws"),
        ("example.com/acme/internal", "example.com/acme/internal"),
    ],
)
def test_provider_source_normalised(source: str, expected: str) -> None:
    assert provider_source(source) == expected


@pytest.mark.parametrize(
    ("source", "version", "expected"),
    [
        ("./modules/a", None, None),
        ("../a", "1.0", None),
        ("hashicorp/consul/aws", "0.1.0", ("module:hashicorp/consul/aws", "0.1.0")),
        ("github.com/acme/mod?ref=v2", None, ("module:github.com/acme/mod", "v2")),
        (
            "s3::https://s3.amazonaws.com/bucket/mod.zip",
            None,
            ("module:s3::https://s3.amazonaws.com/bucket/mod.zip", None),
        ),
    ],
)
def test_module_dependency(source: str, version: str | None, expected: tuple[str, str | None] | None) -> None:
    dep = module_dependency(source, version, "main.tf")
    assert (None if dep is None else (dep.name, dep.declared)) == expected


def test_lock_fills_resolved_for_providers_of_its_own_folder(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "envs/prod/versions.tf": VERSIONS_TF,
            "envs/prod/main.tf": MAIN_TF,
            "envs/prod/.terraform.lock.hcl": LOCK_HCL,
            "modules/net/versions.tf": 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n',
            "envs/prod/.terraform/modules/vpc/main.tf": 'terraform {\n  required_version = ">= 0.12"\n}\n',
            ".terraform-version": "1.7.1\n",
        },
        terraform,
    )
    found = {(d.name, d.manifest): d.resolved for d in facts.dependencies}
    assert found[("hashicorp/aws", "envs/prod/versions.tf")] == "5.31.0"
    assert found[("datadog/datadog", "envs/prod/versions.tf")] == "3.34.0"
    assert found[("hashicorp/random", "envs/prod/versions.tf")] is None  # not in the lock
    assert found[("hashicorp/aws", "modules/net/versions.tf")] is None  # another folder: not locked
    assert found[("module:terraform-aws-modules/vpc/aws", "envs/prod/main.tf")] is None  # modules are not locked
    assert set(facts.runtimes) == {
        Runtime("terraform", ">= 1.5.0, < 2.0.0", "envs/prod/versions.tf"),
        Runtime("terraform", "1.7.1", ".terraform-version"),
    }  # nothing from .terraform/: downloaded modules
    assert facts.warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('terraform {\n  required_version = "1.5"\n', "line 1: block never closed"),
        ('terraform {\n  required_version = "1.5\n}\n', "line 2: string never closed"),
        ("/* never closed\nterraform {}\n", "line 1: /* comment never closed"),
        ("locals {\n  x = <<EOT\nabc\n}\n", "line 2: heredoc <<EOT never closed"),
        ("locals {\n  x = [1, 2)\n}\n", "line 2: ) does not close [ of line 2"),
        ("locals {\n  x = )\n}\n", "line 2: ) closes nothing"),
        ("locals {\n  x = [1,\n", "line 2: [ never closed"),
        ('"orphan"\n', "line 1: expected an attribute or a block, found a string"),
        ("terraform = {\n}\n}\n", "line 3: expected an attribute or a block, found '}'"),
        ('resource "a" "${x}" {}\n', "line 1: expected a block label or { after resource, found a string"),
        ('x = "${var.a\n', "line 1: ${ interpolation never closed"),
        ("x = " + "[" * 500 + "]" * 500 + "\n", "brackets nested too deeply"),
        ("a {\n" * 500 + "}\n" * 500, "blocks nested too deeply"),
        ('x = "' + "${" * 500 + "}" * 500 + '"\n', "nested too deeply"),
    ],
)
def test_broken_hcl_is_one_parse_error(text: str, problem: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_tf(text, "main.tf")
    assert problem in str(err.value) and "\n" not in str(err.value)


def test_broken_terraform_files_are_warnings(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "ok/versions.tf": VERSIONS_TF,
            "bad/main.tf": "terraform {\n",
            "bin/main.tf": b"\x00\x01\x02",
            "bad/.terraform.lock.hcl": 'provider "x" {\n',
            "bad/.terraform-version": "\n",
            "mod/main.tf": 'module "m" {\n  source = var.source\n}\n',
        },
        terraform,
    )
    assert {d.manifest for d in facts.dependencies} == {"ok/versions.tf"}
    assert {(w.path, w.message) for w in facts.warnings} == {
        ("bad/main.tf", "line 1: block never closed"),
        ("bin/main.tf", "not readable as text (binary content)"),
        ("bad/.terraform.lock.hcl", "line 1: block never closed"),
        ("bad/.terraform-version", "names no Terraform version"),
        ("mod/main.tf", "line 1: module m: source is not a literal string"),
    }


def test_lock_file_parsed_alone() -> None:
    assert parse_lock(LOCK_HCL) == {"hashicorp/aws": "5.31.0", "datadog/datadog": "3.34.0"}


mutated = partial(mutated_by, max_edits=12)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=300),
        mutated((VERSIONS_TF + MAIN_TF).encode(), b'{}[]()"$%#/*<-=:,\n\\'),
        st.text(alphabet='{}[]()"$%#/*<-=:,\n\\ abEOT', max_size=200).map(str.encode),
    )
)
def test_any_bytes_as_hcl_raise_only_parse_error(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    try:
        parsed = parse_tf(text, "main.tf")
    except ParseError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert all(d.name for d in parsed.dependencies)
    assert all(w.startswith("line ") for w in parsed.warnings)


# --- Helm -----------------------------------------------------------------------------------------

CHART = """\
apiVersion: v2
name: shop
version: 1.4.0
appVersion: "2.3.1"
dependencies:
  - name: postgresql
    version: "~13.2.0"
    repository: https://charts.bitnami.com/bitnami
    condition: postgresql.enabled
  - name: redis
    alias: cache
    version: 18.6.1
    repository: oci://registry-1.docker.io/bitnamicharts
  - name: common
    version: 0.1.0
    repository: file://../common
  - name: grafana
    version: 7.2
    repository: "@grafana"
"""

CHART_LOCK = """\
dependencies:
- name: postgresql
  repository: https://charts.bitnami.com/bitnami
  version: 13.2.27
- name: redis
  repository: oci://registry-1.docker.io/bitnamicharts
  version: 18.6.1
- name: common
  repository: file://../common
  version: 0.1.0
digest: sha256:abc
generated: "2024-01-15T10:00:00Z"
"""


def test_chart_dependencies_with_the_lock(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "deploy/shop/Chart.yaml": CHART,
            "deploy/shop/Chart.lock": CHART_LOCK,
            "deploy/shop/charts/postgresql/Chart.yaml": "apiVersion: v2\nname: postgresql\ndependencies:\n"
            "  - name: common\n    version: 2.x.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n",
            "deploy/common/Chart.yaml": "apiVersion: v2\nname: common\nversion: 0.1.0\n",
            "legacy/Chart.yaml": "apiVersion: v1\nname: legacy\nversion: 0.1.0\n",
            "legacy/requirements.yaml": "dependencies:\n- name: mysql\n  version: 1.6.9\n"
            "  repository: https://charts.helm.sh/stable\n",
            "legacy/requirements.lock": "dependencies:\n- name: mysql\n  version: 1.6.9\n",
            "requirements.yaml": "dependencies:\n- name: not-a-chart\n",  # no Chart.yaml beside it
        },
        helm,
    )
    assert {(d.name, d.declared, d.resolved, d.manifest) for d in facts.dependencies} == {
        ("postgresql", "~13.2.0", "13.2.27", "deploy/shop/Chart.yaml"),
        ("redis", "18.6.1", "18.6.1", "deploy/shop/Chart.yaml"),  # the chart's name, not its alias
        ("grafana", "7.2", None, "deploy/shop/Chart.yaml"),  # a number in YAML, read as written
        ("mysql", "1.6.9", "1.6.9", "legacy/requirements.yaml"),
    }  # common is a local chart; charts/postgresql is the downloaded copy of a dependency
    assert all(d.ecosystem == "helm" and d.scope == "runtime" for d in facts.dependencies)
    assert facts.warnings == []


def test_local_subchart_under_charts_is_read() -> None:
    assert helm.downloaded_subchart(
        "app/charts/postgresql/Chart.yaml",
        {"app": [helm.ChartDependency("postgresql", "1", "https://x")]},
    )
    assert not helm.downloaded_subchart(
        "app/charts/worker/Chart.yaml", {"app": [helm.ChartDependency("worker", "1", "file://charts/worker")]}
    )
    assert not helm.downloaded_subchart("charts/api/Chart.yaml", {"": []})


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("dependencies: postgresql\n", "dependencies: expected a list, found a string"),
        ("dependencies:\n  - version: 1.0\n", "dependencies[0]: expected a mapping with a name"),
        ("dependencies:\n  - name: x\n    version: [1]\n", "dependencies[0] x: version is a list, not a string"),
    ],
)
def test_malformed_chart_entries_are_warnings(text: str, problem: str) -> None:
    assert parse_dependencies(text).warnings == [problem]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a\n- b\n", "expected a mapping at the top, found a list"),
        ("dependencies: [unclosed\n", "not valid YAML"),
        ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(20)
        ), "alias bomb"),
        ("[" * 20_000 + "]" * 20_000, "YAML"),
    ],
)  # fmt: skip
def test_broken_chart_yaml_is_a_parse_error(text: str, problem: str) -> None:
    with pytest.raises(ParseError, match=problem):
        parse_dependencies(text)


def test_broken_chart_files_are_warnings(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"a/Chart.yaml": "name: [\n", "b/Chart.yaml": b"\xff\xfe\x00\x00\x00"}, helm)
    assert {w.path for w in facts.warnings} == {"a/Chart.yaml", "b/Chart.yaml"}
    assert facts.dependencies == []


# --- Docker Compose -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("postgres", ("postgres", None, None)),
        ("postgres:16.1-alpine", ("postgres", "16.1-alpine", None)),
        ("bitnami/redis:7.2", ("bitnami/redis", "7.2", None)),
        ("registry:5000/org/img", ("registry:5000/org/img", None, None)),
        ("registry:5000/org/img:1.2", ("registry:5000/org/img", "1.2", None)),
        (
            "ghcr.io/acme/api:2.0@sha256:" + "a" * 64,
            ("ghcr.io/acme/api", "2.0", "sha256:" + "a" * 64),
        ),
        ("nginx@sha256:" + "b" * 64, ("nginx", None, "sha256:" + "b" * 64)),
        ("localhost:5000/app", ("localhost:5000/app", None, None)),
        ("${REGISTRY}/app:${TAG}", ("${REGISTRY}/app", "${TAG}", None)),
    ],
)
def test_split_image_reference(reference: str, expected: tuple[str, str | None, str | None]) -> None:
    assert split_image(reference) == expected


@pytest.mark.parametrize("reference", ["", "with space:1", "img:", ":tag", "img@notadigest", "img@sha256:xyz"])
def test_bad_image_references(reference: str) -> None:
    with pytest.raises(ValueError):
        split_image(reference)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgres:${PG_VERSION:-16}", "postgres:16"),
        ("postgres:${PG_VERSION-15}", "postgres:15"),
        ("${REGISTRY:-registry:5000}/app", "registry:5000/app"),
        ("${A:-${B:-nested}}/x", "nested/x"),
        ("app:${TAG}", "app:${TAG}"),
        ("app:${TAG:?set TAG}", "app:${TAG:?set TAG}"),
        ("app${SUFFIX:+-debug}", "app"),
        ("app:$TAG", "app:$TAG"),
        ("price$$", "price$"),
        ("broken:${TAG", "broken:${TAG"),
    ],
)
def test_interpolation_as_if_nothing_were_set(text: str, expected: str) -> None:
    assert interpolate(text) == expected


COMPOSE = (
    """\
name: shop
x-common: &common
  restart: unless-stopped
services:
  api:
    build: .
    image: ghcr.io/acme/shop-api:${TAG:-latest}
  worker:
    build:
      context: ./worker
  db:
    <<: *common
    image: docker.io/library/postgres:16.1@sha256:"""
    + "c" * 64
    + """
  cache:
    image: "registry.acme.io:5000/mirror/redis"
  broker:
    image: rabbitmq:3.12-management
  empty:
"""
)


def test_compose_services_images_with_service_as_stage() -> None:
    parsed = parse_compose(COMPOSE, "deploy/docker-compose.yml")
    assert parsed.images == [
        DockerImage("ghcr.io/acme/shop-api", "latest", None, "api", "deploy/docker-compose.yml"),
        DockerImage("postgres", "16.1", "sha256:" + "c" * 64, "db", "deploy/docker-compose.yml"),  # as in Dockerfiles
        DockerImage("registry.acme.io:5000/mirror/redis", None, None, "cache", "deploy/docker-compose.yml"),
        DockerImage("rabbitmq", "3.12-management", None, "broker", "deploy/docker-compose.yml"),
    ]  # worker is only built
    assert parsed.warnings == []


def test_compose_files_by_name_and_the_old_format(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "docker-compose.yml": "version: '2'\nservices:\n  db:\n    image: mysql:8.0\n",
            "docker-compose.override.yaml": "services:\n  db:\n    image: mysql:8.3\n",
            "compose.yaml": "services:\n  web:\n    image: nginx:1.25\n",
            "ops/compose.prod.yml": "services:\n  web:\n    image: nginx:1.25-alpine\n",
            "legacy/docker-compose.yml": "web:\n  image: python:2.7\n  links: [db]\ndb:\n  image: postgres:9.6\n",
            "other.yml": "services:\n  x:\n    image: ignored:1\n",
            "node_modules/pkg/docker-compose.yml": "services:\n  x:\n    image: ignored:2\n",
        },
        compose,
    )
    assert {(i.image, i.tag, i.stage, i.path) for i in facts.docker_images} == {
        ("mysql", "8.0", "db", "docker-compose.yml"),
        ("mysql", "8.3", "db", "docker-compose.override.yaml"),
        ("nginx", "1.25", "web", "compose.yaml"),
        ("nginx", "1.25-alpine", "web", "ops/compose.prod.yml"),
        ("python", "2.7", "web", "legacy/docker-compose.yml"),
        ("postgres", "9.6", "db", "legacy/docker-compose.yml"),
    }
    assert facts.warnings == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("services:\n  - db\n", "services: expected a mapping, found a list"),
        ("services:\n  db: postgres\n", "services.db: expected a mapping, found a string"),
        ("services:\n  db:\n    image: 16\n", "services.db.image: expected a string, found a number"),
        ("services:\n  db:\n    image: post gres\n", "services.db.image: 'post gres' is not an image reference"),
    ],
)
def test_malformed_services_are_warnings(text: str, problem: str) -> None:
    assert parse_compose(text, "compose.yaml").warnings == [problem]


def test_a_bad_service_leaves_the_others() -> None:
    parsed = parse_compose("services:\n  db:\n    image: 16\n  ok:\n    image: busybox:1.36\n", "compose.yaml")
    assert [(i.image, i.tag, i.stage) for i in parsed.images] == [("busybox", "1.36", "ok")]
    assert len(parsed.warnings) == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("services: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping at the top, found a list"),
        (b"\x00\x01\x02\x03", "not readable as text"),
        ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(20)
        ), "alias bomb"),
        ("services:\n" + "  " * 1 + "x: " + "[" * 20_000 + "]" * 20_000 + "\n", "YAML"),
    ],
)  # fmt: skip
def test_broken_compose_files_are_warnings(tmp_path: Path, content: str | bytes, problem: str) -> None:
    facts = detect_in(tmp_path, {"docker-compose.yml": content, "compose.yaml": COMPOSE}, compose)
    assert {i.path for i in facts.docker_images} == {"compose.yaml"}
    assert [w.path for w in facts.warnings] == ["docker-compose.yml"]
    assert problem in facts.warnings[0].message


def test_utf16_compose_file_is_read(tmp_path: Path) -> None:
    facts = detect_in(tmp_path, {"compose.yaml": "services:\n  a:\n    image: alpine:3.19\n".encode("utf-16")}, compose)
    assert [(i.image, i.tag) for i in facts.docker_images] == [("alpine", "3.19")]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_any_image_text_is_split_or_refused(text: str) -> None:
    try:
        image, tag, digest = split_image(interpolate(text))
    except ValueError:
        return
    assert image and (tag is None or tag) and (digest is None or digest)


_YAML_KEYS = st.sampled_from(["services", "image", "build", "version", "dependencies", "name", "repository", "db"])
_YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=15),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_YAML_KEYS | st.text(max_size=5), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_YAML_VALUES.map(json.dumps), st.text(max_size=200)))
def test_any_yaml_as_chart_or_compose_file_raises_only_parse_error(text: str) -> None:
    """JSON is YAML: random shapes with the keys the readers look for."""
    try:
        parsed = parse_compose(text, "compose.yaml")
        assert all(i.image and i.stage is not None for i in parsed.images)
    except ParseError:
        pass
    try:
        chart = parse_dependencies(text)
        assert all(d.name for d in chart.dependencies)
    except ParseError:
        pass
