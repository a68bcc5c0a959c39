"""What is left of a case whose retention ran out."""

from __future__ import annotations

from typing import Protocol


class ExpiredCases(Protocol):
    def purge_case(self, case_id: str) -> int:
        """Deletes what is left of the case; how many items it deleted."""
