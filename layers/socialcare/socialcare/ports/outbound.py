"""Answering on the platforms: their APIs, the store that makes each action happen at
most once, and the alarm for a token a person must renew."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.outbound import Delivery, OutboundAction, OutboundRecord, OutboundStatus
    from socialcare.domain.platform_errors import TokenProblem


class TokenAlarm(Protocol):
    """Token problems a person may have to act on (renew or re-authorise a token)."""

    def token_invalid(self, platform: str, problem: TokenProblem) -> None: ...


class OutboundStore(Protocol):
    """Each outbound action's item: claimed before the call, its fate recorded after."""

    def claim_outbound(
        self, action: OutboundAction, summary: dict[str, str], now: datetime, lease_seconds: float
    ) -> OutboundRecord | None:
        """None when this call claimed it (status SENDING); else the item as it is."""

    def retake_outbound(self, record: OutboundRecord, now: datetime, lease_seconds: float) -> bool:
        """RETRY (or an abandoned SENDING) -> SENDING with one more attempt, if the item is
        still as `record` read it; False when someone else moved it first."""

    def finish_outbound(
        self,
        action: OutboundAction,
        status: OutboundStatus,
        now: datetime,
        *,
        attempts: int,
        message_id: str | None = None,
        reason: str | None = None,
        summary: dict[str, str] | None = None,
        retry_at: float = 0.0,
    ) -> None:
        """The action's fate, on its item and on the case's timeline, in one write (a
        public reply sent sets the case's first public response time). RETRY keeps
        `retry_at`: no call before then (a rate limit's reset)."""

    def record_dry_run(
        self, action: OutboundAction, summary: dict[str, str], now: datetime
    ) -> bool:
        """Noted once as it would have been sent; False when it was noted before."""

    def record_blocked(self, action: OutboundAction, reason: str, now: datetime) -> None: ...


class UncertainSends(Protocol):
    """Sends whose fate is unknown, told to the social team once."""

    def unreported_uncertain(self, limit: int = 50) -> list[OutboundRecord]:
        """Sends whose fate is unknown, not yet in a social team email."""

    def mark_uncertain_reported(self, records: list[OutboundRecord]) -> None: ...


class PlatformGateway(Protocol):
    """The platforms' APIs (adapters/platform_api/)."""

    def send(self, delivery: Delivery) -> str:
        """The platform's id of what was sent. PlatformRefused, PlatformBusy,
        PlatformFailed or PlatformTokenInvalid (not done), or FateUnknown (may have been
        done)."""

    def find_sent(self, delivery: Delivery) -> str | None:
        """After FateUnknown: the id if the platform shows it was done, None if it shows
        it was not; CannotTell where the platform cannot say."""
