"""The publish page says, before «Publicar», what can go now, shows each reply once, and
after it says in words what was sent (the template's text when a template replaced it)."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import timedelta

from socialcare.app.publish_links import PublishDependencies, show, submit
from socialcare.config.loaders import outbound_config, routing_config
from socialcare.domain.cases import CaseAuthor, TriageRecord
from socialcare.domain.clock import utc_iso
from socialcare.domain.outbound import OutboundTarget
from socialcare.presentation.publish_pages import publish_page_for
from tests.outbound_fakes import NOW, ScriptedPlatform, outbound_dependencies
from tests.unit.test_publish_truth import CLAIM, CSRF, KEY, PRIVATE, PublishLinks, a_comment

ROUTING = routing_config()
EDITED = "Hola Marta, te llamamos hoy mismo para revisar el recibo."


def words(page_html: str) -> str:
    """What a person reads, tags left out."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_html)))


def deps(links: PublishLinks, platform: ScriptedPlatform) -> PublishDependencies:
    return PublishDependencies(
        cases=links,
        links=links,
        outbound=outbound_dependencies(platform=platform, config=outbound_config()),
        clock=lambda: NOW,
        language="es",
    )


def opened(links: PublishLinks):
    return publish_page_for(
        show(f"{links.stored.id}.{KEY}", deps(links, ScriptedPlatform())), ROUTING
    )


def posted(links: PublishLinks, form: dict[str, str]):
    outcome = submit(f"{links.stored.id}.{KEY}", form, deps(links, ScriptedPlatform()))
    return publish_page_for(outcome, ROUTING)


def a_whatsapp_chat(*, written_ago: timedelta):
    at = utc_iso(NOW - written_ago)
    return a_comment(
        written_ago=written_ago,
        platform="whatsapp",
        channel="whatsapp",
        public=False,
        author=CaseAuthor(id="34600111222", display_name="Marta"),
        reply_to=OutboundTarget(
            account_id="106540352242922", message_id="wamid.1", conversation_id="34600111222"
        ),
        first_message_at=at,
        last_message_at=at,
        triage=TriageRecord(category="complaint", private_reply="Hola Marta, ¿nos cuentas más?"),
    )


def test_the_publish_page_shows_each_reply_once():
    # Given a recent comment's publish link
    links = PublishLinks(a_comment(written_ago=timedelta(hours=1)))
    # When the social team opens it
    page = opened(links)
    # Then each suggested reply is on the page once: in the field that sends it
    assert page.html.count(html.escape(CLAIM, quote=False)) == 1, words(page.html)
    assert page.html.count(html.escape(PRIVATE, quote=False)) == 1


def test_the_publish_page_tells_of_a_closed_private_reply_window_before_publishing():
    # Given a comment written 10 days ago
    links = PublishLinks(a_comment(written_ago=timedelta(days=10)))
    # When the social team opens its link
    page = opened(links)
    # Then, before the button, it says the private reply cannot go and what is said instead
    before_button = words(page.html.split("<button", 1)[0])
    assert "7 días" in before_button, before_button
    assert "900 000 000" in before_button
    assert "Te hemos enviado un mensaje privado" not in before_button


def test_the_publish_page_tells_of_a_closed_whatsapp_window_before_publishing():
    # Given a WhatsApp chat whose customer last wrote two days ago
    links = PublishLinks(a_whatsapp_chat(written_ago=timedelta(days=2)))
    # When the social team opens its link
    page = opened(links)
    # Then it says, before the button, that the approved template goes instead, word for word
    before_button = words(page.html.split("<button", 1)[0])
    assert "plantilla" in before_button, before_button
    assert outbound_config().whatsapp_template.body in before_button
    assert outbound_config().whatsapp_template.name not in page.html  # a code, not words


def test_a_whatsapp_message_replaced_by_the_template_is_reported_as_the_template():
    # Given a WhatsApp chat past its 24 hours
    links = PublishLinks(a_whatsapp_chat(written_ago=timedelta(days=2)))
    # When the social team publishes the words it edited
    form = {"csrf_token": CSRF, "private_text": EDITED}
    page = posted(links, form)
    # Then the page reports the template's text, says why, and never the edited words as sent
    said = words(page.html)
    assert "Mensaje: enviado" not in said, said
    assert outbound_config().whatsapp_template.body in said
    assert "plantilla" in said and EDITED not in said
    assert outbound_config().whatsapp_template.name not in said


def test_the_published_page_says_where_it_was_published_in_plain_words():
    # Given a comment written 10 days ago
    links = PublishLinks(a_comment(written_ago=timedelta(days=10)))
    # When the social team publishes
    form = {"csrf_token": CSRF, "public_text": CLAIM, "private_text": PRIVATE}
    page = posted(links, form)
    # Then it says where it went, what could not go and why, in words
    said = words(page.html)
    assert "Respuesta pública: enviado" not in said, said
    assert "Publicada en Facebook" in said
    assert "No se pudo enviar el mensaje privado" in said and "7 días" in said


def test_an_english_whatsapp_customer_past_24_hours_gets_the_english_template():
    # Given an English-speaking WhatsApp customer who last wrote two days ago
    chat = a_whatsapp_chat(written_ago=timedelta(days=2))
    english = TriageRecord(category="complaint", private_reply="Hi Marta,", language="en")
    links = PublishLinks(replace(chat, triage=english))
    # When the social team opens the publish link, then publishes
    before_button = words(opened(links).html.split("<button", 1)[0])
    said = words(posted(links, {"csrf_token": CSRF, "private_text": EDITED}).html)
    # Then the approved English template is what the page says goes, and what went
    template = outbound_config().whatsapp_template
    english_body = template.translations["en"].body
    assert english_body in before_button, before_button
    assert english_body in said and template.body not in said
