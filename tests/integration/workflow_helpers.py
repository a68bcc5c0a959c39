"""Driving the local stack as a department would: deliver, read its emails, open and post
its action links, wait for the workflow."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from socialcare_cli.local.http import action_link_event
from socialcare_cli.local.stack import LocalStack
from tests.conftest import sample

SUPPORT = "atencion.cliente@segurosmarea.example"
SUPPORT_LEAD = "jefe.atencion@segurosmarea.example"
CLAIMS = "siniestros@segurosmarea.example"
SALES = "ventas@segurosmarea.example"
SALES_LEAD = "direccion.comercial@segurosmarea.example"
SOCIAL_TEAM = "redes@segurosmarea.example"
FAST = 1e6  # every business-hours wait becomes the 1-second minimum


def wait_for(
    stack: LocalStack, case_id: str, ready: Callable[[dict[str, Any]], bool], timeout=20.0
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        case = stack.get_case(case_id)
        if case and ready(case):
            return case
        if time.monotonic() > deadline:
            raise AssertionError(f"case never got there: {json.dumps(case, default=str)[:2000]}")
        time.sleep(0.05)


def deliver(stack: LocalStack, event: dict[str, Any]) -> str:
    """The id of the one case the delivery opened (each test starts with none)."""
    response = stack.function("WebhookFunction").invoke(event)
    assert response["statusCode"] == 200, response
    [case] = stack.list_cases()
    return case["id"]


def deliver_more(stack: LocalStack, event: dict[str, Any]) -> str:
    """The id of the case a delivery opened, among others already there."""
    before = {c["id"] for c in stack.list_cases()}
    response = stack.function("WebhookFunction").invoke(event)
    assert response["statusCode"] == 200, response
    [case_id] = {c["id"] for c in stack.list_cases()} - before
    return case_id


def derived_case(stack: LocalStack, name: str = "telegram_message") -> dict[str, Any]:
    """Deliver a sample and wait until its department has been emailed; the case as it
    is then (the social team's copy notes when the team was emailed)."""
    case_id = deliver(stack, sample(name))
    wait_for(stack, case_id, lambda c: c["status"] == "derived")
    email_to(stack, SOCIAL_TEAM, case_id)  # the copy goes last
    return stack.get_case(case_id)


def emails_to(stack: LocalStack, address: str, case_id: str) -> list[dict[str, Any]]:
    return [m for m in stack.outbox() if address in m["to"] and case_id in m["subject"]]


def email_to(
    stack: LocalStack, address: str, case_id: str, *, number: int = 1, timeout: float = 20.0
) -> dict[str, Any]:
    """The `number`th email to `address` about the case, once it has been sent."""
    deadline = time.monotonic() + timeout
    while len(found := emails_to(stack, address, case_id)) < number:
        assert time.monotonic() < deadline, f"no email {number} to {address}"
        time.sleep(0.05)
    return found[number - 1]


def link(email: dict[str, Any], choice: str) -> str:
    """The action id behind one of the email's links."""
    [url] = [u for u in email["links"] if u.endswith(f"?do={choice}")]
    return urlsplit(url).path.rsplit("/", 1)[1]


def request(stack: LocalStack, method: str, action_id: str, **kwargs: Any) -> tuple[int, str]:
    query = kwargs.pop("query", "")
    event = action_link_event(method, action_id, query, kwargs)
    response = stack.function("ActionsFunction").invoke(event)
    assert response["headers"]["Cache-Control"] == "no-store", response
    return response["statusCode"], response["body"]


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def act(stack: LocalStack, action_id: str, choice: str, **form: str) -> tuple[int, str]:
    """Open the link (GET), then confirm on the page (POST with its CSRF token)."""
    status, page = request(stack, "GET", action_id, query=f"do={choice}")
    assert status == 200, page
    return request(stack, "POST", action_id, csrf_token=csrf_of(page), action=choice, **form)


def execution_of(stack: LocalStack, case_id: str) -> dict[str, Any]:
    [execution] = [e for e in stack.executions() if e["name"] == f"case-{case_id}"]
    return execution


def finished(stack: LocalStack, case_id: str, timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (execution := execution_of(stack, case_id))["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the workflow is still running"
        time.sleep(0.05)
    return execution


def kinds(case: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in case["timeline"]]


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
