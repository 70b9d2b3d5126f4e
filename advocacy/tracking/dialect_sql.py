"""The few SQL expressions the set-based click statements write differently per database.

Times are stored as SQLAlchemy stores them: naive UTC, and on SQLite as the text
``YYYY-MM-DD HH:MM:SS.ffffff`` (compared as text, so the format must match exactly);
dates as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import Session


class DialectSql:
    def __init__(self, dialect: str) -> None:
        self.postgresql = dialect == "postgresql"

    @classmethod
    def of(cls, session: Session) -> DialectSql:
        return cls(session.get_bind().dialect.name)

    def timestamp(self, ms: str) -> str:
        """The stored timestamp of an integer count of milliseconds since the epoch."""
        if self.postgresql:
            return f"(TIMESTAMP '1970-01-01' + ({ms}) * INTERVAL '1 millisecond')"
        return (
            f"(strftime('%Y-%m-%d %H:%M:%S', ({ms}) / 1000, 'unixepoch')"
            f" || printf('.%03d000', ({ms}) % 1000))"
        )

    def date(self, days: str) -> str:
        """The stored date of an integer count of days since the epoch."""
        if self.postgresql:
            return f"(DATE '1970-01-01' + CAST({days} AS INTEGER))"
        return f"date(({days}) * 86400, 'unixepoch')"

    def day_of(self, timestamp: str) -> str:
        """The stored date of a stored timestamp."""
        return f"CAST({timestamp} AS DATE)" if self.postgresql else f"date({timestamp})"

    def count_if(self, condition: str) -> str:
        return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    def next_day(self, day: ColumnElement[date]) -> ColumnElement[date]:
        """The day after a date column, as an expression (it is compared with timestamps:
        on SQLite the text ``YYYY-MM-DD`` sorts before that day's ``YYYY-MM-DD HH:…``)."""
        return day + 1 if self.postgresql else func.date(day, "+1 day")
