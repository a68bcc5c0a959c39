"""`socialcare connect meta`: each Page subscribes the app to the fields the parsers read
(POST /{page-id}/subscribed_apps with the Page's token,
https://developers.facebook.com/docs/pages-api/webhooks-for-pages), and the WhatsApp
Business Account subscribes the app (POST /{waba-id}/subscribed_apps, no fields: they are
chosen at the app's level,
https://developers.facebook.com/documentation/business-messaging/whatsapp/solution-providers/manage-webhooks).
Instagram (Facebook Login) is delivered through its Page's subscription, for the fields
the app selects (https://developers.facebook.com/documentation/instagram-platform/webhooks)."""

from __future__ import annotations

from collections.abc import Callable

from socialcare.platforms.meta import INSTAGRAM_WEBHOOK_FIELDS, PAGE_WEBHOOK_FIELDS
from socialcare_cli.errors import CommandFailed
from socialcare_cli.platform_access import PlatformAccess


def pages(access: PlatformAccess) -> dict[str, str]:
    """The brand's Pages and their tokens: those accounts.toml lists, and those
    facebook_page_tokens names ("*" is the token of every Page not named)."""
    tokens = access.tokens.get("facebook_page_tokens") or {}
    named = {page for page in tokens if page != "*"}
    return {
        page: str(tokens.get(page) or tokens.get("*") or "")
        for page in sorted(set(access.accounts.facebook_pages) | named)
    }


def app_id(access: PlatformAccess, token: str, who: str) -> str:
    """The app a token belongs to (https://developers.facebook.com/docs/graph-api/reference/application/)."""
    answer = access.graph("GET", "app", token)
    found = answer.body.get("id")
    if answer.status == 401 or (answer.body.get("error") or {}).get("code") == 190:
        raise CommandFailed(f"{who}: the token was refused ({answer.problem()})")
    if not answer.ok or not isinstance(found, str):
        raise CommandFailed(f"{who}: GET /app failed ({answer.problem()})")
    return found


def page_fields(access: PlatformAccess, page: str, token: str, app: str) -> list[str] | None:
    """The fields the app is subscribed to on the Page; None when it is not there."""
    answer = access.graph("GET", f"{page}/subscribed_apps", token)
    if not answer.ok:
        raise CommandFailed(f"facebook: Page {page}'s subscribed_apps ({answer.problem()})")
    for entry in answer.body.get("data") or []:
        if isinstance(entry, dict) and entry.get("id") == app:
            return [str(f) for f in entry.get("subscribed_fields") or []]
    return None


def waba_subscribed(access: PlatformAccess, waba: str, token: str, app: str) -> bool:
    answer = access.graph("GET", f"{waba}/subscribed_apps", token)
    if not answer.ok:
        raise CommandFailed(f"whatsapp: {waba}'s subscribed_apps ({answer.problem()})")
    for entry in answer.body.get("data") or []:
        entry = entry if isinstance(entry, dict) else {}
        listed = entry.get("whatsapp_business_api_data") or entry
        if isinstance(listed, dict) and listed.get("id") == app:
            return True
    return False


def connect(access: PlatformAccess, say: Callable[[str], None]) -> None:
    found = pages(access)
    waba = access.token("whatsapp_business_account_id")
    if not found and not waba:
        raise CommandFailed(
            "meta: no Page (accounts.toml facebook_pages, or facebook_page_tokens) and no "
            "whatsapp_business_account_id in PlatformTokensSecret: nothing to connect"
        )
    wanted = ", ".join(PAGE_WEBHOOK_FIELDS)
    for page, token in found.items():
        if not token:
            raise CommandFailed(f"facebook: Page {page} has no token in facebook_page_tokens")
        app = app_id(access, token, f"facebook: Page {page}")
        fields = page_fields(access, page, token, app)
        if fields is not None and set(PAGE_WEBHOOK_FIELDS) <= set(fields):
            say(f"facebook: Page {page} already subscribed ({wanted})")
            continue
        # The app's fields on the Page are replaced: keep any it already had.
        asked = [*dict.fromkeys([*(fields or []), *PAGE_WEBHOOK_FIELDS])]
        answer = access.graph(
            "POST", f"{page}/subscribed_apps", token, {"subscribed_fields": ",".join(asked)}
        )
        if not answer.ok:
            raise CommandFailed(f"facebook: Page {page} not subscribed ({answer.problem()})")
        say(f"facebook: Page {page} subscribed ({wanted})")
    if found and access.tokens.get("instagram_tokens"):
        say(
            "instagram: delivered through its Page's subscription; the app's Instagram "
            f"fields ({', '.join(INSTAGRAM_WEBHOOK_FIELDS)}) are chosen in the App Dashboard"
        )
    if waba:
        _connect_whatsapp(access, waba, say)


def _connect_whatsapp(access: PlatformAccess, waba: str, say: Callable[[str], None]) -> None:
    token = access.token("whatsapp_token")
    if not token:
        raise CommandFailed("whatsapp: no whatsapp_token in PlatformTokensSecret")
    app = app_id(access, token, "whatsapp")
    if waba_subscribed(access, waba, token, app):
        say(f"whatsapp: business account {waba} already subscribed")
        return
    answer = access.graph("POST", f"{waba}/subscribed_apps", token)
    if not answer.ok:
        raise CommandFailed(
            f"whatsapp: business account {waba} not subscribed ({answer.problem()})"
        )
    say(f"whatsapp: business account {waba} subscribed (fields: the app's, messages)")
