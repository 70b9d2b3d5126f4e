"""Is the service able to work: can it reach its database and its Redis?"""

from __future__ import annotations

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .jobs import heartbeat_age
from .tracking.lag import counting_lag

STALE_AFTER_SECONDS = 180


def check(session: Session, redis: Redis) -> dict[str, object]:
    report: dict[str, object] = {"status": "ok", "db": "ok", "redis": "ok"}
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        session.rollback()
        report["db"] = f"error: {type(exc).__name__}"
    try:
        redis.ping()
    except (RedisError, OSError) as exc:
        report["redis"] = f"error: {type(exc).__name__}"
    if report["redis"] == "ok":
        report["jobs"] = _jobs_state(redis)
    if report["db"] == "ok":
        report["clicks"] = counting_lag(session, redis).as_dict()
    if report["db"] != "ok" or report["redis"] != "ok":
        report["status"] = "error"
    return report


def _jobs_state(redis: Redis) -> str:
    """Informational: has a worker run the scheduler's heartbeat job lately?"""
    age = heartbeat_age(redis)
    if age is None:
        return "waiting"
    return "ok" if age < STALE_AFTER_SECONDS else f"stale ({int(age)}s)"
