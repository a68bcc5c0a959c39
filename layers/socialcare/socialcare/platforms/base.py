"""What every platform module shares: secrets, errors, results."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from socialcare.domain.messages import BrandResponse, Channel, InboundMessage


class PlatformSecrets(BaseModel):
    """Shared secrets, one per platform. An empty value means "not configured": reject all."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    meta_app_secret: str = ""
    meta_verify_token: str = ""
    x_consumer_secret: str = ""
    telegram_secret_token: str = ""


class WebhookRejected(Exception):
    """A delivery refused with a client error; the message is safe to show the caller."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SignatureInvalid(WebhookRejected):
    status = 401
    code = "invalid_signature"


class HandshakeRefused(WebhookRejected):
    status = 403
    code = "forbidden"


class PayloadInvalid(WebhookRejected):
    status = 400
    code = "invalid_payload"


@dataclass(frozen=True)
class Ignored:
    """An item acknowledged without a case, and why (logged, never stored)."""

    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedDelivery:
    messages: list[InboundMessage] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    responses: list[BrandResponse] = field(default_factory=list)

    def ignore(self, kind: str, /, **detail: Any) -> None:
        self.ignored.append(Ignored(kind, detail))

    def brand_reply(
        self,
        channel: Channel,
        replied_key: str | None,
        response_id: str | None,
        responded_at: datetime,
    ) -> None:
        """The brand's own item: a response when it answers a message, else ignored."""
        if not replied_key or not response_id:
            self.ignore("own_message")
            return
        self.responses.append(
            BrandResponse(
                channel=channel,
                replied_key=replied_key,
                response_id=response_id,
                responded_at=responded_at,
            )
        )


@dataclass(frozen=True)
class HttpReply:
    status: int
    body: str
    content_type: str = "application/json"


def hmac_sha256(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).digest()


def same_secret(provided: str | None, expected: str) -> bool:
    """Constant-time comparison over bytes (compare_digest refuses non-ASCII str)."""
    if not expected or provided is None:
        return False
    return hmac.compare_digest(provided.encode("utf-8"), expected.encode("utf-8"))


def from_unix(value: Any, *, millis: bool = False) -> datetime | None:
    """A platform timestamp (seconds or milliseconds, number or digit string) as UTC."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if millis:
        number /= 1000
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    """Ids arrive as strings or numbers; anything else is absent."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int)):
        text = str(value)
        return text or None
    return None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
