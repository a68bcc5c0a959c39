"""Issue #30's alert probes, over HTTP to the local stack: a wave of complaints on one
topic (one crisis alert naming the topic as configured, listing the cases with links that
open), a low score followed up through the alert's link as an attacker and a double
click would use it (a forged key, a forged form, the form posted again), and the social
team's mail counted per case (at most one email a case, urgent cases excepted)."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from socialcare.config.loaders import routing_config
from socialcare.presentation.rendering import strings
from socialcare_cli.local.stack import LocalStack
from socialcare_cli.page_text import csrf_token, first_match
from socialcare_cli.reliability.common import post_delivery, sample_payload, wait_until
from socialcare_cli.reliability.survey_cases import FORM, resolve
from socialcare_cli.samples import http_request

BILLING = "Me habéis cobrado dos veces el recibo, es una vergüenza"
_SERIAL = itertools.count(1)


def alert_probes(stack: LocalStack, api: str, wave: int) -> dict[str, Any]:
    routing = routing_config()
    crisis = _crisis_wave(stack, api, wave, routing)
    follow_up = _follow_up(stack, api)
    # The alerts (urgent, crisis, low score) are never held back: the rest is bounded.
    team = Counter(
        case_id
        for email in stack.outbox()
        if set(email["to"]) & set(routing.social_team.emails) and "/5]" not in email["subject"]
        for case_id in _case_ids(stack)
        if case_id in email["subject"]
    )
    found = {**crisis, **follow_up, "team_emails_per_case_max": max(team.values(), default=0)}
    ok = (
        crisis["crisis_alerts"] == 1
        and crisis["topic_named"]
        # the alert lists every case it counts (up to 20): more than the threshold
        and crisis["cases_listed"] == crisis["cases_counted"] > routing.crisis.negative_cases
        # every case listed has a link that opens, or says it was still in triage (counted
        # by one container while another had not yet written its triage and its link)
        and crisis["links_opening"] == crisis["links"]
        and crisis["links"] + crisis["listed_in_triage"] == crisis["cases_listed"]
        and follow_up["statuses"]
        == {"forged key 404": 1, "page 200": 1, "forged form 403": 1, "sent 200": 1, "again 410": 2}
        and follow_up["messages_to_customer"] == 1
        and found["team_emails_per_case_max"] <= 1
    )
    return {"sent": {"complaints": wave, "follow_up_posts": 4}, "found": found, "ok": ok}


def _crisis_wave(stack: LocalStack, api: str, wave: int, routing: Any) -> dict[str, Any]:
    """`wave` customers complain of a double charge within seconds (threshold: more than
    `crisis.negative_cases`)."""
    for _ in range(wave):
        assert post_delivery(api, "telegram", _complaint(BILLING)).status == 200
    wait_until(lambda: len(_case_ids(stack)) == wave and _all_triaged(stack))
    contacts = set(routing.crisis.contacts)
    alerts = wait_until(lambda: [m for m in stack.outbox() if set(m["to"]) & contacts] or None)
    alert = alerts[0]
    links = [u for u in alert["links"] if "/publish/" in u]
    in_triage = strings(routing.crisis_language)["crisis_case_in_triage"]
    opening = sum(http_request("GET", url, {}).status == 200 for url in links)
    return {
        "crisis_alerts": len(alerts),
        "cases_counted": int(first_match(r"\d+", alert["subject"])),
        "topic_named": routing.topic_name("billing", routing.default_language) in alert["subject"],
        "cases_listed": sum(case_id in alert["text"] for case_id in _case_ids(stack)),
        "links": len(links),
        "links_opening": opening,
        "listed_in_triage": alert["text"].count(in_triage),
    }


def _follow_up(stack: LocalStack, api: str) -> dict[str, Any]:
    """A Telegram customer rates the resolved answer 1; the alert's link is then opened
    with a forged key, posted with a forged form, posted, and posted twice more."""
    before = set(_case_ids(stack))
    assert post_delivery(api, "telegram", _complaint("Nadie me llama por el siniestro")).status
    case_id = wait_until(lambda: next(iter(set(_case_ids(stack)) - before), None))
    resolve(stack, case_id)
    case = wait_until(lambda: (c := stack.get_case(case_id)) and c.get("survey_sent_at") and c)
    assert post_delivery(api, "telegram", _tap(case_id, int(case["author"]["id"]))).status == 200
    alert = wait_until(lambda: next((m for m in stack.outbox() if "1/5" in m["subject"]), None))
    urls = [u for u in alert["links"] if "/follow-up/" in u]
    if len(urls) != 1:  # nothing to act with
        return {"statuses": {}, "messages_to_customer": 0, "follow_up_links": len(urls)}
    url = urls[0]
    statuses: Counter[str] = Counter()
    forged = url[:-1] + ("A" if url[-1] != "A" else "B")
    statuses[f"forged key {http_request('GET', forged, {}).status}"] += 1
    page = http_request("GET", url, {})
    statuses[f"page {page.status}"] += 1
    token = csrf_token(page.body)
    text = "Hola, sentimos lo ocurrido: ¿nos cuentas qué falló?"
    for label, csrf in (
        ("forged form", "x" * 32),
        ("sent", token),
        ("again", token),
        ("again", token),
    ):
        answer = http_request(
            "POST", url, FORM, urlencode({"csrf_token": csrf, "text": text}).encode()
        )
        statuses[f"{label} {answer.status}"] += 1
    calls = [c for c in stack.platforms.calls_made() if text in str(c["body"])]
    return {"statuses": dict(statuses), "messages_to_customer": len(calls)}


def _complaint(text: str) -> dict[str, Any]:
    """A Telegram customer not seen before writes `text`."""
    n = next(_SERIAL)
    payload = sample_payload("telegram_message")
    payload["update_id"] += 30_000 + n
    message = payload["message"]
    message["message_id"] += 30_000 + n
    message["from"]["id"] = message["chat"]["id"] = 830_000_000 + n
    message["text"] = text
    return payload


def _tap(case_id: str, user: int, score: int = 1) -> dict[str, Any]:
    """The customer's tap on the survey's button (https://core.telegram.org/bots/api#callbackquery)."""
    n = next(_SERIAL)
    return {
        "update_id": 918_300_000 + n,
        "callback_query": {
            "id": f"53017{n:05d}",
            "from": {"id": user, "is_bot": False, "first_name": "Ana", "language_code": "es"},
            "message": {"message_id": 10001, "chat": {"id": user, "type": "private"}},
            "chat_instance": "-734631",
            "data": f"csat:{case_id}:{score}",
        },
    }


def _case_ids(stack: LocalStack) -> list[str]:
    return [c["id"] for c in stack.list_cases()]


def _all_triaged(stack: LocalStack) -> bool:
    return all(c["status"] != "new" and "triage" in c for c in stack.list_cases())
