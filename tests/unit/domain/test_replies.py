"""Suggested replies: in the customer's language, never for trolls, privacy first."""

from __future__ import annotations

import pytest

from socialcare.domain.messages import Channel
from socialcare_cli.triage_cli import TriageDesk


@pytest.fixture(scope="module")
def triager() -> TriageDesk:
    return TriageDesk()


def replies(triager, text, channel, **kwargs):
    assessment = triager.assess(text, channel)
    return triager.replies(assessment, text, channel, **kwargs)


def test_trolls_get_no_reply(triager):
    suggested = replies(triager, "sois unos ladrones y unos inútiles 🤡", Channel.X_MENTION)
    assert (suggested.public, suggested.private) == (None, None)
    assert "feed" in suggested.note


def test_a_derived_public_message_moves_to_private_with_the_department_deadline(triager):
    suggested = replies(
        triager,
        "Me habéis cobrado dos veces el recibo",
        Channel.FACEBOOK_COMMENT,
        author_name="Lucía Fernández",
    )
    assert "Lucía" in suggested.public and "privado" in suggested.public
    # the deadline as a day and a time (tests/unit/presentation/test_reply_deadlines.py)
    assert "Atención al cliente" in suggested.private and " antes del " in suggested.private
    assert "laborables" not in suggested.private


def test_an_english_faq_question_is_answered_in_english(triager):
    suggested = replies(triager, "Hi, how long does a refund usually take?", Channel.MESSENGER)
    assert suggested.public is None
    assert "3 to 5 business days" in suggested.private


def test_exposed_personal_data_advises_deleting_it_and_hiding_it_on_our_page(triager):
    text = "No me funciona la tarjeta, mi DNI es 12345678Z"
    on_page = replies(triager, text, Channel.FACEBOOK_COMMENT)
    assert "borrar el comentario" in on_page.public
    assert "Oculta el comentario" in on_page.note and "dni" in on_page.note
    on_x = replies(triager, text, Channel.X_MENTION)
    assert "borrar el comentario" in on_x.public and on_x.note is None


NOT_NAMES = ["@third_party", "#tag", "https://x.y", "A" * 60, "Ana\u202eevil"]


@pytest.mark.parametrize("name", NOT_NAMES)
@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("No me funciona la tarjeta, mi DNI es 12345678Z", Channel.FACEBOOK_COMMENT),
        ("Me habéis cobrado dos veces el recibo", Channel.X_MENTION),
        ("Me habéis cobrado dos veces el recibo", Channel.TELEGRAM),
        ("Sois geniales, gracias por todo", Channel.INSTAGRAM_COMMENT),
    ],
)
def test_a_display_name_that_is_not_a_plain_name_is_never_said_by_the_brand(
    triager, name, text, channel
):
    # Given a customer whose display name is a mention, a tag, a link, too long, or bidi
    # When the replies are pre-filled (on a comment with personal data on the brand's
    # page: the public reply, the private one, the automatic notice and its follow-up)
    suggested = replies(triager, text, channel, author_name=name)
    said = [suggested.public, suggested.private, suggested.hidden_notice, suggested.followup]
    said = [text for text in said if text]
    # Then none of it names them, and each greeting reads without the name
    assert said
    for reply in said:
        assert name.split(" ")[0] not in reply, reply
        assert not any(mark in reply for mark in ("@", "#", "http", "\u202e")), reply
        assert ", ," not in reply and " ," not in reply and "  " not in reply, reply


def test_a_plain_name_is_still_greeted_in_the_automatic_notice(triager):
    text = "No me funciona la tarjeta, mi DNI es 12345678Z"
    suggested = replies(triager, text, Channel.FACEBOOK_COMMENT, author_name="Ana-María O'Neill")
    assert suggested.hidden_notice.startswith("Hola, Ana-María:\n"), suggested.hidden_notice
    assert suggested.followup.startswith("Hola, Ana-María:\n"), suggested.followup
