"""Pruning what is no longer needed: old raw clicks (rollups are kept for ever)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..models import Click, ClickBurst, ClickDailyVisitor

HELPER_DAYS = 7  # burst and unique-visitor bookkeeping outlives any late, spooled click


def prune_clicks(session: Session, now: datetime, raw_days: int) -> int:
    """Delete raw clicks older than ``raw_days`` and stale bookkeeping; idempotent."""
    removed = session.execute(delete(Click).where(Click.at < now - timedelta(days=raw_days)))
    helper_cutoff = now - timedelta(days=HELPER_DAYS)
    session.execute(delete(ClickBurst).where(ClickBurst.minute < helper_cutoff))
    session.execute(delete(ClickDailyVisitor).where(ClickDailyVisitor.day < helper_cutoff.date()))
    session.commit()
    return removed.rowcount or 0
