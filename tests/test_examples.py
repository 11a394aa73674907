"""The deployment examples work as shipped: the GitHub Actions workflow's structure holds together
(nightly, one shard per matrix entry, one run id for shards and seal, read-only), its shell steps
run for real against a fake GitHub (including a failed shard re-run into the same run), the cron
script collects and seals for real (one collector and three shards, a held lock, a failed shard
continued by the next start), and every `guildboard` command in the examples and in
docs/deployment.md parses against the real command line."""

from __future__ import annotations

import fcntl
import os
import re
import shlex
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from cli import cli
from collectors.shard import Shard
from store.db import open_store
from tests.fake_github import FakeGitHub, FakeRepo
from tests.gitrepo import make_repo

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / "examples" / "github-actions" / "guildboard-collect.yml"
CRON_SCRIPT = ROOT / "examples" / "cron" / "guildboard-nightly.sh"
CRONTAB = ROOT / "examples" / "cron" / "crontab"
GUIDE = ROOT / "docs" / "deployment.md"
TOKEN = "test-token-Examp1eSecret-0123456789abcdef"
OTHER_TOKEN = "test-token-0therMachineUser-0123456789ab"
BAD_TOKEN = "test-token-revoked-000000000000000000000"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


# --- helpers ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text())


def triggers(wf: dict[str, Any]) -> dict[str, Any]:
    return wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true


def run_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in job["steps"] if "run" in s]


def shard_count(wf: dict[str, Any]) -> int:
    return len(wf["jobs"]["collect"]["strategy"]["matrix"]["shard"])


#: A `guildboard` word at a command's position: first, or after an operator, an assignment or `!`.
COMMAND_WORDS = {"guildboard", "$guildboard", "${guildboard}", "$GUILDBOARD"}
OPERATOR = re.compile(r"^[();<>|&]+$")


def guildboard_commands(script: str) -> list[list[str]]:
    """Every `guildboard ...` command in a shell text: its arguments, without redirections."""
    script = re.sub(r"\\\n", " ", script)
    found = []
    for line in script.splitlines():
        if line.lstrip().startswith("#") or not re.search(r"guildboard|GUILDBOARD", line):
            continue
        line = EXPRESSION.sub(lambda m: "GHEXPR_" + re.sub(r"\W+", "_", m.group(1)), line)
        line = re.sub(r"\d*>&\d+|\d*>>?\s*\S+", " ", line)  # redirections
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            words = list(lexer)
        except ValueError:
            continue
        for i, word in enumerate(words):
            before = words[i - 1] if i else ";"
            at_command = OPERATOR.match(before) or before in ("!", "then", "do", "exec") or re.match(r"^\w+=", before)
            if (word in COMMAND_WORDS or word.endswith("/guildboard")) and at_command:
                args = []
                for arg in words[i + 1 :]:
                    if OPERATOR.match(arg):
                        break
                    if not re.fullmatch(r"\$\{\w+\[@\]\}", arg):  # "${extra_args[@]}": the user's own options
                        args.append(arg)
                found.append(args)
    return found


def shell_blocks(markdown: str) -> str:
    return "\n".join(re.findall(r"```(?:sh|bash|yaml)\n(.*?)```", markdown, re.S))


def resolve(args: list[str]) -> tuple[tuple[str, ...], click.Command, list[str]]:
    """Walk the real click groups: (the command's path, the command, its own arguments)."""
    command: click.Command = cli
    path: list[str] = []
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        name = rest.pop(0)
        sub = command.commands.get(name)
        assert sub is not None, f"guildboard {' '.join([*path, name])}: no such command"
        command, path = sub, [*path, name]
    return tuple(path), command, rest


def parses(args: list[str]) -> tuple[str, ...]:
    """The command's path, after its arguments parsed as the real CLI parses them (options, types, counts)."""
    path, command, rest = resolve(args)
    if isinstance(command, click.Group):
        assert set(rest) <= {"--version", "--help"}, f"guildboard {' '.join(args)}: unknown group options"
        return path
    with command.make_context(f"guildboard {' '.join(path)}", rest, resilient_parsing=False):
        pass
    return path


def guildboard_wrapper(tmp_path: Path) -> Path:
    """A `guildboard` on PATH running this working tree's code, as `pip install` would make one."""
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    exe = bindir / "guildboard"
    exe.write_text(
        f'#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT))} exec {shlex.quote(sys.executable)} -c "import cli; cli.main()" "$@"\n'
    )
    exe.chmod(0o755)
    return exe


def base_env(tmp_path: Path) -> dict[str, str]:
    drop = ("GUILDBOARD_DB", "GUILDBOARD_DEBUG", "GITHUB_TOKEN", "GITHUB_API_URL", "XDG_STATE_HOME", "XDG_DATA_HOME")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("GUILDBOARD_")}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {**env, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}


@pytest.fixture
def org(tmp_path: Path) -> list[FakeRepo]:
    repos = []
    for i in range(9):
        files = {
            "requirements.txt": f"flask=={1 + i % 3}.0\n",
            "app.py": "print('hi')\n" * (i + 1),
            ".github/workflows/ci.yml": "name: CI\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n",
        }
        repos.append(FakeRepo(f"svc-{i}", make_repo(tmp_path / "org" / f"svc-{i}", files)))
    return repos


def names(org: list[FakeRepo]) -> list[str]:
    return sorted(f"acme/{r.name}" for r in org)


def snapshot_names(db: str) -> list[list[str]]:
    store = open_store(db)
    return [sorted(r.name for r in store.repo_facts(s.id)) for s in store.snapshots()]


# --- the workflow's structure --------------------------------------------------------------------------


def test_workflow_runs_nightly_and_by_hand(workflow: dict[str, Any]) -> None:
    on = triggers(workflow)
    (schedule,) = on["schedule"]
    fields = schedule["cron"].split()
    assert len(fields) == 5 and fields[2:] == ["*", "*", "*"]  # every day
    assert "workflow_dispatch" in on


def test_workflow_is_read_only_and_never_overlaps_itself(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert workflow["concurrency"]["group"] and workflow["concurrency"]["cancel-in-progress"] is False
    assert all(isinstance(job.get("timeout-minutes"), int) for job in workflow["jobs"].values())


def test_jobs_migrate_then_shards_then_seal(workflow: dict[str, Any]) -> None:
    jobs = workflow["jobs"]
    assert jobs["collect"]["needs"] == "migrate" and jobs["seal"]["needs"] == "collect"
    assert "if" not in jobs["seal"]  # skipped while a shard has failed; "Re-run failed jobs" re-runs it
    commands = {
        name: [tuple(c[:2]) for s in run_steps(job) for c in guildboard_commands(s["run"])]
        for name, job in jobs.items()
    }
    assert commands == {
        "migrate": [("db", "upgrade")],
        "collect": [("collect", "github")],
        "seal": [("seal", "$RUN_ID")],
    }


def test_every_shard_is_one_matrix_entry_and_n_is_the_matrix_length(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["collect"]
    assert job["strategy"]["fail-fast"] is False
    shards = job["strategy"]["matrix"]["shard"]
    n = len(shards)
    assert shards == list(range(1, n + 1)) and n > 1
    (step,) = run_steps(job)[-1:]
    ((*_, shard),) = [c[: c.index("--shard") + 2] for c in guildboard_commands(step["run"])]
    assert shard == f"GHEXPR_matrix_shard/{n}"  # --shard "${{ matrix.shard }}/N"
    (cache,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert "${{ matrix.shard }}" in cache["with"]["key"] and f"of{n}-" in cache["with"]["key"]
    assert "--cache " + cache["with"]["path"] + "/" in step["run"]  # the cached folder is the one used


def test_shards_and_seal_name_one_run_that_survives_a_re_run(workflow: dict[str, Any]) -> None:
    runs = []
    for name in ("collect", "seal"):
        for step in run_steps(workflow["jobs"][name]):
            for args in guildboard_commands(step["run"]):
                if args[0] == "seal":
                    runs.append(args[1])
                elif "--run" in args:
                    runs.append(args[args.index("--run") + 1])
    assert runs == ["$RUN_ID", "$RUN_ID"]
    run_id = workflow["env"]["RUN_ID"]
    assert "github.run_id" in run_id and "run_attempt" not in run_id
    for job in workflow["jobs"].values():  # nothing redefines it for one job or step
        assert "RUN_ID" not in job.get("env", {})
        assert all("RUN_ID" not in s.get("env", {}) for s in job["steps"])


def test_each_shard_takes_its_own_token_else_the_shared_one(workflow: dict[str, Any]) -> None:
    (step,) = run_steps(workflow["jobs"]["collect"])[-1:]
    token = step["env"]["GITHUB_TOKEN"]
    assert "format('GUILDBOARD_TOKEN_{0}', matrix.shard)" in token and "|| secrets.GUILDBOARD_TOKEN" in token
    assert all("GUILDBOARD_TOKEN" not in s["run"] for s in run_steps(workflow["jobs"]["collect"]))


# --- every command in the examples and the guide exists in the real CLI ----------------------------------------


def test_every_guildboard_command_in_the_examples_parses_against_the_cli(workflow: dict[str, Any]) -> None:
    workflow_commands = [
        c for job in workflow["jobs"].values() for s in run_steps(job) for c in guildboard_commands(s["run"])
    ]
    script_commands = guildboard_commands(CRON_SCRIPT.read_text())
    assert {parses(c) for c in workflow_commands} == {("db", "upgrade"), ("collect", "github"), ("seal",)}
    assert [parses(c) for c in script_commands] == [
        (),
        ("db", "upgrade"),
        ("collect", "github"),
        ("collect", "github"),
        ("seal",),
    ]


def test_every_guildboard_command_in_the_guide_parses_against_the_cli() -> None:
    commands = guildboard_commands(shell_blocks(GUIDE.read_text()))
    checked = {parses(args) for args in commands}
    assert checked >= {
        ("db", "upgrade"),
        ("db", "status"),
        ("collect", "github"),
        ("seal",),
        ("snapshots",),
        ("serve",),
    }
    serving = [a for a in commands if a[:1] == ["serve"]]
    assert any({"--secrets", "--allow", "--address"} <= set(a) for a in serving)  # the guide's login


def test_the_cron_script_is_valid_bash_and_the_crontab_runs_it() -> None:
    done = subprocess.run(["bash", "-n", str(CRON_SCRIPT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert os.access(CRON_SCRIPT, os.X_OK)
    entries = [
        ln.split()
        for ln in CRONTAB.read_text().splitlines()
        if ln.strip() and not ln.startswith("#") and "=" not in ln.split()[0]
    ]
    assert len(entries) == 1 and len(entries[0]) == 6 and entries[0][5].endswith("/guildboard-nightly.sh")


# --- the workflow's steps, run for real ---------------------------------------------------------------------


def expression_table(secrets: dict[str, str]) -> dict[str, Callable[[dict[str, Any]], str]]:
    """Every expression the workflow uses, and what Actions makes of it. A new one fails the test until it is added here."""
    return {
        "github.run_id": lambda c: str(c["run_id"]),
        "matrix.shard": lambda c: str(c["shard"]),
        "secrets.GUILDBOARD_DB": lambda c: secrets.get("GUILDBOARD_DB", ""),
        "secrets[format('GUILDBOARD_TOKEN_{0}', matrix.shard)] || secrets.GUILDBOARD_TOKEN": lambda c: (
            secrets.get(f"GUILDBOARD_TOKEN_{c['shard']}") or secrets.get("GUILDBOARD_TOKEN", "")
        ),
    }


def run_job(
    workflow: dict[str, Any],
    name: str,
    context: dict[str, Any],
    secrets: dict[str, str],
    workspace: Path,
    env: dict[str, str],
) -> subprocess.CompletedProcess[str]:
    """A job's shell steps as a runner runs them (bash -eo pipefail, workflow, job and step env); setup and
    install steps are what a runner would do before: the test's PATH has guildboard already."""
    table = expression_table(secrets)

    def expand(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            assert m.group(1) in table, (
                f"the test does not know the expression {m.group(0)}: add it to expression_table"
            )
            return table[m.group(1)](context)

        return EXPRESSION.sub(one, str(text))

    job = workflow["jobs"][name]
    workspace.mkdir(parents=True, exist_ok=True)
    done = None
    for step in job["steps"]:
        if "uses" in step:
            assert step["uses"].split("@")[0] in ("actions/setup-python", "actions/cache", "actions/checkout")
            continue
        if "pip install" in step["run"]:
            continue
        step_env = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
        full = {**env, **{k: expand(v) for k, v in step_env.items()}}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", expand(step["run"])],
            cwd=workspace, env=full, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if done.returncode != 0:
            return done
    assert done is not None
    return done


def test_the_workflow_collects_seals_and_a_failed_shard_re_run_joins_the_same_run(
    workflow: dict[str, Any], org: list[FakeRepo], tmp_path: Path
) -> None:
    guildboard_wrapper(tmp_path)
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    n = shard_count(workflow)
    secrets = {"GUILDBOARD_DB": db, "GUILDBOARD_TOKEN": TOKEN, "GUILDBOARD_TOKEN_2": BAD_TOKEN}
    in_shard_2 = [r for r in names(org) if Shard(2, n).holds(r)]
    assert in_shard_2, "the organisation must give shard 2 a repository"
    with FakeGitHub("acme", org, tokens=[TOKEN, OTHER_TOKEN]) as fake:
        env = {
            **base_env(tmp_path),
            "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
            "GITHUB_API_URL": fake.base_url,
        }
        attempt1 = {"run_id": 987654321, "run_attempt": 1}
        done = run_job(workflow, "migrate", attempt1, secrets, tmp_path / "w-migrate", env)
        assert done.returncode == 0 and "created guildboard's tables" in done.stdout, done.stderr
        results = {
            k: run_job(workflow, "collect", {**attempt1, "shard": k}, secrets, tmp_path / f"w-{k}", env)
            for k in range(1, n + 1)
        }
        assert [k for k, r in results.items() if r.returncode != 0] == [2]  # shard 2's own token is revoked
        assert "401" in results[2].stderr
        assert all(f"shard {k}/{n}" in results[k].stdout for k in (1, 3, 4))
        assert all((tmp_path / f"w-{k}" / "guildboard-cache" / "blobs.sqlite").is_file() for k in (1, 3, 4))
        assert snapshot_names(db) == []  # readers see nothing of the run yet; Actions skips seal

        # "Re-run failed jobs" once the secret is mended: the same run_id, the next attempt; shard 2, then seal.
        secrets["GUILDBOARD_TOKEN_2"] = OTHER_TOKEN
        fake.reset_counts()
        attempt2 = {"run_id": 987654321, "run_attempt": 2}
        rerun = run_job(workflow, "collect", {**attempt2, "shard": 2}, secrets, tmp_path / "w-2", env)
        assert rerun.returncode == 0, rerun.stderr
        assert "every shard has reported: `guildboard seal actions-987654321`" in rerun.stdout
        assert fake.counts["git.trees"] == len(in_shard_2)  # the other shards' repositories are not read again
        sealed = run_job(workflow, "seal", attempt2, secrets, tmp_path / "w-seal", env)
        assert sealed.returncode == 0, sealed.stderr
        assert f"run actions-987654321 sealed: snapshot 1: {len(org)} repositories" in sealed.stdout
        again = run_job(workflow, "seal", attempt2, secrets, tmp_path / "w-seal", env)
        assert again.returncode == 0 and "was sealed already" in again.stdout
        migrated = run_job(workflow, "migrate", attempt2, secrets, tmp_path / "w-migrate", env)
        assert migrated.returncode == 0 and "nothing to do" in migrated.stdout, migrated.stderr
    assert snapshot_names(db) == [names(org)]


def test_the_workflow_stops_at_migrate_on_a_database_it_cannot_reach(workflow: dict[str, Any], tmp_path: Path) -> None:
    guildboard_wrapper(tmp_path)
    env = {**base_env(tmp_path), "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}
    secrets = {"GUILDBOARD_DB": "postgresql+psycopg://guildboard:Pa55word@127.0.0.1:1/guildboard"}
    done = run_job(workflow, "migrate", {"run_id": 1}, secrets, tmp_path / "w", env)
    assert done.returncode != 0 and "cannot upgrade" in done.stderr and "Pa55word" not in done.stderr


def test_the_workflow_stops_at_migrate_on_a_database_holding_other_tables(
    workflow: dict[str, Any], tmp_path: Path
) -> None:
    guildboard_wrapper(tmp_path)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    env = {**base_env(tmp_path), "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}
    secrets = {"GUILDBOARD_DB": f"sqlite:///{foreign}", "GUILDBOARD_TOKEN": TOKEN}
    done = run_job(workflow, "migrate", {"run_id": 1}, secrets, tmp_path / "w", env)
    assert done.returncode != 0 and "holds tables that are not guildboard's" in done.stderr
    with sqlite3.connect(foreign) as conn:
        assert [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["invoices"]


# --- the cron script, run for real ----------------------------------------------------------------------------


def token_file(tmp_path: Path, *tokens: str, mode: int = 0o600) -> Path:
    path = tmp_path / "token"
    path.write_text("# one token a line\n" + "\n".join(tokens) + "\n")
    path.chmod(mode)
    return path


def nightly(tmp_path: Path, fake: FakeGitHub, db: str, shards: int, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **base_env(tmp_path),
        "GUILDBOARD_ORG": "acme",
        "GUILDBOARD_DB": db,
        "GUILDBOARD_SHARDS": str(shards),
        "GUILDBOARD_TOKEN_FILE": str(tmp_path / "token"),
        "GUILDBOARD_STATE_DIR": str(tmp_path / "state"),
        "GUILDBOARD": str(guildboard_wrapper(tmp_path)),
        "GITHUB_API_URL": fake.base_url,
        **extra,
    }
    return subprocess.run(
        ["bash", str(CRON_SCRIPT)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )


def logs(tmp_path: Path) -> str:
    return "".join(p.read_text() for p in sorted((tmp_path / "state" / "logs").glob("*.log")))


@pytest.mark.parametrize("shards", [1, 3])
def test_the_cron_script_collects_the_organisation_into_one_snapshot(
    shards: int, org: list[FakeRepo], tmp_path: Path
) -> None:
    token_file(tmp_path, TOKEN)
    db = f"sqlite:///{tmp_path / 'db' / 'guildboard.db'}"
    with FakeGitHub("acme", org, tokens=[TOKEN]) as fake:
        done = nightly(tmp_path, fake, db, shards)
        assert done.returncode == 0, done.stderr + logs(tmp_path)
        assert done.stdout == done.stderr == ""  # quiet when all went well: cron mails nothing
        assert snapshot_names(db) == [names(org)]
        again = nightly(tmp_path, fake, db, shards)  # the next night: migrations done, a second snapshot
        assert again.returncode == 0, again.stderr
    assert snapshot_names(db) == [names(org), names(org)]
    text = logs(tmp_path)
    assert "created guildboard's tables in sqlite:///" in text and "nothing to do" in text
    assert ("run cron-" in text and "sealed: snapshot" in text) == (shards > 1)
    assert TOKEN not in text
    assert not (tmp_path / "state" / "pending-run").exists()


def test_the_cron_script_leaves_without_collecting_while_another_run_holds_the_lock(
    org: list[FakeRepo], tmp_path: Path
) -> None:
    token_file(tmp_path, TOKEN)
    (tmp_path / "state").mkdir()
    db = tmp_path / "guildboard.db"
    with FakeGitHub("acme", org, tokens=[TOKEN]) as fake, open(tmp_path / "state" / "nightly.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = nightly(tmp_path, fake, f"sqlite:///{db}", 3)
        assert done.returncode == 75 and "another run holds" in done.stderr
        assert fake.total == 0
    assert not db.exists() and not (tmp_path / "state" / "logs").exists()


def test_the_cron_script_refuses_a_token_file_others_can_read(org: list[FakeRepo], tmp_path: Path) -> None:
    token_file(tmp_path, TOKEN, mode=0o644)
    with FakeGitHub("acme", org, tokens=[TOKEN]) as fake:
        done = nightly(tmp_path, fake, f"sqlite:///{tmp_path / 'g.db'}", 1)
        assert done.returncode == 2 and "chmod 600" in done.stderr and "the log is" in done.stderr
        assert fake.total == 0


def test_a_failed_shard_leaves_the_run_unsealed_and_the_next_start_finishes_it(
    org: list[FakeRepo], tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'guildboard.db'}"
    in_shard_2 = [r for r in names(org) if Shard(2, 3).holds(r)]
    assert in_shard_2
    token_file(tmp_path, TOKEN, BAD_TOKEN, TOKEN)  # shard K uses line K: shard 2's token is revoked
    with FakeGitHub("acme", org, tokens=[TOKEN, OTHER_TOKEN]) as fake:
        failed = nightly(tmp_path, fake, db, 3)
        assert failed.returncode == 1
        assert "shard(s) 2/3 failed" in failed.stderr and "[shard 2] guildboard: GitHub:" in failed.stderr
        assert snapshot_names(db) == []
        run_id = (tmp_path / "state" / "pending-run").read_text().split()[0]

        token_file(tmp_path, TOKEN, OTHER_TOKEN, TOKEN)
        fake.reset_counts()
        done = nightly(tmp_path, fake, db, 3)
        assert done.returncode == 0, done.stderr
        assert fake.counts["git.trees"] == len(in_shard_2)  # shards 1 and 3 reported already: nothing read again
    assert snapshot_names(db) == [names(org)]
    assert f"continuing the unsealed run {run_id}" in logs(tmp_path)
    assert not (tmp_path / "state" / "pending-run").exists()
    assert all(t not in logs(tmp_path) for t in (TOKEN, OTHER_TOKEN, BAD_TOKEN))


def test_the_cron_script_shards_into_a_new_postgresql_database(
    org: list[FakeRepo], tmp_path: Path, postgres_url: str
) -> None:
    token_file(tmp_path, TOKEN)
    with FakeGitHub("acme", org, tokens=[TOKEN]) as fake:
        done = nightly(tmp_path, fake, postgres_url, 2)
        assert done.returncode == 0, done.stderr
    assert snapshot_names(postgres_url) == [names(org)]
    assert "created guildboard's tables in postgresql+psycopg://" in logs(tmp_path)


def test_the_cron_script_starts_a_new_run_when_the_unsealed_one_was_begun_otherwise(
    org: list[FakeRepo], tmp_path: Path
) -> None:
    token_file(tmp_path, TOKEN)
    db = f"sqlite:///{tmp_path / 'guildboard.db'}"
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "pending-run").write_text(
        "cron-20261127T021700Z\nguildboard 0.0.9|acme|3|\n"
    )  # an upgrade since
    with FakeGitHub("acme", org, tokens=[TOKEN]) as fake:
        done = nightly(tmp_path, fake, db, 3)
        assert done.returncode == 0, done.stderr + logs(tmp_path)
    assert "the unsealed run cron-20261127T021700Z was begun with other settings" in logs(tmp_path)
    assert snapshot_names(db) == [names(org)]
