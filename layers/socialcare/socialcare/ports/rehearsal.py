"""What a protocol rehearsal reads: the stored cases of a period, never written to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.rehearsal import PastCase


class PastCases(Protocol):
    def past_cases(self, first_day: date, last_day: date) -> Iterator[PastCase]:
        """The triaged cases created from `first_day` to `last_day` (UTC days, both
        included), oldest first."""
        ...
