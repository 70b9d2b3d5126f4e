"""People: shares, clicks and points per person, ranked by points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from ..models import Membership, Team, User
from .base import BY_USER, membership_at, name_order, sums
from .paging import OrderedRows
from .period import Period

HIDDEN_NAME = "a colleague"


@dataclass(frozen=True, slots=True)
class PointsRule:
    """Points for taking part: per share and per human click (bot clicks earn nothing)."""

    per_share: int = 5
    per_click: int = 1

    def points(self, shares: int, clicks: int) -> int:
        return self.per_share * shares + self.per_click * clicks


@dataclass(frozen=True, slots=True)
class PersonRow:
    user_id: int
    name: str
    team: str | None
    team_id: int | None
    shares: int
    clicks: int
    unique_clicks: int
    points: int
    rank: int
    hidden: bool


class RankedPeople(OrderedRows[PersonRow]):
    """The people leaderboard, ordered by the database; a slice reads just its rows.

    One person's row, with their rank in the whole board, is read from a ``ROW_NUMBER()``
    window over the same order."""

    def __init__(
        self,
        session: Session,
        figures: Select[Any],
        order: tuple[Any, ...],  # column expressions
        count: Select[tuple[int]],
    ) -> None:
        super().__init__(session, figures.order_by(*order), count, _rows)
        self._ranked = figures.add_columns(
            func.row_number().over(order_by=order).label("rank")
        ).subquery("ranked")

    def of_user(self, user_id: int) -> PersonRow | None:
        found = self._session.execute(
            select(self._ranked).where(self._ranked.c.user_id == user_id)
        ).first()
        return _row(found, found.rank) if found else None


def _rows(rows: list[Row[Any]], first_rank: int) -> list[PersonRow]:
    return [_row(r, rank) for rank, r in enumerate(rows, start=first_rank)]


def _row(r: Row[Any], rank: int) -> PersonRow:
    return PersonRow(
        user_id=r.user_id,
        name=HIDDEN_NAME if r.hidden else r.name,
        team=r.team,
        team_id=r.team_id,
        shares=r.shares,
        clicks=r.clicks,
        unique_clicks=r.unique_clicks,
        points=r.points,
        rank=rank,
        hidden=r.hidden,
    )


def people_rows(
    session: Session, period: Period, rule: PointsRule, team_id: int | None = None
) -> RankedPeople:
    """Everyone in a team at the period's end (or in ``team_id``), ranked 1..n by points,
    then clicks, then name. A person who asked to be hidden is named "a colleague"."""
    membership = membership_at(period.end)
    if team_id is not None:
        membership.append(Membership.team_id == team_id)
    counts = sums(period, BY_USER).subquery("counts")
    shares = func.coalesce(counts.c.shares, 0)
    clicks = func.coalesce(counts.c.clicks, 0)
    points = rule.per_share * shares + rule.per_click * clicks
    order = (points.desc(), clicks.desc(), name_order(session, User.name), User.id)
    figures = (
        select(
            User.id.label("user_id"),
            User.name,
            User.hide_from_leaderboard.label("hidden"),
            Membership.team_id,
            # a subquery, not a join: PostgreSQL looks it up for the rows a page keeps
            select(Team.name).where(Team.id == Membership.team_id).scalar_subquery().label("team"),
            shares.label("shares"),
            clicks.label("clicks"),
            func.coalesce(counts.c.unique_clicks, 0).label("unique_clicks"),
            points.label("points"),
        )
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(counts, counts.c.key == User.id)
        .where(*membership)
    )
    count = (
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(*membership)
    )
    return RankedPeople(session, figures, order, count)
