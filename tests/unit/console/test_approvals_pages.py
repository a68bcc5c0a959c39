"""The approvals area's endpoints through the console's router, over fakes: roles, the
JSON API, the pages and their forms, and words that say what happened."""

from __future__ import annotations

import json

from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.presentation.console.approvals_pages import ApprovalsArea
from socialcare.presentation.console.approvals_routes import ROUTES
from socialcare.presentation.console.pages import PageKit
from tests.unit.console.approval_fakes import a_case, a_draft, approval_deps
from tests.unit.console.console_calls import call
from tests.unit.console.saved_reply_fakes import saved_reply_deps

ANA = ConsoleUser("ana", frozenset({Role.AGENT}), session="s")
PABLO = ConsoleUser("pablo", frozenset({Role.APPROVER}), session="p")
CARLA = ConsoleUser("carla", frozenset({Role.COMMUNITY_MANAGER}), session="c")
AUTHORITY = a_case(flags=("authority_mentioned",))


def _area(result: str = "sent") -> ApprovalsArea:
    return ApprovalsArea(
        approval_deps(AUTHORITY, result=result),
        saved_reply_deps(AUTHORITY),
        PageKit(csrf=lambda who: f"csrf-{who.username}"),
    )


def _call(area, user, method, path, **sent):
    return call(ROUTES, area, user, method, path, **sent)


def _submitted(area):
    from socialcare.app.approvals import submit_for_approval

    return submit_for_approval(a_draft(), area.approvals).approval


def test_an_approver_approves_through_the_api_and_is_told_it_was_sent():
    # Given a reply ana put to an approver
    area = _area()
    approval = _submitted(area)

    # When ana (an agent) and then pablo (an approver) approve it through the API
    refused = _call(area, ANA, "POST", f"/console/api/approvals/{approval.id}/approve", body={})
    done = _call(area, PABLO, "POST", f"/console/api/approvals/{approval.id}/approve", body={})
    again = _call(area, PABLO, "POST", f"/console/api/approvals/{approval.id}/approve", body={})

    # Then the agent is refused, the approver's goes once and says so, a second is 409
    assert refused["statusCode"] == 403
    body = json.loads(done["body"])
    assert done["statusCode"] == 200 and body["result"] == "sent" and body["gone"] is True
    assert again["statusCode"] == 409
    assert len(area.approvals.send_reply.sent) == 1


def test_the_waiting_list_gives_each_reply_s_reasons_in_the_person_s_words():
    # Given a waiting reply
    area = _area()
    _submitted(area)

    # When the list is read
    response = _call(area, ANA, "GET", "/console/api/approvals")

    # Then it carries the reason's key and its words
    [listed] = json.loads(response["body"])["approvals"]
    assert listed["reasons"][0]["key"] == "authority_mentioned"
    assert listed["reasons"][0]["text"].startswith("El cliente menciona")
    assert listed["author"] == "ana" and listed["state"] == "waiting"


def test_the_approvals_page_offers_forms_to_approvers_only_and_never_for_their_own():
    # Given a reply by ana, and one by pablo
    area = _area()
    _submitted(area)
    from socialcare.app.approvals import submit_for_approval

    submit_for_approval(a_draft("Lo vemos.", author="pablo"), area.approvals)

    # When ana and pablo open the page
    as_agent = _call(area, ANA, "GET", "/console/approvals")["body"]
    as_approver = _call(area, PABLO, "GET", "/console/approvals")["body"]

    # Then ana sees no form; pablo sees one for ana's, none for his own, with the CSRF field
    assert "/approve" not in as_agent
    assert as_approver.count('action="/console/approvals/') == 2  # approve and return of one
    assert 'name="csrf" value="csrf-pablo"' in as_approver
    assert "No puedes aprobar" in as_approver


def test_an_approval_whose_send_is_blocked_is_never_called_sent_on_the_page():
    # Given a reply whose send the rules block
    area = _area(result="blocked")
    approval = _submitted(area)

    # When pablo approves it with the form, and follows the redirect
    posted = _call(
        area, PABLO, "POST", f"/console/approvals/{approval.id}/approve", form={"csrf": "x"}
    )
    location = posted["headers"]["Location"]
    path, query = location.split("?", 1)
    page = _call(area, PABLO, "GET", path, query=query)["body"]

    # Then the page says it was approved but not sent
    assert posted["statusCode"] == 303
    assert "no se ha enviado" in page and "Enviada al cliente" not in page


def test_a_return_needs_a_comment_and_the_writer_reads_it_on_the_case_s_list():
    # Given a waiting reply
    area = _area()
    approval = _submitted(area)

    # When pablo returns it without a comment, then with one
    empty = _call(area, PABLO, "POST", f"/console/api/approvals/{approval.id}/return", body={})
    path = f"/console/approvals/{approval.id}/return"
    _call(area, PABLO, "POST", path, form={"csrf": "x", "comment": "Sin fechas."})
    page = _call(area, ANA, "GET", "/console/approvals", query=f"case={AUTHORITY.id}")["body"]

    # Then the first is refused, and ana reads the comment on the case's list
    assert empty["statusCode"] == 400
    assert "Devuelta por pablo" in page and "Sin fechas." in page


def test_saved_replies_are_read_by_everyone_and_managed_by_community_managers():
    # Given the saved replies
    area = _area()
    fields = {"title": "Horario", "texts": {"es": "Hola, {nombre}: de 9 a 18."}, "tags": ["faq"]}

    # When an agent and a community manager create one, and the agent lists them
    by_agent = _call(area, ANA, "POST", "/console/api/saved-replies", body=fields)
    by_manager = _call(area, CARLA, "POST", "/console/api/saved-replies", body=fields)
    listed = _call(area, ANA, "GET", "/console/api/saved-replies", query="q=horario")

    # Then only the manager's is kept, and the agent reads it
    assert by_agent["statusCode"] == 403 and by_manager["statusCode"] == 201
    assert [r["id"] for r in json.loads(listed["body"])["saved_replies"]] == ["horario"]


def test_a_saved_reply_is_edited_from_its_version_and_filled_for_a_case():
    # Given a saved reply at version 1
    area = _area()
    body = {"title": "Horario", "texts": {"es": "Hola, {nombre}: caso {caso}."}}
    _call(area, CARLA, "POST", "/console/api/saved-replies", body=body)
    path = "/console/api/saved-replies/horario"

    # When carla and diego both save an edit of version 1, and ana fills it for a case
    first = _call(area, CARLA, "PUT", path, body={**body, "title": "Horarios", "version": 1})
    second = _call(area, CARLA, "PUT", path, body={**body, "title": "Horas", "version": 1})
    one = _call(area, ANA, "GET", path, query=f"case={AUTHORITY.id}")

    # Then the first is version 2, the second is refused showing it, the case's id is in
    assert first["statusCode"] == 200 and json.loads(first["body"])["version"] == 2
    assert second["statusCode"] == 409
    assert json.loads(second["body"])["current"]["title"] == "Horarios"
    shown = json.loads(one["body"])
    assert AUTHORITY.id in shown["filled"] and "{caso}" not in shown["filled"]
    assert [v["version"] for v in shown["history"]] == [2, 1]


def test_the_saved_replies_pages_search_and_edit_with_history():
    # Given a saved reply approved for crises
    area = _area()
    form = {"csrf": "x", "title": "Cobros", "text_es": "Lo revisamos.", "crisis_approved": "1"}
    created = _call(area, CARLA, "POST", "/console/saved-replies", form=form)

    # When carla edits it with the page's form, and ana searches
    edit = {**form, "version": "1", "action": "save", "text_es": "Lo estamos revisando."}
    _call(area, CARLA, "POST", "/console/saved-replies/cobros", form=edit)
    page = _call(area, CARLA, "GET", "/console/saved-replies/cobros")["body"]
    search = _call(area, ANA, "GET", "/console/saved-replies", query="q=revisando")["body"]

    # Then the history has both versions, the list marks it approved for crises
    assert created["statusCode"] == 303
    assert "Versión 2 · carla" in page and "text.es" in page
    assert "Aprobada para crisis" in search and 'href="/console/saved-replies/cobros"' in search
    assert 'method="post" action="/console/saved-replies"' not in search  # agent: no form
    as_manager = _call(area, CARLA, "GET", "/console/saved-replies")["body"]
    assert 'method="post" action="/console/saved-replies"' in as_manager
