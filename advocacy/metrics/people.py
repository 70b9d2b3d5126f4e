"""People: shares, clicks and points per person, ranked by points."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from sqlalchemy import ColumnElement, Row, Select, func, select
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

    A page read from the top (the API's, the dashboard's top ten) is the ordered figures
    with OFFSET and LIMIT: the database keeps the best rows instead of numbering everyone,
    and fetches ten or fifty rows, not ten thousand. Any other slice, and one person's row
    with their rank, read a ``ROW_NUMBER()`` window over the same order.
    """

    def __init__(
        self,
        session: Session,
        figures: Select[Any],
        order: tuple[ColumnElement[Any], ...],
        count: Select[tuple[int]],
    ) -> None:
        self._session = session
        self._ordered = figures.order_by(*order)
        self._ranked = figures.add_columns(
            func.row_number().over(order_by=order).label("rank")
        ).subquery("ranked")
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
            if _from_the_top(index):
                return self._page(index.start or 0, index.stop)
            start, stop, step = index.indices(len(self))
            return self._fetch(rank > start, rank <= stop)[::step]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._fetch(rank == position + 1)[0]

    def __iter__(self) -> Iterator[PersonRow]:
        return iter(self[:])

    def _page(self, start: int, stop: int | None) -> list[PersonRow]:
        query = self._ordered.offset(start)
        if stop is not None:
            query = query.limit(max(0, stop - start))
        rows = self._session.execute(query)
        return [_row(r, rank) for rank, r in enumerate(rows, start=start + 1)]

    def _fetch(self, *where: ColumnElement[bool]) -> list[PersonRow]:
        query = select(self._ranked).where(*where).order_by(self._ranked.c.rank)
        return [_row(r, r.rank) for r in self._session.execute(query)]

    def of_user(self, user_id: int) -> PersonRow | None:
        """One person's row, with their rank in the whole leaderboard."""
        found = self._fetch(self._ranked.c.user_id == user_id)
        return found[0] if found else None


def _from_the_top(index: slice) -> bool:
    """A plain forward slice with no negative bound: its rank range needs no length."""
    start, stop, step = index.start, index.stop, index.step
    return step in (None, 1) and (start or 0) >= 0 and (stop is None or stop >= 0)


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
    members = members_at(period.end)
    if team_id is not None:
        members = members.where(Membership.team_id == team_id)
    member = members.subquery("members")
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
            member.c.team_id,
            Team.name.label("team"),
            shares.label("shares"),
            clicks.label("clicks"),
            func.coalesce(counts.c.unique_clicks, 0).label("unique_clicks"),
            points.label("points"),
        )
        .join(member, member.c.user_id == User.id)
        .join(Team, Team.id == member.c.team_id)
        .outerjoin(counts, counts.c.key == User.id)
    )
    count = select(func.count()).select_from(member)
    return RankedPeople(session, figures, order, count)
