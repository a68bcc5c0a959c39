"""Deliveries that could not be recorded are parked (a queue) for `socialcare replay`.

A parked delivery never holds a secret: Telegram's secret token travels in a header, so
headers are dropped but for the content type and the platforms' body signatures (an HMAC
of the body reveals nothing). One the webhook verified before it failed is sealed with a
key only the stack has, and its replay is trusted on that seal: a secret rotated since
does not turn it away. One it could not verify (its platform secret was unreadable) keeps
its body signature and is verified on replay like any delivery; a Telegram one cannot be
kept that way (its proof is the secret itself), so it is left to Telegram's own retries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import ValidationError

from socialcare.domain.clock import utc_iso
from socialcare.domain.failures import Unavailable
from socialcare.domain.parked import ParkedDelivery
from socialcare.platforms import meta, x

# Body signatures: proofs about the body, not secrets.
KEPT_HEADERS = frozenset({"content-type", meta.SIGNATURE_HEADER, x.SIGNATURE_HEADER})


def parked(
    platform: str,
    headers: dict[str, str],
    body: str | None,
    body_is_base64: bool,
    *,
    verified: bool,
    reason: str,
    now: datetime,
    seal_key: Callable[[], str] | None,
) -> ParkedDelivery | None:
    """What to keep of a delivery that failed, or None when it cannot be kept safely."""
    record = ParkedDelivery(
        platform=platform,
        headers={k: v for k, v in headers.items() if k in KEPT_HEADERS},
        body=body or "",
        body_is_base64=body_is_base64,
        verified=verified,
        reason=reason[:200],
        parked_at=utc_iso(now),
    )
    key = None
    if verified and seal_key is not None:
        try:
            key = seal_key()
        except Unavailable:
            key = None
    if key:
        return record.sealed(key)
    if platform == "telegram":
        return None  # without a seal, nothing left in it would prove it came from Telegram
    return record.model_copy(update={"verified": False})


class ParkedInvalid(Exception):
    """A parked record that is not one, or whose seal does not hold."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def opened(value: object, seal_key: Callable[[], str] | None) -> tuple[ParkedDelivery, bool]:
    """The parked delivery, and whether it is trusted as verified (its seal holds).
    Raises ParkedInvalid, or Unavailable when the key cannot be read now."""
    try:
        record = ParkedDelivery.model_validate(value)
    except ValidationError:
        raise ParkedInvalid(400, "invalid_parked_delivery", "not a parked delivery") from None
    if record.seal is None:
        if record.verified:
            raise ParkedInvalid(401, "invalid_seal", "a verified delivery must be sealed")
        return record, False
    if seal_key is None or not record.seal_holds(seal_key()):
        raise ParkedInvalid(401, "invalid_seal", "the seal does not hold")
    return record, record.verified
