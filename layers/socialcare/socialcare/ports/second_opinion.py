"""A language model's second opinion on a message triage is unsure of (Amazon Bedrock)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.second_opinion import SecondOpinion


class SecondOpinions(Protocol):
    def opinion(self, text: str) -> SecondOpinion | None:
        """The model's category, urgency and authority for `text` (already masked), or
        None when it did not answer in time, refused, or answered outside the schema:
        never raises, so a case is triaged as the model triaged it."""
