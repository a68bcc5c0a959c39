"""Outbound: cases answered through every kind of action (hide, public reply, private
reply, message, WhatsApp template) while a share of the platforms' calls fail (500, 429,
timeouts). Every action must end sent exactly once or `uncertain`, the emulated
platforms must hold no duplicate, nothing may go out of a messaging window, and a dry
run must send nothing."""

from __future__ import annotations

import html
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.page_text import csrf_token
from socialcare_cli.samples import http_request, send_event
from socialcare_cli.synthetic import COMPLAINTS, TEXTS, deliveries

PHONE = "Mi móvil es 612 345 678, llamadme por el siniestro del coche, nadie me atiende"
# Errors the platforms give for a message outside a window or a second private reply.
_WINDOW_ERRORS = ("131047", "2018278", "10903", "10900")
_FINAL = {"sent", "uncertain", "refused", "dry_run"}
_ATTEMPTS = 8
_CASE_ID = re.compile(
    r"\d{8}-[0-9a-f]{16}"
)  # a person retrying a page that said "try again in a few minutes"


def outbound(stack: LocalStack, api: str, cases: int, rate: float = 0.3) -> dict[str, Any]:
    praise = tuple(t for t in TEXTS if "!!!" not in t)
    texts = (PHONE, praise[0], COMPLAINTS[0], praise[1], COMPLAINTS[1])
    now = datetime.now(UTC)
    sample = list(deliveries(cases, local_secrets({}), project_root(), texts, now))
    # Customers who wrote 30 hours ago: WhatsApp gets the approved template, Messenger
    # nothing (no human_agent tag): never free text out of a window.
    late = deliveries(
        16, local_secrets({}), project_root(), COMPLAINTS, now - timedelta(hours=30), first=cases
    )
    sample += [d for d in late if "whatsapp" in d.name or "messenger" in d.name]
    stack.platforms.set_faults({"rate": rate, "kinds": ["500", "429", "timeout"], "seed": 17})
    for delivery in sample:
        send_event(api, delivery.event)
    _settle(stack, timeout=max(120, cases))
    pages: Counter[str] = Counter()
    links = _links_by_case(stack)
    for case in stack.list_cases():
        found = links.get(case["id"], {})
        if case["status"] == "autonomous" and case.get("publish_link"):
            pages[f"publish {_publish(stack, case['id'], found.get('publish'))}"] += 1
        elif case["status"] in ("derived", "escalated"):
            pages[f"reply {_reply(case['id'], found.get('action'))}"] += 1
    stack.platforms.set_faults({"rate": 0})
    _settle(stack, timeout=60)
    found = _check(stack)
    injected = Counter(c.get("fault") for c in stack.platforms.calls_made() if c.get("fault"))
    dry = _dry_run(stack, api)
    return {
        "sent": {"deliveries": len(sample), "fault_rate": rate, "page_attempts_max": _ATTEMPTS},
        "injected": dict(injected),
        "found": {**found, "pages": dict(pages), "dry_run": dry},
        "ok": found["ok"] and dry["platform_calls"] == 0 and dry["recorded"] > 0,
    }


def _settle(stack: LocalStack, timeout: float) -> None:
    """The stream's retries done, what they gave up on replayed, until nothing is owed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.wait_for_streams(timeout=max(1.0, deadline - time.monotonic()))
        if stack.triage_failures() == 0:
            return
        stack.replay_failed_deliveries()


def _links_by_case(stack: LocalStack) -> dict[str, dict[str, str]]:
    """Each case's publish link (the social team's email) and action link (the
    department's), read once from the outbox."""
    links: dict[str, dict[str, str]] = {}
    for email in stack.outbox():
        for url in email["links"]:
            if "/publish/" in url:
                case_id = url.rsplit("/", 1)[1].split(".")[0]
                links.setdefault(case_id, {})["publish"] = url
            elif "/actions/" in url and "Copia" not in email["subject"]:
                found = _CASE_ID.search(email["subject"])
                if found:
                    links.setdefault(found.group(0), {}).setdefault("action", url.split("?")[0])
    return links


def _publish(stack: LocalStack, case_id: str, url: str | None) -> str:
    if url is None:
        return "no link"
    for _ in range(_ATTEMPTS):
        page = http_request("GET", url, {})
        if page.status != 200:
            return str(page.status)
        form = {"csrf_token": _csrf(page.body)}
        for field in ("public_text", "private_text"):
            text = re.search(rf'name="{field}"[^>]*>([^<]*)</textarea>'.encode(), page.body)
            if text and text.group(1).strip():
                form[field] = html.unescape(text.group(1).decode())
        answer = _post(url, form)
        if answer != 409 or not _open(stack, case_id):
            return str(answer)
    return "gave up"


def _reply(case_id: str, url: str | None) -> str:
    if url is None:
        return "no link"
    text = f"Hola, somos el equipo de atención: ya tenemos tu caso {case_id[-6:]}."
    for _ in range(_ATTEMPTS):
        page = http_request("GET", url + "?do=contacted", {})
        if page.status != 200:
            return str(page.status)
        answer = _post(url, {"csrf_token": _csrf(page.body), "action": "contacted", "reply": text})
        if answer != 503:
            return str(answer)
    return "gave up"


def _open(stack: LocalStack, case_id: str) -> bool:
    """An action of the case is left to a later attempt (retry, unknown, being sent)."""
    return any(
        i["case_id"] == case_id and i["status"] in ("retry", "unknown", "sending")
        for i in _outbound_items(stack)
    )


def _check(stack: LocalStack) -> dict[str, Any]:
    items = _outbound_items(stack)
    statuses = Counter(i["status"] for i in items)
    accepted = stack.platforms.state.sent
    by_id = Counter(s["id"] for s in accepted)
    by_content = Counter((s["platform"], s["kind"], s["target"], s["text"]) for s in accepted)
    duplicates = sum(n - 1 for n in by_content.values() if n > 1)
    sent_not_once = [
        i["id"] for i in items if i["status"] == "sent" and by_id[i.get("message_id")] != 1
    ]
    window_errors = [
        c
        for c in stack.platforms.calls_made()
        if any(code in str(c.get("error", "")) for code in _WINDOW_ERRORS)
    ]
    unfinished = [i["id"] for i in items if i["status"] not in _FINAL]
    found = {
        "outbound_actions": len(items),
        "statuses": dict(statuses),
        "by_kind": dict(Counter(i["kind"] for i in items)),
        "by_mode": dict(Counter((i.get("request") or {}).get("mode") for i in items)),
        "blocked_by_a_rule": sum(
            [e["kind"] for e in c["timeline"]].count("outbound_blocked") for c in stack.list_cases()
        ),
        "platform_accepted": len(accepted),
        "platform_calls": len(stack.platforms.calls_made()),
        "duplicates_on_platforms": duplicates,
        "sent_not_exactly_once": len(sent_not_once),
        "refused_for_a_window": len(window_errors),
        "unfinished": len(unfinished),
    }
    found["ok"] = (
        duplicates == 0
        and not sent_not_once
        and not window_errors
        and not unfinished
        and statuses.get("sent", 0) > 0
    )
    return found


def _dry_run(stack: LocalStack, api: str) -> dict[str, Any]:
    """The same kinds of actions on a stack in dry_run: recorded, nothing sent."""
    stack.reset_data()
    stack.set_outbound_mode("dry_run")
    try:
        now = datetime.now(UTC)
        texts = (PHONE, COMPLAINTS[0])
        for delivery in deliveries(8, local_secrets({}), project_root(), texts, now):
            send_event(api, delivery.event)
        _settle(stack, timeout=60)
        links = _links_by_case(stack)
        for case in stack.list_cases():
            if case["status"] == "derived":
                _reply(case["id"], links.get(case["id"], {}).get("action"))
        items = _outbound_items(stack)
    finally:
        stack.set_outbound_mode("live")
    return {
        "recorded": sum(1 for i in items if i["status"] == "dry_run"),
        "platform_calls": len(stack.platforms.calls_made()),
    }


def _outbound_items(stack: LocalStack) -> list[dict[str, Any]]:
    from socialcare.bootstrap import operations

    return operations.table_scan(stack.inspection_root).outbound_actions()


def _csrf(page: bytes) -> str:
    return csrf_token(page)


def _post(url: str, form: dict[str, str]) -> int:
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return http_request("POST", url, headers, urlencode(form).encode()).status
