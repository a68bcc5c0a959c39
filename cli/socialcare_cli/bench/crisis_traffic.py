"""A crisis's deliveries: the platforms' real signed payloads (events/), one customer
message each, in the issue's mix: 30% negative messages on one topic the triage rules
recognise (billing), 5% replies to open cases (an earlier author writes again), 30%
redeliveries of earlier deliveries (the same signed body again), the rest new cases of
every kind (praise and spam the social team answers, complaints a department must)."""

from __future__ import annotations

import copy
import json
import random
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcare_cli.samples import load_event, raw_body
from socialcare_cli.synthetic import (  # the builders the load scenarios use
    BUILDERS,
    COMPLAINTS,
    TEXTS,
    _signed,
)

MIX = {"redelivery": 0.30, "reply": 0.05, "crisis": 0.30}  # the rest: other new cases
# Negative messages on billing, the topic of the crisis (routing.yaml's `topics:`).
CRISIS_TEXTS = (
    "Me habéis cobrado dos veces el recibo este mes, es una vergüenza, quiero la devolución",
    "Otro cargo que no reconozco en mi cuenta, me habéis cobrado de más. Indignante",
    "I was overcharged again on my bill this month, this is a disgrace",
    "Cobro duplicado en la factura y nadie contesta, fatal servicio",
)
_RECENT = 20_000  # platforms redeliver what they sent lately
_BUILDERS = BUILDERS


@dataclass(frozen=True)
class Arrival:
    kind: str  # crisis, new, reply, redelivery
    platform: str
    event: dict[str, Any]


class Traffic:
    """Deterministic (seeded): the same run counts the same calls."""

    def __init__(self, root: Path, secrets: dict[str, str], seed: int = 32) -> None:
        self._random = random.Random(seed)
        self._secrets = secrets
        self._samples = {
            name: load_event(root / "events" / f"{name}.json") for name, _, _ in _BUILDERS
        }
        self._bodies = {name: json.loads(raw_body(event)) for name, event in self._samples.items()}
        self._recent: deque[Arrival] = deque(maxlen=_RECENT)
        self._authors: deque[tuple[int, str]] = deque(maxlen=_RECENT)
        self._number = 0

    def next(self) -> Arrival:
        draw = self._random.random()
        if draw < MIX["redelivery"] and self._recent:
            earlier = self._recent[self._random.randrange(len(self._recent))]
            return Arrival("redelivery", earlier.platform, earlier.event)
        self._number += 1
        if draw < MIX["redelivery"] + MIX["reply"] and self._authors:
            author, text = self._authors[self._random.randrange(len(self._authors))]
            arrival = self._build(author, "reply", text, message=self._number)
        else:
            crisis = draw < MIX["redelivery"] + MIX["reply"] + MIX["crisis"]
            texts = CRISIS_TEXTS if crisis else TEXTS + COMPLAINTS
            text = texts[self._number % len(texts)]
            arrival = self._build(self._number, "crisis" if crisis else "new", text)
            if crisis or text in COMPLAINTS:  # an open case: praise and spam are closed
                self._authors.append((self._number, text))
        self._recent.append(arrival)
        return arrival

    def _build(self, author: int, kind: str, text: str, message: int | None = None) -> Arrival:
        name, platform, build = _BUILDERS[author % len(_BUILDERS)]
        body = build(copy.deepcopy(self._bodies[name]), str(author), text)
        if message is not None:
            _new_message_id(name, body, message)
        return Arrival(kind, platform, _signed(self._samples[name], platform, body, self._secrets))


def _new_message_id(name: str, body: dict[str, Any], number: int) -> None:
    """The author's own ids kept, the message's made new: a second message of theirs."""
    if name == "meta_facebook_comment":
        body["entry"][0]["changes"][0]["value"]["comment_id"] = f"998877665544_9{number}"
    elif name in ("meta_messenger_message", "meta_instagram_dm"):
        body["entry"][0]["messaging"][0]["message"]["mid"] = f"m_reply_{number}"
    elif name == "meta_instagram_comment":
        body["entry"][0]["changes"][0]["value"]["id"] = f"189{number}"
    elif name == "meta_whatsapp_text":
        body["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = f"wamid.reply.{number}"
    elif name == "x_mention":
        tweet = body["tweet_create_events"][0]
        tweet["id_str"] = tweet["id"] = f"1869{number}"
    elif name == "x_dm":
        body["direct_message_events"][0]["id"] = f"1868{number}"
    else:
        body["update_id"] = int(f"8{number}")
        body["message"]["message_id"] = number
