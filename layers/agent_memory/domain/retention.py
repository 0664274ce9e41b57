"""Retention: how long a tenant's memories and raw conversation logs are kept (tenant settings).

Memories carry their end as `expires_at`, stamped when they are written, so an expired memory is invisible at once and
removed later (DynamoDB TTL, the local sweep); memories written before a retention was set are deleted by the sweep.
Raw logs in S3 expire by lifecycle rules keyed on an object tag set when the log is ingested (a later change of the
setting applies to new logs; the sweep deletes older ones by age); lifecycle rules are fixed at deploy time, so
raw-log retention is one of a documented set of periods.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_MEMORY_RETENTION_DAYS = 36_500
RAW_LOG_RETENTION_DAYS: tuple[int, ...] = (1, 7, 14, 30, 60, 90, 180, 365, 730, 1825, 3650)
"""The raw-log retention periods a tenant may choose: one S3 lifecycle rule (and object tag value) per period."""
RETENTION_TAG = "agent-memory-retention-days"


def retained_until(created_at: datetime, days: int | None) -> datetime | None:
    if days is None:
        return None
    try:
        return created_at + timedelta(days=days)
    except OverflowError:  # past year 9999: no date to stop at
        return None


def stamped(expires_at: datetime | None, created_at: datetime, days: int | None) -> datetime | None:
    """A memory's end under a retention of `days`: the earlier of its own expiry and the retention's."""
    limit = retained_until(created_at, days)
    if limit is None:
        return expires_at
    return limit if expires_at is None else min(expires_at, limit)
