"""Run by the crash tests as a separate process: aggregate, and SIGKILL ourselves at a
chosen point of a chosen batch (argv: point, batch number, consumer name).

Points: ``inserted`` (raw rows written, rollups not yet), ``applied`` (rollups written,
not committed), ``committed`` (committed, not acknowledged), ``none`` (run to the end).
"""

from __future__ import annotations

import os
import signal
import sys

from advocacy import create_app
from advocacy.db import db
from advocacy.tracking import aggregate, rollups, stream
from advocacy.tracking.aggregate import aggregate_pending_clicks


def die_at(point: str, batch: int) -> None:
    calls = {"n": 0}

    def wrap(name: str, module: object, when: str) -> None:
        original = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            if when == "before":
                calls["n"] += 1
                if calls["n"] == batch:
                    os.kill(os.getpid(), signal.SIGKILL)
            result = original(*args, **kwargs)
            if when == "after":
                calls["n"] += 1
                if calls["n"] == batch:
                    os.kill(os.getpid(), signal.SIGKILL)
            return result

        setattr(module, name, wrapper)

    if point == "inserted":
        wrap("_add_to_rollups", rollups, "before")
    elif point == "applied":
        wrap("roll_up", aggregate, "after")
    elif point == "committed":
        wrap("acknowledge", aggregate, "before")


def main() -> None:
    point, batch, consumer = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    stream.CLAIM_AFTER_MS = 0  # take over whatever a killed predecessor left pending
    die_at(point, batch)
    app = create_app()
    with app.app_context():
        totals = aggregate_pending_clicks(db.session, app.extensions["redis"], consumer, 5)
        print(f"counted {totals.counted} duplicates {totals.duplicates}")


if __name__ == "__main__":
    main()
