"""The department's action page, over HTTP, as a careless or hostile sender would post it
(issue 30, finding 8): one form with one token, titled in words, no department chosen
for it; "not ours" with no department, an empty one, its own or one that does not exist,
and a message to the customer with a choice other than "contacted", each refused (400)
with the link still acting and nothing sent to the customer; then a real answer goes
through once."""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack
from socialcare_cli.reliability.action_links import _csrf, _derive, _post
from socialcare_cli.samples import http_request

_FORMS = re.compile(rb"<form\b")
_TOKENS = re.compile(rb'name="csrf_token"')
_SELECTED = re.compile(rb'<option value="([^"]*)" selected>')
_H1 = re.compile(rb"<h1>(.*?)</h1>", re.DOTALL)
_FORM = {"content-type": "application/x-www-form-urlencoded"}
FORM_EXPIRED = b"Abrid de nuevo el enlace"


def pages_probes(stack: LocalStack, api: str) -> dict[str, Any]:
    found: Counter[str] = Counter()
    case, links = _derive(stack, api, "telegram_message")
    [url] = [link for link in links if link.endswith("?do=not_ours")]
    page = http_request("GET", url, {}).body
    found["forms on the page != 1"] = len(_FORMS.findall(page)) != 1
    found["csrf tokens on the page != 1"] = len(_TOKENS.findall(page)) != 1
    found["a department chosen for them"] = _SELECTED.findall(page) != [b""]
    heading = _H1.search(page)
    found["case id in the title"] = heading is None or case["id"].encode() in heading.group(1)
    token = _csrf(page)
    own = case["department"]
    sent_before = len(stack.platforms.state.sent)
    # What the page itself lets a person send (its refusal must say what to change, not
    # "open the link again"), then what only a forged form can (a department not offered).
    from_the_page = [
        {"action": "not_ours"},
        {"action": "not_ours", "department": ""},
        {"action": "resolved", "reply": "Hola, ya está."},
        {"action": "more_time", "reply": "Hola, ya está."},
    ]
    forged = [
        {"action": "not_ours", "department": own},
        {"action": "not_ours", "department": "nobody"},
    ]
    statuses: Counter[str] = Counter()
    for form in from_the_page + forged:
        body = urlencode({"csrf_token": token, **form}).encode()
        answer = http_request("POST", url.split("?")[0], _FORM, body)
        statuses[f"{form['action']}{'+reply' if 'reply' in form else ''} {answer.status}"] += 1
        found[f"bad form answered {answer.status}"] += answer.status != 400
        if form in from_the_page:
            found["refusal tells to open the link again"] += FORM_EXPIRED in answer.body
    found["link spent by a refused form"] = http_request("GET", url, {}).status != 200
    found["sent to the customer by a refused form"] = len(stack.platforms.state.sent) - sent_before
    other = next(key for key in ("claims", "sales", "legal") if key != own)
    answered = _post(url, csrf_token=token, action="not_ours", department=other)
    found[f"real answer answered {answered}"] += answered != 200
    found["department actions != 1"] = _department_actions(stack, case["id"]) != 1
    problems = {k: int(v) for k, v in found.items() if v}
    return {
        "sent": {"bad_forms": len(from_the_page) + len(forged), "answers": 1},
        "found": {"refused": dict(statuses), "problems": problems},
        "ok": not problems,
    }


def _department_actions(stack: LocalStack, case_id: str) -> int:
    """Once the workflow has recorded the answer (its own step, after the POST)."""
    deadline = time.monotonic() + 30
    while True:
        timeline = stack.case(case_id)["timeline"]
        actions = sum(e["kind"] == "department_action" for e in timeline)
        if actions or time.monotonic() > deadline:
            return actions
        time.sleep(0.1)
