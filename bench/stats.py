"""Issue: the stats API and the dashboard on a year of rollups, p50/p95 per endpoint.

An organisation (``bench.seed``: teams, people with membership history, posts, share
links) and click rollups bulk-loaded with SQL: each link gets 1 to 10 hourly rows, from its
share onwards with a decaying count (its half-life), the links' totals skewed (log-normal)
and adding up to ``clicks`` exactly. Requests go through the Flask test client in the
benchmark process, with a leader's bearer token (bearer tokens work on pages too): the
whole app runs (access check, token lookup, the metrics, JSON or the template), only the
HTTP server is left out. ``/healthz`` with the same token is the baseline.

Each endpoint is asked for the last 30 days (``from``/``to`` as the dashboard's 30-day
preset) and all time. Requests are interleaved (one of each endpoint per round), after two
warm-up rounds, so that a drift of the machine hits every endpoint alike. Every answer is
checked (200, and for the API the rows it must have: every team, every member, the five
networks, whose all-time clicks add up to the rollups' total). The API pages its lists
(50 rows by default): what is timed is the default request, page 1, which computes every
row and serializes 50. Then each
endpoint is asked once more with its SQL recorded (SQLAlchemy cursor events), and each
SELECT is replayed alone on the driver, fetching every row, to say what the time goes to:
the slowest statement, all SQL, and the rest (Python: metrics, JSON, Jinja).
"""

from __future__ import annotations

import gc
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as day_start
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, func, select

from advocacy import accounts
from advocacy.db import db
from advocacy.models import ClickRollup, User, utcnow
from advocacy.models.tracking import NETWORKS
from advocacy.tracking import summaries
from bench import loading
from bench.rig import BenchError, markdown_head, markdown_row, verdict
from bench.seed import Link, seed_org

TEAMS, PEOPLE, LINKS, CLICKS = 50, 2_000, 20_000, 2_000_000  # --full: 200, 10k, 100k, 10M
FULL = {"teams": 200, "people": 10_000, "links": 100_000, "clicks": 10_000_000}
REPEAT = 50  # requests per endpoint: the p95 of 20 would be the second-worst one
WARMUP_ROUNDS = 2
P95_AIM_MS = 50.0
HOUR_OFFSETS = (0, 1, 2, 3, 5, 8, 12, 18, 24, 36, 48, 72)  # hours after the share
HEALTH = "/healthz (baseline)"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    period: str  # "30d" or "all"

    def url(self, today: datetime) -> str:
        if self.period == "all":
            return self.path + ("?period=all" if self.path == "/dashboard/" else "")
        if self.path == "/dashboard/":
            return self.path + "?period=30d"
        start, end = today - timedelta(days=29), today + timedelta(days=1)
        return f"{self.path}?from={start.date().isoformat()}&to={end.date().isoformat()}"


ENDPOINTS = [Endpoint(HEALTH, "/healthz", "all")] + [
    Endpoint(f"{path} {period}", path, period)
    for path in (
        "/api/v1/stats/teams",
        "/api/v1/stats/people",
        "/api/v1/stats/posts",
        "/api/v1/stats/networks",
        "/dashboard/",
    )
    for period in ("30d", "all")
]


@dataclass(frozen=True)
class Figure:
    endpoint: str
    p50_ms: float
    p95_ms: float
    bytes: int
    rows: int | None
    sql_ms: float = 0.0
    statements: int = 0
    slowest_ms: float = 0.0
    slowest_sql: str = ""
    profiled_ms: float = 0.0


@dataclass
class Report:
    database: str
    sizes: dict[str, int]
    rollup_rows: int = 0
    load_seconds: float = 0.0
    figures: list[Figure] = field(default_factory=list)


def run(
    teams: int = TEAMS,
    people: int = PEOPLE,
    links: int = LINKS,
    clicks: int = CLICKS,
    database_url: str | None = None,
    repeat: int = REPEAT,
) -> Report:
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="advocacy-bench-")))
        app, settings, _env = loading.bench_app(stack, tmp, database_url, _redis(stack, tmp))
        session = db.session
        sizes = {"teams": teams, "people": people, "links": links, "clicks": clicks}
        report = Report(loading.database_name(settings.database_url), sizes)
        started = time.perf_counter()
        rng = random.Random(20261127)
        now = utcnow()
        org = seed_org(
            session, rng, teams=teams, employees=people, posts=max(10, links // 50),
            links=links, now=now,
        )  # fmt: skip
        report.rollup_rows = loading.bulk_insert(
            session,
            "click_rollups",
            ("link_id", "hour", "clicks", "unique_clicks", "bot_clicks"),
            rollup_rows(rng, org.links, clicks, now),
        )
        summaries.refill(session)  # what the aggregator keeps in step with the rollups
        loading.settle(session)
        if session.scalar(select(func.sum(ClickRollup.clicks))) != clicks:
            raise BenchError("the rollups do not add up to the clicks wanted")
        token = accounts.create_token(session, None, session.get(User, org.leader_id))
        session.commit()
        session.expunge_all()
        del org  # a web server holds none of the seed: its garbage would only slow the GC
        gc.collect()
        gc.freeze()  # as wsgi.py does once the app is loaded
        report.load_seconds = time.perf_counter() - started
        today = datetime.combine(now.date(), day_start(0), UTC)
        bench = StatsBench(app, token, today, sizes)
        # A thread starts with no app context: each request then gets its own context and
        # database session, as under a server (here, Flask would reuse this one's).
        with ThreadPoolExecutor(1) as thread:
            report.figures = thread.submit(bench.measure, repeat).result()
        return report


def _redis(stack: ExitStack, tmp: Path) -> str:
    from advocacy.embedded_redis import EmbeddedRedis

    server = EmbeddedRedis(tmp / "redis", persist=False, echo=False).start()
    stack.callback(server.stop)
    return server.url


def rollup_rows(
    rng: random.Random, links: list[Link], clicks: int, now: datetime
) -> Iterator[tuple[object, ...]]:
    """(link_id, hour, clicks, unique_clicks, bot_clicks): ``clicks`` in all, each link's
    share of them spread over 1 to 10 hours after its share, each hour half the one before."""
    weights = [rng.lognormvariate(0, 1.2) for _ in links]
    scale = clicks / sum(weights)
    totals = [int(w * scale) for w in weights]
    for _ in range(clicks - sum(totals)):
        totals[rng.randrange(len(totals))] += 1
    end = now.replace(tzinfo=None)
    for link, total in zip(links, totals, strict=True):
        base = link.created_at.replace(tzinfo=None, minute=0, second=0, microsecond=0)
        hours = [base + timedelta(hours=h) for h in HOUR_OFFSETS[: rng.randint(1, 10)]]
        hours = [h for h in hours if h < end] or [base]
        shares = [0.5**n for n in range(len(hours))]
        counts = [int(total * s / sum(shares)) for s in shares]
        counts[0] += total - sum(counts)
        for hour, count in zip(hours, counts, strict=True):
            yield (link.id, hour, count, count * 4 // 5, count // 12 + rng.randint(0, 2))


class StatsBench:
    def __init__(self, app: Flask, token: str, today: datetime, sizes: dict[str, int]) -> None:
        self.app = app
        self.client: FlaskClient = app.test_client(use_cookies=False)  # as a script with a token
        self.headers = {"Authorization": f"Bearer {token}"}
        self.today = today
        self.sizes = sizes

    def measure(self, repeat: int) -> list[Figure]:
        urls = {e.name: e.url(self.today) for e in ENDPOINTS}
        times: dict[str, list[float]] = {e.name: [] for e in ENDPOINTS}
        answers: dict[str, tuple[int, int | None]] = {}
        for round_number in range(WARMUP_ROUNDS + repeat):
            for endpoint in ENDPOINTS:
                started = time.perf_counter()
                response = self.client.get(urls[endpoint.name], headers=self.headers)
                elapsed = (time.perf_counter() - started) * 1000
                if round_number == 0:
                    answers[endpoint.name] = self._check(endpoint, response)
                if round_number >= WARMUP_ROUNDS:
                    times[endpoint.name].append(elapsed)
        figures = []
        for endpoint in ENDPOINTS:
            size, rows = answers[endpoint.name]
            profile = self._profile(urls[endpoint.name])
            figures.append(
                Figure(
                    endpoint.name,
                    statistics.median(times[endpoint.name]),
                    _percentile(times[endpoint.name], 95),
                    size,
                    rows,
                    **profile,
                )
            )
            print(f"  {_row(figures[-1])}", flush=True)
        return figures

    def _check(self, endpoint: Endpoint, response: Any) -> tuple[int, int | None]:
        if response.status_code != 200:
            raise BenchError(f"{endpoint.name}: {response.status_code} {response.text[:300]}")
        if not endpoint.path.startswith("/api/"):
            return len(response.data), None
        body = response.get_json()
        table = endpoint.path.rsplit("/", 1)[1]
        wanted = {"teams": self.sizes["teams"], "networks": len(NETWORKS)}
        wanted["people"] = self.sizes["people"] + 2  # and the leader and the manager
        if table in wanted and body["total"] != wanted[table]:
            raise BenchError(f"{endpoint.name}: {body['total']} rows, {wanted[table]} expected")
        if endpoint.period == "all" and table == "networks":
            clicks = sum(row["clicks"] for row in body["items"])
            expected = self._human_clicks()
            if clicks != expected:
                raise BenchError(f"{endpoint.name}: {clicks} clicks, the rollups say {expected}")
        return len(response.data), body["total"]

    def _human_clicks(self) -> int:
        with self.app.app_context():
            return int(db.session.scalar(select(func.sum(ClickRollup.clicks))) or 0)

    def _profile(self, url: str) -> dict[str, Any]:
        """One more request, recording its SQL; each statement is then replayed alone on the
        driver and read to its last row (SQLite computes while rows are fetched, so the
        cursor's execute alone would miss most of a query's time)."""
        with self.app.app_context():
            engine = db.engine
        with _sql_recorder(engine) as statements:
            started = time.perf_counter()
            self.client.get(url, headers=self.headers)
            total = (time.perf_counter() - started) * 1000
        timed = [(_replay(engine, sql, parameters), sql) for sql, parameters in statements]
        slowest = max(timed, default=(0.0, ""))
        return {
            "sql_ms": sum(ms for ms, _sql in timed),
            "statements": len(timed),
            "slowest_ms": slowest[0],
            "slowest_sql": " ".join(slowest[1].split())[:160],
            "profiled_ms": total,
        }


@contextmanager
def _sql_recorder(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    found: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        found.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _replay(engine: Engine, statement: str, parameters: Any) -> float:
    """Milliseconds to run a SELECT and fetch every row; other statements are not replayed."""
    if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
        return 0.0
    with engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        started = time.perf_counter()
        cursor.execute(statement, parameters)
        cursor.fetchall()
        elapsed = (time.perf_counter() - started) * 1000
        cursor.close()
        connection.rollback()
    return elapsed


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _row(f: Figure) -> str:
    return (
        f"{f.endpoint:<32} p50 {f.p50_ms:8.1f} ms  p95 {f.p95_ms:8.1f} ms  "
        f"{f.bytes / 1024:7.0f} KiB  SQL {f.sql_ms:7.1f} ms in {f.statements:>3} statements, "
        f"slowest {f.slowest_ms:6.1f} ms"
    )


HEADER = ("endpoint", "p50 ms", "p95 ms", "x healthz p50", "p95 aim", "KiB", "total rows")
HEADER += ("SQL ms (statements)", "slowest statement ms")


def format_report(report: Report) -> str:
    sizes = report.sizes
    health = next(f for f in report.figures if f.endpoint == HEALTH)
    lines = [
        f"stats on {report.database}: {sizes['teams']} teams, {sizes['people']:,} people, "
        f"{sizes['links']:,} share links, {sizes['clicks']:,} clicks in "
        f"{report.rollup_rows:,} rollup rows (loaded in {report.load_seconds:.0f} s)",
        *markdown_head(HEADER),
    ]
    for f in report.figures:
        cells = [
            f.endpoint,
            f"{f.p50_ms:.1f}",
            f"{f.p95_ms:.1f}",
            f"{f.p50_ms / health.p50_ms:.0f}",
            "" if f is health else verdict(f.p95_ms < P95_AIM_MS),
            f"{f.bytes / 1024:.0f}",
            "" if f.rows is None else str(f.rows),
            f"{f.sql_ms:.1f} ({f.statements})",
            f"{f.slowest_ms:.1f}",
        ]
        lines.append(markdown_row(cells))
    lines.append("slowest statement per endpoint:")
    for f in report.figures:
        lines.append(
            f"  {f.endpoint}: {f.slowest_ms:.1f} ms of {f.profiled_ms:.1f}: {f.slowest_sql}"
        )
    return "\n".join(lines)
