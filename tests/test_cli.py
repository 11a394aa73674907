"""The `guildboard` command end to end, over real git repositories and a real SQLite file."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import click
import jsonschema
import pytest

from cli import cli
from reports.export_json import SCHEMA_PATH
from tests.gitrepo import make_repo

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a fresh process, as a user would call it."""
    import os

    full_env = {k: v for k, v in os.environ.items() if k not in ("GUILDBOARD_DB", "GUILDBOARD_DEBUG")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", *args],
        capture_output=True, text=True, cwd=cwd, env=full_env, timeout=120,
    )  # fmt: skip


@pytest.fixture
def org(tmp_path: Path) -> Path:
    root = tmp_path / "org"
    make_repo(root / "payments" / "ledger", {
        "README.md": "# Ledger\n",
        "ledger/app.py": "def main() -> None:\n    print('ledger')\n",
        "requirements.txt": "django>=4.2,<5\nrequests==2.31.0\n",
    })  # fmt: skip
    make_repo(root / "payments" / "checkout-web", {
        "package.json": json.dumps({"name": "checkout", "dependencies": {"react": "^18.2.0"}}),
        "src/index.tsx": "export const App = () => null;\n",
        ".github/CODEOWNERS": "* @acme/web-guild\n",
    })  # fmt: skip
    make_repo(root / "tools", {"catalog-info.yaml": "spec:\n  owner: group:default/platform\n  lifecycle: archived\n",
                               "main.go": "package main\n"})  # fmt: skip
    make_repo(root / "broken", {"package.json": "{not json"})
    return root


def test_collect_then_list_then_export_round_trip(org: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.db'}"
    done = run("collect", "local", str(org), "--db", db, "--label", "2026-11 guild meeting")
    assert done.returncode == 0, done.stderr
    assert re.match(r"snapshot 1: 4 repositories, \d+ warnings", done.stdout)

    listed = run("snapshots", "--db", db)
    assert "2026-11 guild meeting" in listed.stdout and str(org) in listed.stdout

    out = tmp_path / "export.json"
    exported = run("export", "json", "--db", db, "--snapshot", "latest", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, json.loads(SCHEMA_PATH.read_text()))
    repos = {r["name"]: r for r in doc["repositories"]}
    assert sorted(repos) == ["broken", "payments/checkout-web", "payments/ledger", "tools"]
    assert (repos["payments/ledger"]["team"], repos["payments/ledger"]["team_source"]) == (
        "payments",
        "folder",
    )
    assert (repos["payments/checkout-web"]["team"], repos["payments/checkout-web"]["team_source"]) == (
        "web-guild",
        "codeowners",
    )
    assert (repos["tools"]["team"], repos["tools"]["archived"]) == ("platform", True)
    assert repos["broken"]["team"] == "unassigned"
    assert repos["payments/ledger"]["languages"] == {"Python": 40}
    assert repos["payments/ledger"]["default_branch"] == "main" and len(repos["payments/ledger"]["head"]) == 40
    assert any(w["path"] == "package.json" for w in repos["broken"]["warnings"])


def test_export_to_stdout_is_the_same_document(org: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.db'}"
    run("collect", "local", str(org), "--db", db)
    a = run("export", "json", "--db", db).stdout
    b = run("export", "json", "--db", db, "--snapshot", "1").stdout
    assert json.loads(a) == json.loads(b) and json.loads(a)["snapshot"]["id"] == 1


def test_collecting_the_same_heads_twice_gives_the_same_facts(org: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.db'}"
    run("collect", "local", str(org), "--db", db)
    run("collect", "local", str(org), "--db", db, "--workers", "1")
    first = json.loads(run("export", "json", "--db", db, "--snapshot", "1").stdout)["repositories"]
    second = json.loads(run("export", "json", "--db", db, "--snapshot", "2").stdout)["repositories"]
    assert first == second


def test_teams_file_overrides_everything(org: Path, tmp_path: Path) -> None:
    teams = tmp_path / "teams.yaml"
    teams.write_text("teams:\n  money:\n    - 'payments/*'\n")
    db = f"sqlite:///{tmp_path / 'g.db'}"
    assert run("collect", "local", str(org), "--db", db, "--teams", str(teams)).returncode == 0
    doc = json.loads(run("export", "json", "--db", db).stdout)
    by_name = {r["name"]: (r["team"], r["team_source"]) for r in doc["repositories"]}
    assert by_name["payments/checkout-web"] == ("money", "teams-file")
    assert by_name["tools"] == ("platform", "catalog-info")


def test_database_from_the_environment(org: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'env.db'}"
    assert run("collect", "local", str(org), env={"GUILDBOARD_DB": db}).returncode == 0
    listed = run("snapshots", env={"GUILDBOARD_DB": db})
    assert listed.returncode == 0 and re.search(r"^\s+1\s.*\s4\s", listed.stdout, re.M)
    assert (tmp_path / "env.db").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "json", "--db", "sqlite:///{tmp}/missing.db"], "no database at"),
        (["snapshots", "--db", "sqlite:///{tmp}/missing.db"], "no database at"),
        (["collect", "local", "{tmp}", "--db", "sqlite:///{tmp}/other.db"], "not guildboard's"),
        (["collect", "local", "{tmp}", "--teams", "{tmp}/teams.yaml", "--db", "sqlite:///{tmp}/g.db"],
         "expected a mapping `teams:`"),
        (["export", "json", "--db", "sqlite:///{tmp}/empty.db"], "no snapshot yet"),
        (["collect", "local", "{tmp}", "--db", "not a url"], "not a database URL"),
    ],
)  # fmt: skip
def test_errors_are_one_line_with_exit_code_2_and_no_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    (tmp_path / "teams.yaml").write_text("- just a list\n")
    from store.db import open_store

    open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    done = run(*[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 2
    assert done.stderr.startswith("guildboard: ") and message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_export_to_a_file_never_leaves_a_partial_file(org: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'g.db'}"
    run("collect", "local", str(org), "--db", db)
    done = run("export", "json", "--db", db, "--out", str(tmp_path / "no-such-dir" / "x.json"))
    assert done.returncode == 2 and "cannot write" in done.stderr
    assert not (tmp_path / "no-such-dir").exists()


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        out.append((path, command))
        if isinstance(command, click.Group):
            out += _commands(command, path)
    return out


COMMANDS = _commands(cli)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    done = run(*path, "--help")
    assert done.returncode == 0 and done.stdout.startswith("Usage: guildboard " + " ".join(path))


def test_every_command_and_option_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = []
    for path, command in COMMANDS:
        if isinstance(command, click.Group):
            continue
        if f"guildboard {' '.join(path)}" not in readme:
            missing.append(f"command: guildboard {' '.join(path)}")
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in [*param.opts, *param.secondary_opts]:
                    if opt not in ("-h", "--help") and f"`{opt}" not in readme:
                        missing.append(f"{' '.join(path)} {opt}")
    assert missing == []


@pytest.fixture(scope="module")
def big_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from demo import build_organisation

    root = tmp_path_factory.mktemp("big") / "org"
    build_organisation(root, repos=400, teams=8, seed=3)
    return root


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_collection_stopped_half_way_leaves_earlier_snapshots_and_no_partial_one(
    big_org: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    db = f"sqlite:///{tmp_path / 'g.db'}"
    make_repo(tmp_path / "small" / "one", {"a.py": "print(1)\n"})
    assert run("collect", "local", str(tmp_path / "small"), "--db", db, "--label", "before").returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-c", "import cli; cli.main()", "collect", "local", str(big_org), "--db", db, "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stderr is not None
    assert proc.stderr.readline() == "collecting 400 repositories\n"
    time.sleep(0.3)  # 400 repositories on one worker take a few seconds: stop it among them
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and stderr.strip() == "guildboard: interrupted; nothing was written"
    else:
        assert proc.returncode == -signal.SIGKILL
    listed = run("snapshots", "--db", db).stdout
    assert "[before]" in listed and len([line for line in listed.splitlines() if "local" in line]) == 1


def test_demo_measures_itself_against_the_example_standards(tmp_path: Path) -> None:
    done = run(
        "demo", "--repos", "12", "--teams", "3", "--history", "1", "--root", str(tmp_path / "org"),
        "--db", f"sqlite:///{tmp_path / 'demo.db'}", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith("standards (standards.example.yaml): ") and "levels: none" in line
    assert "since the previous snapshot" in line
