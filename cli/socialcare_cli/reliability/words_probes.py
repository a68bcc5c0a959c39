"""Customers choose words: display names that are a mention, a tag, a link, 60 characters,
a right-to-left override, a letter under 30 combining accents, Hangul fillers or blank
braille cells, and text with an override, sent over HTTP as Facebook comments (with a
phone: hidden, answered by the automatic notice), X mentions and Telegram messages. What
the brand would say (the suggested replies, the publish form, the automatic notice, the
X post) must name none of them; no email, page or cases.csv cell may carry a control that
reorders or hides text, or a letter that shows nothing; and afterwards no log line may
hold a capability (a publish, survey or action link, a report signature, a token)."""

from __future__ import annotations

import html
import json
import re
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack, project_root
from socialcare_cli.page_text import csrf_token
from socialcare_cli.reliability.common import in_crisis, send_owed_emails
from socialcare_cli.reliability.personal_data import capabilities_in, stack_secrets
from socialcare_cli.samples import http_request, load_event, raw_body, send_event
from socialcare_cli.synthetic import dated, resigned

OVERRIDE = "\u202e"
ZALGO = "A" + "\u0301" * 30
HANGUL_FILLERS, BRAILLE_BLANKS = "\u3164\u3164", "\u2800 \u2800"
NAMES = (
    "@third_party",
    "#tag",
    "https://x.y",
    "Ana" + "a" * 57,
    f"Ana{OVERRIDE}evil",
    ZALGO,
    HANGUL_FILLERS,
    BRAILLE_BLANKS,
)
# What none of the brand's words may hold: the names' tell-tale parts.
TELLS = (
    "@",
    "#",
    "http",
    "x.y",
    "Anaaaaaaaaa",
    "evil",
    OVERRIDE,
    "\u0301\u0301",
    "\u3164",
    "\u2800",
)
PHONE = "Mi teléfono es 612 345 678, llamadme ya por el siniestro, nadie me atiende"
TEXT = f"Me habéis cobrado dos veces el recibo del seguro {OVERRIDE}oiránecse"
# Unicode TR9's embeddings, overrides and isolates, and characters that show nothing.
_LINK_KEY = re.compile(r"/(?:publish|survey|actions)/(?:\d{8}-[0-9a-f]{16}\.)?([\w-]{32})")
# Letters and symbols that show nothing (Hangul fillers, a blank braille cell).
CONTROLS = set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200e\u200f\u061c\u2060\ufeff"
    "\u115f\u1160\u3164\uffa0\u2800\U0001d159"
)


def words_probes(stack: LocalStack, api: str, log_path: Path) -> dict[str, Any]:
    found: Counter[str] = Counter()
    now = datetime.now(UTC)
    for n, name in enumerate(NAMES):
        for build in (_facebook_comment, _x_mention, _telegram):
            answer = send_event(api, build(name, n, now))
            found[f"delivery answered {answer.status}"] += answer.status != 200
    stack.wait_until_triaged()
    emails = _emails_once_derived(stack, timeout=60)
    replies = _suggested_replies(stack)
    found.update(f"name in suggested {kind}" for kind, text in replies if _tells(text))
    sent = stack.platforms.state.sent
    notices = [s["text"] for s in sent if s["platform"] == "facebook" and s["text"]]
    found["name in automatic notice"] = sum(map(_tells, notices))
    for email in emails:
        for part in ("subject", "text", "html"):
            found[f"control in email {part}"] += _has_control(email[part])
    publish_links = [u for e in emails for u in e["links"] if "/publish/" in u]
    published = Counter(_publish(url, found) for url in publish_links)
    x_posts = [s["text"] for s in stack.platforms.state.sent if s["kind"] == "tweet_reply"]
    for post in x_posts:
        handle, said = post.split(" ", 1)
        found["X post not led by its author"] += not re.fullmatch(r"@words\d", handle)
        found["name in X post"] += _tells(said)
    rows = _cases_csv(stack)
    found["control in cases.csv"] = sum(map(_has_control, rows))
    stored = [m["text"] for c in stack.list_cases() for m in c["messages"]]
    found["text not kept as written"] = sum(TEXT not in t and t != PHONE for t in stored)
    logged = log_path.read_text(encoding="utf-8", errors="replace")
    found.update(capabilities_in(logged, [*stack_secrets(stack), *_links_keys(emails)]))
    problems = {k: v for k, v in found.items() if v}
    return {
        "sent": {
            # escaped: an override in the results would reorder whatever shows them
            "names": [_shown(n) for n in NAMES],
            "deliveries": 3 * len(NAMES),
        },
        "found": {
            "suggested_replies": len(replies),
            "automatic_notices": len(notices),
            "emails": len(emails),
            "publish_pages": len(publish_links),
            "published": dict(published),
            "x_posts": len(x_posts),
            "cases_csv_rows": len(rows),
            "log_bytes": len(logged),
            "problems": problems,
        },
        "ok": not problems and all((replies, notices, emails, publish_links, x_posts, rows)),
    }


def _sample_body(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    event = load_event(project_root() / "events" / f"{name}.json")
    return event, json.loads(raw_body(event))


def _facebook_comment(name: str, n: int, now: datetime) -> dict[str, Any]:
    event, body = _sample_body("meta_facebook_comment")
    value = body["entry"][0]["changes"][0]["value"]
    value["comment_id"] = f"998877665544_7700{n}"
    value["from"] = {"id": f"617700{n}", "name": name}
    value["message"] = PHONE
    return resigned(event, dated(body, now))


def _x_mention(name: str, n: int, now: datetime) -> dict[str, Any]:
    event, body = _sample_body("x_mention")
    tweet = body["tweet_create_events"][0]
    tweet["id_str"] = tweet["id"] = f"18617700{n}"
    tweet.pop("extended_tweet", None)
    tweet["text"] = f"@SegurosMarea {TEXT}"
    user = {"id_str": f"2200770{n}", "id": int(f"2200770{n}"), "screen_name": f"words{n}"}
    tweet["user"] = {**tweet["user"], **user, "name": name}
    return resigned(event, dated(body, now))


def _telegram(name: str, n: int, now: datetime) -> dict[str, Any]:
    event, body = _sample_body("telegram_message")
    body["update_id"] = int(f"97700{n}")
    message = body["message"]
    message["from"] = {**message["from"], "id": int(f"57700{n}"), "first_name": name}
    message["from"].pop("last_name", None)
    message["chat"] = {**message["chat"], "id": int(f"57700{n}")}
    message["message_id"] = int(f"7700{n}")
    message["text"] = TEXT
    return resigned(event, dated(body, now))


def _emails_once_derived(stack: LocalStack, timeout: float) -> list[dict[str, Any]]:
    """Every email, once each derived case's department and social team have theirs (a
    case counted in a crisis: the team's copy goes in the team's digest, sent last)."""
    deadline = time.monotonic() + timeout
    while True:
        derived = [c for c in stack.list_cases() if c["status"] == "derived"]
        emails = stack.outbox()
        copies = [e for e in emails if any(u for u in e["links"] if "/publish/" in u)]
        done = all(
            sum(case["id"] in e["subject"] for e in emails) >= (1 if in_crisis(case) else 2)
            for case in derived
        )
        if (done and copies) or time.monotonic() > deadline:
            send_owed_emails(stack)
            return stack.outbox()
        time.sleep(0.5)


def _suggested_replies(stack: LocalStack) -> list[tuple[str, str]]:
    found = []
    for case in stack.list_cases():
        suggested = (case.get("triage") or {}).get("suggested_replies") or {}
        found += [(kind, text) for kind, text in suggested.items() if isinstance(text, str)]
    return found


def _publish(url: str, found: Counter[str]) -> str:
    """Open the social team's publish link, read the pre-filled replies, publish them."""
    page = http_request("GET", url, {})
    if page.status != 200:
        return f"page {page.status}"
    shown = page.body.decode()
    found["control in publish page"] += _has_control(shown)
    form = {"csrf_token": csrf_token(shown)}
    for field in ("public_text", "private_text"):
        text = re.search(rf'name="{field}"[^>]*>([^<]*)</textarea>', shown)
        if text and text.group(1).strip():
            form[field] = html.unescape(text.group(1))
            found["name in publish form"] += _tells(form[field])
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return str(http_request("POST", url, headers, urlencode(form).encode()).status)


def _cases_csv(stack: LocalStack) -> list[str]:
    """Today's cases.csv, a line a case (the daily report, run now)."""
    result = stack.run_report("daily", time.strftime("%Y-%m-%d"))
    key = next(k for k in result["keys"] if k.endswith("cases.csv"))
    return (stack.report_file(key) or b"").decode().splitlines()[1:]


def _links_keys(emails: list[dict[str, Any]]) -> list[str]:
    """The keys of the links this scenario's emails carried: none may be in a log."""
    keys = set()
    for email in emails:
        for url in email["links"]:
            found = _LINK_KEY.search(url)
            if found:
                keys.add(found.group(1))
    return sorted(keys)


def _shown(name: str) -> str:
    escaped = name.encode("unicode_escape").decode()
    return escaped if len(name) < 20 else f"{escaped[:6]}... ({len(name)} characters)"


def _tells(text: str) -> bool:
    return any(tell in text for tell in TELLS)


def _has_control(text: str) -> bool:
    return any(c in CONTROLS for c in text)
