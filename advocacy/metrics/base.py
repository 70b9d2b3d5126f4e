"""The building blocks every figure is made of, per user, for one period.

Who belongs to a team is read from the membership history *at the end of the period*
(DESIGN.md: "members: users in T at the end of the period"); a team's shares and clicks
are those of its members then. Clicks come from the hourly rollups, never the raw log.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..models import ClickRollup, Membership, ShareLink, User
from .period import Period


@dataclass(frozen=True, slots=True)
class ClickCounts:
    clicks: int = 0
    unique_clicks: int = 0
    bot_clicks: int = 0

    def __add__(self, other: ClickCounts) -> ClickCounts:
        return ClickCounts(
            self.clicks + other.clicks,
            self.unique_clicks + other.unique_clicks,
            self.bot_clicks + other.bot_clicks,
        )


ZERO = ClickCounts()


def team_of_users(session: Session, at: datetime | None) -> dict[int, int]:
    """user id → team id, for users in a team (and not deactivated) at ``at`` (None: now)."""
    if at is None:
        query = (
            select(Membership.user_id, Membership.team_id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.left_at.is_(None), User.active.is_(True))
        )
    else:
        query = (
            select(Membership.user_id, Membership.team_id)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.joined_at < at,
                or_(Membership.left_at.is_(None), Membership.left_at >= at),
                or_(User.deactivated_at.is_(None), User.deactivated_at >= at),
                User.created_at < at,
            )
        )
    return {user_id: team_id for user_id, team_id in session.execute(query)}


def in_period(column, period: Period):  # type: ignore[no-untyped-def]
    conditions = []
    if period.start is not None:
        conditions.append(column >= period.start)
    if period.end is not None:
        conditions.append(column < period.end)
    return and_(True, *conditions)


def shares_by_user(session: Session, period: Period) -> Counter[int]:
    rows = session.execute(
        select(ShareLink.user_id, func.count())
        .where(in_period(ShareLink.created_at, period))
        .group_by(ShareLink.user_id)
    )
    return Counter({user_id: count for user_id, count in rows})


def clicks_by(session: Session, period: Period, *keys) -> dict[tuple, ClickCounts]:  # type: ignore[no-untyped-def,type-arg]
    """Rolled-up clicks in the period, grouped by the given ShareLink columns."""
    rows = session.execute(
        select(
            *keys,
            func.sum(ClickRollup.clicks),
            func.sum(ClickRollup.unique_clicks),
            func.sum(ClickRollup.bot_clicks),
        )
        .join(ShareLink, ShareLink.id == ClickRollup.link_id)
        .where(in_period(ClickRollup.hour, period))
        .group_by(*keys)
    )
    found = {}
    for row in rows:
        key = tuple(row[: len(keys)])
        found[key] = ClickCounts(int(row[-3] or 0), int(row[-2] or 0), int(row[-1] or 0))
    return found


def clicks_by_user(session: Session, period: Period) -> dict[int, ClickCounts]:
    return {key[0]: counts for key, counts in clicks_by(session, period, ShareLink.user_id).items()}


def participation_rate(active_sharers: int, members: int) -> float:
    """Active sharers over members; 0 when there are no members."""
    return active_sharers / members if members else 0.0


def engagement_rate(clicks: int, shares: int) -> float:
    """Human clicks per share; 0 when there are no shares."""
    return clicks / shares if shares else 0.0
