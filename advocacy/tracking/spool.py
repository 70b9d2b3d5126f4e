"""Moving clicks spooled during a Redis outage into the stream, once Redis is back.

Each moved entry carries its spool id (``spool``): the aggregator keys raw clicks by it,
so even a crash between the XADD and the delete cannot count a click twice.
"""

from __future__ import annotations

from redis import Redis
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import SpooledClick
from .redirect import STREAM, STREAM_MAXLEN, Click

BATCH = 1000


def drain_spooled_clicks(session: Session, redis: Redis, batch: int = BATCH) -> int:
    """Move every spooled click to the stream, oldest first; return how many moved."""
    moved = 0
    while True:
        rows = session.scalars(select(SpooledClick).order_by(SpooledClick.id).limit(batch)).all()
        if not rows:
            return moved
        pipe = redis.pipeline(transaction=False)
        for row in rows:
            click = Click(row.code, row.at_ms, row.visitor, row.user_agent, row.referrer_host)
            fields = {**click.fields(), "spool": str(row.id)}
            pipe.xadd(STREAM, fields, maxlen=STREAM_MAXLEN, approximate=True)
        pipe.execute()
        session.execute(delete(SpooledClick).where(SpooledClick.id.in_([r.id for r in rows])))
        session.commit()
        moved += len(rows)
