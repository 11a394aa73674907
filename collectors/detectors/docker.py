"""Docker: the base images every Dockerfile builds on, and the runtimes those images bring.

- Every Dockerfile outside installed or vendored code: `Dockerfile`, `Dockerfile.*`,
  `*.Dockerfile`, `*.dockerfile`, `Containerfile` (and their `.dockerignore` companions left out).
- Read as BuildKit reads it: parser directives at the top (`# escape=` changes the line
  continuation character), comments, line continuations, case-insensitive instructions, heredoc
  bodies skipped (a `FROM` inside `RUN <<EOF` is not an instruction).
- Each `FROM [--platform=...] image[:tag][@digest] [AS stage]` is a `DockerImage`. `ARG` defaults
  declared before the first `FROM` are substituted (`$PY`, `${PY}`, `${PY:-3.11}`, `${PY:+x}`); a
  variable without a value is kept as written and warned about. `FROM <earlier stage>` names a
  stage, not an image, and is skipped; `scratch` is recorded as the image "scratch".
- Image names are kept as written except that Docker Hub's implicit prefixes go
  (`docker.io/library/python` -> `python`), so the same image compares equal however it is spelt.
  A registry port (`localhost:5000/img:1`) is never taken for a tag.
- Well-known base images give a `Runtime` (`python:3.12-slim` -> python 3.12), from the table
  `BASE_IMAGE_RUNTIMES`; the version is the tag's leading version, or None for `latest`, `lts` or
  no tag (the image still tells which runtime is used).

Not covered: build arguments given on the command line or in compose files, `COPY --from=image`
(not a base image), and the `# syntax=` frontend image.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from collectors.detectors.parsing import read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import DockerImage, Facts, Runtime
from collectors.repo_view import RepoView

WANTS: tuple[str, ...] = (
    "Dockerfile",
    "dockerfile",
    "Dockerfile.*",
    "dockerfile.*",
    "*.Dockerfile",
    "*.dockerfile",
    "Containerfile",
    "Containerfile.*",
    "*.Containerfile",
)

#: Files the globs above catch that are not Dockerfiles: BuildKit's per-Dockerfile ignore files,
#: documentation and editor leftovers beside a Dockerfile.
NOT_DOCKERFILE = re.compile(r".*\.(dockerignore|md|rst|adoc|html|orig|bak|rej|swp)", re.IGNORECASE)

#: Docker Hub's implicit parts of an image name: `docker.io/library/python` is `python`.
HUB_PREFIXES: tuple[str, ...] = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")
HUB_OFFICIAL = "library/"

_LEADING = r"^v?(?P<v>\d+(?:\.\d+)*)"  # 3.12 in "3.12-slim", 21 in "21-jre", 8.0 in "8.0-alpine"
_JDK_IN_TAG = (
    r"(?:jdk|temurin|openjdk|corretto|zulu|liberica|sapmachine|graalvm|semeru|java)-?(?:[a-z]+-)*(?P<v>\d+(?:\.\d+)*)"
)

#: Base images that bring a runtime: (image name, full match after normalising; the runtime;
#: where its version is: "tag" or "name"; a regex with group `v`, searched there). Every row that
#: matches an image applies: `maven:3.9-eclipse-temurin-21` is java 21, and only java.
BASE_IMAGE_RUNTIMES: tuple[tuple[str, str, str, str], ...] = (
    # Python
    (
        r"python|pypy|(cimg|circleci|bitnami)/python|public\.ecr\.aws/lambda/python|amazon/aws-lambda-python",
        "python",
        "tag",
        _LEADING,
    ),
    (r"gcr\.io/distroless/python\d+(-[a-z0-9]+)*", "python", "name", r"python(?P<v>\d+)"),
    (r"ghcr\.io/astral-sh/uv", "python", "tag", r"python(?P<v>\d+(?:\.\d+)*)"),
    # Node
    (
        r"node|(cimg|circleci|bitnami)/node|public\.ecr\.aws/lambda/nodejs|amazon/aws-lambda-nodejs",
        "node",
        "tag",
        _LEADING,
    ),
    (r"gcr\.io/distroless/nodejs\d+(-[a-z0-9]+)*", "node", "name", r"nodejs(?P<v>\d+)"),
    # Java
    (
        r"eclipse-temurin|openjdk|amazoncorretto|sapmachine|ibmjava|ibm-semeru-runtimes|adoptopenjdk"
        r"|azul/zulu-openjdk(-alpine|-debian|-centos)?|bellsoft/liberica-openj(dk|re)(-alpine|-debian|-centos)?"
        r"|(cimg|circleci)/openjdk|public\.ecr\.aws/lambda/java|amazon/aws-lambda-java"
        r"|ghcr\.io/graalvm/(jdk|graalvm-community|native-image|native-image-community|graalvm-ce)",
        "java",
        "tag",
        r"^(?:open-|jdk-|java)?v?(?P<v>\d+(?:\.\d+)*)",
    ),
    (r"adoptopenjdk/openjdk\d+(-openj9)?", "java", "name", r"openjdk(?P<v>\d+)"),
    (r"gcr\.io/distroless/java\d+(-[a-z0-9]+)*", "java", "name", r"java(?P<v>\d+)"),
    (r"maven|gradle|sbtscala/scala-sbt|hseeberger/scala-sbt", "java", "tag", _JDK_IN_TAG),
    # Scala: the last of sbtscala's "<jdk>_<sbt>_<scala>" tag
    (r"sbtscala/scala-sbt", "scala", "tag", r"_(?P<v>\d+\.\d+\.\d+)$"),
    # Go
    (r"golang|(cimg|circleci)/go(lang)?|bitnami/golang", "go", "tag", _LEADING),
    # Ruby
    (r"ruby|(cimg|circleci|bitnami)/ruby|public\.ecr\.aws/lambda/ruby|amazon/aws-lambda-ruby", "ruby", "tag", _LEADING),
    # .NET
    (
        r"mcr\.microsoft\.com/dotnet/(core/)?(sdk|aspnet|runtime|runtime-deps)|microsoft/dotnet"
        r"|microsoft/aspnetcore(-build)?|public\.ecr\.aws/lambda/dotnet|amazon/aws-lambda-dotnet",
        "dotnet",
        "tag",
        _LEADING,
    ),
    # PHP
    (r"php|(cimg|circleci)/php|bitnami/php-fpm", "php", "tag", _LEADING),
    # Rust
    (r"rust|(cimg|circleci)/rust", "rust", "tag", _LEADING),
    # Terraform
    (r"hashicorp/terraform", "terraform", "tag", _LEADING),
)

# The distribution reference grammar (github.com/distribution/reference), used to tell a real image
# reference from template syntax (`FROM {{ base }}`) or a typo.
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
    r"(?::[\w][\w.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?"
)
MAX_REFERENCE = 512
MAX_WORD = 4096  # longer words are not expanded: no image reference is that long
MAX_NESTING = 16  # ${A:-${B:-...}} deeper than this is left as written

PARSER_DIRECTIVES = frozenset({"syntax", "escape", "check"})
_DIRECTIVE = re.compile(r"\s*#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*")
_BLANKS = re.compile(r"[ \t]+")
_HEREDOC = re.compile(r"<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\2")
_HEREDOC_INSTRUCTIONS = frozenset({"run", "copy", "add"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ARG_WORD = re.compile(r"(?:[^\s\"']|\"(?:\\.|[^\"\\])*\"?|'[^']*'?)+")


@dataclass
class Parsed:
    """What one Dockerfile says: its base images, the runtimes they bring, its problems."""

    images: list[DockerImage] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- image references ---------------------------------------------------------------------------


def split_reference(reference: str) -> tuple[str, str | None, str | None]:
    """(name, tag, digest) of `name[:tag][@digest]`; a registry's port is part of the name."""
    name, _, digest = reference.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = None
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    return name, tag or None, digest or None


def normalise_image(name: str) -> str:
    """Docker Hub's implicit prefixes removed: `docker.io/library/python` and `python` are one."""
    lowered = name.lower()
    for prefix in HUB_PREFIXES:
        if lowered.startswith(prefix):
            name = name[len(prefix) :]
            break
    if name.startswith(HUB_OFFICIAL) and "/" not in name[len(HUB_OFFICIAL) :]:
        name = name[len(HUB_OFFICIAL) :]
    return name


def is_valid_reference(reference: str) -> bool:
    return len(reference) <= MAX_REFERENCE and _REFERENCE.fullmatch(reference) is not None


@cache
def _runtime_rules() -> tuple[tuple[re.Pattern[str], str, str, re.Pattern[str]], ...]:
    return tuple((re.compile(i), r, where, re.compile(v)) for i, r, where, v in BASE_IMAGE_RUNTIMES)


def image_runtimes(image: str, tag: str | None) -> list[tuple[str, str | None]]:
    """(runtime, version) pairs a base image brings, after `BASE_IMAGE_RUNTIMES`."""
    found: list[tuple[str, str | None]] = []
    for image_rx, runtime, where, version_rx in _runtime_rules():
        if image_rx.fullmatch(image) is None:
            continue
        subject = image if where == "name" else (tag or "")
        match = version_rx.search(subject)
        pair = (runtime, match.group("v") if match else None)
        if pair not in found:
            found.append(pair)
    return found


# --- variables ----------------------------------------------------------------------------------


def expand(word: str, env: Mapping[str, str | None], escape: str = "\\", *, _depth: int = 0) -> tuple[str, list[str]]:
    """`word` with `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}` and
    `${NAME+alt}` substituted from `env` (None: declared without a value), and what could not be:
    the names without a value, and forms BuildKit has that this does not (`${NAME#x}`), which
    stay as written."""
    out: list[str] = []
    missing: list[str] = []
    if len(word) > MAX_WORD or _depth > MAX_NESTING:
        return word, [word]
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if c == escape and i + 1 < n and word[i + 1] == "$":
            out.append("$")
            i += 2
            continue
        if c != "$" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        if word[i + 1] == "{":
            end = _closing_brace(word, i + 2)
            if end < 0:  # unterminated: the rest as written
                missing.append(word[i:])
                out.append(word[i:])
                break
            out.append(_braced(word[i : end + 1], word[i + 2 : end], env, escape, missing, _depth))
            i = end + 1
            continue
        name = _NAME.match(word, i + 1)
        if name is None:
            out.append(c)
            i += 1
            continue
        value = env.get(name.group())
        if value is None:
            missing.append(name.group())
            out.append(word[i : name.end()])
        else:
            out.append(value)
        i = name.end()
    return "".join(out), missing


def _closing_brace(word: str, start: int) -> int:
    depth = 1
    i = start
    while i < len(word):
        if word.startswith("${", i):
            depth += 1
            i += 2
            continue
        if word[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _braced(whole: str, inner: str, env: Mapping[str, str | None], escape: str, missing: list[str], depth: int) -> str:
    name = _NAME.match(inner)
    if name is None:
        missing.append(whole)
        return whole
    key, rest = name.group(), inner[name.end() :]
    value = env.get(key)
    if rest == "":
        if value is None:
            missing.append(key)
            return whole
        return value
    for operator in (":-", ":+", "-", "+"):
        if rest.startswith(operator):
            alternative, inner_missing = expand(rest[len(operator) :], env, escape, _depth=depth + 1)
            set_ = value is not None and (value != "" or not operator.startswith(":"))
            if operator.endswith("-"):
                if set_:
                    return value or ""
                missing += inner_missing
                return alternative
            if set_:
                missing += inner_missing
                return alternative
            return ""
    missing.append(whole)  # ${NAME#pattern}, ${NAME?error}, ...: not worked out here
    return whole


# --- the Dockerfile -----------------------------------------------------------------------------


def _directives(lines: list[str]) -> tuple[dict[str, str], int]:
    """Parser directives (`# escape=\\``) at the very top, and the index of the first other line.
    An unknown directive is a comment, and like any comment ends the directives."""
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _DIRECTIVE.fullmatch(line)
        if match is None or match.group(1).lower() not in PARSER_DIRECTIVES:
            return found, index
        found.setdefault(match.group(1).lower(), match.group(2))
    return found, len(lines)


def instructions(text: str) -> tuple[list[tuple[int, str, str]], str, list[str]]:
    """(line number, instruction in lower case, arguments) for each instruction, the escape
    character, and problems.

    Continuations are joined, comments and empty lines dropped (inside a continuation too, as
    BuildKit does), heredoc bodies skipped.
    """
    problems: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")  # Docker's lines: not str.splitlines()' many breaks
    directives, start = _directives(lines)
    escape = directives.get("escape", "\\")
    if escape not in ("\\", "`"):
        problems.append(f"escape={_short(escape)!r}: only \\ and ` can be the escape character")
        escape = "\\"
    continuation = re.compile(re.escape(escape) + r"[ \t]*$")
    out: list[tuple[int, str, str]] = []
    pending: list[str] = []
    first = 0
    i = start
    while i < len(lines):
        line = lines[i]
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue  # empty and comment lines vanish, even in the middle of a continuation
        if not pending:
            first = i
        cut = continuation.search(line)
        if cut is not None:
            pending.append(line[: cut.start()])
            continue
        pending.append(line)
        keyword, arguments = _instruction("".join(pending))
        pending = []
        out.append((first, keyword, arguments))
        if keyword in _HEREDOC_INSTRUCTIONS:
            for _, _, word in _HEREDOC.findall(arguments):
                while i < len(lines):
                    i += 1
                    if lines[i - 1].strip() == word:
                        break
    if pending:
        out.append((first, *_instruction("".join(pending))))
    return out, escape, problems


def _instruction(logical: str) -> tuple[str, str]:
    words = _BLANKS.split(logical.strip(" \t"), maxsplit=1)
    return words[0].lower(), words[1].strip(" \t") if len(words) > 1 else ""


def _arg_declarations(arguments: str, env: dict[str, str | None], escape: str) -> None:
    """`ARG NAME=value OTHER` into `env`; values may use the args declared before them."""
    for word in _ARG_WORD.findall(arguments):
        name, eq, value = word.partition("=")
        if not _NAME.fullmatch(name):
            continue
        if not eq:
            env.setdefault(name, None)
            continue
        if len(value) >= 2 and value[0] == value[-1] == "'":
            env[name] = value[1:-1]
            continue
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        expanded, missing = expand(value, env, escape)
        env[name] = None if missing else expanded


def parse_dockerfile(text: str, path: str) -> Parsed:
    """The base images of one Dockerfile (every stage), their runtimes, and problems by line."""
    out = Parsed()
    steps, escape, problems = instructions(text)
    out.warnings += problems
    global_args: dict[str, str | None] = {}
    stages: set[str] = set()
    seen_from = False
    for number, keyword, arguments in steps:
        if keyword == "arg" and not seen_from:
            _arg_declarations(arguments, global_args, escape)
            continue
        if keyword != "from":
            continue
        seen_from = True
        found = _from(number, arguments, global_args, escape, stages, path, out)
        if found is not None:
            out.images.append(found)
            out.runtimes += [Runtime(r, v, evidence=path) for r, v in image_runtimes(found.image, found.tag)]
    if not seen_from:
        out.warnings.append("no FROM instruction: not a Dockerfile?")
    return out


def _from(
    number: int,
    arguments: str,
    env: Mapping[str, str | None],
    escape: str,
    stages: set[str],
    path: str,
    out: Parsed,
) -> DockerImage | None:
    words = [w for w in _BLANKS.split(arguments) if w]
    flags = [w for w in words if w.startswith("--")]
    words = [w for w in words if not w.startswith("--")]
    bare = [f for f in flags if "=" not in f]
    if bare:  # BuildKit refuses `--platform linux/amd64`: the value would be taken for the image
        out.warnings.append(f"line {number}: FROM {_short(bare[0])} without =value")
        return None
    if not words:
        out.warnings.append(f"line {number}: FROM without an image")
        return None
    written, rest = words[0], words[1:]
    stage = None
    if len(rest) >= 2 and rest[0].lower() == "as":
        stage, rest = rest[1], rest[2:]
    if rest:
        out.warnings.append(f"line {number}: FROM {_short(arguments)!r}: unexpected {_short(' '.join(rest))!r}")
    if len(written) > MAX_REFERENCE:
        out.warnings.append(f"line {number}: FROM {_short(written)!r}: not a valid image reference (too long)")
        return None
    reference, missing = expand(written, env, escape)
    earlier = reference.lower() in stages
    if stage is not None:
        stages.add(stage.lower())
    if earlier:
        return None  # an earlier stage, not an image
    if not plausible_reference(written, env, missing, escape):
        out.warnings.append(f"line {number}: FROM {_short(reference)!r}: not a valid image reference")
        return None
    if missing:
        names = ", ".join(dict.fromkeys(missing))
        out.warnings.append(f"line {number}: FROM {written}: no value for {_short(names)}; kept as written")
    name, tag, digest = split_reference(reference)
    return DockerImage(normalise_image(name), tag, digest, stage, path)


def _short(text: str, limit: int = 100) -> str:
    """A warning quotes at most `limit` characters of hostile input."""
    return text if len(text) <= limit else text[:limit] + "..."


def plausible_reference(written: str, env: Mapping[str, str | None], missing: list[str], escape: str = "\\") -> bool:
    """Whether `written` is an image reference once expanded, with a placeholder for each variable
    `missing` a value, so that one only partly known (`${REGISTRY}/app:1`) can still be told from
    one that is no reference at all (`:${TAG}`, `{{ base }}`)."""
    filled = {**env, **{m: "x" for m in missing if _NAME.fullmatch(m)}}
    reference, still = expand(written, filled, escape)
    for text in still:  # written forms left in place: `${X#y}`, an unterminated `${X`
        reference = reference.replace(text, "x")
    return is_valid_reference(reference)


# --- the detector -------------------------------------------------------------------------------


def dockerfiles(paths: Iterable[str]) -> list[str]:
    """The paths that are Dockerfiles of this repository's own."""
    return [p for p in paths if not manifest_excluded(p) and NOT_DOCKERFILE.fullmatch(p.rsplit("/", 1)[-1]) is None]


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    for path in dockerfiles(repo.matching(WANTS)):
        text = read_text(repo, path, facts)
        if text is None:
            continue
        parsed = parse_dockerfile(text, path)
        facts.docker_images += parsed.images
        facts.runtimes += parsed.runtimes
        for message in parsed.warnings:
            facts.warn(path, message)
    return facts
