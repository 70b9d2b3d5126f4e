"""Issue: the redirect hot path ``GET /s/<code>`` under load, against two baselines.

Three routes of the same app (``bench/redirect_app.py``), each loaded by wrk with 64
connections for the same duration, on each WSGI server in turn:

- **tracked**: ``/s/<code>`` on a cache hit, the real view (one Lua script round trip that
  reads the cached target and appends the click to the stream);
- **bare**: a constant 302 from a view of the same app (the floor: everything but the work);
- **xadd**: one XADD to the stream, then the same 302 (the floor of recording a click).

Speed is the ratio tracked / bare in the same run, per server: throughput, and p99 latency
(wrk ``--latency``). Every run is checked: no error, no non-3xx answer, and for each route
the stream grew by what it should (tracked and xadd: one entry per answered request, plus
at most the requests still in flight when wrk stopped, in this run or in the warm-up just
before; bare: nothing). Server, Redis and
wrk CPU are read from /proc and reported per request, with what the rest of the machine
used meanwhile. Servers are told apart only by their command line; the app, its SQLite
file and the embedded Redis (unix socket) are the same for all.
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from redis import Redis

from advocacy import create_app
from advocacy.config import Settings
from advocacy.db import db
from advocacy.embedded_redis import EmbeddedRedis
from advocacy.migrate import upgrade
from advocacy.models import Membership, Network, Post, PostStatus, Role, Team, User, utcnow
from advocacy.tracking.links import share
from advocacy.tracking.redirect import STREAM
from bench.rig import (
    PROJECT_ROOT,
    BenchError,
    cpu_seconds_or_zero,
    machine_busy_seconds,
    markdown_head,
    markdown_row,
    process_tree,
)
from bench.wrk import has_wrk, parse_wrk, run_wrk

READY_KEY = "bench:redirect:ready"  # bench/redirect_app.py pushes each worker's pid here
TARGET_ENV = "BENCH_REDIRECT_TARGET"  # the seeded link's target, so every answer is alike
DURATION = 5  # seconds per measured run; the figure is 20 (--duration 20)
WARMUP = 2
CONNECTIONS = 64
WRK_THREADS = 2
READY_TIMEOUT = 60
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
REFERER = "https://www.linkedin.com/"
_WRK_HEADERS = {"User-Agent": USER_AGENT, "Referer": REFERER}
THROUGHPUT_AIM = 0.7  # tracked / bare requests per second, at least
P99_AIM = 1.5  # tracked p99 / bare p99, at most

TRACKED, BARE, XADD = "tracked /s/<code>", "bare 302", "xadd + 302"
ROUTES = {BARE: "/b/bare/{code}", TRACKED: "/s/{code}", XADD: "/b/xadd/{code}"}


@dataclass(frozen=True)
class Server:
    name: str
    workers: int
    command: Callable[[int], list[str]]


def _gunicorn(workers: int, threads: int = 1) -> Server:
    kind = "gthread" if threads > 1 else "sync"
    name = f"gunicorn {kind} {workers}" + (f"x{threads}" if threads > 1 else "")

    def command(port: int) -> list[str]:
        return [
            *(sys.executable, "-m", "gunicorn", "bench.redirect_app:app"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--threads", str(threads), "--worker-class", kind, "--log-level", "warning"),
        ]

    return Server(name, workers, command)


def _granian(workers: int, threads: int | None = None) -> Server:
    name = f"granian wsgi {workers}" + (f"x{threads}" if threads else "")

    def command(port: int) -> list[str]:
        granian = str(Path(sys.executable).with_name("granian"))
        extra = ["--blocking-threads", str(threads)] if threads else []
        return [
            *(granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)),
            *("--workers", str(workers), *extra, "--log-level", "warning", "--no-ws"),
            "bench.redirect_app:app",
        ]

    return Server(name, workers, command)


SERVERS = {
    s.name: s
    for s in (
        _gunicorn(2),
        _gunicorn(3),
        _gunicorn(4),
        _gunicorn(2, 4),
        _granian(2),
        _granian(2, 4),
    )
}
PRODUCTION = "gunicorn sync 4"  # make run (advocacy/supervisor.py) and the Dockerfile


@dataclass(frozen=True)
class Figure:
    server: str
    log_level: str
    route: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # socket errors and non-2xx/3xx answers
    server_cpu: float
    redis_cpu: float
    wrk_cpu: float
    other_cpu: float
    stream_added: int

    @property
    def server_ms_per_request(self) -> float:
        return self.server_cpu / self.requests * 1000 if self.requests else 0.0


@dataclass
class Report:
    duration: int
    connections: int
    figures: list[Figure] = field(default_factory=list)

    def figure(self, server: str, log_level: str, route: str) -> Figure:
        return next(
            f
            for f in self.figures
            if (f.server, f.log_level, f.route) == (server, log_level, route)
        )

    def runs(self) -> list[tuple[str, str]]:
        return list(dict.fromkeys((f.server, f.log_level) for f in self.figures))


def run(
    duration: int = DURATION,
    connections: int = CONNECTIONS,
    servers: list[str] | None = None,
    log_levels: tuple[str, ...] = ("WARNING", "INFO"),
    info_servers: list[str] | None = None,
) -> Report:
    """Every server at LOG_LEVEL=WARNING; the ``info_servers`` again at INFO (the default)."""
    if not has_wrk():
        raise BenchError("wrk is not installed (apt-get install -y wrk)")
    chosen = servers or list(SERVERS)
    unknown = [name for name in chosen if name not in SERVERS]
    if unknown:
        raise BenchError(f"unknown servers {unknown}; choose among {list(SERVERS)}")
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="advocacy-bench-")))
        redis_server = EmbeddedRedis(tmp / "redis", persist=False, echo=False).start()
        stack.callback(redis_server.stop)
        env = {
            **os.environ,
            "INSTANCE_PATH": str(tmp / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "REDIS_URL": redis_server.url,
            "SECRET_KEY": "benchmark",
        }
        code, target = _seed(env)
        env[TARGET_ENV] = target
        redis = Redis.from_url(redis_server.url)
        stack.callback(redis.close)
        bench = RedirectBench(redis, redis_server, env, tmp, code, duration, connections)
        report = Report(duration, connections)
        for level in log_levels:
            names = chosen if level == log_levels[0] else (info_servers or [PRODUCTION])
            for name in names:
                if name in chosen:
                    report.figures += bench.measure(SERVERS[name], level)
        return report


def _seed(env: dict[str, str]) -> tuple[str, str]:
    """A team, an employee, an approved post and its share link: (code, target)."""
    settings = Settings.from_env({**env, "LOG_LEVEL": "WARNING"})
    upgrade(settings.database_url)
    app = create_app(settings)
    with app.app_context():
        session = db.session
        now = utcnow()
        team = Team(name="Field Sales", slug="field-sales")
        user = User(email="sharer@example.test", name="Sharer", role=Role.EMPLOYEE.value)
        post = Post(
            url="https://blog.example.com/launch?lang=en#intro",
            canonical_url="https://blog.example.com/launch",
            title="Big Launch!",
            status=PostStatus.APPROVED.value,
            published_at=now,
            first_seen_at=now,
            updated_at=now,
        )
        session.add_all([team, user, post])
        session.flush()
        session.add(Membership(user_id=user.id, team_id=team.id))
        session.commit()
        link, _created = share(session, user, post.id, Network.LINKEDIN, now)
        code, target = link.code, link.target_url
    db_engine = app.extensions["database"].engine
    db_engine.dispose()
    app.extensions["redis"].close()
    return code, target


class RedirectBench:
    def __init__(
        self,
        redis: Redis,
        redis_server: EmbeddedRedis,
        env: dict[str, str],
        tmp: Path,
        code: str,
        duration: int,
        connections: int,
    ) -> None:
        self.redis = redis
        self.redis_pid = redis_server.process.pid if redis_server.process else 0
        self.env = env
        self.tmp = tmp
        self.code = code
        self.duration = duration
        self.connections = connections

    def measure(self, server: Server, log_level: str) -> list[Figure]:
        port = _free_port()
        log = self.tmp / f"{server.name.replace(' ', '-')}-{log_level}.log"
        self.redis.delete(READY_KEY)
        with log.open("w") as log_file:
            process = subprocess.Popen(
                server.command(port),
                cwd=PROJECT_ROOT,
                env={**self.env, "LOG_LEVEL": log_level},
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_ready(process, server, log)
            base = f"http://127.0.0.1:{port}"
            self._check_routes(base)
            figures = []
            for route, path in ROUTES.items():
                url = base + path.format(code=self.code)
                run_wrk(url, WARMUP, self.connections, WRK_THREADS, _WRK_HEADERS)
                figures.append(self._one(server, log_level, route, url, process.pid))
            return figures
        finally:
            _stop(process)

    def _wait_ready(self, process: subprocess.Popen[bytes], server: Server, log: Path) -> None:
        """Each worker pushes its pid once its app is built (bench/redirect_app.py)."""
        pids: set[bytes] = set()
        while len(pids) < server.workers:
            popped = self.redis.blpop([READY_KEY], timeout=READY_TIMEOUT)
            if popped is None or process.poll() is not None:
                raise BenchError(f"{server.name} did not start:\n{log.read_text()[-3000:]}")
            pids.add(popped[1])

    def _check_routes(self, base: str) -> None:
        """Each route answers 302 to the link's target; this also warms the link's cache."""
        headers = {"User-Agent": USER_AGENT}
        with httpx.Client(base_url=base, trust_env=False, headers=headers) as client:
            for path in ROUTES.values():
                response = client.get(path.format(code=self.code))
                if (
                    response.status_code != 302
                    or response.headers["Location"] != (self.env[TARGET_ENV])
                ):
                    raise BenchError(f"{path}: {response.status_code} {response.headers}")

    def _cpu_now(self, pids: list[int]) -> tuple[float, float, float]:
        """CPU seconds so far of the server's processes, of Redis, and of the machine."""
        server = sum(cpu_seconds_or_zero(p) for p in pids)
        return server, cpu_seconds_or_zero(self.redis_pid), machine_busy_seconds()

    def _one(self, server: Server, log_level: str, route: str, url: str, pid: int) -> Figure:
        self.redis.delete(STREAM)  # each run starts from an empty stream
        pids = process_tree(pid)
        cpu_before = self._cpu_now(pids)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = run_wrk(url, self.duration, self.connections, WRK_THREADS, _WRK_HEADERS)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_after = self._cpu_now(pids)
        result = parse_wrk(out)
        wrk_cpu = (children_after.ru_utime - children_before.ru_utime) + (
            children_after.ru_stime - children_before.ru_stime
        )
        server_cpu = cpu_after[0] - cpu_before[0]
        redis_cpu = cpu_after[1] - cpu_before[1]
        other = cpu_after[2] - cpu_before[2] - server_cpu - redis_cpu - wrk_cpu
        added = self.redis.xlen(STREAM)
        figure = Figure(
            server=server.name,
            log_level=log_level,
            route=route,
            requests=result["requests"],
            seconds=result["seconds"],
            rps=result["rps"],
            p50_ms=result["p50"],
            p99_ms=result["p99"],
            max_ms=result["max"],
            errors=result["errors"],
            server_cpu=server_cpu,
            redis_cpu=redis_cpu,
            wrk_cpu=wrk_cpu,
            other_cpu=max(0.0, other),
            stream_added=added,
        )
        _check(figure, self.connections, out)
        print(f"  {_row(figure)}", flush=True)
        return figure


def _check(figure: Figure, connections: int, out: str) -> None:
    if figure.errors:
        raise BenchError(f"{figure.server} {figure.route}: {figure.errors} errors\n{out}")
    if figure.requests == 0:
        raise BenchError(f"{figure.server} {figure.route}: no request answered\n{out}")
    if figure.route == BARE:
        expected = figure.stream_added == 0
    else:  # requests in flight when wrk stops (here or in the warm-up) land uncounted
        expected = figure.requests <= figure.stream_added <= figure.requests + 2 * connections
    if not expected:
        raise BenchError(
            f"{figure.server} {figure.route}: {figure.requests} answered, "
            f"{figure.stream_added} stream entries"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: only what it started
            process.wait()


HEADER = (
    "server",
    "LOG_LEVEL",
    "route",
    "req/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "requests",
    "server CPU ms/req",
    "Redis CPU us/req",
    "wrk CPU s",
    "other CPU s",
)


def _row(f: Figure) -> str:
    return (
        f"{f.server:<20} {f.log_level:<7} {f.route:<18} {f.rps:>8.0f} req/s  p50 {f.p50_ms:6.2f}"
        f"  p99 {f.p99_ms:7.2f}  max {f.max_ms:7.1f} ms  server {f.server_ms_per_request:.2f}"
        f" ms/req  redis {f.redis_cpu / f.requests * 1e6:.0f} us/req  other {f.other_cpu:.1f} s"
    )


def format_report(report: Report) -> str:
    lines = [
        f"redirect: {report.connections} connections, {report.duration} s per run, "
        f"wrk {WRK_THREADS} threads; SQLite, embedded Redis on a unix socket",
        *markdown_head(HEADER),
    ]
    for f in report.figures:
        cells = [
            f.server,
            f.log_level,
            f.route,
            f"{f.rps:.0f}",
            f"{f.p50_ms:.2f}",
            f"{f.p99_ms:.2f}",
            f"{f.max_ms:.1f}",
            str(f.requests),
            f"{f.server_ms_per_request:.2f}",
            f"{f.redis_cpu / f.requests * 1e6:.0f}",
            f"{f.wrk_cpu:.1f}",
            f"{f.other_cpu:.1f}",
        ]
        lines.append(markdown_row(cells))
    lines += ["", "ratios, tracked / bare (aim: throughput >= 0.7, p99 <= 1.5x):"]
    best: tuple[float, str] | None = None
    for server, level in report.runs():
        tracked = report.figure(server, level, TRACKED)
        bare = report.figure(server, level, BARE)
        xadd = report.figure(server, level, XADD)
        throughput = tracked.rps / bare.rps
        p99 = tracked.p99_ms / bare.p99_ms
        met = throughput >= THROUGHPUT_AIM and p99 <= P99_AIM
        lines.append(
            f"  {server:<20} {level:<7} throughput {throughput:.2f}, p99 {p99:.2f}x "
            f"({'met' if met else 'MISSED'}); xadd/bare throughput {xadd.rps / bare.rps:.2f}, "
            f"p99 {xadd.p99_ms / bare.p99_ms:.2f}x; tracked server CPU "
            f"{tracked.server_ms_per_request:.2f} ms/req vs bare "
            f"{bare.server_ms_per_request:.2f}"
        )
        if level == "WARNING" and (best is None or tracked.rps > best[0]):
            best = (tracked.rps, server)
    if best:
        lines.append(f"  fastest tracked throughput (LOG_LEVEL=WARNING): {best[1]}")
    return "\n".join(lines)
