"""Recomputing the rollups from the raw log: after a classification change, or to check.

From a UTC day on, every derived table (rollups, daily visitors, bursts) is cleared and
the raw clicks are replayed in time order through the same code the aggregator uses,
each re-classified by today's rules. Days are independent (uniques reset at midnight,
bursts are per minute), so starting at a day boundary reproduces the same figures.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..models import Click, ClickBurst, ClickDailyVisitor, ClickRollup
from .bots import bot_reason
from .rollups import StoredClick, apply_clicks, serialize_writes

BATCH = 5000


def rebuild_rollups(session: Session, since: date | None = None) -> int:
    """Rebuild everything from ``since`` (a UTC day; None: all time); return clicks replayed."""
    start = datetime.combine(since, time(0), UTC) if since else None
    serialize_writes(session)
    for model, column in (
        (ClickRollup, ClickRollup.hour),
        (ClickBurst, ClickBurst.minute),
        (ClickDailyVisitor, ClickDailyVisitor.day),
    ):
        bound = since if model is ClickDailyVisitor else start
        statement = delete(model)
        session.execute(statement if bound is None else statement.where(column >= bound))
    replayed = 0
    last: tuple[datetime, int] | None = None
    while True:
        query = select(Click.id, Click.link_id, Click.at, Click.visitor, Click.user_agent)
        if start is not None:
            query = query.where(Click.at >= start)
        if last is not None:
            query = query.where(
                (Click.at > last[0]) | ((Click.at == last[0]) & (Click.id > last[1]))
            )
        rows = session.execute(query.order_by(Click.at, Click.id).limit(BATCH)).all()
        if not rows:
            break
        clicks = [
            StoredClick(r.id, r.link_id, r.at, r.visitor, bot_reason(r.user_agent)) for r in rows
        ]
        _reclassify(session, clicks)
        apply_clicks(session, clicks)
        replayed += len(clicks)
        last = (rows[-1].at, rows[-1].id)
    session.commit()
    return replayed


def _reclassify(session: Session, clicks: list[StoredClick]) -> None:
    """Store today's verdict on each raw row (bursts are labelled again by apply_clicks)."""
    by_reason: dict[str | None, list[int]] = {}
    for click in clicks:
        by_reason.setdefault(click.bot_reason, []).append(click.id)
    for reason, ids in by_reason.items():
        for start in range(0, len(ids), 2000):
            session.execute(
                update(Click)
                .where(Click.id.in_(ids[start : start + 2000]))
                .values(human=reason is None, reason=reason)
            )
