"""The console's actions on a case (area `actions`): JSON under
/console/api/cases/{id}/<action>, and the case page's forms under /console/cases/{id}/<action>
(their CSRF field already checked by the console's router). A form's answer is a redirect
back to the case with a short notice; a refusal is a short page (409 naming who holds a
claimed case). What a reply did is what the outbound use case says it did."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from markupsafe import escape

from socialcare.app import console_actions as actions
from socialcare.app import console_replies as replies
from socialcare.app.console_routing import RoutingDependencies, derive
from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare.domain.console_users import ConsoleAction, ConsoleUser
from socialcare.presentation.console.actions_words import reason, words
from socialcare.presentation.console.requests import ConsoleRequest, Response, Route
from socialcare.presentation.console.responses import json_response
from socialcare.presentation.http import LINK_PAGE_HEADERS


@dataclass
class ActionsArea:
    """The `actions` area's dependencies (bootstrap/console_actions.py builds them)."""

    replies: replies.ReplyDependencies
    cases: actions.CaseActionDependencies
    routing: RoutingDependencies
    # Where emails link to the console: ACTIONS_BASE_URL where set (the local stack), else
    # the address the request came to (the links' domain, or the API's own).
    console_url: str = ""


_CONFLICTS = {
    "closed",
    "not_closed",
    "unchanged",
    "author_has_open_case",
    "same_department",
    "workflow_ended",
    "claims_private",
}


Endpoint = Callable[[ConsoleRequest, ConsoleUser, ActionsArea], Response]


def _reply(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
    visibility = _field(request, "visibility") or Visibility.PRIVATE.value
    if visibility not in set(Visibility):
        return _refused(request, "invalid")
    saved = _field(request, "saved_reply_id") or None
    # The form's saved reply replaces the text box's words; the API's names where an
    # edited text came from.
    text = "" if saved and not request.api else _field(request, "text")
    draft = ReplyDraft(
        case_id=_case_id(request),
        text=text,
        visibility=Visibility(visibility),
        author=user.username,
        language=_field(request, "language") or request.language,
        saved_reply_id=saved,
    )
    return _reply_answer(request, replies.reply(draft, area.replies))


def _reply_answer(request: ConsoleRequest, outcome: replies.ReplyOutcome) -> Response:
    if isinstance(outcome, replies.ReplyHeld):
        return _held(request, outcome.holder, outcome.until)
    if isinstance(outcome, replies.ReplyRefused):
        return _refused(request, outcome.reason.value)
    if isinstance(outcome, replies.ReplySubmitted):
        waiting: dict[str, Any] = {"result": "needs_approval", "approval_id": outcome.approval_id}
        waiting["reasons"] = list(outcome.reasons)
        return _done(request, 202, waiting, "reply_submitted")
    sent = outcome.outcome
    body: dict[str, Any] = {
        "result": sent.result.value,
        "delivered": sent.delivered,
        "kind": outcome.kind.value,
        "action_id": sent.action_id,
        "code": sent.code,
        "message_id": sent.message_id,
    }
    return _done(request, 200, body, f"reply_{sent.result.value}")


def _claim(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
    outcome = replies.claim(_case_id(request), user.username, area.replies)
    if isinstance(outcome, replies.ReplyHeld):
        return _held(request, outcome.holder, outcome.until)
    if isinstance(outcome, replies.ReplyRefused):
        return _refused(request, outcome.reason.value)
    body = {"holder": user.username, "until": outcome.until}
    return _done(request, 200, body, "claimed")


def _assign(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
    assignee = _field(request, "assignee")
    return _action(request, actions.assign(_case_id(request), assignee, user.username, area.cases))


def _correct(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
    field, value = _field(request, "field"), _field(request, "value")
    outcome = actions.correct(_case_id(request), field, value, user.username, area.cases)
    return _action(request, outcome)


def _close(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
    why, comment = _field(request, "reason"), _field(request, "comment")
    here = _here(request, area)
    outcome = actions.close(_case_id(request), why, comment, user.username, area.cases, here)
    return _action(request, outcome)


def _reopen(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
    return _action(request, actions.reopen(_case_id(request), user.username, area.cases))


def _crisis(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
    topic = _field(request, "topic")
    return _action(
        request, actions.mark_crisis(_case_id(request), topic, user.username, area.cases)
    )


def _note(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
    text = _field(request, "text")
    here = _here(request, area)
    outcome = actions.add_note(_case_id(request), text, user.username, area.cases, here)
    return _action(request, outcome)


def _derive(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
    department, note = _field(request, "department"), _field(request, "note")
    outcome = derive(_case_id(request), department, note, user.username, area.routing)
    return _action(request, outcome)


def _action(request: ConsoleRequest, outcome: actions.ActionOutcome | str) -> Response:
    if isinstance(outcome, str):
        return _refused(request, outcome)
    if isinstance(outcome, actions.ActionRefused):
        return _refused(request, outcome.reason.value)
    body: dict[str, Any] = {"result": "done", "action": outcome.action}
    if outcome.unreached:
        body["unreached"] = list(outcome.unreached)
    return _done(request, 200, body, "done")


def _here(request: ConsoleRequest, area: ActionsArea) -> str:
    """The console's address for emails: the configured one, else the API's own as the
    request reached it (API Gateway routes by it)."""
    return area.console_url or f"https://{request.headers.get('host', '')}"


def _case_id(request: ConsoleRequest) -> str:
    return request.path_params.get("id", "")


def _field(request: ConsoleRequest, name: str) -> str:
    source: Any = request.body_json if request.api else request.form
    value = source.get(name, "") if isinstance(source, dict) else ""
    return value if isinstance(value, str) else ""


def _done(request: ConsoleRequest, status: int, body: dict[str, Any], notice: str) -> Response:
    if request.api:
        return json_response(status, body)
    case_page = f"/console/cases/{quote(_case_id(request), safe='')}?notice={notice}"
    return {"statusCode": 303, "headers": {**LINK_PAGE_HEADERS, "Location": case_page}, "body": ""}


def _held(request: ConsoleRequest, holder: str, until: int) -> Response:
    if request.api:
        return json_response(409, {"error": "held", "holder": holder, "until": until})
    t = words(request.language)
    at = datetime.fromtimestamp(until, UTC).strftime("%H:%M UTC")
    return _page(request, 409, t["held_title"], t["held"].format(holder=holder, until=at))


def _refused(request: ConsoleRequest, code: str) -> Response:
    status = 404 if code == "not_found" else 409 if code in _CONFLICTS else 400
    status = 503 if code == "unavailable" else status
    if request.api:
        return json_response(status, {"error": code, "message": reason("en", code)})
    t = words(request.language)
    return _page(
        request, status, t["actions"], t["refused"].format(reason=reason(request.language, code))
    )


def _page(request: ConsoleRequest, status: int, title: str, line: str) -> Response:
    t = words(request.language)
    back = f"/console/cases/{quote(_case_id(request), safe='')}"
    page = (
        f'<!doctype html><html lang="{escape(request.language)}"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><main><h1>{escape(title)}</h1><p>{escape(line)}</p>"
        f'<p><a href="{escape(back)}">{escape(t["back"])}</a></p></main></html>'
    )
    headers = {"Content-Type": "text/html; charset=utf-8", **LINK_PAGE_HEADERS}
    return {"statusCode": status, "headers": headers, "body": page, "isBase64Encoded": False}


def _known_ids_only(endpoint: Endpoint) -> Endpoint:
    """A case id the stack could not have made is no case (and never a key looked up)."""

    def checked(request: ConsoleRequest, user: ConsoleUser, area: ActionsArea) -> Response:
        if CASE_ID.fullmatch(_case_id(request)) is None:
            return _refused(request, "not_found")
        return endpoint(request, user, area)

    return checked


_ACTIONS: tuple[tuple[str, ConsoleAction, Endpoint], ...] = (
    ("reply", ConsoleAction.REPLY, _reply),
    ("claim", ConsoleAction.REPLY, _claim),
    ("assign", ConsoleAction.ASSIGN, _assign),
    ("derive", ConsoleAction.DERIVE, _derive),
    ("correct", ConsoleAction.CORRECT, _correct),
    ("close", ConsoleAction.CLOSE, _close),
    ("reopen", ConsoleAction.REOPEN, _reopen),
    ("crisis", ConsoleAction.MARK_CRISIS, _crisis),
    ("notes", ConsoleAction.NOTE, _note),
)

ROUTES: list[Route] = [
    Route("POST", f"{base}/{{id}}/{name}", action, "actions", _known_ids_only(endpoint))
    for base in ("/console/api/cases", "/console/cases")
    for name, action, endpoint in _ACTIONS
]
