"""Synthetic deliveries for load and fault scenarios: real platform shapes (taken from the
samples in events/), unique message ids and authors, signed with the local secrets."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from socialcare_cli.samples import SIGNATURE_HEADERS, load_event, raw_body, signature_for

# Praise and spam are answered by the social team: triage closes them without a workflow,
# so a load of thousands of cases does not leave thousands of executions waiting for days.
TEXTS = (
    "¡Gracias por la atención de ayer, todo perfecto!",
    "Thanks a lot, great service from your team",
    "Enhorabuena por el servicio, un placer",
    "Free followers!!! check my bio link 🔥🔥",
)
# What a department must answer: triage derives these, each starts one workflow.
COMPLAINTS = (
    "Llevo tres semanas esperando al perito por el siniestro y nadie me llama",
    "Me habéis cobrado dos veces el recibo del seguro del coche, quiero la devolución",
)


@dataclass(frozen=True)
class Delivery:
    name: str
    platform: str
    event: dict[str, Any]
    messages: int  # customer messages inside (a Meta batch carries several)


def _signed(template: dict[str, Any], platform: str, body: dict[str, Any], secrets) -> dict:
    event = copy.deepcopy(template)
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    event["body"] = raw.decode()
    event["isBase64Encoded"] = False
    event["headers"][SIGNATURE_HEADERS[platform]] = signature_for(platform, raw, secrets)
    return event


def deliveries(
    count: int,
    secrets: dict[str, str],
    root,
    texts: tuple[str, ...] = TEXTS,
    at: datetime | None = None,
    first: int = 0,
) -> Iterator[Delivery]:
    """`count` distinct deliveries, cycling over the channels and `texts`; every 7th is a
    Meta batch of three Facebook comments. `at`: when the customers wrote (the samples'
    own times otherwise, days ago: every messaging window closed)."""
    samples = {
        name: load_event(root / "events" / f"{name}.json")
        for name in (
            "meta_facebook_comment",
            "meta_messenger_message",
            "meta_instagram_comment",
            "meta_instagram_dm",
            "meta_whatsapp_text",
            "x_mention",
            "x_dm",
            "telegram_message",
        )
    }
    bodies = {name: json.loads(raw_body(event)) for name, event in samples.items()}
    builders = BUILDERS
    for number in range(first, first + count):
        text = texts[number % len(texts)]
        if number % 7 == 6:
            body = copy.deepcopy(bodies["meta_facebook_comment"])
            entry = body["entry"][0]
            entry["changes"] = [
                _facebook(copy.deepcopy(bodies["meta_facebook_comment"]), f"{number}-{k}", text)[
                    "entry"
                ][0]["changes"][0]
                for k in range(3)
            ]
            event = _signed(samples["meta_facebook_comment"], "meta", dated(body, at), secrets)
            yield Delivery(f"meta_batch_{number}", "meta", event, 3)
            continue
        name, platform, build = builders[number % len(builders)]
        body = dated(build(copy.deepcopy(bodies[name]), str(number), text), at)
        yield Delivery(
            f"{name}_{number}", platform, _signed(samples[name], platform, body, secrets), 1
        )


def resigned(event: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The sample `event` carrying `body` instead, signed with the local secrets."""
    from socialcare_cli.local.stack import local_secrets

    platform = event["pathParameters"]["platform"]
    return _signed(event, platform, body, local_secrets({}))


def dated(body: dict, at: datetime | None) -> dict:
    """The delivery's times set to `at`, in each platform's own fields and units."""
    if at is None:
        return body
    seconds, millis = int(at.timestamp()), int(at.timestamp() * 1000)
    for entry in body.get("entry") or []:
        entry["time"] = seconds
        for event in entry.get("messaging") or []:
            event["timestamp"] = millis
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if "created_time" in value:
                value["created_time"] = seconds
            for message in value.get("messages") or []:
                message["timestamp"] = str(seconds)
    for tweet in body.get("tweet_create_events") or []:
        tweet["timestamp_ms"] = str(millis)
    for event in body.get("direct_message_events") or []:
        event["created_timestamp"] = str(millis)
    if isinstance(body.get("message"), dict):
        body["message"]["date"] = seconds
    return body


def _facebook(body: dict, key: str, text: str) -> dict:
    value = body["entry"][0]["changes"][0]["value"]
    # Comment ids are digits, as Facebook's: batched ones ("20-0") under a post of their own.
    batched = "-" in key
    post = "998877665545" if batched else "998877665544"
    value["comment_id"] = f"{post}_{key.replace('-', '0')}"
    # Batched comments ("20-0") get their own prefix: "61" + "20" + "0" was the author of
    # comment 200, and one author's second message joins the first one's open case.
    author = f"62{key.replace('-', '')}" if batched else f"61{key}"
    value["from"] = {"id": author, "name": "Synthetic Author"}
    value["message"] = text
    return body


def _messenger(body: dict, key: str, text: str) -> dict:
    event = body["entry"][0]["messaging"][0]
    event["sender"]["id"] = f"73{key}"
    event["message"]["mid"] = f"m_synthetic_{key}"
    event["message"]["text"] = text
    return body


def _instagram_comment(body: dict, key: str, text: str) -> dict:
    value = body["entry"][0]["changes"][0]["value"]
    value["id"] = f"181{key}"
    value["from"] = {"id": f"178{key}", "username": f"synthetic{key}"}
    value["text"] = text
    return body


def _whatsapp(body: dict, key: str, text: str) -> dict:
    value = body["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = f"346{key}"
    message = value["messages"][0]
    message["from"] = f"346{key}"
    message["id"] = f"wamid.synthetic.{key}"
    message["text"] = {"body": text}
    return body


def _tweet(body: dict, key: str, text: str) -> dict:
    tweet = body["tweet_create_events"][0]
    tweet["id_str"] = tweet["id"] = f"1861{key}"
    tweet.pop("extended_tweet", None)
    tweet["text"] = f"@SegurosMarea {text}"
    user = {"id_str": f"2200{key}", "id": int(f"2200{key}"), "screen_name": f"synthetic{key}"}
    tweet["user"] = {**tweet["user"], **user}
    return body


def _x_dm(body: dict, key: str, text: str) -> dict:
    event = body["direct_message_events"][0]
    event["id"] = f"1862{key}"
    event["message_create"]["sender_id"] = f"2201{key}"
    event["message_create"]["message_data"]["text"] = text
    users = body.get("users", {})
    if users:
        template = next(iter(users.values()))
        body["users"] = {
            **{k: v for k, v in users.items() if k == "1500000000000000001"},
            f"2201{key}": {**template, "id": f"2201{key}"},
        }
    return body


def _telegram(body: dict, key: str, text: str) -> dict:
    body["update_id"] = int(f"9{key}")
    message = body["message"]
    message["from"]["id"] = message["chat"]["id"] = int(f"5{key}")
    message["message_id"] = int(key)
    message["text"] = text
    return body


# Each sample event, its platform, and what writes a new message into its body.
BUILDERS: tuple[tuple[str, str, Callable[[dict, str, str], dict]], ...] = (
    ("meta_facebook_comment", "meta", _facebook),
    ("meta_messenger_message", "meta", _messenger),
    ("meta_instagram_comment", "meta", _instagram_comment),
    ("meta_instagram_dm", "meta", _messenger),
    ("meta_whatsapp_text", "meta", _whatsapp),
    ("x_mention", "x", _tweet),
    ("x_dm", "x", _x_dm),
    ("telegram_message", "telegram", _telegram),
)
