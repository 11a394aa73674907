"""The corpus: real open-source projects, fetched from PyPI and npm as test data, each made a git repo.

Only names, versions and the facts we expect are committed (`projects.yaml`); the projects' own
files are downloaded when the tests or benchmarks run, into the git-ignored
`tests/.cache/corpus/`, and kept there by name and version, so a second run downloads nothing:

    downloads/pypi/   sdists, from `pip download --no-deps --no-binary NAME NAME==VERSION`
    downloads/npm/    tarballs, from `npm pack NAME@VERSION`
    repos/<name>/     each archive extracted (no absolute paths, no `..`, no links leaving the
                      folder: tarfile's data filter) and committed as one git commit with a fixed
                      author and date, so the same version always gives the same head

`--no-binary` names the fetched projects only, not `:all:`: with `:all:` pip would also build the
projects' build back-ends from source to read their metadata (maturin needs a Rust toolchain and
crates.io for that), so only projects whose back-end installs as a wheel are in the corpus.

    .venv/bin/python tests/corpus/fetch.py            # fetch what is missing, print the corpus
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from packaging.utils import InvalidSdistFilename, canonicalize_name, parse_sdist_filename

HERE = Path(__file__).resolve().parent
PROJECTS_FILE = HERE / "projects.yaml"
#: Git-ignored; GUILDBOARD_CORPUS_CACHE moves it (to share one cache between checkouts).
CACHE = Path(os.environ.get("GUILDBOARD_CORPUS_CACHE") or HERE.parent / ".cache" / "corpus")
REGISTRIES = ("pypi", "npm")
#: Written into `.git/` once a repository is committed; its content says which release it holds.
MARKER = "guildboard-corpus"

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Corpus",
    "GIT_AUTHOR_EMAIL": "corpus@example.com",
    "GIT_COMMITTER_NAME": "Corpus",
    "GIT_COMMITTER_EMAIL": "corpus@example.com",
    "GIT_AUTHOR_DATE": "2024-07-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-07-01T12:00:00+00:00",
}


class FetchError(Exception):
    """A project could not be downloaded or unpacked; the message says which and why."""


@dataclass(frozen=True)
class Project:
    """One entry of `projects.yaml`: what to fetch, and the facts we expect of it."""

    name: str  # the repository's folder under repos/
    registry: str  # pypi or npm
    package: str
    version: str
    expect: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def spec(self) -> str:
        return f"{self.package}=={self.version}" if self.registry == "pypi" else f"{self.package}@{self.version}"

    @property
    def marker(self) -> str:
        return f"{self.registry}:{self.spec}\n"


def load_projects(path: Path = PROJECTS_FILE) -> list[Project]:
    """The projects of `projects.yaml`, checked for the fields a fetch needs."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    projects: list[Project] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw.get("projects") or []):
        where = f"{path.name}: projects[{i}]"
        for key in ("name", "registry", "package", "version"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise ValueError(f"{where}: `{key}` must be a non-empty string")
        if entry["registry"] not in REGISTRIES:
            raise ValueError(f"{where}: registry {entry['registry']!r} is not one of {', '.join(REGISTRIES)}")
        if entry["name"] in seen or "/" in entry["name"]:
            raise ValueError(f"{where}: name {entry['name']!r} is repeated or has a slash")
        seen.add(entry["name"])
        expect = {k: v for k, v in entry.items() if k not in ("name", "registry", "package", "version")}
        projects.append(Project(entry["name"], entry["registry"], entry["package"], entry["version"], expect))
    return projects


# --- downloads ------------------------------------------------------------------------------------


def _sdist_in(folder: Path, project: Project) -> Path | None:
    """The sdist of this name and version already in `folder` (pip spells file names its own way)."""
    if not folder.is_dir():
        return None
    want = (canonicalize_name(project.package), project.version)
    for path in sorted(folder.iterdir()):
        try:
            name, version = parse_sdist_filename(path.name)
        except InvalidSdistFilename:
            continue
        if (name, str(version)) == want:
            return path
    return None


def _npm_tarball(folder: Path, project: Project) -> Path:
    """Where `npm pack` writes `@scope/name@1.0`: `scope-name-1.0.tgz`."""
    return folder / f"{project.package.lstrip('@').replace('/', '-')}-{project.version}.tgz"


def _archive(cache: Path, project: Project) -> Path | None:
    folder = cache / "downloads" / project.registry
    if project.registry == "pypi":
        return _sdist_in(folder, project)
    tarball = _npm_tarball(folder, project)
    return tarball if tarball.is_file() else None


def _run(cmd: list[str], what: str, timeout: float) -> None:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise FetchError(f"{what}: {cmd[0]} is not installed") from None
    except subprocess.TimeoutExpired:
        raise FetchError(f"{what}: no answer after {timeout:.0f} s (is the registry reachable?)") from None
    if proc.returncode != 0:
        raise FetchError(f"{what} failed (exit {proc.returncode}): {_reason(proc.stderr + proc.stdout)}")


#: The line that says why, in pip's output (`ERROR: ...`) and npm's (`npm error FetchError: ...`).
_REASON_RE = re.compile(r"^(ERROR: .*|npm error (?:FetchError|code E|404 |Invalid|network).*)$", re.MULTILINE)


def _reason(output: str) -> str:
    found = _REASON_RE.findall(output)
    if found:
        return " / ".join(dict.fromkeys(line.strip() for line in found))[:400]
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    return lines[-1][:400] if lines else "no output"


def _pip_download(projects: list[Project], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           "--retries", "1", "--timeout", "20", "--no-binary", ",".join(p.package for p in projects),
           "-d", str(dest), *(p.spec for p in projects)]  # fmt: skip
    _run(cmd, "pip download " + " ".join(p.spec for p in projects), timeout=900)


def _npm_pack(projects: list[Project], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    cmd = ["npm", "pack", "--loglevel", "error", "--fetch-retries", "1", "--fetch-timeout", "30000",
           "--pack-destination", str(dest), *(p.spec for p in projects)]  # fmt: skip
    _run(cmd, "npm pack " + " ".join(p.spec for p in projects), timeout=600)


def download(cache: Path, projects: Iterable[Project], log: Callable[[str], None]) -> None:
    """Download every archive not in the cache yet; pip in two processes (metadata is CPU work)."""
    missing = [p for p in projects if _archive(cache, p) is None]
    pypi = [p for p in missing if p.registry == "pypi"]
    npm = [p for p in missing if p.registry == "npm"]
    jobs: list[tuple[Callable[[list[Project], Path], None], list[Project], Path]] = []
    if npm:
        jobs.append((_npm_pack, npm, cache / "downloads" / "npm"))
    for half in (pypi[0::2], pypi[1::2]):
        if half:
            jobs.append((_pip_download, half, cache / "downloads" / "pypi"))
    if not jobs:
        return
    log(f"downloading {len(missing)} project(s): {', '.join(p.spec for p in missing)}")
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(fn, items, dest) for fn, items, dest in jobs]
        errors = [str(f.exception()) for f in futures if f.exception() is not None]
    if errors:
        raise FetchError("; ".join(errors))
    still = [p.spec for p in missing if _archive(cache, p) is None]
    if still:
        raise FetchError(f"the download left no archive for {', '.join(still)}")


# --- repositories ---------------------------------------------------------------------------------


def _git(path: Path, *args: str) -> None:
    proc = subprocess.run(["git", "-C", str(path), *args], capture_output=True, env=GIT_ENV, check=False)
    if proc.returncode != 0:
        raise FetchError(f"git {args[0]} in {path.name}: {proc.stderr.decode(errors='replace').strip()}")


def extract(archive: Path, dest: Path) -> None:
    """Unpack a tarball into `dest`, dropping its single top folder (`package/`, `name-1.0/`).

    tarfile's `data` filter refuses absolute paths, `..`, links that leave the folder and device
    files, and clears set-uid bits; a refused member fails the whole project.
    """
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".unpack-") as tmp:
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError) as err:
            raise FetchError(f"{archive.name}: cannot be unpacked safely: {err}") from None
        entries = list(Path(tmp).iterdir())
        top = entries[0] if len(entries) == 1 and entries[0].is_dir() else Path(tmp)
        if (top / ".git").exists():
            raise FetchError(f"{archive.name}: holds a .git of its own")
        if top == Path(tmp):
            dest.mkdir()
            for entry in entries:
                entry.rename(dest / entry.name)
        else:
            top.rename(dest)


def build_repo(cache: Path, project: Project) -> Path:
    """repos/<name> as a git repository of the archive's files, rebuilt when the version changed."""
    repo = cache / "repos" / project.name
    if _is_built(repo, project):
        return repo
    archive = _archive(cache, project)
    if archive is None:
        raise FetchError(f"{project.spec}: not downloaded")
    if repo.exists():
        shutil.rmtree(repo)
    repo.parent.mkdir(parents=True, exist_ok=True)
    extract(archive, repo)
    _git(repo, "init", "-q", "-b", "main")
    # -f: every file of the release, whatever the project's own .gitignore says
    _git(repo, "-c", "core.looseCompression=1", "add", "-A", "-f")
    _git(repo, "commit", "-q", "--no-verify", "-m", f"{project.spec} from {project.registry}")
    (repo / ".git" / MARKER).write_text(project.marker, encoding="utf-8")
    return repo


def fetch_corpus(
    cache: Path = CACHE, projects: list[Project] | None = None, log: Callable[[str], None] = lambda _: None
) -> Path:
    """Every project as a git repository under `cache/repos`; that folder is returned.

    Fast when cached (one marker read per project). Raises FetchError, naming the project and the
    reason, when a download or an unpacking fails; repositories of projects no longer listed are
    removed so that collections of the folder see exactly the corpus.
    """
    projects = load_projects() if projects is None else projects
    repos = cache / "repos"
    stale = [p for p in projects if not _is_built(repos / p.name, p)]
    if stale:
        download(cache, stale, log)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(lambda p: build_repo(cache, p), stale))
        log(f"built {len(stale)} repositories in {time.perf_counter() - started:.1f} s")
    wanted = {p.name for p in projects}
    if repos.is_dir():
        for folder in repos.iterdir():
            leftover = folder.name.startswith(".unpack-")  # an unpacking that was interrupted
            if leftover or (folder.name not in wanted and (folder / ".git" / MARKER).is_file()):
                shutil.rmtree(folder)
    return repos


def _is_built(repo: Path, project: Project) -> bool:
    marker = repo / ".git" / MARKER
    return marker.is_file() and marker.read_text(encoding="utf-8") == project.marker


def main() -> None:
    started = time.perf_counter()
    try:
        repos = fetch_corpus(log=print)
    except FetchError as err:
        sys.exit(f"corpus: {err}")
    print(f"corpus ready in {repos} ({time.perf_counter() - started:.1f} s)")
    for project in load_projects():
        path = repos / project.name
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and ".git" not in f.parts)
        print(f"  {project.name:28} {project.registry:4} {project.spec:40} {size / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
