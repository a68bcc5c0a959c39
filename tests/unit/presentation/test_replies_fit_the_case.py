"""Suggested replies composed from who wrote and what happened (issue 30, finding 2): a
person at risk gets the emergency lines and no paperwork; a known customer is greeted by
name and not asked who they are; a lead gets a sales reply and a next step; a supplier
the right contact; the department's deadline is a day and a time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialcare.domain.messages import Channel
from socialcare_cli.triage_cli import TriageDesk

ACCIDENT = (
    "Acabo de tener un accidente en la A-6 con mis hijos en el coche, estamos en el arcén "
    "esperando y no sé qué hacer"
)
ACCIDENT_EN = (
    "I just had a crash on the motorway with my kids in the car, we're on the hard shoulder"
)
COMPLAINT = "Me habéis cobrado dos veces el recibo"
QUOTE = "Hola, quería pedir presupuesto para un seguro de coche, ¿cuánto me costaría?"
SUPPLIER = "Somos una empresa de limpieza y nos gustaría ofreceros nuestros servicios"
PAPERWORK = ("póliza", "identif", "DNI", "correo con el que", "policy number", "identify")
BUSINESS_HOURS = ("horas laborables", "business hours", "en un máximo de", "within")


@pytest.fixture(scope="module")
def desk() -> TriageDesk:
    return TriageDesk()


def suggested(desk, text, channel=Channel.MESSENGER, *, known=False, **options):
    assessment = desk.assess(text, channel, known_customer=known)
    return desk.replies(assessment, text, channel, **options)


@pytest.mark.parametrize(("text", "number", "line"), [(ACCIDENT, "112", "900 000 000")])
def test_an_accident_gets_the_emergency_lines_at_once_and_no_paperwork(desk, text, number, line):
    # Given a driver who is not a customer, in an accident on the A-6 with her children
    reply = suggested(desk, text, author_name="Marta López").private
    # Then the reply gives the public emergency number and the brand's 24-hour line
    assert number in reply and line in reply, reply
    # And asks for no policy number or identity, and counts no business hours
    assert not [word for word in PAPERWORK + BUSINESS_HOURS if word in reply], reply
    assert reply.startswith("Hola, Marta:\n"), reply


def test_an_accident_in_english_gets_the_same_in_english(desk):
    reply = suggested(desk, ACCIDENT_EN, author_name="Kate Brown").private
    assert "112" in reply and "900 000 000" in reply and reply.startswith("Hello Kate,\n"), reply
    assert not [word for word in PAPERWORK + BUSINESS_HOURS if word in reply], reply


def test_an_accident_in_public_gives_the_lines_in_public_too(desk):
    replies = suggested(desk, ACCIDENT, Channel.FACEBOOK_COMMENT, author_name="Marta López")
    assert "112" in replies.public and "900 000 000" in replies.public, replies.public
    assert "112" in replies.private, replies.private


def test_a_known_customer_is_greeted_by_name_and_not_asked_who_they_are(desk):
    # Given Javier, on the customers list, who was charged twice
    replies = suggested(desk, COMPLAINT, Channel.WHATSAPP, known=True, author_name="Javier Ruiz")
    # Then the reply greets him by name, soberly, and asks for no identification
    reply = replies.private
    assert reply.startswith("Hola, Javier:\n"), reply
    assert not [word for word in PAPERWORK if word in reply], reply
    assert "Atención al cliente" in reply, reply


def test_someone_unknown_with_a_problem_is_asked_who_they_are(desk):
    reply = suggested(desk, COMPLAINT, Channel.WHATSAPP, author_name="Javier Ruiz").private
    assert "número de póliza" in reply and "Atención al cliente" in reply, reply


def test_a_lead_asking_for_a_quote_gets_a_sales_reply_and_a_next_step(desk):
    reply = suggested(desk, QUOTE, author_name="Pablo Gil").private
    # Then sales will contact them, and they are told what to send to move on
    assert "Comercial" in reply and "qué quieres asegurar" in reply and "teléfono" in reply, reply
    assert not [word for word in PAPERWORK if word in reply], reply


def test_a_supplier_gets_the_purchasing_contact_from_the_configuration(desk):
    reply = suggested(desk, SUPPLIER).private
    assert "Compras" in reply and "proveedores@segurosmarea.example" in reply, reply
    assert not [word for word in PAPERWORK if word in reply], reply


def test_the_department_deadline_is_said_as_a_day_and_a_time(desk):
    # Given an accident whose claims deadline is Wednesday 9 December at 18:00 in Madrid,
    # triaged on Monday 7 (a holiday in Madrid)
    now = datetime(2026, 12, 7, 13, 51, tzinfo=UTC)
    deadline = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
    reply = suggested(desk, ACCIDENT, deadline=deadline, now=now).private
    # Then the customer reads that day and time, not "8 horas laborables"
    assert "antes del miércoles 9 a las 18:00" in reply, reply
    assert not [word for word in BUSINESS_HOURS if word in reply], reply


@pytest.mark.parametrize(
    ("text", "name", "greeting"),
    [
        ("¿Tenéis seguro de mascotas? Quiero contratarlo", "Javier Ruiz", "Javier:\n"),
        ("Do you offer pet insurance? I'd like to buy it", "Javier Ruiz", " Javier,\n"),
        ("¿Tenéis seguro de mascotas? Quiero contratarlo", "@javi_88", ":\n"),
    ],
)
def test_a_greeting_is_well_formed_in_each_language(desk, text, name, greeting):
    # Given messages whose greeting rotates (each of these texts picks its own)
    for variant in range(12):
        reply = suggested(desk, f"{text} {'!' * variant}", author_name=name).private
        first = reply.split("\n")[0] + "\n"
        # Then the greeting is a line of its own, «Hola, Javier:» / "Hi Javier,"
        assert first.endswith(greeting) and "¿qué tal?" not in reply, reply
        assert first.startswith(("Hola", "Buenas", "Hi", "Hello")), reply
