"""The building blocks every figure is made of, per user, for one period.

Who belongs to a team is read from the membership history *at the end of the period*
(DESIGN.md: "members: users in T at the end of the period"); a team's shares and clicks
are those of its members then. Shares and clicks are read from the summaries for the whole
UTC days of a period (or from the all-time ones), and for the hours of a period that
starts or ends inside a day from the share links and the hourly rollups; never from the
raw click log.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, not_, or_, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..models import (
    ClickRollup,
    Membership,
    NetworkClickDay,
    PostClickDay,
    PostClickTotal,
    ShareLink,
    User,
    UserClickDay,
    UserClickTotal,
)
from ..tracking.dialect_sql import DialectSql
from .memo import per_session
from .period import Period


@dataclass(frozen=True, slots=True)
class Counts:
    shares: int = 0
    clicks: int = 0
    unique_clicks: int = 0
    bot_clicks: int = 0


ZERO = Counts()


def members_at(at: datetime | None) -> Select[tuple[int, int]]:
    """(user_id, team_id) of the users in a team, and not deactivated, at ``at`` (None: now)."""
    return (
        select(Membership.user_id, Membership.team_id)
        .join(User, User.id == Membership.user_id)
        .where(*membership_at(at))
    )


def membership_at(at: datetime | None) -> list[ColumnElement[bool]]:
    """The conditions on Membership joined to its User for ``members_at``."""
    return _open_at(at) + _counted_at(at)


def membership_alone_at(at: datetime | None) -> list[ColumnElement[bool]]:
    """The same conditions on Membership alone: its user is not among those who were not
    counted at ``at`` (deactivated, or not yet created). There are few of them, so this
    is cheaper than joining every member's User when no column of it is read."""
    uncounted = select(User.id).where(not_(and_(*_counted_at(at))))
    return [*_open_at(at), Membership.user_id.not_in(uncounted)]


def _open_at(at: datetime | None) -> list[ColumnElement[bool]]:
    if at is None:
        return [Membership.left_at.is_(None)]
    return [
        Membership.joined_at < at,
        or_(Membership.left_at.is_(None), Membership.left_at >= at),
    ]


def _counted_at(at: datetime | None) -> list[ColumnElement[bool]]:
    if at is None:
        return [User.active.is_(True)]
    return [or_(User.deactivated_at.is_(None), User.deactivated_at >= at), User.created_at < at]


@per_session
def team_of_users(session: Session, at: datetime | None) -> dict[int, int]:
    """user id → team id, for users in a team (and not deactivated) at ``at`` (None: now)."""
    return {user_id: team_id for user_id, team_id in session.execute(members_at(at))}


def in_period(column, period: Period):  # type: ignore[no-untyped-def]
    conditions = []
    if period.start is not None:
        conditions.append(column >= period.start)
    if period.end is not None:
        conditions.append(column < period.end)
    return and_(True, *conditions)


@dataclass(frozen=True)
class Dimension:
    """What shares and clicks can be summed by: a share-link column and its summaries."""

    link_column: InstrumentedAttribute[Any]
    day_table: type[UserClickDay] | type[PostClickDay] | type[NetworkClickDay]
    day_key: InstrumentedAttribute[Any]
    total_table: type[UserClickTotal] | type[PostClickTotal] | None = None
    total_key: InstrumentedAttribute[Any] | None = None


BY_USER = Dimension(
    ShareLink.user_id, UserClickDay, UserClickDay.user_id, UserClickTotal, UserClickTotal.user_id
)
BY_POST = Dimension(
    ShareLink.post_id, PostClickDay, PostClickDay.post_id, PostClickTotal, PostClickTotal.post_id
)
BY_NETWORK = Dimension(ShareLink.network, NetworkClickDay, NetworkClickDay.network)


def split_days(period: Period) -> tuple[tuple[date | None, date | None] | None, list[Period]]:
    """The whole UTC days of ``period`` as [first, end) dates (None: unbounded), or None
    when it holds no whole day; and the stretches of partial days left at either end."""
    first = _ceil_day(period.start) if period.start else None
    end = period.end.astimezone(UTC).date() if period.end else None
    if first is not None and end is not None and first >= end:
        return None, [period]
    edges = []
    if period.start is not None and first is not None and _midnight(first) != period.start:
        edges.append(Period(period.start, _midnight(first)))
    if period.end is not None and end is not None and _midnight(end) != period.end:
        edges.append(Period(_midnight(end), period.end))
    return (first, end), edges


def _ceil_day(at: datetime) -> date:
    day = at.astimezone(UTC).date()
    return day if _midnight(day) == at else day + timedelta(days=1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


def sums(period: Period, by: Dimension) -> Select[tuple[Any, int, int, int, int]]:
    """(key, shares, clicks, unique_clicks, bot_clicks) per value of ``by`` with a share or
    a click in the period: its whole days from the summaries, its partial days from the
    share links and the hourly rollups."""
    parts = []
    days, edges = split_days(period)
    if days == (None, None) and by.total_table is not None:
        # one row per key already: no GROUP BY, so that a join reads the table's primary
        # key instead of a materialized copy
        return _counts(by.total_table, by.total_key)
    if days is not None:
        parts.append(_counts(by.day_table, by.day_key).where(*day_bounds(by.day_table.day, days)))
    for edge in edges:
        parts.append(
            select(
                by.link_column.label("key"),
                literal(0).label("shares"),
                ClickRollup.clicks,
                ClickRollup.unique_clicks,
                ClickRollup.bot_clicks,
            )
            .join(ShareLink, ShareLink.id == ClickRollup.link_id)
            .where(in_period(ClickRollup.hour, edge))
        )
        parts.append(
            select(
                by.link_column.label("key"), literal(1), literal(0), literal(0), literal(0)
            ).where(in_period(ShareLink.created_at, edge))
        )
    rows = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    return select(
        rows.c.key,
        func.sum(rows.c.shares).label("shares"),
        func.sum(rows.c.clicks).label("clicks"),
        func.sum(rows.c.unique_clicks).label("unique_clicks"),
        func.sum(rows.c.bot_clicks).label("bot_clicks"),
    ).group_by(rows.c.key)


@per_session
def counts_by(session: Session, period: Period, by: Dimension) -> dict[Hashable, Counts]:
    """Shares, human, unique and bot clicks in the period, per value of ``by``."""
    return {
        key: Counts(*(int(n or 0) for n in figures))
        for key, *figures in session.execute(sums(period, by))
    }


def day_bounds(column, days: tuple[date | None, date | None]) -> list:  # type: ignore[no-untyped-def,type-arg]
    first, end = days
    bounds = []
    if first is not None:
        bounds.append(column >= first)
    if end is not None:
        bounds.append(column < end)
    return bounds


def _counts(table, key):  # type: ignore[no-untyped-def]
    return select(
        key.label("key"), table.shares, table.clicks, table.unique_clicks, table.bot_clicks
    )


def counts_by_user(session: Session, period: Period) -> dict[int, Counts]:
    return counts_by(session, period, BY_USER)  # type: ignore[return-value]


def name_order(session: Session, name: Any) -> Any:
    """``name`` for ordering ties alike on every database: lower-cased, compared by code
    point (PostgreSQL would otherwise use its locale's collation, which skips spaces)."""
    lowered = func.lower(name)
    return lowered.collate("C") if DialectSql.of(session).postgresql else lowered


def participation_rate(active_sharers: int, members: int) -> float:
    """Active sharers over members; 0 when there are no members."""
    return active_sharers / members if members else 0.0


def engagement_rate(clicks: int, shares: int) -> float:
    """Human clicks per share; 0 when there are no shares."""
    return clicks / shares if shares else 0.0
