"""The one scheduler process: ``python -m advocacy.scheduler``.

It enqueues :data:`advocacy.jobs.PERIODIC_JOBS` with RQ's CronScheduler. A second
scheduler started by mistake waits on a Redis lock as a standby instead of enqueueing
everything twice; it takes over if the first one dies.
"""

from __future__ import annotations

import logging

from redis import Redis
from redis.exceptions import LockError
from rq.cron import CronScheduler

from . import create_app
from .jobs import PERIODIC_JOBS, QUEUE_NAME
from .redis_client import get_redis

LOCK_KEY = "advocacy:scheduler:leader"
LOCK_SECONDS = 180
log = logging.getLogger("advocacy.scheduler")


class LeaderCronScheduler(CronScheduler):
    """Keeps the leader lock alive on every heartbeat of the scheduling loop."""

    def __init__(self, connection: Redis, lock: object) -> None:
        super().__init__(connection=connection)
        self._lock = lock

    def heartbeat(self) -> None:
        super().heartbeat()
        self._lock.extend(LOCK_SECONDS, replace_ttl=True)  # type: ignore[attr-defined]


def build(redis: Redis, lock: object) -> LeaderCronScheduler:
    scheduler = LeaderCronScheduler(redis, lock)
    for periodic in PERIODIC_JOBS:
        scheduler.register(
            periodic.func, QUEUE_NAME, interval=periodic.every_seconds, name=periodic.id
        )
    return scheduler


def main() -> None:
    app = create_app()
    with app.app_context():
        redis = get_redis()
        lock = redis.lock(LOCK_KEY, timeout=LOCK_SECONDS, sleep=5, thread_local=False)
        if not lock.acquire(blocking=False):
            log.warning("another scheduler holds the lock; waiting as a standby")
            try:
                lock.acquire(blocking=True)
            except KeyboardInterrupt:
                return
        try:
            build(redis, lock).start()
        finally:
            try:
                lock.release()
            except LockError:
                log.warning("the scheduler lock had already expired")


if __name__ == "__main__":
    main()
