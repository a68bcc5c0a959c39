"""What is read from a message's words (Amazon Comprehend) and the replies suggested
to the community manager."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.assessment import Assessment
    from socialcare.domain.cases import Case, SuggestedReplies
    from socialcare.domain.derivation import WaitPlan
    from socialcare.domain.messages import Channel
    from socialcare.domain.triage import TextSignals


class TextAnalysis(Protocol):
    def signals(self, text: str) -> TextSignals | None: ...


class SuggestReplies(Protocol):
    """The replies suggested to the community manager (presentation/replies.py)."""

    def suggest(
        self,
        assessment: Assessment,
        text: str,
        channel: Channel,
        *,
        public: bool | None = None,
        author_name: str | None = None,
        deadline: datetime | None = None,  # the department's, when derived
        now: datetime | None = None,
    ) -> SuggestedReplies: ...

    def restate(self, case: Case, plan: WaitPlan, now: datetime) -> SuggestedReplies | None:
        """The case's replies again, naming `plan`'s department and deadline."""
