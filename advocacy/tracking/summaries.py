"""Keeping the per-user, per-post and per-network summaries in step with shares and rollups.

Every change a batch makes to the hourly rollups is first a row of ``click_stage_deltas``
(link, hour, clicks, unique clicks, bot clicks); the same deltas, joined to their share
link, are added here to the day and all-time tables, in the same transaction. A new share
link is counted in the transaction that creates it (``add_share``): a share waits for an
aggregator batch that is updating the same day's rows to commit, a fraction of a second.
``refill`` recomputes every summary from the share links and the rollups: after a bulk
load, or to check them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, bindparam, text
from sqlalchemy.orm import Session

from .dialect_sql import DialectSql
from .write_lock import serialize_writes


@dataclass(frozen=True, slots=True)
class Summary:
    table: str
    key: str  # the share_links column it is summed by
    daily: bool

    @property
    def keys(self) -> str:
        """The table's key columns (its conflict target)."""
        return f"{self.key}, day" if self.daily else self.key

    def grouped(self, day: str) -> str:
        """What a share link ``l`` is grouped by for this table, ``day`` its UTC day."""
        return f"l.{self.key}, {day}" if self.daily else f"l.{self.key}"


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


def refill(session: Session) -> None:
    """Recompute every summary from the share links and the hourly rollups (after a bulk
    load, or to check them). No share link or rollup is written meanwhile: the aggregator
    waits for the same lock, and on PostgreSQL sharing waits for the table lock."""
    sql = DialectSql.of(session)
    serialize_writes(session)
    if sql.postgresql:
        session.execute(text("LOCK TABLE share_links IN SHARE MODE"))
    for summary in SUMMARIES:
        session.execute(text(f"DELETE FROM {summary.table}"))
        _add(session, summary, "click_rollups", sql.day_of("src.hour"))
        _add_shares(session, summary, "TRUE")


def clear_clicks(session: Session, since: date | None) -> None:
    """Zero the click figures of the day summaries from ``since`` (None: all days) before a
    rebuild replays the clicks. Their shares stay: they do not come from clicks, and a
    share made during the rebuild must be counted once."""
    where = "" if since is None else " WHERE day >= :since"
    for summary in SUMMARIES:
        if summary.daily:
            statement = text(
                f"UPDATE {summary.table} SET clicks = 0, unique_clicks = 0, bot_clicks = 0{where}"
            )
            if since is not None:
                statement = statement.bindparams(bindparam("since", since, type_=Date()))
            session.execute(statement)


def recount_total_clicks(session: Session) -> None:
    """Set the all-time click figures to the sums of the day summaries (a rebuild's replay
    added to totals it had not cleared); their shares stay as they are."""
    daily = {s.key: s for s in SUMMARIES if s.daily}
    for total in (s for s in SUMMARIES if not s.daily):
        days = daily[total.key]
        session.execute(
            text(
                f"UPDATE {total.table} SET (clicks, unique_clicks, bot_clicks) = ("
                f"SELECT COALESCE(SUM(d.clicks), 0), COALESCE(SUM(d.unique_clicks), 0),"
                f" COALESCE(SUM(d.bot_clicks), 0) FROM {days.table} AS d"
                f" WHERE d.{days.key} = {total.table}.{total.key})"
            )
        )


def drop_empty(session: Session) -> None:
    """Delete the rows left with nothing in them (clicks a rebuild no longer counts)."""
    for summary in SUMMARIES:
        session.execute(
            text(
                f"DELETE FROM {summary.table} WHERE shares = 0 AND clicks = 0"
                " AND unique_clicks = 0 AND bot_clicks = 0"
            )
        )


def _add(session: Session, summary: Summary, source: str, day: str) -> None:
    keys, grouped = summary.keys, summary.grouped(day)
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
    keys, grouped = summary.keys, summary.grouped(DialectSql.of(session).day_of("l.created_at"))
    session.execute(
        text(
            f"INSERT INTO {summary.table} ({keys}, shares, clicks, unique_clicks, bot_clicks)"
            f" SELECT {grouped}, COUNT(*), 0, 0, 0 FROM share_links AS l WHERE {where}"
            f" GROUP BY {grouped}"
            f" ON CONFLICT ({keys}) DO UPDATE SET"
            f" shares = {summary.table}.shares + excluded.shares"
        ),
        params,
    )
