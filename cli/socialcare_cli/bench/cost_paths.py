"""The paths a case takes, driven on the local stack as the platform, the social team
and the departments would: a delivery through the webhook, the stream's triage, then
what the department does (or does not do) through the links in its email."""

from __future__ import annotations

import html
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from socialcare_cli.page_text import csrf_token

if TYPE_CHECKING:
    from socialcare_cli.bench.aws_calls import AwsCalls

FAST = 1e6  # every business-hours deadline becomes the 1-second minimum


class Paths:
    """Drives one case down each path, as the platform and the department would."""

    def __init__(self, stack: Any, calls: AwsCalls) -> None:
        self.stack = stack
        self.calls = calls
        self.http_requests = 0

    def deliver(self, event: dict[str, Any]) -> str:
        with self.calls.observing():
            before = {c["id"] for c in self.stack.list_cases()}
        self.http_requests += 1
        response = self.stack.function("WebhookFunction").invoke(event)
        if response["statusCode"] != 200:
            raise RuntimeError(f"delivery refused: {response}")
        with self.calls.observing():
            [case_id] = {c["id"] for c in self.stack.list_cases()} - before
        return case_id

    def wait(self, case_id: str, ready: Callable[[dict[str, Any]], bool], timeout=60.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            with self.calls.observing():
                case = self.stack.get_case(case_id)
            if case and ready(case):
                return case
            if time.monotonic() > deadline:
                raise RuntimeError(f"case {case_id} never got there: {case and case['status']}")
            time.sleep(0.05)

    def email_link(self, case_id: str, address: str, choice: str, number: int = 1) -> str:
        deadline = time.monotonic() + 60
        while True:
            found = [
                m
                for m in self.stack.outbox()
                if address in m["to"] and case_id in m["subject"] and m["links"]
            ]
            if len(found) >= number:
                [url] = [u for u in found[number - 1]["links"] if u.endswith(f"?do={choice}")]
                return urlsplit(url).path.rsplit("/", 1)[1]
            if time.monotonic() > deadline:
                raise RuntimeError(f"no email {number} to {address} about {case_id}")
            time.sleep(0.05)

    def act(self, action_id: str, choice: str) -> None:
        """The department opens the link (GET) and confirms on the page (POST)."""

        from socialcare_cli.local.http import action_link_event

        actions = self.stack.function("ActionsFunction")

        def request(method: str, query: str, form: dict[str, str] | None) -> dict[str, Any]:
            self.http_requests += 1
            return actions.invoke(action_link_event(method, action_id, query, form))

        page = request("GET", f"do={choice}", None)["body"]
        token = csrf_token(page)
        answer = request("POST", "", {"csrf_token": token, "action": choice})
        if answer["statusCode"] != 200:
            raise RuntimeError(f"the department's answer was refused: {answer['statusCode']}")

    def publish(self, case_id: str) -> None:
        """The social team publishes the case's suggested reply through the link in its
        email (GET the page, POST it): the answer goes out on the platform."""
        import re

        from socialcare_cli.local.http import to_http_api_event

        deadline = time.monotonic() + 60
        while not (urls := self._publish_urls(case_id)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no publish link for {case_id}")
            time.sleep(0.05)
        link_id = urlsplit(urls[0]).path.rsplit("/", 1)[1]
        actions = self.stack.function("ActionsFunction")

        def request(method: str, form: dict[str, str] | None) -> dict[str, Any]:
            self.http_requests += 1
            body = urlencode(form).encode() if form else b""
            headers = {"content-type": "application/x-www-form-urlencoded"} if form else {}
            route = f"{method} /publish/{{id}}"
            event = to_http_api_event(
                method, f"/publish/{link_id}", "", headers, body, route, {"id": link_id}
            )
            return actions.invoke(event)

        page = request("GET", None)["body"]
        form = {"csrf_token": csrf_token(page)}
        for field in ("public_text", "private_text"):
            found = re.search(rf'name="{field}"[^>]*>([^<]*)</textarea>', page)
            if found and found.group(1).strip():
                form[field] = html.unescape(found.group(1))
        answer = request("POST", form)
        if answer["statusCode"] != 200:
            said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer["body"]))[-300:]
            raise RuntimeError(f"publishing was refused: {answer['statusCode']} {said}")

    def _publish_urls(self, case_id: str) -> list[str]:
        return [
            url
            for message in self.stack.outbox()
            for url in message["links"]
            if f"/publish/{case_id}." in url
        ]

    def finished(self, case_id: str) -> dict[str, Any] | None:
        """The case's execution once done; None when triage closed it without one."""
        deadline = time.monotonic() + 60
        with self.calls.observing():
            while True:
                found = [e for e in self.stack.executions() if e["name"] == f"case-{case_id}"]
                if not found:
                    return None
                [execution] = found
                if execution["status"] != "RUNNING":
                    return execution
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the workflow of {case_id} is still running")
                time.sleep(0.05)


# Autonomous cases are triaged in batches (one email to the social team per batch): at
# volume a batch holds 10, and the stream has 4 lanes. A burst of 40 measures that.
AUTONOMOUS_BURST = 40


def run_path(stack: Any, paths: Paths, name: str) -> tuple[str, int]:
    """One case down the named path (a burst of them for autonomous); an id, how many."""
    from socialcare_cli.local.stack import local_secrets, project_root
    from socialcare_cli.samples import load_event, raw_body
    from socialcare_cli.synthetic import TEXTS, dated, deliveries, resigned

    root = project_root()

    def fresh(name: str) -> dict[str, Any]:  # written now: the messaging windows are open
        event = load_event(root / "events" / name)
        return resigned(event, dated(json.loads(raw_body(event)), datetime.now(UTC)))

    support, support_lead = (
        "atencion.cliente@segurosmarea.example",
        "jefe.atencion@segurosmarea.example",
    )
    if name in ("autonomous", "autonomous_alone"):
        size = AUTONOMOUS_BURST if name == "autonomous" else 1
        praise = tuple(t for t in TEXTS if "!!!" not in t)  # not the spam
        burst = [
            d
            for d in deliveries(
                max(size * 2, 8), local_secrets({}), root, praise, datetime.now(UTC)
            )
            if d.messages == 1
        ][:size]
        with stack.streams_paused():  # recorded together, read together
            ids = [paths.deliver(d.event) for d in burst]
        for case_id in ids:
            paths.wait(case_id, lambda c: "closed_at" in c)
        for case_id in ids:  # the social team answers each on its platform
            paths.publish(case_id)
        return ids[0], len(ids)
    elif name == "derived_resolved":
        case_id = paths.deliver(fresh("telegram_message.json"))
        paths.publish(case_id)  # the social team asks the customer privately to identify
        paths.act(paths.email_link(case_id, support, "resolved"), "resolved")
        paths.wait(case_id, lambda c: "closed_at" in c)
    elif name == "escalated_l1":
        stack.set_time_scale(FAST)  # customer service's deadline passes in a second
        case_id = paths.deliver(fresh("telegram_message.json"))
        paths.publish(case_id)
        paths.wait(case_id, lambda c: c.get("escalation_level") == 1)
        stack.set_time_scale(1)  # the supervisor then has a real deadline, and acts
        paths.act(paths.email_link(case_id, support_lead, "resolved"), "resolved")
        paths.wait(case_id, lambda c: "closed_at" in c)
    elif name == "breached":
        stack.set_time_scale(FAST)  # nobody acts at any level
        case_id = paths.deliver(load_event(root / "events" / "x_dm.json"))
        paths.wait(case_id, lambda c: "closed_at" in c)
        stack.set_time_scale(1)
    else:
        raise ValueError(name)
    return case_id, 1
