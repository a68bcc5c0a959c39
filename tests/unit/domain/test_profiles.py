"""Industry profiles (config/profiles/<industry>/): the same triage, each industry's own
departments, keywords, topics and FAQ."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socialcare.app.triage import Triager
from socialcare.config.files import CONFIG_DIR
from socialcare.domain.messages import Channel


def deployed(profile: str, folder: Path) -> Triager:
    """The configuration as ops deploy a profile: its files copied over the active ones."""
    shutil.copytree(CONFIG_DIR, folder, dirs_exist_ok=True)
    for path in (CONFIG_DIR / "profiles" / profile).iterdir():
        shutil.copy(path, folder / path.name)
    return Triager(folder)


@pytest.mark.parametrize(
    ("profile", "text", "department", "topic"),
    [
        (
            "bank",
            "Me han clonado la tarjeta y veo cargos que no reconozco de ayer",
            "cards_and_fraud",
            "cards_and_fraud",
        ),
        ("bank", "La app me da error al firmar la transferencia", "digital_banking", "payments"),
        (
            "telco",
            "Sin internet en todo el barrio desde esta mañana",
            "network_operations",
            "outages",
        ),
        (
            "telco",
            "El técnico no vino a la instalación de la fibra",
            "field_engineers",
            "installation",
        ),
        ("airline", "Perdisteis mi maleta en Barajas y nadie me dice nada", "baggage", "baggage"),
        (
            "airline",
            "Me cancelasteis el vuelo y todavía no tengo el reembolso",
            "refunds",
            "refunds_and_compensation",
        ),
    ],
)
def test_each_profile_routes_by_its_industry(tmp_path, profile, text, department, topic):
    # Given a profile deployed
    triager = deployed(profile, tmp_path)
    # When a message of that industry is triaged
    assessment = triager.assess(text, Channel.MESSENGER)
    # Then it goes to that industry's department, under that industry's topics
    assert assessment.department == department
    assert topic in assessment.topics


def test_an_airline_sends_urgent_cases_to_its_operations_centre(tmp_path):
    triager = deployed("airline", tmp_path)
    text = (
        "Estoy en la puerta de embarque y la app dice que mi tarjeta no es válida, "
        "sale en 20 minutos"
    )
    assessment = triager.assess(text, Channel.X_MENTION)
    assert assessment.urgent and assessment.department == "operations"
    assert triager.routing.departments["operations"].sla_hours["P1"] == 1


def test_a_profile_answers_its_own_faq(tmp_path):
    triager = deployed("bank", tmp_path)
    text = "¿Cómo puedo bloquear mi tarjeta?"
    assessment = triager.assess(text, Channel.MESSENGER)
    assert assessment.faq and assessment.faq.key == "card_block" and assessment.autonomous
