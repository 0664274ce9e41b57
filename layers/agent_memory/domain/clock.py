"""Time in one representation: timezone-aware UTC datetimes, microseconds since the epoch when stored."""

from __future__ import annotations

from datetime import UTC, datetime

from agent_memory.domain.errors import InvalidInput


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_micros(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1_000_000)


def from_micros(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1_000_000, tz=UTC)


def as_utc(value: datetime) -> datetime:
    """Naive datetimes from clients are taken to be UTC; an instant outside years 1..9999 in UTC is bad input."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # e.g. 0001-01-01T00:00:00+14:00 or 9999-12-31T23:59:59-14:00
        raise InvalidInput(f"{value.isoformat()} is outside the supported dates once converted to UTC.") from exc
