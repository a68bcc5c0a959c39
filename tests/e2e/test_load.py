"""A reduced version of the load scenario (`make reliability` runs the full one): distinct
deliveries over every channel, Meta batches among them, 30% sent again, shuffled, from
8 concurrent senders over HTTP -> exactly the expected cases, each triaged once from the
table's stream, no 5xx (praise and spam: triage closes them, no workflow starts)."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from socialcare_cli.local.stack import local_secrets
from socialcare_cli.samples import send_event
from socialcare_cli.synthetic import deliveries
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


def test_duplicated_shuffled_concurrent_deliveries_make_exactly_one_case_each(stack, api):
    # Given 40 distinct deliveries, 30% of them repeated, in random order
    distinct = list(deliveries(40, local_secrets({}), ROOT))
    rng = random.Random(2026)
    sent = distinct + rng.sample(distinct, k=int(0.3 * len(distinct)))
    rng.shuffle(sent)
    # When 8 senders deliver them at once
    with ThreadPoolExecutor(max_workers=8) as senders:
        answers = list(senders.map(lambda d: send_event(api, d.event).status, sent))
    # Then every delivery was acknowledged, and each message is exactly one case
    assert set(answers) == {200}
    expected = sum(d.messages for d in distinct)
    deadline = time.monotonic() + 60
    cases = stack.list_cases()
    while any(c["status"] in ("new", "triaged") for c in cases):
        assert time.monotonic() < deadline, "cases still waiting for triage"
        time.sleep(0.2)
        cases = stack.list_cases()
    assert len(cases) == expected
    # And each case was triaged once and closed by triage, without any workflow
    assert stack.wait_for_executions(timeout=60) == []
    assert {c["status"] for c in cases} <= {"autonomous", "spam"}
    assert all([e["kind"] for e in c["timeline"]].count("triaged") == 1 for c in cases)
