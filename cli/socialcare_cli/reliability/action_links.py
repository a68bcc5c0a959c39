"""Action links: forged ids, double clicks, expired and moved-on links never move a case."""

from __future__ import annotations

import random
import time
from collections import Counter
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack, project_root
from socialcare_cli.page_text import csrf_token
from socialcare_cli.samples import http_request, send_event


def _links_of(stack: LocalStack, case_id: str) -> list[str]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for email in stack.outbox():
            if case_id in email["subject"] and email["links"] and "Copia" not in email["subject"]:
                return email["links"]
        time.sleep(0.1)
    raise RuntimeError(f"no derivation email for {case_id}")


def _derive(stack: LocalStack, api: str, sample: str) -> tuple[dict, list[str]]:
    from socialcare_cli.samples import load_event

    before = {c["id"] for c in stack.list_cases()}
    send_event(api, load_event(project_root() / "events" / f"{sample}.json"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        new = [c for c in stack.list_cases() if c["id"] not in before and c["status"] == "derived"]
        if new:
            return new[0], _links_of(stack, new[0]["id"])
        time.sleep(0.1)
    raise RuntimeError(f"{sample} was not derived")


def _csrf(page: bytes) -> str:
    return csrf_token(page)


def _post(url: str, **form: str) -> int:
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return http_request("POST", url.split("?")[0], headers, urlencode(form).encode()).status


def _moved(before: dict, after: dict) -> bool:
    """True when the case changed beyond noting a late answer on its timeline (what a POST
    to a spent link does, so the answer is not lost)."""
    added = after["timeline"][len(before["timeline"]) :]
    return (
        {k: v for k, v in after.items() if k != "timeline"}
        != {k: v for k, v in before.items() if k != "timeline"}
        or after["timeline"][: len(before["timeline"])] != before["timeline"]
        or any(event.get("kind") != "late_answer" for event in added)
    )


def _expire(stack: LocalStack, url: str) -> None:
    """Move a link's expiry into the past, as if its 90 days had gone by."""
    action_id = url.split("?")[0].rsplit("/", 1)[1]
    stack.client("dynamodb").update_item(
        TableName=stack.cases_table,
        Key={"PK": {"S": f"ACTION#{action_id}"}, "SK": {"S": "ACTION"}},
        UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 60)}},
    )


def action_links(stack: LocalStack, api: str, forged_ids: int) -> dict:
    """Forged, expired, replayed and cross-case ids; GETs change nothing; POST without CSRF
    refused; a click after the escalation gets a clear page and the case stays consistent."""
    found: Counter[str] = Counter()
    first, first_links = _derive(stack, api, "telegram_message")
    second, second_links = _derive(stack, api, "x_dm")
    before = (stack.case(first["id"]), stack.case(second["id"]))
    for url in (first_links + second_links) * 3:
        found[f"GET {http_request('GET', url, {}).status}"] += 1
    found["GET changed a case"] = int((stack.case(first["id"]), stack.case(second["id"])) != before)
    rng = random.Random(5)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
    for _ in range(forged_ids):
        forged = "".join(rng.choice(alphabet) for _ in range(32))
        found[f"forged id GET {http_request('GET', f'{api}/actions/{forged}', {}).status}"] += 1
    page = http_request("GET", first_links[1], {}).body
    found[f"POST without CSRF {_post(first_links[1], action='resolved')}"] += 1
    token = _csrf(page)
    status = _post(second_links[1], csrf_token=token, action="resolved")
    found[f"POST with another case's CSRF {status}"] += 1
    found[f"POST {_post(first_links[1], csrf_token=_csrf(page), action='resolved')}"] += 1
    found[f"POST replayed {_post(first_links[1], csrf_token=_csrf(page), action='resolved')}"] += 1
    # The second case's link expires (its 90 days pass) before DynamoDB's TTL removes it
    second_page = http_request("GET", second_links[1], {}).body
    _expire(stack, second_links[1])
    found[f"expired GET {http_request('GET', second_links[1], {}).status}"] += 1
    status = _post(second_links[1], csrf_token=_csrf(second_page), action="resolved")
    found[f"expired POST {status}"] += 1
    found["expired link moved its case"] = int(_moved(before[1], stack.case(second["id"])))
    # A department that clicks after its deadline passed and the case escalated
    stack.set_time_scale(1e6)
    late, late_links = _derive(stack, api, "meta_authority_complaint")
    stack.set_time_scale(1.0)
    late_page = http_request("GET", late_links[1], {}).body
    deadline = time.monotonic() + 30
    while stack.case(late["id"]).get("escalation_level") != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    late_token = _csrf(late_page)
    status = _post(late_links[1], csrf_token=late_token, action="resolved")
    found[f"POST after escalation {status}"] += 1
    after = stack.case(late["id"])
    consistent = after["status"] == "escalated" and "closed_at" not in after
    expected = {
        "GET 200": 3 * (len(first_links) + len(second_links)),
        "GET changed a case": 0,
        "forged id GET 404": forged_ids,
        "POST without CSRF 403": 1,
        "POST with another case's CSRF 403": 1,
        "POST 200": 1,
        "POST replayed 410": 1,
        "expired GET 410": 1,
        "expired POST 410": 1,
        "expired link moved its case": 0,
        "POST after escalation 410": 1,
    }
    return {
        "sent": {"cases": 3, "forged_ids": forged_ids},
        "found": {**dict(found), "escalated_case_consistent": consistent},
        "ok": dict(found) == expected and consistent,
    }
