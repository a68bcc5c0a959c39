"""WhatsApp's approved template goes once until the customer answers it: the social
team's publish link and a department's reply seconds apart send one template, and the
second sender is told it went already, and when."""

from __future__ import annotations

from datetime import timedelta

from socialcare.app.outbound import Result, deliver
from socialcare.app.publish_links import Published
from socialcare.config.loaders import outbound_config, routing_config
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import OutboundKind
from socialcare.domain.outbound_rules import Conversation
from socialcare.presentation.pages import outcome_line
from socialcare.presentation.publish_pages import publish_page_for
from socialcare.presentation.rendering import strings
from tests.outbound_fakes import (
    NOW,
    InMemoryOutboundStore,
    ScriptedPlatform,
    an_action,
    outbound_dependencies,
)


def whatsapp(purpose: str, text: str):
    return an_action(OutboundKind.MESSAGE, Channel.WHATSAPP, text=text, purpose=purpose)


def test_a_template_goes_once_until_the_customer_writes_again():
    # Given a WhatsApp chat whose customer last wrote two days ago
    platform, store = ScriptedPlatform(), InMemoryOutboundStore()
    deps = outbound_dependencies(store, platform, config=outbound_config())
    then = NOW - timedelta(days=2)
    conversation = Conversation("complaint", then, then)
    # When the social team publishes, then a department replies seconds later
    first = deliver(whatsapp("publish", "Hola, ¿nos cuentas más?"), conversation, deps)
    second = deliver(whatsapp("reply:A", "Hola, te devolvemos el recibo."), conversation, deps)
    # Then one template reached the platform; the second sender is told it went, and when
    assert [d.action.purpose for d in platform.done] == ["publish"], platform.done
    assert first.result is Result.SENT
    assert second.result is Result.BLOCKED and second.code == "template_already_sent", second
    line = outcome_line(strings("es"), OutboundKind.MESSAGE, second)
    assert "ya se envió" in line and "24/11" in line, line
    # ... and once the customer writes again (still past 24 h later), a template may go
    later = Conversation("complaint", then, then + timedelta(hours=1))
    third = deliver(whatsapp("reply:B", "Hola de nuevo."), later, deps)
    assert third.result is Result.SENT and len(platform.done) == 2


def test_the_publish_page_says_when_the_template_went_when_it_is_the_second_sender():
    # Given a department's answer sent the template, then the social team publishes
    platform, store = ScriptedPlatform(), InMemoryOutboundStore()
    deps = outbound_dependencies(store, platform, config=outbound_config())
    then = NOW - timedelta(days=2)
    conversation = Conversation("complaint", then, then)
    deliver(whatsapp("reply:A", "Hola, te devolvemos el recibo."), conversation, deps)
    second = deliver(whatsapp("publish", "Hola, ¿nos cuentas más?"), conversation, deps)
    # When its page says what went
    published = Published("c", ((OutboundKind.MESSAGE, second),), "es", "whatsapp")
    said = publish_page_for(published, routing_config()).html
    # Then it says the template went already, and when
    assert "ya se envió" in said and "24/11 10:00 UTC" in said and "{at}" not in said, said
