"""People: shares, clicks and points per person, ranked by points."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Team, User
from .base import ZERO, ClickCounts, clicks_by_user, shares_by_user, team_of_users
from .lazy import LazyRows
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


@dataclass(frozen=True, slots=True)
class _Ranked:
    """What a person is ranked by, and what their row is made of."""

    order: tuple[int, int, str, int]  # points and clicks (descending), name, id
    user_id: int
    name: str
    hidden: bool
    team_id: int
    shares: int
    points: int
    counts: ClickCounts


def people_rows(
    session: Session, period: Period, rule: PointsRule, team_id: int | None = None
) -> LazyRows[_Ranked, PersonRow]:
    """Everyone in a team at the period's end (or in ``team_id``), ranked 1..n by points,
    then clicks, then name. A person who asked to be hidden is named "a colleague"."""
    team_of = team_of_users(session, period.end)
    if team_id is not None:
        team_of = {u: t for u, t in team_of.items() if t == team_id}
    shares = shares_by_user(session, period)
    clicks = clicks_by_user(session, period)
    ranked = []
    for user_id, name, hidden in session.execute(
        select(User.id, User.name, User.hide_from_leaderboard)
    ):
        member_of = team_of.get(user_id)
        if member_of is None:
            continue
        counts = clicks.get(user_id, ZERO)
        points = rule.points(shares[user_id], counts.clicks)
        ranked.append(
            _Ranked(
                order=(-points, -counts.clicks, name.lower(), user_id),
                user_id=user_id,
                name=name,
                hidden=hidden,
                team_id=member_of,
                shares=shares[user_id],
                points=points,
                counts=counts,
            )
        )
    ranked.sort(key=attrgetter("order"))
    team_names: dict[int, str] = dict(session.execute(select(Team.id, Team.name)).all())

    def row(position: int, person: _Ranked) -> PersonRow:
        return PersonRow(
            user_id=person.user_id,
            name=HIDDEN_NAME if person.hidden else person.name,
            team=team_names.get(person.team_id),
            team_id=person.team_id,
            shares=person.shares,
            clicks=person.counts.clicks,
            unique_clicks=person.counts.unique_clicks,
            points=person.points,
            rank=position + 1,
            hidden=person.hidden,
        )

    return LazyRows(ranked, row)
