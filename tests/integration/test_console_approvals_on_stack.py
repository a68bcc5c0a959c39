"""A console reply that needs an approver, on the local stack through the composition
root (the real adapters, the platform emulator): tried before approval it waits and
nothing goes; its writer cannot approve it; approved, it goes once, and the timeline says
who did what."""

from __future__ import annotations

from socialcare.app import console_replies
from socialcare.app.approvals import AlreadyDecided, ApprovalRefusal, ApprovalRefused, Approved
from socialcare.app.approvals import approve as approve_reply
from socialcare.bootstrap.console_actions import dependencies as actions_area
from socialcare.bootstrap.console_approvals import approvals as approvals_of
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare_cli.local.dependencies import stack_root
from tests.integration.test_outbound_on_stack import fresh
from tests.integration.workflow_helpers import deliver, kinds, wait_for

AUTHORITY = "Si no me lo solucionáis hoy pongo una reclamación en la OCU y en consumo"


def test_a_reply_to_an_authority_mention_waits_then_goes_once_approved(stack):
    # Given a Telegram chat whose customer mentions a consumer authority, triaged
    case_id = deliver(stack, fresh("telegram_message", "telegram", AUTHORITY))
    wait_for(stack, case_id, lambda c: c["status"] != "new")
    root = stack_root(stack)
    replies, approvals = actions_area(root).replies, approvals_of(root)
    draft = ReplyDraft(case_id, "Hola, lo revisamos contigo hoy.", Visibility.PRIVATE, "ana")

    # When ana sends a reply: it waits for an approver, and nothing goes
    outcome = console_replies.reply(draft, replies)
    assert isinstance(outcome, console_replies.ReplySubmitted), outcome
    assert "authority_mentioned" in outcome.reasons
    assert [s for s in stack.platforms.state.sent if s["kind"] == "message"] == []
    assert stack.get_case(case_id)["approval_pending"] == 1

    # When ana tries to approve her own, then pablo approves it twice
    own = approve_reply(outcome.approval_id, "ana", None, approvals)
    first = approve_reply(outcome.approval_id, "pablo", None, approvals)
    second = approve_reply(outcome.approval_id, "pablo", None, approvals)

    # Then hers is refused, his goes once, and the case says who did what
    assert own == ApprovalRefused(ApprovalRefusal.OWN_REPLY)
    assert isinstance(first, Approved) and first.gone, first
    assert isinstance(second, AlreadyDecided)
    sent = [s["text"] for s in stack.platforms.state.sent if s["kind"] == "message"]
    assert sent == [draft.text]
    case = stack.get_case(case_id)
    assert case["approval_pending"] == 0
    assert kinds(case).count("reply_submitted_for_approval") == 1
    approved = [e for e in case["timeline"] if e["kind"] == "reply_approved"]
    assert [(e["data"]["by"], e["data"]["edited"]) for e in approved] == [("pablo", False)]
    assert [e["data"]["by"] for e in case["timeline"] if e["kind"] == "console_reply"] == ["ana"]
