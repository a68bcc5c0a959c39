"""The approvals area's replies waiting for an approver: the JSON API and the pages. What
an approval did is said as the send's result says it: "sent" only when it was."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote

from socialcare.app.approvals import (
    AlreadyDecided,
    ApprovalDependencies,
    ApprovalRefusal,
    ApprovalRefused,
    Approved,
    DecisionOutcome,
    approvals_of_case,
    approve,
    return_for_changes,
    waiting_approvals,
)
from socialcare.app.saved_replies import SavedReplyDependencies
from socialcare.domain.approvals import APPROVAL_ID, ApprovalState, PendingApproval
from socialcare.domain.case_ids import CASE_ID
from socialcare.domain.console_users import ConsoleAction, ConsoleUser
from socialcare.presentation.console.pages import PageKit, render_page, short_time
from socialcare.presentation.console.requests import ConsoleRequest, Response
from socialcare.presentation.console.responses import error, json_response, redirect
from socialcare.presentation.rendering import TEMPLATES

_REFUSALS = {
    ApprovalRefusal.NOT_FOUND: (404, "no such approval"),
    ApprovalRefusal.EMPTY: (400, "the text or comment is empty"),
    ApprovalRefusal.TOO_LONG: (400, "the text or comment is too long"),
    ApprovalRefusal.OWN_REPLY: (403, "an approver never decides on their own reply"),
    ApprovalRefusal.NOT_NEEDED: (400, "no rule holds this reply: send it"),
}


@dataclass(frozen=True)
class ApprovalsArea:
    approvals: ApprovalDependencies
    saved: SavedReplyDependencies
    kit: PageKit


@cache
def _all_words() -> dict[str, dict[str, Any]]:
    from socialcare.config.yaml_files import read_yaml

    return dict(read_yaml(TEMPLATES / "console" / "approvals_strings.yaml"))


def area_words(language: str) -> dict[str, Any]:
    table = _all_words()
    return table.get(language) or table["es"]


def approval_json(approval: PendingApproval, area: ApprovalsArea, language: str) -> dict:
    rules = area.approvals.rules
    return {
        "id": approval.id,
        "case_id": approval.case_id,
        "state": approval.state.value,
        "text": approval.draft.text,
        "visibility": approval.draft.visibility.value,
        "language": approval.draft.language,
        "author": approval.draft.author,
        "submitted_at": approval.submitted_at,
        "reasons": [{"key": r, "text": rules.reason(r, language)} for r in approval.reasons],
        "decided_by": approval.decided_by,
        "decided_at": approval.decided_at,
        "edited_text": approval.edited_text,
        "comment": approval.comment,
        "result": approval.result,
    }


def _listed(request: ConsoleRequest, area: ApprovalsArea) -> list[PendingApproval] | None:
    """The case's approvals (?case=<id>), or every waiting one; None: a bad case id."""
    case_id = request.query.get("case", "")
    if not case_id:
        return waiting_approvals(area.approvals)
    if not CASE_ID.fullmatch(case_id):
        return None
    return approvals_of_case(case_id, area.approvals)


def api_approvals(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    listed = _listed(request, area)
    if listed is None:
        return error(400, True, "case: not a case id")
    found = [approval_json(a, area, request.language) for a in listed]
    return json_response(200, {"approvals": found})


def _body(request: ConsoleRequest) -> dict[str, Any]:
    return request.body_json if isinstance(request.body_json, dict) else {}


def api_approve(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    text = _body(request).get("text")
    edited = text if isinstance(text, str) else None
    outcome = approve(request.path_params.get("id", ""), user.username, edited, area.approvals)
    return _decision_json(outcome, area, request.language)


def api_return(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    comment = _body(request).get("comment")
    outcome = return_for_changes(
        request.path_params.get("id", ""),
        user.username,
        comment if isinstance(comment, str) else "",
        area.approvals,
    )
    return _decision_json(outcome, area, request.language)


def _decision_json(outcome: DecisionOutcome, area: ApprovalsArea, language: str) -> Response:
    if isinstance(outcome, ApprovalRefused):
        status, message = _REFUSALS[outcome.reason]
        return error(status, True, message)
    body: dict[str, Any] = {"approval": approval_json(outcome.approval, area, language)}
    if isinstance(outcome, AlreadyDecided):
        return json_response(409, {**body, "error": "Conflict", "message": "decided already"})
    if isinstance(outcome, Approved):
        body.update(result=outcome.sent.result, gone=outcome.gone, detail=outcome.sent.detail)
    return json_response(200, body)


def approvals_page(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    listed = _listed(request, area)
    if listed is None:
        return error(400, False, "case: not a case id")
    a = area_words(request.language)
    done = request.query.get("done", "")
    shown = [_shown(approval, a, area, request.language) for approval in listed]
    return render_page(
        "console/approvals.html",
        request,
        user,
        area.kit,
        a=a,
        case_id=request.query.get("case", ""),
        approvals=shown,
        may_approve=user.may(ConsoleAction.APPROVE),
        username=user.username,
        done=next((s for s in shown if s["id"] == done), None),
        note=a.get(request.query.get("note", ""), "") if request.query.get("note") else "",
    )


def _shown(
    approval: PendingApproval, a: dict[str, Any], area: ApprovalsArea, language: str
) -> dict[str, Any]:
    shown = approval_json(approval, area, language)
    shown["at"] = short_time(approval.submitted_at)
    shown["state_words"] = _state_words(approval, a)
    return shown


def _state_words(approval: PendingApproval, a: dict[str, Any]) -> str:
    if approval.state is ApprovalState.WAITING:
        return str(a["approval_state_waiting"])
    if approval.state is ApprovalState.RETURNED:
        return str(a["approval_state_returned"].format(by=approval.decided_by))
    said = a["approval_state_approved"].format(by=approval.decided_by)
    key = f"result_{approval.result}" if approval.result else "result_none"
    return f"{said}. {a.get(key, a['result_none'])}"


def approve_form(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    approval_id = request.path_params.get("id", "")
    text = request.form.get("text")
    outcome = approve(approval_id, user.username, text, area.approvals)
    return _after_form(outcome, approval_id)


def return_form(request: ConsoleRequest, user: ConsoleUser, area: ApprovalsArea) -> Response:
    approval_id = request.path_params.get("id", "")
    comment = request.form.get("comment", "")
    outcome = return_for_changes(approval_id, user.username, comment, area.approvals)
    return _after_form(outcome, approval_id)


def _after_form(outcome: DecisionOutcome, approval_id: str) -> Response:
    """Back to the case's approvals, the decided one shown with what happened."""
    found = APPROVAL_ID.fullmatch(approval_id)
    if found is None or (
        isinstance(outcome, ApprovalRefused) and outcome.reason is ApprovalRefusal.NOT_FOUND
    ):
        return error(404, False, "no such approval")
    if isinstance(outcome, ApprovalRefused) and outcome.reason is not ApprovalRefusal.OWN_REPLY:
        return error(_REFUSALS[outcome.reason][0], False, _REFUSALS[outcome.reason][1])
    note = {ApprovalRefused: "own_reply", AlreadyDecided: "already_decided"}.get(type(outcome), "")
    where = f"/console/approvals?case={found[1]}&done={quote(approval_id)}"
    return redirect(f"{where}&note={note}" if note else where)
