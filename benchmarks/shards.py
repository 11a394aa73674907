"""Benchmark: `guildboard collect github` as 1 shard and as 4 shards at once into one PostgreSQL, and sealing.

Serves a generated organisation (the demo generator's repositories, built once and kept like
`collect_local.py`'s) from the fake GitHub in `tests/fake_github.py` with `--latency` seconds added to
every answer, starts a throwaway PostgreSQL (`tools/pgcluster.py`) and measures, in one run, the real
commands in fresh processes:

1. baseline: one unsharded `collect github` (no --run) into its own database;
2. 1 shard: `collect github --run R1 --shard 1/1`, then `seal R1`, into a second database;
3. 4 shards: `collect github --run R4 --shard k/4` for k = 1..4 started at once into a third database,
   timed until the last one finishes (and each on its own), then `seal R4`.

Every collection starts from an empty blob cache (a fresh `--cache` file), an empty database (schema
made beforehand, so nothing reuses an earlier snapshot) and a fresh fake GitHub (its per-head caches and
git processes cold), so the three are comparable. Each process gets `--workers` threads: 4 shards keep
4 times as many requests in flight, which is the point of sharding on separate CI runners.

The fake's rate limit is raised (`--rate-limit`): 4,000 repositories take about 9,000 requests, more
than the 5,000 an hour GitHub grants a token, and at GitHub's figure the collector paces itself towards
the reset, which is not what this measures. (On GitHub, shards with a token each, as the deployment
guide has them, also split that budget.)

Prints wall time, the ratio to the baseline, requests served, and where the CPU went: the collectors'
own (rusage of the processes), the fake GitHub's (this process's CPU time: its HTTP threads; and its
`git` child processes), PostgreSQL's (the postmaster's own and its exited backends') and the machine's
busy share. Then checks that the 4-shard snapshot holds the same repositories as the 1-shard and the
baseline ones, and fails if not.

What limits the speed-up here: the fake GitHub, not the collectors. At 30 ms per request one collector
with 8 workers would wait about 30 s for 8,400 requests; it takes minutes because every answer also
costs the fake about 13 ms of Python (GraphQL, trees, synthesised runs) in one process whose threads
share one GIL, beside the `git` processes it starts. With 4 collectors the fake gets 4 times the
concurrent requests but still answers them one at a time under its GIL, and spends more CPU per
request on switching between threads. So requests per second stay where one collector had them, each
collector sits mostly idle, and the machine (2 cores when written; collectors, fake and PostgreSQL
all on it) is not saturated either: when wall time does not fall with more shards while `collector`
CPU is a small part of it and `busy` is well under 100 %, the one shared thing left is the fake. On
GitHub, with shards on separate runners, that ceiling is not there; this run shows the sharded path
costs little (requests, sealing) and loses nothing, not how fast it is there.

4. So a last step takes the one process away: N shards again against N fake GitHubs of the same
   organisation in N processes sharing one port (SO_REUSEPORT: the kernel spreads the connections
   over them, as GitHub's load balancers do over its servers), then `seal`. What is left to share
   is the machine's cores and PostgreSQL, so the speed-up there is bounded by the cores, not by a GIL.

    .venv/bin/python benchmarks/shards.py [--repos 4000] [--latency 0.03] [--workers 8] [--shards 4] [--rate-limit N]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.collect_github import TOKEN  # noqa: E402
from benchmarks.collect_local import organisation  # noqa: E402
from store.db import open_store  # noqa: E402
from tests.fake_github import FakeGitHub  # noqa: E402
from tools.pgcluster import start, stop  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
CPUS = os.cpu_count() or 1


@dataclass
class Proc:
    """One finished guildboard process: its wall seconds from the common start, CPU seconds, output."""

    wall: float
    cpu: float
    out: str


@dataclass
class Step:
    label: str
    wall: float
    collector_cpu: float
    requests: int = 0
    fake_cpu: float = 0.0  # this process: the fake GitHub's threads
    git_cpu: float = 0.0  # the fake GitHub's git children
    pg_cpu: float = 0.0
    busy: float = 0.0  # CPU seconds the whole machine was busy
    procs: list[Proc] = field(default_factory=list)

    @property
    def other(self) -> float:
        """Busy CPU nobody above accounts for: the kernel, PostgreSQL's live background processes, anyone else."""
        return self.busy - self.collector_cpu - self.fake_cpu - self.git_cpu - self.pg_cpu


def guildboard(*args: str) -> list[str]:
    return [sys.executable, "-c", "import cli; cli.main()", *args]


def run_all(commands: list[list[str]]) -> list[Proc]:
    """Start every command at once; each one's wall time (until it exits) and CPU time (os.wait4)."""
    env = {**os.environ, "GITHUB_TOKEN": TOKEN}
    with ExitStack() as stack:
        files = [(stack.enter_context(tempfile.TemporaryFile("w+")), stack.enter_context(tempfile.TemporaryFile("w+")))
                 for _ in commands]  # fmt: skip
        started = time.perf_counter()
        procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=err)
                 for cmd, (out, err) in zip(commands, files, strict=True)]  # fmt: skip

        def wait(proc: subprocess.Popen[bytes]) -> tuple[float, float]:
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return time.perf_counter() - started, usage.ru_utime + usage.ru_stime

        with ThreadPoolExecutor(len(procs)) as pool:
            waited = list(pool.map(wait, procs))
        done = []
        for cmd, proc, (out, err), (wall, cpu) in zip(commands, procs, files, waited, strict=True):
            out.seek(0)
            err.seek(0)
            if proc.returncode != 0:
                raise SystemExit(f"`guildboard {' '.join(cmd[3:])}` failed ({proc.returncode}): {err.read().strip()}")
            done.append(Proc(wall, cpu, out.read().strip()))
        return done


def machine_busy() -> float:
    """CPU seconds the machine has spent busy since boot (all cores, /proc/stat)."""
    with open("/proc/stat", encoding="ascii") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = values[:7]
    return (user + nice + system + irq + softirq) / TICK  # not idle, iowait nor steal (another guest's)


def postgres_cpu(cluster: Path) -> float:
    """The postmaster's CPU seconds plus those of its exited children (backends of closed connections)."""
    pid = (cluster / "data" / "postmaster.pid").read_text(encoding="ascii").split()[0]
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / TICK  # utime stime cutime cstime


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


FAKE_PROCESS = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tests.fake_github import FakeGitHub
fake = FakeGitHub.from_local_root(Path(sys.argv[2]), "acme", tokens=[sys.argv[3]], rate_limit=int(sys.argv[4]))
fake.start(int(sys.argv[6]))
fake.faults.latency = float(sys.argv[5])
print(fake.base_url, flush=True)
sys.stdin.read()  # serve until the benchmark closes our stdin
print(fake.total, flush=True)
fake.stop()
"""


class FakeProcesses:
    """N fake GitHubs serving the same organisation on one port, each in a process of its own (its
    own GIL), the kernel spreading connections over them (SO_REUSEPORT), as a load balancer spreads
    them over GitHub's servers: one address for every shard, no single Python process behind it."""

    def __init__(self, root: Path, n: int, latency: float, rate_limit: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        cmd = [
            sys.executable,
            "-c",
            FAKE_PROCESS,
            str(ROOT),
            str(root),
            TOKEN,
            str(rate_limit),
            str(latency),
            str(port),
        ]
        self.procs = [subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(n)]
        urls = {proc.stdout.readline().strip() for proc in self.procs}
        if len(urls) != 1:
            raise SystemExit(f"the fakes did not come up on one port: {sorted(urls)}")
        self.base_url = urls.pop()
        self._total: int | None = None

    @property
    def total(self) -> int:
        """Requests served by all of them (they are stopped to count: call it once the shards are done)."""
        if self._total is None:
            self._total = 0
            for proc in self.procs:
                out, _ = proc.communicate("", timeout=120)
                self._total += int(out.split()[-1])
        return self._total

    def stop(self) -> None:
        self.total  # noqa: B018 - stops and reaps them (their CPU, git children included, is then ours to count)


def measure(
    label: str, cluster: Path, fake: FakeGitHub | FakeProcesses | None, action: Callable[[], list[Proc]]
) -> Step:
    """Run `action` (processes started at once) and account for the CPU it cost, wherever it was spent.
    The fake GitHub, when given, is stopped inside the window, so its git children are reaped and counted."""
    before = (time.process_time(), children_cpu(), postgres_cpu(cluster), machine_busy())
    started = time.perf_counter()
    procs = action()
    wall = time.perf_counter() - started
    requests = 0
    if fake is not None:
        requests = fake.total
        fake.stop()
    time.sleep(0.5)  # let PostgreSQL reap the backends of the connections just closed
    after = (time.process_time(), children_cpu(), postgres_cpu(cluster), machine_busy())
    collector = sum(p.cpu for p in procs)
    return Step(
        label,
        wall,
        collector,
        requests=requests,
        fake_cpu=after[0] - before[0],
        git_cpu=after[1] - before[1] - collector,
        pg_cpu=after[2] - before[2],
        busy=after[3] - before[3],
        procs=procs,
    )


def create_database(admin_url: str, name: str) -> str:
    """A new empty database on the cluster, with guildboard's schema; its URL."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    open_store(url).engine.dispose()
    return url


def repo_names(url: str) -> list[str]:
    """The repository names of the database's one snapshot."""
    store = open_store(url, create=False)
    try:
        snaps = store.snapshots()
        if len(snaps) != 1:
            raise SystemExit(f"expected one snapshot in {url}, found {len(snaps)}")
        return sorted(r.name for r in store.repo_facts(snaps[0].id))
    finally:
        store.engine.dispose()


def requests_of(out: str) -> int:
    """The request count a collector reports in its summary line (`...; 1234 requests, ...`)."""
    found = re.search(r"(\d+) requests", out)
    return int(found[1]) if found else 0


def show(steps: list[Step], baseline: float) -> None:
    print(f"{'step':<34}{'wall s':>8}{'x base':>8}{'requests':>10}"
          f"{'collector':>11}{'fake py':>9}{'fake git':>10}{'postgres':>10}{'other':>8}{'busy':>7}")  # fmt: skip
    print(f"{'':<60}{'-- CPU seconds -----------------------------------':>53}")
    for s in steps:
        share = s.busy / (s.wall * CPUS) if s.wall else 0.0
        print(f"{s.label:<34}{s.wall:8.1f}{s.wall / baseline:8.2f}{s.requests:10d}"
              f"{s.collector_cpu:11.1f}{s.fake_cpu:9.1f}{s.git_cpu:10.1f}{s.pg_cpu:10.1f}{s.other:8.1f}{share:7.0%}")  # fmt: skip


def compare(names: dict[str, list[str]]) -> None:
    """Fail loudly unless every snapshot holds the same repositories."""
    (first, reference), *others = names.items()
    for label, got in others:
        missing, extra = sorted(set(reference) - set(got)), sorted(set(got) - set(reference))
        same = len(got) == len(reference) and not missing and not extra
        print(f"{label}: {len(got)} repositories, {first}: {len(reference)}: {'same names' if same else 'DIFFERENT'}")
        if not same:
            raise SystemExit(
                f"{label} differs from {first}: {len(missing)} missing (e.g. {missing[:5]}), "
                f"{len(extra)} extra (e.g. {extra[:5]}), {len(got) - len(set(got))} duplicated"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=4000)
    parser.add_argument("--teams", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency", type=float, default=0.03, help="seconds added to every answer")
    parser.add_argument("--workers", type=int, default=8, help="threads per collector process")
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--rate-limit", type=int, default=1_000_000,
                        help="the fake's requests per hour per token (GitHub's is 5,000)")  # fmt: skip
    args = parser.parse_args()

    root = organisation(args.repos, args.teams, args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="guildboard-shards-"))
    tmp.chmod(0o755)  # the cluster runs as `postgres` when we are root: it must reach its folder
    cluster = tmp / "pg"
    try:
        admin = start(cluster)
        print(f"{len(list(root.glob('**/.git')))} repositories, {args.latency * 1000:.0f} ms per request, "
              f"{args.workers} workers per process, {CPUS} CPUs, PostgreSQL at {admin}")  # fmt: skip
        n = args.shards

        def serve() -> FakeGitHub:
            fake = FakeGitHub.from_local_root(root, "acme", tokens=[TOKEN], rate_limit=args.rate_limit).start()
            fake.faults.latency = args.latency
            return fake

        def collect(fake: FakeGitHub | FakeProcesses, db: str, cache: str, *extra: str) -> list[str]:
            return guildboard("collect", "github", "acme", "--base-url", fake.base_url, "--db", db,
                              "--cache", str(tmp / f"{cache}.sqlite"), "--workers", str(args.workers), "--quiet",
                              *extra)  # fmt: skip

        steps: list[Step] = []
        dbs = {"baseline": create_database(admin, "baseline"), "1 shard": create_database(admin, "one"),
               f"{n} shards": create_database(admin, "many"), "apart": create_database(admin, "apart")}  # fmt: skip

        fake = serve()
        baseline = collect(fake, dbs["baseline"], "baseline")
        steps.append(measure("baseline: 1 process, no run", cluster, fake, lambda: run_all([baseline])))

        fake = serve()
        one = collect(fake, dbs["1 shard"], "one", "--run", "R1", "--shard", "1/1")
        steps.append(measure("1 shard: collect", cluster, fake, lambda: run_all([one])))
        seal_one = guildboard("seal", "R1", "--db", dbs["1 shard"])
        steps.append(measure("1 shard: seal", cluster, None, lambda: run_all([seal_one])))

        fake = serve()
        shards = [collect(fake, dbs[f"{n} shards"], f"shard-{k}", "--run", f"R{n}", "--shard", f"{k}/{n}")
                  for k in range(1, n + 1)]  # fmt: skip
        many = measure(f"{n} shards: collect (until the last)", cluster, fake, lambda: run_all(shards))
        steps.append(many)
        seal_many = guildboard("seal", f"R{n}", "--db", dbs[f"{n} shards"])
        steps.append(measure(f"{n} shards: seal", cluster, None, lambda: run_all([seal_many])))

        fakes = FakeProcesses(root, n, args.latency, args.rate_limit)
        apart = [collect(fakes, dbs["apart"], f"apart-{k}", "--run", f"A{n}", "--shard", f"{k}/{n}")
                 for k in range(1, n + 1)]  # fmt: skip
        steps.append(measure(f"{n} shards, a fake each: collect", cluster, fakes, lambda: run_all(apart)))
        seal_apart = guildboard("seal", f"A{n}", "--db", dbs["apart"])
        steps.append(measure(f"{n} shards, a fake each: seal", cluster, None, lambda: run_all([seal_apart])))

        base = steps[0].wall
        for label, parts in (("1 shard: collect + seal", steps[1:3]), (f"{n} shards: collect + seal", steps[3:5]),
                             (f"{n} shards, a fake each: c + s", steps[5:7])):  # fmt: skip
            steps.append(Step(label, sum(s.wall for s in parts), sum(s.collector_cpu for s in parts),
                              requests=sum(s.requests for s in parts), fake_cpu=sum(s.fake_cpu for s in parts),
                              git_cpu=sum(s.git_cpu for s in parts), pg_cpu=sum(s.pg_cpu for s in parts),
                              busy=sum(s.busy for s in parts)))  # fmt: skip
        print()
        show(steps, base)
        print(f"\n'busy' is the machine's busy CPU time over {CPUS} cores x wall; 'fake py' is this process "
              f"(the fake GitHub's threads), 'fake git' its git children (with a fake each: those processes, "
              f"Python and git together); 'other' the busy time none of them account for.")  # fmt: skip

        store = open_store(dbs[f"{n} shards"], create=False)
        try:
            status = store.sharded_run(f"R{n}")
        finally:
            store.engine.dispose()
        assert status is not None
        print(f"\n{n} shards, each on its own:")
        for k, proc in enumerate(many.procs, start=1):
            print(f"    shard {k}/{n}: {proc.wall:6.1f} s wall, {status.reported.get(k, 0):5d} repositories, "
                  f"{requests_of(proc.out):6d} requests, collector CPU {proc.cpu:5.1f} s")  # fmt: skip
        print(f"    seal: {steps[4].procs[0].out}")
        print()
        compare({"1 shard": repo_names(dbs["1 shard"]), "baseline": repo_names(dbs["baseline"]),
                 f"{n} shards": repo_names(dbs[f"{n} shards"]), f"{n} shards, a fake each": repo_names(dbs["apart"])})  # fmt: skip
    finally:
        stop(cluster)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
