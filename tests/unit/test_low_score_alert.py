"""The low-score alert people can act on: the customer's comment, who closed the case and
how, and a link that writes to the customer once (in-memory fakes)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from socialcare.app.follow_ups import (
    FollowUpDependencies,
    FollowUpForm,
    FollowUpGone,
    FollowUpNotFound,
    FollowUpRefused,
    FollowUpSent,
    show_follow_up,
    submit_follow_up,
)
from socialcare.app.low_scores import alert_low_score
from socialcare.app.outbound import Result
from socialcare.domain.cases import RouteStop, SurveyState
from socialcare.domain.follow_ups import ClosedBy, closure_of
from socialcare.domain.platform_errors import PlatformRefused
from socialcare.presentation.follow_up_pages import follow_up_page_for
from tests.fakes import InMemoryWorkflowStore
from tests.outbound_fakes import NOW, ScriptedPlatform, outbound_dependencies
from tests.unit.test_case_triage import ROUTING
from tests.unit.test_case_triage import deps as triage_deps
from tests.unit.test_surveys import CASE_ID, a_closed_case, an_answer

COMMENT = "Nadie me devolvió la llamada y el recibo sigue duplicado"


def a_low_scored_case(**fields) -> InMemoryWorkflowStore:
    """Resolved by the claims department, then rated 2/5 with a comment."""
    store = InMemoryWorkflowStore()
    values = {
        "status": "resolved",
        "closed_at": "2026-11-24T09:30:00Z",
        "route": (RouteStop("claims", 0, "2026-11-24T09:00:00Z"),),
        "survey": SurveyState(sent_at="2026-11-24T09:31:00Z", form="choices"),
    }
    values.update(fields)
    store.add(a_closed_case(**values))
    answer = replace(an_answer(2), comment=COMMENT)
    store.record_survey_answer(answer, NOW)
    return store


def test_the_alert_carries_the_comment_who_closed_the_case_and_a_link_to_act():
    # Given a case the claims department resolved, rated 2/5 with a comment
    store = a_low_scored_case()
    deps = triage_deps(store)
    # When the social team is alerted
    assert alert_low_score(CASE_ID, deps) is True
    # Then the email quotes the comment, says who closed it and how, and links to act
    [email] = deps.email.sent
    link = store.case(CASE_ID).follow_up_link
    url = f"https://api.example/follow-up/{CASE_ID}.{link.key}"
    for part in ("text", "html"):
        assert COMMENT in email[part], email[part]
        assert "Siniestros" in email[part] and "resuelto" in email[part]
        assert url in email[part]


def test_a_retried_alert_keeps_the_link_it_made_first():
    # Given the alert's link made, and the email then failing
    store = a_low_scored_case()
    deps = triage_deps(store)
    deps.email.fail_next = 1
    with pytest.raises(Exception, match="Throttling"):
        alert_low_score(CASE_ID, deps)
    first = store.case(CASE_ID).follow_up_link
    # When the record comes back
    assert alert_low_score(CASE_ID, deps) is True
    # Then the email carries the link made the first time
    assert store.case(CASE_ID).follow_up_link == first
    assert first.key in deps.email.sent[0]["text"]


@pytest.mark.parametrize(
    ("fields", "by", "department"),
    [
        ({}, ClosedBy.DEPARTMENT, "claims"),
        ({"status": "autonomous", "route": ()}, ClosedBy.SOCIAL_TEAM, None),
        ({"status": "breached"}, ClosedBy.AUTOMATIC, None),
    ],
)
def test_who_closed_the_case_is_read_from_its_final_status_and_holder(fields, by, department):
    store = a_low_scored_case(**fields)
    closure = closure_of(store.case(CASE_ID))
    assert (closure.by, closure.department) == (by, department)


def follow_up_deps(store, platform=None) -> FollowUpDependencies:
    return FollowUpDependencies(
        cases=store,
        links=store,
        outbound=outbound_dependencies(platform=platform),
        clock=lambda: NOW,
        language="es",
    )


def an_alerted_case() -> tuple[InMemoryWorkflowStore, str]:
    store = a_low_scored_case()
    alert_low_score(CASE_ID, triage_deps(store))
    return store, f"{CASE_ID}.{store.case(CASE_ID).follow_up_link.key}"


def test_the_link_shows_a_form_then_writes_to_the_customer_once():
    # Given the alert's link
    store, link_id = an_alerted_case()
    platform = ScriptedPlatform(["m_1", "m_2"])
    deps = follow_up_deps(store, platform)
    # When it is opened (a mail scanner would: nothing happens), then its form is sent twice
    shown = show_follow_up(link_id, deps)
    assert isinstance(shown, FollowUpForm) and shown.case.survey.comment == COMMENT
    assert platform.calls == 0
    form = {"csrf_token": shown.csrf_token, "text": "Hola, sentimos lo ocurrido."}
    first = submit_follow_up(link_id, form, deps)
    second = submit_follow_up(link_id, form, deps)
    # Then the customer got one message, in their chat, and the follow-up is done
    assert isinstance(first, FollowUpSent) and first.outcome.result is Result.SENT
    assert isinstance(second, FollowUpGone)
    [delivery] = platform.done
    assert delivery.action.text == "Hola, sentimos lo ocurrido."
    assert store.fields[CASE_ID]["follow_up"]["status"] == "contacted"
    page = follow_up_page_for(first, ROUTING)
    assert page.status == 200
    # And the page says what the customer got, word for word
    assert "«Hola, sentimos lo ocurrido.»" in page.html, page.html


def test_a_wrong_key_a_forged_form_and_an_empty_text_are_refused():
    store, link_id = an_alerted_case()
    deps = follow_up_deps(store, ScriptedPlatform())
    wrong = re.sub(r"\.(.)", lambda m: "." + ("A" if m[1] != "A" else "B"), link_id)
    assert isinstance(show_follow_up(wrong, deps), FollowUpNotFound)
    forged = submit_follow_up(link_id, {"csrf_token": "x", "text": "Hola"}, deps)
    token = store.case(CASE_ID).follow_up_link.csrf_token
    empty = submit_follow_up(link_id, {"csrf_token": token, "text": "  "}, deps)
    assert isinstance(forged, FollowUpRefused) and isinstance(empty, FollowUpRefused)
    assert follow_up_page_for(forged, ROUTING).status == 403
    assert follow_up_page_for(empty, ROUTING).status == 400
    assert store.case(CASE_ID).follow_up_link.used_at is None


def test_a_message_the_platform_refuses_leaves_the_link_usable():
    # Given a platform that refuses the message (not sent: nothing reached the customer)
    store, link_id = an_alerted_case()
    refusal = PlatformRefused("10900", "Activity already replied to")
    deps = follow_up_deps(store, ScriptedPlatform([refusal]))
    token = store.case(CASE_ID).follow_up_link.csrf_token
    # When the form is sent
    outcome = submit_follow_up(link_id, {"csrf_token": token, "text": "Hola"}, deps)
    # Then the page says it was not sent, and the link can be used again
    assert isinstance(outcome, FollowUpSent) and not outcome.outcome.delivered
    assert store.case(CASE_ID).follow_up_link.used_at is None


def test_the_follow_up_suggests_words_in_the_language_the_customer_was_surveyed_in():
    # Given an X customer (X DMs carry no language) surveyed in English, rated 2/5
    store = a_low_scored_case(
        language=None,
        survey=SurveyState(sent_at="2026-11-24T09:31:00Z", form="choices", language="en"),
    )
    alert_low_score(CASE_ID, triage_deps(store))
    link_id = f"{CASE_ID}.{store.case(CASE_ID).follow_up_link.key}"
    # When the social team opens the alert's link (its page in the team's Spanish)
    shown = show_follow_up(link_id, follow_up_deps(store, ScriptedPlatform()))
    html = follow_up_page_for(shown, ROUTING).html
    # Then the message it suggests is in English, and no open case's reply is offered again
    [suggested] = re.findall(r"<textarea[^>]*>([^<]*)</textarea>", html)
    assert suggested.strip() and "sentimos" not in suggested.lower(), suggested
    assert "Sorry" in suggested or "sorry" in suggested, suggested
    assert "póliza" not in html
