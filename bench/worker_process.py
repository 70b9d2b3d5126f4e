"""One RQ worker process, as ``worker.py`` runs it but in burst mode, timed from inside.

``python -m bench.worker_process forking|simple`` builds the app from the environment and
warms up like ``worker.py`` (``simple`` is its default, ``forking`` its WORKER_FORK=1),
prints ``ready``, waits for ``go`` on stdin, drains the queue and
prints, as one JSON line, when its last job ended (``time.perf_counter``, the system's
monotonic clock, so the benchmark can compare it with its own) and the CPU time of the
draining alone: its own CPU plus that of the work horses it forked and reaped. Start-up
(imports, ``create_app``) and the burst worker's teardown (up to a second joining its pubsub
thread) are left out on purpose: a real worker pays them once, not once per cycle.
"""

from __future__ import annotations

import json
import os
import sys
import time

from rq import Queue, SimpleWorker
from rq.job import Job
from rq.worker import BaseWorker

import bench.jobs  # noqa: F401  imported before any fork, like advocacy.jobs
from advocacy import create_app
from advocacy.jobs import queue
from advocacy.redis_client import get_redis
from worker import ForkingWorker as RealForkingWorker
from worker import warm_up


class LastJobClock(BaseWorker):
    """Notes when each job ends; the job path itself is the worker class's own."""

    last_job_ended = 0.0

    def execute_job(self, job: Job, queue: Queue) -> None:
        super().execute_job(job, queue)
        self.last_job_ended = time.perf_counter()


class ForkingWorker(LastJobClock, RealForkingWorker):
    pass


class TimedSimpleWorker(LastJobClock, SimpleWorker):
    pass


WORKER_CLASSES: dict[str, type[LastJobClock]] = {
    "forking": ForkingWorker,
    "simple": TimedSimpleWorker,
}


def main() -> None:
    worker_class = WORKER_CLASSES[sys.argv[1]]
    app = create_app()
    with app.app_context():
        warm_up()  # as worker.py does, before any fork
        redis = get_redis()
        worker = worker_class([queue(redis)], connection=redis)
        # A worker cleans the queue's registries when it starts, then every 10 minutes; done
        # here, before any job is in flight, it is neither timed nor racing the other
        # worker's first dequeue (which rq 3 can mistake for a job stuck in its
        # intermediate queue, see docs/benchmarks.md).
        worker.clean_registries()
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit("the benchmark did not say go")
        before, started = os.times(), time.perf_counter()
        worker.work(burst=True)
        after = os.times()
    # user + system, of this process and of the work horses it reaped
    cpu = sum(after[i] - before[i] for i in range(4))
    print(json.dumps({"drained_at": worker.last_job_ended or started, "cpu": cpu}), flush=True)


if __name__ == "__main__":
    main()
