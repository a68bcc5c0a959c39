"""What a person's review of a case's triage writes on the case (the console's review
queue reads the case item's `needs_review`)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class CaseReviews(Protocol):
    def confirm_review(self, case_id: str, by: str, now: datetime) -> bool:
        """`needs_review` true -> false on an open case, with `review_confirmed` (by, at)
        on its timeline, once: False when it was not waiting for a review (another
        person confirmed or corrected it first, or it closed)."""
        ...
