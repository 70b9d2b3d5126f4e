"""One aggregating worker, in a process of its own, timed and weighed from inside.

``python -m bench.aggregate_process MODE`` builds the app from the environment, prints
``ready``, waits for ``go`` on stdin, then drains the click stream. MODE is one of:

- ``aggregate``: ``aggregate_pending_clicks(session, redis, consumer)``, what the
  ``aggregate_clicks`` job runs;
- ``read-ack``: the baseline, the same stream read in batches of the same size through
  the same consumer group (XREADGROUP), each batch acknowledged and deleted as the
  aggregator does (``stream.acknowledge``: XACK + XDEL), nothing else.

It prints one JSON line: wall and CPU time of the draining alone, the peak resident
memory of the process when ready and at the end (``VmHWM`` from /proc/self/status: the
high-water mark of this process image; ``ru_maxrss`` would not do, Linux carries it over
from the parent through fork and exec, and the benchmark holds a million clicks), what it
counted, and where the aggregator's time went: each step of a batch is wrapped with a clock
(a few calls per batch, so the clocks cost nothing measurable; ``bot_reason`` is called
twice per click and costs about a microsecond more per click with its clock).
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from advocacy import create_app
from advocacy.db import db
from advocacy.redis_client import get_redis
from advocacy.tracking import aggregate, rollups
from advocacy.tracking.aggregate import BATCH_SIZE, aggregate_pending_clicks
from advocacy.tracking.bots import bot_reason
from advocacy.tracking.redirect import STREAM
from advocacy.tracking.stream import GROUP, acknowledge, ensure_group

CONSUMER = "bench-aggregator"
STAGES = (  # (module, function): the steps of one batch, in order
    (aggregate, "read_batch"),
    (aggregate, "staged_click"),  # parsing and classifying, per entry
    (aggregate, "stage"),
    (aggregate, "resolve_codes"),
    (aggregate, "drop_known_events"),
    (rollups, "_label_bursts"),
    (rollups, "_count_uniques"),
    (rollups, "_add_to_rollups"),
    (aggregate, "acknowledge"),
)
spent: dict[str, float] = defaultdict(float)


def _clocked(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def clocked(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started

    return clocked


def clock_the_stages(session: Session) -> None:
    for module, name in STAGES:
        setattr(module, name, _clocked(name, getattr(module, name)))
    session.commit = _clocked("commit", session.commit)  # type: ignore[method-assign]


def read_and_acknowledge(redis) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ensure_group(redis)
    entries = batches = 0
    while True:
        found = redis.xreadgroup(GROUP, CONSUMER, {STREAM: ">"}, count=BATCH_SIZE)
        ids = [entry_id for _stream, raw in found or [] for entry_id, _fields in raw]
        if not ids:
            return {"counted": entries, "batches": batches}
        acknowledge(redis, ids)
        entries += len(ids)
        batches += 1


def peak_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def main() -> None:
    mode = sys.argv[1]
    app = create_app()
    with app.app_context():
        redis = get_redis()
        session = db.session
        ready_rss = peak_rss_kb()
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit("the benchmark did not say go")
        started, cpu = time.perf_counter(), time.process_time()
        if mode == "aggregate":
            clock_the_stages(session)
            totals = aggregate_pending_clicks(session, redis, CONSUMER)
            counted = {
                "counted": totals.counted,
                "humans": totals.humans,
                "bots": totals.bots,
                "duplicates": totals.duplicates,
                "unknown": totals.unknown,
                "batches": totals.batches,
                "stages": dict(spent),
                "distinct_agents": bot_reason.cache_info().misses,
            }
        else:
            counted = read_and_acknowledge(redis)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_rss_kb()
    report = {"wall": wall, "cpu": cpu, "ready_rss_kb": ready_rss, "peak_rss_kb": peak}
    print(json.dumps({**report, **counted}), flush=True)


if __name__ == "__main__":
    main()
