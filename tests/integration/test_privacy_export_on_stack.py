"""An access export hands the person what is about them, never what acts for the stack: on
the local stack, customers whose cases are at every stage of their life (breached,
escalated, just derived, answered from the department's page, published and resolved with
a survey link) are exported with the README's command, and nothing in any export opens a
route of the actions function (/actions, /publish, /survey) over HTTP."""

from __future__ import annotations

import json
import re
from typing import Any

from socialcare.adapters.dynamodb.items import decode_item
from tests.conftest import sample
from tests.integration.test_case_workflow import telegram_complaint
from tests.integration.test_outbound_on_stack import browse, fresh
from tests.integration.test_privacy_on_stack import privacy
from tests.integration.test_surveys_on_stack import wait_until
from tests.integration.workflow_helpers import (
    FAST,
    SOCIAL_TEAM,
    SUPPORT,
    SUPPORT_LEAD,
    act,
    csrf_of,
    deliver_more,
    email_to,
    link,
    request,
    wait_for,
)

# Every capability the actions function takes: 32 URL-safe characters (an action link's
# id; a publish or survey link's key after its case id).
_CANDIDATE = re.compile(r"(?=([A-Za-z0-9_-]{32}))")
_CASE_ID = re.compile(r"\d{8}-[0-9a-f]{16}")


def capabilities_handed_out(stack) -> set[str]:
    """What acts, from where it was handed out: every link in the stack's emails and in
    what the platforms were sent, and every token the table keeps."""
    found: set[str] = set()
    sent = [str(s.get("text")) for s in stack.platforms.state.sent]
    links = [u for m in stack.outbox() for u in m["links"]] + [
        u for text in sent for u in re.findall(r"https?://\S+", text)
    ]
    for url in links:
        path = url.split("?")[0]
        for route in ("/actions/", "/publish/", "/survey/"):
            if route in path:
                found.add(path.rsplit("/", 1)[1].rsplit(".", 1)[-1])
    for item in stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]:
        found |= _tokens(decode_item(item))
    return found


def _tokens(node: Any) -> set[str]:
    if isinstance(node, dict):
        return {str(v) for k, v in node.items() if k.endswith("_token")} | {
            token for v in node.values() for token in _tokens(v)
        }
    if isinstance(node, list):
        return {token for v in node for token in _tokens(v)}
    return set()


def routes_opened(api: str, text: str) -> list[str]:
    """Each string of the export that a route of the actions function takes for one of
    its own (anything but 404: a link that no longer acts still shows a late answer's
    form)."""
    candidates = sorted(set(_CANDIDATE.findall(text)))
    case_ids = sorted(set(_CASE_ID.findall(text)))
    paths = [f"/actions/{c}" for c in candidates] + [
        f"/{route}/{case_id}.{c}"
        for route in ("publish", "survey")
        for case_id in case_ids
        for c in candidates
    ]
    opened = []
    for path in paths:
        if browse("GET", api + path).status != 404:
            opened.append(path)
    return opened


def export(capsys, api: str, tmp_path, platform: str, author: str) -> str:
    out = tmp_path / f"{platform}-{author}.json"
    code, said = privacy(
        capsys, "export", "--platform", platform, "--author", author, "--local", api, "-o", str(out)
    )
    assert code == 0, said
    return out.read_text()


def test_no_export_at_any_stage_of_a_case_holds_what_acts_for_the_stack(
    stack, api, tmp_path, capsys
):
    stack.set_outbound_mode("live")
    # Given a sales lead on X nobody answered at any level (closed as breached)
    stack.set_time_scale(FAST)
    breached = deliver_more(stack, sample("x_dm"))
    wait_for(stack, breached, lambda c: c.get("status") == "breached")
    # ... a Telegram complaint whose department let its deadline pass: its supervisor's
    # link waits (a real deadline from then on)
    escalated = deliver_more(stack, fresh("telegram_message", "telegram"))
    wait_for(stack, escalated, lambda c: c["status"] == "derived")
    stack.set_time_scale(1)
    email_to(stack, SUPPORT_LEAD, escalated)
    # ... a Telegram complaint just derived: its department's link waits
    derived = deliver_more(stack, telegram_complaint(1))
    wait_for(stack, derived, lambda c: c["status"] == "derived")
    # ... one its department answered in the chat from its page (the reply names the link)
    answered = deliver_more(stack, telegram_complaint(2))
    wait_for(stack, answered, lambda c: c["status"] == "derived")
    action_id = link(email_to(stack, SUPPORT, answered), "contacted")
    _, page = request(stack, "GET", action_id, query="do=contacted")
    status, _ = request(
        stack, "POST", action_id, csrf_token=csrf_of(page), action="contacted", reply="Devuelto"
    )
    assert status == 200
    wait_for(stack, answered, lambda c: c.get("survey_sent_at"))
    # ... and a Facebook comment the social team answered through its publish link, then
    # its department resolved: the customer was asked by a survey link
    text = "Llevo tres semanas esperando al perito por el siniestro y nadie me llama"
    published = deliver_more(stack, fresh("meta_facebook_comment", "meta", text))
    wait_for(stack, published, lambda c: c["status"] == "derived")
    [url] = [u for u in email_to(stack, SOCIAL_TEAM, published)["links"] if "/publish/" in u]
    form = browse("GET", url).body.decode()
    publish = {"csrf_token": csrf_of(form), "public_text": "Lo miramos"}
    assert browse("POST", url, publish).status == 200
    department = wait_until(
        lambda: next(
            (m for m in stack.outbox() if published in m["subject"] and SOCIAL_TEAM not in m["to"]),
            None,
        )
    )
    act(stack, link(department, "resolved"), "resolved")
    wait_for(stack, published, lambda c: c.get("survey_sent_at"))
    capabilities = capabilities_handed_out(stack)
    assert len(capabilities) > 10

    for case_id in (breached, escalated, derived, answered, published):
        case = stack.get_case(case_id)
        # When its customer asks for their data
        text = export(capsys, api, tmp_path, case["platform"], str(case["author"]["id"]))
        # Then the export has the case, and no capability handed out anywhere
        assert case_id in text and json.loads(text)["cases"]
        leaked = sorted(c for c in capabilities if c in text)
        assert leaked == [], f"{case['status']} case {case_id} exports {leaked}"
        # ... and nothing in it opens a page of the actions function
        assert routes_opened(api, text) == [], f"{case['status']} case {case_id}"
