"""Issue 30, finding 5: images and voice notes the department can open. Through the real
webhook, triage, emails and the actions function, with the emulator serving the
platforms' media endpoints: the email's link returns the file's bytes (read with the
brand's token at click time, never in the email), stops working when it expires, and
tells nothing to someone guessing keys."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import urllib3

from socialcare_cli.local.platform_media import media_bytes
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.workflow_helpers import SOCIAL_TEAM, deliver, email_to, wait_for

_HTTP = urllib3.PoolManager(retries=False)


def media_links(email: dict) -> list[str]:
    return re.findall(r"https?://\S+/media/[\w.-]+", email["text"])


def opened_case(stack, sample: str, change=None) -> tuple[str, str]:
    body = dated(sample_payload(sample), datetime.now(UTC))
    if change:
        change(body)
    case_id = deliver(stack, signed_event(sample.split("_")[0], body))
    wait_for(stack, case_id, lambda c: c.get("triaged_at") is not None)
    return case_id, json.dumps(body)


def test_a_whatsapp_voice_note_opens_from_the_email_with_the_platforms_bytes(stack, api):
    # Given a WhatsApp voice note (its media id in the webhook)
    case_id, _ = opened_case(stack, "meta_whatsapp_voice")
    # When the email about it is read
    email = email_to(stack, SOCIAL_TEAM, case_id)
    [link] = media_links(email)
    # Then it names the voice note in the reader's language, with a socialcare link
    assert "nota de voz" in email["text"] and link.startswith(api)
    assert "local-whatsapp-token" not in email["text"] + email["html"]
    # And opening it returns the file WhatsApp keeps, read with the token at click time
    media_id = stack.get_case(case_id)["messages"][0]["attachments"][0]["media_id"]
    opened = _HTTP.request("GET", link)
    assert opened.status == 200, opened.data[:300]
    assert opened.data == media_bytes(media_id)
    assert opened.headers["content-type"] == "audio/ogg"
    assert opened.headers["cache-control"] == "no-store"
    calls = [(c["path"], c["status"]) for c in stack.platforms.calls_made() if c["method"] == "GET"]
    assert (f"/v21.0/{media_id}", 200) in calls and (
        "/whatsapp_business/attachments/",
        200,
    ) in calls


def test_a_media_link_that_expired_or_was_guessed_opens_nothing(stack, api):
    # Given the link to a WhatsApp voice note
    case_id, _ = opened_case(stack, "meta_whatsapp_voice")
    [link] = media_links(email_to(stack, SOCIAL_TEAM, case_id))
    # When its key is guessed, its number is past the attachments, or it expired
    guessed = re.sub(r"\.[\w-]{32}\.", "." + "A" * 32 + ".", link)
    past = link[:-1] + "9"
    before = len(stack.platforms.calls_made())
    answers = [_HTTP.request("GET", url).status for url in (guessed, past)]
    stack.client("dynamodb").update_item(
        TableName=stack.cases_table,
        Key={"PK": {"S": f"CASE#{case_id}"}, "SK": {"S": "CASE"}},
        UpdateExpression="SET media_link.expires_at = :past",
        ExpressionAttributeValues={":past": {"S": "2020-01-01T00:00:00Z"}},
    )
    expired = _HTTP.request("GET", link)
    # Then each is gone (410), the page says so in words, and the platform was not asked
    assert answers == [410, 410] and expired.status == 410
    assert "Pedid al cliente que lo envíe de nuevo" in expired.data.decode()
    assert len(stack.platforms.calls_made()) == before


def test_a_telegram_photo_opens_without_the_bot_token_reaching_the_email(stack, api):
    # Given a Telegram photo (its file_id in the update)
    case_id, _ = opened_case(stack, "telegram_photo")
    email = email_to(stack, SOCIAL_TEAM, case_id)
    [link] = media_links(email)
    # When the link is opened
    opened = _HTTP.request("GET", link)
    # Then the bytes come through socialcare; the bot token is in no email
    file_id = stack.get_case(case_id)["messages"][0]["attachments"][0]["media_id"]
    assert opened.status == 200 and opened.data == media_bytes(file_id)
    assert "imagen" in email["text"] and "telegram-bot-token" not in email["text"] + email["html"]


def test_a_messenger_image_link_sends_the_department_to_the_platforms_cdn(stack, api):
    # Given a Messenger image (its CDN address in the webhook)
    cdn = "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg?oh=local&oe=6760A1B2"

    def with_image(body: dict) -> None:
        message = body["entry"][0]["messaging"][0]["message"]
        message["attachments"] = [{"type": "image", "payload": {"url": cdn}}]

    case_id, _ = opened_case(stack, "meta_messenger_message", with_image)
    [link] = media_links(email_to(stack, SOCIAL_TEAM, case_id))
    # When opened: redirected there (the address carries no token of the brand's)
    opened = _HTTP.request("GET", link, redirect=False)
    assert opened.status == 302 and opened.headers["location"] == cdn
