"""`socialcare connect x`: the stack's URL registered as the app's webhook (X checks it at
once with a CRC the stack must answer within 3 s), then the brand's account subscribed to
it (https://docs.x.com/x-api/webhooks/quickstart,
https://docs.x.com/x-api/account-activity/quickstart). Webhook management takes the
app's bearer token (from x_consumer_key and x_consumer_secret); the subscription, the
brand's own user token (x_access_token)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from socialcare_cli.errors import CommandFailed
from socialcare_cli.platform_access import PlatformAccess

_REASONS = {
    "CrcValidationFailed": "X's CRC check of the URL failed (a wrong answer, or none within "
    "3 s): is x_consumer_secret the app's API Key Secret, and the stack deployed?",
    "WebhookLimitExceeded": "the app already has its one webhook (Pay Per Use): delete the "
    "other one (DELETE /2/webhooks/:id) or use it",
    "UrlValidationFailed": "X refused the URL (HTTPS, no port, 200 characters at most)",
}


def registered(access: PlatformAccess, bearer: str) -> dict[str, Any] | None:
    """The app's webhook for the stack's URL, as GET /2/webhooks lists it."""
    answer = access.x("GET", "/2/webhooks", bearer)
    if not answer.ok:
        raise CommandFailed(f"x: GET /2/webhooks refused ({answer.problem()})")
    url = access.webhook_url("x")
    return next(
        (w for w in answer.body.get("data") or [] if isinstance(w, dict) and w.get("url") == url),
        None,
    )


def connect(access: PlatformAccess, say: Callable[[str], None]) -> None:
    bearer = access.x_app_bearer()
    url = access.webhook_url("x")
    webhook = registered(access, bearer)
    if webhook is not None and webhook.get("valid"):
        say(f"x: webhook already registered ({url})")
    elif webhook is not None:  # X stopped trusting it: a PUT makes it send a new CRC
        answer = access.x("PUT", f"/2/webhooks/{webhook['id']}", bearer)
        _refused(answer.ok, answer.body, "webhook not re-validated", answer.problem())
        say(f"x: webhook re-validated ({url})")
    else:
        answer = access.x("POST", "/2/webhooks", bearer, {"url": url})
        _refused(answer.ok, answer.body, "webhook not registered", answer.problem())
        webhook = answer.body.get("data") or {}
        say(f"x: webhook registered ({url}, id {webhook.get('id')})")
    _subscribe(access, str(webhook.get("id")), say)


def _subscribe(access: PlatformAccess, webhook_id: str, say: Callable[[str], None]) -> None:
    from socialcare.domain.platform_errors import PlatformTokenInvalid

    if not access.token("x_access_token"):
        raise CommandFailed("x: no x_access_token (the brand's user token) in PlatformTokensSecret")
    path = f"/2/account_activity/webhooks/{webhook_id}/subscriptions/all"
    # The user token lasts two hours and the stack renews it only when it sends: renewed
    # here as the stack does (its lock, its secret) when expiring, or refused once.
    tokens = access.x_user_tokens()
    try:
        user = tokens.access_token()
        found = access.x("GET", path, user)
        if found.status == 401:
            user = tokens.renew(user)
            found = access.x("GET", path, user)
    except PlatformTokenInvalid as problem:
        raise CommandFailed(
            f"x: the brand's user token cannot be renewed ({problem.problem.value}): authorise the "
            "app again and put the new pair in PlatformTokensSecret"
        ) from None
    if found.status == 401:
        raise CommandFailed("x: the brand's user token was refused (401): authorise the app again")
    if found.ok and (found.body.get("data") or {}).get("subscribed"):
        say("x: brand account already subscribed")
        return
    answer = access.x("POST", path, user, {})
    if _reason(answer.body) == "DuplicateSubscriptionFailed":
        say("x: brand account already subscribed")
        return
    _refused(answer.ok, answer.body, "brand account not subscribed", answer.problem())
    say(f"x: brand account subscribed to webhook {webhook_id}")


def _reason(body: dict[str, Any]) -> str:
    errors = body.get("errors") or [{}]
    return str((errors[0] if isinstance(errors[0], dict) else {}).get("message") or "")


def _refused(ok: bool, body: dict[str, Any], what: str, problem: str) -> None:
    if ok:
        return
    reason = _reason(body)
    raise CommandFailed(f"x: {what}: {_REASONS.get(reason, problem)}")
