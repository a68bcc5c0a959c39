"""The rule that picks the public words after the private reply's fate, and what a
delivery records as sent when WhatsApp's template replaces the written words."""

from __future__ import annotations

from datetime import timedelta

import pytest

from socialcare.config.loaders import outbound_config
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import OutboundKind
from socialcare.domain.outbound_rules import Conversation, plan_delivery
from socialcare.domain.truthful_replies import (
    PrivateFate,
    claims_private,
    public_words,
    without_private,
)
from tests.outbound_fakes import NOW, an_action

CLAIM = "Hola Ana, te hemos escrito por privado."


@pytest.mark.parametrize(
    ("fate", "claims", "said"),
    [
        (PrivateFate.SENT, True, CLAIM),
        (PrivateFate.NOT_ASKED, False, CLAIM),
        (PrivateFate.NOT_ASKED, True, "reach us"),
        (PrivateFate.NOT_SENT, True, "reach us"),
        (PrivateFate.UNKNOWN, True, "reach us"),
    ],
)
def test_the_public_reply_says_we_wrote_privately_only_once_we_did(fate, claims, said):
    assert public_words(fate, written=CLAIM, without_private="reach us", claims=claims) == said


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        ("Hola Ana, te hemos escrito por privado.", True),
        ("Hola Ana,\r\nTe hemos enviado un mensaje privado.", True),
        ("Hola Ana, te hémos   ESCRITO.", True),
        ("Hi Ana, we've sent you a DM.", True),
        ("Hi Ana, we\u2019ve messaged you privately.", True),
        ("Hola Ana, escríbenos por mensaje privado.", False),
        ("Hi Ana, please send us a DM.", False),
        ("Hola Ana, lo revisamos hoy.", False),
    ],
)
def test_a_claim_of_a_private_message_is_recognised_and_an_invitation_is_not(text, claims):
    # Given the configured claims in every language
    config = outbound_config()
    phrases = [p for ps in config.private_message_claims.values() for p in ps]
    # Then a text saying the brand wrote privately is a claim; one asking to write is not
    assert claims_private(text, phrases) is claims


def test_the_words_without_a_private_reply_come_from_config_in_the_readers_language():
    # Given the configured contact path
    config = outbound_config()
    # Then it greets a plain name, leaves out any other, and speaks each language
    assert without_private(config, "es", "Lucía Fernández").startswith("Hola Lucía,")
    assert without_private(config, "es", "@someone").startswith("Hola,")
    assert "900 000 000" in without_private(config, "en", None)
    assert without_private(config, "en", None) != without_private(config, "es", None)


def test_a_whatsapp_template_records_the_templates_words_as_sent():
    # Given a WhatsApp message written two days after the customer's last message
    action = an_action(OutboundKind.MESSAGE, Channel.WHATSAPP, text="Hola, te llamamos hoy.")
    then = NOW - timedelta(days=2)
    delivery = plan_delivery(action, Conversation("complaint", then, then), outbound_config(), NOW)
    # Then what the case keeps as sent is the approved template's text, never the edited one
    summary = delivery.summary()
    assert summary["text"] == outbound_config().whatsapp_template.body
    assert summary["template"] == "seguimiento_caso"
