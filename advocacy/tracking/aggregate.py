"""The aggregator: click stream → raw log + rollups, exactly once, with any number of workers.

One batch: read entries (claiming those a dead consumer left behind), classify them, and
in ONE transaction insert their raw rows (skipping entry ids already stored) and add to
the rollups only the rows actually inserted; acknowledge after the commit. A redelivered
entry finds its row already there and adds nothing, so a crash anywhere neither loses nor
doubles a click. Batches are committed one at a time (a PostgreSQL advisory lock; SQLite
locks the file for any writer) so that the burst and unique rules see each other's rows.
The work on the database is set-based (``rollups``): Python only parses and classifies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from redis import Redis
from sqlalchemy.orm import Session

from .bots import bot_reason
from .rollups import (
    EVENT_ID,
    StagedClick,
    drop_known_events,
    resolve_codes,
    roll_up,
    stage,
    stage_row,
)
from .stream import StreamEntry, acknowledge, ensure_group, read_batch
from .write_lock import serialize_writes

BATCH_SIZE = 10_000
log = logging.getLogger(__name__)


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


def staged_click(seq: int, entry: StreamEntry) -> StagedClick | None:
    """A ``click_stage`` row from a stream entry; spooled clicks are keyed by their spool id."""
    fields = entry.fields
    try:
        at_ms = int(fields["ts"])
        code = fields["code"]
    except (KeyError, ValueError):
        return None
    spool_id = fields.get("spool")
    user_agent = fields.get("ua", "")[:512]
    return stage_row(
        seq,
        at_ms,
        fields.get("visitor", "")[:64],
        bot_reason(user_agent),
        event_id=f"spool-{spool_id}" if spool_id else entry.entry_id,
        code=code[:16],
        user_agent=user_agent,
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
    rows: list[StagedClick] = []
    seen: set[object] = set()
    malformed = repeated = 0
    for seq, entry in enumerate(entries):
        row = staged_click(seq, entry)
        if row is None:
            malformed += 1
        elif row[EVENT_ID] in seen:  # a spooled click moved twice
            repeated += 1
        else:
            seen.add(row[EVENT_ID])
            rows.append(row)
    session.rollback()  # a fresh transaction, which starts with the write lock
    serialize_writes(session)
    stage(session, rows)
    unknown = resolve_codes(session)
    duplicates = drop_known_events(session)
    applied = roll_up(session, replay=False)
    session.commit()
    totals.humans += applied.humans
    totals.bots += applied.bots
    totals.unknown += malformed + unknown
    totals.duplicates += duplicates + repeated
