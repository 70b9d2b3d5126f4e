"""Badges and weekly team challenges: recognition computed from what really happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Conflict, ValidationError
from ..models import ClickRollup, ShareLink, Team, TeamChallenge, User
from .base import counts_by_user, team_of_users
from .period import Period

CHALLENGE_METRICS = ("shares", "clicks")


@dataclass(frozen=True, slots=True)
class Badge:
    code: str
    label: str
    earned: bool


def badges_for(session: Session, user_id: int) -> list[Badge]:
    """Five badges: first share, 10 shares, 100 clicks, a 4-week streak, a 50-click post."""
    share_times = list(
        session.scalars(select(ShareLink.created_at).where(ShareLink.user_id == user_id))
    )
    total_clicks = session.scalar(
        select(func.coalesce(func.sum(ClickRollup.clicks), 0))
        .join(ShareLink, ShareLink.id == ClickRollup.link_id)
        .where(ShareLink.user_id == user_id)
    )
    per_post = _post_clicks_for(user_id)
    best_post = session.scalar(select(func.coalesce(func.max(per_post.c.total), 0)))
    return [
        Badge("first_share", "First share", len(share_times) >= 1),
        Badge("ten_shares", "10 shares", len(share_times) >= 10),
        Badge("hundred_clicks", "100 clicks", int(total_clicks or 0) >= 100),
        Badge("four_week_streak", "4-week sharing streak", longest_weekly_streak(share_times) >= 4),
        Badge("post_fifty_clicks", "A post that reached 50 clicks", int(best_post or 0) >= 50),
    ]


def _post_clicks_for(user_id: int):  # type: ignore[no-untyped-def]
    return (
        select(ShareLink.post_id, func.sum(ClickRollup.clicks).label("total"))
        .join(ShareLink, ShareLink.id == ClickRollup.link_id)
        .where(ShareLink.user_id == user_id)
        .group_by(ShareLink.post_id)
        .subquery("post_clicks")
    )


def longest_weekly_streak(times: list[datetime]) -> int:
    """The longest run of consecutive ISO weeks with at least one share."""
    weeks = sorted({_monday(t.astimezone(UTC).date()) for t in times})
    best = run = 0
    previous: date | None = None
    for week in weeks:
        run = run + 1 if previous is not None and week - previous == timedelta(days=7) else 1
        best = max(best, run)
        previous = week
    return best


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_period(week_start: date) -> Period:
    start = datetime.combine(week_start, time(0), UTC)
    return Period(start, start + timedelta(days=7))


def set_challenge(
    session: Session, actor: User, team_id: int, week_start: date, metric: str, goal: int
) -> TeamChallenge:
    if metric not in CHALLENGE_METRICS:
        raise ValidationError("A challenge counts shares or clicks.")
    if goal <= 0 or goal > 1_000_000:
        raise ValidationError("The goal must be a positive number.")
    if week_start.weekday() != 0:
        raise ValidationError("A challenge week starts on a Monday.")
    if session.get(Team, team_id) is None:
        raise ValidationError(f"There is no team {team_id}.")
    existing = session.scalar(
        select(TeamChallenge).where(
            TeamChallenge.team_id == team_id, TeamChallenge.week_start == week_start
        )
    )
    if existing is not None:
        raise Conflict("This team already has a challenge that week.")
    challenge = TeamChallenge(
        team_id=team_id, week_start=week_start, metric=metric, goal=goal, created_by_id=actor.id
    )
    session.add(challenge)
    session.flush()
    audit.record(session, actor, "challenge.set", "team", team_id, metric=metric, goal=goal)
    return challenge


def challenge_progress(session: Session, challenge: TeamChallenge) -> int:
    """Shares or human clicks by the team's members during the challenge week."""
    period = week_period(challenge.week_start)
    members = {u for u, t in team_of_users(session, period.end).items() if t == challenge.team_id}
    counts = counts_by_user(session, period)  # metric: "shares" or "clicks"
    return sum(getattr(counts[u], challenge.metric) for u in members if u in counts)


def challenges_of_week(session: Session, week_start: date) -> list[TeamChallenge]:
    return list(
        session.scalars(select(TeamChallenge).where(TeamChallenge.week_start == week_start))
    )
