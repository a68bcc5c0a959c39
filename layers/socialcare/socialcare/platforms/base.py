"""What every platform module shares: secrets, errors, results."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from socialcare.domain.delivery_reports import DeliveryReport
from socialcare.domain.messages import BrandResponse, Channel, InboundMessage, MessageChange
from socialcare.domain.survey_answers import SurveyAnswer, TapOrigin, parse_survey_payload
from socialcare.domain.values import InvalidValue
from socialcare.platforms.ids import Malformed


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
    changes: list[MessageChange] = field(default_factory=list)
    survey_answers: list[SurveyAnswer] = field(default_factory=list)
    # What the platform says became of messages the brand sent (WhatsApp statuses).
    delivery_reports: list[DeliveryReport] = field(default_factory=list)
    # Telegram: a Bot API call made by answering the webhook itself (a tapped button is
    # answered so the customer's app stops waiting); no token needed, none sent.
    reply_call: dict[str, Any] | None = None

    def survey_answer(
        self,
        payload: Any,
        channel: Channel,
        author_ids: tuple[str, ...],
        origin: TapOrigin,
        at: datetime,
        key: str,
    ) -> bool:
        """A tapped survey choice is the answer to that case's survey, never a message
        (so never a case); False when `payload` is not one of our choices. The channel it
        came back on (and so its platform), where it came from (the brand's account, the
        chat) and every id of who tapped travel with it: the store counts it only for that
        case's customer, in the conversation the survey went to."""
        parsed = parse_survey_payload(payload)
        if parsed is None:
            return False
        case_id, score = parsed
        self.survey_answers.append(
            SurveyAnswer(
                case_id=case_id,
                score=score,
                channel=channel,
                author_id=author_ids[0],
                author_aliases=author_ids[1:],
                origin=origin,
                answered_at=at,
                answer_key=key,
            )
        )
        return True

    def ignore(self, kind: str, /, **detail: Any) -> None:
        self.ignored.append(Ignored(kind, detail))

    def each(self, items: Iterable[Any], parse: Callable[..., None], *context: Any) -> None:
        """`parse(item, *context, self)` for each item; one that cannot be what the platform
        sends is ignored as malformed, and the others still count."""
        for item in items:
            try:
                parse(item, *context, self)
            except Malformed as error:
                self.ignore("malformed", reason=str(error))
            except InvalidValue as error:  # names the field, never the value
                self.ignore("malformed", reason=str(error))

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


def as_count(value: Any) -> int | None:
    """A count the platform reports (followers): a whole number, or nothing."""
    if type(value) is int and 0 <= value < 10**12:
        return value
    if type(value) is str and value.isascii() and value.isdigit() and len(value) < 13:
        return int(value)
    return None
