"""Which feeds to refresh now: due, not paused, and only a few per host at a time.

Picked feeds are *claimed* by pushing their next fetch out by a lease in the same
transaction, so a second scheduler tick (or a second scheduler) does not pick them
again while their refresh job waits in the queue.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import Feed
from .refresh import PAUSE_AFTER_ERRORS

CLAIM_LEASE = timedelta(minutes=10)


def claim_due_feeds(
    session: Session, now: datetime, *, limit: int = 1000, per_host: int = 3
) -> list[int]:
    """Ids of the feeds to refresh now, at most ``per_host`` for any one host; commits."""
    rows = session.execute(
        select(Feed.id, Feed.host)
        .where(
            Feed.enabled.is_(True),
            Feed.error_count < PAUSE_AFTER_ERRORS,
            Feed.next_fetch_at <= now,
        )
        .order_by(Feed.next_fetch_at, Feed.id)
        .limit(limit * 4)
    ).all()
    per_host_taken: Counter[str] = Counter()
    picked: list[int] = []
    for feed_id, host in rows:
        if per_host_taken[host] >= per_host:
            continue
        per_host_taken[host] += 1
        picked.append(feed_id)
        if len(picked) == limit:
            break
    if picked:
        session.execute(
            update(Feed)
            .where(Feed.id.in_(picked), Feed.next_fetch_at <= now)
            .values(next_fetch_at=now + CLAIM_LEASE)
        )
    session.commit()
    return picked
