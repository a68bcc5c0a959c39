"""Issue #28's intake probes, over HTTP to the local stack, as an attacker (or a platform's
odd day) would send them: the survey probes (survey_probes.py, survey_sending.py); a
signed delivery holding a lone surrogate on each platform, alone and batched with a good
message; a case erased before triage reads it."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from socialcare_cli.local.stack import LocalStack
from socialcare_cli.reliability.common import post_delivery, sample_payload
from socialcare_cli.reliability.survey_probes import surveys, taps_from_elsewhere
from socialcare_cli.reliability.survey_sending import owed_link_surveys, survey_burst
from socialcare_cli.synthetic import dated


def intake(stack: LocalStack, api: str, taps: int = 30, posts: int = 15) -> dict[str, Any]:
    stack.set_outbound_mode("live")
    parts = {
        "surveys": surveys(stack, api, taps, posts),
        "survey_taps_elsewhere": taps_from_elsewhere(stack, api),
        "lone_surrogates": _lone_surrogates(stack, api),
        "erased_before_triage": _erased_before_triage(stack, api),
        # after the counts of failed triage batches above: it makes some, then replays them
        "owed_link_surveys": owed_link_surveys(stack, api),
        "survey_burst": survey_burst(api),
    }
    return {
        "sent": {name: part["sent"] for name, part in parts.items()},
        "found": {name: part["found"] for name, part in parts.items()},
        "ok": all(part["ok"] for part in parts.values()),
    }


# --- text DynamoDB cannot store ----------------------------------------------------------

_TEXT_PATHS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "telegram_message": ("telegram", ("message", "text")),
    "meta_messenger_message": ("meta", ("entry", 0, "messaging", 0, "message", "text")),
    "meta_whatsapp_text": (
        "meta",
        ("entry", 0, "changes", 0, "value", "messages", 0, "text", "body"),
    ),
    "x_dm": ("x", ("direct_message_events", 0, "message_create", "message_data", "text")),
}


def _lone_surrogates(stack: LocalStack, api: str) -> dict[str, Any]:
    """Each platform's delivery with "\\ud800" in its text, alone; Meta's and X's batched
    with a good message too (a Telegram update holds one message)."""
    errors = len(stack.invocation_errors)
    before = {c["id"] for c in stack.list_cases()}
    statuses: Counter[str] = Counter()
    expected = deliveries = 0
    for name, (platform, path) in _TEXT_PATHS.items():
        payload = _put(_fresh(name), path, "Hola \ud800 mundo")
        statuses[f"{name} alone {post_delivery(api, platform, payload).status}"] += 1
        expected, deliveries = expected + 1, deliveries + 1
        if platform != "telegram":
            batch = _batched(name, path)
            statuses[f"{name} batched {post_delivery(api, platform, batch).status}"] += 1
            expected, deliveries = expected + 2, deliveries + 1
    stack.wait_for_streams(timeout=60)
    new = [c for c in stack.list_cases() if c["id"] not in before]
    texts = [m["text"] for c in new for m in (stack.get_case(c["id"]) or {}).get("messages", [])]
    found = {
        "statuses": dict(statuses),
        "cases": len(new),
        "texts_with_u_fffd": sum("\ufffd" in t for t in texts),
        "parked": stack.parked_deliveries(),
        "triage_batches_failed": stack.triage_failures(),
        "handler_errors": len(stack.invocation_errors) - errors,
        "left_untriaged": sum(c["status"] == "new" for c in new),
    }
    ok = (
        all(key.endswith(" 200") for key in statuses)
        and found["cases"] == expected
        and found["texts_with_u_fffd"] == deliveries
        and found["parked"] == found["triage_batches_failed"] == found["handler_errors"] == 0
        and found["left_untriaged"] == 0
    )
    return {"sent": {"deliveries": deliveries, "messages": expected}, "found": found, "ok": ok}


_SERIAL = itertools.count(1)


def _fresh(name: str) -> dict[str, Any]:
    """The sample written just now by a new author (a new case, never a duplicate)."""
    n = next(_SERIAL)
    payload = dated(sample_payload(name), datetime.now(UTC))
    if name == "telegram_message":
        message = payload["message"]
        message["message_id"] = 5000 + n
        message["from"]["id"] = message["chat"]["id"] = 810000000 + n
    elif name == "meta_messenger_message":
        event = payload["entry"][0]["messaging"][0]
        event["message"]["mid"] = f"m_intake{n:06d}"
        event["sender"]["id"] = str(7345610900000000 + n)
    elif name == "meta_whatsapp_text":
        value = payload["entry"][0]["changes"][0]["value"]
        phone = str(34600900000 + n)
        value["messages"][0]["id"] = f"wamid.intake{n:06d}="
        value["messages"][0]["from"] = value["contacts"][0]["wa_id"] = phone
    else:  # x_dm
        event = payload["direct_message_events"][0]
        sender = str(2200000000000900000 + n)
        payload["users"][sender] = payload["users"].pop(event["message_create"]["sender_id"])
        event["message_create"]["sender_id"] = sender
        event["id"] = str(1861000000000900000 + n)
    return payload


def _batched(name: str, path: tuple[Any, ...]) -> dict[str, Any]:
    """Two messages of two authors in one delivery, the first holding a lone surrogate."""
    bad, good = _put(_fresh(name), path, "mal \ud800"), _fresh(name)
    if name == "x_dm":
        bad["direct_message_events"] += good["direct_message_events"]
        bad["users"].update(good["users"])
    elif name == "meta_messenger_message":
        bad["entry"][0]["messaging"] += good["entry"][0]["messaging"]
    else:  # WhatsApp
        value, other = (p["entry"][0]["changes"][0]["value"] for p in (bad, good))
        value["messages"] += other["messages"]
        value["contacts"] += other["contacts"]
    return bad


def _put(payload: Any, path: tuple[Any, ...], value: str) -> Any:
    node = payload
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return payload


# --- a case erased before triage ---------------------------------------------------------


def _erased_before_triage(stack: LocalStack, api: str) -> dict[str, Any]:
    errors, failed = len(stack.invocation_errors), stack.triage_failures()
    before = {c["id"] for c in stack.list_cases()}
    with stack.streams_paused():
        assert post_delivery(api, "telegram", _fresh("telegram_message")).status == 200
        [case_id] = [c["id"] for c in stack.list_cases() if c["id"] not in before]
        _erase(stack, case_id)
    stack.wait_for_streams(timeout=60)
    found = {
        "triage_batches_failed": stack.triage_failures() - failed,
        "handler_errors": len(stack.invocation_errors) - errors,
        "executions": sum(e["name"] == f"case-{case_id}" for e in stack.executions()),
        "items_left": len(_items_of(stack, case_id)),
    }
    return {"sent": {"cases": 1}, "found": found, "ok": not any(found.values())}


def _items_of(stack: LocalStack, case_id: str) -> list[dict[str, Any]]:
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    return [
        i
        for i in items
        if f"CASE#{case_id}" in (i["PK"]["S"], i.get("GSI2PK", {}).get("S"))
        or i.get("case_id", {}).get("S") == case_id
    ]


def _erase(stack: LocalStack, case_id: str) -> None:
    """What an erasure leaves of the case in the table: none of its items."""
    dynamodb = stack.client("dynamodb")
    for item in _items_of(stack, case_id):
        dynamodb.delete_item(TableName=stack.cases_table, Key={"PK": item["PK"], "SK": item["SK"]})
