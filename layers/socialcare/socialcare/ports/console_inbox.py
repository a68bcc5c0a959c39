"""What the console's inbox and case view read (adapters/dynamodb/open_cases.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol


class OpenCases(Protocol):
    def open_cases(self) -> Iterable[Mapping[str, Any]]:
        """Every open case, as the open cases' index projects it."""
        ...


class CaseViews(Protocol):
    def get_case(self, case_id: str) -> dict[str, Any] | None:
        """The case's items assembled (messages, timeline, links); None: no such case."""
        ...


class PersonCases(Protocol):
    def cases_of_author(self, author_key: str, limit: int) -> list[dict[str, Any]]:
        """The author's cases on any channel (id, status, channel, created_at, category),
        newest first, the linked identities' too."""
        ...


class Presence(Protocol):
    def seen(self, case_id: str, username: str, now: datetime) -> None:
        """`username` has the case open now."""
        ...

    def viewers(self, case_id: str, now: datetime) -> list[str]:
        """Who had the case open in the last minute or so."""
        ...
