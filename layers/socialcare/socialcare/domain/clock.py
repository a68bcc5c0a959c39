"""Time as the domain sees it: always UTC, always injected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(tz=UTC)


@lru_cache(maxsize=256)
def utc_iso(moment: datetime) -> str:
    """Sortable ISO-8601 text in UTC with milliseconds, e.g. 2026-11-24T09:15:02.120Z.
    Remembered: recording one message writes the same two moments about ten times."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
