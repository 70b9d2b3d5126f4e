"""The aggregator: click stream → raw log + rollups, exactly once, with any number of workers.

One batch: read entries (claiming those a dead consumer left behind), classify them, and
in ONE transaction insert their raw rows (ON CONFLICT DO NOTHING on the entry id) and add
to the rollups only the rows actually inserted; acknowledge after the commit. A redelivered
entry finds its row already there and adds nothing, so a crash anywhere neither loses nor
doubles a click. Batches are committed one at a time (a PostgreSQL advisory lock; SQLite
locks the file for any writer) so that the burst and unique rules see each other's rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Click, ShareLink
from .bots import bot_reason
from .rollups import StoredClick, apply_clicks, dialect_insert, serialize_writes
from .stream import StreamEntry, acknowledge, ensure_group, read_batch

BATCH_SIZE = 5000
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ClickEvent:
    event_id: str
    code: str
    at: datetime
    visitor: str
    user_agent: str
    referrer_host: str


@dataclass
class Totals:
    humans: int = 0
    bots: int = 0
    duplicates: int = 0
    unknown: int = 0
    batches: int = 0

    @property
    def counted(self) -> int:
        return self.humans + self.bots


def event_from(entry: StreamEntry) -> ClickEvent | None:
    """A click from a stream entry; spooled clicks are keyed by their spool id."""
    fields = entry.fields
    try:
        at = datetime.fromtimestamp(int(fields["ts"]) / 1000, UTC)
        code = fields["code"]
    except (KeyError, ValueError):
        return None
    spool_id = fields.get("spool")
    return ClickEvent(
        event_id=f"spool-{spool_id}" if spool_id else entry.entry_id,
        code=code,
        at=at,
        visitor=fields.get("visitor", "")[:64],
        user_agent=fields.get("ua", "")[:512],
        referrer_host=fields.get("ref", "")[:255],
    )


def aggregate_pending_clicks(
    session: Session, redis: Redis, consumer: str, batch_size: int = BATCH_SIZE
) -> Totals:
    """Count everything waiting in the stream now; return what was counted."""
    ensure_group(redis)
    totals = Totals()
    while True:
        entries = read_batch(redis, consumer, batch_size)
        if not entries:
            return totals
        store_batch(session, entries, totals)
        acknowledge(redis, [e.entry_id for e in entries])
        totals.batches += 1


def store_batch(session: Session, entries: list[StreamEntry], totals: Totals) -> None:
    """Insert and roll up one batch in one transaction (committed here)."""
    events = [e for e in map(event_from, entries) if e is not None]
    totals.unknown += len(entries) - len(events)
    links = _link_ids(session, {e.code for e in events})
    known = [e for e in events if e.code in links]
    totals.unknown += len(events) - len(known)
    session.rollback()  # end the read-only transaction: the write one starts with its lock
    serialize_writes(session)
    rows = [
        {
            "event_id": e.event_id,
            "link_id": links[e.code],
            "at": e.at,
            "visitor": e.visitor,
            "human": bot_reason(e.user_agent) is None,
            "reason": bot_reason(e.user_agent),
            "user_agent": e.user_agent,
            "referrer_host": e.referrer_host,
        }
        for e in known
    ]
    inserted = _insert_new(session, rows)
    by_event = {e.event_id: e for e in known}
    stored = [
        StoredClick(
            click_id,
            links[by_event[event_id].code],
            by_event[event_id].at,
            by_event[event_id].visitor,
            bot_reason(by_event[event_id].user_agent),
        )
        for click_id, event_id in inserted
    ]
    applied = apply_clicks(session, stored)
    session.commit()
    totals.humans += applied.humans
    totals.bots += applied.bots
    totals.duplicates += len(rows) - len(inserted)


def _link_ids(session: Session, codes: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), 2000):
        chunk = ordered[start : start + 2000]
        rows = session.execute(
            select(ShareLink.code, ShareLink.id).where(ShareLink.code.in_(chunk))
        )
        found.update((code, link_id) for code, link_id in rows)
    return found


def _insert_new(session: Session, rows: list[dict[str, object]]) -> list[tuple[int, str]]:
    """Insert raw rows, skipping entry ids already stored; (id, event_id) of those inserted."""
    inserted: list[tuple[int, str]] = []
    for start in range(0, len(rows), 1000):
        chunk = rows[start : start + 1000]
        statement = (
            dialect_insert(session, Click)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(Click.id, Click.event_id)
        )
        inserted += [(row.id, row.event_id) for row in session.execute(statement)]
    return inserted
