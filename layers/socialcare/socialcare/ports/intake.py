"""What the webhook records: each message once, the brand's replies and the customers'
edits, the platforms' delivery reports (the survey answers tapped in a conversation:
surveys.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.cases import Recorded
    from socialcare.domain.delivery_reports import DeliveryReport, ReportRecorded
    from socialcare.domain.messages import BrandResponse, InboundMessage, MessageChange


class MessageRecords(Protocol):
    def record(self, message: InboundMessage, now: datetime) -> Recorded:
        """Record the message exactly once: new case, appended to the author's open case,
        or recognised as a duplicate. Atomic: all of it is written or none."""


class CaseNotes(Protocol):
    """What happened to a case's messages on the platform, noted on the case."""

    def record_brand_response(self, response: BrandResponse, now: datetime) -> str | None:
        """Note the brand's public reply on the case of the message it answers (the first
        one sets the first public response time); the case id, None if no case has it."""

    def record_message_change(self, change: MessageChange, now: datetime) -> str | None:
        """Note the customer's edit or deletion on the case of the message changed; the
        case id, None if no case has that message."""


class DeliveryReports(Protocol):
    def record_delivery_report(self, report: DeliveryReport, now: datetime) -> ReportRecorded:
        """What became of a message the brand sent, found by the platform's id for it: a
        failure marks the send failed once (its timeline and the social team's next digest
        with it); delivered/read keep the latest only. Never a case."""
