"""The console's actions through the composition root on the local stack (the real
DynamoDB adapters, state machine and platform emulator): two agents racing to answer
one case (one reply goes, the other is told who holds it), a reply that reaches the
platform as one delivery however often it is sent, a correction on the timeline, and a
derived case re-routed and closed through the workflow's own path."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from socialcare.app import console_actions, console_replies
from socialcare.app.approvals import AlreadyDecided, approve
from socialcare.app.console_routing import derive
from socialcare.bootstrap import console_approvals
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.console_actions_helpers import actions_area, area_root
from tests.integration.workflow_helpers import (
    SALES,
    deliver,
    derived_case,
    email_to,
    finished,
    kinds,
    wait_for,
)

COMPLAINT = "Llevo tres semanas esperando al perito del siniestro y nadie me llama, fatal"


def a_reply(case_id: str, author: str, text: str) -> ReplyDraft:
    return ReplyDraft(case_id, text, Visibility.PRIVATE, author)


def test_two_agents_racing_on_one_case_send_one_reply_and_the_other_is_told_who(stack):
    # Given a derived Telegram case and two agents pressing "send" at the same moment
    case_id = derived_case(stack)["id"]
    area = actions_area(stack)
    outcomes: dict[str, console_replies.ReplyOutcome] = {}
    start = threading.Barrier(2)

    def send(author: str) -> None:
        start.wait()
        outcomes[author] = console_replies.reply(
            a_reply(case_id, author, f"Hola, soy {author}: lo revisamos"), area.replies
        )

    threads = [threading.Thread(target=send, args=(name,)) for name in ("ana", "luis")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Then one reply reached the customer's chat, and the other agent was told who had it
    sent = [o for o in outcomes.values() if isinstance(o, console_replies.ReplySent)]
    held = [o for o in outcomes.values() if isinstance(o, console_replies.ReplyHeld)]
    assert len(sent) == 1 and len(held) == 1, outcomes
    assert sent[0].delivered
    winner = next(a for a, o in outcomes.items() if o is sent[0])
    loser = next(a for a in outcomes if a != winner)
    assert held[0].holder == winner
    telegram = [s for s in stack.platforms.state.sent if s["kind"] == "message"]
    assert [s["text"] for s in telegram] == [f"Hola, soy {winner}: lo revisamos"]
    # And the winner's send released the case: the other may answer now, once
    again = console_replies.reply(a_reply(case_id, loser, "Seguimos con ello"), area.replies)
    assert isinstance(again, console_replies.ReplySent) and again.delivered
    repeat = console_replies.reply(a_reply(case_id, loser, "Seguimos con ello"), area.replies)
    assert isinstance(repeat, console_replies.ReplySent) and repeat.delivered
    assert len([s for s in stack.platforms.state.sent if s["kind"] == "message"]) == 2
    timeline = stack.get_case(case_id)["timeline"]
    replies = [e["data"]["by"] for e in timeline if e["kind"] == "console_reply"]
    assert sorted(set(replies)) == ["ana", "luis"]


def test_a_correction_is_on_the_timeline_with_who_changed_what(stack):
    case = derived_case(stack)
    area = actions_area(stack)
    done = console_actions.correct(case["id"], "priority", "P1", "ana", area.cases)
    if isinstance(done, console_actions.ActionRefused):  # triaged P1 already: the other way
        done = console_actions.correct(case["id"], "priority", "P4", "ana", area.cases)
    assert isinstance(done, console_actions.ActionDone)
    stored = stack.get_case(case["id"])
    [event] = [e for e in stored["timeline"] if e["kind"] == "triage_correction"]
    assert event["data"]["by"] == "ana" and event["data"]["field"] == "priority"
    assert event["data"]["from"] == case["triage"]["priority"] != event["data"]["to"]
    assert stack.inspection_root.settings.cases_table_name  # the same table the CLI reads


def test_a_derived_case_is_rerouted_and_then_closed_through_its_workflow(stack):
    # Given a case waiting on its first department
    case = derived_case(stack)
    area = actions_area(stack)
    # When ana re-routes it to sales
    done = derive(case["id"], "sales", "es una venta", "ana", area.routing)
    assert isinstance(done, console_actions.ActionDone), done
    # Then sales gets the derivation email with its own link, as after a "not ours"
    email_to(stack, SALES, case["id"])
    rerouted = wait_for(stack, case["id"], lambda c: c.get("department") == "sales")
    assert "rerouted" in kinds(rerouted) and "department_action" in kinds(rerouted)
    # And when she closes it, the workflow ends (it escalates nobody) and the case is closed
    closed = console_actions.close(case["id"], "resolved", "", "ana", area.cases)
    assert isinstance(closed, console_actions.ActionDone), closed
    assert finished(stack, case["id"])["status"] == "SUCCEEDED"
    stored = stack.get_case(case["id"])
    assert stored["status"] == "resolved" and stored["closed_by"] == "ana"
    assert stored["resolved_at"]


def test_the_suggested_public_reply_waits_for_the_private_one_it_speaks_of(stack):
    # Given a complaint commented under the brand's Facebook post, whose suggested public
    # reply says a private message follows
    body = dated(sample_payload("meta_facebook_comment"), datetime.now(UTC))
    body["entry"][0]["changes"][0]["value"]["message"] = COMPLAINT
    case_id = deliver(stack, signed_event("meta", body))
    case = wait_for(stack, case_id, lambda c: c["status"] == "derived")
    replies = case["triage"]["suggested_replies"]
    assert replies.get("public") and replies.get("private"), replies
    area = actions_area(stack)
    public = ReplyDraft(case_id, replies["public"], Visibility.PUBLIC, "ana")
    # When ana sends the public one first, it is refused and nothing is posted
    refused = console_replies.reply(public, area.replies)
    assert refused == console_replies.ReplyRefused(
        console_replies.ReplyRefusal.CLAIMS_PRIVATE, case_id
    )
    assert [s for s in stack.platforms.state.sent if s["kind"] == "comment_reply"] == []
    # Then after the private reply reached the customer, the public one goes, once
    private = ReplyDraft(case_id, replies["private"], Visibility.PRIVATE, "ana")
    assert console_replies.reply(private, area.replies).delivered
    assert console_replies.reply(public, area.replies).delivered
    kinds_sent = [s["kind"] for s in stack.platforms.state.sent]
    assert kinds_sent.count("private_reply") == 1 and kinds_sent.count("comment_reply") == 1


def test_a_reply_that_needs_an_approver_goes_only_once_approved_and_once(stack):
    # Given a derived case and ana's reply speaking of compensation (approvals.yaml asks)
    case_id = derived_case(stack)["id"]
    area = actions_area(stack)
    words = "Le ofrecemos una indemnización por las molestias"
    draft = ReplyDraft(case_id, words, Visibility.PRIVATE, "ana")
    # When she sends it
    waiting = console_replies.reply(draft, area.replies)
    # Then it waits for an approver and nothing reached the platform
    assert isinstance(waiting, console_replies.ReplySubmitted), waiting
    assert waiting.reasons and not [s for s in stack.platforms.state.sent if s["text"] == words]
    # And once an approver approves it, it goes once, in her name, however often approved
    approvals_deps = console_approvals.approvals(area_root(stack))
    approved = approve(waiting.approval_id, "eva", None, approvals_deps)
    assert approved.sent.result == "sent", approved
    again = approve(waiting.approval_id, "eva", None, approvals_deps)
    assert isinstance(again, AlreadyDecided)
    assert len([s for s in stack.platforms.state.sent if s["text"] == words]) == 1
    timeline = stack.get_case(case_id)["timeline"]
    [sent] = [e for e in timeline if e["kind"] == "console_reply"]
    assert sent["data"]["by"] == "ana" and sent["data"]["result"] == "sent"
