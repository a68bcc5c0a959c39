"""The actions area's routes: JSON answers say what happened (a reply is "sent" only when
the platform took it; a claimed case is a 409 naming its holder), forms redirect back to
the case with a notice, and refusals are short pages in the person's language."""

from __future__ import annotations

import json

from socialcare.domain.console_users import ConsoleAction, ConsoleUser, Role
from socialcare.presentation.console.actions_routes import ROUTES, ActionsArea
from socialcare.presentation.console.requests import ConsoleRequest
from tests.outbound_fakes import ScriptedPlatform
from tests.unit.console.actions_fakes import CASE_ID, reply_dependencies
from tests.unit.console.test_actions_cases import a_store, case_deps, routing_deps

ANA = ConsoleUser("ana", frozenset({Role.AGENT}))
LUIS = ConsoleUser("luis", frozenset({Role.AGENT}))


def an_area(platform=None, mode="live") -> ActionsArea:
    store = a_store()
    return ActionsArea(
        replies=reply_dependencies(platform=platform, mode=mode),
        cases=case_deps(store),
        routing=routing_deps(store),
    )


def call(area, action, user=ANA, *, api=True, language="es", **fields):
    base = "/console/api/cases" if api else "/console/cases"
    [route] = [r for r in ROUTES if r.pattern == f"{base}/{{id}}/{action}"]
    request = ConsoleRequest(
        method="POST",
        path=f"{base}/{CASE_ID}/{action}",
        path_params={"id": CASE_ID},
        form={} if api else fields,
        body_json=fields if api else None,
        language=language,
        api=api,
    )
    return route.endpoint(request, user, area)


def test_every_action_has_a_json_route_and_a_form_route_with_its_permission():
    patterns = {(r.pattern, r.action) for r in ROUTES}
    assert ("/console/api/cases/{id}/reply", ConsoleAction.REPLY) in patterns
    assert ("/console/cases/{id}/crisis", ConsoleAction.MARK_CRISIS) in patterns
    assert len(ROUTES) == 18 and {r.area for r in ROUTES} == {"actions"}
    assert all(r.method == "POST" for r in ROUTES)


def test_a_json_reply_says_it_was_sent_only_when_the_platform_took_it():
    area = an_area()
    answer = call(area, "reply", text="Lo revisamos", visibility="public")
    body = json.loads(answer["body"])
    assert answer["statusCode"] == 200
    assert body["result"] == "sent" and body["delivered"] is True and body["message_id"]


def test_a_dry_run_reply_says_dry_run():
    body = json.loads(
        call(an_area(mode="dry_run"), "reply", text="Hola", visibility="public")["body"]
    )
    assert body["result"] == "dry_run" and body["delivered"] is True and not body["message_id"]


def test_a_reply_on_a_case_someone_else_holds_is_a_409_naming_them():
    area = an_area()
    assert call(area, "claim", LUIS)["statusCode"] == 200
    answer = call(area, "reply", ANA, text="Hola", visibility="public")
    assert answer["statusCode"] == 409
    assert json.loads(answer["body"])["holder"] == "luis"
    page = call(area, "reply", ANA, api=False, text="Hola", visibility="public")
    assert page["statusCode"] == 409 and "luis" in page["body"]
    assert "No se ha enviado nada" in page["body"]


def test_a_form_redirects_back_to_the_case_with_a_notice():
    answer = call(an_area(), "assign", api=False, assignee="luis")
    assert answer["statusCode"] == 303
    assert answer["headers"]["Location"] == f"/console/cases/{CASE_ID}?notice=done"


def test_a_refused_form_is_a_short_page_in_the_persons_language():
    answer = call(an_area(), "close", api=False, language="en", reason="bored")
    assert answer["statusCode"] == 400
    assert "invalid input" in answer["body"] and "<script" not in answer["body"]
    assert answer["headers"]["Content-Security-Policy"].startswith("default-src 'none'")


def test_json_refusals_name_their_reason_and_status():
    area = an_area()
    missing = call(area, "reply", text="")
    assert missing["statusCode"] == 400 and json.loads(missing["body"])["error"] == "empty"
    odd = call(area, "reply", text="Hola", visibility="shouted")
    assert odd["statusCode"] == 400 and json.loads(odd["body"])["error"] == "invalid"
    same = call(area, "correct", field="priority", value="P2")
    assert same["statusCode"] == 409 and json.loads(same["body"])["error"] == "unchanged"


def test_a_refused_platform_send_is_not_called_sent():
    from socialcare.domain.platform_errors import PlatformRefused

    area = an_area(platform=ScriptedPlatform([PlatformRefused("100", "gone")]))
    body = json.loads(call(area, "reply", text="Hola", visibility="public")["body"])
    assert body["result"] == "refused" and body["delivered"] is False


def test_an_id_the_stack_could_not_have_made_is_no_case():
    [route] = [r for r in ROUTES if r.pattern == "/console/api/cases/{id}/reply"]
    request = ConsoleRequest(
        method="POST",
        path="/console/api/cases/x/reply",
        path_params={"id": "x" * 3000},
        body_json={"text": "Hola"},
        api=True,
    )
    answer = route.endpoint(request, ANA, an_area())
    assert answer["statusCode"] == 404 and json.loads(answer["body"])["error"] == "not_found"
