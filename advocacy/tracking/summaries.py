"""Keeping the per-user, per-post and per-network summaries in step with shares and rollups.

Every change a batch makes to the hourly rollups is first a row of ``click_stage_deltas``
(link, hour, clicks, unique clicks, bot clicks); the same deltas, joined to their share
link, are added here to the day and all-time tables, in the same transaction. A new share
link is counted in the transaction that creates it (``add_share``). ``refill`` recomputes
every summary from the share links and the rollups: after a bulk load, or to check them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from ..models import ShareLink
from .dialect_sql import DialectSql


@dataclass(frozen=True, slots=True)
class Summary:
    table: str
    key: str  # the share_links column it is summed by
    daily: bool


SUMMARIES = (
    Summary("user_click_days", "user_id", daily=True),
    Summary("user_click_totals", "user_id", daily=False),
    Summary("post_click_days", "post_id", daily=True),
    Summary("post_click_totals", "post_id", daily=False),
    Summary("network_click_days", "network", daily=True),
)


def add_deltas(session: Session, sql: DialectSql) -> None:
    """Add this batch's ``click_stage_deltas`` to every summary."""
    for summary in SUMMARIES:
        _add(session, summary, "click_stage_deltas", sql.date("src.hour / 24"))


def add_share(session: Session, link_id: int) -> None:
    """Count a new share link in every summary."""
    for summary in SUMMARIES:
        _add_shares(session, summary, "l.id = :link_id", link_id=link_id)


def add_shares_since(session: Session, since: datetime | None) -> None:
    """Count the share links created from ``since`` (None: all) in the day summaries, after
    a rebuild cleared them from that day."""
    where, params = ("TRUE", {}) if since is None else ("l.created_at >= :since", {"since": since})
    for summary in SUMMARIES:
        if summary.daily:
            _add_shares(session, summary, where, **params)


def refill(session: Session) -> None:
    """Recompute every summary from the share links and the hourly rollups."""
    sql = DialectSql.of(session)
    for summary in SUMMARIES:
        session.execute(text(f"DELETE FROM {summary.table}"))
        _add(session, summary, "click_rollups", sql.day_of("src.hour"))
        _add_shares(session, summary, "TRUE")


def refill_totals(session: Session) -> None:
    """Recompute the all-time tables from the day tables (after a partial rebuild)."""
    daily = {s.key: s for s in SUMMARIES if s.daily}
    for total in (s for s in SUMMARIES if not s.daily):
        days = daily[total.key]
        session.execute(text(f"DELETE FROM {total.table}"))
        session.execute(
            text(
                f"INSERT INTO {total.table}"
                f" ({total.key}, shares, clicks, unique_clicks, bot_clicks)"
                f" SELECT {days.key}, SUM(shares), SUM(clicks), SUM(unique_clicks),"
                f" SUM(bot_clicks) FROM {days.table} GROUP BY {days.key}"
            )
        )


def _add(session: Session, summary: Summary, source: str, day: str) -> None:
    keys = f"{summary.key}, day" if summary.daily else summary.key
    grouped = f"l.{summary.key}, {day}" if summary.daily else f"l.{summary.key}"
    session.execute(
        text(
            f"INSERT INTO {summary.table} ({keys}, clicks, unique_clicks, bot_clicks)"
            f" SELECT {grouped}, SUM(src.clicks), SUM(src.unique_clicks), SUM(src.bot_clicks)"
            f" FROM {source} AS src JOIN share_links AS l ON l.id = src.link_id WHERE TRUE"
            f" GROUP BY {grouped}"
            f" ON CONFLICT ({keys}) DO UPDATE SET"
            f" clicks = {summary.table}.clicks + excluded.clicks,"
            f" unique_clicks = {summary.table}.unique_clicks + excluded.unique_clicks,"
            f" bot_clicks = {summary.table}.bot_clicks + excluded.bot_clicks"
        )
    )


def _add_shares(session: Session, summary: Summary, where: str, **params: Any) -> None:
    day = DialectSql.of(session).day_of("l.created_at")
    keys = f"{summary.key}, day" if summary.daily else summary.key
    grouped = f"l.{summary.key}, {day}" if summary.daily else f"l.{summary.key}"
    statement = text(
        f"INSERT INTO {summary.table} ({keys}, shares, clicks, unique_clicks, bot_clicks)"
        f" SELECT {grouped}, COUNT(*), 0, 0, 0 FROM share_links AS l WHERE {where}"
        f" GROUP BY {grouped}"
        f" ON CONFLICT ({keys}) DO UPDATE SET"
        f" shares = {summary.table}.shares + excluded.shares"
    )
    # a time is bound as the column stores it (text in a fixed format on SQLite)
    stored_time = ShareLink.created_at.type
    typed = [
        bindparam(name, value, type_=stored_time if isinstance(value, datetime) else None)
        for name, value in params.items()
    ]
    session.execute(statement.bindparams(*typed))
