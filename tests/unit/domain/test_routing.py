"""Routing: priority, department, autonomy and the validation of config/routing.yaml."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from pydantic import ValidationError

from socialcare.app.triage import Triager
from socialcare.config.check import check
from socialcare.config.files import CONFIG_DIR
from socialcare.config.validation import validated
from socialcare.domain.messages import Channel
from socialcare.domain.routing import RoutingConfig


@pytest.fixture(scope="module")
def triager() -> Triager:
    return Triager()


@pytest.mark.parametrize(
    ("text", "channel", "kwargs", "priority", "department"),
    [
        ("Me habéis cobrado dos veces la factura", Channel.MESSENGER, {}, "P2", "customer_service"),
        (
            "Me habéis cobrado dos veces",
            Channel.MESSENGER,
            {"known_customer": True},
            "P1",
            "customer_service",
        ),
        ("Os denuncio ante la OCU, vergonzoso", Channel.X_MENTION, {}, "P1", "legal"),
        ("La app da error al entrar", Channel.MESSENGER, {}, "P2", "web_it"),
        (
            "El perito no ha venido a ver el siniestro y llevo dos semanas esperando",
            Channel.WHATSAPP,
            {},
            "P2",
            "claims",
        ),
        ("I'd like a quote for home insurance", Channel.MESSENGER, {}, "P3", "sales"),
        (
            "I'd like a quote for home insurance",
            Channel.X_MENTION,
            {"followers": 150_000},
            "P1",
            "sales",
        ),
        (
            "Somos una empresa de limpieza y ofrecemos nuestros servicios",
            Channel.MESSENGER,
            {},
            "P4",
            "purchasing",
        ),
        (
            "Me encantaría proponeros una colaboración",
            Channel.INSTAGRAM_DM,
            {},
            "P4",
            "partnerships",
        ),
        ("¿Cubre la póliza el robo de la bici?", Channel.TELEGRAM, {}, "P3", "claims"),
        ("¿Qué día pasa el cobro del recibo?", Channel.TELEGRAM, {}, "P3", "customer_service"),
    ],
)
def test_priority_and_department(triager, text, channel, kwargs, priority, department):
    assessment = triager.assess(text, channel, **kwargs)
    assert (assessment.priority, assessment.department) == (priority, department)
    assert not assessment.autonomous


@pytest.mark.parametrize(
    "text",
    [
        "¡Gracias por la atención de ayer, de diez!",
        "sois unos ladrones 🤡",
        "GANA 500€ AL DÍA desde casa http://x.example",
        "¿Hasta qué hora abrís el viernes?",
    ],
)
def test_praise_trolls_spam_and_faq_questions_stay_with_the_social_team(triager, text):
    assessment = triager.assess(text, Channel.INSTAGRAM_COMMENT)
    assert assessment.autonomous and assessment.department is None


def test_a_troll_mentioning_a_lawyer_is_still_derived_to_legal(triager):
    assessment = triager.assess("sois unos ladrones, mi abogado os va a hundir", Channel.X_MENTION)
    assert (assessment.autonomous, assessment.department) == (False, "legal")


def test_a_crisis_goes_to_the_social_media_manager_first(triager):
    assessment = triager.assess("Me habéis cobrado dos veces", Channel.X_MENTION, crisis=True)
    assert (assessment.priority, assessment.department) == ("P1", "social_media")


def test_trolls_are_never_urgent(triager):
    assessment = triager.assess("sois unos inútiles", Channel.X_MENTION, followers=500_000)
    assert assessment.priority == "P4"


def test_the_shipped_configuration_is_valid():
    assert check(today=date(2026, 11, 29)).problems == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["calendars"]["madrid"].update(timezone="Mars/Olympus"), "unknown time zone"),
        (lambda c: c["calendars"]["madrid"]["hours"].update(mon=["18:00-09:00"]), "start < end"),
        (lambda c: c.update(main_department="nobody"), "main_department"),
        (lambda c: c["rules"].append({"department": "ghosts"}), "unknown department"),
        (lambda c: c["departments"]["sales"].update(emails=["not-an-email"]), "not an email"),
        (lambda c: c["departments"]["sales"].update(calendar="mars"), "unknown calendar"),
        (lambda c: c["departments"]["sales"].update(sla_hourz={}), "Unexpected keyword"),
    ],
)
def test_config_mistakes_are_reported(change, message):
    config = yaml.safe_load((CONFIG_DIR / "routing.yaml").read_text())
    change(config)
    with pytest.raises(ValidationError, match=message):
        validated(RoutingConfig, config)
