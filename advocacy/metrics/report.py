"""What the dashboard, the API and the CSV exports share: rows as plain dictionaries."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from functools import cache
from typing import Any, overload

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
    session: Session, table: str, period: Period, settings: Settings, **options: Any
) -> Sequence[dict[str, Any]]:
    """The rows of one table, each a dict with (at least) the columns of COLUMNS[table].

    People and posts are ordered by the database and read when sliced (``OrderedRows``,
    a post's half-life with them): slice what you show.
    """
    found: Sequence[Any]
    if table == "teams":
        found = team_rows(session, period, settings.leaderboard_min_shares)
    elif table == "people":
        found = people_rows(session, period, points_rule(settings), options.get("team_id"))
        user_id = options.get("only_user_id")
        if user_id is not None:
            mine = found.of_user(user_id)
            found = [mine] if mine else []
    elif table == "posts":
        found = post_rows(session, period)
    elif table == "networks":
        found = network_rows(session, period)
    else:
        raise ValueError(table)
    return AsDicts(found)


class AsDicts(Sequence[dict[str, Any]]):
    """A sequence of rows seen as dictionaries, each made when read (a page of 2,000
    posts turns 50 into dictionaries, not all of them)."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [_as_dict(r) for r in self._rows[index]]
        return _as_dict(self._rows[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        # Sequence's own __iter__ would read row 0, row 1, ...: one query each (a CSV)
        return (_as_dict(r) for r in self._rows)


def _as_dict(row: Any) -> dict[str, Any]:
    """The rows are flat dataclasses: a shallow dict is enough (``asdict`` deep-copies)."""
    return _rounded({name: getattr(row, name) for name in _field_names(type(row))})


@cache
def _field_names(row_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(row_type))


def _rounded(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("participation_rate", "engagement_rate"):
        if key in row:
            row[key] = round(row[key], 4)
    return row
