"""Docker Compose: the images the services of a compose file run.

- `docker-compose.yml`, `docker-compose.*.yml`, `compose.yaml`, `compose.*.yaml` (each also with
  the other extension) anywhere outside vendored code: every `services.<name>.image` is a
  DockerImage with the service's name as its `stage`. A service with `build:` and `image:` counts
  too (the image is what the build is tagged as); one with only `build:` names no image and is
  skipped. The pre-2017 format, with services at the top level, is read as well.
- References are split as Docker does: `registry:5000/org/img:1.2@sha256:...` is image
  `registry:5000/org/img`, tag `1.2`, digest `sha256:...` (a colon in the registry's port is not a
  tag). Image names are normalised as the Dockerfile detector does (`docker.io/library/postgres`
  is `postgres`), so an image compares equal whichever file names it.
- Compose's variable interpolation is applied as if no variable were set: `${TAG:-16}` and
  `${TAG-16}` give their default, `${X:+alt}` gives nothing, `$$` is a dollar; `${TAG}`, `$TAG` and
  `${TAG:?error}` stay as written, since only the environment (or an `.env` file, not read)
  knows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from collectors.detectors.docker import normalise_image
from collectors.detectors.parsing import ParseError, kind_of, load_yaml, manifest_texts
from collectors.facts import DockerImage, Facts
from collectors.repo_view import RepoView

WANTS: tuple[str, ...] = (
    "docker-compose.yml",
    "docker-compose.yaml",
    "docker-compose.*.yml",
    "docker-compose.*.yaml",
    "compose.yaml",
    "compose.yml",
    "compose.*.yaml",
    "compose.*.yml",
)
#: Interpolations nested deeper than this are left as written.
MAX_NESTING = 16

_VARIABLE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", re.DOTALL)
_DIGEST_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")


@dataclass
class Parsed:
    images: list[DockerImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _closing_brace(text: str, start: int) -> int:
    """The index of the `}` closing a `${` whose body starts at `start`, or -1."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def interpolate(text: str, depth: int = 0) -> str:
    """Compose's `${VAR:-default}` interpolation with no variable set (see the module notes)."""
    if depth > MAX_NESTING:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "$" or i + 1 >= len(text) or text[i + 1] not in "${":
            out.append(c)
            i += 1
            continue
        if text[i + 1] == "$":
            out.append("$")
            i += 2
            continue
        end = _closing_brace(text, i + 2)
        if end < 0:
            out.append(text[i:])
            break
        match = _VARIABLE_RE.fullmatch(text, i + 2, end)
        if match is not None and match.group(2) in (":-", "-"):
            out.append(interpolate(match.group(3), depth + 1))
        elif match is None or match.group(2) not in (":+", "+"):
            out.append(text[i : end + 1])  # unknown: the environment decides
        i = end + 1
    return "".join(out)


def split_image(reference: str) -> tuple[str, str | None, str | None]:
    """(image, tag, digest) of a reference: the tag is after a colon in the last path component.

    Raises ValueError when it cannot be an image reference."""
    reference = reference.strip()
    name, _, digest = reference.partition("@")
    if not name or any(ch.isspace() for ch in reference):
        raise ValueError(f"{reference!r} is not an image reference")
    if digest and not _DIGEST_RE.match(digest) and "$" not in digest:
        raise ValueError(f"{reference!r}: {digest!r} is not a digest")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = None
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
        if not name or not tag:
            raise ValueError(f"{reference!r} is not an image reference")
    return name, tag, digest or None


_kind = kind_of


def parse_compose(text: str, path: str) -> Parsed:
    """The service images of one compose file. Raises ParseError when it is not a YAML mapping."""
    data = load_yaml(text)
    if data is None:
        return Parsed()
    if not isinstance(data, dict):
        raise ParseError(f"expected a mapping at the top, found {_kind(data)}")
    out = Parsed()
    services = data.get("services")
    if services is None:
        if "version" in data:
            return out
        # the pre-2017 format: services at the top level
        services = {k: v for k, v in data.items() if isinstance(v, dict) and ("image" in v or "build" in v)}
    if not isinstance(services, dict):
        out.warnings.append(f"services: expected a mapping, found {_kind(services)}")
        return out
    for name, service in services.items():
        if service is None:
            continue
        if not isinstance(service, dict):
            out.warnings.append(f"services.{name}: expected a mapping, found {_kind(service)}")
            continue
        image = service.get("image")
        if image is None:
            continue  # built from a Dockerfile, named by compose
        if not isinstance(image, str):
            out.warnings.append(f"services.{name}.image: expected a string, found {_kind(image)}")
            continue
        try:
            repo_name, tag, digest = split_image(interpolate(image))
        except ValueError as err:
            out.warnings.append(f"services.{name}.image: {err}")
            continue
        out.images.append(DockerImage(normalise_image(repo_name), tag, digest, str(name), path))
    return out


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    for path, text in manifest_texts(repo, WANTS, facts):
        try:
            parsed = parse_compose(text, path)
        except ParseError as err:
            facts.warn(path, str(err))
            continue
        facts.docker_images += parsed.images
        for message in parsed.warnings:
            facts.warn(path, message)
    return facts
