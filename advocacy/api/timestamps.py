"""Reading ISO 8601 timestamps from request bodies and query strings."""

from __future__ import annotations

from datetime import UTC, datetime

from ..errors import ValidationError


def parse_timestamp(value: object, name: str) -> datetime | None:
    """An aware UTC datetime, or None for null; a value without an offset is taken as UTC."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(f"'{name}' must be an ISO 8601 date and time, or null.")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"'{name}' is not an ISO 8601 date and time: {value!r}.") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
