"""WhatsApp statuses as a stranger would send them: failed statuses for ids the brand never
sent (guessed, or a customer's own message id), with forged signatures among them. None
may make a case, touch one or reach the social team; a signed status for an unknown id is
acknowledged (200, `statuses: 0`) so Meta stops retrying."""

from __future__ import annotations

import json
from typing import Any

from socialcare_cli.local.stack import LocalStack
from socialcare_cli.reliability.common import post_delivery, sample_payload
from socialcare_cli.samples import http_request


def whatsapp_statuses(stack: LocalStack, api: str, attempts: int) -> dict[str, Any]:
    # A customer's message first: its wamid is what a stranger would try as a status id.
    customer = sample_payload("meta_whatsapp_text")
    post_delivery(api, "meta", customer)
    customer_wamid = customer["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    # Its case triaged and its department mailed before counting: the workflow's emails
    # (Step Functions, after the stream) each add the second's EMAIL_RATE counter item.
    stack.wait_for_streams()
    stack.wait_until_triaged()
    before = _items(stack)
    failure = sample_payload("meta_whatsapp_failed_status")
    status = failure["entry"][0]["changes"][0]["value"]["statuses"][0]
    found: dict[str, int] = {}
    for n in range(attempts):
        status["id"] = customer_wamid if n % 3 == 0 else f"wamid.GUESSED{n:06d}"
        if n % 4 == 3:  # signed with a key the stranger made up
            headers = {
                "content-type": "application/json",
                "x-hub-signature-256": "sha256=" + "0" * 64,
            }
            answer = http_request(
                "POST", f"{api}/webhooks/meta", headers, json.dumps(failure).encode()
            )
        else:
            answer = post_delivery(api, "meta", failure)
        key = str(answer.status)
        if answer.status == 200:
            key += f" statuses={answer.json().get('statuses')}"
        found[key] = found.get(key, 0) + 1
    stack.wait_for_streams()
    stored = _items(stack) - before
    timeline = [e["kind"] for c in stack.list_cases() for e in stack.case(c["id"])["timeline"]]
    return {
        "sent": {
            "statuses": attempts,
            "kinds": "failed for a customer's own wamid, for guessed wamids, forged signatures",
        },
        "found": {
            **found,
            "items_stored": stored,
            "outbound_failed": timeline.count("outbound_failed"),
        },
        "ok": stored == 0
        and "outbound_failed" not in timeline
        and set(found) <= {"200 statuses=0", "401"}
        and found.get("401", 0) == attempts // 4,
    }


def _items(stack: LocalStack) -> int:
    return stack.client("dynamodb").scan(TableName=stack.cases_table, Select="COUNT")["Count"]
