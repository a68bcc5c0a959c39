"""An approval is sent as the console sends any reply (the actions' send_reply over its
fakes), and what came of it is said in the approvals' words."""

from __future__ import annotations

from datetime import timedelta

from socialcare.app.approvals import HELD
from socialcare.app.approved_replies import ConsoleSending
from socialcare.domain.console_actions import Lease
from socialcare.domain.console_replies import ReplyDraft, Visibility
from tests.outbound_fakes import ScriptedPlatform
from tests.unit.console.actions_fakes import CASE_ID, NOW, an_open_case, reply_dependencies


def _draft(author: str = "ana") -> ReplyDraft:
    return ReplyDraft(CASE_ID, "Lo revisamos hoy.", Visibility.PUBLIC, author)


def test_an_approved_reply_goes_once_through_the_console_s_send():
    # Given the console's send over its fakes
    platform = ScriptedPlatform()
    replies = reply_dependencies(an_open_case(), platform=platform)
    sending = ConsoleSending(replies)

    # When the approved reply is sent, twice (a retried request)
    first, second = sending(_draft()), sending(_draft())

    # Then it went once, and both say sent
    assert (first.result, second.result) == ("sent", "sent")
    assert replies.console.kinds().count("console_reply") == 2  # each press recorded
    assert platform.calls == 1


def test_a_case_someone_else_holds_is_said_held_with_their_name():
    # Given luis holds the case to reply
    platform = ScriptedPlatform()
    replies = reply_dependencies(an_open_case(), platform=platform)
    replies.console.leases[CASE_ID] = Lease("luis", int((NOW + timedelta(minutes=5)).timestamp()))

    # When ana's approved reply is sent
    sent = ConsoleSending(replies)(_draft())

    # Then nothing went, and the holder is named
    assert (sent.result, sent.detail) == (HELD, "luis")
    assert platform.calls == 0
