"""How far behind counting is: clicks waiting in the stream, their age, clicks spooled."""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import SpooledClick
from .stream import lag


@dataclass(frozen=True, slots=True)
class CountingLag:
    waiting: int | None
    oldest_age_seconds: float | None
    spooled: int

    def as_dict(self) -> dict[str, object]:
        return {
            "waiting": self.waiting,
            "oldest_age_seconds": None
            if self.oldest_age_seconds is None
            else round(self.oldest_age_seconds, 1),
            "spooled": self.spooled,
        }


def counting_lag(session: Session, redis: Redis) -> CountingLag:
    spooled = session.scalar(select(func.count()).select_from(SpooledClick)) or 0
    try:
        stream = lag(redis)
    except RedisError:
        return CountingLag(None, None, spooled)
    return CountingLag(stream.waiting, stream.oldest_age_seconds, spooled)
