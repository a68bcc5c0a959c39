"""What the message search writes and reads (adapters/dynamodb/search_index.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol


class IndexedMessages(Protocol):
    def message(self, case_id: str, sort_key: str) -> dict[str, Any] | None:
        """The customer message item as stored (None: gone, erased or expired)."""
        ...

    def index(self, case_id: str, sent_at: datetime, words: Iterable[str]) -> int:
        """One index entry per word (written again alike when retried); how many."""
        ...


class MessageSearch(Protocol):
    def postings(self, word: str, since: datetime, limit: int) -> list[tuple[str, str]]:
        """(sent_at, case id) of the newest messages holding `word` sent since `since`,
        at most `limit` from each of the word's shards."""
        ...

    def texts(self, case_id: str, since: datetime) -> list[str]:
        """The texts of the case's customer messages sent since `since`."""
        ...

    def cases(self, case_ids: list[str]) -> list[dict[str, Any]]:
        """The cases' items (open and closed), as the inbox lists them."""
        ...
