"""A reduced version of the forgery scenario: deliveries with missing, wrong, truncated or
re-used signatures, signed with the wrong secret, or altered after signing -> all 401,
nothing stored at all."""

from __future__ import annotations

import copy
import itertools

import pytest

from socialcare_cli.local.stack import local_secrets
from socialcare_cli.samples import SIGNATURE_HEADERS, raw_body, send_event, signature_for
from socialcare_cli.synthetic import deliveries
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e
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


def test_every_kind_of_forgery_is_refused_and_stores_nothing(stack, api):
    # Given real deliveries of every channel, each forged six ways
    real = list(deliveries(16, local_secrets({}), ROOT))
    pairs = zip(real, [*real[1:], real[0]], strict=True)
    attempts = [
        (kind, forged(delivery, other, kind))
        for (delivery, other), kind in itertools.product(pairs, KINDS)
        if not (delivery.platform == "telegram" and kind in NOT_FOR_TELEGRAM)
    ]
    # When they are sent
    answers = {(kind, send_event(api, event).status) for kind, event in attempts}
    # Then every one is 401, and the table holds nothing (no case, no dedup record)
    assert answers == {(kind, 401) for kind in KINDS}
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    assert items == [] and stack.executions() == []
