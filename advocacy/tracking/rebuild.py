"""Recomputing the rollups from the raw log: after a classification change, or to check.

From a UTC day on, every derived table (rollups, daily visitors, bursts, the day
summaries) is cleared, the share links made since are counted again in the day summaries,
and the raw clicks are replayed in time order through the same code the aggregator uses,
each re-classified by today's rules. Days are independent (uniques reset at midnight,
bursts are per minute), so starting at a day boundary reproduces the same figures. The
all-time summaries are summed again from the day summaries at the end.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import (
    Click,
    ClickBurst,
    ClickDailyVisitor,
    ClickRollup,
    NetworkClickDay,
    PostClickDay,
    UserClickDay,
)
from . import summaries
from .bots import bot_reason
from .redirect import millis
from .rollups import roll_up, serialize_writes, stage, stage_row

BATCH = 5000


def rebuild_rollups(session: Session, since: date | None = None) -> int:
    """Rebuild everything from ``since`` (a UTC day; None: all time); return clicks replayed."""
    start = datetime.combine(since, time(0), UTC) if since else None
    serialize_writes(session)
    for model, column in (
        (ClickRollup, ClickRollup.hour),
        (ClickBurst, ClickBurst.minute),
        (ClickDailyVisitor, ClickDailyVisitor.day),
        (UserClickDay, UserClickDay.day),
        (PostClickDay, PostClickDay.day),
        (NetworkClickDay, NetworkClickDay.day),
    ):
        bound = start if model in (ClickRollup, ClickBurst) else since
        statement = delete(model)
        session.execute(statement if bound is None else statement.where(column >= bound))
    summaries.add_shares_since(session, start)
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
        stage(
            session,
            [
                stage_row(
                    seq,
                    millis(r.at),
                    r.visitor,
                    bot_reason(r.user_agent),  # today's rules
                    click_id=r.id,
                    link_id=r.link_id,
                )
                for seq, r in enumerate(rows)
            ],
        )
        roll_up(session, replay=True)
        replayed += len(rows)
        last = (rows[-1].at, rows[-1].id)
    summaries.refill_totals(session)  # the replay added to totals that were not cleared
    session.commit()
    return replayed
