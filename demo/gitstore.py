"""Write demo repositories with `git fast-import`: one process per repository and commit.

Spawning `git add` and `git commit` per repository costs tens of milliseconds each; fast-import
takes the whole tree on standard input in one go. Dates, author and branch are all explicit and the
user's git configuration is shut out, so the same tree and date always give the same commit sha.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

BRANCH = "main"

#: No global or system config (no signing, no hooks path, no autocrlf), a fixed locale.
_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


class GitError(RuntimeError):
    """A git command failed; the message carries its standard error."""


def _git(author: tuple[str, str]) -> list[str]:
    name, email = author
    return [
        "git",
        "-c", f"user.name={name}",
        "-c", f"user.email={email}",
        "-c", f"init.defaultBranch={BRANCH}",
        "-c", "commit.gpgsign=false",
        "-c", "core.autocrlf=false",
        # Keep fast-import's pack as it is: below this many objects it would spawn
        # `git unpack-objects` to explode it into loose files, which triples its cost.
        "-c", "fastimport.unpackLimit=0",
    ]  # fmt: skip


def _run(args: list[str], cwd: Path, data: bytes | None = None) -> None:
    done = subprocess.run(args, cwd=cwd, input=data, env=_ENV, capture_output=True, check=False)
    if done.returncode != 0:
        raise GitError(f"{' '.join(args[-3:])} in {cwd}: {done.stderr.decode(errors='replace').strip()}")


def commit_tree(
    path: Path,
    files: Mapping[str, tuple[str, bytes]],
    *,
    message: str,
    when: datetime,
    author: tuple[str, str],
    first: bool,
    checkout: bool = True,
) -> None:
    """Make `files` the whole tree of a new commit on `main` at `when`; create the repository first.

    With `checkout`, the working tree and index follow, so a person can browse the repository;
    the collector itself reads only git objects.
    """
    git = _git(author)
    if first:
        path.mkdir(parents=True, exist_ok=True)
        _run([*git, "init", "-q", "--template=", "."], path)
    _run(
        [*git, "fast-import", "--quiet", "--done", "--date-format=raw"],
        path,
        _stream(files, message, when, author, first),
    )
    if checkout:
        _run([*git, "reset", "--hard", "-q"], path)


def _stream(
    files: Mapping[str, tuple[str, bytes]], message: str, when: datetime, author: tuple[str, str], first: bool
) -> bytes:
    """The fast-import commands for one commit that replaces the whole tree."""
    stamp = f"{int(when.timestamp())} +0000"
    who = f"{author[0]} <{author[1]}> {stamp}"
    msg = message.encode() + b"\n"
    out = [f"commit refs/heads/{BRANCH}\nauthor {who}\ncommitter {who}\ndata {len(msg)}\n".encode(), msg]
    if not first:
        # ^0: fast-import would otherwise refuse to start a branch from itself.
        out.append(f"from refs/heads/{BRANCH}^0\n".encode())
    out.append(b"deleteall\n")
    for path in sorted(files):
        mode, data = files[path]
        out.append(f"M {mode} inline {path}\ndata {len(data)}\n".encode())
        out.append(data)
        out.append(b"\n")
    out.append(b"\ndone\n")
    return b"".join(out)
