"""What the domain needs from the outside world, as protocols the adapters implement."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from socialcare.domain.cases import Recorded
from socialcare.domain.messages import BrandResponse, InboundMessage, MessageChange


class Unavailable(Exception):
    """Something the delivery depends on failed now; the sender must be told to retry."""


class StorageUnavailable(Unavailable):
    """The store could not record durably now."""


class WorkflowUnavailable(Unavailable):
    """The workflow could not be started now; a redelivery will start it."""


class SecretsUnavailable(Unavailable):
    """The platform secrets could not be read, or are not shaped as expected."""


class CaseStore(Protocol):
    def record(self, message: InboundMessage, now: datetime) -> Recorded:
        """Record the message exactly once: new case, appended to the author's open case,
        or recognised as a duplicate. Atomic: all of it is written or none."""

    def claim_workflow_start(self, case_id: str, now: datetime) -> bool:
        """True when this caller may start the case's workflow (nobody started it, and any
        earlier claim is stale)."""

    def mark_workflow_started(self, case_id: str, execution_arn: str, now: datetime) -> None: ...

    def release_workflow_claim(self, case_id: str) -> None: ...

    def record_brand_response(self, response: BrandResponse, now: datetime) -> str | None:
        """Note the brand's public reply on the case of the message it answers (the first
        one sets the first public response time); the case id, None if no case has it."""

    def record_message_change(self, change: MessageChange, now: datetime) -> str | None:
        """Note the customer's edit or deletion on the case of the message changed; the
        case id, None if no case has that message."""


class WorkflowStarter(Protocol):
    def start(self, case_id: str) -> str:
        """Start the case workflow (idempotent by execution name); returns its ARN."""
