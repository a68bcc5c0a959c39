"""Issue 30, finding 4: customers read their own language (the survey, its page), staff
read theirs (the social team's copy, alerts and publish page; personal data masked in
the reader's words)."""

from __future__ import annotations

from dataclasses import replace

from socialcare.app.publish_links import PublishDependencies, PublishForm, show
from socialcare.app.surveys import ask_for_satisfaction, show_survey
from socialcare.app.workflow_steps import derive_step
from socialcare.domain.cases import PublishLink, TriageRecord
from socialcare.domain.crisis import CrisisFacts
from socialcare.domain.messages import Channel
from socialcare.presentation.case_emails import CaseEmailComposer
from socialcare.presentation.survey_pages import survey_page_for
from tests.fakes import InMemoryWorkflowStore, a_case
from tests.outbound_fakes import ScriptedPlatform, outbound_dependencies
from tests.service_fakes import Outbox
from tests.unit.test_surveys import CASE_ID, a_closed_case, survey_dependencies
from tests.unit.test_workflow_steps import ROUTING, a_plan, deps
from tests.unit.test_workflow_steps import a_store as a_workflow_store

ENGLISH_TRIAGE = TriageRecord.from_dict(
    {"category": "complaint", "priority": "P2", "language": "en"}
)
PHONE = "Llamadme al 612 345 678, nadie me atiende"


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


def test_the_social_team_copy_is_entirely_in_the_social_team_language():
    # Given a case derived to web_it, a department that reads English (the team: Spanish)
    store, outbox = a_workflow_store(), Outbox()
    # When the derivation is sent
    derive_step(CASE_ID, a_plan(department="web_it"), "task-token", deps(store, outbox))
    department, copy = outbox.sent
    # Then the department's is English, and the team's copy Spanish from subject to body
    assert department["subject"].startswith("[P2] Case for you")
    assert copy["subject"].startswith("[Copia equipo social] [P2] Caso derivado"), copy["subject"]
    assert "Case for you" not in copy["text"] and "Caso derivado" in copy["text"]
    # And it tells the team what happened to the case, not what the department must do
    assert "os deriva este caso" not in copy["text"]
    assert "se ha derivado a Soporte web e informático" in copy["text"], copy["text"]


def test_staff_alerts_are_in_the_language_their_readers_have_in_configuration():
    # Given a social team and crisis contacts configured to read English (brand: Spanish)
    routing = replace(
        ROUTING,
        **{
            "social_team": replace(ROUTING.social_team, **{"language": "en"}),
            "crisis": replace(ROUTING.crisis, **{"language": "en"}),
        },
    )
    composer = CaseEmailComposer(routing, "https://api.example")
    case = a_case(triage=TriageRecord(category="complaint", priority="P1"))
    # When the team's alerts are composed
    urgent = composer.urgent(case)
    low = composer.low_score(case, 1)
    digest = composer.autonomous_digest([case, replace(case, id="20261124-fedcba9876543210")])
    crisis = composer.crisis(CrisisFacts("billing", 6, 2, 60, (case,), {}))
    # Then each is in English
    assert urgent.subject.startswith("[URGENT P1]"), urgent.subject
    assert low.subject.startswith("[Low satisfaction: 1/5]"), low.subject
    assert digest.subject.startswith("For the social team: 2 cases"), digest.subject
    assert crisis.subject.startswith("CRISIS ALERT"), crisis.subject


def test_masked_personal_data_reads_in_the_reader_language():
    # Given a message with a phone number
    composer = CaseEmailComposer(ROUTING, "https://api.example")
    case = a_case(texts=(PHONE,))
    # When a Spanish and an English department read it
    spanish = composer.derivation(case, a_plan(), "A" * 32, "es")
    english = composer.derivation(case, a_plan(department="web_it"), "A" * 32, "en")
    # Then each sees the placeholder in its own words
    assert "Llamadme al [teléfono]" in spanish.text, spanish.text
    assert "Llamadme al [phone]" in english.text
    assert "[phone]" not in spanish.text + spanish.html


def test_what_a_message_holds_besides_words_reads_in_the_reader_language():
    # Given a WhatsApp voice note and a Telegram photo with a caption, as the parsers label them
    composer = CaseEmailComposer(ROUTING, "https://api.example")
    case = a_case(texts=("[voice note]", "[photo] Este es el parte amistoso firmado"))
    # When a Spanish and an English department read them
    spanish = composer.derivation(case, a_plan(), "A" * 32, "es")
    english = composer.derivation(case, a_plan(department="web_it"), "A" * 32, "en")
    # Then each reads the labels in its own words
    for part in (spanish.text, spanish.html):
        assert "[nota de voz]" in part and "[foto] Este es el parte" in part, part
        assert "[voice note]" not in part and "[photo]" not in part
    assert "[voice note]" in english.text and "[photo] Este es el parte" in english.text


def test_the_publish_page_speaks_the_social_team_language_not_the_customer():
    # Given an English customer's case, and a social team that reads Spanish
    store = InMemoryWorkflowStore()
    case = a_case(language="en", triage=ENGLISH_TRIAGE, publish=PublishLink("k" * 32, "t" * 32))
    store.add(case)
    publish = PublishDependencies(
        cases=store,
        links=store,
        outbound=outbound_dependencies(),
        clock=lambda: None,
        language="es",
    )
    # When the team opens the publish link
    form = show(f"{case.id}.{'k' * 32}", publish)
    # Then the page is the team's, in Spanish
    assert isinstance(form, PublishForm)
    assert form.language == "es"
