"""Reporting periods: UTC, ``to`` exclusive, on the rollups' hourly grain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ..errors import ValidationError

PRESETS = ("7d", "30d", "quarter", "all")


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime | None  # inclusive; None: since the beginning
    end: datetime | None  # exclusive; None: until now

    def label(self) -> str:
        start = self.start.strftime("%Y-%m-%d %H:%M") if self.start else "…"
        end = self.end.strftime("%Y-%m-%d %H:%M") if self.end else "now"
        return f"{start} → {end} UTC"


def floor_hour(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def parse_bound(value: str | None, name: str) -> datetime | None:
    """A date (midnight UTC) or a datetime (rounded down to the hour; no offset means UTC)."""
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"'{name}' must be a date or an ISO 8601 date and time.") from None
    return floor_hour(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def period_from(start: str | None, end: str | None) -> Period:
    period = Period(parse_bound(start, "from"), parse_bound(end, "to"))
    if period.start and period.end and period.end <= period.start:
        raise ValidationError("'to' must be after 'from'.")
    return period


def preset(name: str, now: datetime) -> Period:
    """Last 7 or 30 days (whole UTC days up to today included), this quarter, or all time."""
    today = datetime.combine(now.astimezone(UTC).date(), time(0), UTC)
    tomorrow = today + timedelta(days=1)
    if name == "7d":
        return Period(tomorrow - timedelta(days=7), tomorrow)
    if name == "30d":
        return Period(tomorrow - timedelta(days=30), tomorrow)
    if name == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = today.replace(month=first_month, day=1)
        end_month = first_month + 3
        end = start.replace(year=start.year + (end_month > 12), month=(end_month - 1) % 12 + 1)
        return Period(start, end)
    if name == "all":
        return Period(None, None)
    raise ValidationError(f"Unknown period {name!r}; use {', '.join(PRESETS)} or from/to.")
