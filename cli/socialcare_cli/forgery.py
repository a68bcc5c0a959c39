"""Forged deliveries, each kind of way a stranger might try: for the forgery scenario."""

from __future__ import annotations

import copy

from socialcare_cli.local.stack import local_secrets
from socialcare_cli.samples import SIGNATURE_HEADERS, raw_body, signature_for

WRONG_SECRETS = {k: v + "-not-it" for k, v in local_secrets({}).items()}


def forged(delivery, other, kind: str) -> dict:
    event = copy.deepcopy(delivery.event)
    header = SIGNATURE_HEADERS[delivery.platform]
    raw = raw_body(event)
    if kind == "missing":
        del event["headers"][header]
    elif kind == "wrong":
        event["headers"][header] = event["headers"][header][:-8] + "deadbeef"
    elif kind == "truncated":
        event["headers"][header] = event["headers"][header][:-10]
    elif kind == "reused":  # a real signature, of another delivery
        event["headers"][header] = other.event["headers"][SIGNATURE_HEADERS[other.platform]]
    elif kind == "wrong_secret":
        event["headers"][header] = signature_for(delivery.platform, raw, WRONG_SECRETS)
    elif kind == "altered_body":
        event["body"] = raw.decode().replace("a", "o", 1)
    return event


KINDS = ["missing", "wrong", "truncated", "reused", "wrong_secret", "altered_body"]
# Telegram's header is a shared secret token, not a signature of the body: a body altered
# in transit (TLS prevents that) or a token "re-used" from another update cannot be told
# from the real thing, so those two kinds do not apply to it.
NOT_FOR_TELEGRAM = {"reused", "altered_body"}
