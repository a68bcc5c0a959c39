"""`make reliability`: the scenarios of the reliability issue against the local stack, each
stating what it sent and what it found; results in reliability/results.json and a table.

--scale 1 is the full size (10,000 deliveries...); `make test` runs reduced versions of
each scenario as ordinary tests."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode

from socialcare_cli import probes
from socialcare_cli.local.http import LocalApiServer
from socialcare_cli.local.stack import LocalStack, free_port, local_secrets, project_root
from socialcare_cli.samples import http_request, send_event
from socialcare_cli.synthetic import deliveries

SENDERS = 8


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _wait_for_workflows(stack: LocalStack, expected: int, timeout: float) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        executions = stack.executions()
        done = [e for e in executions if e["status"] != "RUNNING"]
        if len(executions) >= expected and len(done) == len(executions):
            return executions
        if time.monotonic() > deadline:
            return executions
        time.sleep(1.0)


def load(stack: LocalStack, api: str, total: int) -> dict[str, Any]:
    """Distinct deliveries over all channels (Meta batches among them), 30% repeated,
    shuffled, from 8 concurrent senders: one case per message, one execution per case."""
    distinct = list(deliveries(round(total / 1.3), local_secrets({}), project_root()))
    rng = random.Random(1)
    sent = distinct + rng.sample(distinct, k=total - len(distinct))
    rng.shuffle(sent)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def deliver(delivery) -> None:
        started = time.perf_counter()
        status = send_event(api, delivery.event).status
        with lock:
            latencies.append(time.perf_counter() - started)
            statuses[status] += 1

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=SENDERS) as senders:
        list(senders.map(deliver, sent))
    acknowledged_in = time.monotonic() - started
    expected = sum(d.messages for d in distinct)
    executions = _wait_for_workflows(stack, expected, timeout=max(120, total))
    cases = stack.list_cases()
    per_case = Counter(e["name"] for e in executions)
    case_names = {f"case-{c['id']}" for c in cases}
    return {
        "sent": {
            "deliveries": len(sent),
            "distinct": len(distinct),
            "repeated": len(sent) - len(distinct),
            "messages": expected,
            "senders": SENDERS,
        },
        "found": {
            "http_statuses": dict(statuses),
            "cases": len(cases),
            "executions": len(executions),
            "cases_without_execution": len(case_names - set(per_case)),
            "max_executions_per_case": max(per_case.values(), default=0),
            "executions_by_status": dict(Counter(e["status"] for e in executions)),
        },
        "throughput_per_s": round(len(sent) / acknowledged_in, 1),
        "ack_latency_ms": {
            "p50": round(1000 * _percentile(latencies, 0.5), 1),
            "p99": round(1000 * _percentile(latencies, 0.99), 1),
        },
        "ok": statuses.keys() <= {200}
        and len(cases) == expected
        and len(executions) == len(cases)
        and set(per_case) == case_names
        and max(per_case.values(), default=0) == 1,
    }


def _failing_client(
    stack: LocalStack, service: str, operations: set[str] | None, rate: float, seed: int
):
    """A client whose calls (`operations`, or every call when None) fail at `rate` with a
    throttling error, injected by a botocore hook before anything is sent."""
    import boto3
    from botocore.awsrequest import AWSResponse
    from botocore.config import Config

    client = boto3.client(
        service,
        endpoint_url=stack.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 (the emulator accepts anything)
        config=Config(retries={"total_max_attempts": 1}),
    )
    rng = random.Random(seed)
    injected = Counter()

    def throttle(model, **_):
        if (operations is None or model.name in operations) and rng.random() < rate:
            injected[model.name] += 1
            error = {"Error": {"Code": "ThrottlingException", "Message": "injected"}}
            return AWSResponse(stack.endpoint_url, 400, {}, None), error
        return None

    client.meta.events.register(f"before-call.{client.meta.service_model.service_name}", throttle)
    return client, injected


def faults(stack: LocalStack, distinct: int, rate: float = 0.2, retries: int = 3) -> dict:
    """Every DynamoDB call and StartExecution failing on `rate` of calls (botocore hooks on
    the webhook's own clients): every delivery ends stored
    or answered 5xx and parked; after the platform's retries and a replay, nothing is
    missing and nothing duplicated."""
    from socialcare_cli.local.dependencies import webhook_dependencies

    dynamodb, dynamodb_faults = _failing_client(stack, "dynamodb", None, rate, 2)
    sfn, sfn_faults = _failing_client(stack, "stepfunctions", {"StartExecution"}, rate, 3)
    deps = webhook_dependencies(stack, dynamodb=dynamodb, stepfunctions=sfn)
    sample = list(deliveries(distinct, local_secrets({}), project_root()))
    answers: Counter[int] = Counter()
    exhausted = acknowledged_messages = 0
    webhook = stack.function("WebhookFunction")
    for delivery in sample:
        for _ in range(retries):
            status = webhook.invoke(delivery.event, dependencies=deps)["statusCode"]
            answers[status] += 1
            if status < 500:
                acknowledged_messages += delivery.messages
                break
        else:
            exhausted += 1
    stored_before_replay = len(stack.list_cases())
    parked = stack.parked_deliveries()
    replay = stack.replay_failed_deliveries()
    expected = sum(d.messages for d in sample)
    executions = _wait_for_workflows(stack, expected, timeout=max(120, distinct))
    cases = stack.list_cases()
    per_case = Counter(e["name"] for e in executions)
    return {
        "sent": {
            "deliveries": len(sample),
            "messages": expected,
            "failure_rate": rate,
            "platform_attempts_max": retries,
        },
        "injected": {
            **{f"DynamoDB {name}": count for name, count in sorted(dynamodb_faults.items())},
            "StartExecution": sfn_faults["StartExecution"],
        },
        "found": {
            "answers": dict(answers),
            "exhausted_retries": exhausted,
            "messages_acknowledged": acknowledged_messages,
            "cases_stored_before_replay": stored_before_replay,
            "parked": parked,
            "replay": replay,
            "cases": len(cases),
            "executions": len(executions),
            "max_executions_per_case": max(per_case.values(), default=0),
        },
        "ok": stored_before_replay >= acknowledged_messages
        and parked >= exhausted
        and len(cases) == expected
        and len(executions) == expected
        and max(per_case.values(), default=0) == 1
        and stack.parked_deliveries() == 0,
    }


def forgery(stack: LocalStack, api: str, attempts: int) -> dict:
    """Missing, wrong, truncated, re-used signatures, wrong secrets, altered bodies."""
    from socialcare_cli.forgery import KINDS, NOT_FOR_TELEGRAM, forged

    real = list(deliveries(max(16, attempts // len(KINDS) + 1), local_secrets({}), project_root()))
    plan = [
        (kind, delivery, real[(n + 1) % len(real)])
        for n, (delivery, kind) in enumerate(
            (real[i % len(real)], KINDS[i % len(KINDS)]) for i in range(attempts * 2)
        )
        if not (delivery.platform == "telegram" and kind in NOT_FOR_TELEGRAM)
    ][:attempts]
    before = stack.client("dynamodb").scan(TableName=stack.cases_table, Select="COUNT")["Count"]
    statuses = Counter(send_event(api, forged(d, o, kind)).status for kind, d, o in plan)
    after = stack.client("dynamodb").scan(TableName=stack.cases_table, Select="COUNT")["Count"]
    return {
        "sent": {"forged": len(plan), "kinds": dict(Counter(kind for kind, _, _ in plan))},
        "found": {"statuses": dict(statuses), "items_stored": after - before},
        "constant_time_comparison": "hmac.compare_digest over bytes (platforms/base.py)",
        "ok": set(statuses) == {401} and after == before,
    }


def http_fuzz(stack: LocalStack, api: str, requests: int) -> dict:
    """Random methods (also undocumented ones), paths of the API's routes, queries, headers
    and raw bodies (bytes that are not UTF-8, 5 kB of one letter): no 5xx."""
    rng = random.Random(4)
    routes = [r.route_key.split(" ", 1)[1] for r in stack.template.http_routes()]
    junk = [
        "",
        "{}",
        "[]",
        "null",
        '{"object":"page","entry":[{}]}',
        "\x00\xff",
        "a" * 5000,
        json.dumps({"update_id": 1, "message": {"text": "x" * 100}}),
        "%%%",
        "ñ€😀",
    ]
    statuses: Counter[int] = Counter()
    without_nosniff = 0
    for _ in range(requests):
        path = re.sub(
            r"\{[^}]+\}",
            lambda _: rng.choice(["meta", "x", "telegram", "zz", "a" * 40, "..", "%2e"]),
            rng.choice(routes),
        )
        query = urlencode(
            {
                rng.choice(["hub.mode", "crc_token", "do", "x"]): rng.choice(
                    ["subscribe", "", "ñ", "1" * 300]
                )
            }
        )
        method = rng.choice(["GET", "POST", "PUT", "DELETE"])
        headers = {
            rng.choice(
                [
                    "content-type",
                    "x-hub-signature-256",
                    "x-twitter-webhooks-signature",
                    "x-telegram-bot-api-secret-token",
                ]
            ): rng.choice(["", "sha256=00", "application/json", "ñ"])
        }
        body = rng.choice(junk).encode("utf-8", errors="surrogatepass") if method != "GET" else None
        try:
            answer = http_request(method, f"{api}{path}?{query}", headers, body)
        except Exception as error:
            statuses[type(error).__name__] += 1
            continue
        statuses[answer.status] += 1
        without_nosniff += answer.headers.get("x-content-type-options") != "nosniff"
    return {
        "sent": {"requests": requests, "routes": routes},
        "found": {
            "statuses": {str(k): v for k, v in statuses.items()},
            "without_nosniff": without_nosniff,
        },
        "ok": all(isinstance(k, int) and k < 500 for k in statuses) and without_nosniff == 0,
    }


def openapi(api: str, examples: int) -> dict:
    """schemathesis over api/openapi.yaml, positive and negative cases per operation."""
    from socialcare_cli.openapi_fuzz import fuzz

    return fuzz(api, examples, local_secrets({}), project_root() / "api" / "openapi.yaml")


def properties(examples: int) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/unit/test_properties.py",
        ],
        cwd=project_root(),
        env={**os.environ, "FUZZ_EXAMPLES": str(examples)},
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        "sent": {"examples_per_property": examples},
        "found": {"pytest": result.stdout.strip().splitlines()[-1:]},
        "ok": result.returncode == 0,
    }


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


def personal_data(log_path: Path, stack: LocalStack, api: str) -> dict:
    """Every sample delivery (phones, a DNI, emails among their texts) goes through the
    protocol, then the daily report runs; every string the handlers logged in all the
    scenarios, and every row of cases.csv, is scanned for personal data."""
    from socialcare.domain.personal_data import find_personal_data
    from socialcare_cli.samples import load_event

    samples = sorted((project_root() / "events").glob("*.json"))
    exposed = 0
    for path in samples:
        event = load_event(path)
        exposed += bool(find_personal_data(event.get("body") or ""))
        send_event(api, event)
    stack.wait_until_triaged()
    result = stack.run_report("daily", time.strftime("%Y-%m-%d"))
    csv_text = (stack.report_file(result["keys"][1]) or b"").decode()
    sys.stdout.flush()
    records = log_records(log_path.read_text(encoding="utf-8", errors="replace"))
    findings: Counter[str] = Counter()
    for record in records:
        for text in strings(record):
            for match in find_personal_data(text):
                findings[f"{match.kind} in log '{record.get('message', '?')}'"] += 1
    for line in csv_text.splitlines():
        for match in find_personal_data(line):
            findings[f"{match.kind} in cases.csv"] += 1
    return {
        "sent": {
            "samples": len(samples),
            "samples_with_personal_data": exposed,
            "log_records": len(records),
            "log_strings": sum(len(strings(r)) for r in records),
            "csv_rows": csv_text.count("\n") - 1,
        },
        "found": {"personal_data": dict(findings)},
        "ok": not findings and exposed > 0,
    }


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
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


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
    before = (stack.get_case(first["id"]), stack.get_case(second["id"]))
    for url in (first_links + second_links) * 3:
        found[f"GET {http_request('GET', url, {}).status}"] += 1
    found["GET changed a case"] = int(
        (stack.get_case(first["id"]), stack.get_case(second["id"])) != before
    )
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
    found["expired link moved its case"] = int(_moved(before[1], stack.get_case(second["id"])))
    # A department that clicks after its deadline passed and the case escalated
    stack.set_time_scale(1e6)
    late, late_links = _derive(stack, api, "meta_authority_complaint")
    stack.set_time_scale(1.0)
    late_page = http_request("GET", late_links[1], {}).body
    deadline = time.monotonic() + 30
    while stack.get_case(late["id"]).get("escalation_level") != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    late_token = _csrf(late_page)
    status = _post(late_links[1], csrf_token=late_token, action="resolved")
    found[f"POST after escalation {status}"] += 1
    after = stack.get_case(late["id"])
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


def _table(results: dict[str, dict]) -> str:
    lines = [f"{'scenario':16} {'ok':4} summary"]
    for name, result in results.items():
        summary = json.dumps(result.get("found", {}), ensure_ascii=False)[:110]
        lines.append(f"{name:16} {'yes' if result['ok'] else 'NO':4} {summary}")
    return "\n".join(lines)


def run(scale: float, output: Path, out: TextIO) -> int:
    """All scenarios; the handlers' logs go to a file that the last scenario scans."""
    output.parent.mkdir(parents=True, exist_ok=True)
    log_path = output.parent / "handlers.log"
    real_stdout, real_stderr = sys.stdout, sys.stderr
    results: dict[str, dict] = {}
    started = time.monotonic()
    with log_path.open("w", encoding="utf-8") as log:
        # The handlers' loggers bind stdout when the stack loads them; the local HTTP
        # server's access log goes to stderr: both are scanned for personal data.
        sys.stdout = sys.stderr = log
        try:
            with LocalStack(secrets=local_secrets({})) as stack:
                server = LocalApiServer(stack, port=free_port())
                threading.Thread(target=server.serve_forever, daemon=True).start()
                api = f"http://127.0.0.1:{server.server_address[1]}"
                stack.set_api_base_url(api)
                steps = [
                    ("load", lambda: load(stack, api, max(50, round(10_000 * scale)))),
                    ("faults", lambda: faults(stack, max(20, round(1_000 * scale)))),
                    ("forgery", lambda: forgery(stack, api, max(60, round(1_000 * scale)))),
                    ("fuzz_http", lambda: http_fuzz(stack, api, max(100, round(2_000 * scale)))),
                    ("fuzz_openapi", lambda: openapi(api, max(5, round(100 * scale)))),
                    ("action_links", lambda: action_links(stack, api, max(20, round(200 * scale)))),
                    (
                        "signing_oracles",
                        lambda: probes.signing_oracles(stack, api, max(20, round(200 * scale))),
                    ),
                    ("odd_numbers", lambda: probes.odd_numbers(stack, api)),
                    ("headers", lambda: probes.headers_everywhere(stack, api)),
                    ("parking_queue", lambda: probes.parking_queue(stack, api)),
                    (
                        "late_answers",
                        lambda: probes.late_answers(stack, api, max(5, round(50 * scale))),
                    ),
                    ("personal_data", lambda: personal_data(log_path, stack, api)),
                ]
                for name, step in steps:
                    print(f"  {name}...", file=real_stdout, flush=True)
                    stack.reset_data()
                    step_started = time.monotonic()
                    results[name] = {**step(), "seconds": round(time.monotonic() - step_started, 1)}
                server.shutdown()
        finally:
            sys.stdout, sys.stderr = real_stdout, real_stderr
    print("  properties...", file=out, flush=True)
    results["fuzz_properties"] = properties(max(100, round(3_000 * scale)))
    summary = {
        "scale": scale,
        "seconds": round(time.monotonic() - started, 1),
        "scenarios": results,
    }
    output.write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    print(_table(results), file=out)
    print(f"\n{output} ({summary['seconds']} s)", file=out)
    return 0 if all(r["ok"] for r in results.values()) else 1
