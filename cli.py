"""The `guildboard` command: wiring only; every stage's work lives in its own folder.

Errors reach the user as one line naming what to do, with a non-zero exit, never a traceback
(set GUILDBOARD_DEBUG=1 to see one). Heavy imports (pandas, Streamlit) stay inside the commands
that need them, so `collect` starts quickly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from standards import STANDARDS_ENV
from store.config import DB_ENV, StoreError

if TYPE_CHECKING:
    from pages.access import AllowList

DEMO_ROOT = Path("data/demo")
DEMO_DB = "sqlite:///data/demo.db"
#: Beside the code, so the demo finds it from any folder.
DEMO_STANDARDS = Path(__file__).resolve().parent / "data" / "standards.example.yaml"

db_option = click.option(
    "--db",
    "db_url",
    envvar=DB_ENV,
    default=None,
    metavar="URL",
    help=f"Database URL (env {DB_ENV}; default sqlite:///data/guildboard.db).",
)

teams_option = click.option(
    "--teams",
    "teams_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Teams file: team -> list of repository globs (see data/teams.example.yaml).",
)
label_option = click.option("--label", default=None, help='A name for the snapshot, e.g. "2026-11 guild meeting".')
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress output.")


class UserError(Exception):
    """A problem the user can fix; shown as one line."""


class Interrupted(Exception):
    """Ctrl-C during a run that kept its work; the message says how to continue."""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="guildboard")
def cli() -> None:
    """guildboard: how consistent your organisation's repositories are, and where they drift."""


# --- collect ---------------------------------------------------------------------------------------


@cli.group()
def collect() -> None:
    """Collect a snapshot of an organisation's repositories."""


@collect.command("local")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@teams_option
@db_option
@label_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Repositories read at once (default: the number of CPUs).",
)
@quiet_option
def collect_local_cmd(
    root: Path, teams_path: Path | None, db_url: str | None, label: str | None, workers: int | None, quiet: bool
) -> None:
    """Collect every git repository under ROOT (at any depth) into a new snapshot.

    A ROOT that holds no git repository is walked as one plain folder instead.
    """
    from concurrent.futures import ThreadPoolExecutor

    from collectors.run import collect_local

    teams_file = _load_teams(teams_path)
    # The database layer loads and the store opens while the first repositories are read; a bad
    # database still stops the run at the next repository, not after minutes of collecting.
    with ThreadPoolExecutor(1, thread_name_prefix="open-store") as opener:
        opening = opener.submit(_open_for_writing, db_url)
        with _progress(quiet) as shown:

            def progress(done: int, total: int, name: str, warnings: int) -> None:
                if not opening.done():
                    return  # nothing shown until the database is known good: an error stays one line
                if opening.exception() is not None:
                    raise opening.exception()  # type: ignore[misc]
                if shown is not None:
                    shown(done, total, name, warnings)

            collection = collect_local(root, teams_file=teams_file, workers=workers, progress=progress)
        store = opening.result()
    from store.db import SnapshotMeta

    snapshot_id = store.write_snapshot(
        SnapshotMeta(collection.taken_at, collection.source, collection.root, label), collection.repos
    )
    click.echo(
        f"snapshot {snapshot_id}: {len(collection.repos)} repositories, "
        f"{collection.warning_count} warnings, taken {collection.taken_at}"
    )


GITHUB_TEAM_ORDER = "teams-file,catalog-info,github-team,codeowners,topic"


@collect.command("github")
@click.argument("org", required=False)
@click.option("--user", "user_name", metavar="NAME", help="Collect a user account's repositories instead of an ORG's.")
@click.option(
    "--base-url",
    default="https://api.github.com",
    show_default=True,
    envvar="GITHUB_API_URL",
    metavar="URL",
    help="API root; for GitHub Enterprise Server https://HOST/api/v3 (env GITHUB_API_URL).",
)
@click.option(
    "--token-env",
    default="GITHUB_TOKEN",
    show_default=True,
    metavar="NAME",
    help="Environment variable holding the token (never give a token on the command line).",
)
@click.option("--app-id", type=int, default=None, metavar="ID", help="GitHub App id (instead of a token).")
@click.option(
    "--app-key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="The GitHub App's private key (PEM file).",
)
@click.option("--installation-id", type=int, default=None, metavar="ID", help="The GitHub App's installation id.")
@click.option("--repo", "include", multiple=True, metavar="GLOB", help="Only repositories matching (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out repositories matching (repeatable).")
@click.option("--include-archived", is_flag=True, help="Archived repositories too.")
@click.option("--include-forks", is_flag=True, help="Forks too.")
@teams_option
@click.option(
    "--team-order",
    default=GITHUB_TEAM_ORDER,
    show_default=True,
    metavar="LIST",
    help="Where a repository's team comes from, first answer wins; leave a source out to ignore it.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=8,
    show_default=True,
    metavar="N",
    help="Repositories read at once.",
)
@click.option("--no-ci", is_flag=True, help="Do not read build health (Actions runs, checks, statuses).")
@click.option(
    "--runs",
    type=click.IntRange(1, 100),
    default=20,
    show_default=True,
    metavar="N",
    help="Latest Actions runs per workflow that count for build health.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 20),
    default=6,
    show_default=True,
    metavar="N",
    help="Tries again after a 5xx answer, a timeout or a dropped connection (backoff doubles, from 0.5 s).",
)
@click.option("--resume", is_flag=True, help="Continue the interrupted run of this ORG (or user).")
@click.option(
    "--run",
    "run_name",
    default=None,
    metavar="RUN_ID",
    help="Collect into the sharded run RUN_ID (e.g. the CI run's id) rather than a snapshot; "
    "`guildboard seal RUN_ID` makes it one once every shard has reported.",
)
@click.option(
    "--shard",
    "shard_text",
    default=None,
    metavar="K/N",
    help="With --run: collect the K-th of N disjoint slices of the repositories (by a hash of the name). "
    "Running a shard again replaces its own part only, reusing what it had finished.",
)
@click.option("--full", is_flag=True, help="Read every repository again, even those whose head did not move.")
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Blob cache (default: beside a SQLite database, else ~/.cache/guildboard).",
)
@db_option
@label_option
@quiet_option
def collect_github_cmd(
    org: str | None,
    user_name: str | None,
    base_url: str,
    token_env: str,
    app_id: int | None,
    app_key: Path | None,
    installation_id: int | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    include_archived: bool,
    include_forks: bool,
    teams_path: Path | None,
    team_order: str,
    workers: int,
    no_ci: bool,
    runs: int,
    retries: int,
    resume: bool,
    run_name: str | None,
    shard_text: str | None,
    full: bool,
    cache_path: Path | None,
    db_url: str | None,
    label: str | None,
    quiet: bool,
) -> None:
    """Collect every repository of a GitHub organisation ORG (or --user NAME) into a new snapshot.

    Needs a token in GITHUB_TOKEN (or --token-env), or a GitHub App (--app-id, --app-key,
    --installation-id). Repositories whose head did not move since the last snapshot are not read
    again; an interrupted run continues with --resume. With --run RUN_ID --shard K/N, N collectors
    (CI runners, one token each) share the organisation; `guildboard seal RUN_ID` then makes the snapshot.
    """
    from collectors.detectors import fingerprint
    from collectors.run_github import GitHubOptions, GitHubStats, collect_github
    from collectors.shard import Shard, ShardError
    from collectors.sources.blob_cache import BlobCache, default_cache_path
    from collectors.sources.github import BlobFetcher, Target, root_name
    from collectors.sources.github_api import Api, ApiError, ApiSettings
    from collectors.teams import TeamOrderError, parse_team_order
    from store.db import SnapshotMeta, database_url, open_store
    from store.journal import JournalWriter

    if bool(org) == bool(user_name):
        raise UserError("name one organisation (ORG) or one user (--user NAME)")
    shard: Shard | None = None
    if shard_text is not None and run_name is None:
        raise UserError("--shard needs --run RUN_ID: the shards of one collection share a run")
    if run_name is not None:
        if resume:
            raise UserError("a sharded run resumes by running the same shard again: leave out --resume")
        if not run_name.strip() or len(run_name) > 128:
            raise UserError("--run: give a RUN_ID of 1 to 128 characters (e.g. the CI run's id)")
        try:
            shard = Shard.parse(shard_text or "1/1")
        except ShardError as err:
            raise UserError(str(err)) from None
    target = Target("user", user_name) if user_name else Target("org", str(org))
    try:
        order = parse_team_order(team_order)
    except TeamOrderError as err:
        raise UserError(str(err)) from None
    credentials = _github_credentials(token_env, app_id, app_key, installation_id)
    teams_file = _load_teams(teams_path)
    url = database_url(db_url)
    store = open_store(url)
    root = root_name(base_url, target)
    detectors = fingerprint()
    taken = datetime.now(UTC)
    journaled: dict = {}
    unfinished = store.unfinished_runs("github", root) if shard is None else []
    run_options = {"include": list(include), "exclude": list(exclude), "ci": not no_ci, "archived": include_archived}
    if shard is not None:
        assert run_name is not None
        run_options |= {"forks": include_forks, "runs": runs, "team_order": list(order)}
        run_id = store.open_shard(
            run_name,
            shard.index,
            shard.count,
            started_at=taken.isoformat(timespec="seconds"),
            source="github",
            root=root,
            detectors=detectors,
            label=label,
            options=run_options,
        )
        journaled = store.journaled(run_id, shard=shard.index)
        if journaled:
            click.echo(
                f"shard {shard} of run {run_name}: {len(journaled)} repositories kept from its earlier try", err=True
            )
    elif resume and unfinished:
        run = unfinished[0]
        run_id, journaled, label = run.id, store.journaled(run.id), label or run.label
        taken = datetime.fromisoformat(run.started_at)
        click.echo(f"resuming the run of {root} started {run.started_at}: {len(journaled)} repositories done", err=True)
    else:
        if resume:
            click.echo(f"no interrupted run of {root} to resume: starting a new one", err=True)
        elif unfinished:
            click.echo(f"note: an interrupted run of {root} is kept; --resume would continue it", err=True)
        run_id = store.start_run(
            "github", root, taken.isoformat(timespec="seconds"), detectors=detectors, label=label, options=run_options
        )
    previous: dict = {}
    last = None if full else store.latest_snapshot("github", root, detectors=detectors)
    if last is not None:
        previous = {r.name: r for r in store.repo_facts(last.id) if shard is None or shard.holds(r.name)}
    _quiet_http_logs()
    cache = BlobCache(cache_path or default_cache_path(url))
    api = Api(credentials, ApiSettings(base_url=base_url.rstrip("/"), retries=retries), cache=cache)
    api.gate.on_wait = lambda resource, seconds: click.echo(
        f"GitHub {resource} rate limit nearly used up: waiting {seconds:.0f} s for its reset", err=True
    )
    fetcher = BlobFetcher(api, cache)
    writer = JournalWriter(store, run_id, shard=shard.index if shard else None)
    stats = GitHubStats()
    options = GitHubOptions(
        target=target,
        include=include,
        exclude=exclude,
        include_archived=include_archived,
        include_forks=include_forks,
        with_ci=not no_ci,
        runs=runs,
        teams_file=teams_file,
        team_order=order,
        workers=workers,
        shard=shard,
    )
    again = "the same command continues" if shard is not None else "the same command with --resume continues"

    def rate() -> str:
        left = api.gate.remaining("core")
        return f"rate limit {left[0]:,}/{left[1]:,}" if left else ""

    try:
        with _progress(quiet, status=rate) as shown:
            collection = collect_github(
                api,
                fetcher,
                options,
                previous=previous,
                journaled=journaled,
                on_record=writer.add,
                progress=shown,
                taken_at=taken,
                stats=stats,
            )
    except KeyboardInterrupt:
        writer.close()
        raise Interrupted(f"interrupted; {len(journaled) + writer.written} repositories are kept: {again}") from None
    except ApiError as err:
        writer.close()
        raise UserError(f"GitHub: {err} (repositories done so far are kept: {again})") from None
    finally:
        writer.close()  # whatever stopped the run, what it finished is kept for --resume
        fetcher.close()
        cache.close()
        api.close()
    for note in stats.notes:
        click.echo(f"note: {note}", err=True)
    requests = sum(v for k, v in api.counts.items() if k != "not-modified")
    done = (
        f"{len(collection.repos)} repositories ({stats.read} read, {stats.carried} unchanged, "
        f"{stats.resumed} resumed), {collection.warning_count} warnings"
    )
    cost = f"{requests} requests, {fetcher.downloaded} files downloaded"
    if shard is not None:
        assert run_name is not None
        store.finish_shard(
            run_id, shard.index, collection.repos, finished_at=datetime.now(UTC).isoformat(timespec="seconds")
        )
        status = store.sharded_run(run_name)
        assert status is not None
        waiting = (
            f"waiting for {_shard_list(status.missing, shard.count)}"
            if status.missing
            else f"every shard has reported: `guildboard seal {run_name}` makes the snapshot"
        )
        click.echo(
            f"run {run_name}, shard {shard}: {done}; {cost}. {len(status.reported)} of {shard.count} shards reported, {waiting}"
        )
        return
    snapshot_id = store.finish_run(
        run_id,
        SnapshotMeta(collection.taken_at, collection.source, collection.root, label, detectors=detectors),
        collection.repos,
    )
    click.echo(f"snapshot {snapshot_id}: {done}, taken {collection.taken_at}; {cost}")


def _shard_list(shards: list[int], count: int) -> str:
    names = [f"{k}/{count}" for k in shards]
    return ("shard " if len(names) == 1 else "shards ") + ", ".join(names)


@cli.command()
@click.argument("run_name", metavar="RUN_ID")
@db_option
@click.option(
    "--label", default=None, metavar="TEXT", help="The snapshot's label (default: the one the shards were given)."
)
def seal(run_name: str, db_url: str | None, label: str | None) -> None:
    """Turn the sharded run RUN_ID into one snapshot, once every shard has reported.

    Readers never see a run before it is sealed. Sealing again is harmless (it names the snapshot);
    a shard that has not reported is named, and nothing is written.
    """
    from store.db import open_store

    store = open_store(db_url, create=False)
    snapshot_id, sealed_now = store.seal(
        run_name, sealed_at=datetime.now(UTC).isoformat(timespec="seconds"), label=label
    )
    snap = store.resolve_snapshot(snapshot_id)
    what = (
        f"snapshot {snapshot_id}: {snap.repo_count} repositories, {snap.warning_count} warnings, taken {snap.taken_at}"
    )
    click.echo(f"run {run_name} sealed: {what}" if sealed_now else f"run {run_name} was sealed already: {what}")


def _quiet_http_logs() -> None:
    """PyGithub and urllib3 log each retry; the run reports what matters itself (warnings on the
    repository, waits for the rate limit). GUILDBOARD_DEBUG=1 keeps their logs."""
    import logging

    if not os.environ.get("GUILDBOARD_DEBUG"):
        for name in ("github", "urllib3"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _github_credentials(token_env: str, app_id: int | None, app_key: Path | None, installation_id: int | None):
    from collectors.sources.github_api import Credentials

    app = (app_id, app_key, installation_id)
    if any(v is not None for v in app):
        if not all(v is not None for v in app):
            raise UserError("a GitHub App needs --app-id, --app-key and --installation-id together")
        try:
            key = Path(app_key).read_text(encoding="utf-8")  # type: ignore[arg-type]
        except (OSError, UnicodeDecodeError) as err:
            raise UserError(f"cannot read the GitHub App key {app_key}: {getattr(err, 'strerror', err)}") from None
        return Credentials(app_id=app_id, app_key=key, installation_id=installation_id)
    token = os.environ.get(token_env, "").strip()
    if not token:
        raise UserError(
            f"no GitHub token: set {token_env} (a fine-grained token with read access to contents, metadata, "
            "actions and commit statuses, and members for teams; see the README), or use a GitHub App"
        )
    return Credentials(token=token)


def _open_for_writing(db_url: str | None):
    from store.db import open_store

    return open_store(db_url)


def _load_teams(path: Path | None):
    from collectors.teams import TeamsFile, TeamsFileError

    if path is None:
        return None
    try:
        return TeamsFile.load(path)
    except TeamsFileError as err:
        raise UserError(str(err)) from None


class _progress:
    """Progress on stderr: a rich bar on a terminal (repos done, current repository, warnings so far),
    plain lines elsewhere (CI logs): one at the start, then one every `PLAIN_EVERY` seconds."""

    PLAIN_EVERY = 10.0

    def __init__(self, quiet: bool, status: Callable[[], str] | None = None) -> None:
        self.quiet = quiet
        self.status = status
        self.bar = None
        self.task = None
        self.last_line = 0.0
        self.started = False

    def __enter__(self):
        if self.quiet:
            return None
        if not sys.stderr.isatty():
            return self.plain
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("[bold]collecting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[warnings]} warnings"),
            TextColumn("{task.fields[status]}"),
            TextColumn("[dim]{task.fields[current]}"),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("collect", total=None, warnings=0, current="", status="")
        return self.update

    def update(self, done: int, total: int, name: str, warnings: int) -> None:
        assert self.bar is not None and self.task is not None
        status = self.status() if self.status is not None else ""
        self.bar.update(self.task, completed=done, total=total, current=name, warnings=warnings, status=status)

    def plain(self, done: int, total: int, name: str, warnings: int) -> None:
        now = time.monotonic()
        if not self.started:
            click.echo(f"collecting {total} repositories", err=True)
            self.started = True
        elif now - self.last_line >= self.PLAIN_EVERY and done < total:
            status = f"; {self.status()}" if self.status is not None and self.status() else ""
            click.echo(f"collected {done}/{total} ({warnings} warnings{status})", err=True)
        else:
            return
        self.last_line = now

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# --- guildboard check ----------------------------------------------------------------------------------


@cli.command()
@click.argument("path", required=False, default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--standards",
    "standards_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="The guild's standards file (see data/standards.example.yaml).",
)
@click.option("--team", default=None, help="The repository's team (default: from catalog-info.yaml or CODEOWNERS).")
@click.option(
    "--name",
    "repo_name",
    default=None,
    envvar="GITHUB_REPOSITORY",
    metavar="OWNER/NAME",
    help="The repository's name, as standards and waivers match it (env GITHUB_REPOSITORY; default: the folder's).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for workflow annotations, sarif for code scanning.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["info", "low", "medium", "high", "critical"]),
    default="low",
    show_default=True,
    help="The lowest severity of a failing finding that fails the check (exit 1).",
)
@click.option("--out", default="-", show_default=True, metavar="FILE|-", help="Where to write; - for stdout.")
def check(
    path: Path, standards_path: Path, team: str | None, repo_name: str | None, fmt: str, fail_on: str, out: str
) -> None:
    """Evaluate one repository on disk against the standards, for that repository's own CI.

    Exit 0 when it passes, 1 on a failing finding at or above --fail-on, 2 on a configuration error.
    """
    from collectors.run import collect_view
    from collectors.sources.local import open_local
    from reports.check_output import CheckReport, render
    from standards.evaluate import evaluate, utc_today
    from standards.levels import repo_levels
    from standards.load import StandardsError, load_standards
    from store.frames import frames_from_records

    try:
        standards = load_standards(standards_path)
    except StandardsError as err:
        raise UserError(f"the standards file has problems:\n{err}") from None
    view = open_local(path, path.resolve().parent)
    try:
        record = collect_view(view)
    finally:
        view.close()
    record.name = repo_name or path.resolve().name
    if team:
        record.team, record.team_source = team, "option"
    results = evaluate(standards, frames_from_records([record]), today=utc_today())
    levels = repo_levels(standards, results)
    level = str(levels["level"].iloc[0]) if len(levels) else "none"
    report = CheckReport(record.name, record.team, level, results, fail_on)
    _write(render(report, fmt, standards), out)
    if report.exit_code:
        sys.exit(report.exit_code)


def _write(content: str | bytes, out: str) -> None:
    """To stdout, or to a file written whole or not at all."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if out == "-":
        click.get_binary_stream("stdout").write(data)
        return
    target = Path(out)
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {out}: {err.strerror}") from None
    click.echo(f"wrote {out}", err=True)


# --- snapshots and export --------------------------------------------------------------------------


@cli.command()
@db_option
def snapshots(db_url: str | None) -> None:
    """List the snapshots in the database, newest first."""
    from store.db import open_store

    snaps = open_store(db_url, create=False).snapshots()
    if not snaps:
        click.echo("no snapshot yet: run `guildboard collect local ROOT`")
        return
    click.echo(f"{'id':>5}  {'taken at (UTC)':<25}  {'source':<7} {'repos':>6} {'warnings':>8}  root / label")
    for s in snaps:
        label = f"  [{s.label}]" if s.label else ""
        click.echo(
            f"{s.id:>5}  {s.taken_at:<25}  {s.source:<7} {s.repo_count:>6} {s.warning_count:>8}  {s.root}{label}"
        )


@cli.group()
def db() -> None:
    """The database's schema: where it stands, and upgrading it after installing a newer guildboard."""


@db.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """Apply the schema migrations the database lacks (back it up first); create the tables in a new
    or empty database. Safe to run again."""
    from store.db import database_url, safe_url, upgrade_database

    before, after = upgrade_database(db_url)
    where = safe_url(database_url(db_url))
    if before is None:
        click.echo(f"created guildboard's tables in {where}, at {after}")
    elif before == after:
        click.echo(f"{where} is at {after}, this guildboard's: nothing to do")
    else:
        click.echo(f"upgraded {where} from {before} to {after}")


@db.command("status")
@db_option
def db_status(db_url: str | None) -> None:
    """Say which schema revision the database is at, and whether it needs `guildboard db upgrade`."""
    from store import schema
    from store.db import database_revision, database_url, safe_url

    found = database_revision(db_url)
    where = safe_url(database_url(db_url))
    if found.current:
        click.echo(f"{where}: {found}, this guildboard's")
    elif found.known or found.revision is None:
        click.echo(f"{where}: {found}; this guildboard's is {schema.HEAD_REVISION}: run `guildboard db upgrade`")
    else:
        click.echo(f"{where}: {found}, newer than this guildboard ({schema.HEAD_REVISION}): upgrade guildboard")


@cli.group()
def export() -> None:
    """Export a snapshot's facts."""


@export.command("json")
@click.option(
    "--snapshot",
    "snapshot_ref",
    default="latest",
    show_default=True,
    metavar="ID|latest|label:TEXT",
    help="Which snapshot to export.",
)
@click.option("--out", "out", default="-", show_default=True, metavar="FILE|-", help="Where to write; - for stdout.")
@db_option
def export_json(snapshot_ref: str, out: str, db_url: str | None) -> None:
    """Write one snapshot as JSON, in the format of reports/schema/export.schema.json."""
    from reports.export_json import dumps, export_document
    from store.db import open_store

    store = open_store(db_url, create=False)
    _write(dumps(export_document(store, store.resolve_snapshot(snapshot_ref))), out)


# --- reports ---------------------------------------------------------------------------------------

#: The report formats, as `reports.formats.FORMATS` names them (kept here so `--help` imports nothing heavy;
#: a test holds the two equal).
REPORT_FORMATS = ("pptx", "html", "xlsx", "csv", "md", "json", "pdf")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default=None,
    help="pptx: the meeting deck (native charts); html: one offline page; xlsx: a sheet per table; "
    "csv: a zip of the tables; md: a summary for a wiki or chat; json: facts and findings; pdf: the HTML "
    "printed by Chromium. Default: from --out's extension.",
)
@click.option(
    "--snapshot",
    "snapshot_ref",
    default="latest",
    show_default=True,
    metavar="ID|latest|label:TEXT",
    help="The snapshot reported on.",
)
@click.option(
    "--compare",
    "compare_ref",
    default="previous",
    show_default=True,
    metavar="ID|previous|label:TEXT|none",
    help="The snapshot the deltas and the changes are measured from; previous: the one taken before.",
)
@click.option("--team", "teams", multiple=True, metavar="TEAM", help="Only this team's repositories (repeatable).")
@click.option(
    "--standards",
    "standards_path",
    envvar=STANDARDS_ENV,
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help=f"The guild's standards file (env {STANDARDS_ENV}); without one the report holds facts only.",
)
@click.option(
    "--template",
    "template",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="DECK.pptx",
    help="A company deck whose master slides and layouts the PPTX report uses.",
)
@click.option("--title", default="Guild standards report", show_default=True, help="The report's title.")
@click.option("--out", "out", required=True, metavar="FILE|-", help="Where to write; - for stdout.")
@db_option
def report(
    fmt: str | None,
    snapshot_ref: str,
    compare_ref: str,
    teams: tuple[str, ...],
    standards_path: Path | None,
    template: Path | None,
    title: str,
    out: str,
    db_url: str | None,
) -> None:
    """Write a report of a snapshot: the meeting deck, an HTML page, a spreadsheet, CSV, Markdown, JSON or PDF."""
    if fmt is None:
        fmt = _format_from_name(out)
    if template is not None and fmt != "pptx":
        raise UserError("--template applies to --format pptx only")
    from reports.formats import RenderOptions, ReportError, get
    from standards.load import StandardsError
    from standards.report import report_from_store
    from store.db import open_store

    store = open_store(db_url, create=False)
    try:
        content = report_from_store(store, snapshot_ref=snapshot_ref, compare_ref=compare_ref, teams=teams,
                                    standards_path=standards_path, title=title)  # fmt: skip
    except StandardsError as err:
        raise UserError(f"the standards file has problems:\n{err}") from None
    except OSError as err:
        raise UserError(f"cannot read {standards_path}: {err.strerror}") from None
    try:
        data = get(fmt).render(content, RenderOptions(template=template))
    except ReportError as err:
        raise UserError(str(err)) from None
    _write(data, out)


def _format_from_name(out: str) -> str:
    """`deck.pptx` -> pptx, `tables.zip` -> csv, `summary.markdown` -> md; otherwise ask for --format."""
    suffix = Path(out).suffix.lower().lstrip(".")
    by_suffix = {"pptx": "pptx", "html": "html", "htm": "html", "xlsx": "xlsx", "zip": "csv", "csv": "csv",
                 "md": "md", "markdown": "md", "json": "json", "pdf": "pdf"}  # fmt: skip
    if out == "-" or suffix not in by_suffix:
        raise UserError(f"say which format to write: --format {'|'.join(REPORT_FORMATS)}")
    return by_suffix[suffix]


# --- the dashboard ---------------------------------------------------------------------------------


@cli.command()
@db_option
@click.option(
    "--address",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; the data names private repositories, so only this machine by default. Any "
    "other address needs the login ([auth] in --secrets, and --allow) or --no-login.",
)
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--standards",
    "standards_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="The guild's standards file the dashboard judges by (env GUILDBOARD_STANDARDS); without one, "
    "the dashboard shows facts only.",
)
@click.option(
    "--secrets",
    "secrets_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Streamlit's secrets.toml; its [auth] section turns the login on (default: "
    "~/.streamlit/secrets.toml, if there is one).",
)
@click.option(
    "--allow",
    "allow",
    multiple=True,
    metavar="EMAIL|@DOMAIN",
    help="Who may see the dashboard after logging in: an address or a whole @domain; repeat, or "
    "comma-separate (env GUILDBOARD_ALLOW). Needs [auth] in the secrets.",
)
@click.option(
    "--no-login",
    is_flag=True,
    help="Serve a non-loopback --address without a login: anyone who reaches it sees every repository.",
)
def serve(
    db_url: str | None,
    address: str,
    port: int,
    standards_path: Path | None,
    secrets_path: Path | None,
    allow: tuple[str, ...],
    no_login: bool,
) -> None:
    """Run the dashboard (Streamlit) on the database."""
    _serve(db_url, address, port, standards_path, secrets_path=secrets_path, allow=allow, no_login=no_login)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _login_settings(
    secrets_path: Path | None, allow: tuple[str, ...], address: str, no_login: bool
) -> tuple[list[Path], AllowList | None]:
    """The secrets files Streamlit is to read, and the allow-list (None: no login). Refuse a login
    half configured, and a dashboard open to the network without one unless asked."""
    import tomllib

    from pages.access import ALLOW_ENV, AccessError, AllowList, auth_problems

    if secrets_path is not None:
        if not secrets_path.is_file():
            raise UserError(f"no secrets file at {secrets_path}")
        files = [secrets_path.resolve()]
    else:
        app_dir = Path(__file__).parent  # Streamlit runs there, and reads its .streamlit/ too
        defaults = (Path.home() / ".streamlit" / "secrets.toml", app_dir / ".streamlit" / "secrets.toml")
        files = [f for f in defaults if f.is_file()]
    auth: dict | None = None
    for file in files:
        try:
            found = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as err:
            raise UserError(f"cannot read the secrets file {file}: {err.__class__.__name__}") from None
        except tomllib.TOMLDecodeError as err:  # its message names the line, never a value
            raise UserError(f"the secrets file {file} is not TOML: {err}") from None
        if isinstance(found.get("auth"), dict):
            auth = found["auth"]
    try:
        allowed = AllowList.parse(allow or [os.environ.get(ALLOW_ENV, "")])
    except AccessError as err:
        raise UserError(str(err)) from None
    if auth is not None:
        if no_login:
            raise UserError(f"--no-login, but {files[-1]} configures a login ([auth]): drop one of them")
        problems = auth_problems(auth)
        if problems:
            raise UserError(f"the login in {files[-1]} cannot work: " + "; ".join(problems))
        if not allowed:
            raise UserError(
                f"{files[-1]} configures a login ([auth]) but no one is allowed in: "
                f"give --allow EMAIL|@DOMAIN (or {ALLOW_ENV})"
            )
        return files, allowed
    if allowed:
        raise UserError(
            "--allow needs a login: an [auth] section (Streamlit's OIDC settings) in the secrets file "
            "given with --secrets; see docs/deployment.md"
        )
    if address not in LOOPBACK and not no_login:
        raise UserError(
            f"--address {address} would show every repository to anyone who reaches it: configure the "
            "login (--secrets with [auth], and --allow), or pass --no-login if something in front of "
            "guildboard does that"
        )
    return files, None


def _serve(
    db_url: str | None,
    address: str,
    port: int,
    standards_path: Path | None = None,
    *,
    secrets_path: Path | None = None,
    allow: tuple[str, ...] = (),
    no_login: bool = False,
) -> None:
    from pages.access import ALLOW_ENV
    from standards.load import StandardsError, load_standards
    from store.db import absolute_url, database_url, open_store, safe_url

    secrets, allowed = _login_settings(secrets_path, allow, address, no_login)
    url = database_url(db_url)
    open_store(url, create=False)  # a clear message now rather than an error page later
    url = absolute_url(url)  # Streamlit runs beside app.py, not in the user's folder
    app = Path(__file__).with_name("app.py")
    env = {**os.environ, DB_ENV: url}
    env.pop(ALLOW_ENV, None)
    named = standards_path or (Path(os.environ[STANDARDS_ENV]) if os.environ.get(STANDARDS_ENV) else None)
    if named is not None:
        if not named.is_file():
            raise UserError(f"no standards file at {named}")
        try:
            load_standards(named)
        except StandardsError as err:  # the dashboard would show the same list; say it now
            raise UserError(f"the standards file has problems:\n{err}") from None
        env[STANDARDS_ENV] = str(named.resolve())
    local = address in LOOPBACK
    if allowed is not None:
        env[ALLOW_ENV] = allowed.to_env()
        entries = len(allowed)
        where = f"login required, {entries} allow-list {'entry' if entries == 1 else 'entries'}"
    elif local:
        where = "only this machine, no login"
    else:
        where = f"anyone reaching {address}: no login (--no-login)"
        click.echo(f"warning: no login: anyone who reaches {address}:{port} sees every repository", err=True)
    click.echo(
        f"guildboard on http://{'localhost' if local else address}:{port} "
        f"({where}; database {safe_url(url)}). Ctrl-C stops it."
    )
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    for file in secrets:
        cmd += ["--secrets.files", str(file)]
    try:
        raise SystemExit(subprocess.call(cmd, env=env, cwd=app.parent))
    except KeyboardInterrupt:
        raise SystemExit(0) from None


# --- the demo organisation ---------------------------------------------------------------------------


@cli.command()
@click.option("--repos", default=64, show_default=True, type=click.IntRange(1, 100_000), help="Repositories.")
@click.option("--teams", default=8, show_default=True, type=click.IntRange(1, 1000), help="Teams.")
@click.option(
    "--history",
    default=6,
    show_default=True,
    type=click.IntRange(0, 60),
    help="Dated evolution steps after the first, each stored as a snapshot.",
)
@click.option("--seed", default=7, show_default=True, type=int, help="Same seed, same organisation.")
@click.option(
    "--root",
    default=str(DEMO_ROOT),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the demo repositories are built (wiped first).",
)
@click.option(
    "--db",
    "db_url",
    default=DEMO_DB,
    show_default=True,
    metavar="URL",
    help="The demo's own database (rebuilt), so it never mixes with a real organisation's.",
)
@click.option(
    "--standards",
    "standards_path",
    default=str(DEMO_STANDARDS),
    show_default="data/standards.example.yaml",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="The guild's standards the demo is measured against.",
)
@click.option("--serve/--no-serve", "then_serve", default=False, help="Open the dashboard afterwards.")
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535))
def demo(
    repos: int,
    teams: int,
    history: int,
    seed: int,
    root: Path,
    db_url: str,
    standards_path: Path,
    then_serve: bool,
    port: int,
) -> None:
    """Build the demo organisation, collect each step of its history, optionally serve it."""
    from collectors.run import collect_local
    from demo import build_demo
    from demo.generate import MARKER
    from store.db import SnapshotMeta, open_store

    if root.exists() and any(root.iterdir()) and not (root / MARKER).exists():
        raise UserError(f"{root} is not empty and was not built by `guildboard demo`: choose another --root")
    _reset_sqlite(db_url)
    store = open_store(db_url)
    started = datetime.now()
    for step in build_demo(root, repos=repos, teams=teams, history=history, seed=seed):
        collection = collect_local(root, taken_at=step.date)
        sid = store.write_snapshot(
            SnapshotMeta(collection.taken_at, "local", collection.root, step.label), collection.repos
        )
        click.echo(f"snapshot {sid} {step.date:%Y-%m-%d}: {len(collection.repos)} repositories; {step.summary}")
    click.echo(f"demo built and collected in {(datetime.now() - started).total_seconds():.1f} s")
    click.echo(_standards_summary(store, standards_path))
    if then_serve:
        _serve(db_url, "127.0.0.1", port, standards_path)


def _standards_summary(store, standards_path: Path) -> str:
    """One line on how the newest snapshot measures up, and the meeting's agenda since the one before."""
    from standards.diff import diff_snapshots
    from standards.evaluate import evaluate, utc_today
    from standards.levels import compliance, level_distribution, repo_levels
    from standards.load import StandardsError, load_standards
    from store.frames import load_frames

    try:
        standards = load_standards(standards_path)
    except StandardsError as err:
        raise UserError(f"the standards file has problems:\n{err}") from None
    snaps = store.snapshots()
    today = utc_today()
    new = load_frames(store, snaps[0].id)
    results = evaluate(standards, new, today=today)
    overall = compliance(results, by=())
    passing = float(overall["share_passing"].iloc[0]) if len(overall) else 0.0
    levels = level_distribution(repo_levels(standards, results))
    spread = ", ".join(f"{row.level} {row.count}" for row in levels.itertuples())
    line = f"standards ({standards_path.name}): {passing:.0%} of applicable findings pass; levels: {spread}"
    if len(snaps) > 1:
        old = load_frames(store, snaps[1].id)
        diff = diff_snapshots(
            old, new, standards, old_results=evaluate(standards, old, today=today), new_results=results, today=today
        )
        agenda = diff.summary()
        line += (
            f"; since the previous snapshot {agenda['findings_new']} new findings, "
            f"{agenda['findings_resolved']} resolved, {agenda['waivers_expired']} waivers expired"
        )
    return line


def _reset_sqlite(db_url: str) -> None:
    """The demo rebuilds its database from nothing; refuse to wipe anything but a SQLite file."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise UserError("the demo keeps its own SQLite file: give --db sqlite:///PATH")
    for suffix in ("", "-wal", "-shm"):
        Path(url.database + suffix).unlink(missing_ok=True)


# --- entry point -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Console script: run the command, turn known failures into one line and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="guildboard", standalone_mode=False)
    except click.exceptions.Abort:
        _fail("interrupted; nothing was written", 130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted; nothing was written", 130)
    except Interrupted as err:
        _fail(str(err), 130)
    except (UserError, StoreError) as err:
        _fail(str(err), 2)
    except Exception as err:
        if os.environ.get("GUILDBOARD_DEBUG"):
            raise
        _fail(f"unexpected error: {type(err).__name__}: {err} (GUILDBOARD_DEBUG=1 shows the traceback)", 1)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"guildboard: {message}", err=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
