"""What each function's first event is in the cold-start benchmark, and what AWS answers
it (botocore's Stubber in the sample interpreter): a signed delivery, a new case from the
stream, a derivation step, a department opening its link, a daily report, a manager's
report link."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

CASE_ID = "20261124-0123456789abcdef"
ACTION_ID = "benchActionLink0123456789abcdefg"  # 32 URL-safe characters, as issued
_CASE = {
    "PK": {"S": f"CASE#{CASE_ID}"},
    "SK": {"S": "CASE"},
    "entity": {"S": "case"},
    "id": {"S": CASE_ID},
    "status": {"S": "new"},
    "platform": {"S": "telegram"},
    "channel": {"S": "telegram"},
    "public": {"BOOL": False},
    "author": {"M": {"id": {"S": "42"}, "display_name": {"S": "Ana"}}},
    "author_key": {"S": "telegram#42"},
    "created_at": {"S": "2026-11-24T09:00:00.000Z"},
    "language": {"S": "es"},
}
_MESSAGE = {
    "PK": {"S": f"CASE#{CASE_ID}"},
    "SK": {"S": "MSG#2026-11-24T09:00:00.000Z#abc"},
    "entity": {"S": "message"},
    "text": {"S": "¡Muchas gracias por la atención de ayer, un diez!"},
    "sent_at": {"S": "2026-11-24T09:00:00.000Z"},
}


def first_events(root: Path, secrets: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per function (logical id): {"event", "answers": {service: {operation: response}}}."""
    from socialcare.domain.report_links import signature
    from socialcare_cli.local.http import action_link_event, to_http_api_event
    from socialcare_cli.samples import load_event

    link_secret = "k" * 64
    expires = int(time.time()) + 3600
    report_key = "reports/daily/2026-11-24/kpis.json"
    stream = json.loads((root / "events" / "streams" / "new_case.json").read_text())
    plan = {
        "level": 0,
        "department": "customer_service",
        "priority": "P2",
        "deadline": "2026-11-26T09:00:00.000Z",
        "timeout_seconds": 172800,
        "reason": "derived",
    }
    action = {
        "PK": {"S": f"ACTION#{ACTION_ID}"},
        "SK": {"S": "ACTION"},
        "case_id": {"S": CASE_ID},
        "task_token": {"S": "t"},
        "csrf_token": {"S": "c"},
        "status": {"S": "pending"},
        "plan": {"M": {k: _attribute(v) for k, v in plan.items()}},
        "expires_at": {"N": str(expires)},
    }
    derived_case = {**_CASE, "status": {"S": "derived"}, "current_action": {"S": ACTION_ID}}
    sent = {"MessageId": "bench"}
    return {
        "WebhookFunction": {
            "event": load_event(root / "events" / "telegram_message.json"),
            "answers": {
                "secretsmanager": {"get_secret_value": {"SecretString": json.dumps(secrets)}},
                "dynamodb": {"transact_write_items": {}},
            },
        },
        "TriageFunction": {
            "event": stream,
            "answers": {
                "dynamodb": {"query": {"Items": [_CASE, _MESSAGE]}, "get_item": {"Item": _CASE}},
                "sesv2": {"send_email": sent},
            },
        },
        "WorkflowFunction": {
            "event": {"step": "derive", "case_id": CASE_ID, "plan": plan, "task_token": "t"},
            "answers": {
                "dynamodb": {"query": {"Items": [derived_case, _MESSAGE]}},
                "sesv2": {"send_email": sent},
            },
        },
        "ActionsFunction": {
            "event": action_link_event("GET", ACTION_ID, "do=resolved"),
            "answers": {
                "dynamodb": {
                    "get_item": {"Item": action},
                    "query": {"Items": [derived_case, _MESSAGE]},
                }
            },
        },
        "ReportFunction": {
            "event": {"period": "daily", "date": "2026-11-24"},
            "answers": {
                "dynamodb": {"query": {"Items": []}},
                # no partial stored for the day before: it is computed
                "s3": {"get_object": {"Error": {"Code": "NoSuchKey", "Message": "none"}}},
                "secretsmanager": {"get_secret_value": {"SecretString": link_secret}},
                "sesv2": {"send_email": sent},
            },
        },
        "ReportLinksFunction": {
            "event": to_http_api_event(
                "GET",
                f"/{report_key}",
                f"expires={expires}&signature={signature(report_key, expires, link_secret)}",
                {},
                b"",
                "GET /reports/{period}/{day}/{file}",
                dict(zip(("period", "day", "file"), report_key.split("/")[1:], strict=True)),
            ),
            "answers": {
                "secretsmanager": {"get_secret_value": {"SecretString": link_secret}},
            },
        },
    }


def _attribute(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    return {"S": str(value)}
