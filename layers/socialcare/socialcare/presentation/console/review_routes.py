"""The console's review of a case triage was unsure of (area `review`): a person confirms
its triage as it was, with `POST /console/api/cases/{id}/review` (JSON) or the case page's
form `POST /console/cases/{id}/review` (its CSRF field already checked by the console's
router). Confirming runs what triage would have done, once (app/case_review.py); to
change the triage instead, the actions area's correction."""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import escape

from socialcare.app.case_review import ReviewDependencies, ReviewResult, confirm_review
from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.console_users import ConsoleAction, ConsoleUser
from socialcare.domain.failures import Unavailable
from socialcare.presentation.console.requests import ConsoleRequest, Response, Route
from socialcare.presentation.console.responses import json_response
from socialcare.presentation.http import LINK_PAGE_HEADERS

_STATUS = {
    ReviewResult.CONFIRMED: 200,
    ReviewResult.ALREADY_REVIEWED: 409,
    ReviewResult.CLOSED: 409,
    ReviewResult.NOT_TRIAGED: 409,
    ReviewResult.NOT_FOUND: 404,
}
_WORDS = {
    "es": {
        "title": "Revisión del triaje",
        "already_reviewed": "Otra persona ya confirmó o corrigió este triaje.",
        "closed": "El caso ya está cerrado.",
        "not_triaged": "El caso aún no está clasificado.",
        "not_found": "No existe ese caso.",
        "unavailable": "No se pudo terminar ahora; vuelve a confirmarlo en unos minutos.",
        "back": "Volver al caso",
    },
    "en": {
        "title": "Triage review",
        "already_reviewed": "Someone else already confirmed or corrected this triage.",
        "closed": "The case is closed already.",
        "not_triaged": "The case is not triaged yet.",
        "not_found": "There is no such case.",
        "unavailable": "It could not be finished now; confirm it again in a few minutes.",
        "back": "Back to the case",
    },
}


def _confirm(request: ConsoleRequest, user: ConsoleUser, deps: ReviewDependencies) -> Response:
    case_id = request.path_params.get("id", "")
    if CASE_ID.fullmatch(case_id) is None:  # never a key looked up
        return _refused(request, case_id, 404, "not_found")
    try:
        outcome = confirm_review(case_id, user, deps)
    except Unavailable:  # the confirmation is kept: pressing again finishes it
        return _refused(request, case_id, 503, "unavailable")
    status = _STATUS[outcome.result]
    if status != 200:
        return _refused(request, case_id, status, outcome.result.value)
    then = outcome.then.value if outcome.then else None
    if request.api:
        return json_response(200, {"result": outcome.result.value, "then": then})
    page = f"/console/cases/{quote(case_id, safe='')}?notice=review_confirmed"
    return {"statusCode": 303, "headers": {**LINK_PAGE_HEADERS, "Location": page}, "body": ""}


def _refused(request: ConsoleRequest, case_id: str, status: int, code: str) -> Response:
    if request.api:
        return json_response(status, {"error": code, "message": _WORDS["en"][code]})
    t = _WORDS.get(request.language, _WORDS["es"])
    back = f"/console/cases/{quote(case_id, safe='')}"
    page = (
        f'<!doctype html><html lang="{escape(request.language)}"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(t['title'])}</title><main><h1>{escape(t['title'])}</h1>"
        f'<p>{escape(t[code])}</p><p><a href="{escape(back)}">{escape(t["back"])}</a></p>'
        "</main></html>"
    )
    headers = {"Content-Type": "text/html; charset=utf-8", **LINK_PAGE_HEADERS}
    return {"statusCode": status, "headers": headers, "body": page, "isBase64Encoded": False}


ROUTES: list[Route] = [
    Route("POST", "/console/api/cases/{id}/review", ConsoleAction.CORRECT, "review", _confirm),
    Route("POST", "/console/cases/{id}/review", ConsoleAction.CORRECT, "review", _confirm),
]
