"""Personal data: found by checksum, not by shape; masked everywhere it is shown."""

from __future__ import annotations

import pytest

from socialcare.domain.personal_data import (
    find_personal_data,
    mask_personal_data,
    valid_dni,
    valid_iban,
)
from socialcare.domain.personal_data_phones import luhn


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mi DNI es 12345678Z", "dni"),
        ("DNI 12345678-z", "dni"),
        ("mi NIE es X1234567L", "nie"),
        ("NIE Y-1234567-X", "nie"),
        ("escribid a laura.gomez@example.org", "email"),
        ("IBAN ES91 2100 0418 4502 0005 1332", "iban"),
        ("iban GB82WEST12345698765432", "iban"),
        ("card 4111 1111 1111 1111", "card"),
        ("tarjeta 5555-5555-5555-4444", "card"),
        ("llamad al 612 345 678", "phone"),
        ("llamad al 612345678", "phone"),
        ("my phone is +1 415 555 0134", "phone"),
        ("móvil +34 698 11 22 33", "phone"),
        ("call me on 07700 900123", "phone"),
        ("ring (555) 234-5678 after six", "phone"),
        ("a ES76 2077 0024 0031 0257 5766 lo que me debéis", "iban"),
    ],
)
def test_personal_data_is_found(text, kind):
    assert [m.kind for m in find_personal_data(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "mi DNI es 12345678A",  # wrong check letter
        "NIE X1234567A",
        "IBAN ES91 2100 0418 4502 0005 1333",  # fails mod-97
        "card 4111 1111 1111 1112",  # fails Luhn
        "pedido 123456789012",
        "200k seguidores, 1 Gb, km 0, 500€",
        "vuelo del 24/11/2026 a las 18:30",
        # hex ids that pass mod-97: no such country, or a Belgian one with letters
        "case 20261124-aa888ed00a3e657b:created",
        "case 20261124-be01ca8b1e8453d5",
        # the digits at the end of a request id, a date, a time, a price
        "request 1f3a-8050-722594717986",
        # a Lambda request id whose first 16 hex digits are digits passing Luhn
        '"function_request_id":"18077142-1959-4412-8d95-93d5f9ff2469"',
        "2026-11-24T10:00:00.123Z",
        "1.000.000 €, 18:30, 24/11/2026",
    ],
)
def test_lookalikes_are_not_personal_data(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("llamadme al 612 345 678 00 gracias", ["phone"]),
        ("612345678 00", ["phone"]),
        ("ref 00 612 345 678", ["phone"]),
        ("612-345-678-2", ["phone"]),
        ("pagué 2024 4111 1111 1111 1111 ayer", ["card"]),
        ("4111111111111111-12345", ["card"]),
        ("call (555) 234-5678 89 times", ["phone"]),
        ("ring 07700 900123 45", ["phone"]),
        ("DNI 12345678Z-612345678", ["dni", "phone"]),
        ("612 345 678 698 112 233", ["phone", "phone"]),
        ("IBAN ES91 2100 0418 4502 0005 1332 00", ["iban"]),
    ],
)
def test_personal_data_next_to_other_numbers_is_found(text, kinds):
    # Given a phone, card, ID or IBAN written next to another number
    # When it is looked for
    found = find_personal_data(text)
    # Then it is found whole, and masking leaves none of it
    assert [m.kind for m in found] == kinds
    for match in found:
        assert text[match.start : match.end] not in mask_personal_data(text)


def test_masking_replaces_each_piece_by_its_kind():
    text = "DNI 12345678Z, tel 612 345 678, mail a@b.es, IBAN ES9121000418450200051332"
    assert mask_personal_data(text) == "DNI [dni], tel [phone], mail [email], IBAN [iban]"


def test_checksums():
    assert valid_dni("12345678", "Z") and not valid_dni("12345678", "Y")
    assert valid_iban("ES9121000418450200051332") and not valid_iban("ES0021000418450200051332")
    # the country's length and, where the account part is digits only, digits
    for iban in ("GB82 WEST 1234 5698 7654 32", "FR14 2004 1010 0505 0001 3M02 606"):
        assert valid_iban(iban)
    assert not valid_iban("ES82210004184502000513")  # passes mod-97, but 22 characters: not Spain
    assert luhn("4111111111111111") and not luhn("4111111111111112")
