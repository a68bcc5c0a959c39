"""Past WhatsApp's 24 hours the approved template goes in the customer's language: the
first of what they read (triage's, then their platform's) that has an approved
translation, else the brand's default template (finding 2 of the fixups of issue 30)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pydantic import ValidationError

from socialcare.config.validation import validated
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import OutboundKind, WhatsAppTemplate
from socialcare.domain.outbound_config import (
    OutboundConfig,
    TemplateTranslation,
    WhatsAppTemplateConfig,
)
from socialcare.domain.outbound_rules import plan_delivery
from tests.outbound_fakes import NOW, a_conversation, an_action

SPANISH = "Hola, seguimos aquí."
ENGLISH = "Hello, we're still here."
CONFIG = OutboundConfig(
    whatsapp_template=WhatsAppTemplateConfig(
        name="seguimiento",
        language="es_ES",
        body=SPANISH,
        translations={"en": TemplateTranslation(language="en_US", body=ENGLISH)},
    )
)


def template_for(*languages: str):
    # Given a WhatsApp customer who last wrote 30 hours ago and reads `languages`
    conversation = replace(a_conversation(hours_ago=30), languages=languages)
    # When a message is planned
    action = an_action(OutboundKind.MESSAGE, Channel.WHATSAPP)
    return plan_delivery(action, conversation, CONFIG, NOW).template


def test_an_english_customer_gets_the_english_template_under_the_same_name():
    # Then the English translation, its language code and its words
    assert template_for("en") == WhatsAppTemplate("seguimiento", "en_US", ENGLISH)


@pytest.mark.parametrize(
    "languages", [("es",), ("es", "en"), ("fr",), ()], ids=["es", "es-first", "fr", "unknown"]
)
def test_anyone_else_gets_the_brands_default_template(languages):
    # Then the default: Spanish first, or a language no translation is approved in
    assert template_for(*languages) == WhatsAppTemplate("seguimiento", "es_ES", SPANISH)


def test_a_customer_triage_heard_in_french_on_an_english_phone_gets_english():
    assert template_for("fr", "en").language == "en_US"


@pytest.mark.parametrize(
    "translations",
    [
        {"en": {"language": "english", "body": ENGLISH}},  # not a WhatsApp language code
        {"en": {"language": "en", "body": ""}},  # no words
        {"es": {"language": "es", "body": SPANISH}},  # the template's own language again
        {"de": {"language": "de", "body": "Hallo"}},  # a language the brand does not write
    ],
)
def test_config_check_refuses_a_translation_that_could_not_be_sent(translations):
    with pytest.raises(ValidationError):
        validated(
            WhatsAppTemplateConfig,
            {
                "name": "seguimiento",
                "language": "es",
                "body": SPANISH,
                "translations": translations,
            },
        )
