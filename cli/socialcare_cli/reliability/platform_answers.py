"""X's answers a careless client misreads, over HTTP on the local stack: replies X posts
and then answers 503 for (a seeded share), each published again by a person who saw the
page, and a brand past its X 24-hour cap publishing twice. No reply may be on X twice,
each one X acted on then answered 5xx must be `uncertain` on its case (never `refused`,
never resent), and a capped brand must not call X again before the cap resets."""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.samples import http_request, send_event
from socialcare_cli.synthetic import deliveries

_CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')


def platform_answers(stack: LocalStack, api: str, mentions: int) -> dict[str, Any]:
    now = datetime.now(UTC)
    sample = deliveries(mentions * 8, local_secrets({}), project_root(), at=now)
    for delivery in [d for d in sample if d.name.startswith("x_mention")][:mentions]:
        send_event(api, delivery.event)
    stack.wait_for_streams()
    links = _publish_links(stack, mentions)
    stack.platforms.set_faults({"rate": 0.5, "kinds": ["acted_then_5xx"], "seed": 29})
    for n, url in enumerate(links):
        _publish(url, f"Gracias por escribirnos ({n}).")
    stack.platforms.set_faults({"rate": 0})
    again = Counter(_publish(url, f"Gracias por escribirnos ({n}).") for n, url in enumerate(links))
    tweets = [s for s in stack.platforms.state.sent if s["platform"] == "x"]
    acted_then_5xx = [c for c in stack.platforms.calls_made() if c.get("fault")]
    timeline = Counter(e["kind"] for c in stack.list_cases() for e in _timeline(stack, c["id"]))
    capped = _capped(stack, api)
    duplicates = len(tweets) - len({s["text"] for s in tweets})
    return {
        "sent": {"publish_links": len(links), "fault": "acted_then_5xx", "rate": 0.5},
        "found": {
            "posted": len(tweets),
            "duplicates_on_x": duplicates,
            "acted_then_5xx": len(acted_then_5xx),
            "outbound_uncertain": timeline["outbound_uncertain"],
            "outbound_refused": timeline["outbound_refused"],
            "published_again": dict(again),
            "capped_brand_x_calls": capped,
        },
        "ok": bool(links)
        and duplicates == 0
        and len(tweets) == len(links)
        and timeline["outbound_uncertain"] == len(acted_then_5xx) > 0
        and timeline["outbound_refused"] == 0
        and capped == 1,
    }


def _capped(stack: LocalStack, api: str) -> int:
    """X calls made by a brand past its 24-hour cap publishing twice (one is right)."""
    stack.reset_data()
    now = datetime.now(UTC)
    sample = deliveries(8, local_secrets({}), project_root(), at=now)
    send_event(api, next(d for d in sample if d.name.startswith("x_mention")).event)
    stack.wait_for_streams()
    stack.platforms.x_rules.user_cap_24h = 0
    for url in _publish_links(stack, 1):
        _publish(url, "Gracias.")
        _publish(url, "Gracias.")
    return sum(1 for c in stack.platforms.calls_made() if c["platform"] == "x")


def _publish_links(stack: LocalStack, expected: int) -> list[str]:
    """The social team's publish links, once `expected` came or none came for 5 s (a
    troll's mention gets no link)."""
    links: list[str] = []
    quiet_until = time.monotonic() + 30
    while len(links) < expected and time.monotonic() < quiet_until:
        time.sleep(0.2)
        now = sorted({u for e in stack.outbox() for u in e["links"] if "/publish/" in u})
        if len(now) > len(links):
            links, quiet_until = now, time.monotonic() + 5
    return links


def _publish(url: str, text: str) -> int:
    page = http_request("GET", url, {})
    found = _CSRF.search(page.body)
    if page.status != 200 or not found:
        return page.status
    form = {"csrf_token": found.group(1).decode(), "public_text": text}
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return http_request("POST", url, headers, urlencode(form).encode()).status


def _timeline(stack: LocalStack, case_id: str) -> list[dict[str, Any]]:
    return (stack.get_case(case_id) or {}).get("timeline", [])
