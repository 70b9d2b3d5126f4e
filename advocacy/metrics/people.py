"""People: shares, clicks and points per person, ranked by points."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from sqlalchemy import ColumnElement, Row, Select, Subquery, func, select
from sqlalchemy.orm import Session

from ..models import Membership, Team, User
from .base import BY_USER, members_at, name_order, sums
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


class RankedPeople(Sequence[PersonRow]):
    """The people leaderboard, ranked by the database; a slice reads just those rows.

    The ranking (points, then clicks, then name) is a window over every member; a page of
    the API or the dashboard's top ten then fetches ten or fifty rows, not ten thousand.
    """

    def __init__(self, session: Session, ranked: Subquery, count: Select[tuple[int]]) -> None:
        self._session = session
        self._ranked = ranked
        self._count = count
        self._length: int | None = None

    def __len__(self) -> int:
        if self._length is None:
            self._length = self._session.scalar(self._count) or 0
        return self._length

    @overload
    def __getitem__(self, index: int) -> PersonRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[PersonRow]: ...

    def __getitem__(self, index: int | slice) -> PersonRow | list[PersonRow]:
        rank = self._ranked.c.rank  # 1..n: the row at position i has rank i + 1
        if isinstance(index, slice):
            if _from_the_top(index):  # a page: no need to count everyone first
                bounds = [rank > (index.start or 0)]
                if index.stop is not None:
                    bounds.append(rank <= index.stop)
                return self._fetch(*bounds)
            start, stop, step = index.indices(len(self))
            return self._fetch(rank > start, rank <= stop)[::step]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._fetch(rank == position + 1)[0]

    def __iter__(self) -> Iterator[PersonRow]:
        return iter(self[:])

    def _fetch(self, *where: ColumnElement[bool]) -> list[PersonRow]:
        query = select(self._ranked).where(*where).order_by(self._ranked.c.rank)
        return [_row(r) for r in self._session.execute(query)]

    def of_user(self, user_id: int) -> PersonRow | None:
        """One person's row, with their rank in the whole leaderboard."""
        found = self._fetch(self._ranked.c.user_id == user_id)
        return found[0] if found else None


def _from_the_top(index: slice) -> bool:
    """A plain forward slice with no negative bound: its rank range needs no length."""
    start, stop, step = index.start, index.stop, index.step
    return step in (None, 1) and (start or 0) >= 0 and (stop is None or stop >= 0)


def _row(r: Row[Any]) -> PersonRow:
    return PersonRow(
        user_id=r.user_id,
        name=HIDDEN_NAME if r.hidden else r.name,
        team=r.team,
        team_id=r.team_id,
        shares=r.shares,
        clicks=r.clicks,
        unique_clicks=r.unique_clicks,
        points=r.points,
        rank=r.rank,
        hidden=r.hidden,
    )


def people_rows(
    session: Session, period: Period, rule: PointsRule, team_id: int | None = None
) -> RankedPeople:
    """Everyone in a team at the period's end (or in ``team_id``), ranked 1..n by points,
    then clicks, then name. A person who asked to be hidden is named "a colleague"."""
    members = members_at(period.end)
    if team_id is not None:
        members = members.where(Membership.team_id == team_id)
    member = members.subquery("members")
    counts = sums(period, BY_USER).subquery("counts")
    shares = func.coalesce(counts.c.shares, 0)
    clicks = func.coalesce(counts.c.clicks, 0)
    points = rule.per_share * shares + rule.per_click * clicks
    order = (points.desc(), clicks.desc(), name_order(session, User.name), User.id)
    ranked = (
        select(
            User.id.label("user_id"),
            User.name,
            User.hide_from_leaderboard.label("hidden"),
            member.c.team_id,
            Team.name.label("team"),
            shares.label("shares"),
            clicks.label("clicks"),
            func.coalesce(counts.c.unique_clicks, 0).label("unique_clicks"),
            points.label("points"),
            func.row_number().over(order_by=order).label("rank"),
        )
        .join(member, member.c.user_id == User.id)
        .join(Team, Team.id == member.c.team_id)
        .outerjoin(counts, counts.c.key == User.id)
    )
    count = select(func.count()).select_from(member)
    return RankedPeople(session, ranked.subquery("ranked"), count)
