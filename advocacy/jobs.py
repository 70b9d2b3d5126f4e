"""What the worker runs, and when.

Periodic jobs are declared once, in :data:`PERIODIC_JOBS`, with stable ids; the one
scheduler process (``python -m advocacy.scheduler``) enqueues them. RQ's cron has no
leader lock and a restart may enqueue a job twice, so every periodic job is idempotent.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from flask import has_app_context
from redis import Redis
from rq import Queue

from .logs import log_job

QUEUE_NAME = "advocacy"
HEARTBEAT_KEY = "advocacy:heartbeat:jobs"
F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def _app_context() -> Iterator[None]:
    """Jobs run inside the worker's app context; build one if started by bare ``rq``."""
    if has_app_context():
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
    from .redis_client import get_redis

    now = datetime.now(UTC).isoformat()
    get_redis().set(HEARTBEAT_KEY, now, ex=int(timedelta(days=1).total_seconds()))
    return now


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
