"""Real git repositories for tests, built in a temporary folder with the git on this machine."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from collectors.facts import Facts
from collectors.repo_view import RepoView
from collectors.sources.local import open_local

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_AUTHOR_DATE": "2026-01-15T10:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-15T10:00:00+00:00",
}


def git(path: Path, *args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        ["git", "-C", str(path), *args], capture_output=True, check=True, env={**GIT_ENV, **(env or {})}
    )
    return out.stdout.decode()


def make_repo(
    path: Path,
    files: dict[str, str | bytes],
    *,
    branch: str = "main",
    symlinks: dict[str, str] | None = None,
    date: str | None = None,
) -> Path:
    """A git repository at `path` with `files` (and `symlinks`: link -> target) in one commit."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", branch)
    for rel, content in files.items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        target.write_bytes(content)
    for link, dest in (symlinks or {}).items():
        target = path / link
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(dest, target)
    if files or symlinks:
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else None
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "initial", env=env)
    return path


def detect_with(detect: Callable[[RepoView], Facts], tmp_path: Path, files: dict[str, str | bytes]) -> Facts:
    """Run one detector over a real repository holding `files` (bind it per test module with partial)."""
    view = open_repo(make_repo(tmp_path / "repo", files))
    try:
        return detect(view)
    finally:
        view.close()


def open_repo(path: Path, root: Path | None = None) -> RepoView:
    """The view the local source gives for `path` (named relative to `root`, default its parent)."""
    return open_local(path, root or path.parent)
