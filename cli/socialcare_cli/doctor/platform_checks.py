"""The doctor's platform checks: each token valid, each webhook registered with the right
URL, fields and update types, the WhatsApp template approved. Read-only: every call is a
GET (or Telegram's getMe/getWebhookInfo, X's client-credentials bearer), nothing reaches
a customer. A platform with no token at all is not set up: one passing line says so."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from socialcare.platforms.meta import PAGE_WEBHOOK_FIELDS
from socialcare.platforms.telegram import CONSUMED_UPDATES
from socialcare_cli.connect import meta, x
from socialcare_cli.doctor.checks import Check
from socialcare_cli.errors import CommandFailed
from socialcare_cli.platform_access import PlatformAccess
from socialcare_cli.stack_target import StackTarget


def platform_checks(target: StackTarget) -> list[Check]:
    try:
        access = PlatformAccess.of(target)
    except Exception as failure:  # the secrets unreadable (not there, access denied)
        return [Check("platform secrets", False, _said(failure))]
    checks: list[Check] = []
    groups: dict[str, Callable[[PlatformAccess], list[Check]]] = {
        "telegram": _telegram,
        "meta": _meta,
        "x": _x,
    }
    for platform, group in groups.items():
        try:
            checks.extend(group(access))
        except Exception as failure:  # the API did not answer, refused a lookup, or answered
            # what it never documented: one line, and the other platforms still checked
            checks.append(Check(f"{platform} API", False, _said(failure)))
    return checks


def _said(failure: Exception) -> str:
    return (
        str(failure)
        if isinstance(failure, CommandFailed)
        else f"{type(failure).__name__}: {failure}"
    )


# --- Telegram (https://core.telegram.org/bots/api#getme, #getwebhookinfo) -------------------


def _telegram(access: PlatformAccess) -> list[Check]:
    if not access.token("telegram_bot_token"):
        return [Check("telegram", True, "not set up (no telegram_bot_token): not checked")]
    me = access.telegram("getMe")
    bot = me.body.get("result") or {}
    if not me.ok:
        token = Check(
            "telegram bot token",
            False,
            f"refused ({me.problem()}): put the bot's token from BotFather in "
            "PlatformTokensSecret telegram_bot_token",
        )
    else:
        business = "" if bot.get("can_connect_to_business") else ", Business mode off"
        token = Check(
            "telegram bot token", True, f"@{bot.get('username')} ({bot.get('id')}){business}"
        )
    return [token, _telegram_webhook(access)]


def _telegram_webhook(access: PlatformAccess) -> Check:
    name, fix = "telegram webhook", "run `socialcare connect telegram`"
    answer = access.telegram("getWebhookInfo")
    if not answer.ok:
        return Check(name, False, f"getWebhookInfo refused ({answer.problem()})")
    info = answer.body.get("result") or {}
    url, wanted = str(info.get("url") or ""), access.webhook_url("telegram")
    if url != wanted:
        return Check(name, False, f"set to {url or 'nothing'}, not {wanted}: {fix}")
    # No allowed_updates: the default set, which has every type the parser reads.
    allowed = info.get("allowed_updates")
    missing = [u for u in CONSUMED_UPDATES if allowed is not None and u not in allowed]
    if missing:
        return Check(name, False, f"allowed_updates lacks {', '.join(missing)}: {fix}")
    last_error = info.get("last_error_message")
    seen = f"; last delivery error: {last_error}" if last_error else ""
    return Check(name, True, f"{url}, {info.get('pending_update_count', 0)} pending{seen}")


# --- Meta (Graph API) ---------------------------------------------------------------------


def _meta(access: PlatformAccess) -> list[Check]:
    checks = []
    for page, token in meta.pages(access).items():
        checks.extend(_page(access, page, token))
    for token in sorted(set((access.tokens.get("instagram_tokens") or {}).values())):
        checks.append(_token_node(access, "instagram token", str(token), "instagram_tokens"))
    if access.token("whatsapp_token"):
        checks.extend(_whatsapp(access))
    if not checks:
        checks.append(Check("meta", True, "not set up (no Page, Instagram or WhatsApp token)"))
    return checks


def _token_node(access: PlatformAccess, name: str, token: str, where: str) -> Check:
    """GET /me: the node the token stands for (https://developers.facebook.com/docs/graph-api/overview#me)."""
    answer = access.graph("GET", "me", token)
    if not answer.ok:
        return Check(name, False, f"refused ({answer.problem()}): put a valid token in {where}")
    return Check(name, True, f"valid for {answer.body.get('id')}")


def _page(access: PlatformAccess, page: str, token: str) -> list[Check]:
    name = f"facebook Page {page}"
    if not token:
        return [Check(f"{name} token", False, "no token in facebook_page_tokens")]
    found = _token_node(access, f"{name} token", token, "facebook_page_tokens")
    if not found.ok:
        return [found]
    webhook = f"{name} webhook"
    fix = "run `socialcare connect meta`"
    # https://developers.facebook.com/docs/graph-api/reference/page/subscribed_apps
    fields = meta.page_fields(access, page, token, meta.app_id(access, token, name))
    if fields is None:
        return [found, Check(webhook, False, f"the app is not subscribed on the Page: {fix}")]
    missing = [f for f in PAGE_WEBHOOK_FIELDS if f not in fields]
    if missing:
        return [found, Check(webhook, False, f"subscribed without {', '.join(missing)}: {fix}")]
    return [found, Check(webhook, True, f"subscribed ({', '.join(fields)})")]


def _whatsapp(access: PlatformAccess) -> list[Check]:
    token, phone = access.token("whatsapp_token"), access.token("whatsapp_phone_number_id")
    waba = access.token("whatsapp_business_account_id")
    if not phone:
        return [
            Check("whatsapp token", False, "no whatsapp_phone_number_id in PlatformTokensSecret")
        ]
    # The phone number's node (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/)
    number = access.graph("GET", phone, token)
    if not number.ok:
        problem = f"refused ({number.problem()}): put a valid whatsapp_token"
        return [Check("whatsapp token", False, problem)]
    shown = number.body.get("display_phone_number") or phone
    checks = [Check("whatsapp token", True, f"valid for {shown} ({phone})")]
    if not waba:
        missing = "no whatsapp_business_account_id in PlatformTokensSecret: put it, then run "
        checks.append(Check("whatsapp webhook", False, missing + "`socialcare connect meta`"))
        return checks
    subscribed = meta.waba_subscribed(access, waba, token, meta.app_id(access, token, "whatsapp"))
    checks.append(
        Check("whatsapp webhook", True, f"business account {waba} subscribed")
        if subscribed
        else Check(
            "whatsapp webhook", False, f"{waba} not subscribed: run `socialcare connect meta`"
        )
    )
    checks.append(_template(access, waba, token))
    return checks


def _template(access: PlatformAccess, waba: str, token: str) -> Check:
    """The template outbound.yaml names, approved for its language
    (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates/)."""
    from socialcare.config.loaders import outbound_config

    template = outbound_config().whatsapp_template
    if template is None:
        return Check("whatsapp template", True, "none configured (config/outbound.yaml)")
    name = f"whatsapp template {template.name}"
    query = urlencode({"name": template.name})
    answer = access.graph("GET", f"{waba}/message_templates?{query}", token)
    if not answer.ok:
        return Check(name, False, f"not readable ({answer.problem()})")
    found = [
        t
        for t in answer.body.get("data") or []
        if isinstance(t, dict)
        and t.get("name") == template.name
        and t.get("language") in (None, template.language)
    ]
    status = str(found[0].get("status")) if found else "missing"
    if status != "APPROVED":
        said = f"{status} for {template.language}: submit or fix it in WhatsApp Manager"
        return Check(name, False, said)
    return Check(name, True, f"APPROVED ({template.language})")


# --- X --------------------------------------------------------------------------------------


def _x(access: PlatformAccess) -> list[Check]:
    if not access.token("x_access_token") and not access.secrets.get("x_consumer_key"):
        return [Check("x", True, "not set up (no x_access_token, no x_consumer_key): not checked")]
    user, user_check = _x_user(access)
    checks = [user_check]
    try:
        bearer = access.x_app_bearer()
    except CommandFailed as failure:
        return [*checks, Check("x webhook", False, str(failure))]
    webhook = x.registered(access, bearer)
    fix = "run `socialcare connect x`"
    if webhook is None:
        return [
            *checks,
            Check("x webhook", False, f"{access.webhook_url('x')} not registered: {fix}"),
        ]
    if not webhook.get("valid"):
        checks.append(Check("x webhook", False, f"X marked it invalid (its CRC failed): {fix}"))
    else:
        checks.append(Check("x webhook", True, f"{webhook.get('url')} valid"))
    path = f"/2/account_activity/webhooks/{webhook.get('id')}/subscriptions/all/list"
    listed = access.x("GET", path, bearer)
    ids = {
        str(s.get("user_id"))
        for s in (listed.body.get("data") or {}).get("subscriptions") or []
        if isinstance(s, dict)
    }
    brand = {user} if user else set(access.accounts.x_users)
    if not listed.ok or not brand or not brand <= ids:
        checks.append(Check("x subscription", False, f"the brand account is not subscribed: {fix}"))
    else:
        checks.append(Check("x subscription", True, f"{', '.join(sorted(brand))} subscribed"))
    return checks


def _x_user(access: PlatformAccess) -> tuple[str | None, Check]:
    """GET /2/users/me with the brand's user token (https://docs.x.com/x-api/users/user-lookup-me)."""
    name = "x user token"
    answer = access.x("GET", "/2/users/me", access.token("x_access_token"))
    if answer.ok:
        found = answer.body.get("data") or {}
        user = str(found.get("id"))
        listed = access.accounts.x_users
        if listed and user not in listed:
            return user, Check(
                name, False, f"@{found.get('username')} ({user}) is not in accounts.toml x_users"
            )
        return user, Check(name, True, f"@{found.get('username')} ({user})")
    expires = float(access.tokens.get("x_token_expires_at") or 0)
    if answer.status == 401 and expires < time.time() and access.token("x_refresh_token"):
        # Doctor does not spend the refresh token (X's rotate): the stack renews the pair.
        said = "expired; the stack renews it with x_refresh_token at its next send"
        return None, Check(name, True, said)
    return None, Check(name, False, f"refused ({answer.problem()}): authorise the app again")
