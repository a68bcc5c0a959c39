"""The console's actions through the composition root on the local stack (the real
DynamoDB adapters, state machine and platform emulator): two agents racing to answer
one case (one reply goes, the other is told who holds it), a reply that reaches the
platform as one delivery however often it is sent, a correction on the timeline, and a
derived case re-routed and closed through the workflow's own path."""

from __future__ import annotations

import threading

from socialcare.app import console_actions, console_replies
from socialcare.app.console_routing import derive
from socialcare.bootstrap.console_actions import actions_area
from socialcare.domain.console_replies import ReplyDraft, Visibility
from socialcare_cli.local.dependencies import stack_root
from tests.integration.workflow_helpers import (
    SALES,
    derived_case,
    email_to,
    finished,
    kinds,
    wait_for,
)


def a_reply(case_id: str, author: str, text: str) -> ReplyDraft:
    return ReplyDraft(case_id, text, Visibility.PRIVATE, author)


def test_two_agents_racing_on_one_case_send_one_reply_and_the_other_is_told_who(stack):
    # Given a derived Telegram case and two agents pressing "send" at the same moment
    case_id = derived_case(stack)["id"]
    area = actions_area(stack_root(stack))
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
    area = actions_area(stack_root(stack))
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
    area = actions_area(stack_root(stack))
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
