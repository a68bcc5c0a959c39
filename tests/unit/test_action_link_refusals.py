"""The action-link use case's `submit` refusing what cannot be an answer (and what it keeps
of a form that is one): nothing moves, and the page says why."""

from __future__ import annotations

from dataclasses import replace

import pytest

from socialcare.app.action_links import (
    Answered,
    Refusal,
    Refused,
    submit,
)
from socialcare.domain.action_links import LinkStatus
from socialcare.domain.outbound import OutboundTarget
from socialcare.presentation.action_pages import page_for
from tests.action_link_fakes import (
    ACTION_ID,
    ROUTING,
    a_link,
    a_store,
    answer,
    deps,
)
from tests.service_fakes import RecordingTaskTokens

# --- submit: refusals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "refusal", "status"),
    [
        ({"csrf_token": "x" * 32, "action": "resolved"}, Refusal.FORBIDDEN, 403),
        ({"action": "resolved"}, Refusal.FORBIDDEN, 403),
        (answer("close_everything"), Refusal.INVALID, 400),
        (answer("not_ours", department="nobody"), Refusal.INVALID, 400),
        (answer("not_ours", department="claims"), Refusal.INVALID, 400),
    ],
)
def test_a_form_that_cannot_be_an_answer_is_refused_and_the_link_still_acts(form, refusal, status):
    store = a_store()
    outcome = submit(ACTION_ID, form, deps(store))
    assert isinstance(outcome, Refused) and outcome.reason is refusal
    assert page_for(outcome, ROUTING).status == status
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING and store.timeline == []


@pytest.mark.parametrize("form", [answer("not_ours"), answer("not_ours", department="")])
def test_not_ours_without_a_department_is_refused_saying_what_is_missing(form):
    # Given a pending link, and a form whose department was left on its placeholder
    store, tokens = a_store(), RecordingTaskTokens()
    # When the department confirms "not ours"
    outcome = submit(ACTION_ID, form, deps(store, tokens))
    # Then nothing moves, and the page says to choose the department (the link still acts)
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.NO_DEPARTMENT
    page = page_for(outcome, ROUTING)
    assert page.status == 400 and "sin decir a qué departamento" in page.html
    assert "Falta el departamento" in page.html
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING and tokens.resumed == []


def test_a_message_to_the_customer_with_another_choice_is_refused_saying_why():
    # Given the one form, with a message to the customer and "resolved" chosen
    store, tokens = a_store(), RecordingTaskTokens()
    form = answer("resolved", reply="Hola Ana, ya está resuelto.")
    # When it is confirmed
    outcome = submit(ACTION_ID, form, deps(store, tokens))
    # Then nothing is sent or recorded, and the page says which choice sends it
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.REPLY_NEEDS_CONTACTED
    page = page_for(outcome, ROUTING)
    assert page.status == 400 and "He contactado con el cliente" in page.html
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING and tokens.resumed == []


def test_a_message_to_the_customer_and_a_note_are_both_kept():
    # Given a Telegram chat the department can answer from the one form
    from tests.outbound_fakes import ScriptedPlatform, outbound_dependencies

    target = OutboundTarget(account_id="bot", message_id="4411", conversation_id="555000111")
    store, tokens, platform = (
        a_store(platform="telegram", channel="telegram", public=False, reply_to=target),
        RecordingTaskTokens(),
        ScriptedPlatform(),
    )
    both = replace(deps(store, tokens), outbound=outbound_dependencies(platform=platform))
    form = answer("contacted", reply="Hola Ana, ya está.", note="Llamada a las 10")
    # When it confirms "contacted" with both
    outcome = submit(ACTION_ID, form, both)
    # Then the customer got the message, and the case keeps it and the note
    assert isinstance(outcome, Answered)
    assert [d.action.text for d in platform.done] == ["Hola Ana, ya está."]
    assert store.actions[ACTION_ID].note == "Hola Ana, ya está.\n\nLlamada a las 10"


def test_more_time_is_given_once_per_case():
    # Given a wait that was already extended
    store = a_store(a_link(plan=replace(a_link().plan, extended=True)))
    # When more time is asked again
    outcome = submit(ACTION_ID, answer("more_time"), deps(store))
    # Then 409, and the link still acts for another answer
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.EXTENSION_USED
    assert page_for(outcome, ROUTING).status == 409
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING
