"""When to fetch a feed next: a pure function, so the rules are tested without a clock."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_BACKOFF = timedelta(hours=24)
MAX_RETRY_AFTER = timedelta(days=7)
_MAX_DOUBLINGS = 32  # 2**32 intervals is past any cap; stops the multiplication overflowing


def next_fetch_at(
    now: datetime, *, interval: timedelta, error_count: int, retry_after: datetime | None
) -> datetime:
    """The next fetch time after a fetch at ``now``.

    ``error_count`` is the number of consecutive failures including this one: the delay
    doubles with each (interval, 2x, 4x...) but backoff alone never waits more than 24 hours,
    unless the interval itself is longer. A server's Retry-After pushes the next fetch out to
    that moment, capped at 7 days; nothing brings it earlier than ``now + interval``.
    """
    delay = interval
    if error_count > 0:
        backoff = interval * 2 ** min(error_count, _MAX_DOUBLINGS)
        delay = max(interval, min(backoff, MAX_BACKOFF))
    due = now + delay
    if retry_after is not None:
        due = max(due, min(retry_after, now + MAX_RETRY_AFTER))
    return due
