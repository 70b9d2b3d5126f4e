"""The click stream in Redis, read through a consumer group so many workers share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from redis import Redis
from redis.exceptions import ResponseError

from .redirect import STREAM

GROUP = "aggregators"
CLAIM_AFTER_MS = 60_000  # entries a dead consumer left pending are taken over after this


@dataclass(frozen=True, slots=True)
class StreamEntry:
    entry_id: str
    fields: dict[str, str]


def ensure_group(redis: Redis) -> None:
    try:
        redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def _decode(raw: list) -> list[StreamEntry]:  # type: ignore[type-arg]
    entries = []
    for entry_id, fields in raw:
        if fields is None:  # deleted while pending
            continue
        entries.append(
            StreamEntry(
                entry_id.decode() if isinstance(entry_id, bytes) else entry_id,
                {
                    (k.decode() if isinstance(k, bytes) else k): (
                        v.decode("utf-8", "replace") if isinstance(v, bytes) else v
                    )
                    for k, v in fields.items()
                },
            )
        )
    return entries


def read_batch(redis: Redis, consumer: str, count: int) -> list[StreamEntry]:
    """This consumer's own unacknowledged entries (a failed batch), then those abandoned by
    a dead consumer, then new ones; never blocks."""
    own = redis.xreadgroup(GROUP, consumer, {STREAM: "0"}, count=count)
    entries = [e for _stream, raw in own or [] for e in _decode(raw)]
    if len(entries) < count:
        claimed = redis.xautoclaim(
            STREAM, GROUP, consumer, CLAIM_AFTER_MS, "0-0", count=count - len(entries)
        )
        entries += _decode(claimed[1])
    if len(entries) < count:
        fresh = redis.xreadgroup(GROUP, consumer, {STREAM: ">"}, count=count - len(entries))
        for _stream, raw in fresh or []:
            entries += _decode(raw)
    return entries


def acknowledge(redis: Redis, entry_ids: list[str]) -> None:
    """Done with these: acknowledged, then removed so the stream holds only work left."""
    if not entry_ids:
        return
    pipe = redis.pipeline(transaction=False)
    pipe.xack(STREAM, GROUP, *entry_ids)
    pipe.xdel(STREAM, *entry_ids)
    pipe.execute()


@dataclass(frozen=True, slots=True)
class Lag:
    waiting: int  # entries in the stream: not yet counted (new or pending)
    oldest_age_seconds: float | None


def lag(redis: Redis, now: datetime | None = None) -> Lag:
    now = now or datetime.now(UTC)
    waiting = redis.xlen(STREAM)
    first = redis.xrange(STREAM, count=1)
    if not first:
        return Lag(waiting, None)
    entry_id = first[0][0].decode() if isinstance(first[0][0], bytes) else first[0][0]
    oldest_ms = int(entry_id.split("-", 1)[0])
    return Lag(waiting, max(0.0, now.timestamp() - oldest_ms / 1000))
