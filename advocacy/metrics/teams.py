"""The team leaderboard: every figure of DESIGN.md per team, ranked by engagement rate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import ClickRollup, Membership, ShareLink, Team, UserClickDay
from .base import (
    BY_USER,
    day_bounds,
    engagement_rate,
    in_period,
    members_at,
    membership_alone_at,
    participation_rate,
    split_days,
    sums,
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
    """One row per team: ranked ones first (1..n), then the rest with the reason.

    One statement: the members at the period's end joined to their shares and clicks in
    the period and summed per team by the database (200 rows out, not one per member),
    then every team joined to those sums (a team without members has none)."""
    counts = sums(period, BY_USER).subquery("counts")
    per_team = (
        select(
            Membership.team_id,
            func.count().label("members"),
            func.sum(counts.c.shares).label("shares"),
            func.count(case((counts.c.shares > 0, 1))).label("active"),  # who shared
            func.sum(counts.c.clicks).label("clicks"),
            func.sum(counts.c.unique_clicks).label("unique_clicks"),
            func.sum(counts.c.bot_clicks).label("bot_clicks"),
        )
        .outerjoin(counts, counts.c.key == Membership.user_id)
        .where(*membership_alone_at(period.end))
        .group_by(Membership.team_id)
        .subquery("per_team")
    )
    figures = select(
        Team.id,
        Team.name,
        *(func.coalesce(column, 0) for column in list(per_team.c)[1:]),
    ).outerjoin(per_team, per_team.c.team_id == Team.id)
    rows = []
    for team_id, name, member_count, share_count, active, clicked, unique, bots in session.execute(
        figures
    ):
        share_count, clicked = int(share_count), int(clicked)
        rows.append(
            TeamRow(
                team_id=team_id,
                team=name,
                members=member_count,
                shares=share_count,
                active_sharers=active,
                clicks=clicked,
                unique_clicks=int(unique),
                bot_clicks=int(bots),
                participation_rate=participation_rate(active, member_count),
                engagement_rate=engagement_rate(clicked, share_count),
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
    # positional, not dataclasses.replace: half the time, for 200 teams a request
    return TeamRow(
        row.team_id, row.team, row.members, row.shares, row.active_sharers, row.clicks,
        row.unique_clicks, row.bot_clicks, row.participation_rate, row.engagement_rate,
        rank, reason,
    )  # fmt: skip


def daily_clicks_by_team(
    session: Session, period: Period, team_ids: list[int]
) -> dict[int, dict[date, int]]:
    """Human clicks per UTC day for each of ``team_ids`` (members as at the period's end)."""
    days: dict[int, dict[date, int]] = {t: defaultdict(int) for t in team_ids}
    if not team_ids:
        return days
    members = members_at(period.end).where(Membership.team_id.in_(team_ids)).subquery()
    whole_days, edges = split_days(period)
    if whole_days is not None:
        for team_id, day, clicks in session.execute(
            select(members.c.team_id, UserClickDay.day, func.sum(UserClickDay.clicks))
            .join(members, members.c.user_id == UserClickDay.user_id)
            .where(*day_bounds(UserClickDay.day, whole_days))
            .group_by(members.c.team_id, UserClickDay.day)
        ):
            days[team_id][day] += int(clicks)
    for edge in edges:
        for team_id, hour, clicks in session.execute(
            select(members.c.team_id, ClickRollup.hour, ClickRollup.clicks)
            .join(ShareLink, ShareLink.id == ClickRollup.link_id)
            .join(members, members.c.user_id == ShareLink.user_id)
            .where(in_period(ClickRollup.hour, edge))
        ):
            days[team_id][hour.date()] += clicks
    return days
