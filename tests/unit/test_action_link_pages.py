"""The action-link use case's `show` against in-memory ports: the confirmation page, and
why a link is 404 or no longer acts. The pages come from presentation/action_pages.py, as
the handler renders them."""

from __future__ import annotations

import pytest

from socialcare.app.action_links import (
    Confirmation,
    LinkGone,
    NotFound,
    show,
    submit,
)
from socialcare.domain.action_links import ActionChoice, GoneReason, LinkStatus
from socialcare.domain.clock import utc_iso
from socialcare.presentation.action_pages import page_for
from tests.action_link_fakes import (
    ACTION_ID,
    CSRF,
    ROUTING,
    a_link,
    a_store,
    answer,
    deps,
)
from tests.conftest import NOW

# --- show --------------------------------------------------------------------------------


def test_the_confirmation_page_offers_every_choice_and_every_other_department():
    # Given a pending link
    store = a_store()
    # When the department opens it from the email's "resolved" link
    outcome = show(ACTION_ID, "resolved", deps(store))
    # Then it is asked to confirm, nothing changed, and the page carries the form
    assert isinstance(outcome, Confirmation) and outcome.selected is ActionChoice.RESOLVED
    assert store.actions[ACTION_ID].status is LinkStatus.PENDING and store.timeline == []
    page = page_for(outcome, ROUTING)
    assert page.status == 200 and f'value="{CSRF}"' in page.html
    assert 'value="resolved" checked' in page.html
    assert 'value="legal"' in page.html and 'value="claims"' not in page.html


def test_an_unknown_choice_in_the_link_selects_nothing():
    outcome = show(ACTION_ID, "<script>", deps(a_store()))
    assert isinstance(outcome, Confirmation) and outcome.selected is None
    assert "<script>" not in page_for(outcome, ROUTING).html


def test_a_link_of_the_right_shape_that_does_not_exist_is_404():
    outcome = show("B" * 32, None, deps(a_store()))
    assert isinstance(outcome, NotFound)
    assert page_for(outcome, ROUTING).status == 404


@pytest.mark.parametrize(
    "action_id", ["a" * 3000, "A" * 31, "A" * 33, "ñ" * 32, "../" + "A" * 29, "A" * 31 + "="]
)
def test_ids_the_stack_never_makes_are_404_without_a_lookup(action_id):
    # Given a link id of a shape the stack never generates (secrets.token_urlsafe(24))
    store = a_store()
    store.calls.clear()
    # When it is opened or posted
    opened = show(action_id, None, deps(store))
    posted = submit(action_id, answer("resolved"), deps(store))
    # Then both are 404, and the store was never asked
    assert isinstance(opened, NotFound) and isinstance(posted, NotFound)
    assert page_for(opened, ROUTING).status == page_for(posted, ROUTING).status == 404
    assert store.calls == []


@pytest.mark.parametrize(
    ("link", "case_fields", "reason"),
    [
        (a_link(status=LinkStatus.USED, choice="resolved", used_at=utc_iso(NOW)), {}, "used"),
        (a_link(status=LinkStatus.ESCALATED), {}, "escalated"),
        (a_link(), {"closed_at": utc_iso(NOW)}, "closed"),
        (a_link(expires_at=int(NOW.timestamp())), {}, "expired"),
    ],
)
def test_a_link_that_no_longer_acts_says_why_and_offers_a_late_answer(link, case_fields, reason):
    outcome = show(ACTION_ID, None, deps(a_store(link, **case_fields)))
    assert isinstance(outcome, LinkGone) and outcome.reason is GoneReason(f"gone_{reason}")
    page = page_for(outcome, ROUTING)
    assert page.status == 410 and 'name="csrf_token"' in page.html
