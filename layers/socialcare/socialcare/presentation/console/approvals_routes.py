"""The approvals area's routes: replies waiting for an approver, and the saved replies
(the argumentario). JSON under /console/api/, pages and their forms elsewhere."""

from __future__ import annotations

from socialcare.domain.console_users import ConsoleAction
from socialcare.presentation.console import approvals_pages as approvals
from socialcare.presentation.console import saved_reply_pages as saved
from socialcare.presentation.console.requests import Route

AREA = "approvals"
READ, APPROVE = ConsoleAction.READ, ConsoleAction.APPROVE
MANAGE = ConsoleAction.MANAGE_SAVED_REPLIES

ROUTES: list[Route] = [
    Route("GET", "/console/api/approvals", READ, AREA, approvals.api_approvals),
    Route("POST", "/console/api/approvals/{id}/approve", APPROVE, AREA, approvals.api_approve),
    Route("POST", "/console/api/approvals/{id}/return", APPROVE, AREA, approvals.api_return),
    Route("GET", "/console/approvals", READ, AREA, approvals.approvals_page),
    Route("POST", "/console/approvals/{id}/approve", APPROVE, AREA, approvals.approve_form),
    Route("POST", "/console/approvals/{id}/return", APPROVE, AREA, approvals.return_form),
    Route("GET", "/console/api/saved-replies", READ, AREA, saved.api_list),
    Route("POST", "/console/api/saved-replies", MANAGE, AREA, saved.api_create),
    Route("GET", "/console/api/saved-replies/{id}", READ, AREA, saved.api_one),
    Route("PUT", "/console/api/saved-replies/{id}", MANAGE, AREA, saved.api_edit),
    Route("POST", "/console/api/saved-replies/{id}/retire", MANAGE, AREA, saved.api_retire),
    Route("GET", "/console/saved-replies", READ, AREA, saved.list_page),
    Route("POST", "/console/saved-replies", MANAGE, AREA, saved.create_form),
    Route("GET", "/console/saved-replies/{id}", READ, AREA, saved.one_page),
    Route("POST", "/console/saved-replies/{id}", MANAGE, AREA, saved.edit_form),
]
