"""The ports for answering on the platforms: the platforms' APIs and the store that makes
each action happen at most once, with the errors and tokens that cross that border."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from socialcare.domain.outbound import Delivery, OutboundAction, OutboundRecord, OutboundStatus


class PlatformRefused(Exception):
    """The platform refused the call for good (outside a window, already replied...)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class PlatformBusy(Exception):
    """Rate limited (429, or Meta's usage headers): nothing was done; wait and retry."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after:g} s")
        self.retry_after = retry_after


class PlatformFailed(Exception):
    """The call surely did nothing (no connection, a 5xx to a call that changes nothing):
    it may be retried."""


class FateUnknown(Exception):
    """The request left and may have been done: no answer came back (a timeout), a 5xx
    answer to a call that creates, or a refusal saying it exists already."""


class CannotTell(Exception):
    """The platform offers no way to see whether an earlier call was done."""


class TokenProblem(StrEnum):
    MISSING = "missing"  # not in PlatformTokensSecret (not set up yet)
    REJECTED = "rejected"  # the platform no longer takes it: expired or revoked
    REFRESH_REFUSED = "refresh_refused"  # X refused the refresh, after a re-read and a retry
    ROTATION_BUSY = "rotation_busy"  # another container's refresh did not finish in time
    UNSAVED = "unsaved"  # X gave a new pair the secret could not keep yet
    # X: the app is not attached to a project, or its access tier lacks the endpoint
    NOT_ENROLLED = "not_enrolled"
    USAGE_CAPPED = "usage_capped"  # X: the project's usage cap for the period is spent
    # The token works but lacks a permission, or the app lost access (Graph 10, 200-299):
    # someone has to grant it again, as for a token that expired.
    PERMISSION = "permission"


class PlatformTokenInvalid(Exception):
    """The brand's token (or its app's access) for a platform cannot be used now: nothing
    was sent. Never a refusal for good: the action waits for a later attempt, once the
    token is renewed, the rotation under way has finished, or ops fixed the app."""

    def __init__(self, platform: str, problem: TokenProblem) -> None:
        super().__init__(f"{platform} token {problem.value}")
        self.platform = platform
        self.problem = problem


class TokenAlarm(Protocol):
    """Token problems a person may have to act on (renew or re-authorise a token)."""

    def token_invalid(self, platform: str, problem: TokenProblem) -> None: ...


class PlatformTokens(BaseModel):
    """The brand's access tokens for answering (PlatformTokensSecret). Empty: not set up."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # Page access tokens by page id; "*" for every page not listed.
    facebook_page_tokens: dict[str, str] = {}
    instagram_tokens: dict[str, str] = {}
    whatsapp_token: str = ""
    whatsapp_phone_number_id: str = ""
    # The WhatsApp Business Account the number belongs to: `socialcare connect meta`
    # subscribes the app to it (the functions never read it).
    whatsapp_business_account_id: str = ""
    # The Meta app's secret, for appsecret_proof on Graph calls (README, "Meta"): the same
    # value as PlatformSecrets' meta_app_secret. Empty: no proof is sent.
    meta_app_secret: str = ""
    x_access_token: str = ""
    x_refresh_token: str = ""
    x_client_id: str = ""
    x_client_secret: str = ""
    x_token_expires_at: float = 0
    telegram_bot_token: str = ""


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

    def unreported_uncertain(self, limit: int = 50) -> list[OutboundRecord]: ...

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
