"""Personal data of the regions socialcare serves: each country's numbers by their check
digits or their numbering plan, and the lookalikes that must not fire (issue 34)."""

from __future__ import annotations

import pytest

from socialcare.domain.messages import Channel
from socialcare.domain.personal_data import find_personal_data, mask_personal_data
from socialcare.domain.personal_data_ids import (
    valid_aadhaar,
    valid_clabe,
    valid_cuit,
    valid_curp,
    valid_nric,
    valid_ppsn,
    valid_rut,
    valid_ssn,
    valid_za_id,
)
from socialcare_cli.triage_cli import TriageDesk


def found(text: str) -> list[tuple[str, str]]:
    return [(m.kind, text[m.start : m.end]) for m in find_personal_data(text, authors=True)]


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        # Mexico: mobiles in their spacings, with or without +52 / 044 / 045; CURP; CLABE
        ("mándenme info al 33 1876 2045 por whats", "phone", "33 1876 2045"),
        ("mi cel 55 4139 2750", "phone", "55 4139 2750"),
        ("cel +52 55 4139 2750", "phone", "+52 55 4139 2750"),
        ("márquenme al 044 55 4139 2750", "phone", "55 4139 2750"),
        ("su CURP GALA650823MPLRPN05, o nomas", "curp", "GALA650823MPLRPN05"),
        ("curp rusm920714mjcznr03", "curp", "rusm920714mjcznr03"),
        ("devuélvanme a la CLABE 012180001234567899 ya", "clabe", "012180001234567899"),
        ("factúrenme, RFC: GODE561231GR8", "rfc", "GODE561231GR8"),
        ("GODE561231GR8 es mi RFC", "rfc", "GODE561231GR8"),
        ("llámame al 222 123 4567", "phone", "222 123 4567"),
        # Argentina: DNI after its name, CUIT/CUIL with its check, Buenos Aires mobiles
        ("Graciela Ferreyra, DNI 17.234.560, gracias", "national_id", "17.234.560"),
        ("Martín Sosa, CUIT 20-31987654-6", "cuit", "20-31987654-6"),
        ("mi cuil es 20319876546", "cuit", "20319876546"),
        ("cel 11 5823-4471. Vergüenza", "phone", "11 5823-4471"),
        # Colombia: the cédula has no check digit, so only after the word that names it
        ("mi cédula 1.020.345.678 no aparece", "national_id", "1.020.345.678"),
        ("C.C. 52345678 de Bogotá", "national_id", "52345678"),
        ("CC 52345678", "national_id", "52345678"),
        # Chile: RUT with its mod-11 check, dotted or after its name; K as the check
        ("mi RUT 21.345.678-4 está inscrito", "rut", "21.345.678-4"),
        ("mi mamá, RUT 6.123.456-K, le toca?", "rut", "6.123.456-K"),
        ("RUT 18456902-7", "rut", "18456902-7"),
        # Peru: DNI with its check character when given
        ("DNI 45879213-1, escuela de Administración", "national_id", "45879213-1"),
        ("DNI 10117410-G", "national_id", "10117410-G"),
        # UK: NINO with its prefix rules, mobiles
        ("It is JT 48 29 17 B if so", "nino", "JT 48 29 17 B"),
        ("NI number AB123456C", "nino", "AB123456C"),
        ("text me on 07700 900123", "phone", "07700 900123"),
        ("call +44 7700 900123", "phone", "+44 7700 900123"),
        # US: SSN outside the ranges never issued, NANP phones with a valid area/exchange
        ("my SSN is 412-67-3391 and", "ssn", "412-67-3391"),
        ("social security number 412 67 3391", "ssn", "412 67 3391"),
        ("call me at (415) 555-0134", "phone", "(415) 555-0134"),
        ("cell 312-555-0199 after six", "phone", "312-555-0199"),
        # Ireland: PPSN with its check letter (and the 2013 second letter), mobiles
        ("it's 9618504D not whatever's on that letter", "ppsn", "9618504D"),
        ("PPS 6433435FW", "ppsn", "6433435FW"),
        ("PPS 6433435OA", "ppsn", "6433435OA"),
        ("I'm the RA on floor 3, 087 314 6628", "phone", "087 314 6628"),
        # Australia and India: mobiles
        ("Can someone call me on 0412 887 305 before 5?", "phone", "0412 887 305"),
        ("my no. +91 70214 86630", "phone", "+91 70214 86630"),
        ("call on 98765 43210 pls", "phone", "98765 43210"),
        ("kindly call my number 9876543210", "phone", "9876543210"),
        # named as a phone, a number no plan allows is still the author's
        ("call me at (555) 123-4567 tonight", "phone", "(555) 123-4567"),
        ("mobile no. is 98765-43210", "phone", "98765-43210"),
        ("my aadhaar 2341 2341 2346 is linked", "aadhaar", "2341 2341 2346"),
        ("PAN AAPPV8261K for the KYC", "pan", "AAPPV8261K"),
        # ten digits in a row, named as a phone; the other regions' shapes
        ("cel: 5541392750", "phone", "5541392750"),
        ("márcame al (55) 4139 2750", "phone", "(55) 4139 2750"),
        ("call 1-415-555-0134", "phone", "1-415-555-0134"),
        ("mi celular 9 8765 4321", "phone", "9 8765 4321"),
        ("escríbanme al 300 123 4567", "phone", "300 123 4567"),
        ("fijo 91 234 56 78", "phone", "91 234 56 78"),
        # the author's own line, however it is introduced
        ("me encuentran en el 612 345 678 por las tardes", "phone", "612 345 678"),
        ("Tel #: 612 345 678", "phone", "612 345 678"),
        # Singapore: NRIC and FIN by their check letter; South Africa's ID number
        ("My NRIC S8734216F, the order under my name", "nric", "S8734216F"),
        ("Hi my IC is S1472835Z, can you check", "nric", "S1472835Z"),
        ("FIN G4549883U pls check", "nric", "G4549883U"),
        ("my fin m1234567k", "nric", "m1234567k"),
        ("My ID 8807125578088. Nobody calls back.", "za_id", "8807125578088"),
        ("ID 880712 5578 088 please", "za_id", "880712 5578 088"),
        # Pakistan, Kenya, South Africa, Nigeria, the Philippines: mobiles by their plans
        ("Contact me on 0333 5127804 urgently", "phone", "0333 5127804"),
        ("My number is 0321-4678912", "phone", "0321-4678912"),
        ("or call me 0722 418 593", "phone", "0722 418 593"),
        ("new line 0111 234 567", "phone", "0111 234 567"),
        ("WhatsApp me 082 123 4567", "phone", "082 123 4567"),
        ("call me 0722418593", "phone", "0722418593"),
        ("abeg call 0803 123 4567", "phone", "0803 123 4567"),
        ("my number 08031234567", "phone", "08031234567"),
        ("pls text me 0917 482 6153", "phone", "0917 482 6153"),
        ("+91 98712 04563 is mine", "phone", "+91 98712 04563"),
    ],
)
def test_each_regions_personal_data_is_found(text, kind, number):
    assert found(text) == [(kind, number)]


@pytest.mark.parametrize(
    "text",
    [
        "CURP GALA650823MPLRPN06",  # wrong check digit
        "CURP GALA651323MPLRPN05",  # month 13
        "CURP GALA650823MXXRPN05",  # no such state
        "RUT 21.345.678-5",  # wrong check digit
        "CUIT 20-31987654-7",
        "CUIT 99-31987654-6",  # no such type
        "CLABE 012180001234567890",
        "DNI 45879213-9",  # Peru's check character does not hold
        "NI number BG123456C",  # a prefix never allocated
        "NI number DA123456C",  # D is never a prefix letter
        "NI number AB123456E",  # the suffix is A-D
        "SSN 000-12-3456",
        "SSN 666-12-3456",
        "SSN 912-34-5678",  # 9xx: ITINs, never an SSN
        "SSN 412-00-3391",
        "SSN 412-67-0000",
        "PPS 9618504E",  # wrong check letter
        "ring (555) 123-4567",  # an exchange never starts with 1
        "call 911-555-0134",  # N11 is a service code
        "aadhaar 2341 2341 2347",  # fails Verhoeff
        "GODE561231GR9",  # an unnamed RFC whose check fails
        "RFC GODE561331GR8",  # month 13
        "SSN 666-12-3456 again",  # not a Spanish mobile either: Spain never writes 3-2-4
        "Aadhaar no 7390 5518 2649",  # fails Verhoeff (its check digit would be 5)
        "My NRIC S8734216G",  # wrong check letter
        "FIN M1234567N",  # the M series' letter without its start of 3
        "NRIC X8734216F",  # no such series
        "My ID 8807125578087",  # fails Luhn
        "My ID 8813125578086",  # month 13, though Luhn holds
        "My ID 8807125578385",  # citizenship digit 3, though Luhn holds
    ],
)
def test_numbers_whose_checks_fail_are_not_personal_data(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # order numbers, invoices, tracking numbers, references
        "pedido 33 1876 2045",
        "order #10 2345 6789",
        "folio 12.345.678-5",
        "ticket 412-67-3391",
        "tracking 9400 1000 0000 0000 0000 00",
        "guía 1Z999AA10123456784",
        "factura 2026-4471-0012",
        "pedido 5541392750",
        "order number 9876543210",
        "customer number 9876543210",
        "whatsapp 8001234567",  # toll-free
        "my number is 800-123-4567",
        "order number 555-123-4567",
        "2341 2341 2346",  # passes Verhoeff, but unnamed it is any twelve digits
        "ABCCD1234E",  # not a person's PAN
        "order 4521 8876 33",
        "ISBN 978-84-376-0494-7",
        "tracking 012180001234567899",  # 18 digits passing CLABE's check, not named so
        # prices, amounts, dates, scores
        "me cobraron $1,850 de limpieza",
        "12 1000 2000 pesos",
        "1.234.567,89 €",
        "el 12/03/2026 a las 18:30",
        "24 11 2026 18 30",
        "íbamos 12-10 y ahora",
        "2026-12-07 22:30",
        # spaced IBANs that fail mod-97
        "IBAN ES91 2100 0418 4502 0005 1333",
        "GB82 WEST 1234 5698 7654 33",
        # company lines: the brand's own, toll-free, or the one the author called
        "llámenos al 900 123 456",
        "call 0800 123 4567",
        "ring 0345 300 0000",
        "1-800-555-0199",
        "800 123 4567",
        "en el 912 320 320 me dicen que por la web",
        "llamé al 612 345 678 y nadie contesta",
        "I rang 07700 900123 three times",
        "your helpline 020 7946 0958 never answers",
        # company lines of the new plans, lookalikes of the new ids
        "ring 0345 300 0000 for claims",  # the UK's 03, written 4-3-4
        "call our toll free 080 012 3456",  # South Africa's freephone
        "call me on 0800 123456",  # named, but freephone
        "REF S8734216F",  # an NRIC-shaped reference, introduced as one
        "order 8807125578088",  # a thirteen-digit order number passing every check
        "s8734216f",  # an NRIC in lower case, unnamed, is any code
        "tracking 0722 418 593",
        # lookalikes of identity numbers
        "cc 52345678",  # a copy in an email, not Colombia's C.C.
        "12345678-5 ref",
        "version 10.2.3",
    ],
)
def test_false_alarms_are_not_the_authors_personal_data(text):
    assert found(text) == []


def test_what_is_not_the_authors_is_still_masked():
    # Given a message naming a number as an order's, and one the author called
    text = "pedido 33 1876 2045; llamé al 612 345 678"
    # When it is masked for a report, and read for the flag
    masked = mask_personal_data(text)
    # Then both are hidden (a lookalike masked costs nothing), and neither is flagged
    assert masked == "pedido [phone]; llamé al [phone]"
    assert found(text) == []


def test_a_message_with_several_regions_data_finds_each():
    text = "DNI 17.234.560, cel 11 5823-4471, CUIT 20-31987654-6"
    assert [kind for kind, _ in found(text)] == ["national_id", "phone", "cuit"]


def test_the_checks_follow_their_references():
    # python-stdnum's own examples (stdnum/mx/curp.py, cl/rut.py, ar/cuit.py, ie/pps.py,
    # us/ssn.py) and a CLABE from the ABM's layout
    assert valid_curp("BOXW310820HNERXN09") and not valid_curp("BOXW310820HNERXN08")
    assert valid_rut("76086428", "5") and not valid_rut("12531909", "3")
    assert valid_cuit("20267565393") and not valid_cuit("20267565392")
    assert valid_ppsn("6433435", "F", "") and valid_ppsn("6433435", "O", "A")
    assert not valid_ppsn("6433435", "V", "H")
    assert valid_ssn("536904399") and not valid_ssn("078051120")
    assert valid_clabe("032180000118359719") and not valid_clabe("032180000118359718")


def test_a_request_id_shaped_like_a_ppsn_is_not_personal_data():
    # Given a log line's correlation id (a UUID) whose first group passes PPSN's check
    line = '"correlation_id":"4635760b-1c2d-4e5f-8a9b-0c1d2e3f4a5b"'

    # When it is searched, Then nothing is found; the same number alone still is
    assert valid_ppsn("4635760", "B", "")
    assert found(line) == []
    assert found("PPS 4635760B") == [("ppsn", "4635760B")]


def test_the_checks_of_world_english_ids_follow_their_references():
    # Given the published examples: GovTech FormSG's (shared/utils/nric-validation.ts,
    # its M series test vector M1234567K), python-stdnum's Aadhaar (stdnum/in_/aadhaar.py)
    # and a South African ID from Home Affairs' layout
    # Then each passes, and the same number with another check character does not
    assert valid_nric("S", "1234567", "D") and not valid_nric("S", "1234567", "E")
    # T starts at 4: 0*2 + 1*7 + 2*6 + 3*5 + 4*4 + 5*3 + 6*2 = 77, 81 mod 11 = 4, "G"
    assert valid_nric("T", "0123456", "G") and not valid_nric("S", "0123456", "G")
    assert valid_nric("G", "4549883", "U") and valid_nric("M", "1234567", "K")
    assert not valid_nric("M", "1234567", "N")
    assert valid_aadhaar("234123412346") and not valid_aadhaar("739055182649")
    assert valid_aadhaar("739055182645")
    assert valid_za_id("8807125578088") and not valid_za_id("8807125578089")


def test_world_english_numbers_are_exposed_only_on_a_public_channel():
    # Given an NRIC, a South African ID and a Kenyan mobile, each found by its check or plan
    desk = TriageDesk()
    for text in (
        "Parcel never came!! My NRIC S8734216F, please check la",
        "Funeral claim declined. My ID 8807125578088. Nobody calls back.",
        "Sold me a FAKE phone. Call me 0722 418 593",
    ):
        # When it is written in a public comment and in a private message
        public = desk.assess(text, Channel.FACEBOOK_COMMENT).triage
        private = desk.assess(text, Channel.WHATSAPP).triage
        # Then both find it, and only the public one is exposed
        assert public.personal_data and public.personal_data_exposed, text
        assert private.personal_data == public.personal_data, text
        assert not private.personal_data_exposed, text
