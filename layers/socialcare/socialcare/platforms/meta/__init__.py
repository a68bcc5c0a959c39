"""Meta webhooks: Facebook Page feed, Messenger, Instagram and WhatsApp Cloud API.

One endpoint serves the three `object` kinds. Every entry and every change or messaging
item of a delivery is looked at, each on its own (a malformed one does not stop the
others); customer messages become InboundMessages, their edits and deletions
MessageChanges, the brand's own public replies BrandResponses.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from socialcare.domain.accounts import ANY_ACCOUNT, BrandAccounts
from socialcare.domain.credentials import PlatformSecrets
from socialcare.platforms.base import (
    HandshakeRefused,
    HttpReply,
    ParsedDelivery,
    SignatureInvalid,
    as_dict,
    as_list,
    hmac_sha256,
    same_secret,
)
from socialcare.platforms.meta import instagram, messenger, page, whatsapp

SIGNATURE_HEADER = "x-hub-signature-256"
# The webhook fields the parsers read, by object (`socialcare connect meta`, `doctor`).
PAGE_WEBHOOK_FIELDS = (*page.CONSUMED_FIELDS, *messenger.CONSUMED_FIELDS)
INSTAGRAM_WEBHOOK_FIELDS = (*instagram.CONSUMED_FIELDS, "messages")
WHATSAPP_WEBHOOK_FIELDS = whatsapp.CONSUMED_FIELDS
# Meta's challenge is a number; only that is echoed (an echo of anything would let a
# caller make the stack serve content of its choosing).
_CHALLENGE = re.compile(r"[0-9]{1,64}")


def handshake(query: Mapping[str, str], secrets: PlatformSecrets) -> HttpReply:
    """GET subscription check: echo hub.challenge when the verify token matches."""
    mode = query.get("hub.mode")
    token = query.get("hub.verify_token")
    challenge = query.get("hub.challenge", "")
    if mode != "subscribe" or not same_secret(token, secrets.meta_verify_token):
        raise HandshakeRefused("verification failed")
    if not _CHALLENGE.fullmatch(challenge):
        raise HandshakeRefused("verification failed")
    return HttpReply(200, challenge, "text/plain")


def verify(headers: Mapping[str, str], raw_body: bytes, secrets: PlatformSecrets) -> None:
    provided = headers.get(SIGNATURE_HEADER)
    if not secrets.meta_app_secret:
        raise SignatureInvalid("signature check not configured")
    if not provided or not provided.startswith("sha256="):
        raise SignatureInvalid("missing or malformed signature")
    expected = "sha256=" + hmac_sha256(secrets.meta_app_secret, raw_body).hex()
    if not hmac.compare_digest(provided.lower().encode("utf-8"), expected.encode("utf-8")):
        raise SignatureInvalid("signature does not match")


def sign(raw_body: bytes, app_secret: str) -> str:
    """The header value Meta would send; used by samples, the demo and tests."""
    return "sha256=" + hmac_sha256(app_secret, raw_body).hex()


def parse(
    payload: Any, received_at: datetime, accounts: BrandAccounts = ANY_ACCOUNT
) -> ParsedDelivery:
    delivery = ParsedDelivery()
    body = as_dict(payload)
    kind = body.get("object")
    entries = as_list(body.get("entry"))
    if kind == "page":
        delivery.each(entries, page.page_entry, accounts, received_at)
    elif kind == "instagram":
        delivery.each(entries, instagram.instagram_entry, accounts, received_at)
    elif kind == "whatsapp_business_account":
        delivery.each(entries, whatsapp.entry, accounts, received_at)
    elif entries:
        delivery.ignore("unknown_object", object=str(kind)[:40])
    if not entries:
        delivery.ignore("empty_delivery", object=str(kind)[:40])
    return delivery
