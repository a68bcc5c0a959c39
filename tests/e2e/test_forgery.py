"""A reduced version of the forgery scenario: deliveries with missing, wrong, truncated or
re-used signatures, signed with the wrong secret, or altered after signing -> all 401,
nothing stored at all."""

from __future__ import annotations

import itertools

import pytest

from socialcare_cli.forgery import KINDS, NOT_FOR_TELEGRAM, forged
from socialcare_cli.local.stack import local_secrets
from socialcare_cli.samples import send_event
from socialcare_cli.synthetic import deliveries
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


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
