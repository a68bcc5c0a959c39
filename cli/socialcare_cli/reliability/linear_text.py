"""Customer text handled in linear time: long messages shaped to make a regular expression
backtrack (`b-b-b-…` 10,000 characters, X's DM limit) must not hold up triage for the
other customers whose cases share their stream batch. Sent as an attacker would: signed
deliveries over HTTP to the local stack."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.samples import load_event, raw_body, send_event
from socialcare_cli.synthetic import _signed, _telegram, _x_dm

# X's limit for a Direct Message (https://docs.x.com/x-api/direct-messages/manage/introduction).
X_DM_LENGTH = 10_000
ATTACKERS = 6
# Normal prose of the same length: the fair floor for a 10,000-character message.
_NORMAL = "Llevo tres semanas esperando el reembolso del pedido y nadie me contesta. "
_SHAPES = {"normal": _NORMAL, "b-b-b": "b-"}
# An unrelated customer, whose case lands in the same batch as the long DMs.
_BYSTANDER = "Hola, ¿me podéis decir el horario de la oficina de Valencia?"
_SLOWER_AT_MOST = 3.0  # times the delay behind normal text of the same length
_WAIT_SECONDS = 150.0
_ROUNDS = 2


def _text(unit: str) -> str:
    return (unit * (X_DM_LENGTH // len(unit) + 1))[:X_DM_LENGTH]


def _round(stack: LocalStack, api: str, unit: str, first: int) -> tuple[float, list[int]]:
    """Six long X DMs, then the bystander's Telegram message: seconds from its delivery's
    answer until triage has read it, and the statuses the deliveries got."""
    x_event = load_event(project_root() / "events" / "x_dm.json")
    telegram_event = load_event(project_root() / "events" / "telegram_message.json")
    secrets = local_secrets({})
    statuses = []
    for n in range(first, first + ATTACKERS):
        body = _x_dm(copy.deepcopy(json.loads(raw_body(x_event))), str(n), _text(unit))
        statuses.append(send_event(api, _signed(x_event, "x", body, secrets)).status)
    key = str(first + ATTACKERS)
    body = _telegram(copy.deepcopy(json.loads(raw_body(telegram_event))), key, _BYSTANDER)
    statuses.append(send_event(api, _signed(telegram_event, "telegram", body, secrets)).status)
    written = time.monotonic()
    deadline = written + _WAIT_SECONDS
    while time.monotonic() < deadline:
        cases = stack.list_cases()
        bystander = [c for c in cases if any(m.get("text") == _BYSTANDER for m in c["messages"])]
        if bystander and bystander[0]["status"] != "new":
            return time.monotonic() - written, statuses
        time.sleep(0.1)
    return _WAIT_SECONDS, statuses


def linear_text(stack: LocalStack, api: str) -> dict[str, Any]:
    """The bystander's triage delay behind six 10,000-character `b-b-b-…` X DMs, against
    the delay behind six X DMs of normal text of the same length."""
    delays: dict[str, float] = dict.fromkeys(_SHAPES, 0.0)
    statuses: set[int] = set()
    for attempt in range(_ROUNDS):  # interleaved, the mean of each
        for number, (name, unit) in enumerate(_SHAPES.items()):
            stack.reset_data()
            delay, answers = _round(stack, api, unit, 7000 + attempt * 1000 + number * 100)
            delays[name] += delay / _ROUNDS
            statuses.update(answers)
    stack.wait_for_streams()
    ratio = delays["b-b-b"] / max(delays["normal"], 0.1)
    return {
        "sent": {
            "x_dms_per_round": ATTACKERS,
            "rounds_per_shape": _ROUNDS,
            "characters": X_DM_LENGTH,
            "shapes": list(_SHAPES),
            "bystander": "telegram",
        },
        "found": {
            "bystander_triage_seconds": {k: round(v, 2) for k, v in delays.items()},
            "ratio": round(ratio, 2),
            "delivery_statuses": sorted(statuses),
            "triage_batches_failed": stack.triage_failures(),
        },
        "ok": ratio <= _SLOWER_AT_MOST and statuses == {200} and stack.triage_failures() == 0,
    }
