"""WhatsApp Cloud API deliveries (Meta's `whatsapp_business_account` object): customer
messages of every type, their edits and deletions, and statuses (what became of the
brand's own messages: delivered, read, failed)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from socialcare.domain.accounts import BrandAccounts
from socialcare.domain.delivery_reports import DeliveryReport, ReceiptState
from socialcare.domain.messages import (
    Author,
    ChangeKind,
    Channel,
    InboundMessage,
    MessageChange,
    ReplyTarget,
)
from socialcare.domain.survey_answers import TapOrigin
from socialcare.platforms import attachments
from socialcare.platforms.base import ParsedDelivery, as_dict, as_list, as_str
from socialcare.platforms.ids import (
    BSUID,
    MESSAGE_ID,
    NUMERIC,
    Malformed,
    optional,
    shaped,
    unix_time,
)

# The webhook fields read here (changes[].field): messages carries statuses too.
CONSUMED_FIELDS = ("messages",)
_IGNORED_TYPES = ("reaction", "system", "ephemeral", "request_welcome")
_MEDIA = ("image", "video", "document", "audio", "sticker")


def entry(
    entry: Any, accounts: BrandAccounts, received_at: datetime, delivery: ParsedDelivery
) -> None:
    for change in as_list(as_dict(entry).get("changes")):
        change = as_dict(change)
        if change.get("field") not in CONSUMED_FIELDS:
            delivery.ignore("unknown_field", field=str(change.get("field"))[:40])
            continue
        value = as_dict(change.get("value"))
        delivery.each([value], _messages_value, accounts, received_at)


def _messages_value(
    value: dict, accounts: BrandAccounts, received_at: datetime, delivery: ParsedDelivery
) -> None:
    number_id = shaped(
        as_dict(value.get("metadata")).get("phone_number_id"), "phone_number_id", NUMERIC
    )
    items = as_list(value.get("statuses")) + as_list(value.get("messages"))
    if not accounts.owns("whatsapp_phone_numbers", number_id):
        delivery.ignore("other_account", account_kind="whatsapp_phone_numbers", items=len(items))
        return
    delivery.each(as_list(value.get("statuses")), _status, received_at)
    people = _contacts(as_list(value.get("contacts")))
    delivery.each(as_list(value.get("messages")), _message, number_id, people, received_at)


def _status(status: Any, received_at: datetime, delivery: ParsedDelivery) -> None:
    """A status of a message the brand sent: `sent` is known already (the API's answer
    carried the wamid); delivered, read and failed are reported; the rest logged.
    https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
    """
    status = as_dict(status)
    name = str(status.get("status"))[:20]
    if name not in ReceiptState.__members__.values():
        delivery.ignore("status", status=name)
        return
    wamid = shaped(status.get("id"), "id", MESSAGE_ID)
    # Errors come as a list; Meta advises acting on `code` and `details`, not the title.
    # https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
    error = as_dict(next(iter(as_list(status.get("errors"))), None))
    code = error.get("code")
    delivery.delivery_reports.append(
        DeliveryReport(
            channel=Channel.WHATSAPP,
            message_id=wamid,
            state=ReceiptState(name),
            at=unix_time(status.get("timestamp"), "timestamp") or received_at,
            error_code=code if type(code) is int else None,
            error_title=(as_str(error.get("title")) or "")[:200] or None,
            error_details=(as_str(as_dict(error.get("error_data")).get("details")) or "")[:500]
            or None,
        )
    )


def _contacts(contacts: list[Any]) -> dict[str, dict[str, Any]]:
    """Each contact by every id it is known by: phone (wa_id) and business-scoped id."""
    people: dict[str, dict[str, Any]] = {}
    for contact in contacts:
        contact = as_dict(contact)
        for key in ("wa_id", "user_id"):
            if isinstance(contact.get(key), str):
                people[contact[key]] = contact
    return people


def _message(
    message: Any,
    number_id: str,
    people: dict[str, dict[str, Any]],
    received_at: datetime,
    delivery: ParsedDelivery,
) -> None:
    message = as_dict(message)
    kind = as_str(message.get("type")) or "unknown"
    if kind in _IGNORED_TYPES:
        delivery.ignore("reaction" if kind == "reaction" else "system", type=kind)
        return
    wamid = shaped(message.get("id"), "id", MESSAGE_ID)
    # Customers who adopted a username arrive with a business-scoped user id and no phone.
    phone = optional(message.get("from"), "from", NUMERIC)
    user_id = optional(message.get("from_user_id"), "from_user_id", BSUID)
    sender = user_id or phone  # the business-scoped id is stable, the phone may not come
    if not sender:
        raise Malformed("message without sender")
    sent_at = unix_time(message.get("timestamp"), "timestamp") or received_at
    if kind in ("edit", "revoke"):
        _change(kind, message, sent_at, delivery)
        return
    if kind == "interactive":
        body = as_dict(message.get("interactive"))
        choice = as_dict(body.get("list_reply")) or as_dict(body.get("button_reply"))
        # Either id may be the one the case knows them by (the author, or its alias).
        ids = tuple(i for i in (user_id, phone) if i)
        key = f"whatsapp:{wamid}"
        origin = TapOrigin(account_id=number_id)  # the brand's number it was tapped on
        if delivery.survey_answer(choice.get("id"), Channel.WHATSAPP, ids, origin, sent_at, key):
            return
    contact = people.get(user_id or "") or people.get(phone or "") or {}
    profile = as_dict(contact.get("profile"))
    delivery.messages.append(
        InboundMessage.on(
            Channel.WHATSAPP,
            dedup_key=f"whatsapp:{wamid}",
            # The phone when Meta shares it (the API writes to it); else the user id.
            reply_to=ReplyTarget(
                account_id=number_id, conversation_id=phone or user_id, message_id=wamid
            ),
            author=Author(
                id=sender,
                handle=as_str(profile.get("username")) or as_str(contact.get("username")),
                display_name=as_str(profile.get("name")),
                aliases=[phone] if user_id and phone else None,
            ),
            text=describe(kind, message),
            content_type=kind,
            sent_at=sent_at,
            received_at=received_at,
            attachments=attachments.whatsapp(kind, message),
        )
    )


def _change(kind: str, message: dict, sent_at: datetime, delivery: ParsedDelivery) -> None:
    body = as_dict(message.get(kind))
    original = shaped(body.get("original_message_id"), "original_message_id", MESSAGE_ID)
    text = None
    if kind == "edit":
        edited = as_dict(body.get("message"))
        text = describe(as_str(edited.get("type")) or "unknown", edited)
    delivery.changes.append(
        MessageChange.of(
            channel=Channel.WHATSAPP,
            kind=ChangeKind.EDITED if kind == "edit" else ChangeKind.DELETED,
            original_key=f"whatsapp:{original}",
            text=text,
            changed_at=sent_at,
        )
    )


def describe(kind: str, message: dict) -> str:
    """Readable text for every WhatsApp message type, so a department can act on it."""
    body = as_dict(message.get(kind))
    if kind == "text":
        return as_str(body.get("body")) or "[empty message]"
    if kind in _MEDIA:
        label = kind
        if kind == "audio" and body.get("voice"):
            label = "voice note"
        if kind == "document" and as_str(body.get("filename")):
            label = f"document: {as_str(body.get('filename'))}"
        caption = as_str(body.get("caption"))
        return f"[{label}] {caption}" if caption else f"[{label}]"
    if kind == "location":
        place = ", ".join(p for p in (as_str(body.get("name")), as_str(body.get("address"))) if p)
        coords = f"({body.get('latitude')}, {body.get('longitude')})"
        return f"[location] {place} {coords}".replace("  ", " ").strip()
    if kind == "contacts":
        people = [
            as_str(as_dict(as_dict(c).get("name")).get("formatted_name")) or "contact"
            for c in as_list(message.get("contacts"))
        ]
        return "[contacts] " + ", ".join(people) if people else "[contacts]"
    if kind == "interactive":
        return _interactive(body)
    if kind == "button":
        return f"[button] {as_str(body.get('text')) or ''}".strip()
    if kind == "order":
        return _order(body)
    return f"[{kind[:30]} message: not supported by WhatsApp Cloud API]"


def _interactive(body: dict) -> str:
    flow = as_dict(body.get("nfm_reply"))
    if flow:
        return _flow_answers(flow)
    choice = as_dict(body.get("button_reply")) or as_dict(body.get("list_reply"))
    title = as_str(choice.get("title")) or as_str(choice.get("id")) or ""
    description = as_str(choice.get("description"))
    return f"[choice] {title}{f' ({description})' if description else ''}".strip()


def _flow_answers(flow: dict) -> str:
    """A WhatsApp Flow the customer completed: its answers, one per line."""
    try:
        answers = json.loads(as_str(flow.get("response_json")) or "{}")
    except (ValueError, RecursionError):
        answers = {}
    lines = [
        f"{key}: {_answer(value)}"
        for key, value in as_dict(answers).items()
        if key != "flow_token"  # Meta's correlation token, not an answer
    ]
    title = as_str(flow.get("name")) or "flow"
    return "\n".join([f"[form: {title}]", *lines]) if lines else f"[form: {title}] (no answers)"


def _answer(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_answer(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_answer(v)}" for k, v in value.items())
    return str(value)


def _order(body: dict) -> str:
    items = []
    for item in as_list(body.get("product_items")):
        item = as_dict(item)
        product = as_str(item.get("product_retailer_id")) or "product"
        price = item.get("item_price")
        currency = as_str(item.get("currency")) or ""
        cost = f" ({price} {currency})".replace(" )", ")") if price is not None else ""
        items.append(f"{item.get('quantity', 1)} x {product}{cost}")
    note = as_str(body.get("text"))
    lines = [f"[order] {len(items)} item(s)", *items, *([note] if note else [])]
    return "\n".join(lines)
