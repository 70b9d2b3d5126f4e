"""Posts and networks: what travelled, where, and for how long (the half-life)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ClickRollup, Post, ShareLink
from ..models.tracking import NETWORKS
from .base import BY_NETWORK, BY_POST, ZERO, clicks_by, in_period
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


def post_rows(session: Session, period: Period, detail: slice | None = None) -> list[PostRow]:
    """Posts shared or clicked in the period, most clicked first.

    The half-life needs each post's hourly clicks, the one figure that cannot come from
    the day summaries: it is computed for the rows in ``detail`` (a page; None: all), the
    others have None there and are not meant to be shown.
    """
    shares = Counter(
        {
            post_id: count
            for post_id, count in session.execute(
                select(ShareLink.post_id, func.count())
                .where(in_period(ShareLink.created_at, period))
                .group_by(ShareLink.post_id)
            )
        }
    )
    clicks = clicks_by(session, period, BY_POST)
    post_ids = set(shares) | set(clicks)
    if not post_ids:
        return []
    titles = dict(session.execute(select(Post.id, Post.title).where(Post.id.in_(post_ids))).all())
    rows = []
    for post_id in post_ids:
        counts = clicks.get(post_id, ZERO)
        rows.append(
            PostRow(
                post_id=post_id,
                title=titles.get(post_id, ""),
                shares=shares[post_id],
                clicks=counts.clicks,
                unique_clicks=counts.unique_clicks,
                bot_clicks=counts.bot_clicks,
                half_life_hours=None,
            )
        )
    rows.sort(key=lambda r: (-r.clicks, -r.shares, r.title.lower(), r.post_id))
    shown = [r.post_id for r in rows[detail or slice(None)]]
    lives = half_lives(session, period, shown)
    return [replace(r, half_life_hours=lives[r.post_id]) if r.post_id in lives else r for r in rows]


def half_lives(session: Session, period: Period, post_ids: list[int]) -> dict[int, float | None]:
    """Each post's half-life in the period, as ``half_life_hours`` defines it.

    The database finds the hour in which each post's running total reached half (a window
    over its hourly clicks), so a post's hundreds of hours never reach Python."""
    if not post_ids:
        return {}
    first_share = dict(
        session.execute(
            select(ShareLink.post_id, func.min(ShareLink.created_at))
            .where(ShareLink.post_id.in_(post_ids))
            .group_by(ShareLink.post_id)
        ).all()
    )
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
    half_reached = dict(
        session.execute(
            select(running.c.post_id, func.min(running.c.hour))
            .where(running.c.total > 0, 2 * running.c.running >= running.c.total)
            .group_by(running.c.post_id)
        ).all()
    )
    return {
        post_id: _hours_until_end_of(half_reached[post_id], first_share[post_id])
        if post_id in half_reached
        else None
        for post_id in post_ids
        if post_id in first_share
    }


def network_rows(session: Session, period: Period) -> list[NetworkRow]:
    """Every network, most clicked first."""
    shares = Counter(
        {
            network: count
            for network, count in session.execute(
                select(ShareLink.network, func.count())
                .where(in_period(ShareLink.created_at, period))
                .group_by(ShareLink.network)
            )
        }
    )
    clicks = clicks_by(session, period, BY_NETWORK)
    rows = [
        NetworkRow(
            network,
            shares[network],
            clicks.get(network, ZERO).clicks,
            clicks.get(network, ZERO).unique_clicks,
        )
        for network in NETWORKS
    ]
    rows.sort(key=lambda r: (-r.clicks, -r.shares, r.network))
    return rows
