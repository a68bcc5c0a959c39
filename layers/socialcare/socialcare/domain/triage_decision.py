"""What triage decided for a new case, as one value the store keeps in one write
(TriageStore.begin_triage): the assessment and the replies suggested for it, a derived
case's first wait, the links triage made, the customer found and what was read from the
platform."""

from __future__ import annotations

from dataclasses import dataclass

from socialcare.domain.assessment import Assessment
from socialcare.domain.case_details import CaseDetails
from socialcare.domain.cases import MediaLink, PublishLink, SuggestedReplies, TriageRecord
from socialcare.domain.derivation import WaitPlan
from socialcare.domain.second_opinion import SecondOpinion


@dataclass(frozen=True)
class TriageDecision:
    assessment: Assessment
    replies: SuggestedReplies
    plan: WaitPlan | None = None  # None: the social team answers (or nobody: spam)
    publish: PublishLink | None = None  # the social team's link to publish a reply
    media_link: MediaLink | None = None  # the department's links to what was sent
    customer_reference: str | None = None  # the CRM's, when the customer is known
    details: CaseDetails | None = None  # None: nothing was read from the platform
    # A language model's answer on a message triage is unsure of (None: not asked, or no
    # valid answer in time); recorded beside triage's, never deciding.
    second_opinion: SecondOpinion | None = None

    @property
    def department(self) -> str | None:
        """Who answers a derived case; None when the social team does."""
        return None if self.assessment.autonomous else self.assessment.department

    def triage_map(self) -> dict[str, object]:
        """The assessment and its replies as the case keeps them (read back by
        TriageRecord.from_dict)."""
        return {**self.assessment.as_dict(), "suggested_replies": self.replies.as_dict()}

    def record(self) -> TriageRecord:
        """The decision as a case read back from the store carries it."""
        return TriageRecord.from_dict(self.triage_map()) or TriageRecord()
