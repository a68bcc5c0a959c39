"""Nothing the brand says may be false, probed over HTTP as a community manager would:
Facebook complaints commented 1 hour, 6, 8 and 10 days ago, some whose private reply
Graph refuses (past its 7 days as Graph counts them), and WhatsApp chats 1 hour and 2
days old, each published from its link: the page as offered, the form posted again (a
second click), and a stale form with the suggested promise and a private reply (a second
tab). Found: a public reply saying "we have written to you privately" where no private
reply went; anything the platforms received twice; a closed window the page did not tell
before «Publicar»; a timeline that records other words than the ones sent (WhatsApp's
template)."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from socialcare.config.loaders import outbound_config
from socialcare_cli.local.stack import LocalStack, project_root
from socialcare_cli.reliability.common import send_owed_emails
from socialcare_cli.samples import HttpAnswer, http_request, load_event, raw_body, send_event
from socialcare_cli.synthetic import dated, resigned

COMPLAINT = "Llevo tres semanas esperando al perito y nadie me llama. Esto es una vergüenza."
BILLING = "Me habéis cobrado dos veces el recibo, quiero la devolución"
# The promise of the suggested public reply (config/replies.yaml), in both languages.
PROMISES = ("mensaje privado para revisar", "sent you a private message")
COMMENT_AGES = (timedelta(hours=1), timedelta(days=6), timedelta(days=8), timedelta(days=10))
CHAT_AGES = (timedelta(hours=1), timedelta(days=2))


def truth_probes(stack: LocalStack, api: str, rounds: int) -> dict[str, Any]:
    found: Counter[str] = Counter()
    now = datetime.now(UTC)
    ages: dict[str, timedelta] = {}  # the customer's message id -> its age
    graph_ages: dict[str, timedelta] = {}  # a comment's id -> its age as Graph counts it
    for n in range(rounds):
        age = COMMENT_AGES[n % len(COMMENT_AGES)]
        refused = n % 3 == 2 and age < timedelta(days=7)  # Graph counts it past 7 days
        comment, event = _comment(n, now - age)
        ages[comment] = age
        graph_ages[comment] = age + (timedelta(days=8) if refused else timedelta())
        _send(api, event, found)
        chat, event = _chat(n, now - CHAT_AGES[n % len(CHAT_AGES)])
        ages[chat] = CHAT_AGES[n % len(CHAT_AGES)]
        _send(api, event, found)
    stack.wait_until_triaged(timeout=60)
    comments: dict[str, timedelta] = {}  # case id -> the comment's age
    chats: dict[str, timedelta] = {}
    for listed in stack.list_cases():
        case = stack.get_case(listed["id"]) or {}
        message_id = (case.get("reply_to") or {}).get("message_id")
        if message_id in graph_ages:
            comments[case["id"]] = ages[message_id]
            stack.platforms.state.comments[message_id].at = now - graph_ages[message_id]
        elif message_id in ages:
            chats[case["id"]] = ages[message_id]
    send_owed_emails(stack)  # the crisis's team copies, in the team's digest
    links = _publish_links(stack, set(comments) | set(chats))
    for case_id, url in links.items():
        _publish(url, case_id, comments, chats, found)
    found["case without a publish link"] = len(set(comments) | set(chats)) - len(links)
    _judge(stack, comments, chats, found)
    return {
        "sent": len(comments) + len(chats),
        "found": {k: v for k, v in found.items() if v},
        "ok": not any(found.values()),
    }


def _sample_body(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    event = load_event(project_root() / "events" / f"{name}.json")
    return event, json.loads(raw_body(event))


def _send(api: str, event: dict[str, Any], found: Counter[str]) -> None:
    status = send_event(api, event).status
    found[f"delivery answered {status}"] += status != 200


def _comment(n: int, at: datetime) -> tuple[str, dict[str, Any]]:
    event, body = _sample_body("meta_facebook_comment")
    value = body["entry"][0]["changes"][0]["value"]
    value["comment_id"] = f"998877665544_8800{n}"
    value["from"] = {"id": f"618800{n}", "name": f"Lucía{n}"}
    value["message"] = COMPLAINT
    return value["comment_id"], resigned(event, dated(body, at))


def _chat(n: int, at: datetime) -> tuple[str, dict[str, Any]]:
    event, body = _sample_body("meta_whatsapp_text")
    value = body["entry"][0]["changes"][0]["value"]
    phone = f"3460088{n:04d}"
    value["contacts"] = [{"profile": {"name": "Javier Ruiz"}, "wa_id": phone}]
    message = value["messages"][0]
    message.update({"from": phone, "id": f"wamid.truth{n}", "text": {"body": BILLING}})
    return message["id"], resigned(event, dated(body, at))


def _publish_links(stack: LocalStack, cases: set[str]) -> dict[str, str]:
    links: dict[str, str] = {}
    for email in stack.outbox():
        for url in email["links"]:
            found = re.search(r"/publish/(\d{8}-[0-9a-f]{16})\.", url)
            if found and found.group(1) in cases:
                links[found.group(1)] = url
    return links


def _publish(
    url: str,
    case_id: str,
    comments: dict[str, timedelta],
    chats: dict[str, timedelta],
    found: Counter[str],
) -> None:
    page = http_request("GET", url, {}).body.decode()
    before = _words(page.split("<button", 1)[0])
    chat_closed = chats.get(case_id, timedelta()) > timedelta(hours=24)
    comment_closed = comments.get(case_id, timedelta()) > timedelta(days=7)
    if (chat_closed and "plantilla" not in before) or (comment_closed and "7 días" not in before):
        found["closed window not said before Publicar"] += 1
    csrf = _field(page, "csrf_token") or ""
    offered = {k: v for k in ("public_text", "private_text") if (v := _field(page, k))}
    _post(url, {"csrf_token": csrf, **offered})
    _post(url, {"csrf_token": csrf, **offered})  # a second click
    stale = {"csrf_token": csrf, "private_text": "Hola, te llamamos hoy."}
    if case_id in comments:  # a second tab, opened before: the promise, as suggested
        stale["public_text"] = (
            "Hola, gracias. Te hemos enviado un mensaje privado para revisar tu caso."
        )
    _post(url, stale)


def _judge(
    stack: LocalStack,
    comments: dict[str, timedelta],
    chats: dict[str, timedelta],
    found: Counter[str],
) -> None:
    sent = stack.platforms.state.sent
    done = Counter((s["platform"], s["kind"], s["target"]) for s in sent)
    found["sent twice"] = sum(count > 1 for count in done.values())
    privately = {s["target"] for s in sent if s["kind"] == "private_reply"}
    for reply in (s for s in sent if s["kind"] == "comment_reply"):
        promised = any(p in (reply["text"] or "") for p in PROMISES)
        found["public promise without a private reply"] += promised and (
            reply["target"] not in privately
        )
    template = outbound_config().whatsapp_template
    if template is None:
        raise ValueError("config/outbound.yaml names no whatsapp_template: closed chats unjudged")
    body = template.body
    for case_id, age in chats.items():
        case = stack.get_case(case_id) or {}
        said = [e["data"] for e in case.get("timeline", []) if e["kind"] == "outbound_sent"]
        expected = body if age > timedelta(hours=24) else None
        for event in said:
            if expected and event.get("text") != expected:
                found["timeline words other than the template sent"] += 1


def _post(url: str, form: dict[str, str]) -> HttpAnswer:
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return http_request("POST", url, headers, urlencode(form).encode())


def _field(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', page) or re.search(
        rf'name="{name}" value="([^"]*)"', page
    )
    return html.unescape(found.group(1)) if found else None


def _words(page: str) -> str:
    body = page.split("</style>")[-1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))
