"""Forgery: deliveries with forged, replayed or missing signatures are all refused."""

from __future__ import annotations

from collections import Counter

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.samples import send_event
from socialcare_cli.synthetic import deliveries


def forgery(stack: LocalStack, api: str, attempts: int) -> dict:
    """Missing, wrong, truncated, re-used signatures, wrong secrets, altered bodies."""
    from socialcare_cli.forgery import KINDS, NOT_FOR_TELEGRAM, forged

    real = list(deliveries(max(16, attempts // len(KINDS) + 1), local_secrets({}), project_root()))
    plan = [
        (kind, delivery, real[(n + 1) % len(real)])
        for n, (delivery, kind) in enumerate(
            (real[i % len(real)], KINDS[i % len(KINDS)]) for i in range(attempts * 2)
        )
        if not (delivery.platform == "telegram" and kind in NOT_FOR_TELEGRAM)
    ][:attempts]
    before = stack.client("dynamodb").scan(TableName=stack.cases_table, Select="COUNT")["Count"]
    statuses = Counter(send_event(api, forged(d, o, kind)).status for kind, d, o in plan)
    after = stack.client("dynamodb").scan(TableName=stack.cases_table, Select="COUNT")["Count"]
    return {
        "sent": {"forged": len(plan), "kinds": dict(Counter(kind for kind, _, _ in plan))},
        "found": {"statuses": dict(statuses), "items_stored": after - before},
        "constant_time_comparison": "hmac.compare_digest over bytes (platforms/base.py)",
        "ok": set(statuses) == {401} and after == before,
    }
