"""People: shares, clicks and points per person, ranked by points."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Team, User
from .base import ZERO, clicks_by_user, shares_by_user, team_of_users
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


def people_rows(
    session: Session, period: Period, rule: PointsRule, team_id: int | None = None
) -> list[PersonRow]:
    """Everyone in a team at the period's end (or in ``team_id``), ranked 1..n by points,
    then clicks, then name. A person who asked to be hidden is named "a colleague"."""
    team_of = team_of_users(session, period.end)
    if team_id is not None:
        team_of = {u: t for u, t in team_of.items() if t == team_id}
    shares = shares_by_user(session, period)
    clicks = clicks_by_user(session, period)
    users = {
        row.id: row
        for row in session.execute(select(User.id, User.name, User.hide_from_leaderboard))
        if row.id in team_of
    }
    team_names = {team_id: name for team_id, name in session.execute(select(Team.id, Team.name))}
    unranked = []
    for user_id, member_of in team_of.items():
        user = users[user_id]
        counts = clicks.get(user_id, ZERO)
        unranked.append(
            (
                rule.points(shares[user_id], counts.clicks),
                counts.clicks,
                user.name.lower(),
                user_id,
                user,
                member_of,
                counts,
            )
        )
    unranked.sort(key=lambda r: (-r[0], -r[1], r[2], r[3]))
    return [
        PersonRow(
            user_id=user_id,
            name=HIDDEN_NAME if user.hide_from_leaderboard else user.name,
            team=team_names.get(member_of),
            team_id=member_of,
            shares=shares[user_id],
            clicks=counts.clicks,
            unique_clicks=counts.unique_clicks,
            points=points,
            rank=rank,
            hidden=user.hide_from_leaderboard,
        )
        for rank, (points, _c, _n, user_id, user, member_of, counts) in enumerate(unranked, 1)
    ]
