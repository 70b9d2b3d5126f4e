from __future__ import annotations

import re

from rq import SimpleWorker

from advocacy.jobs import HEARTBEAT_KEY, PERIODIC_JOBS, queue
from advocacy.scheduler import LOCK_KEY, build


def test_periodic_jobs_have_stable_valid_ids(app):
    ids = [job.id for job in PERIODIC_JOBS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)


def test_the_scheduler_enqueues_each_periodic_job_and_a_worker_runs_it(app, redis):
    lock = redis.lock(LOCK_KEY, timeout=60)
    assert lock.acquire(blocking=False)
    scheduler = build(redis, lock)
    assert [j.name for j in scheduler.get_jobs()] == [j.id for j in PERIODIC_JOBS]
    enqueued = scheduler.enqueue_jobs()
    assert len(enqueued) == len(PERIODIC_JOBS)
    assert queue(redis).count == len(PERIODIC_JOBS)
    with app.app_context():
        SimpleWorker([queue(redis)], connection=redis).work(burst=True)
    assert queue(redis).count == 0
    assert redis.get(HEARTBEAT_KEY) is not None
    lock.release()


def test_periodic_jobs_are_safe_to_run_twice(app, redis):
    jobs = [queue(redis).enqueue(p.func) for _ in range(2) for p in PERIODIC_JOBS]
    with app.app_context():
        SimpleWorker([queue(redis)], connection=redis).work(burst=True)
    assert [job.get_status(refresh=True) for job in jobs] == ["finished"] * len(jobs)


def test_a_second_scheduler_cannot_take_the_lead(redis):
    first = redis.lock(LOCK_KEY, timeout=60)
    second = redis.lock(LOCK_KEY, timeout=60)
    assert first.acquire(blocking=False)
    assert not second.acquire(blocking=False)
    first.release()
    assert second.acquire(blocking=False)
    second.release()
