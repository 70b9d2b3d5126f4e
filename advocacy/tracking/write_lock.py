"""One writer of the rollups and summaries at a time: the aggregator, a rebuild, a refill."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from .dialect_sql import DialectSql

ADVISORY_LOCK = 7_345_112  # any constant shared by every writer of the rollups


def serialize_writes(session: Session) -> None:
    """One rollup writer at a time, from the start of the transaction.

    PostgreSQL takes an advisory lock until commit. SQLite has one writer anyway, but a
    transaction that reads first and writes later cannot upgrade its snapshot once another
    writer has committed (WAL answers "busy" at once): a write that changes nothing takes
    the write lock first, waiting its turn under ``busy_timeout``.
    """
    if DialectSql.of(session).postgresql:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    else:
        session.execute(text("UPDATE click_bursts SET count = count WHERE 0"))
