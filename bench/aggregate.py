"""Issue: draining the click stream into the raw log and the rollups, fast and in bounded memory.

Clicks (``bench.click_mix``: browsers, unfurlers, bots, returning visitors, bursts) on
10,000 share links are pushed once into a template stream; before each run the template is
copied (Redis COPY) to ``advocacy:clicks``, so every run drains the very same entries. Each
run is one child process (``bench.aggregate_process``), started and ready before it is told
to go, so that only the draining is timed; its peak RSS is its own high-water mark
(``VmHWM``), read by itself when ready and when done.

Runs, on SQLite and (with DATABASE_URL) on PostgreSQL:

1. **baseline**: the stream read through the consumer group and acknowledged (XREADGROUP,
   XACK + XDEL), batch by batch, nothing else: Redis's and the client's share of the work;
2. **aggregate, empty tables**: ``aggregate_pending_clicks`` drains the same clicks;
3. **aggregate, with history**: the click tables emptied, then a year of history
   bulk-loaded with SQL (not through the aggregator) before the same clicks are drained
   again: ``history`` raw rows, their hourly rollups, and the burst and unique-visitor
   bookkeeping of the last 7 days (what the retention job leaves of it).

Every aggregate run is checked against totals computed apart from the aggregator: every
click stored once (raw rows added == clicks pushed, no duplicate, no unknown code), human
rows and rollup clicks == the humans the rules give, rollup bot clicks == the bots, rollup
unique clicks == the distinct (link, day, visitor) among humans; the stream is empty after.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from redis import Redis
from sqlalchemy import case, func, select, text
from sqlalchemy.orm import Session

from advocacy.db import db
from advocacy.embedded_redis import EmbeddedRedis
from advocacy.models import Click, ClickRollup, utcnow
from advocacy.tracking import summaries
from advocacy.tracking.redirect import STREAM
from bench import loading
from bench.click_mix import Mix, history_rows, make_clicks
from bench.rig import (
    PROJECT_ROOT,
    BenchError,
    machine_busy_seconds,
    markdown_head,
    markdown_row,
    process_cpu_seconds,
    verdict,
)
from bench.seed import seed_org

CLICKS = 200_000  # the figure: 1,000,000 (--clicks)
HISTORY = 2_000_000  # the figure: 10,000,000 (--history)
LINKS = 10_000
TEMPLATE = "bench:clicks:template"
HELPER_DAYS = 7  # advocacy.tracking.retention keeps the burst and unique bookkeeping 7 days
CHILD_TIMEOUT = 3600
RATE_AIM = 50_000  # clicks per second
MEMORY_AIM_MB = 250

BASELINE = "baseline: XREADGROUP + XACK/XDEL"
EMPTY = "aggregate, empty tables"
WITH_HISTORY = "aggregate, with history"
CLICK_COLUMNS = ("event_id", "link_id", "at", "visitor", "human", "reason", "user_agent")
CLICK_COLUMNS += ("referrer_host",)


@dataclass(frozen=True)
class Figure:
    run: str
    history: int
    clicks: int
    wall: float
    cpu: float
    ready_rss_mb: float
    peak_rss_mb: float
    redis_cpu: float
    other_cpu: float  # PostgreSQL's backend, or a busy machine
    stages: dict[str, float] = field(default_factory=dict)  # seconds per step of a batch

    @property
    def rate(self) -> float:
        return self.clicks / self.wall


@dataclass
class Report:
    database: str
    clicks: int
    links: int
    distinct_agents: int = 0
    humans: int = 0
    bots: int = 0
    uniques: int = 0
    load_seconds: float = 0.0
    figures: list[Figure] = field(default_factory=list)

    def figure(self, run: str) -> Figure:
        return next(f for f in self.figures if f.run == run)


def run(
    clicks: int = CLICKS,
    history: int = HISTORY,
    links: int = LINKS,
    database_url: str | None = None,
) -> Report:
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="advocacy-bench-")))
        redis_server = EmbeddedRedis(tmp / "redis", persist=False, echo=False).start()
        stack.callback(redis_server.stop)
        _app, settings, env = loading.bench_app(stack, tmp, database_url, redis_server.url)
        session = db.session
        redis = Redis.from_url(redis_server.url)
        stack.callback(redis.close)
        rng = random.Random(20261127)
        window_start = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=72)
        people, posts = max(10, links // 10), max(10, links // 50)
        org = seed_org(
            session, rng, teams=20, employees=people, posts=posts, links=links, now=window_start
        )
        mix = make_clicks(rng, [link.code for link in org.links], clicks, utcnow())
        _push_template(redis, mix)
        loading.settle(session)
        report = Report(loading.database_name(settings.database_url), clicks, links)
        report.distinct_agents, report.humans = mix.distinct_agents, mix.humans
        report.bots, report.uniques = mix.bots, mix.uniques
        child_env = {**env, "PYTHONPATH": str(PROJECT_ROOT)}
        drain = Drainer(redis, redis_server, child_env)
        report.figures.append(drain.run(BASELINE, "read-ack", clicks, 0))
        loading.empty_tables(session, loading.CLICK_TABLES)
        loading.settle(session)
        report.figures.append(drain.run(EMPTY, "aggregate", clicks, 0, Verifier(session, mix)))
        loading.empty_tables(session, loading.CLICK_TABLES)
        started = utcnow()
        link_ids = [link.id for link in org.links]
        _load_history(session, rng, link_ids, history, window_start)
        report.load_seconds = (utcnow() - started).total_seconds()
        verify = Verifier(session, mix)
        report.figures.append(drain.run(WITH_HISTORY, "aggregate", clicks, history, verify))
        return report


def _push_template(redis: Redis, mix: Mix) -> None:
    redis.delete(TEMPLATE)
    for start in range(0, len(mix.rows), 5000):
        pipe = redis.pipeline(transaction=False)
        for code, ts, visitor, agent, ref in mix.rows[start : start + 5000]:
            fields = {"code": code, "ts": ts, "visitor": visitor, "ua": agent, "ref": ref}
            pipe.xadd(TEMPLATE, fields)  # type: ignore[arg-type]
        pipe.execute()
    if redis.xlen(TEMPLATE) != len(mix.rows):
        raise BenchError("the template stream does not hold every click")


def _load_history(
    session: Session, rng: random.Random, link_ids: list[int], rows: int, end: datetime
) -> None:
    """Raw rows over the year before ``end``, then what the aggregator would have left with
    them: their rollups, and the last 7 days' burst and unique-visitor bookkeeping."""
    loaded = loading.bulk_insert(
        session, "clicks", CLICK_COLUMNS, history_rows(rng, link_ids, rows, end)
    )
    hour = loading.hour_sql(session, "at")
    minute = loading.minute_sql(session, "at")
    day = loading.day_sql(session, "at")
    cutoff = end - timedelta(days=HELPER_DAYS)
    since = {"cutoff": _stored(session, cutoff)}
    human = "CASE WHEN human THEN 1 ELSE 0 END"
    statements = (
        f"INSERT INTO click_rollups (link_id, hour, clicks, unique_clicks, bot_clicks) "
        f"SELECT link_id, {hour}, SUM({human}), SUM({human}), SUM(1 - {human}) "
        f"FROM clicks GROUP BY link_id, {hour}",
        f"INSERT INTO click_daily_visitors (link_id, day, visitor, first_at) "
        f"SELECT link_id, {day}, visitor, MIN(at) FROM clicks WHERE human AND at >= :cutoff "
        f"GROUP BY link_id, {day}, visitor",
        f"INSERT INTO click_bursts (link_id, visitor, minute, count) "
        f"SELECT link_id, visitor, {minute}, COUNT(*) FROM clicks WHERE human AND at >= :cutoff "
        f"GROUP BY link_id, visitor, {minute}",
    )
    for statement in statements:
        session.execute(text(statement), since)
    summaries.refill(session)
    loading.settle(session)
    if loaded != rows or session.scalar(select(func.count()).select_from(Click)) != rows:
        raise BenchError(f"history: {loaded} rows loaded, {rows} wanted")


def _stored(session: Session, at: datetime) -> object:
    naive = at.replace(tzinfo=None)
    return naive.isoformat(" ", "microseconds") if loading.dialect(session) == "sqlite" else naive


class Verifier:
    """Table totals before a drain; after it, what the drain added must be what the mix says."""

    def __init__(self, session: Session, mix: Mix) -> None:
        self.session = session
        self.mix = mix
        self.before = self._totals()

    def _totals(self) -> tuple[int, ...]:
        raw = self.session.execute(
            select(func.count(), func.coalesce(func.sum(case((Click.human, 1), else_=0)), 0))
        ).one()
        rollups = self.session.execute(
            select(
                func.coalesce(func.sum(ClickRollup.clicks), 0),
                func.coalesce(func.sum(ClickRollup.unique_clicks), 0),
                func.coalesce(func.sum(ClickRollup.bot_clicks), 0),
            )
        ).one()
        self.session.rollback()
        return (*map(int, raw), *map(int, rollups))

    def check(self, counted: dict[str, int], redis: Redis) -> None:
        after = self._totals()
        added = [a - b for a, b in zip(after, self.before, strict=True)]
        mix = self.mix
        wanted = [len(mix.rows), mix.humans, mix.humans, mix.uniques, mix.bots]
        names = ["raw rows", "human raw rows", "rollup clicks", "rollup unique", "rollup bots"]
        problems = [
            f"{name}: {got} added, {want} expected"
            for name, got, want in zip(names, added, wanted, strict=True)
            if got != want
        ]
        expected = {"counted": len(mix.rows), "humans": mix.humans, "bots": mix.bots}
        expected |= {"duplicates": 0, "unknown": 0}
        problems += [
            f"aggregator said {key}={counted.get(key)}, expected {value}"
            for key, value in expected.items()
            if counted.get(key) != value
        ]
        if redis.xlen(STREAM):
            problems.append(f"{redis.xlen(STREAM)} entries left in the stream")
        if problems:
            raise BenchError("aggregation check failed: " + "; ".join(problems))


class Drainer:
    def __init__(self, redis: Redis, redis_server: EmbeddedRedis, env: dict[str, str]) -> None:
        self.redis = redis
        self.redis_pid = redis_server.process.pid if redis_server.process else 0
        self.env = env

    def run(
        self, name: str, mode: str, clicks: int, history: int, verify: Verifier | None = None
    ) -> Figure:
        self.redis.delete(STREAM)
        self.redis.copy(TEMPLATE, STREAM)
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.aggregate_process", mode],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdin is not None and child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            child.kill()
            raise BenchError(f"{name}: the aggregating process did not start")
        busy, redis_cpu = machine_busy_seconds(), process_cpu_seconds(self.redis_pid)
        child.stdin.write("go\n")
        child.stdin.flush()
        try:
            out, _ = child.communicate(timeout=CHILD_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            child.kill()
            raise BenchError(f"{name}: over {CHILD_TIMEOUT} s") from exc
        busy = machine_busy_seconds() - busy
        redis_cpu = process_cpu_seconds(self.redis_pid) - redis_cpu
        if child.returncode != 0 or not out.strip():
            raise BenchError(f"{name}: the aggregating process failed ({child.returncode})")
        result = json.loads(out.strip().splitlines()[-1])
        if result["counted"] != clicks:
            raise BenchError(f"{name}: {result['counted']} entries drained, {clicks} pushed")
        if verify is not None:
            verify.check(result, self.redis)
        figure = Figure(
            run=name,
            history=history,
            clicks=clicks,
            wall=result["wall"],
            cpu=result["cpu"],
            ready_rss_mb=result["ready_rss_kb"] / 1024,
            peak_rss_mb=result["peak_rss_kb"] / 1024,
            redis_cpu=redis_cpu,
            other_cpu=max(0.0, busy - result["cpu"] - redis_cpu),
            stages=result.get("stages", {}),
        )
        print(f"  {_row(figure)}", flush=True)
        return figure


HEADER = ("run", "history rows", "clicks", "wall s", "clicks/s", "x baseline wall", "CPU s")
HEADER += ("RSS ready MB", "peak RSS MB", "Redis CPU s", "other CPU s")


def _row(f: Figure) -> str:
    return (
        f"{f.run:<34} history {f.history:>10,}  {f.clicks:,} clicks in {f.wall:6.1f} s "
        f"({f.rate:>9,.0f}/s, CPU {f.cpu:.1f} s)  peak RSS {f.peak_rss_mb:.0f} MB "
        f"(ready {f.ready_rss_mb:.0f})  Redis {f.redis_cpu:.1f} s  other {f.other_cpu:.1f} s"
    )


def format_report(report: Report) -> str:
    base = report.figure(BASELINE)
    lines = [
        f"aggregate on {report.database}: {report.clicks:,} clicks on {report.links:,} links "
        f"({report.humans:,} humans, {report.bots:,} bots, {report.uniques:,} unique; "
        f"{report.distinct_agents:,} distinct user agents); history loaded in "
        f"{report.load_seconds:.0f} s",
        *markdown_head(HEADER),
    ]
    for f in report.figures:
        cells = [
            f.run,
            f"{f.history:,}",
            f"{f.clicks:,}",
            f"{f.wall:.2f}",
            f"{f.rate:,.0f}",
            f"{f.wall / base.wall:.1f}",
            f"{f.cpu:.2f}",
            f"{f.ready_rss_mb:.0f}",
            f"{f.peak_rss_mb:.0f}",
            f"{f.redis_cpu:.2f}",
            f"{f.other_cpu:.2f}",
        ]
        lines.append(markdown_row(cells))
    empty, full = report.figure(EMPTY), report.figure(WITH_HISTORY)
    for f in report.figures[1:]:
        lines.append(
            f"  {f.run}: {f.rate:,.0f} clicks/s "
            f"({verdict(f.rate >= RATE_AIM)} {RATE_AIM:,}/s: {f.rate / RATE_AIM:.2f}x), "
            f"peak RSS {f.peak_rss_mb:.0f} MB ({verdict(f.peak_rss_mb < MEMORY_AIM_MB)} "
            f"< {MEMORY_AIM_MB} MB), {f.wall / base.wall:.1f}x the baseline's wall time"
        )
    for f in report.figures[1:]:
        rest = f.wall - sum(f.stages.values())
        shares = [f"{name} {seconds / f.wall:.0%}" for name, seconds in f.stages.items()]
        lines.append(f"  {f.run}, time per step: {', '.join(shares)}, rest {rest / f.wall:.0%}")
    slowdown = full.wall / empty.wall
    lines.append(
        f"  {full.run} ({full.history:,} rows of history): {slowdown:.2f}x the time on "
        f"empty tables ({verdict(slowdown <= 1.1)} no slowdown, 10% tolerance)"
    )
    return "\n".join(lines)
