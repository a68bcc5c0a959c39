"""Issue 30, finding 4: customers read their own language (the survey, its page), staff
read theirs (the social team's copy, alerts and publish page; personal data masked in
the reader's words)."""

from __future__ import annotations

from socialcare.app.surveys import ask_for_satisfaction, show_survey
from socialcare.domain.cases import TriageRecord
from socialcare.domain.messages import Channel
from socialcare.presentation.survey_pages import survey_page_for
from tests.fakes import InMemoryWorkflowStore
from tests.outbound_fakes import ScriptedPlatform
from tests.unit.test_surveys import CASE_ID, a_closed_case, survey_dependencies

ENGLISH_TRIAGE = TriageRecord.from_dict(
    {"category": "complaint", "priority": "P2", "language": "en"}
)


def an_english_x_customer(**fields):
    """An X DM whose text triage read as English; X's DM events carry no `lang`."""
    return a_closed_case(Channel.X_DM, triage=ENGLISH_TRIAGE, language=None, **fields)


def test_an_english_x_customer_is_surveyed_and_shown_the_page_in_english():
    # Given an English X customer's complaint, resolved
    store = InMemoryWorkflowStore()
    store.add(an_english_x_customer())
    platform = ScriptedPlatform(["dm_1"])
    deps_ = survey_dependencies(store, platform)
    # When the closing asks, and the customer opens the link
    ask_for_satisfaction(store.case(CASE_ID), "resolved", deps_)
    [delivery] = platform.done
    page = show_survey(f"{CASE_ID}.{store.case(CASE_ID).survey.link_key}", deps_)
    html = survey_page_for(page).html
    # Then the DM and the page are in English
    assert delivery.action.text.startswith("We have closed your request"), delivery.action.text
    assert page.language == "en"
    assert "We have closed your request" in html and "Hemos cerrado" not in html


def test_an_unknown_language_falls_back_to_the_brand_default_and_records_it():
    # Given a customer whose language neither triage nor the platform knows
    store = InMemoryWorkflowStore()
    unknown = TriageRecord(category="complaint")
    store.add(a_closed_case(Channel.TELEGRAM, triage=unknown, language=None))
    platform = ScriptedPlatform(["tg_1"])
    # When the survey goes
    ask_for_satisfaction(store.case(CASE_ID), "resolved", survey_dependencies(store, platform))
    # Then in the brand's default language, and the case says it was a fallback
    assert platform.done[0].action.text.startswith("Hemos cerrado")
    survey = store.case(CASE_ID).survey
    assert (survey.language, survey.language_fallback) == ("es", True)
