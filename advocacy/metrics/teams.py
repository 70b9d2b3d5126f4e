"""The team leaderboard: every figure of DESIGN.md per team, ranked by engagement rate."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ClickRollup, ShareLink, Team, UserClickDay
from .base import (
    ZERO,
    ClickCounts,
    clicks_by_user,
    day_bounds,
    engagement_rate,
    in_period,
    participation_rate,
    shares_by_user,
    split_days,
    team_of_users,
)
from .period import Period


@dataclass(frozen=True, slots=True)
class TeamRow:
    team_id: int
    team: str
    members: int
    shares: int
    active_sharers: int
    clicks: int
    unique_clicks: int
    bot_clicks: int
    participation_rate: float
    engagement_rate: float
    rank: int | None
    unranked_reason: str | None


def team_rows(session: Session, period: Period, min_shares: int) -> list[TeamRow]:
    """One row per team: ranked ones first (1..n), then the rest with the reason."""
    teams = session.execute(select(Team.id, Team.name)).all()
    team_of = team_of_users(session, period.end)
    shares = shares_by_user(session, period)
    clicks = clicks_by_user(session, period)

    members: Counter[int] = Counter(team_of.values())
    team_shares: Counter[int] = Counter()
    active: Counter[int] = Counter()
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # plain ints: 10,000 members
    for user_id, team_id in team_of.items():
        if shares[user_id]:
            team_shares[team_id] += shares[user_id]
            active[team_id] += 1
        counts = clicks.get(user_id)
        if counts is not None:
            total = sums[team_id]
            total[0] += counts.clicks
            total[1] += counts.unique_clicks
            total[2] += counts.bot_clicks
    team_clicks = {team_id: ClickCounts(*total) for team_id, total in sums.items()}

    rows = []
    for team_id, name in teams:
        counts = team_clicks.get(team_id, ZERO)
        rows.append(
            TeamRow(
                team_id=team_id,
                team=name,
                members=members[team_id],
                shares=team_shares[team_id],
                active_sharers=active[team_id],
                clicks=counts.clicks,
                unique_clicks=counts.unique_clicks,
                bot_clicks=counts.bot_clicks,
                participation_rate=participation_rate(active[team_id], members[team_id]),
                engagement_rate=engagement_rate(counts.clicks, team_shares[team_id]),
                rank=None,
                unranked_reason=None,
            )
        )
    return rank_teams(rows, min_shares)


def rank_teams(rows: list[TeamRow], min_shares: int) -> list[TeamRow]:
    """Rank by engagement rate, then clicks, then name; fewer than ``min_shares``: unranked."""
    eligible = sorted(
        (r for r in rows if r.shares >= min_shares),
        key=lambda r: (-r.engagement_rate, -r.clicks, r.team.lower(), r.team_id),
    )
    others = sorted(
        (r for r in rows if r.shares < min_shares),
        key=lambda r: (-r.shares, -r.clicks, r.team.lower(), r.team_id),
    )
    reason = f"fewer than {min_shares} shares in the period"
    return [_with(r, rank=n, reason=None) for n, r in enumerate(eligible, start=1)] + [
        _with(r, rank=None, reason=reason) for r in others
    ]


def _with(row: TeamRow, *, rank: int | None, reason: str | None) -> TeamRow:
    return replace(row, rank=rank, unranked_reason=reason)


def daily_clicks_by_team(
    session: Session, period: Period, team_ids: list[int]
) -> dict[int, dict[date, int]]:
    """Human clicks per UTC day for each of ``team_ids`` (members as at the period's end)."""
    team_of = {u: t for u, t in team_of_users(session, period.end).items() if t in team_ids}
    days: dict[int, dict[date, int]] = {t: defaultdict(int) for t in team_ids}
    if not team_of:
        return days
    users = list(team_of)
    whole_days, edges = split_days(period)
    if whole_days is not None:
        for user_id, day, clicks in session.execute(
            select(UserClickDay.user_id, UserClickDay.day, UserClickDay.clicks).where(
                UserClickDay.user_id.in_(users), *day_bounds(UserClickDay.day, whole_days)
            )
        ):
            days[team_of[user_id]][day] += clicks
    for edge in edges:
        for user_id, hour, clicks in session.execute(
            select(ShareLink.user_id, ClickRollup.hour, ClickRollup.clicks)
            .join(ShareLink, ShareLink.id == ClickRollup.link_id)
            .where(in_period(ClickRollup.hour, edge), ShareLink.user_id.in_(users))
        ):
            days[team_of[user_id]][hour.date()] += clicks
    return days
