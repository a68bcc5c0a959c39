"""The local outbox: emails the emulated SES accepted, as a department would read them."""

from __future__ import annotations

import re
from email import message_from_string, policy
from typing import Any

_LINK = re.compile(r"https?://[^\s\"'<>]+")


def parse_sent(sent: Any) -> dict[str, Any]:
    raw = getattr(sent, "raw_data", None)
    if raw is None:  # a simple (non-MIME) message
        return {
            "id": sent.id,
            "to": list(sent.destinations.get("ToAddresses", [])),
            "subject": sent.subject,
            "text": sent.body,
            "html": sent.body,
            "links": sorted(set(_LINK.findall(sent.body))),
        }
    message = message_from_string(raw, policy=policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    text_content = text.get_content() if text else ""
    html_content = html.get_content() if html else ""
    return {
        "id": sent.id,
        "to": [address.strip() for address in str(message["To"]).split(",")],
        "subject": str(message["Subject"]),
        "text": text_content,
        "html": html_content,
        "links": list(dict.fromkeys(_LINK.findall(text_content))),
    }
