"""Graph writes Meta did before answering 500, on busy threads: the social team publishes
replies to Facebook and Instagram comments, each already under 120 other people's
replies, while every Graph write is done and then answered 500 (code 2). Each comment
must end with the brand's reply exactly once (found newest first, or page by page, not
sent again), and a Graph call without its appsecret_proof must be refused as Meta does."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.reliability.outbound import _links_by_case, _publish, _settle
from socialcare_cli.samples import http_request, send_event
from socialcare_cli.synthetic import TEXTS, deliveries

CROWD = 120  # more than one page of 100: oldest first, the brand's reply is not on page 1
_COMMENTS = ("facebook_comment", "instagram_comment")


def graph_writes(stack: LocalStack, api: str, cases: int) -> dict[str, Any]:
    praise = tuple(t for t in TEXTS if "!!!" not in t)[:3]
    now = datetime.now(UTC)
    sample = [
        d
        for d in deliveries(cases * 4, local_secrets({}), project_root(), praise, now)
        if any(kind in d.name for kind in _COMMENTS)
    ][:cases]
    for delivery in sample:
        send_event(api, delivery.event)
    _settle(stack, timeout=max(60, cases * 2))
    comments = stack.platforms.state.comments
    for comment in list(comments.values()):  # busy threads
        field = "text" if comment.platform == "instagram" else "message"
        comment.replies.extend(
            {"id": f"crowd_{comment.id}_{n}", "from": {"id": "9"}, field: f"¡Y yo! {n}"}
            for n in range(CROWD)
        )
    stack.platforms.set_faults({"rate": 1, "kinds": ["acted_then_5xx"]})
    links = _links_by_case(stack)
    pages = Counter(
        _publish(stack, case["id"], links.get(case["id"], {}).get("publish"))
        for case in stack.list_cases()
        if case.get("publish_link")
    )
    stack.platforms.set_faults({"rate": 0})
    brand = Counter(
        comment.id
        for comment in comments.values()
        for reply in comment.replies
        if reply["from"]["id"] == comment.account_id
    )
    acted_then_5xx = sum(
        1
        for c in stack.platforms.calls_made()
        if c.get("fault") == "acted_then_5xx" and c["status"] == 500
    )
    found = {
        "comments": len(comments),
        "publish_pages": dict(pages),
        "writes_done_then_500": acted_then_5xx,
        "replied_once": sum(1 for n in brand.values() if n == 1),
        "replied_more_than_once": sum(1 for n in brand.values() if n > 1),
        "without_proof": _without_proof(stack),
    }
    found["ok"] = (
        acted_then_5xx > 0
        and found["replied_more_than_once"] == 0
        and found["replied_once"] == pages.get("200", 0) > 0
        and found["without_proof"] == {"status": 400, "code": 100}
    )
    return {
        "sent": {"comments": len(sample), "crowd_per_comment": CROWD},
        "found": found,
        "ok": found["ok"],
    }


def _without_proof(stack: LocalStack) -> dict[str, Any]:
    """A Graph call with a valid token and no appsecret_proof, as an attacker holding a
    leaked Page token would send it."""
    comment = next(iter(stack.platforms.state.comments), "0")
    token = stack.platforms.tokens["facebook_page_tokens"]["*"]
    answer = http_request(
        "POST",
        f"{stack.platforms.url}/v21.0/{comment}/comments",
        {"authorization": f"Bearer {token}", "content-type": "application/json"},
        json.dumps({"message": "hola"}).encode(),
    )
    try:
        code = json.loads(answer.body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        code = None
    return {"status": answer.status, "code": code}
