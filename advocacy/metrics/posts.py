"""Posts and networks: what travelled, where, and for how long (the half-life)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, func, select
from sqlalchemy.orm import Session

from ..models import ClickRollup, Post, PostClickDay, ShareLink
from ..models.tracking import NETWORKS
from ..tracking.dialect_sql import DialectSql
from .base import (
    BY_NETWORK,
    BY_POST,
    ZERO,
    counts_by,
    day_bounds,
    in_period,
    name_order,
    split_days,
    sums,
)
from .paging import OrderedRows
from .period import Period


@dataclass(frozen=True, slots=True)
class PostRow:
    post_id: int
    title: str
    shares: int
    clicks: int
    unique_clicks: int
    bot_clicks: int
    half_life_hours: float | None


@dataclass(frozen=True, slots=True)
class NetworkRow:
    network: str
    shares: int
    clicks: int
    unique_clicks: int


def half_life_hours(first_share: datetime, hourly: list[tuple[datetime, int]]) -> float | None:
    """Hours from the first share until the post had half of its clicks (hourly grain: the
    end of the hour in which the running total reached half). None without clicks."""
    total = sum(clicks for _hour, clicks in hourly)
    if total == 0:
        return None
    running = 0
    for hour, clicks in sorted(hourly):
        running += clicks
        if 2 * running >= total:
            return _hours_until_end_of(hour, first_share)
    return None  # not reached: impossible once total > 0


def _hours_until_end_of(hour: datetime, first_share: datetime) -> float:
    reached = hour + timedelta(hours=1)
    return round(max(0.0, (reached - first_share).total_seconds() / 3600), 1)


def post_rows(session: Session, period: Period) -> OrderedRows[PostRow]:
    """Posts shared or clicked in the period, most clicked first (then most shared, then
    by title), ordered by the database.

    The half-life needs hourly clicks, the one figure the summaries cannot give alone: it
    is computed for the rows read (an API page, the dashboard's top ten, every row of a
    CSV), when they are read.
    """
    counts = sums(period, BY_POST).subquery("counts")
    ordered = (
        select(
            Post.id,
            Post.title,
            counts.c.shares,
            counts.c.clicks,
            counts.c.unique_clicks,
            counts.c.bot_clicks,
        )
        .join(counts, counts.c.key == Post.id)
        .order_by(
            counts.c.clicks.desc(),
            counts.c.shares.desc(),
            name_order(session, Post.title),
            Post.id,
        )
    )

    def with_half_lives(rows: list[Row[Any]], _first_rank: int) -> list[PostRow]:
        lives = half_lives(session, period, [r.id for r in rows])
        return [
            PostRow(r.id, r.title, int(r.shares), int(r.clicks), int(r.unique_clicks),
                    int(r.bot_clicks), lives.get(r.id))
            for r in rows
        ]  # fmt: skip

    count = select(func.count()).select_from(counts)
    return OrderedRows(session, ordered, count, with_half_lives)


def half_lives(session: Session, period: Period, post_ids: list[int]) -> dict[int, float | None]:
    """Each post's half-life in the period, as ``half_life_hours`` defines it.

    The database finds the hour in which each post's running total reached half, so a
    post's hundreds of hours never reach Python. A period of whole UTC days (every preset)
    first finds that day in the day summaries, then reads that one day's hours."""
    if not post_ids:
        return {}
    first_share = dict(
        session.execute(
            select(ShareLink.post_id, func.min(ShareLink.created_at))
            .where(ShareLink.post_id.in_(post_ids))
            .group_by(ShareLink.post_id)
        ).all()
    )
    days, edges = split_days(period)
    if days is not None and not edges:
        half_reached = _half_reached_by_day(session, days, post_ids)
    else:
        half_reached = _half_reached_by_hour(session, period, post_ids)
    return {
        post_id: _hours_until_end_of(half_reached[post_id], first_share[post_id])
        if post_id in half_reached
        else None
        for post_id in post_ids
        if post_id in first_share
    }


def _half_reached_by_hour(
    session: Session, period: Period, post_ids: list[int]
) -> dict[int, datetime]:
    """The hour each post's running total reached half: a window over its hourly clicks."""
    hourly = (
        select(
            ShareLink.post_id,
            ClickRollup.hour,
            func.sum(ClickRollup.clicks).label("clicks"),
        )
        .join(ShareLink, ShareLink.id == ClickRollup.link_id)
        .where(in_period(ClickRollup.hour, period), ShareLink.post_id.in_(post_ids))
        .group_by(ShareLink.post_id, ClickRollup.hour)
        .subquery()
    )
    running = select(
        hourly.c.post_id,
        hourly.c.hour,
        func.sum(hourly.c.clicks)
        .over(partition_by=hourly.c.post_id, order_by=hourly.c.hour)
        .label("running"),
        func.sum(hourly.c.clicks).over(partition_by=hourly.c.post_id).label("total"),
    ).subquery()
    return dict(
        session.execute(
            select(running.c.post_id, func.min(running.c.hour))
            .where(running.c.total > 0, 2 * running.c.running >= running.c.total)
            .group_by(running.c.post_id)
        ).all()
    )


def _half_reached_by_day(
    session: Session, days: tuple[date | None, date | None], post_ids: list[int]
) -> dict[int, datetime]:
    """The same hour for a period of whole days: the day each post's running total crossed
    half, from a window over the day summaries, then the hours of that one day."""
    key, day, clicks = PostClickDay.post_id, PostClickDay.day, PostClickDay.clicks
    daily = (
        select(
            key,
            day,
            clicks,
            func.sum(clicks).over(partition_by=key, order_by=day).label("running"),
            func.sum(clicks).over(partition_by=key).label("total"),
        )
        .where(key.in_(post_ids), *day_bounds(day, days))
        .subquery()
    )
    before = daily.c.running - daily.c.clicks
    crossing = (
        select(daily.c.post_id, daily.c.day, before.label("before"), daily.c.total)
        .where(
            daily.c.total > 0,
            2 * daily.c.running >= daily.c.total,
            2 * before < daily.c.total,  # the first such day
        )
        .subquery()
    )
    hours_of_that_day = (
        select(crossing.c.post_id, crossing.c.before, crossing.c.total, ClickRollup.hour)
        .add_columns(func.sum(ClickRollup.clicks))
        .join(ShareLink, ShareLink.post_id == crossing.c.post_id)
        .join(
            ClickRollup,
            and_(
                ClickRollup.link_id == ShareLink.id,
                ClickRollup.hour >= crossing.c.day,
                ClickRollup.hour < DialectSql.of(session).next_day(crossing.c.day),
            ),
        )
        .group_by(crossing.c.post_id, crossing.c.before, crossing.c.total, ClickRollup.hour)
        .order_by(crossing.c.post_id, ClickRollup.hour)
    )
    reached: dict[int, datetime] = {}
    running: dict[int, int] = {}
    for post_id, clicks_before, total, hour, hour_clicks in session.execute(hours_of_that_day):
        running[post_id] = running.get(post_id, int(clicks_before)) + int(hour_clicks)
        if post_id not in reached and 2 * running[post_id] >= total:
            reached[post_id] = hour
    return reached


def network_rows(session: Session, period: Period) -> list[NetworkRow]:
    """Every network, most clicked first."""
    counted = counts_by(session, period, BY_NETWORK)
    rows = [
        NetworkRow(network, counts.shares, counts.clicks, counts.unique_clicks)
        for network, counts in ((n, counted.get(n, ZERO)) for n in NETWORKS)
    ]
    rows.sort(key=lambda r: (-r.clicks, -r.shares, r.network))
    return rows
