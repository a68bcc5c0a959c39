"""The urgency cues of config/triage.yaml (`safety` and `urgency`), read as triage reads
them: what makes a message urgent whatever the urgency model says, and what must not
(issue 34: messages written by people the project never saw)."""

from __future__ import annotations

import pytest

from socialcare.config.loaders import triage_rules
from socialcare.domain.text_model import normalise
from socialcare.domain.triage import TriageRules


@pytest.fixture(scope="module")
def rules() -> TriageRules:
    return triage_rules()


def cue(text: str, rules: TriageRules) -> str | None:
    """Which cue list a message's words fire, safety first, as triage_text reads them."""
    plain = normalise(text)
    if any(p.search(plain) for p in rules.safety):
        return "safety"
    if any(p.search(plain) for p in rules.urgency):
        return "urgency"
    return None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a person held, a child lost
        ("el conductor apagó la app, se desvió y no me quiere bajar", "safety"),
        ("the taxi driver won't let me out, he's locked the doors", "safety"),
        ("I can't find my son, he was on the school bus", "safety"),
        # an injury now, a reaction to food
        ("glass in my son's burger, he's cut his mouth, we're at the walk-in centre", "safety"),
        ("Mi hija es celíaca, pedimos sin gluten y ya tiene dolor fuerte y vómitos", "safety"),
        # a car broken down in the dark, or with someone vulnerable
        ("My car's broken down on the A303 in the dark with my elderly mum", "safety"),
        ("se nos ha averiado el coche en la autovía de noche con el bebé", "safety"),
        # a departure within the hour or two, however the time is written
        ("la app no abre y embarco en 1h40 en Barajas T4", "urgency"),
        ("boarding in 45 min at Sydney T2 and the app says my booking doesn't exist", "urgency"),
        # money sent to the wrong person minutes ago; money needed today for an operation
        ("sent Ksh 4,500 to the wrong paybill like 5 min ago, please help reverse", "urgency"),
        ("I sent Rs 15,000 to wrong number by mistake 10 min ago. Please stop it", "urgency"),
        ("mi tía los necesita HOY para pagar la operación de mi tío a las 4", "urgency"),
        # a live final failing while thousands watch
        ("SERVERS CRASHING MID-TOURNAMENT AGAIN. grand final, 4k on stream", "urgency"),
        ("SERVIDORES CAÍDOS EN PLENA FINAL DEL TORNEO", "urgency"),
    ],
)
def test_what_cannot_wait_is_cued(rules, text, kind):
    assert cue(text, rules) == kind


@pytest.mark.parametrize(
    "text",
    [
        # an account, not a child, that cannot be found
        "Y'all keep saying you can't find my account in the system",
        "I can't find my account number on the app",
        # a breakdown, a transfer or a server that is over or has no deadline
        "my car broke down last week and you charged me for the tow",
        "sent money to the wrong account last month and still waiting for the reversal",
        "the game was down for an hour last night, not cool",
        "EMERGENCIAAAA el server de sudamérica no carga hace 1 hora y tengo torneo a las 8",
        # "operación" is a bank transaction too; a flight's length is no departure
        "la operación de hoy no aparece en mi cuenta",
        "¿el desayuno está incluido en los vuelos de más de 3 horas?",
    ],
)
def test_what_can_wait_is_not_cued(rules, text):
    assert cue(text, rules) is None
