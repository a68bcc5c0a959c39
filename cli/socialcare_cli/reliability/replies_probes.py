"""Replies that fit the case (issue 30, finding 2), sent over HTTP as the customers of the
finding would write: accidents with people at risk from authors who are not customers
(Instagram DMs, Spanish and English, and a Facebook comment), a known customer on
WhatsApp, leads asking for a quote and a supplier. What the brand would say (the
suggested replies triage stores, the social team's publish form pre-fills) must give a
person at risk the emergency lines and ask them for nothing; greet the known customer by
name without asking who he is; give a lead a sales reply with a next step and a supplier
the purchasing contact; and nowhere count business hours, promise a maximum or greet
«Hola, ¿qué tal?»."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from socialcare_cli.local.stack import LocalStack, project_root
from socialcare_cli.samples import load_event, raw_body, send_event
from socialcare_cli.synthetic import dated, resigned

AT_RISK = (
    "Acabo de tener un accidente en la A-6 con mis hijos en el coche, estamos en el arcén",
    "Huele a gas en el portal después de la reparación que hicisteis, venid ya",
    "I just had a crash on the motorway with my kids in the car, we're on the hard shoulder",
)
LEADS = (
    "Hola, quería pedir presupuesto para un seguro de coche, ¿cuánto me costaría?",
    "¿Tenéis seguro de mascotas? Me gustaría contratarlo",
)
SUPPLIER = "Somos una empresa de limpieza y nos gustaría ofreceros nuestros servicios"
KNOWN = "Me habéis cobrado dos veces el recibo de este mes"  # from Javier Ruiz, on file
# The configuration's lines (config/routing.yaml: emergency, claims' emergency_line).
LINES = ("112", "900 000 000")
IDENTIFY = re.compile(r"póliza|\bDNI\b|identif|correo con el que|policy|signed up with", re.I)
PROMISES = re.compile(r"horas laborables|business hours|en un máximo de|\bwithin \d", re.I)


def replies_probes(stack: LocalStack, api: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    sent: dict[str, str] = {}  # what each author wrote, by the author's id
    for n, text in enumerate((*AT_RISK, *LEADS, SUPPLIER)):
        sent[_send(api, _instagram_dm(text, n, now))] = text
    sent[_send(api, _facebook_comment(AT_RISK[0], now))] = AT_RISK[0]
    sent[_send(api, _whatsapp_known(KNOWN, now))] = KNOWN
    stack.wait_until_triaged()
    found: Counter[str] = Counter()
    replies = 0
    for case in stack.list_cases():
        wrote = sent.get(case["author"]["id"])
        said = [
            reply
            for reply in ((case.get("triage") or {}).get("suggested_replies") or {}).values()
            if isinstance(reply, str)
        ]
        replies += len(said)
        found.update(_problems(wrote, said))
    problems = {k: v for k, v in found.items() if v}
    cases = len(stack.list_cases())
    return {
        "sent": {"deliveries": len(sent), "at_risk": len(AT_RISK) + 1, "leads": len(LEADS)},
        "found": {"cases": cases, "suggested_replies": replies, "problems": problems},
        "ok": not problems and cases == len(sent) and replies >= len(sent),
    }


def _problems(text: str | None, said: list[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    if text is None:
        found["a case nobody sent"] += 1
        return found
    everything = "\n".join(said)
    found["business hours or a maximum promised"] += bool(PROMISES.search(everything))
    found["«¿qué tal?» in a greeting"] += "¿qué tal?" in everything
    if text in AT_RISK:
        found["person at risk without the emergency lines"] += not all(
            line in everything for line in LINES
        )
        found["person at risk asked for paperwork"] += bool(IDENTIFY.search(everything))
    elif text == KNOWN:
        found["known customer not greeted by name"] += not everything.startswith("Hola, Javier:")
        found["known customer asked to identify"] += bool(IDENTIFY.search(everything))
    elif text in LEADS:
        found["lead without a sales next step"] += not (
            "Comercial" in everything and "teléfono" in everything
        )
        found["lead asked to identify"] += bool(IDENTIFY.search(everything))
    elif text == SUPPLIER:
        found["supplier without the contact"] += "proveedores@" not in everything
    return found


def _send(api: str, event_and_author: tuple[dict[str, Any], str]) -> str:
    event, author = event_and_author
    answer = send_event(api, event)
    if answer.status != 200:
        raise AssertionError(f"delivery answered {answer.status}")
    return author


def _sample_body(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    event = load_event(project_root() / "events" / f"{name}.json")
    return event, json.loads(raw_body(event))


def _instagram_dm(text: str, n: int, now: datetime) -> tuple[dict[str, Any], str]:
    """From an Instagram author who is not on the customers list."""
    event, body = _sample_body("meta_instagram_dm")
    messaging = body["entry"][0]["messaging"][0]
    author = f"98765330000{n:04d}"
    messaging["sender"]["id"] = author
    messaging["message"] = {"mid": f"aWdfcmVwbGllcw{n:04d}", "text": text}
    return resigned(event, dated(body, now)), author


def _facebook_comment(text: str, now: datetime) -> tuple[dict[str, Any], str]:
    event, body = _sample_body("meta_facebook_comment")
    value = body["entry"][0]["changes"][0]["value"]
    author = "6177003001"
    value["comment_id"] = "998877665544_33001"
    value["from"] = {"id": author, "name": "Marta López"}
    value["message"] = text
    return resigned(event, dated(body, now)), author


def _whatsapp_known(text: str, now: datetime) -> tuple[dict[str, Any], str]:
    """Javier Ruiz, whom config/customers.yaml lists (a policy on file)."""
    event, body = _sample_body("meta_whatsapp_text")
    value = body["entry"][0]["changes"][0]["value"]
    value["messages"][0]["id"] = "wamid.cmVwbGllcy1rbm93bg=="
    value["messages"][0]["text"] = {"body": text}
    return resigned(event, dated(body, now)), value["messages"][0]["from"]
