"""An Instagram mention: socialcare can send neither a public reply nor a private one on it
(the publish page says so), so no reply is suggested that would claim either."""

from __future__ import annotations

from socialcare.domain.messages import Channel
from socialcare_cli.triage_cli import TriageDesk


def test_a_mention_gets_no_suggested_reply_that_socialcare_cannot_send():
    # Given a complaint that mentions the brand on Instagram
    desk = TriageDesk()
    text = "@segurosmarea me habéis cobrado dos veces el recibo"
    assessment = desk.assess(text, Channel.INSTAGRAM_MENTION, known_customer=False)
    # When its replies are suggested
    replies = desk.replies(assessment, text, Channel.INSTAGRAM_MENTION)
    # Then none is: no «Te hemos enviado un mensaje privado», no private text to send
    assert (replies.public, replies.private) == (None, None), replies
