"""CI: which providers build the repository, which GitHub Actions it uses, which runtimes CI sets up.

- Providers are told by their files, after the table in `ci_providers.json` (GitHub Actions,
  GitLab CI, Jenkins, CircleCI, Travis, Azure Pipelines, Bitbucket, Buildkite, Drone, TeamCity,
  Woodpecker, Tekton and a few more): one `CiFile` per file.
- GitHub Actions workflows (`.github/workflows/*.yml|yaml`) are read: every `uses:` of a step
  (`jobs.*.steps[*].uses`) and of a reusable workflow (`jobs.*.uses`) is an `ActionUse`
  (`actions/checkout@v4` -> ("actions/checkout", "v4"); `./.github/actions/x` -> no ref;
  `docker://alpine:3.19` -> ("docker://alpine", "3.19")). The versions given to setup actions
  (`actions/setup-python` `python-version`, `setup-node`, `setup-java`, `setup-go`, `setup-dotnet`,
  `ruby/setup-ruby`, ...: the `setup_actions` table) are runtimes; `${{ matrix.x }}` stands for
  every value of the job's matrix (with `include`), `${{ env.X }}` for the workflow's, job's or
  step's `env`. A version YAML reads as a number is recorded as GitHub sees it (`3.10` is "3.1").
- Composite actions (`action.yml` with `runs.using: composite`) are read the same way; a
  JavaScript action's `runs.using: node20` is the node 20 runtime.
- GitLab CI files: the `image:` of the file, of `default:` and of every job is a `DockerImage` with
  stage "gitlab-ci" (the file's `variables:` substituted), and gives runtimes like a Dockerfile's
  `FROM`. `!reference` tags are read as plain lists.

Not covered: `*-version-file` inputs (the files themselves are other detectors' business),
expressions other than `matrix.*` and `env.*` (`inputs.*`, `fromJSON(...)`: nothing recorded),
the `container:` and `services:` images of GitHub jobs and GitLab services, and the content of
the other providers' files (only their presence).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from collectors.detectors.docker import (
    expand,
    image_runtimes,
    normalise_image,
    plausible_reference,
    split_reference,
)
from collectors.detectors.parsing import ParseError, kind_of, load_yaml, read_text
from collectors.detectors.vendored import manifest_excluded
from collectors.facts import ActionUse, CiFile, DockerImage, Facts, Runtime
from collectors.repo_view import RepoView

TABLE_PATH = Path(__file__).with_name("ci_providers.json")
_TABLE: dict[str, Any] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))

#: provider -> path globs from the root (`*` inside one folder, `**/` any number of folders).
PROVIDERS: dict[str, tuple[str, ...]] = {p["provider"]: tuple(p["paths"]) for p in _TABLE["providers"]}
#: setup action (lower case) -> (runtime, the input that names its version).
SETUP_ACTIONS: dict[str, tuple[str, str]] = {
    a["action"].lower(): (a["runtime"], a["input"]) for a in _TABLE["setup_actions"]
}
#: `runs.using` of a JavaScript action -> the Node major version it runs on.
NODE_ACTION_RUNTIMES: dict[str, str] = dict(_TABLE["node_action_runtimes"])

ACTION_FILES: tuple[str, ...] = ("action.yml", "action.yaml")
#: Providers whose files are read, not only seen.
READ_PROVIDERS: tuple[str, ...] = ("github-actions", "gitlab-ci")


def repo_glob(path_glob: str) -> str:
    """The `RepoView.matching` glob covering a table glob (its `*` crosses folders, so `**/` goes)."""
    return path_glob.replace("**/", "")


WANTS: tuple[str, ...] = (
    *dict.fromkeys(repo_glob(g) for provider in READ_PROVIDERS for g in PROVIDERS[provider]),
    *ACTION_FILES,
)

#: GitLab's top-level keywords: every other top-level mapping is a job (or a hidden template).
GITLAB_KEYWORDS = frozenset(
    {"default", "include", "stages", "variables", "workflow", "image", "services", "cache", "types"}
    | {"before_script", "after_script"}
)
_GITLAB_REFERENCE_TAG = re.compile(r"!reference(?=\s*\[)")
_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")
_MATRIX_REF = re.compile(r"matrix((?:\.[A-Za-z_][\w-]*)+)")
_ENV_REF = re.compile(r"env\.([A-Za-z_][\w-]*)")
MAX_VERSIONS = 64  # matrix products past this are not expanded


@dataclass
class Parsed:
    """What one CI file says: actions used, runtimes set up, images run in, problems."""

    actions: list[ActionUse] = field(default_factory=list)
    runtimes: list[Runtime] = field(default_factory=list)
    images: list[DockerImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- providers ----------------------------------------------------------------------------------


def _translate(path_glob: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(path_glob):
        if path_glob.startswith("**/", i):
            out.append("(?:[^/]+/)*")
            i += 3
        elif path_glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif path_glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(path_glob[i]))
            i += 1
    return "".join(out)


class _ProviderMatcher:
    """The table compiled so that a large repository is checked quickly: root files against the
    root globs, paths inside a folder only against the globs starting with that folder, and every
    file's name against the `**/name` globs. Each part is one regex whose matching group names the
    provider."""

    def __init__(self, providers: dict[str, tuple[str, ...]]) -> None:
        self.names = tuple(providers)
        root: list[tuple[int, str]] = []
        by_folder: dict[str, list[tuple[int, str]]] = {}
        anywhere: list[tuple[int, str]] = []
        for index, name in enumerate(self.names):
            for glob in providers[name]:
                if glob.startswith("**/") and "/" not in glob[3:]:
                    anywhere.append((index, glob[3:]))
                elif "/" not in glob:
                    root.append((index, glob))
                else:
                    first = glob.split("/", 1)[0]
                    if any(c in first for c in "*?["):
                        raise ValueError(f"{glob}: a folder glob must start with a literal folder")
                    by_folder.setdefault(first, []).append((index, glob))
        self.root = self._compile(root)
        self.by_folder = {first: self._compile(globs) for first, globs in by_folder.items()}
        self.anywhere = self._compile(anywhere)

    @staticmethod
    def _compile(globs: list[tuple[int, str]]) -> re.Pattern[str] | None:
        grouped: dict[int, list[str]] = {}
        for index, glob in globs:
            grouped.setdefault(index, []).append(_translate(glob))
        if not grouped:
            return None
        return re.compile("|".join(f"(?P<p{i}>{'|'.join(rxs)})" for i, rxs in grouped.items()))

    def _provider(self, rx: re.Pattern[str] | None, subject: str) -> str | None:
        match = rx.fullmatch(subject) if rx is not None else None
        if match is None or match.lastgroup is None:
            return None
        return self.names[int(match.lastgroup[1:])]

    def provider_of(self, path: str) -> str | None:
        first, slash, _ = path.partition("/")
        found = self._provider(self.by_folder.get(first), path) if slash else self._provider(self.root, path)
        return found or self._provider(self.anywhere, path.rsplit("/", 1)[-1])


@cache
def _provider_matcher() -> _ProviderMatcher:
    return _ProviderMatcher(PROVIDERS)


def provider_of(path: str) -> str | None:
    """The CI provider whose file `path` is, if any."""
    return _provider_matcher().provider_of(path)


# --- GitHub Actions -----------------------------------------------------------------------------


def parse_uses(value: str) -> tuple[str, str | None]:
    """(action, ref) of a `uses:` value, as GitHub reads it."""
    value = value.strip()
    if value.startswith(("./", "../")):
        return value, None
    if value[:9].lower() == "docker://":
        name, tag, digest = split_reference(value[9:])
        return value[:9] + name, "@".join(x for x in (tag, digest) if x) or None
    action, at, ref = value.rpartition("@")
    if not at:
        return value, None
    return action, ref or None


_kind = kind_of


def _scalar(value: Any) -> str | None:
    """A YAML scalar as GitHub renders it into a string; None for what is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def _matrix_values(matrix: Any, keys: list[str]) -> list[str]:
    """Every value `matrix.a.b` takes: the matrix's list for `a` and its `include` entries."""
    if not isinstance(matrix, dict):
        return []
    first, rest = keys[0], keys[1:]
    base = matrix.get(first)
    candidates = list(base) if isinstance(base, list) else ([] if base is None else [base])
    include = matrix.get("include")
    if isinstance(include, list):
        candidates += [entry[first] for entry in include if isinstance(entry, dict) and first in entry]
    values: list[str] = []
    for candidate in candidates:
        for key in rest:
            candidate = candidate.get(key) if isinstance(candidate, dict) else None
        text = _scalar(candidate)
        if text is not None and "${{" not in text:
            values.append(text)
    return list(dict.fromkeys(values))


def _resolve(expression: str, matrix: Any, env: dict[str, Any]) -> list[str]:
    found = _MATRIX_REF.fullmatch(expression)
    if found is not None:
        return _matrix_values(matrix, found.group(1)[1:].split("."))
    found = _ENV_REF.fullmatch(expression)
    if found is not None:
        text = _scalar(env.get(found.group(1)))
        return [text] if text is not None and "${{" not in text else []
    return []


def versions(raw: Any, matrix: Any = None, env: dict[str, Any] | None = None) -> list[str]:
    """The versions one setup input names: a multi-line value gives several, `${{ matrix.x }}`
    every matrix value; an expression that cannot be worked out gives none."""
    if isinstance(raw, list):
        return list(dict.fromkeys(v for item in raw for v in versions(item, matrix, env)))
    text = _scalar(raw)
    if text is None:
        return []
    found: list[str] = []
    for line in text.splitlines():
        parts = _EXPRESSION.split(line.strip())
        choices = [[part] if i % 2 == 0 else _resolve(part.strip(), matrix, env or {}) for i, part in enumerate(parts)]
        if any(not c for c in choices):
            continue
        for combination in itertools.islice(itertools.product(*choices), MAX_VERSIONS):
            version = "".join(combination).strip()
            if version:
                found.append(version)
    return list(dict.fromkeys(found))


def _steps(steps: Any, where: str, matrix: Any, env: dict[str, Any], path: str, out: Parsed) -> None:
    if steps is None:
        return
    if not isinstance(steps, list):
        out.warnings.append(f"{where}: expected a list of steps, found {_kind(steps)}")
        return
    for index, step in enumerate(steps):
        place = f"{where}[{index}]"
        if not isinstance(step, dict):
            out.warnings.append(f"{place}: expected a mapping, found {_kind(step)}")
            continue
        if "uses" not in step:
            continue
        use = _use(step["uses"], f"{place}.uses", path, out)
        if use is None:
            continue
        setup = SETUP_ACTIONS.get(use.action.lower())
        inputs = step.get("with")
        if setup is None or not isinstance(inputs, dict):
            continue
        runtime, name = setup
        step_env = {**env, **_mapping(step.get("env"))}
        out.runtimes += [Runtime(runtime, v, evidence=path) for v in versions(inputs.get(name), matrix, step_env)]


def _use(value: Any, where: str, path: str, out: Parsed) -> ActionUse | None:
    if not isinstance(value, str) or not value.strip():
        out.warnings.append(f"{where}: expected an action, found {_kind(value)}")
        return None
    action, ref = parse_uses(value)
    if ref is None and not action.startswith(("./", "../")):
        out.warnings.append(f"{where}: {value.strip()!r} names no version (@ref)")
    use = ActionUse(action, ref, path)
    out.actions.append(use)
    return use


def _load(text: str, out: Parsed) -> Any:
    try:
        return load_yaml(text)
    except ParseError as err:
        out.warnings.append(str(err))
        return None


def parse_workflow(text: str, path: str) -> Parsed:
    """One GitHub Actions workflow: the actions and reusable workflows it uses, the runtimes its
    setup steps ask for. (PyYAML reads the `on:` key as True; it is not needed here.)"""
    out = Parsed()
    data = _load(text, out)
    if out.warnings:
        return out
    if not isinstance(data, dict):
        out.warnings.append("empty workflow" if data is None else f"expected a mapping at the top, found {_kind(data)}")
        return out
    jobs = data.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        out.warnings.append("no jobs" if not jobs else f"jobs: expected a mapping of jobs, found {_kind(jobs)}")
        return out
    top_env = _mapping(data.get("env"))
    for job_id, job in jobs.items():
        where = f"jobs.{job_id}"
        if not isinstance(job, dict):
            out.warnings.append(f"{where}: expected a mapping, found {_kind(job)}")
            continue
        if "uses" in job:
            _use(job["uses"], f"{where}.uses", path, out)
        strategy = job.get("strategy")
        matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
        _steps(job.get("steps"), f"{where}.steps", matrix, {**top_env, **_mapping(job.get("env"))}, path, out)
    return out


def parse_action(text: str, path: str) -> Parsed:
    """One `action.yml`: a composite action's steps as a workflow's, a JavaScript action's Node.
    A file without `runs:` is someone else's `action.yml` and says nothing."""
    out = Parsed()
    data = _load(text, out)
    runs = data.get("runs") if isinstance(data, dict) else None
    if not isinstance(runs, dict):
        return out
    using = runs.get("using")
    if isinstance(using, str) and using.lower() in NODE_ACTION_RUNTIMES:
        out.runtimes.append(Runtime("node", NODE_ACTION_RUNTIMES[using.lower()], evidence=path))
    elif using == "composite":
        _steps(runs.get("steps"), "runs.steps", None, {}, path, out)
    return out


# --- GitLab CI ----------------------------------------------------------------------------------


def _gitlab_variables(value: Any) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name, entry in _mapping(value).items():
        entry = entry.get("value") if isinstance(entry, dict) else entry
        found[name] = entry if isinstance(entry, str) else (None if isinstance(entry, bool) else _scalar(entry))
    return found


def parse_gitlab_ci(text: str, path: str) -> Parsed:
    """One GitLab CI file: the images its jobs run in (stage "gitlab-ci") and their runtimes."""
    out = Parsed()
    data = _load(_GITLAB_REFERENCE_TAG.sub("", text), out)
    if out.warnings:
        return out
    if not isinstance(data, dict):
        if data is not None:
            out.warnings.append(f"expected a mapping at the top, found {_kind(data)}")
        return out
    variables = _gitlab_variables(data.get("variables"))
    wanted: list[tuple[str, Any, dict[str, str | None]]] = []
    if "image" in data:
        wanted.append(("image", data["image"], variables))
    default = data.get("default")
    if isinstance(default, dict) and "image" in default:
        wanted.append(("default.image", default["image"], variables))
    for key, job in data.items():
        if str(key) in GITLAB_KEYWORDS or not isinstance(job, dict) or "image" not in job:
            continue
        wanted.append((f"{key}.image", job["image"], {**variables, **_gitlab_variables(job.get("variables"))}))
    for where, value, env in wanted:
        name = value.get("name") if isinstance(value, dict) else value
        if not isinstance(name, str) or not name.strip():
            found = "a mapping without `name`" if isinstance(value, dict) and name is None else _kind(name)
            out.warnings.append(f"{where}: expected an image name, found {found}")
            continue
        reference, missing = expand(name.strip(), env)
        if not plausible_reference(name.strip(), env, missing):
            out.warnings.append(f"{where}: {reference[:100]!r} is not a valid image reference")
            continue
        image, tag, digest = split_reference(reference)
        image = normalise_image(image)
        out.images.append(DockerImage(image, tag, digest, "gitlab-ci", path))
        out.runtimes += [Runtime(r, v, evidence=path) for r, v in image_runtimes(image, tag)]
    return out


# --- the detector -------------------------------------------------------------------------------

PARSERS = {"github-actions": parse_workflow, "gitlab-ci": parse_gitlab_ci}


def _merge(facts: Facts, path: str, parsed: Parsed) -> None:
    facts.actions += parsed.actions
    facts.runtimes += parsed.runtimes
    facts.docker_images += parsed.images
    for message in parsed.warnings:
        facts.warn(path, message)


def detect(repo: RepoView) -> Facts:
    facts = Facts()
    for path in sorted(repo.files()):
        provider = provider_of(path)
        if provider is None or manifest_excluded(path):
            continue
        facts.ci_files.append(CiFile(provider, path))
        parser = PARSERS.get(provider)
        if parser is None:
            continue
        text = read_text(repo, path, facts)
        if text is not None:
            _merge(facts, path, parser(text, path))
    for path in repo.matching(ACTION_FILES):
        if manifest_excluded(path):
            continue
        text = read_text(repo, path, facts)
        if text is not None:
            _merge(facts, path, parse_action(text, path))
    return facts
