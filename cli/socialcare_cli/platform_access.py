"""What `socialcare connect` and the doctor's platform checks need to talk to the
platforms as the stack does: its secrets and tokens (read from its Secrets Manager
secrets), its webhook URL, the brand's accounts (config/accounts.toml) and the platforms'
API base URLs (the real ones, or the local stack's)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from socialcare.domain.accounts import BrandAccounts
from socialcare_cli.errors import CommandFailed
from socialcare_cli.stack_target import StackTarget

CALL_TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def problem(self) -> str:
        """The platform's own words for a refusal, short."""
        body = self.body
        error = body.get("error")
        said = (
            (error.get("message") if isinstance(error, dict) else error)  # Graph; OAuth's
            or body.get("description")  # Telegram
            or ", ".join(str(e.get("message")) for e in body.get("errors") or [] if e)  # X
            or body.get("detail")
            or body.get("title")
        )
        return f"{self.status} {str(said or '')[:160]}".strip()


@dataclass(frozen=True)
class PlatformAccess:
    apis: dict[str, str]  # "meta" (with its version), "x", "telegram"
    secrets: dict[str, Any]  # PlatformSecrets
    tokens: dict[str, Any]  # PlatformTokensSecret
    webhook_base: str  # <base>/meta, <base>/x, <base>/telegram
    accounts: BrandAccounts
    target: StackTarget

    @classmethod
    def of(cls, target: StackTarget) -> PlatformAccess:
        from socialcare.config.files import brand_accounts

        secrets = target.client("secretsmanager")

        def read(output: str) -> dict[str, Any]:
            value = secrets.get_secret_value(SecretId=target.output(output))["SecretString"]
            try:
                found = json.loads(value)
            except ValueError:
                raise CommandFailed(f"the secret of {output} is not JSON") from None
            if not isinstance(found, dict):
                raise CommandFailed(f"the secret of {output} is not a JSON object")
            return found

        missing = {"meta", "x", "telegram"} - set(target.platform_apis)
        if missing:
            raise CommandFailed(
                f"the stack does not say which {', '.join(sorted(missing))} API it calls "
                "(a local stack older than this command)"
            )
        return cls(
            apis=dict(target.platform_apis),
            secrets=read("PlatformSecretsArn"),
            tokens=read("PlatformTokensSecretArn"),
            webhook_base=target.output("WebhookBaseUrl").rstrip("/"),
            accounts=brand_accounts(),
            target=target,
        )

    def webhook_url(self, platform: str) -> str:
        return f"{self.webhook_base}/{platform}"

    def token(self, name: str) -> str:
        value = self.tokens.get(name)
        return value if isinstance(value, str) else ""

    def x_user_tokens(self) -> Any:
        """The brand's X user token as the stack's containers hold it (XTokens): renewed
        with the refresh token when it is about to expire or refused, under the stack's
        own refresh lock, and the new pair saved in PlatformTokensSecret, so that a
        refresh here and one in a container never spend the same refresh token."""
        from socialcare.bootstrap import operations

        return operations.x_user_tokens(self.target.root(), _NoAlarm(), CALL_TIMEOUT_SECONDS)

    # --- calls ------------------------------------------------------------------------

    def telegram(self, method: str, fields: dict[str, Any] | None = None) -> Answer:
        """https://core.telegram.org/bots/api#making-requests: POST, form fields."""
        url = f"{self.apis['telegram']}/bot{self.token('telegram_bot_token')}/{method}"
        return call("POST", url, form=fields or {})

    def graph(
        self, method: str, path: str, token: str, form: dict[str, str] | None = None
    ) -> Answer:
        """Graph API with the token in the Authorization header
        (https://developers.facebook.com/docs/graph-api/overview#access-tokens) and, with
        the app's secret in PlatformTokensSecret, appsecret_proof as the stack sends it
        (https://developers.facebook.com/docs/graph-api/guides/secure-requests)."""
        headers = {"authorization": f"Bearer {token}"}
        edge, _, query = path.partition("?")
        asked = dict(parse_qsl(query))
        secret = self.token("meta_app_secret")
        if secret:
            proof = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            asked["appsecret_proof"] = proof
        url = f"{self.apis['meta']}/{edge}" + (f"?{urlencode(asked)}" if asked else "")
        return call(method, url, headers=headers, form=form)

    def x(self, method: str, path: str, token: str, body: dict[str, Any] | None = None) -> Answer:
        headers = {"authorization": f"Bearer {token}"}
        return call(method, f"{self.apis['x']}{path}", headers=headers, json_body=body)

    def x_app_bearer(self) -> str:
        """The app's bearer token from its key and secret (client credentials):
        https://docs.x.com/fundamentals/authentication/oauth-2-0/bearer-tokens. Webhook
        management takes only this token (https://docs.x.com/x-api/webhooks/quickstart)."""
        key = str(self.secrets.get("x_consumer_key") or "")
        secret = str(self.secrets.get("x_consumer_secret") or "")
        if not key or not secret:
            raise CommandFailed(
                "x: put the app's API Key and Secret in the platform secret "
                "(x_consumer_key, x_consumer_secret)"
            )
        basic = base64.b64encode(f"{key}:{secret}".encode()).decode()
        answer = call(
            "POST",
            f"{self.apis['x']}/oauth2/token",
            headers={"authorization": f"Basic {basic}"},
            form={"grant_type": "client_credentials"},
        )
        bearer = answer.body.get("access_token")
        if answer.ok and isinstance(bearer, str):
            return bearer
        if answer.status not in (401, 403):
            raise CommandFailed(f"x: POST /oauth2/token failed ({answer.problem()})")
        raise CommandFailed(
            f"x: the app's key and secret were refused ({answer.problem()}): "
            "check x_consumer_key and x_consumer_secret"
        )


class _NoAlarm:
    """A person runs the command: the problem is its one line, not a metric."""

    def token_invalid(self, platform: str, problem: Any) -> None:
        pass


def call(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
    json_body: dict[str, Any] | None = None,
) -> Answer:
    from socialcare_cli.errors import NoAnswer
    from socialcare_cli.samples import http_request

    sent = dict(headers or {})
    data = None
    if form is not None and method != "GET":
        data = urlencode(form).encode()
        sent["content-type"] = "application/x-www-form-urlencoded"
    elif json_body is not None:
        data = json.dumps(json_body).encode()
        sent["content-type"] = "application/json"
    try:
        answer = http_request(method, url, sent, data, timeout=CALL_TIMEOUT_SECONDS)
    except NoAnswer:  # the origin only: a Telegram path holds the bot's token
        origin = "/".join(url.split("/")[:3])
        raise CommandFailed(
            f"no answer from {origin} (a timeout or a dropped connection): run it again, "
            "it looks at what is registered before it acts"
        ) from None
    try:
        body = answer.json()
    except ValueError:
        body = {}
    return Answer(answer.status, body if isinstance(body, dict) else {})
