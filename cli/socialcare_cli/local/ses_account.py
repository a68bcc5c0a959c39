"""The local SES account's sending status, which moto's SES v2 lacks: GetAccount and
PutAccountSendingAttributes answered as AWS documents them, in front of moto.

GetAccount (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html):
`GET /v2/email/account`; `ProductionAccessEnabled` false is the sandbox ("you can only
send email to verified identities ... 200 [a day] ... 1 [a second]"), `SendingEnabled`
false is sending paused, `EnforcementStatus` HEALTHY, PROBATION or SHUTDOWN.
PutAccountSendingAttributes
(https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutAccountSendingAttributes.html):
`PUT /v2/email/account/sending` with `{"SendingEnabled": bool}`.

A new account is in the sandbox in every Region
(https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html), and so is the
local one; leaving it is a request a person at AWS reviews, so no API does it: tests set
`production_access_enabled` on the stack's account.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# Quotas of the sandbox, and of a new account out of it (both per the page above).
_SANDBOX_QUOTA = {"Max24HourSend": 200.0, "MaxSendRate": 1.0}
_PRODUCTION_QUOTA = {"Max24HourSend": 50_000.0, "MaxSendRate": 14.0}


@dataclass
class SesAccount:
    production_access_enabled: bool = False
    sending_enabled: bool = True
    enforcement_status: str = "HEALTHY"

    def get_account(self, sent_last_24_hours: int) -> dict[str, Any]:
        quota = _PRODUCTION_QUOTA if self.production_access_enabled else _SANDBOX_QUOTA
        return {
            "DedicatedIpAutoWarmupEnabled": False,
            "EnforcementStatus": self.enforcement_status,
            "ProductionAccessEnabled": self.production_access_enabled,
            "SendQuota": {**quota, "SentLast24Hours": float(sent_last_24_hours)},
            "SendingEnabled": self.sending_enabled,
            "SuppressionAttributes": {"SuppressedReasons": []},
        }


class SesAccountApi:
    """WSGI middleware: the two account calls answered here, everything else by moto."""

    def __init__(self, app: Any, account: SesAccount) -> None:
        self._app = app
        self.account = account

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/v2/email/account" and method == "GET":
            return _json(start_response, self.account.get_account(_sent_messages()))
        if path == "/v2/email/account/sending" and method == "PUT":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            self.account.sending_enabled = bool(body.get("SendingEnabled", False))
            return _json(start_response, {})
        return self._app(environ, start_response)


def _sent_messages() -> int:
    from moto.ses.models import ses_backends

    from socialcare_cli.local.names import ACCOUNT_ID, REGION

    return len(ses_backends[ACCOUNT_ID][REGION].sent_messages)


def _json(start_response: Any, answer: dict[str, Any]) -> list[bytes]:
    body = json.dumps(answer).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
