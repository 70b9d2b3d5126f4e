"""What the worker runs, and when.

Periodic jobs are declared once, in :data:`PERIODIC_JOBS`, with stable ids; the one
scheduler process (``python -m advocacy.scheduler``) enqueues them. RQ's cron has no
leader lock and a restart may enqueue a job twice, so every periodic job is idempotent.
"""

from __future__ import annotations

import functools
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from flask import current_app, has_app_context
from redis import Redis
from redis.exceptions import LockError
from rq import Queue
from rq.exceptions import DuplicateJobError

from .curation.states import expire_due_posts
from .db import db
from .feeds.due import CLAIM_LEASE, claim_due_feeds
from .feeds.fetch import FetchPolicy
from .feeds.refresh import RefreshOutcome, refresh_feed
from .logs import log_job
from .models import Feed
from .redis_client import get_redis
from .tracking.aggregate import aggregate_pending_clicks
from .tracking.retention import prune_clicks
from .tracking.spool import drain_spooled_clicks

QUEUE_NAME = "advocacy"
HEARTBEAT_KEY = "advocacy:heartbeat:jobs"
FEED_LOCK_SECONDS = 120
FEED_QUEUED_KEY = "advocacy:feed-queued:{feed_id}"
F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def _app_context() -> Iterator[None]:
    """A fresh app context per job (its own database session), from the worker's app, or
    from a new app when a bare ``rq worker`` runs the job."""
    if has_app_context():
        with current_app.app_context():
            yield
        return
    from . import create_app

    with create_app().app_context():
        yield


def job(func: F) -> F:
    """Run a job in an app context with one line of log: name, outcome, duration."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        with _app_context():
            try:
                result = func(*args, **kwargs)
            except Exception:
                log_job(func.__name__, "failed", (time.perf_counter() - started) * 1000)
                raise
        log_job(func.__name__, "ok", (time.perf_counter() - started) * 1000)
        return result

    return run  # type: ignore[return-value]


@job
def record_heartbeat() -> str:
    """Proves the scheduler → queue → worker chain works; /healthz reports its age."""

    now = datetime.now(UTC).isoformat()
    get_redis().set(HEARTBEAT_KEY, now, ex=int(timedelta(days=1).total_seconds()))
    return now


def fetch_policy() -> FetchPolicy:
    settings = current_app.config["SETTINGS"]
    return FetchPolicy(allow_private=settings.feeds_allow_private)


def refresh_feed_locked(feed_id: int, *, wait: float = 0) -> RefreshOutcome | None:
    """Refresh one feed unless another process is refreshing it (None then).

    A Redis lock per feed: the scheduler's jobs and a manager's "refresh now" never fetch
    the same feed twice at once. ``wait`` is how long to wait for the other one to finish.
    """

    lock = get_redis().lock(f"advocacy:feed-refresh:{feed_id}", timeout=FEED_LOCK_SECONDS)
    if not lock.acquire(blocking=wait > 0, blocking_timeout=wait or None):
        return None
    try:
        feed = db.session.get(Feed, feed_id)
        if feed is None:
            return None
        return refresh_feed(db.session, feed, fetch_policy())
    finally:
        with suppress(LockError):  # expired while fetching: the next holder has it now
            lock.release()


@job
def refresh_feed_job(feed_id: int) -> dict[str, object] | None:
    get_redis().delete(FEED_QUEUED_KEY.format(feed_id=feed_id))  # started: may queue again
    outcome = refresh_feed_locked(feed_id)
    return asdict(outcome) if outcome else None


@job
def enqueue_due_feeds() -> int:
    """Claim the feeds that are due and enqueue one refresh job each (unique per feed)."""

    redis = get_redis()
    enqueued = 0
    claimed_at = int(datetime.now(UTC).timestamp())
    for feed_id in claim_due_feeds(db.session, datetime.now(UTC)):
        job_id = f"feed-refresh-{feed_id}-{claimed_at}"
        marker = FEED_QUEUED_KEY.format(feed_id=feed_id)
        if not redis.set(marker, job_id, nx=True, ex=int(CLAIM_LEASE.total_seconds())):
            continue  # its refresh is still waiting in the queue
        try:
            queue(redis).enqueue(
                refresh_feed_job,
                feed_id,
                # One id per claim: RQ remembers finished ids for a while, and a reused id can
                # be failed by its registry clean-up. The claim lease and the per-feed lock
                # already keep one feed from being refreshed twice at once.
                job_id=job_id,
                unique=True,
                result_ttl=0,
                failure_ttl=300,
                job_timeout=FEED_LOCK_SECONDS,
            )
            enqueued += 1
        except DuplicateJobError:
            continue  # already waiting in the queue
    return enqueued


@job
def expire_posts() -> int:
    """Approved posts whose window has closed become expired (idempotent)."""

    return expire_due_posts(db.session, datetime.now(UTC))


@job
def drain_click_spool() -> int:
    """Clicks kept in the database while Redis was down go to the stream (idempotent)."""
    redis = get_redis()
    lock = redis.lock("advocacy:click-spool", timeout=120)
    if not lock.acquire(blocking=False):
        return 0
    try:
        return drain_spooled_clicks(db.session, redis)
    finally:
        with suppress(LockError):
            lock.release()


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


@job
def aggregate_clicks() -> dict[str, int]:
    """Count every click waiting in the stream (several workers may run this at once)."""
    totals = aggregate_pending_clicks(db.session, get_redis(), consumer_name())
    return {"humans": totals.humans, "bots": totals.bots, "duplicates": totals.duplicates}


@job
def prune_old_clicks() -> int:
    days = current_app.config["SETTINGS"].click_raw_retention_days
    return prune_clicks(db.session, datetime.now(UTC), days)


@dataclass(frozen=True)
class PeriodicJob:
    id: str  # letters, digits, '-' and '_' only (RQ job ids)
    func: Callable[..., Any]
    every_seconds: int


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (PeriodicJob("heartbeat", record_heartbeat, 60),)


def queue(redis: Redis) -> Queue:
    return Queue(QUEUE_NAME, connection=redis)


def heartbeat_age(redis: Redis, now: datetime | None = None) -> float | None:
    """Seconds since a worker last ran the heartbeat job, or None if it never has."""
    raw = redis.get(HEARTBEAT_KEY)
    if raw is None:
        return None
    seen = datetime.fromisoformat(raw.decode() if isinstance(raw, bytes) else raw)
    return ((now or datetime.now(UTC)) - seen).total_seconds()
