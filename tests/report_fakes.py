"""In-memory fakes of the daily report's ports: the cases of a day, the reports bucket."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from socialcare.adapters.dynamodb.report_days import reported_case
from socialcare.domain.case_facts import ReportedCase


@dataclass
class InMemoryCaseDays:
    days: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def cases_created_on(
        self, day: str, since: str | None = None, until: str | None = None
    ) -> Iterator[ReportedCase]:
        for item in self.days.get(day, []):
            created = str(item.get("created_at", ""))
            if since is None or until is None or since <= created <= until:
                yield reported_case(item)


@dataclass
class InMemoryReportStore:
    bucket: str = "reports"
    objects: dict[str, tuple[bytes, str]] = field(default_factory=dict)

    def put(self, key: str, body: Any, content_type: str) -> None:
        data = body if isinstance(body, bytes) else body.read()
        self.objects[key] = (data, content_type)

    def copy(self, source: str, key: str) -> None:
        self.objects[key] = self.objects[source]

    def get(self, key: str) -> bytes | None:
        found = self.objects.get(key)
        return found[0] if found else None

    def concatenate(self, sources: list[str], key: str, skip_bytes: int, content_type: str) -> None:
        bodies = [self.objects[source][0] for source in sources]
        joined = b"".join(body if i == 0 else body[skip_bytes:] for i, body in enumerate(bodies))
        self.objects[key] = (joined, content_type)

    def presigned_url(self, key: str, seconds: int) -> str:
        return f"https://{self.bucket}.s3.example/{key}?expires={seconds}"
