"""Every setting, read once from the environment, with its default.

Nothing else in the code reads ``os.environ``: the factory turns a :class:`Settings`
into Flask config, and the worker, scheduler and runner use the same object.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def _secret_key(env: Mapping[str, str], instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept under instance/."""
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key)
    return key


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    redis_url: str
    redis_embedded: bool
    secret_key: str
    short_link_base_url: str
    trusted_proxy_hops: int
    leaderboard_min_shares: int
    feeds_allow_private: bool
    log_format: str
    log_level: str
    login_limit: str
    default_locale: str
    host: str
    port: int
    click_raw_retention_days: int
    points_per_share: int
    points_per_click: int
    worker_fork: bool

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        instance = Path(env.get("INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'advocacy.db'}"
        redis_url = env.get("REDIS_URL") or ""
        hops = _int(env, "TRUSTED_PROXY_HOPS", 0)
        if hops < 0:
            raise ValueError("TRUSTED_PROXY_HOPS must be 0 or more")
        log_format = env.get("LOG_FORMAT", "text").lower()
        if log_format not in {"text", "json"}:
            raise ValueError("LOG_FORMAT must be 'text' or 'json'")
        return cls(
            instance_path=instance,
            database_url=_normalise_database_url(database_url),
            redis_url=redis_url or embedded_redis_url(instance),
            redis_embedded=not redis_url,
            secret_key=_secret_key(env, instance),
            short_link_base_url=(env.get("SHORT_LINK_BASE_URL") or "http://127.0.0.1:8000").rstrip(
                "/"
            ),
            trusted_proxy_hops=hops,
            leaderboard_min_shares=_int(env, "LEADERBOARD_MIN_SHARES", 5),
            feeds_allow_private=_flag(env.get("FEEDS_ALLOW_PRIVATE")),
            log_format=log_format,
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            login_limit=env.get("LOGIN_RATE_LIMIT", "5 per minute"),
            default_locale=env.get("DEFAULT_LOCALE", "en"),
            host=env.get("HOST", "127.0.0.1"),
            port=_int(env, "PORT", 8000),
            click_raw_retention_days=_int(env, "CLICK_RAW_RETENTION_DAYS", 400),
            points_per_share=_int(env, "POINTS_PER_SHARE", 5),
            points_per_click=_int(env, "POINTS_PER_CLICK", 1),
            worker_fork=_flag(env.get("WORKER_FORK")),
        )


def embedded_redis_url(instance: Path) -> str:
    """Where the embedded Redis listens: a unix socket private to this checkout."""
    return f"unix://{instance / 'redis.sock'}"


def _normalise_database_url(url: str) -> str:
    # Operators paste postgres:// URLs from hosting dashboards; SQLAlchemy wants a driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
