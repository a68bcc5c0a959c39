"""Cases the survey probes need, made as customers and a department would over HTTP: a
complaint written just now, derived, resolved through its department's link (the
closing asks the survey)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack
from socialcare_cli.page_text import csrf_token
from socialcare_cli.reliability.common import post_delivery, sample_payload, wait_until
from socialcare_cli.samples import http_request
from socialcare_cli.synthetic import dated

COMPLAINT = "Llevo tres semanas esperando al perito por el siniestro y nadie me llama"
X_USER = "777000111"  # an X customer, and a Telegram user with the same number
FORM = {"content-type": "application/x-www-form-urlencoded"}
SERIAL = itertools.count(1)  # ids no sample uses


def a_comment_complaint(payload: dict[str, Any]) -> None:
    """A comment a department must answer (a question the social team answers is closed by
    triage, and asks no survey)."""
    value = payload["entry"][0]["changes"][0]["value"]
    value["text"] = COMPLAINT


def as_x_user(payload: dict[str, Any]) -> None:
    """X user 777000111 complains in a DM (a sales lead asks no survey)."""
    event = payload["direct_message_events"][0]
    event["message_create"]["message_data"]["text"] = COMPLAINT
    event["id"] = str(1861000000000800000 + next(SERIAL))
    payload["users"][X_USER] = payload["users"].pop(event["message_create"]["sender_id"])
    event["message_create"]["sender_id"] = X_USER


def new_complainer(payload: dict[str, Any]) -> None:
    """A customer not seen before complains (Telegram, Messenger or WhatsApp)."""
    n = next(SERIAL)
    if "message" in payload:  # Telegram
        message = payload["message"]
        message["message_id"] = 6000 + n
        message["from"]["id"] = message["chat"]["id"] = 820000000 + n
        message["text"] = COMPLAINT
    elif "messaging" in payload["entry"][0]:
        event = payload["entry"][0]["messaging"][0]
        event["sender"]["id"] = str(7345610800000000 + n)
        event["message"] = {"mid": f"m_survey{n:06d}", "text": COMPLAINT}
    else:  # WhatsApp
        value = payload["entry"][0]["changes"][0]["value"]
        message = value["messages"][0]
        message["id"] = f"wamid.survey{n:06d}="
        message["from"] = value["contacts"][0]["wa_id"] = str(34600800000 + n)
        message["text"] = {"body": COMPLAINT}


def derived_case(
    stack: LocalStack,
    api: str,
    name: str,
    platform: str,
    change: Callable[[dict[str, Any]], None] | None = None,
) -> str:
    """A case from the sample, written just now, once its department has its email."""
    before = {c["id"] for c in stack.list_cases()}
    payload = dated(sample_payload(name), datetime.now(UTC))
    if change:
        change(payload)
    assert post_delivery(api, platform, payload).status == 200

    def new_derived() -> str | None:
        derived = (c["id"] for c in stack.list_cases() if c["status"] == "derived")
        return next((case_id for case_id in derived if case_id not in before), None)

    case_id = wait_until(new_derived)
    wait_until(lambda: department_email(stack, case_id))
    return case_id


def resolve(stack: LocalStack, case_id: str) -> None:
    """The department opens its link and resolves the case (the closing asks the survey)."""
    email = wait_until(lambda: department_email(stack, case_id))
    [url] = [u for u in email["links"] if u.endswith("?do=resolved")]
    page = http_request("GET", url, {}).body
    token = csrf_token(page)
    form = urlencode({"csrf_token": token, "action": "resolved"}).encode()
    assert http_request("POST", url.split("?")[0], FORM, form).status == 200
    wait_until(lambda: (stack.get_case(case_id) or {}).get("status") == "resolved")


def surveyed(stack: LocalStack, api: str, name: str, platform: str, change=None) -> str:
    """A case from the sample, derived, resolved through its department's link, and so
    surveyed in its channel (buttons, or the page's link)."""
    case_id = derived_case(stack, api, name, platform, change)
    resolve(stack, case_id)
    wait_until(lambda: (stack.get_case(case_id) or {}).get("survey_sent_at"))
    return case_id


def department_email(stack: LocalStack, case_id: str) -> dict[str, Any] | None:
    return next(
        (
            e
            for e in stack.outbox()
            if case_id in e["subject"] and any(u.endswith("?do=resolved") for u in e["links"])
        ),
        None,
    )
