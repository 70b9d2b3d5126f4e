"""One post's life: clicks per day since its first share, per network, per team."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ClickRollup, ShareLink
from .base import team_of_users
from .posts import half_life_hours


@dataclass
class PostLife:
    first_share: datetime | None
    shares: int
    clicks: int
    half_life_hours: float | None
    per_day: list[tuple[date, int]] = field(default_factory=list)
    per_network: dict[str, int] = field(default_factory=dict)
    per_team: dict[int | None, int] = field(default_factory=dict)


def post_life(session: Session, post_id: int) -> PostLife:
    """All time, from the rollups; teams as they are now."""
    first_share, shares = session.execute(
        select(func.min(ShareLink.created_at), func.count()).where(ShareLink.post_id == post_id)
    ).one()
    if first_share is None:
        return PostLife(None, 0, 0, None)
    team_of = team_of_users(session, None)
    hourly: dict[datetime, int] = defaultdict(int)
    per_network: dict[str, int] = defaultdict(int)
    per_team: dict[int | None, int] = defaultdict(int)
    for hour, network, user_id, clicks in session.execute(
        select(ClickRollup.hour, ShareLink.network, ShareLink.user_id, ClickRollup.clicks)
        .join(ShareLink, ShareLink.id == ClickRollup.link_id)
        .where(ShareLink.post_id == post_id)
    ):
        hourly[hour] += clicks
        per_network[network] += clicks
        per_team[team_of.get(user_id)] += clicks
    per_day: dict[date, int] = defaultdict(int)
    for hour, clicks in hourly.items():
        per_day[hour.date()] += clicks
    return PostLife(
        first_share=first_share,
        shares=shares,
        clicks=sum(hourly.values()),
        half_life_hours=half_life_hours(first_share, list(hourly.items())),
        per_day=sorted(per_day.items()),
        per_network=dict(per_network),
        per_team=dict(per_team),
    )
