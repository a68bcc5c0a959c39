"""The actions through the console function on the local stack (its router, the actions
area as the function builds it; who is signed in is fixed here, the access area's tokens
are tested on their own): two agents racing on one case over the JSON API, a form that
needs its CSRF field, and a group that may not act."""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import urlencode

from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.presentation.console.router import Console
from socialcare_cli.local.http import to_http_api_event
from socialcare_cli.local.stack import LocalStack
from tests.integration.console_actions_helpers import area_root
from tests.integration.workflow_helpers import derived_case

ANA = ConsoleUser("ana", frozenset({Role.AGENT}), session="s-ana")
LUIS = ConsoleUser("luis", frozenset({Role.AGENT}), session="s-luis")
EVA = ConsoleUser("eva", frozenset({Role.APPROVER}), session="s-eva")


def _console(stack: LocalStack, user: ConsoleUser) -> Console:
    from socialcare.bootstrap.console import area_dependencies, routes

    root = area_root(stack)
    return Console(
        routes=routes(),
        identify=lambda request: user,
        csrf_valid=lambda who, token: token == f"csrf-{who.username}",
        area=lambda area: area_dependencies(root, area),
    )


def _post(stack, user, path: str, *, json_body=None, form=None) -> dict[str, Any]:
    if form is not None:
        body, kind = urlencode(form).encode(), "application/x-www-form-urlencoded"
    else:
        body, kind = json.dumps(json_body or {}).encode(), "application/json"
    headers = {"content-type": kind, "host": "console.example"}
    event = to_http_api_event("POST", path, "", headers, body, "ANY /console/{proxy+}", {})
    return stack.function("ConsoleFunction").invoke(event, console=_console(stack, user))


def test_two_agents_racing_over_the_api_send_one_reply(stack):
    case_id = derived_case(stack)["id"]
    path = f"/console/api/cases/{case_id}/reply"
    answers: dict[str, dict[str, Any]] = {}
    start = threading.Barrier(2)

    def send(user: ConsoleUser) -> None:
        start.wait()
        answers[user.username] = _post(
            stack, user, path, json_body={"text": f"Soy {user.username}", "visibility": "private"}
        )

    threads = [threading.Thread(target=send, args=(u,)) for u in (ANA, LUIS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a["statusCode"] for a in answers.values())
    assert statuses == [200, 409], answers
    [won] = [json.loads(a["body"]) for a in answers.values() if a["statusCode"] == 200]
    [lost] = [json.loads(a["body"]) for a in answers.values() if a["statusCode"] == 409]
    assert won["result"] == "sent" and won["delivered"] is True
    assert lost["error"] == "held" and lost["holder"] in ("ana", "luis")
    assert len([s for s in stack.platforms.state.sent if s["kind"] == "message"]) == 1


def test_a_form_needs_its_csrf_field_and_redirects_back_with_a_notice(stack):
    case_id = derived_case(stack)["id"]
    path = f"/console/cases/{case_id}/notes"
    refused = _post(stack, ANA, path, form={"text": "mirad esto", "csrf": "forged"})
    assert refused["statusCode"] == 403
    done = _post(stack, ANA, path, form={"text": "mirad esto", "csrf": "csrf-ana"})
    assert done["statusCode"] == 303
    assert done["headers"]["Location"] == f"/console/cases/{case_id}?notice=done"
    notes = [e for e in stack.get_case(case_id)["timeline"] if e["kind"] == "note"]
    assert [n["data"]["by"] for n in notes] == ["ana"]


def test_an_approver_may_not_reply_or_close(stack):
    case_id = derived_case(stack)["id"]
    for action in ("reply", "close"):
        answer = _post(stack, EVA, f"/console/api/cases/{case_id}/{action}", json_body={})
        assert answer["statusCode"] == 403, answer
    assert stack.get_case(case_id).get("closed_at") is None
