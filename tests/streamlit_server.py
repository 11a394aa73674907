"""A real dashboard server for tests: started as a subprocess, awaited on its health endpoint.

Waiting follows Streamlit's own end-to-end tests: first `/_stcore/health`, then (in a browser)
the app's running state. The process is always stopped when the block ends.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

HEALTH_WAIT = 60.0  # seconds; a cold start on a slow CI machine takes a few


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(cmd: list[str], *, port: int, cwd: Path, env: dict[str, str]) -> Iterator[Server]:
    """Run `cmd` (which must serve on 127.0.0.1:`port`) until the block ends."""
    log = cwd / f"server-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            cmd, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_healthy(server)
        yield server
    finally:
        _stop(process)


def wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + HEALTH_WAIT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the server exited with {server.process.returncode}:\n{server.log.read_text()}")
        try:
            with urllib.request.urlopen(f"{server.base}/_stcore/health", timeout=2) as resp:
                if resp.status == 200 and resp.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"no /_stcore/health within {HEALTH_WAIT:.0f} s:\n{server.log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    """Stop the whole process group: `guildboard serve` runs Streamlit as a child."""
    try:
        os.killpg(process.pid, 15)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait(timeout=10)
