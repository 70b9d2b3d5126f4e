"""One aggregating worker, in a process of its own, timed and weighed from inside.

``python -m bench.aggregate_process aggregate|read-ack`` builds the app from the
environment, prints ``ready``, waits for ``go`` on stdin, then drains the click stream:

- ``aggregate``: ``aggregate_pending_clicks(session, redis, consumer)``, what the
  ``aggregate_clicks`` job runs;
- ``read-ack``: the baseline, the same stream read in batches of the same size through
  the same consumer group (XREADGROUP), each batch acknowledged and deleted as the
  aggregator does (``stream.acknowledge``: XACK + XDEL), nothing else.

It prints one JSON line: wall and CPU time of the draining alone, the peak resident
memory of the process (``ru_maxrss``) when ready and at the end, and what it counted.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from advocacy import create_app
from advocacy.db import db
from advocacy.redis_client import get_redis
from advocacy.tracking.aggregate import BATCH_SIZE, aggregate_pending_clicks
from advocacy.tracking.redirect import STREAM
from advocacy.tracking.stream import GROUP, acknowledge, ensure_group

CONSUMER = "bench-aggregator"


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


def main() -> None:
    mode = sys.argv[1]
    app = create_app()
    with app.app_context():
        redis = get_redis()
        session = db.session
        ready_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit("the benchmark did not say go")
        started, cpu = time.perf_counter(), time.process_time()
        if mode == "aggregate":
            totals = aggregate_pending_clicks(session, redis, CONSUMER)
            counted = {
                "counted": totals.counted,
                "humans": totals.humans,
                "bots": totals.bots,
                "duplicates": totals.duplicates,
                "unknown": totals.unknown,
                "batches": totals.batches,
            }
        else:
            counted = read_and_acknowledge(redis)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {"wall": wall, "cpu": cpu, "ready_rss_kb": ready_rss, "peak_rss_kb": peak}
    print(json.dumps({**report, **counted}), flush=True)


if __name__ == "__main__":
    main()
