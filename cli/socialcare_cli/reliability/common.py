"""What the scenarios share: percentiles, what triage left behind, failing clients, log
records, sample deliveries sent signed over HTTP."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.samples import (
    SIGNATURE_HEADERS,
    HttpAnswer,
    http_request,
    load_event,
    raw_body,
    signature_for,
)

SENDERS = 8


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def triage_found(stack: LocalStack, expected: int, timeout: float) -> tuple[dict, bool]:
    """Once the stream has brought every case to triage: each case triaged once, one
    workflow per derived case, none for a case triage closed, nothing left failed."""
    deadline = time.monotonic() + timeout
    while True:
        stack.wait_for_streams(timeout=max(1.0, deadline - time.monotonic()))
        cases = stack.list_cases()
        waiting = [c for c in cases if c["status"] in ("new", "triaged")]
        if (len(cases) >= expected and not waiting) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    executions = Counter(e["name"] for e in stack.executions())
    closed_by_triage = {"autonomous", "spam"}
    derived = {f"case-{c['id']}" for c in cases if c["status"] not in closed_by_triage}
    triaged = Counter([e["kind"] for e in c["timeline"]].count("triaged") for c in cases)
    found = {
        "cases": len(cases),
        "cases_waiting_for_triage": len(waiting),
        "times_triaged": {str(k): v for k, v in sorted(triaged.items())},
        "derived_cases": len(derived),
        "closed_by_triage": len(cases) - len(derived),
        "executions": sum(executions.values()),
        "derived_without_execution": len(derived - set(executions)),
        "executions_of_cases_closed_by_triage": len(set(executions) - derived),
        "max_executions_per_case": max(executions.values(), default=0),
        "triage_batches_failed": stack.triage_failures(),
    }
    ok = (
        len(cases) == expected
        and not waiting
        and set(triaged) == {1}
        and set(executions) == derived
        and max(executions.values(), default=1) == 1
        and found["triage_batches_failed"] == 0
    )
    return found, ok


def failing_client(
    stack: LocalStack, service: str, operations: set[str] | None, rate: float, seed: int
):
    """A client whose calls (`operations`, or every call when None) fail at `rate` with a
    throttling error, injected by a botocore hook before anything is sent."""
    import boto3
    from botocore.awsrequest import AWSResponse, HTTPHeaders
    from botocore.config import Config

    client = boto3.client(  # type: ignore[call-overload]  # the service is named at run time
        service,
        endpoint_url=stack.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 (the emulator accepts anything)
        config=Config(retries={"total_max_attempts": 1}),
    )
    rng = random.Random(seed)
    injected: Counter[str] = Counter()

    def throttle(model, **_):
        if (operations is None or model.name in operations) and rng.random() < rate:
            injected[model.name] += 1
            error = {"Error": {"Code": "ThrottlingException", "Message": "injected"}}
            return AWSResponse(stack.endpoint_url, 400, HTTPHeaders(), None), error
        return None

    client.meta.events.register(f"before-call.{client.meta.service_model.service_name}", throttle)
    return client, injected


def log_records(output: str) -> list[dict[str, Any]]:
    """The JSON records in captured output (threads may write two on one line)."""
    decoder, records, position = json.JSONDecoder(), [], 0
    while (start := output.find("{", position)) != -1:
        try:
            record, position = decoder.raw_decode(output, start)
        except ValueError:
            position = start + 1
            continue
        records.append(record)
    return records


def strings(value: Any) -> list[str]:
    """Every string inside a log record (numbers are timestamps and counts)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def sample_payload(name: str) -> dict[str, Any]:
    """The body of events/<name>.json, as the platform sent it."""
    return json.loads(raw_body(load_event(project_root() / "events" / f"{name}.json")))


def post_delivery(api: str, platform: str, payload: dict[str, Any]) -> HttpAnswer:
    """A signed delivery; json.dumps escapes a lone surrogate as \\ud800, as a sender would."""
    raw = json.dumps(payload).encode()
    headers = {
        "content-type": "application/json",
        SIGNATURE_HEADERS[platform]: signature_for(platform, raw, local_secrets({})),
    }
    return http_request("POST", f"{api}/webhooks/{platform}", headers, raw)


def send_owed_emails(stack: LocalStack) -> None:
    """The OwedEmails schedule's run: complaints on one topic make a crisis, and the
    team's copies of its cases wait for the team's digest, which this sends."""
    events = stack.template.functions()["WorkflowFunction"]["Properties"]["Events"]
    stack.function("WorkflowFunction").invoke(
        json.loads(events["OwedEmails"]["Properties"]["Input"])
    )


def in_crisis(case: dict[str, Any]) -> bool:
    """Counted in a crisis when triaged: its team copy waits for the team's digest."""
    return bool((case.get("triage") or {}).get("crisis"))


def wait_until(found: Callable[[], Any], timeout: float = 60.0) -> Any:
    """What `found` answers once it is something (not None or False)."""
    deadline = time.monotonic() + timeout
    while (value := found()) is None or value is False:
        if time.monotonic() > deadline:
            raise RuntimeError("the local stack did not get there in time")
        time.sleep(0.1)
    return value


def privacy_command(api: str, *arguments: str) -> tuple[int, str]:
    """`socialcare privacy ...` against the local stack; what it printed stays out of the
    handlers' log (the personal-data scenario scans that log)."""
    import contextlib
    import io

    from socialcare_cli.command_line import guarded, parse
    from socialcare_cli.privacy_cli import main

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = guarded(parse(["privacy", *arguments, "--local", api]), main)
    return code, printed.getvalue()
