"""The RQ worker: ``python worker.py``. Runs jobs, and RQ's own scheduler for delayed jobs.

By default jobs run in the worker process itself (RQ's SimpleWorker): forking a work horse
per job cost about 70 ms of CPU per job here, more than most jobs (docs/benchmarks.md).
Each job still gets its own app context and database session (``advocacy.jobs.job``).
``WORKER_FORK=1`` restores RQ's forking worker, which isolates jobs from each other.
"""

from __future__ import annotations

from rq import Queue, SimpleWorker, Worker
from rq.job import Job
from sqlalchemy.orm import configure_mappers

from advocacy import create_app
from advocacy.db import db
from advocacy.feeds.fetch import ssl_context
from advocacy.jobs import QUEUE_NAME
from advocacy.redis_client import get_redis


class ForkingWorker(Worker):
    def fork_work_horse(self, job: Job, queue: Queue) -> None:
        # A forked child must not share the parent's database connections.
        db.engine.dispose()
        super().fork_work_horse(job, queue)


def warm_up() -> None:
    """Pay once, before any job (and before any fork), what every job would pay again."""
    configure_mappers()
    ssl_context()


def main() -> None:
    app = create_app()
    with app.app_context():
        warm_up()
        redis = get_redis()
        worker_class = ForkingWorker if app.config["SETTINGS"].worker_fork else SimpleWorker
        worker = worker_class([Queue(QUEUE_NAME, connection=redis)], connection=redis)
        worker.work(with_scheduler=True)


if __name__ == "__main__":
    main()
