"""The words people read: every code labelled in both languages, figures and times in
each locale's own writing, replies that suit the customer's mood and language."""

from __future__ import annotations

import pytest

from socialcare.app.triage import Triager
from socialcare.domain.cases import CaseStatus, FinalStatus
from socialcare.domain.messages import Channel
from socialcare.domain.routing import PRIORITIES
from socialcare.domain.triage import Category, Relation
from socialcare.presentation.formatting import Formats
from socialcare.presentation.labels import Labels
from socialcare.presentation.replies import ReplyWriter

ROUTING = Triager().routing
CODES = {
    "category": [c.value for c in Category] + ["untriaged"],
    "channel": [c.value for c in Channel],
    "relation": [r.value for r in Relation],
    "status": [s.value for s in CaseStatus] + [s.value for s in FinalStatus],
    "priority": [*PRIORITIES, "-"],
}


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_code_has_a_label_in_each_language(language):
    labels = Labels(language, ROUTING)
    missing = [
        f"{kind}.{code}"
        for kind, codes in CODES.items()
        for code in codes
        if code not in labels.known(kind)
    ]
    assert missing == []
    for key in ROUTING.departments:
        assert labels.department(key) != key
    for topic in [*ROUTING.topics, "other"]:
        assert labels.topic(topic) != topic


def test_departments_and_topics_are_named_in_the_reader_language():
    assert Labels("es", ROUTING).department("customer_service") == "Atención al cliente"
    assert Labels("en", ROUTING).department("customer_service") == "Customer service"
    assert Labels("en", ROUTING).department("social_team") == "Social media team"
    assert Labels("es", ROUTING).topic("claims_and_repairs") == "Siniestros y reparaciones"


@pytest.mark.parametrize(
    ("language", "number", "percent", "moment"),
    [
        ("es", "1.234,6", "33,3\N{NO-BREAK SPACE}%", "29 nov 2026, 22:17"),
        ("en", "1,234.6", "33.3%", "29 Nov 2026, 22:17"),
    ],
)
def test_figures_and_times_are_written_as_each_locale_writes_them(
    language, number, percent, moment
):
    formats = Formats(language, "Europe/Madrid")
    assert formats.number(1234.56) == number
    assert formats.percent(33.3) == percent
    # a UTC time read in Madrid (UTC+1 in November)
    assert formats.moment("2026-11-29T21:17:16.325Z") == moment
    assert formats.number(None) == formats.percent(None) == "\N{EN DASH}"


def test_durations_are_in_words_people_use():
    spanish = Formats("es")
    assert spanish.hours(2.25) == "2 h 15 min"
    assert spanish.hours(26.2) == "26 h"
    assert spanish.business_days(13.5, 9) == "1,5 días laborables"
    assert Formats("en").business_days(9, 9) == "1 business day"


def test_a_derived_english_reply_names_the_department_in_english():
    # Given an English-speaking customer whose complaint goes to customer service
    triager, writer = Triager(), ReplyWriter()
    text = "You charged me twice this month and nobody answers the phone. Refund it now."
    assessment = triager.assess(text, Channel.MESSENGER)
    # When the reply is suggested
    replies = writer.suggest(assessment, text, Channel.MESSENGER, author_name="John Smith")
    # Then no Spanish name or cheerful greeting is in it
    reply = replies.private or ""
    assert "Atención" not in reply and "Hi there" not in reply


def test_an_angry_customer_is_never_greeted_cheerfully():
    triager, writer = Triager(), ReplyWriter()
    angry = [
        f"Es una vergüenza, {n} semanas esperando al perito y nadie me llama. Estoy harto."
        for n in range(2, 40)
    ]
    for text in angry:
        assessment = triager.assess(text, Channel.FACEBOOK_COMMENT)
        replies = writer.suggest(assessment, text, Channel.FACEBOOK_COMMENT, author_name="Ana")
        assert "¿qué tal?" not in (replies.public or "") + (replies.private or "")


def test_a_department_reads_its_deadline_and_how_long_it_has_in_working_days():
    from socialcare.presentation.case_emails import CaseEmailComposer
    from tests.browser.screens import a_plan, a_rich_case

    # Given claims (24 business hours for P2; 7.8 h a working day in Madrid on average)
    email = CaseEmailComposer(ROUTING, "https://api.example").derivation(
        a_rich_case(), a_plan(), "A" * 32, "es"
    )
    # Then its deadline says how long it has, as people count it
    assert "3,1 días laborables para actuar" in email.text
