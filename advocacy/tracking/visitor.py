"""Visitors without addresses: a keyed hash of (client IP, user agent) under a daily salt.

The salt is random, shared through Redis and dropped after two days, so yesterday's hashes
cannot be recomputed from an address, even by us. No raw IP is stored anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, date, datetime

from redis import Redis

SALT_KEY = "advocacy:visitor-salt:{day}"
SALT_TTL_SECONDS = 2 * 24 * 3600


class DailySalt:
    """Today's salt, fetched from Redis once per process per day."""

    def __init__(self, fallback_secret: str) -> None:
        self._day: date | None = None
        self._salt = b""
        self._fallback_secret = fallback_secret.encode()

    def get(self, redis: Redis, now: datetime) -> bytes:
        day = now.astimezone(UTC).date()  # a date compares faster than a formatted string
        if day != self._day:
            key = SALT_KEY.format(day=day.isoformat())
            redis.set(key, secrets.token_hex(32), nx=True, ex=SALT_TTL_SECONDS)
            self._salt, self._day = bytes.fromhex(redis.get(key).decode()), day  # type: ignore[union-attr]
        return self._salt

    def without_redis(self, now: datetime) -> bytes:
        """Today's salt if this process knows it, else one derived from the secret key.

        Used only while Redis is unreachable; a visitor may then count once more as unique.
        """
        day = now.astimezone(UTC).date()
        if day == self._day:
            return self._salt
        return hmac.new(self._fallback_secret, day.isoformat().encode(), hashlib.sha256).digest()


def visitor_hash(salt: bytes, client_ip: str, user_agent: str) -> str:
    message = f"{client_ip}\n{user_agent}".encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]
