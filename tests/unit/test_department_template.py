"""A department answering a WhatsApp chat past its 24-hour window: its text cannot go, the
approved template goes instead. The action page says so before «Confirmar» (with the
template's words), the answered page says what went, and the case keeps the department's
own text as its note, apart from the template recorded as sent."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from socialcare.app.action_links import Answered, show, submit
from socialcare.config.loaders import outbound_config
from socialcare.domain.clock import utc_iso
from socialcare.domain.outbound import OutboundTarget
from socialcare.presentation.action_pages import page_for
from tests.action_link_fakes import ACTION_ID, ROUTING, a_store, answer, deps
from tests.conftest import NOW
from tests.outbound_fakes import ScriptedPlatform, outbound_dependencies
from tests.service_fakes import RecordingTaskTokens
from tests.unit.presentation.test_publish_pages import words

TEMPLATE = outbound_config().whatsapp_template.body
REPLY = "Hola Marta, el recibo duplicado se devuelve el lunes 14."


def a_whatsapp_chat(*, written_ago: timedelta):
    at = utc_iso(NOW - written_ago)
    return a_store(
        platform="whatsapp",
        channel="whatsapp",
        public=False,
        reply_to=OutboundTarget(
            account_id="106540352242922", message_id="wamid.1", conversation_id="34600111222"
        ),
        first_message_at=at,
        last_message_at=at,
    )


def with_platform(store, platform: ScriptedPlatform, tokens=None):
    outbound = outbound_dependencies(platform=platform, config=outbound_config())
    return replace(deps(store, tokens), outbound=outbound)


def test_the_action_page_says_before_confirming_that_the_template_goes_instead():
    # Given a WhatsApp chat whose customer last wrote two days ago
    store = a_whatsapp_chat(written_ago=timedelta(days=2))
    # When the department opens its action link
    page = page_for(show(ACTION_ID, None, with_platform(store, ScriptedPlatform())), ROUTING)
    # Then, before the button, it says the text cannot go, and shows the template's words
    before_button = words(page.html.split("<button", 1)[0])
    assert TEMPLATE in before_button, before_button
    assert "24 horas" in before_button and "llamad" in before_button.lower(), before_button


def test_the_answered_page_says_the_template_went_and_the_note_keeps_the_departments_text():
    # Given a WhatsApp chat whose customer last wrote two days ago
    store, platform = a_whatsapp_chat(written_ago=timedelta(days=2)), ScriptedPlatform()
    # When the department confirms "contacted" with its own answer
    outcome = submit(
        ACTION_ID,
        answer("contacted", reply=REPLY),
        with_platform(store, platform, RecordingTaskTokens()),
    )
    # Then the template's words went, and the page says exactly that, not the department's
    assert isinstance(outcome, Answered), outcome
    assert [d.summary()["text"] for d in platform.done] == [TEMPLATE]
    said = words(page_for(outcome, ROUTING).html)
    assert TEMPLATE in said and REPLY not in said, said
    # ... and the case keeps the department's own words as its note
    note = store.actions[ACTION_ID].note
    assert REPLY in note and TEMPLATE not in note, note
