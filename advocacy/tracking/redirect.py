"""The hot path: ``/s/<code>`` → 302, recording the click in the same Redis round trip.

A Lua script reads the cached target and appends the click to the stream atomically, so
a cache hit costs one round trip and no SQL. On a miss the database fills the cache. If
Redis is down the click is spooled to the database and the redirect still happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Post, ShareLink, SpooledClick

STREAM = "advocacy:clicks"
LINK_KEY = "advocacy:link:{code}"
GONE = "!gone"  # cached for taken-down posts: answer 410, count nothing
LINK_TTL_SECONDS = 7 * 24 * 3600
STREAM_MAXLEN = 5_000_000  # a ceiling against runaway growth; the worker trims what it has read

# KEYS[1] link key, KEYS[2] stream; ARGV: record (0/1), then field/value pairs
_FOLLOW = """
local target = redis.call('GET', KEYS[1])
if target and target ~= ARGV[2] and ARGV[1] == '1' then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', unpack(ARGV, 4))
end
return target
"""


@dataclass(frozen=True, slots=True)
class Click:
    code: str
    at_ms: int
    visitor: str
    user_agent: str
    referrer_host: str

    def fields(self) -> dict[str, str]:
        return {
            "code": self.code,
            "ts": str(self.at_ms),
            "visitor": self.visitor,
            "ua": self.user_agent,
            "ref": self.referrer_host,
        }


class Redirector:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._follow = redis.register_script(_FOLLOW)

    def follow_cached(self, code: str, click: Click | None) -> str | None:
        """The cached target (or GONE), recording ``click`` when there is a live target."""
        args: list[str | int] = ["1" if click else "0", GONE, STREAM_MAXLEN]
        if click:
            for key, value in click.fields().items():
                args += [key, value]
        found = self._follow(keys=[LINK_KEY.format(code=code), STREAM], args=args)
        return found.decode() if isinstance(found, bytes) else found

    def record(self, click: Click) -> None:
        self.redis.xadd(STREAM, click.fields(), maxlen=STREAM_MAXLEN, approximate=True)

    def cache(self, code: str, target: str) -> None:
        self.redis.set(LINK_KEY.format(code=code), target, ex=LINK_TTL_SECONDS)


def target_from_database(session: Session, code: str) -> str | None:
    """The link's target, GONE for a taken-down post, None for an unknown code."""
    row = session.execute(
        select(ShareLink.target_url, Post.taken_down_at)
        .join(Post, Post.id == ShareLink.post_id)
        .where(ShareLink.code == code)
    ).first()
    if row is None:
        return None
    return GONE if row.taken_down_at is not None else row.target_url


def spool(session: Session, click: Click) -> None:
    session.add(
        SpooledClick(
            code=click.code,
            at_ms=click.at_ms,
            visitor=click.visitor,
            user_agent=click.user_agent,
            referrer_host=click.referrer_host,
        )
    )
    session.commit()


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def millis(at: datetime) -> int:
    """Exact integer milliseconds since the epoch (no float rounding)."""
    return (at - EPOCH) // timedelta(milliseconds=1)


def codes_of_post(session: Session, post_id: int) -> list[str]:
    return list(session.scalars(select(ShareLink.code).where(ShareLink.post_id == post_id)))
