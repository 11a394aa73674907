"""The Docker detector: base images of every Dockerfile, ARG substitution, stages, runtimes."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.detectors import docker
from collectors.detectors.docker import (
    BASE_IMAGE_RUNTIMES,
    expand,
    is_valid_reference,
    normalise_image,
    parse_dockerfile,
    split_reference,
)
from collectors.facts import DockerImage, Runtime
from collectors.repo_view import decode_text
from tests.gitrepo import detect_with
from tests.strategies import mutated as mutated_by

DIGEST = "sha256:" + "0123456789abcdef" * 4


detect_in = partial(detect_with, docker.detect)


def images_of(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(i.image, i.tag, i.digest, i.stage) for i in parse_dockerfile(text, "Dockerfile").images]


# --- FROM lines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "images"),
    [
        ("FROM python:3.12-slim\n", [("python", "3.12-slim", None, None)]),
        (
            # multi-stage, ARG defaults substituted, a stage used as a base is no image
            "ARG PY=3.12\nARG DISTRO=bookworm\n"
            "FROM python:${PY}-slim-${DISTRO} AS build\nRUN pip install .\n"
            "FROM build AS test\nRUN pytest\n"
            "FROM gcr.io/distroless/python3-debian12:nonroot AS runtime\nCOPY --from=build /app /app\n",
            [
                ("python", "3.12-slim-bookworm", None, "build"),
                ("gcr.io/distroless/python3-debian12", "nonroot", None, "runtime"),
            ],
        ),
        (
            f"FROM --platform=$BUILDPLATFORM golang:1.22-alpine@{DIGEST} AS builder\n",
            [("golang", "1.22-alpine", DIGEST, "builder")],
        ),
        (f"FROM alpine@{DIGEST}\n", [("alpine", None, DIGEST, None)]),
        ("ARG NODE=20\nFROM node:$NODE-alpine\n", [("node", "20-alpine", None, None)]),
        ("FROM python:${PY:-3.11}\n", [("python", "3.11", None, None)]),  # no ARG: the default
        ("ARG PY=3.12\nFROM python:${PY:-3.11}\n", [("python", "3.12", None, None)]),
        ("ARG PY\nFROM python:${PY:-3.11}-slim\n", [("python", "3.11-slim", None, None)]),  # declared, unset
        ("ARG PY=\nFROM python:3${PY:+-x}${PY-.9}\n", [("python", "3", None, None)]),  # set but empty
        ("ARG V=20\nARG IMG=node:${V}-alpine\nFROM $IMG\n", [("node", "20-alpine", None, None)]),
        ('ARG PY="3.12" OTHER=x\nFROM python:${PY}\n', [("python", "3.12", None, None)]),
        ("ARG T='$NOT_EXPANDED'\nFROM python:3\n", [("python", "3", None, None)]),
        ("FROM python:\\$\n", []),  # an escaped $ is literal, and "python:$" is no reference
        ("FROM scratch\n", [("scratch", None, None, None)]),
        ("FROM localhost:5000/team/app:1.4\n", [("localhost:5000/team/app", "1.4", None, None)]),
        ("FROM registry.example.com:443/base\n", [("registry.example.com:443/base", None, None, None)]),
        ("FROM docker.io/library/python:3.11\n", [("python", "3.11", None, None)]),
        ("FROM library/python:3.11\n", [("python", "3.11", None, None)]),
        ("FROM index.docker.io/bitnami/redis:7.2\n", [("bitnami/redis", "7.2", None, None)]),
        ("FROM ghcr.io/library/tool:1\n", [("ghcr.io/library/tool", "1", None, None)]),  # not Docker Hub
        # instructions and AS are case-insensitive; stage names too
        ("from node:20 as Build\nRUN x\nfRoM build\n", [("node", "20", None, "Build")]),
        # continuations with a comment and an empty line inside
        (
            "FROM \\\n  # the runtime\n\n  eclipse-temurin:21-jre \\\n  AS run\n",
            [("eclipse-temurin", "21-jre", None, "run")],
        ),
        ("FROM alpine:3.19 \\   \n AS trailing-space\n", [("alpine", "3.19", None, "trailing-space")]),
        # parser directives: the escape character changes
        (
            "# syntax=docker/dockerfile:1\n# escape=`\nFROM mcr.microsoft.com/dotnet/sdk:8.0 `\n  AS build\n"
            "RUN dir c:\\\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            [
                ("mcr.microsoft.com/dotnet/sdk", "8.0", None, "build"),
                ("mcr.microsoft.com/dotnet/aspnet", "8.0", None, None),
            ],
        ),
        # a directive after a comment is a comment
        ("# hello\n# escape=`\nFROM alpine:3 \\\n AS a\n", [("alpine", "3", None, "a")]),
        ("# foo=bar\n# escape=`\nFROM alpine:3 \\\n AS a\n", [("alpine", "3", None, "a")]),  # unknown: a comment
        ("# check=skip=all\n# escape=`\nFROM alpine:3 `\n AS a\n", [("alpine", "3", None, "a")]),
        # heredoc bodies are not instructions
        (
            "FROM alpine:3.19 AS a\nRUN <<EOF\nFROM fake:1\nEOF\nCOPY <<-'END' /x\n\tFROM fake:2\n\tEND\nFROM a\n",
            [("alpine", "3.19", None, "a")],
        ),
        # ARGs after the first FROM belong to a stage: a later FROM cannot use them
        (
            "FROM alpine:3.19\nARG LATE=1\nFROM busybox:$LATE\n",
            [("alpine", "3.19", None, None), ("busybox", "$LATE", None, None)],
        ),
        # a stage can only be used after it is named
        ("FROM later\nFROM alpine AS later\n", [("later", None, None, None), ("alpine", None, None, "later")]),
        ("FROM\tpython:3.12\tAS\tbuild\n", [("python", "3.12", None, "build")]),
        ("FROM python:3.12\r\nFROM node:20\r\n", [("python", "3.12", None, None), ("node", "20", None, None)]),
    ],
)
def test_from_lines(text: str, images: list[tuple[str, str | None, str | None, str | None]]) -> None:
    assert images_of(text) == images


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("RUN echo hello\n", "no FROM instruction: not a Dockerfile?"),
        ("", "no FROM instruction: not a Dockerfile?"),
        ("FROM\n", "line 1: FROM without an image"),
        ("FROM {{ base_image }}\n", "not a valid image reference"),
        ("FROM Python:3.12\n", "line 1: FROM 'Python:3.12': not a valid image reference"),
        ("FROM --platform linux/amd64 python:3.12\n", "line 1: FROM --platform without =value"),
        ("ARG TAG\nFROM node:$TAG\n", "line 2: FROM node:$TAG: no value for TAG; kept as written"),
        ("FROM ${REGISTRY}/app:${VERSION}\n", "no value for REGISTRY, VERSION; kept as written"),
        ("FROM python:${PY\n", "no value for ${PY; kept as written"),
        ("FROM python:${PY#3}\n", "no value for ${PY#3}; kept as written"),
        ("FROM :${PY#3}\n", "not a valid image reference"),
        ("FROM python:3 AS a b\n", "line 1: FROM 'python:3 AS a b': unexpected 'b'"),
        ("# escape=x\nFROM python:3\n", "escape='x': only \\ and ` can be the escape character"),
        ("FROM python:" + "1" * 600 + "\n", "not a valid image reference (too long)"),
        ("FROM python:" + "1" * 200 + "\n", "line 1: FROM 'python:" + "1" * 93 + "...': not a valid image reference"),
    ],
)
def test_broken_from_lines_are_warnings(text: str, problem: str) -> None:
    parsed = parse_dockerfile(text, "Dockerfile")
    assert any(problem in w for w in parsed.warnings), parsed.warnings


def test_unresolved_variable_is_kept_as_written() -> None:
    parsed = parse_dockerfile("ARG REG\nARG PY=3.12\nFROM ${REG}/python:${PY}\n", "Dockerfile")
    assert [(i.image, i.tag) for i in parsed.images] == [("${REG}/python", "3.12")]
    assert parsed.warnings == ["line 3: FROM ${REG}/python:${PY}: no value for REG; kept as written"]


def test_images_carry_their_path_and_runtimes_their_evidence() -> None:
    parsed = parse_dockerfile("FROM node:20-alpine AS web\n", "svc/web/Dockerfile")
    assert parsed.images == [DockerImage("node", "20-alpine", None, "web", "svc/web/Dockerfile")]
    assert parsed.runtimes == [Runtime("node", "20", evidence="svc/web/Dockerfile")]
    assert parsed.warnings == []


# --- runtimes from base images --------------------------------------------------------------------


RUNTIME_ROWS: list[tuple[str, list[tuple[str, str | None]]]] = [
    ("python:3.12-slim", [("python", "3.12")]),
    ("python:3.12.1-slim-bookworm", [("python", "3.12.1")]),
    ("docker.io/library/python:3.11", [("python", "3.11")]),
    ("pypy:3.10", [("python", "3.10")]),
    ("cimg/python:3.12.2", [("python", "3.12.2")]),
    ("public.ecr.aws/lambda/python:3.12", [("python", "3.12")]),
    ("gcr.io/distroless/python3-debian12", [("python", "3")]),
    ("ghcr.io/astral-sh/uv:python3.12-bookworm-slim", [("python", "3.12")]),
    ("python", [("python", None)]),  # which runtime is told even when the version is not
    ("python:latest", [("python", None)]),
    ("node:20-alpine", [("node", "20")]),
    ("node:lts-alpine", [("node", None)]),
    ("node:18.19.0", [("node", "18.19.0")]),
    ("gcr.io/distroless/nodejs20-debian12:nonroot", [("node", "20")]),
    ("eclipse-temurin:21-jre", [("java", "21")]),
    ("eclipse-temurin:17.0.9_9-jdk-jammy", [("java", "17.0.9")]),
    ("openjdk:17-jdk-slim", [("java", "17")]),
    ("amazoncorretto:17", [("java", "17")]),
    ("azul/zulu-openjdk-alpine:11", [("java", "11")]),
    ("ibm-semeru-runtimes:open-17-jre", [("java", "17")]),
    ("gcr.io/distroless/java17-debian12", [("java", "17")]),
    ("adoptopenjdk/openjdk11:jre-11.0.21_9", [("java", "11")]),
    ("maven:3.9.6-eclipse-temurin-21", [("java", "21")]),  # maven's version is not java's
    ("gradle:8.5-jdk17", [("java", "17")]),
    (
        "sbtscala/scala-sbt:eclipse-temurin-jammy-17.0.8.1_1_1.9.7_2.13.12",
        [("java", "17.0.8.1"), ("scala", "2.13.12")],
    ),
    ("golang:1.22-alpine", [("go", "1.22")]),
    ("golang:1.21.5", [("go", "1.21.5")]),
    ("ruby:3.3-slim", [("ruby", "3.3")]),
    ("mcr.microsoft.com/dotnet/aspnet:8.0", [("dotnet", "8.0")]),
    ("mcr.microsoft.com/dotnet/sdk:8.0.100-alpine3.18", [("dotnet", "8.0.100")]),
    ("php:8.3-fpm-alpine", [("php", "8.3")]),
    ("rust:1.75-slim", [("rust", "1.75")]),
    ("hashicorp/terraform:1.6.6", [("terraform", "1.6.6")]),
    ("alpine:3.19", []),
    ("nginx:1.25", []),
    ("gcr.io/distroless/static-debian12:nonroot", []),
    ("scratch", []),
    ("my-python:3.12", []),  # a look-alike is not the official image
]


@pytest.mark.parametrize(("reference", "runtimes"), RUNTIME_ROWS)
def test_runtimes_from_base_images(reference: str, runtimes: list[tuple[str, str | None]]) -> None:
    parsed = parse_dockerfile(f"FROM {reference}\n", "Dockerfile")
    assert [(r.name, r.version) for r in parsed.runtimes] == runtimes
    assert parsed.warnings == []


def test_every_runtime_row_names_a_known_runtime_and_is_exercised_above() -> None:
    known = {"python", "node", "java", "kotlin", "scala", "go", "ruby", "dotnet", "php", "rust", "terraform"}
    references = [split_reference(r) for r, _ in RUNTIME_ROWS]
    for image_rx, runtime, where, version_rx in BASE_IMAGE_RUNTIMES:
        assert runtime in known
        assert where in ("tag", "name")
        assert "(?P<v>" in version_rx, version_rx
        assert any(re.fullmatch(image_rx, normalise_image(name)) for name, _, _ in references), image_rx


# --- references -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("python", "python"),
        ("library/python", "python"),
        ("docker.io/library/python", "python"),
        ("Docker.io/library/python", "python"),
        ("registry-1.docker.io/library/node", "node"),
        ("docker.io/bitnami/redis", "bitnami/redis"),
        ("library/a/b", "library/a/b"),
        ("quay.io/library/python", "quay.io/library/python"),
        ("docker.io.example.com/x", "docker.io.example.com/x"),
    ],
)
def test_docker_hub_prefixes_are_dropped(name: str, normal: str) -> None:
    assert normalise_image(name) == normal


# --- in a repository ------------------------------------------------------------------------------


def test_every_dockerfile_outside_vendored_code(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12-slim\n",
            "svc/api.Dockerfile": "FROM golang:1.22 AS build\nFROM gcr.io/distroless/static-debian12\n",
            "docker/Dockerfile.prod": "FROM node:20-alpine\n",
            "web/build.dockerfile": "FROM nginx:1.25\n",
            "Containerfile": "FROM registry.access.redhat.com/ubi9/ubi-minimal:9.3\n",
            "Dockerfile.dockerignore": "node_modules\n",  # BuildKit's ignore file, not a Dockerfile
            "docs/Dockerfile.md": "# How we build\n",
            "node_modules/pkg/Dockerfile": "FROM ignored:1\n",
            "vendor/lib/Dockerfile": "FROM ignored:2\n",
            "src/main.py": "print('hi')\n",
        },
    )
    assert {(i.path, i.image, i.tag, i.stage) for i in facts.docker_images} == {
        ("Dockerfile", "python", "3.12-slim", None),
        ("svc/api.Dockerfile", "golang", "1.22", "build"),
        ("svc/api.Dockerfile", "gcr.io/distroless/static-debian12", None, None),
        ("docker/Dockerfile.prod", "node", "20-alpine", None),
        ("web/build.dockerfile", "nginx", "1.25", None),
        ("Containerfile", "registry.access.redhat.com/ubi9/ubi-minimal", "9.3", None),
    }
    assert {(r.name, r.version, r.evidence) for r in facts.runtimes} == {
        ("python", "3.12", "Dockerfile"),
        ("go", "1.22", "svc/api.Dockerfile"),
        ("node", "20", "docker/Dockerfile.prod"),
    }
    assert facts.warnings == []


def test_binary_and_utf16_dockerfiles(tmp_path: Path) -> None:
    facts = detect_in(
        tmp_path,
        {
            "Dockerfile": b"\x00\x01FROM\x00python",
            "win/Dockerfile": "FROM mcr.microsoft.com/dotnet/runtime:8.0\n".encode("utf-16"),
            "notes/Dockerfile.txt": "this is prose, not a Dockerfile\n",
        },
    )
    assert [(i.path, i.image) for i in facts.docker_images] == [("win/Dockerfile", "mcr.microsoft.com/dotnet/runtime")]
    assert {(w.path, w.message) for w in facts.warnings} == {
        ("Dockerfile", "not readable as text (binary content)"),
        ("notes/Dockerfile.txt", "no FROM instruction: not a Dockerfile?"),
    }


# --- never an exception ---------------------------------------------------------------------------

_VALID = (
    "# syntax=docker/dockerfile:1\nARG PY=3.12\nARG REG\nFROM --platform=$BUILDPLATFORM python:${PY:-3}-slim AS b\n"
    "RUN <<EOF\necho\nEOF\nFROM $REG/app:1 \\\n  AS c\nFROM b\nFROM localhost:5000/x@" + DIGEST + "\n"
).encode()


mutated = partial(mutated_by, specials=b"$:{}@\\`#\n -=/ aAF0", any_byte=False)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), mutated(_VALID), st.text(max_size=200).map(str.encode)))
def test_any_text_as_a_dockerfile_never_raises(data: bytes) -> None:
    text = decode_text(data)
    if text is None:
        return
    parsed = parse_dockerfile(text, "Dockerfile")
    assert all(isinstance(w, str) and w for w in parsed.warnings)
    assert all(i.image and i.path == "Dockerfile" for i in parsed.images)


_ENV = st.dictionaries(st.sampled_from(["A", "B", "PY", "_x"]), st.none() | st.text(max_size=5), max_size=4)


@settings(max_examples=300)
@given(st.text(alphabet="$AB{}:-+_x.9\\ ", max_size=30), _ENV)
def test_expand_never_raises_and_leaves_dollar_free_text_alone(word: str, env: dict[str, str | None]) -> None:
    result, missing = expand(word, env)
    assert isinstance(result, str) and all(isinstance(m, str) for m in missing)
    if "$" not in word:
        assert result == word and missing == []


_COMPONENT = st.from_regex(r"[a-z0-9]{1,6}([._-][a-z0-9]{1,4})?", fullmatch=True)
_HOST = st.from_regex(r"[a-z][a-z0-9-]{0,6}[a-z0-9](\.[a-z]{2,4}){1,2}", fullmatch=True) | st.just("localhost")


@settings(max_examples=300)
@given(
    st.none() | _HOST,
    st.none() | st.integers(1, 65535),
    st.lists(_COMPONENT, min_size=1, max_size=3),
    st.none() | st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}", fullmatch=True),
    st.none() | st.from_regex(r"sha256:[0-9a-f]{64}", fullmatch=True),
)
def test_a_reference_splits_into_the_parts_it_was_built_from(
    host: str | None, port: int | None, path: list[str], tag: str | None, digest: str | None
) -> None:
    registry = None if host is None else (host if port is None else f"{host}:{port}")
    name = "/".join(([registry] if registry else []) + path)
    reference = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
    assert is_valid_reference(reference)
    assert split_reference(reference) == (name, tag, digest)
    parsed = parse_dockerfile(f"FROM {reference} AS s\n", "Dockerfile")
    assert [(i.tag, i.digest, i.stage) for i in parsed.images] == [(tag, digest, "s")]
    assert parsed.warnings == []
