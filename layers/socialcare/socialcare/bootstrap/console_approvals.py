"""The approvals area's dependencies (replies waiting for an approver, saved replies),
over a Root's adapters: approvals are sent as the console sends any reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root, use_cases

if TYPE_CHECKING:
    from socialcare.presentation.console.approvals_pages import ApprovalsArea


def dependencies(root: Root) -> ApprovalsArea:
    """The console's approvals area (bootstrap/console.py builds it on first use)."""
    from socialcare.app.approved_replies import ConsoleSending
    from socialcare.bootstrap.console import page_kit
    from socialcare.bootstrap.console_actions import console_audit, send_reply_dependencies
    from socialcare.presentation.console.approvals_pages import ApprovalsArea

    approvals = use_cases.approvals(root)
    approvals.send_reply = ConsoleSending(send_reply_dependencies(root))
    approvals.audit = console_audit(root)
    saved = use_cases.saved_replies(root)
    saved.audit = console_audit(root)
    return ApprovalsArea(approvals, saved, page_kit(root))


def seed_saved_replies(root: Root) -> list[str]:
    """The saved replies config/saved_replies.yaml gives that the stack lacks (the local
    stack's start); the ids created."""
    from socialcare.app.saved_replies import seed
    from socialcare.config.loaders import saved_reply_seeds

    return seed(saved_reply_seeds(), use_cases.saved_replies(root))
