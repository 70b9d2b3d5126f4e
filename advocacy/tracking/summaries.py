"""Keeping the per-user, per-post and per-network click summaries in step with the rollups.

Every change a batch makes to the hourly rollups is first a row of ``click_stage_deltas``
(link, hour, clicks, unique clicks, bot clicks); the same deltas, joined to their share
link, are added here to the day and all-time tables, in the same transaction. ``refill``
recomputes every summary from the rollups: after a bulk load, or to check them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

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


def refill(session: Session) -> None:
    """Recompute every summary from the hourly rollups."""
    sql = DialectSql.of(session)
    for summary in SUMMARIES:
        session.execute(text(f"DELETE FROM {summary.table}"))
        _add(session, summary, "click_rollups", sql.day_of("src.hour"))


def refill_totals(session: Session) -> None:
    """Recompute the all-time tables from the day tables (after a partial rebuild)."""
    daily = {s.key: s for s in SUMMARIES if s.daily}
    for total in (s for s in SUMMARIES if not s.daily):
        days = daily[total.key]
        session.execute(text(f"DELETE FROM {total.table}"))
        session.execute(
            text(
                f"INSERT INTO {total.table} ({total.key}, clicks, unique_clicks, bot_clicks)"
                f" SELECT {days.key}, SUM(clicks), SUM(unique_clicks), SUM(bot_clicks)"
                f" FROM {days.table} GROUP BY {days.key}"
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
