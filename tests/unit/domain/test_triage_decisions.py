"""What triage decides beyond the category: innocent authority words, urgency, messages
with nothing to act on yet, and a person where the model is unsure."""

from __future__ import annotations

from dataclasses import replace

import pytest

from socialcare.domain.assessment import assess
from socialcare.domain.messages import Channel
from socialcare.domain.triage import Category, Sentiment
from socialcare_cli.triage_cli import TriageDesk


@pytest.fixture(scope="module")
def triager() -> TriageDesk:
    return TriageDesk()


@pytest.mark.parametrize(
    ("text", "category", "department"),
    [
        ("Soy abogado y querría un presupuesto de seguro para mi despacho", "sales_lead", "sales"),
        ("I'm a lawyer and I'd like a quote for my practice's insurance", "sales_lead", "sales"),
        (
            "Me han robado el coche, ya puse la denuncia en la policía. ¿Qué documentos os mando?",
            "question",
            "claims",
        ),
        ("Mi abogado me pide el certificado de la póliza, ¿me lo enviáis?", "question", None),
        (
            "¿El seguro de hogar incluye defensa jurídica si tengo un problema con el casero?",
            "question",
            None,
        ),
    ],
)
def test_innocent_authority_words_are_not_a_threat(triager, text, category, department):
    # Given a lawyer asking for a quote, a theft reported to the police, a paper asked for
    # When it is triaged
    assessment = triager.assess(text, Channel.MESSENGER)
    # Then it is no authority mention, and goes where its content says, never to legal
    assert not assessment.triage.authority_mentioned
    assert assessment.triage.category.value == category
    assert assessment.department != "legal"
    if department:
        assert assessment.department == department


@pytest.mark.parametrize(
    "text",
    [
        "Ya he puesto una queja en Profeco por los cobros",
        "Filing with the Financial Ombudsman this week",
        "Os denuncio ante la OCU, vergonzoso",
        "My solicitor will be in touch about the rejected claim",
        "Complaint sent to the FCC about the hidden fees",
    ],
)
def test_threats_to_go_to_a_body_or_a_court_go_to_legal_at_p1(triager, text):
    assessment = triager.assess(text, Channel.X_MENTION)
    assert assessment.triage.authority_mentioned
    assert (assessment.triage.category, assessment.department, assessment.priority) == (
        Category.COMPLAINT,
        "legal",
        "P1",
    )


@pytest.mark.parametrize(
    ("text", "department"),
    [
        (
            "Estoy en el arcén de la A-4 después de un accidente, con dos niños, "
            "y la grúa no llega",
            "claims",
        ),
        (
            "Someone just drained my account with transfers I didn't make, fraud line won't answer",
            None,
        ),
        ("Huele muchísimo a gas en el portal, hemos salido todos a la calle", None),
        ("My flight boards in 30 minutes and the app says my boarding pass is void", None),
        (
            "El vídeo de vuestro repartidor empujando a una señora ya es viral, "
            "2 millones de visitas",
            None,
        ),
    ],
)
def test_urgent_messages_are_p1_with_the_shortest_deadline_and_never_closed_alone(
    triager, text, department
):
    # Given a person's safety, a time-critical loss or a public blow-up in progress
    assessment = triager.assess(text, Channel.WHATSAPP)
    # Then it is urgent, P1, derived, and its department's P1 deadline is its shortest
    assert assessment.urgent and assessment.priority == "P1"
    assert not assessment.autonomous and assessment.department
    hours = triager.routing.departments[assessment.department].sla_hours
    assert hours["P1"] == min(hours.values())
    if department:
        assert assessment.department == department


def test_a_driver_stranded_after_an_accident_no_longer_waits_48_hours(triager):
    text = "Acabo de tener un accidente, estoy tirado en la autovía con el coche destrozado"
    assessment = triager.assess(text, Channel.X_MENTION)
    deadline = triager.routing.departments[str(assessment.department)].sla_hours["P1"]
    assert assessment.urgent and deadline <= 8


@pytest.mark.parametrize(
    "text", ["Hola", "👋", "Buenas tardes, tengo una consulta", "@SegurosMarea hello?", "??"]
)
def test_nothing_to_act_on_stays_with_the_social_team_who_ask(triager, text):
    # Given a greeting or a lone emoji
    assessment = triager.assess(text, Channel.FACEBOOK_COMMENT)
    replies = triager.replies(assessment, text, Channel.FACEBOOK_COMMENT)
    # Then it is not derived: the social team asks what the customer needs
    assert "needs_details" in assessment.flags
    assert assessment.autonomous and assessment.department is None
    assert "ayudarte" in replies.public or "help" in replies.public


def test_an_unsure_close_goes_to_a_person(triager):
    # Given praise the model is sure of, with a threshold above any confidence
    text = "Muchas gracias al técnico de ayer, muy amable y rápido"
    sure = triager.assess(text, Channel.FACEBOOK_COMMENT)
    assert sure.autonomous and sure.triage.category is Category.PRAISE
    strict = replace(triager.triager._model, confidence_threshold=1.0)
    # When it is assessed with that threshold
    unsure = assess(
        text,
        public=True,
        followers=None,
        model=strict,
        rules=triager.triager._rules,
        priorities=triager.triager._priorities,
        routing=triager.routing,
    )
    # Then a person in the social media team reads it before anything is closed
    assert "low_confidence" in unsure.flags
    assert (unsure.autonomous, unsure.department) == (False, "social_media")


@pytest.mark.parametrize(
    "text",
    [
        "Gracias @TeleOnda por dejarme sin línea justo el día de mi entrevista. "
        "Sois unos cracks 👏👏",
        "Thanks @SkyJetAir for losing my bag on my honeymoon. Really appreciate it 👏",
    ],
)
def test_sarcastic_thanks_are_negative_and_never_closed_as_praise(triager, text):
    assessment = triager.assess(text, Channel.X_MENTION)
    assert assessment.triage.sentiment is Sentiment.NEGATIVE
    assert assessment.triage.category is not Category.PRAISE and not assessment.autonomous


def test_a_scam_giveaway_is_spam_not_praise(triager):
    text = "🎉 ¡Felicidades! Has ganado una tarjeta regalo de 300€, reclámala en premios-marea.win"
    assessment = triager.assess(text, Channel.INSTAGRAM_COMMENT)
    assert assessment.triage.category is Category.SPAM and assessment.priority == "P4"


def test_results_carry_urgency_and_confidence(triager):
    result = triager.triage_line({"text": "¿Abrís los sábados?", "channel": "messenger"})
    assert result["urgent"] is False and 0.0 < result["confidence"] <= 1.0


@pytest.mark.parametrize(
    ("text", "urgent", "safety"),
    [
        # a person at risk: urgent, and a safety case (the emergency lines in the reply)
        ("Acabo de tener un accidente en la A-6 con mis hijos, estamos en el arcén", True, True),
        ("Huele a gas en el portal después de la reparación, venid ya", True, True),
        ("There's a live cable hanging at head height outside my house", True, True),
        # urgent, but no one is in danger: no emergency line
        ("Me están sacando dinero de la cuenta ahora mismo, cargos que no he hecho", True, False),
        ("My flight leaves in 2 hours and the app won't let me check in", True, False),
        # an advert using the words of an accident is neither
        (
            "Injured in an accident? our lawyers get you compensation. Call now "
            "www.abogados-accidente.top",
            False,
            False,
        ),
        ("¿Abrís los sábados?", False, False),
    ],
)
def test_a_person_at_risk_is_told_apart_from_other_urgent_cases(triager, text, urgent, safety):
    triage = triager.assess(text, Channel.MESSENGER).triage
    assert (triage.urgent, triage.safety) == (urgent, safety), text
