"""Cases: identity, statuses, and what recording a message can lead to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from socialcare.domain.messages import InboundMessage, MessageChange

# A claim on starting the workflow older than this is considered abandoned (the
# claimant crashed or timed out), so a redelivery may take it over.
WORKFLOW_CLAIM_STALE_SECONDS = 60


class CaseStatus(StrEnum):
    """Statuses while a case is open; closed cases carry a FinalStatus and `closed_at`."""

    NEW = "new"  # stored, workflow not yet running
    TRIAGED = "triaged"  # triaged, about to be derived
    DERIVED = "derived"  # waiting for a department
    ESCALATED = "escalated"  # waiting for a supervisor or the main contact


class RecordOutcome(StrEnum):
    CREATED = "created"  # a new case was opened for this message
    APPENDED = "appended"  # the author came back on an open case
    DUPLICATE = "duplicate"  # this message was recorded before


@dataclass(frozen=True)
class Recorded:
    case_id: str
    outcome: RecordOutcome


def case_id_for(message: InboundMessage) -> str:
    """Deterministic: a retry of the same first message always names the same case."""
    digest = hashlib.sha256(message.dedup_key.encode("utf-8")).hexdigest()[:16]
    return f"{message.sent_at:%Y%m%d}-{digest}"


def execution_name_for(case_id: str) -> str:
    """Step Functions refuses a second execution with the same name."""
    return f"case-{case_id}"


def author_key(message: InboundMessage) -> str:
    """Authors are threaded per platform (the channel family): ids are platform-scoped."""
    return f"{message.platform.value}#{message.author.id}"


def message_fingerprint(message: InboundMessage) -> str:
    return hashlib.sha256(message.dedup_key.encode("utf-8")).hexdigest()[:12]


def change_fingerprint(change: MessageChange) -> str:
    """The same edit or deletion of the same message, however often it is delivered."""
    what = f"{change.original_key}\n{change.kind.value}\n{change.text or ''}"
    return hashlib.sha256(what.encode("utf-8")).hexdigest()[:12]
