"""Time as the domain sees it: always UTC, always injected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(tz=UTC)


def utc_iso(moment: datetime) -> str:
    """Sortable ISO-8601 text in UTC with milliseconds, e.g. 2026-11-24T09:15:02.120Z."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
