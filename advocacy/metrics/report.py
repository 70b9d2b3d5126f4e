"""What the dashboard, the API and the CSV exports share: rows as plain dictionaries."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from ..config import Settings
from .people import PointsRule, people_rows
from .period import Period
from .posts import network_rows, post_rows
from .teams import team_rows

TABLES = ("teams", "people", "posts", "networks")
COLUMNS = {
    "teams": [
        "rank",
        "team_id",
        "team",
        "members",
        "shares",
        "active_sharers",
        "clicks",
        "unique_clicks",
        "bot_clicks",
        "participation_rate",
        "engagement_rate",
        "unranked_reason",
    ],
    "people": ["rank", "user_id", "name", "team", "shares", "clicks", "unique_clicks", "points"],
    "posts": [
        "post_id",
        "title",
        "shares",
        "clicks",
        "unique_clicks",
        "bot_clicks",
        "half_life_hours",
    ],
    "networks": ["network", "shares", "clicks", "unique_clicks"],
}


def points_rule(settings: Settings) -> PointsRule:
    return PointsRule(settings.points_per_share, settings.points_per_click)


def rows(
    session: Session,
    table: str,
    period: Period,
    settings: Settings,
    detail: slice | None = None,
    **options: Any,
) -> list[dict[str, Any]]:
    """The rows of one table, each a dict with (at least) the columns of COLUMNS[table].

    ``detail``: the rows that will be shown (a page), for figures too costly to compute
    for every row (a post's half-life); None: all of them.
    """
    if table == "teams":
        found = team_rows(session, period, settings.leaderboard_min_shares)
    elif table == "people":
        found = people_rows(session, period, points_rule(settings), options.get("team_id"))
        user_id = options.get("only_user_id")
        if user_id is not None:
            found = [r for r in found if r.user_id == user_id]
    elif table == "posts":
        found = post_rows(session, period, detail)
    elif table == "networks":
        found = network_rows(session, period)
    else:
        raise ValueError(table)
    return [_rounded(asdict(r)) for r in found]


def _rounded(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("participation_rate", "engagement_rate"):
        if key in row:
            row[key] = round(row[key], 4)
    return row
