from socialcare.app.approvals import (
    AlreadyDecided,
    ApprovalRefusal,
    ApprovalRefused,
    Approved,
    Returned,
    Submitted,
    approvals_of_case,
    approve,
    return_for_changes,
    submit_for_approval,
    waiting_approvals,
)
from socialcare.domain.approvals import ApprovalState
from tests.unit.console.approval_fakes import a_case, a_draft, approval_deps

AUTHORITY = a_case(flags=("authority_mentioned",))


def _submitted(deps, draft=None):
    outcome = submit_for_approval(draft or a_draft(), deps)
    assert isinstance(outcome, Submitted)
    return outcome.approval


def test_a_reply_put_to_an_approver_waits_counted_on_its_case_and_timeline():
    # Given a case mentioning an authority
    deps = approval_deps(AUTHORITY)

    # When ana's reply is submitted
    approval = _submitted(deps)

    # Then it waits, why, counted once, on the timeline by ana, audited
    assert approval.state is ApprovalState.WAITING
    assert approval.reasons == ("authority_mentioned",)
    assert deps.store.pending[AUTHORITY.id] == 1
    assert deps.store.timeline == [(AUTHORITY.id, "reply_submitted_for_approval", {"by": "ana"})]
    assert waiting_approvals(deps) == [approval]
    assert deps.audit.entries[0].username == "ana"
    assert not deps.send_reply.sent


def test_a_reply_no_rule_holds_is_not_put_to_an_approver():
    # Given an innocent case
    deps = approval_deps(a_case())

    # Then submitting it is refused: it should be sent
    outcome = submit_for_approval(a_draft(), deps)
    assert outcome == ApprovalRefused(ApprovalRefusal.NOT_NEEDED)
    assert not deps.store.items


def test_approved_once_it_is_sent_once_and_counted_down():
    # Given a waiting reply
    deps = approval_deps(AUTHORITY)
    approval = _submitted(deps)

    # When pablo approves it twice (a double click)
    first = approve(approval.id, "pablo", None, deps)
    second = approve(approval.id, "pablo", None, deps)

    # Then it was sent once, with the writer's words, and said so
    assert isinstance(first, Approved) and first.gone
    assert first.approval.decided_by == "pablo"
    assert isinstance(second, AlreadyDecided)
    assert [d.text for d in deps.send_reply.sent] == [approval.draft.text]
    assert deps.send_reply.sent[0].author == "ana"
    assert deps.store.pending[AUTHORITY.id] == 0
    assert deps.store.items[approval.id].result == "sent"
    assert waiting_approvals(deps) == []


def test_an_approver_never_approves_their_own_reply():
    # Given a reply written by pablo, who is also an approver
    deps = approval_deps(AUTHORITY)
    approval = _submitted(deps, a_draft(author="pablo"))

    # When pablo approves or returns it
    approved = approve(approval.id, "pablo", None, deps)
    returned = return_for_changes(approval.id, "pablo", "mejor así", deps)

    # Then both are refused and it still waits
    assert approved == ApprovalRefused(ApprovalRefusal.OWN_REPLY)
    assert returned == ApprovalRefused(ApprovalRefusal.OWN_REPLY)
    assert deps.store.items[approval.id].state is ApprovalState.WAITING
    assert not deps.send_reply.sent


def test_an_edited_approval_sends_the_approver_s_words_and_says_it_was_edited():
    # Given a waiting reply
    deps = approval_deps(AUTHORITY)
    approval = _submitted(deps)

    # When pablo approves it with his own words
    outcome = approve(approval.id, "pablo", "  Hola. Te escribimos por privado.  ", deps)

    # Then those words go, and the timeline says it was edited
    assert isinstance(outcome, Approved)
    assert deps.send_reply.sent[0].text == "Hola. Te escribimos por privado."
    assert outcome.approval.edited_text == "Hola. Te escribimos por privado."
    assert deps.store.timeline[-1] == (
        AUTHORITY.id,
        "reply_approved",
        {"by": "pablo", "edited": True},
    )


def test_returned_with_a_comment_nothing_goes_and_the_writer_reads_it():
    # Given a waiting reply
    deps = approval_deps(AUTHORITY)
    approval = _submitted(deps)

    # When pablo returns it, then tries to approve it
    outcome = return_for_changes(approval.id, "pablo", "Quita la fecha.", deps)
    later = approve(approval.id, "marta", None, deps)

    # Then nothing went, the comment is kept for ana, the count is down
    assert isinstance(outcome, Returned)
    assert isinstance(later, AlreadyDecided)
    assert not deps.send_reply.sent
    kept = approvals_of_case(AUTHORITY.id, deps)[0]
    assert (kept.state, kept.comment) == (ApprovalState.RETURNED, "Quita la fecha.")
    assert deps.store.pending[AUTHORITY.id] == 0


def test_an_approved_reply_the_platform_refused_is_not_called_gone():
    # Given a waiting reply, and a send the rules block
    deps = approval_deps(AUTHORITY, result="blocked")
    approval = _submitted(deps)

    # When it is approved
    outcome = approve(approval.id, "pablo", None, deps)

    # Then the outcome says it did not go
    assert isinstance(outcome, Approved) and not outcome.gone
    assert deps.store.items[approval.id].result == "blocked"


def test_an_approval_whose_send_never_ran_is_sent_when_pressed_again():
    # Given an approval decided by pablo whose function stopped before sending
    deps = approval_deps(AUTHORITY)
    approval = _submitted(deps)
    deps.store.decide(approval.approved("pablo", "2026-12-07T22:00:01.000Z", None))

    # When pablo presses again (and marta, another approver, too)
    again = approve(approval.id, "pablo", None, deps)
    other = approve(approval.id, "marta", None, deps)

    # Then it is sent once, by pablo's press
    assert isinstance(again, Approved)
    assert isinstance(other, AlreadyDecided)
    assert len(deps.send_reply.sent) == 1


def test_bad_words_and_unknown_ids_are_refused_plainly():
    # Given a waiting reply
    deps = approval_deps(AUTHORITY)
    approval = _submitted(deps)

    # Then an empty edit, a long edit, an empty comment, an unknown id are refused
    assert approve(approval.id, "pablo", "  ", deps) == ApprovalRefused(ApprovalRefusal.EMPTY)
    too_long = approve(approval.id, "pablo", "x" * 5000, deps)
    assert too_long == ApprovalRefused(ApprovalRefusal.TOO_LONG)
    empty = return_for_changes(approval.id, "pablo", "", deps)
    assert empty == ApprovalRefused(ApprovalRefusal.EMPTY)
    unknown = approve("../etc", "pablo", None, deps)
    assert unknown == ApprovalRefused(ApprovalRefusal.NOT_FOUND)
    empty_reply = submit_for_approval(a_draft(" "), deps)
    assert empty_reply == ApprovalRefused(ApprovalRefusal.EMPTY)
    assert not deps.send_reply.sent


def test_the_same_words_sent_back_by_a_browser_are_not_an_edit():
    # Given a waiting reply of two lines
    deps = approval_deps(AUTHORITY)
    approval = _submitted(deps, a_draft("Hola.\nLo revisamos."))

    # When the approver's form sends it back unchanged, with a browser's line breaks
    outcome = approve(approval.id, "pablo", "Hola.\r\nLo revisamos.\r\n", deps)

    # Then it is approved as written, not as edited
    assert isinstance(outcome, Approved) and outcome.approval.edited_text is None
    assert deps.send_reply.sent[0].text == "Hola.\nLo revisamos."
