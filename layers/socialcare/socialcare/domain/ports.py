"""What the use cases need from the outside world, as protocols the adapters implement,
and the errors and values that cross that border. Every port is here: an adapter imports
this module, never a use case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict

from socialcare.domain.cases import Recorded
from socialcare.domain.messages import BrandResponse, InboundMessage, MessageChange

if TYPE_CHECKING:  # annotations only: the webhook's cold start does not load triage
    from socialcare.app.parked_deliveries import ParkedDelivery
    from socialcare.domain.triage import TextSignals


class Unavailable(Exception):
    """Something the delivery depends on failed now; the sender must be told to retry."""


class StorageUnavailable(Unavailable):
    """The store could not record durably now."""


class WorkflowUnavailable(Unavailable):
    """The workflow could not be started now; a redelivery will start it."""


class SecretsUnavailable(Unavailable):
    """The platform secrets could not be read, or are not shaped as expected."""


class TaskGone(Exception):
    """The workflow no longer waits for this token (timed out and escalated)."""


class PlatformSecrets(BaseModel):
    """Shared secrets, one per platform. An empty value means "not configured": reject all."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    meta_app_secret: str = ""
    meta_verify_token: str = ""
    x_consumer_secret: str = ""
    telegram_secret_token: str = ""


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


class TaskTokens(Protocol):
    def succeed(self, token: str, output: dict[str, Any]) -> None:
        """Resume the waiting workflow; TaskGone when it no longer waits."""


class EmailSender(Protocol):
    def send(self, to: list[str], subject: str, text: str, html: str) -> str: ...


class TextAnalysis(Protocol):
    def signals(self, text: str) -> TextSignals | None: ...


class CustomerDirectory(Protocol):
    def is_customer(self, platform: str, author_id: str) -> bool: ...


class CaseDays(Protocol):
    def cases_created_on(self, day: str) -> Iterator[dict[str, Any]]: ...


class ReportStore(Protocol):
    bucket: str

    def put(self, key: str, body: Any, content_type: str) -> None: ...
    def copy(self, source: str, key: str) -> None: ...
    def presigned_url(self, key: str, seconds: int) -> str: ...


class DeliveryParking(Protocol):
    def park(self, delivery: ParkedDelivery) -> bool:
        """Keep the delivery for `socialcare replay`; False when it could not be kept."""
