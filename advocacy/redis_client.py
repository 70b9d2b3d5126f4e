"""The Redis connection, opened in init_app (never at import) and shared per process."""

from __future__ import annotations

from flask import Flask, current_app
from redis import Redis


def connect(url: str) -> Redis:
    return Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)


def limiter_storage_uri(url: str) -> str:
    """The same server, spelled the way the ``limits`` library wants a unix socket."""
    return "redis+unix://" + url.removeprefix("unix://") if url.startswith("unix://") else url


def init_app(app: Flask) -> None:
    app.extensions["redis"] = connect(app.config["REDIS_URL"])


def get_redis() -> Redis:
    return current_app.extensions["redis"]
