"""Workflow cost: what one case costs on each path, counted on the real stack.

Each path runs on the local stack (the real ASL in moto's interpreter, the real handlers):
a delivery through the webhook, the stream's triage, then what the department does (or
does not do) through the links in its email. What that cost, item by item, is
cost_meter.py's; the prices and the fixed monthly costs are aws_costs.py's.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from socialcare_cli.bench.aws_costs import (
    COLD_SHARE,
    NON_CASE_DELIVERIES_PER_CASE,
    PLATFORM_CALL_MS,
    PLATFORM_LOG_BYTES,
    PRICES,
    break_even_cases,
    fixed_monthly,
)
from socialcare_cli.bench.cost_meter import Meter, median_sample
from socialcare_cli.page_text import csrf_token

MIX = {"autonomous": 0.6, "derived_resolved": 0.3, "escalated_l1": 0.1}
TARGETS = {"derived_resolved_transitions": 8, "autonomous_transitions": 0, "mix_usd": 0.25}
FAST = 1e6  # every business-hours deadline becomes the 1-second minimum


class AwsCalls:
    """Every AWS call the handlers make (a botocore hook on the default session, which
    the handlers' clients copy when created), except the benchmark's own observation."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
        self._observing = threading.local()
        self._lock = threading.Lock()

    def install(self) -> None:
        import boto3

        boto3.setup_default_session()
        session = boto3.DEFAULT_SESSION
        if session is None:  # setup_default_session has just made it
            raise RuntimeError("boto3 made no default session")
        session.events.register("provide-client-params", self._params)
        session.events.register("after-call", self._after_call)

    def _after_call(self, http_response: Any, parsed: Any, model: Any, context: Any, **_: Any):
        if getattr(self._observing, "on", False):
            return
        params = context.get("bench_params", {})
        with self._lock:
            self.calls.append((model.service_model.service_name, model.name, params, parsed))

    @staticmethod
    def _params(params: dict[str, Any], context: Any, **_: Any) -> None:
        context["bench_params"] = params

    @contextmanager
    def observing(self) -> Iterator[None]:
        self._observing.on = True
        try:
            yield
        finally:
            self._observing.on = False

    def take(self) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
        with self._lock:
            taken, self.calls = self.calls, []
        return taken


class _Paths:
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


def _run_path(stack: Any, paths: _Paths, name: str) -> tuple[str, int]:
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
    if name == "autonomous":
        praise = tuple(t for t in TEXTS if "!!!" not in t)  # not the spam
        burst = [
            d
            for d in deliveries(
                AUTONOMOUS_BURST * 2, local_secrets({}), root, praise, datetime.now(UTC)
            )
            if d.messages == 1
        ][:AUTONOMOUS_BURST]
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


def measure(
    stack: Any, calls: AwsCalls, log: Any, runs: int = 3, init_ms: dict[str, float] | None = None
) -> dict[str, Any]:
    """Each path `runs` times (medians per case); the stack must be started after
    `calls.install()` so that the handlers' clients carry the hook. `log`: the file the
    handlers' stdout goes to (its growth is what CloudWatch Logs would ingest)."""
    from socialcare_cli.local.stack import project_root

    memory = {
        logical_id: stack.template.function_memory(logical_id) for logical_id in stack.functions
    }
    meter = Meter(stack, calls, log, memory, init_ms or {})
    paths = _Paths(stack, calls)
    non_case = meter.non_case_delivery(paths)
    results: dict[str, Any] = {}
    for name in ("autonomous", "derived_resolved", "escalated_l1", "breached"):
        samples = []
        for _ in range(runs):
            with calls.observing():
                stack.reset_data()
            meter.start()
            paths.http_requests = 0
            case_id, cases = _run_path(stack, paths, name)
            execution = paths.finished(case_id)
            samples.append(meter.count(paths, execution, non_case, cases))
        results[name] = median_sample(samples)
    mix = sum(share * results[path]["usd_per_1000_cases"] for path, share in MIX.items())
    fees = sum(
        share * results[path]["platform_fees_usd_per_1000_cases"] for path, share in MIX.items()
    )
    fixed = fixed_monthly(project_root(), stack.template)
    return {
        "paths": results,
        "mix": {
            **MIX,
            "usd_per_1000_cases": round(mix, 4),
            "platform_fees_usd_per_1000_cases": round(fees, 4),
        },
        "non_case_delivery": non_case,
        "fixed": {
            **fixed,
            "cases_per_month_for_fixed_under_10pct": break_even_cases(fixed["usd_per_month"], mix),
        },
        "assumptions": {
            "cold_share": COLD_SHARE,
            "init_ms": meter.init_ms,
            "non_case_deliveries_per_case": NON_CASE_DELIVERIES_PER_CASE,
            "platform_log_bytes_per_invocation": PLATFORM_LOG_BYTES,
            "xray": "every invocation a trace (no sampling): an upper bound",
            "stream_reads": "free for Lambda triggers",
            "answers": "the social team publishes every case's suggested reply; a platform "
            f"call bills {PLATFORM_CALL_MS} ms of Lambda waiting; X DMs at a post's price",
        },
        "prices": PRICES,
        "targets": TARGETS,
        "ok": results["derived_resolved"]["transitions"] <= TARGETS["derived_resolved_transitions"]
        and results["autonomous"]["transitions"] <= TARGETS["autonomous_transitions"]
        and mix <= TARGETS["mix_usd"],
    }
