"""Crashes, outages and concurrency: every click counted exactly once, whatever happens."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from advocacy import create_app
from advocacy.config import PROJECT_ROOT
from advocacy.db import db
from advocacy.models import Click, ClickRollup, utcnow
from advocacy.tracking.aggregate import aggregate_pending_clicks
from advocacy.tracking.redirect import STREAM
from advocacy.tracking.stream import GROUP
from tests.tracking.test_aggregate import push

CHILD = PROJECT_ROOT / "tests" / "tracking" / "aggregator_child.py"


class Clicks:
    """Pushes distinct human clicks and remembers how many."""

    def __init__(self, redis, code: str) -> None:
        self.redis, self.code, self.pushed = redis, code, 0

    def push(self, n: int) -> None:
        start = utcnow() - timedelta(hours=1)
        for _ in range(n):
            self.pushed += 1
            push(self.redis, self.code, start + timedelta(seconds=self.pushed), f"v{self.pushed}")


def run_child(settings, point: str, batch: int, consumer: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(settings.instance_path),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    return subprocess.run(
        [sys.executable, str(CHILD), point, str(batch), consumer],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def totals(app) -> tuple[int, int]:
    with app.app_context():
        raw = db.session.scalar(select(func.count()).select_from(Click))
        rolled = db.session.scalar(select(func.coalesce(func.sum(ClickRollup.clicks), 0)))
        db.session.rollback()
    return raw, rolled


@pytest.mark.parametrize("point", ["inserted", "applied", "committed"])
def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(app, redis, settings, links, point):
    clicks = Clicks(redis, links[0].code)
    clicks.push(30)
    for attempt in range(3):  # killed three times, with clicks arriving meanwhile
        arriving = threading.Thread(target=clicks.push, args=(15,))
        arriving.start()
        killed = run_child(settings, point, 2, f"doomed-{attempt}")
        arriving.join()
        assert killed.returncode == -9, killed.stderr
    finished = run_child(settings, "none", 0, "survivor")
    assert finished.returncode == 0, finished.stderr
    assert totals(app) == (clicks.pushed, clicks.pushed)
    assert redis.xlen(STREAM) == 0
    assert redis.xpending(STREAM, GROUP)["pending"] == 0


def test_a_database_outage_fails_the_batch_and_the_retry_counts_it_once(
    app, redis, settings, links
):
    clicks = Clicks(redis, links[0].code)
    clicks.push(12)
    broken = create_app(dataclasses.replace(settings, database_url="sqlite:////nonexistent/x.db"))
    with broken.app_context(), pytest.raises(OperationalError):
        aggregate_pending_clicks(db.session, redis, "worker-1", 5)
    assert redis.xpending(STREAM, GROUP)["pending"] == 5  # read, not acknowledged
    with app.app_context():
        counted = aggregate_pending_clicks(db.session, redis, "worker-1", 5)
    assert (counted.counted, counted.duplicates) == (12, 0)
    assert totals(app) == (12, 12)


def test_two_aggregators_at_once_count_everything_once(app, redis, settings, links):
    clicks = Clicks(redis, links[0].code)
    clicks.push(400)
    env_runs = [
        threading.Thread(target=lambda n=n: results.append(run_child(settings, "none", 0, f"w{n}")))
        for n in range(2)
    ]
    results: list[subprocess.CompletedProcess] = []
    for thread in env_runs:
        thread.start()
    for thread in env_runs:
        thread.join()
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    counted = sorted(int(r.stdout.split()[1]) for r in results)
    assert sum(counted) == 400
    assert totals(app) == (400, 400)
