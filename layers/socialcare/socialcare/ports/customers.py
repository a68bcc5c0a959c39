"""Whether an author is a known customer."""

from __future__ import annotations

from typing import Protocol


class CustomerDirectory(Protocol):
    def reference(self, platform: str, author_id: str) -> str | None:
        """None: not a known customer; else their reference in the CRM (policy, account;
        "" when the table keeps none), which the department uses to find them."""
