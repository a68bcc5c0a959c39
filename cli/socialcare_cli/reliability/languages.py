"""One language per reader, met over HTTP as customers and departments meet it: X DMs in
English (X's DM events carry no language) and in Spanish, each with a phone number, are
derived to a Spanish department (customer service) or an English one (web IT); each
department resolves through its link (the page, then its form). Then what X received,
the survey pages and every email are read for the other language's words: a survey in
the brand's language for an English customer, «[phone]» in a Spanish email, a Spanish
prefix on an English copy."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from socialcare.config.loaders import routing_config
from socialcare_cli.local.stack import LocalStack
from socialcare_cli.page_text import csrf_token, first_match
from socialcare_cli.reliability.common import post_delivery, sample_payload, wait_until
from socialcare_cli.samples import http_request
from socialcare_cli.synthetic import dated

# (what the customer writes, the language they write in); the phone differs per message.
MESSAGES = (
    ("You charged me twice this month and nobody calls back. My phone is 612 345 {n:03d}", "en"),
    ("Your app login fails with an error since yesterday, call me on 612 345 {n:03d}", "en"),
    (
        "Me habéis cobrado dos veces el recibo y nadie me llama. Mi teléfono es 612 345 {n:03d}",
        "es",
    ),
)
# What the survey's question starts with, and its page says, in each language
# (config/surveys.yaml).
SURVEY = {"en": "We have closed your request", "es": "Hemos cerrado tu consulta"}
# Words of the other language a reader of each must never get (strings.yaml, labels.yaml).
FOREIGN = {
    "es": ("[phone]", "Case for you", "Please contact the customer", "Suggested reply"),
    "en": ("[teléfono]", "Caso derivado", "Contactad con el cliente", "Respuesta sugerida"),
}
_SURVEY_URL = re.compile(r"https?://\S+/survey/\S+")


def languages(stack: LocalStack, api: str, customers: int) -> dict[str, Any]:
    found: Counter[str] = Counter()
    stack.set_outbound_mode("live")
    written: dict[str, str] = {}  # the X message id -> the customer's language
    now = datetime.now(UTC)
    for n in range(customers):
        text, language = MESSAGES[n % len(MESSAGES)]
        message_id = f"18620000000000{n:05d}"
        answer = post_delivery(api, "x", _x_dm(text.format(n=n), message_id, n, now))
        found[f"delivery answered {answer.status}"] += answer.status != 200
        written[message_id] = language
    cases = wait_until(lambda: _derived(stack, len(written)), timeout=120)
    language_of = {c["id"]: written[c["reply_to"]["message_id"]] for c in cases}
    for case_id in language_of:
        found[f"resolve answered {_resolve(stack, case_id)}"] += 1
    wait_until(lambda: all(stack.case(c).get("survey_sent_at") for c in language_of), 120)
    surveys = [c for c in stack.platforms.calls_made() if "/survey/" in json.dumps(c["body"])]
    for call in surveys:
        text = str(call["body"].get("text", ""))
        [case_id] = [c for c in language_of if c in text]
        expected = language_of[case_id]
        found["survey DM in another language"] += not text.startswith(SURVEY[expected])
        page = http_request("GET", first_match(_SURVEY_URL, text), {}).body.decode()
        found["survey page in another language"] += SURVEY[expected] not in page
    found["surveys sent"] = len(surveys)
    readers = _readers()
    for email in stack.outbox():
        for address in email["to"]:
            words = FOREIGN[readers[address]]
            whole = f"{email['subject']}\n{email['text']}"
            found["email with the other language's words"] += any(w in whole for w in words)
    found["emails read"] = len(stack.outbox())
    mixed = ("survey DM in another language", "survey page in another language")
    ok = (
        found["surveys sent"] == len(language_of)
        and not any(found[k] for k in (*mixed, "email with the other language's words"))
        and found[f"resolve answered {200}"] == len(language_of)
    )
    sent = {"x_dms": customers, "resolved_through_links": len(language_of)}
    return {"sent": sent, "found": dict(found), "ok": ok}


def _x_dm(text: str, message_id: str, n: int, now: datetime) -> dict[str, Any]:
    """X's sample DM from its own sender, written now."""
    sample = json.dumps(sample_payload("x_dm")).replace("2200000000000000002", f"23{n:017d}")
    body = dated(json.loads(sample), now)
    [event] = body["direct_message_events"]
    event["id"] = message_id
    event["message_create"]["message_data"]["text"] = text
    return body


def _derived(stack: LocalStack, expected: int) -> list[dict[str, Any]] | None:
    cases = [c for c in stack.list_cases() if c["status"] == "derived"]
    return cases if len(cases) == expected else None


def _resolve(stack: LocalStack, case_id: str) -> int:
    """The department opens its email's "resolved" link and confirms on the page."""
    team = set(routing_config().social_team.emails)
    email = next(m for m in stack.outbox() if case_id in m["subject"] and not team & set(m["to"]))
    [url] = [u for u in email["links"] if u.endswith("?do=resolved")]
    page = http_request("GET", url, {}).body
    token = csrf_token(page)
    form = urlencode({"csrf_token": token, "action": "resolved"}).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return http_request("POST", url.split("?")[0], headers, form).status


def _readers() -> dict[str, str]:
    """Each address and the language it reads (routing.yaml)."""
    routing = routing_config()
    readers = dict.fromkeys(routing.social_team.emails, routing.social_team_language)
    for department in routing.departments.values():
        readers.update(dict.fromkeys(department.emails, department.language))
        supervisor = department.supervisor
        if supervisor is not None:
            language = supervisor.language or department.language
            readers.update(dict.fromkeys(supervisor.emails, language))
    readers.update(dict.fromkeys(routing.crisis.contacts, routing.crisis_language))
    return readers
