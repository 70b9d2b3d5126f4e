"""The RQ worker: ``python worker.py``. Runs jobs, and RQ's own scheduler for delayed jobs."""

from __future__ import annotations

from rq import Queue, Worker
from rq.job import Job

from advocacy import create_app
from advocacy.db import db
from advocacy.jobs import QUEUE_NAME
from advocacy.redis_client import get_redis


class AdvocacyWorker(Worker):
    def fork_work_horse(self, job: Job, queue: Queue) -> None:
        # A forked child must not share the parent's database connections.
        db.engine.dispose()
        super().fork_work_horse(job, queue)


def main() -> None:
    app = create_app()
    with app.app_context():
        redis = get_redis()
        worker = AdvocacyWorker([Queue(QUEUE_NAME, connection=redis)], connection=redis)
        worker.work(with_scheduler=True)


if __name__ == "__main__":
    main()
