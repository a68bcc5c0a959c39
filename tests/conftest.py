"""Shared fixtures: sample deliveries from events/, one local stack for the session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from socialcare.domain.credentials import PlatformSecrets
from socialcare_cli.local.http import to_http_api_event
from socialcare_cli.local.stack import LocalStack, local_secrets
from socialcare_cli.samples import SIGNATURE_HEADERS, load_event, raw_body, signature_for

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def sample(name: str) -> dict[str, Any]:
    """An API Gateway v2 event from events/, as the platform delivered it."""
    return load_event(EVENTS / f"{name}.json")


def sample_payload(name: str) -> Any:
    return json.loads(raw_body(sample(name)))


def secrets() -> PlatformSecrets:
    return PlatformSecrets(**local_secrets({}))


def signed_event(
    platform: str,
    body: Any,
    *,
    headers: dict[str, str] | None = None,
    base64_body: bool = False,
    method: str = "POST",
    query: str = "",
) -> dict[str, Any]:
    """A delivery as API Gateway would pass it, signed with the local secrets."""
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    all_headers = {"content-type": "application/json"}
    if method == "POST":
        all_headers[SIGNATURE_HEADERS[platform]] = signature_for(platform, raw, local_secrets({}))
    all_headers.update(headers or {})
    event = to_http_api_event(
        method,
        f"/webhooks/{platform}",
        query,
        all_headers,
        raw if method == "POST" else b"",
        f"{method} /webhooks/{{platform}}",
        {"platform": platform},
    )
    if base64_body and method == "POST":
        import base64

        event["body"] = base64.b64encode(raw).decode()
        event["isBase64Encoded"] = True
    return event


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    # Local defaults only: a developer's own SOCIALCARE_* variables must not leak in.
    stack = LocalStack(secrets=local_secrets({}))
    with stack:
        yield stack


@pytest.fixture
def stack(local_stack: LocalStack) -> LocalStack:
    """The session's local stack, emptied: every test starts with no cases."""
    # moto's backends are the process's: a test that resets them (moto.mock_aws() on
    # entry and exit) takes this worker's stack with it. Say so, not StateMachineDoesNotExist.
    machines = local_stack.client("stepfunctions").list_state_machines()["stateMachines"]
    assert local_stack.case_workflow_arn in [m["stateMachineArn"] for m in machines], (
        "the session's local stack lost its resources: a test run before this one in this "
        "process reset moto's backends (moto.mock_aws()? run it in a process of its own)"
    )
    local_stack.reset_data()
    return local_stack


@pytest.fixture
def api(stack: LocalStack) -> Iterator[str]:
    """The local stack's HTTP API on a free port; action links in emails point to it."""
    import threading

    from socialcare_cli.local.http import LocalApiServer

    server = LocalApiServer(stack, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    stack.set_api_base_url(url)
    yield url
    server.shutdown()
    server.server_close()


def stream_event(*case_ids: str) -> dict[str, Any]:
    """The triage function's event (events/streams/new_case.json), one record per case,
    as the table's stream and its event source mapping deliver them."""
    template = json.loads((EVENTS / "streams" / "new_case.json").read_text())["Records"][0]
    records = []
    for n, case_id in enumerate(case_ids):
        record = json.loads(json.dumps(template))
        record["dynamodb"]["Keys"]["PK"]["S"] = f"CASE#{case_id}"
        record["dynamodb"]["SequenceNumber"] = str(int(record["dynamodb"]["SequenceNumber"]) + n)
        records.append(record)
    return {"Records": records}
