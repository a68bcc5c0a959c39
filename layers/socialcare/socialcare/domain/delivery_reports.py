"""What a platform says later of a message the brand sent: delivered, read, or failed
(WhatsApp's `statuses` webhook). A failed one is the only way to learn the customer never
got it: the Cloud API accepts a send (200, a wamid) and reports its failure afterwards.
https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from socialcare.domain.messages import Channel


class ReceiptState(StrEnum):
    DELIVERED = "delivered"
    READ = "read"  # implies delivered: Meta sends no `delivered` when `read` comes first
    FAILED = "failed"


# Latest only, and never backwards: statuses may arrive in any order (Meta does not
# promise one), so a `delivered` after `read` changes nothing.
RANK = {ReceiptState.DELIVERED: 1, ReceiptState.READ: 2}


class ReportRecorded(StrEnum):
    RECORDED = "recorded"
    UNCHANGED = "unchanged"  # a redelivery, or older than what the record has
    UNKNOWN = "unknown"  # no send of ours has that id (another app's, or expired)


# What WhatsApp's failure codes mean for the social team, and what they can do.
# https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
MEANINGS = {
    131047: "more than 24 hours have passed since the customer last wrote: only an approved "
    "template can reach them now",
    131026: "the number cannot receive it (not on WhatsApp, an old app, or terms not accepted)",
    131049: "WhatsApp held it back to keep engagement healthy: wait at least 24 hours before "
    "trying again",
    131050: "the customer stopped marketing messages from the brand",
    130472: "the customer's number is part of a WhatsApp experiment",
}


@dataclass(frozen=True)
class DeliveryReport:
    channel: Channel
    message_id: str  # what the platform returned when it took the message (a wamid)
    state: ReceiptState
    at: datetime
    error_code: int | None = None
    error_title: str | None = None
    error_details: str | None = None

    @property
    def key(self) -> str:
        return f"{self.channel.value}:{self.message_id}"

    def reason(self) -> str:
        """A failure in words that are true and say what to do."""
        code = self.error_code
        meaning = MEANINGS.get(code or 0) or self.error_details or self.error_title
        label = f" ({code})" if code is not None else ""
        return f"the platform reported it failed{label}: {meaning or 'no reason given'}"[:500]


# The channels whose platform reports on the brand's messages later (their sends are kept
# findable by the platform's id).
REPORTED_CHANNELS = frozenset({Channel.WHATSAPP})
