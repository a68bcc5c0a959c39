"""The social team's alerts, each claimed once: a case's urgent alert, its low score's
alert, a topic's crisis alert with the recent negative cases it counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol


class CaseAlerts(Protocol):
    def claim_urgent_alert(self, case_id: str, now: datetime) -> bool: ...

    def release_urgent_alert(self, case_id: str) -> None: ...

    def claim_low_score_alert(self, case_id: str, now: datetime) -> bool:
        """The social team's alert for a case's low satisfaction score, once."""

    def release_low_score_alert(self, case_id: str) -> None: ...

    def count_negative(
        self, topic: str, case_id: str, created_at: str, window: timedelta, now: datetime
    ) -> int: ...

    def negative_case_ids(self, topic: str, since: datetime, limit: int) -> list[str]:
        """The topic's negative cases created since `since` (as count_negative noted
        them), the newest first, at most `limit`."""

    def count_negative_between(self, topic: str, since: datetime, until: datetime) -> int:
        """The topic's negative cases created from `since` up to (not at) `until`."""

    def claim_crisis_alert(self, topic: str, window: timedelta, now: datetime) -> bool: ...

    def record_crisis_alert(self, case_id: str, topic: str, now: datetime) -> None: ...
