"""The approvals area's dependencies (replies waiting for an approver, saved replies),
over a Root's adapters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root
from socialcare.bootstrap import adapters as built
from socialcare.bootstrap.console_replies import approved_sending, console_audit

if TYPE_CHECKING:
    from socialcare.app.approvals import ApprovalDependencies
    from socialcare.app.saved_replies import SavedReplyDependencies
    from socialcare.presentation.console.approvals_pages import ApprovalsArea


def approvals(root: Root) -> ApprovalDependencies:
    from socialcare.adapters.dynamodb.approvals import DynamoDBApprovals
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.app.approvals import ApprovalDependencies
    from socialcare.config.loaders import approval_rules
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)
    cases = DynamoDBCaseReader(table)
    return ApprovalDependencies(
        store=DynamoDBApprovals(table),
        cases=cases,
        rules=approval_rules(),
        send_reply=approved_sending(root),  # the console's send_reply (the reply claim)
        clock=system_clock,
        audit=console_audit(root),
    )


def saved_replies(root: Root) -> SavedReplyDependencies:
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.saved_replies import DynamoDBSavedReplies
    from socialcare.app.saved_replies import SavedReplyDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)
    routing = routing_config()
    names = {key: department.name for key, department in routing.departments.items()}
    return SavedReplyDependencies(
        store=DynamoDBSavedReplies(table),
        cases=DynamoDBCaseReader(table),
        clock=system_clock,
        department_names=names,
    )


def dependencies(root: Root) -> ApprovalsArea:
    """The console's approvals area (bootstrap/console.py builds it on first use)."""
    from socialcare.bootstrap.console import page_kit
    from socialcare.presentation.console.approvals_pages import ApprovalsArea

    return ApprovalsArea(approvals(root), saved_replies(root), page_kit(root))


def seed_saved_replies(root: Root) -> list[str]:
    """The saved replies config/saved_replies.yaml gives that the stack lacks (the local
    stack's start); the ids created."""
    from socialcare.app.saved_replies import seed
    from socialcare.config.loaders import saved_reply_seeds

    return seed(saved_reply_seeds(), saved_replies(root))
