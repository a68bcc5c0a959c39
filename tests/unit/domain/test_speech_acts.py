"""What a message does: asking, denying a complaint, reporting something broken now."""

from __future__ import annotations

import pytest

from socialcare.domain.speech_acts import speech_acts
from socialcare.domain.text_model import features, plain_text


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        ("No es queja, solo quiero entender cómo va la fianza", {"a:not_complaint", "a:asks"}),
        ("no es reclamo, solo quiero entender el cobro", {"a:not_complaint", "a:asks_only"}),
        ("Kindly clarify the refund process for my ward", {"a:asking", "a:asks_only"}),
        ("pls clarify if the fee is included", {"a:asking", "a:request"}),
        ("Quisiera saber si abren el domingo", {"a:asking", "a:asks_only"}),
        ("se cayó el server ahora mismo en plena final", {"a:broken_now"}),
        ("the app is down right now, can't pay", {"a:broken_now", "a:negation"}),
        ("Me llegó la sudadera rota hace dos semanas y nadie contesta", {"a:received"}),
        ("Qué bonito todo, lástima que lo cosan niños 🙃", {"a:praise_with_grievance"}),
        ("great job guys, app crashed again", {"a:praise_with_grievance", "a:accusing"}),
        ("realtors are parasites", {"a:abuse_only"}),
        ("ladrones, eso es lo que sois 🤡", {"a:abuse_only"}),
        ("Interested to collaborate for your season launch", {"a:partner"}),
        ("Hola, somos una empresa de uniformes y le ofrecemos precios", {"a:offer"}),
        ("me interesa, cuánto cuesta el plan familiar?", {"a:buying", "a:ends_asking"}),
    ],
)
def test_the_act_is_found_whatever_the_trade(text, acts):
    # Given a message, When its acts are read, Then those its words perform are there
    assert acts <= set(speech_acts(plain_text(text)))


def test_a_grievance_told_is_not_only_asking():
    # Given a question that tells what was received
    found = set(speech_acts(plain_text("¿Por qué me cobrasteis dos veces ayer?")))
    # Then it asks, but not only
    assert "a:asks" in found and "a:asks_only" not in found


def test_the_model_sees_the_acts():
    # Given a question, When its features are computed, Then its acts are among them
    assert {"a:question_mark", "a:asks"} <= set(features("¿Abrís el domingo?"))


def test_abuse_with_a_request_is_not_only_abuse():
    # Given an insult that also asks for something
    found = set(speech_acts(plain_text("sois unos ladrones, devolvedme el dinero por favor")))
    # Then it is abuse, but not abuse alone (a complaint may swear)
    assert "a:abuse" in found and "a:abuse_only" not in found
