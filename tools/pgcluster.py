"""A throwaway PostgreSQL server in a folder: for the test suite, the benchmarks and trying things.

    python tools/pgcluster.py start DIR    # initdb DIR/data, start on a free port of 127.0.0.1; prints the URL
    python tools/pgcluster.py stop DIR     # stop it and remove DIR

It uses Debian's `postgresql` package (`/usr/lib/postgresql/<version>/bin`, the newest found) or
`initdb` and `pg_ctl` on PATH. The server trusts local connections, listens on 127.0.0.1 only and
skips fsync: it holds nothing worth keeping. PostgreSQL refuses to run as root, so under root the
folder is handed to the `postgres` user (which Debian's package creates) and the server runs as it.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path

#: The superuser the cluster is created with; connections need no password.
SUPERUSER = "postgres"


class ClusterError(Exception):
    """The cluster could not be made or started; the message says why."""


def binaries() -> Path:
    """The folder holding initdb and pg_ctl."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: _version(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise ClusterError("no PostgreSQL server found: apt-get install postgresql")


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> str | None:
    """The user to run the server as: `postgres` when we are root, else ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ClusterError("running as root, and there is no `postgres` user to run the server as") from None
    return "postgres"


def start(folder: Path) -> str:
    """Create and start a cluster in `folder` (which must not hold one yet); return its SQLAlchemy URL."""
    folder = folder.resolve()
    data = folder / "data"
    if data.exists():
        raise ClusterError(f"{data} exists already: stop that cluster first")
    folder.mkdir(parents=True, exist_ok=True)
    user = _run_as()
    if user is not None:
        shutil.chown(folder, user)
        for parent in folder.parents:
            if not os.stat(parent).st_mode & 0o001:
                raise ClusterError(f"the `{user}` user cannot reach {folder}: {parent} is closed to others (chmod o+x)")
    bin_dir = binaries()
    port = _free_port()

    def run(*args: str) -> None:
        done = subprocess.run(args, user=user, capture_output=True, text=True, cwd=folder)
        if done.returncode != 0:
            raise ClusterError(
                f"{Path(args[0]).name} failed ({done.returncode}): {(done.stderr or done.stdout).strip()}"
            )

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start")
    url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres"
    (folder / "url").write_text(url + "\n", encoding="utf-8")
    return url


def stop(folder: Path) -> None:
    """Stop the cluster in `folder` (if it runs) and remove the folder."""
    folder = folder.resolve()
    data = folder / "data"
    if (data / "postmaster.pid").exists():
        subprocess.run(
            [str(binaries() / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            user=_run_as(),
            capture_output=True,
            check=False,
            cwd=folder,
        )
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            print(start(args.folder))
        else:
            stop(args.folder)
    except ClusterError as err:
        print(f"pgcluster: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
