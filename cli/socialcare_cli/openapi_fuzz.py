"""schemathesis against the HTTP API's OpenAPI description (api/openapi.yaml): for every
operation, requests that fit the description and requests that break it. Half of the
webhook deliveries are signed with the stack's real secret, so that arbitrary JSON reaches
the platform parsers instead of stopping at the signature check. No answer may be a 5xx,
and every status must be one the description documents."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

_REQUEST_FIELDS = ("method", "url", "headers", "params", "json", "data", "cookies")
_WEBHOOK = re.compile(r"/webhooks/(meta|x|telegram)(?:\?|$)")


def fuzz(api: str, examples: int, secrets: dict[str, str], spec: Path) -> dict[str, Any]:
    import requests
    import schemathesis
    from schemathesis import GenerationMode

    from socialcare_cli.samples import SIGNATURE_HEADERS, signature_for

    schema = schemathesis.openapi.from_path(spec)
    session = requests.Session()
    statuses: Counter[str] = Counter()
    undocumented: Counter[str] = Counter()
    server_errors: list[str] = []
    signed: Counter[str] = Counter()

    def send(case: Any, operation: Any, sign: bool) -> None:
        kwargs = case.as_transport_kwargs(base_url=api)
        prepared = requests.Request(**{k: kwargs[k] for k in _REQUEST_FIELDS if k in kwargs})
        request = session.prepare_request(prepared)
        platform = _WEBHOOK.search(request.url or "")
        if sign and platform and request.method == "POST":
            body = request.body or b""
            if not isinstance(body, str | bytes):  # a prepared request's body is text or bytes
                raise TypeError(f"a streamed body cannot be signed: {type(body).__name__}")
            raw = body.encode() if isinstance(body, str) else body
            name = platform.group(1)
            request.headers[SIGNATURE_HEADERS[name]] = signature_for(name, raw, secrets)
            signed[name] += 1
        try:
            response = session.send(request, allow_redirects=False, timeout=60)
        except requests.RequestException as error:
            statuses[type(error).__name__] += 1
            server_errors.append(f"{operation.method.upper()} {operation.path}: {error!r}"[:300])
            return
        label = f"{operation.method.upper()} {operation.path}"
        statuses[str(response.status_code)] += 1
        if response.status_code >= 500:
            server_errors.append(f"{label} -> {response.status_code}: {response.text[:200]}")
        if str(response.status_code) not in operation.definition.raw.get("responses", {}):
            undocumented[f"{label} {response.status_code}"] += 1

    operations = [_operation(result) for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _exercise(operation, mode, examples, send)
    return {
        "sent": {
            "tool": f"schemathesis {schemathesis.SCHEMATHESIS_VERSION}",
            "description": str(spec.name),
            "operations": [f"{op.method.upper()} {op.path}" for op in operations],
            "modes": ["positive", "negative"],
            "max_examples_per_operation_and_mode": examples,
            "requests": sum(statuses.values()),
            "signed_webhook_deliveries": dict(signed),
        },
        "found": {
            "statuses": dict(statuses),
            "server_errors": server_errors[:20],
            "undocumented_statuses": dict(undocumented),
        },
        "ok": not server_errors and not undocumented,
    }


def _exercise(operation: Any, mode: Any, examples: int, send: Any) -> None:
    """Up to `examples` cases of one operation in one mode, reproducible (derandomized)."""
    from hypothesis import HealthCheck, Phase, given, settings

    sent: Counter[str] = Counter()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def exercise(case: Any) -> None:
        sent["n"] += 1
        send(case, operation, sign=sent["n"] % 2 == 0)

    exercise()


def _operation(result: Any) -> Any:
    """An operation of the schema; one the schema describes wrongly stops the run, saying why."""
    from schemathesis.core.result import Err

    if isinstance(result, Err):
        raise result.err()
    return result.ok()
