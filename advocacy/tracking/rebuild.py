"""Recomputing the rollups from the raw log: after a classification change, or to check.

From a UTC day on, the rollups, daily visitors and bursts are cleared, the clicks of the
day summaries zeroed (their shares stay: shares are counted when made, not from clicks),
and the raw clicks are replayed in time order through the same code the aggregator uses,
each re-classified by today's rules. Days are independent (uniques reset at midnight,
bursts are per minute), so starting at a day boundary reproduces the same figures. The
all-time clicks are summed again from the day summaries at the end.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import Click, ClickBurst, ClickDailyVisitor, ClickRollup
from . import summaries
from .bots import bot_reason
from .redirect import millis
from .rollups import roll_up, stage, stage_row
from .write_lock import serialize_writes

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
        bound = start if model in (ClickRollup, ClickBurst) else since
        statement = delete(model)
        session.execute(statement if bound is None else statement.where(column >= bound))
    summaries.clear_clicks(session, since)
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
    summaries.recount_total_clicks(session)
    summaries.drop_empty(session)
    session.commit()
    return replayed
