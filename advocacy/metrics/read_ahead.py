"""Independent reads of one page, started together, each on its own session.

The dashboard's tables share nothing but the period: each is a statement or two that the
database computes on its own. Read one after another, the page waits for their sum;
started together on their own connections, it waits for the longest, while the database
(a PostgreSQL backend per connection, or SQLite, which releases the GIL while it computes)
uses the machine's other cores. The work is the same: this buys latency when cores are
idle, as they are for a page that a few leaders open, and nothing on a machine at full load.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")

# threads start on the first read, so a web server may fork before (gunicorn's workers)
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="metrics-read")


def read_ahead(session: Session, read: Callable[[Session], T]) -> Future[T]:
    """``read(session)`` started on a pool thread, the session closed when it returns.

    The session is handed over: the caller must not use it again. ``read`` must return
    what it has read in full (a list, not a lazy sequence on the session)."""

    def run() -> T:
        with session:
            return read(session)

    return _POOL.submit(run)
