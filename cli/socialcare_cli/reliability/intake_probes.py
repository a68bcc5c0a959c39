"""Issue #28's intake probes, over HTTP to the local stack, as an attacker (or a platform's
odd day) would send them: survey taps from another platform's user with the same id and
quick replies for a survey asked with a link; many taps and page posts on one case; a
signed delivery holding a lone surrogate on each platform, alone and batched with a good
message; a case erased before triage reads it."""

from __future__ import annotations

import itertools
import json
import re
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.samples import (
    SIGNATURE_HEADERS,
    http_request,
    load_event,
    raw_body,
    signature_for,
)
from socialcare_cli.synthetic import dated

_COMPLAINT = "Llevo tres semanas esperando al perito por el siniestro y nadie me llama"
X_USER = "777000111"  # an X customer, and a Telegram user with the same number
IGSID = "17841455500000001"  # the Instagram commenter of the sample


def intake(stack: LocalStack, api: str, taps: int = 30, posts: int = 15) -> dict[str, Any]:
    stack.set_outbound_mode("live")
    parts = {
        "surveys": _surveys(stack, api, taps, posts),
        "lone_surrogates": _lone_surrogates(stack, api),
        "erased_before_triage": _erased_before_triage(stack, api),
    }
    return {
        "sent": {name: part["sent"] for name, part in parts.items()},
        "found": {name: part["found"] for name, part in parts.items()},
        "ok": all(part["ok"] for part in parts.values()),
    }


# --- surveys -----------------------------------------------------------------------------


def _surveys(stack: LocalStack, api: str, taps: int, posts: int) -> dict[str, Any]:
    telegram = _surveyed(stack, api, "telegram_message", "telegram")
    x_case = _surveyed(stack, api, "x_dm", "x", _as_x_user)
    instagram = _surveyed(stack, api, "meta_instagram_comment", "meta", _a_complaint)
    statuses: Counter[str] = Counter()
    # Telegram: one tap that counts, then `taps` more, each a new callback
    for n in range(taps + 1):
        answer = _post(api, "telegram", _callback(telegram, 4 if n == 0 else 1 + n % 5, n))
        statuses[f"telegram tap {answer.status}"] += 1
    # Telegram user 777000111 names X user 777000111's case; the Instagram commenter's
    # id sends a quick reply for a survey that offered none (it went as a link)
    forged = _post(api, "telegram", _callback(x_case, 1, 900, user=int(X_USER)))
    statuses[f"cross-platform tap {forged.status}"] += 1
    quick = _post(api, "meta", _quick_reply(instagram, 1))
    statuses[f"quick reply on a link survey {quick.status}"] += 1
    forged_counted = {
        "x_case_scored_by_telegram_user": "survey_score" in stack.get_case(x_case),
        "instagram_scored_by_quick_reply": "survey_score" in stack.get_case(instagram),
    }
    # The X case's page: one answer, then `posts` more, each another score and comment
    url = _survey_url(stack, "x")
    token = re.search(rb'name="csrf_token" value="([^"]+)"', http_request("GET", url, {}).body)
    for n in range(posts + 1):
        score = 3 if n == 0 else 1 + n % 5
        form = {"csrf_token": token.group(1).decode() if token else "", "score": str(score)}
        form["comment"] = f"comentario {n}"
        page = http_request("POST", url, _FORM, urlencode(form).encode())
        statuses[f"page post {page.status}"] += 1
    cases = {c["id"]: c for c in (stack.get_case(i) for i in (telegram, x_case, instagram))}
    later = {i: _kinds(c).count("survey_answer_later") for i, c in cases.items()}
    answered = {i: _kinds(c).count("survey_answered") for i, c in cases.items()}
    markers = sum(
        item["PK"]["S"].startswith("DEDUP#survey")
        for item in stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    )
    low_scores = [i for i, c in cases.items() if "follow_up" in c]
    found = {
        "statuses": dict(statuses),
        "telegram": {"score": cases[telegram].get("survey_score"), "later_noted": later[telegram]},
        "x_page": {"score": cases[x_case].get("survey_score"), "later_noted": later[x_case]},
        **forged_counted,
        "follow_ups_opened": len(low_scores),
        "survey_markers_kept": markers,
    }
    ok = (
        set(statuses) <= {f"{kind} 200" for kind in _KINDS}
        and cases[telegram].get("survey_score") == 4
        and not any(forged_counted.values())
        and cases[x_case].get("survey_score") == 3  # the page's first answer
        and "survey_score" not in cases[instagram]
        and answered == {telegram: 1, x_case: 1, instagram: 0}
        and later == {telegram: 1, x_case: 1, instagram: 0}
        and markers == 0
        and low_scores == []  # the 1s were the forged tap's and the dropped ones
    )
    sent = {"telegram_taps": taps + 1, "page_posts": posts + 1, "forged_taps": 2}
    return {"sent": sent, "found": found, "ok": ok}


_KINDS = ("telegram tap", "cross-platform tap", "quick reply on a link survey", "page post")
_FORM = {"content-type": "application/x-www-form-urlencoded"}


def _a_complaint(payload: dict[str, Any]) -> None:
    """A comment a department must answer (a question the social team answers is closed by
    triage, and asks no survey)."""
    value = payload["entry"][0]["changes"][0]["value"]
    value["text"] = _COMPLAINT


def _as_x_user(payload: dict[str, Any]) -> None:
    """X user 777000111 complains in a DM (a sales lead asks no survey)."""
    event = payload["direct_message_events"][0]
    event["message_create"]["message_data"]["text"] = _COMPLAINT
    payload["users"][X_USER] = payload["users"].pop(event["message_create"]["sender_id"])
    event["message_create"]["sender_id"] = X_USER


def _surveyed(stack: LocalStack, api: str, name: str, platform: str, change=None) -> str:
    """A case from the sample, derived, resolved through its department's link, and so
    surveyed in its channel (buttons, or the page's link)."""
    before = {c["id"] for c in stack.list_cases()}
    payload = dated(_payload(name), datetime.now(UTC))
    if change:
        change(payload)
    assert _post(api, platform, payload).status == 200
    case_id = _wait(lambda: next((c["id"] for c in _derived(stack) if c["id"] not in before), None))
    email = _wait(lambda: _department_email(stack, case_id))
    [url] = [u for u in email["links"] if u.endswith("?do=resolved")]
    page = http_request("GET", url, {}).body
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    form = urlencode({"csrf_token": token, "action": "resolved"}).encode()
    assert http_request("POST", url.split("?")[0], _FORM, form).status == 200
    _wait(lambda: (stack.get_case(case_id) or {}).get("survey_sent_at"))
    return case_id


def _derived(stack: LocalStack) -> list[dict[str, Any]]:
    return [c for c in stack.list_cases() if c["status"] == "derived"]


def _department_email(stack: LocalStack, case_id: str) -> dict[str, Any] | None:
    return next(
        (
            e
            for e in stack.outbox()
            if case_id in e["subject"] and any(u.endswith("?do=resolved") for u in e["links"])
        ),
        None,
    )


def _survey_url(stack: LocalStack, platform: str) -> str:
    [text] = [
        s["text"]
        for s in stack.platforms.state.sent
        if s["platform"] == platform and "/survey/" in str(s["text"])
    ]
    return re.search(r"https?://\S+/survey/\S+", text).group(0)


def _callback(case_id: str, score: int, n: int, user: int = 555000111) -> dict[str, Any]:
    return {
        "update_id": 918275000 + n,
        "callback_query": {
            "id": f"52817{n:05d}",
            "from": {"id": user, "is_bot": False, "first_name": "Ana", "language_code": "es"},
            "message": {"message_id": 10001, "chat": {"id": user, "type": "private"}},
            "chat_instance": "-734631",
            "data": f"csat:{case_id}:{score}",
        },
    }


def _quick_reply(case_id: str, score: int) -> dict[str, Any]:
    payload = _payload("meta_instagram_survey_answer")
    event = payload["entry"][0]["messaging"][0]
    event["sender"]["id"] = IGSID
    event["message"]["quick_reply"]["payload"] = f"csat:{case_id}:{score}"
    return payload


def _kinds(case: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in case["timeline"]]


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
        statuses[f"{name} alone {_post(api, platform, payload).status}"] += 1
        expected, deliveries = expected + 1, deliveries + 1
        if platform != "telegram":
            batch = _batched(name, path)
            statuses[f"{name} batched {_post(api, platform, batch).status}"] += 1
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
    payload = dated(_payload(name), datetime.now(UTC))
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
        assert _post(api, "telegram", _fresh("telegram_message")).status == 200
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


# --- plumbing ----------------------------------------------------------------------------


def _payload(name: str) -> dict[str, Any]:
    return json.loads(raw_body(load_event(project_root() / "events" / f"{name}.json")))


def _post(api: str, platform: str, payload: dict[str, Any]):
    """A signed delivery; json.dumps escapes a lone surrogate as \\ud800, as a sender would."""
    raw = json.dumps(payload).encode()
    headers = {
        "content-type": "application/json",
        SIGNATURE_HEADERS[platform]: signature_for(platform, raw, local_secrets({})),
    }
    return http_request("POST", f"{api}/webhooks/{platform}", headers, raw)


def _wait(found, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while (value := found()) is None or value is False:
        if time.monotonic() > deadline:
            raise RuntimeError("the local stack did not get there in time")
        time.sleep(0.1)
    return value
