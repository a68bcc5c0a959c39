"""What a run of digit groups is, by the shapes each region writes its phones in, and
which phones are the brand's own lines rather than the author's.

Each shape is checked against its numbering plan, so a date, a price, an order number or
a tracking number written in groups does not read as a phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A doubled digit's digit sum: 5 -> 10 -> 1.
DOUBLED = str.maketrans("0123456789", "0246813579")


def luhn(digits: str) -> bool:
    """Every second digit from the right doubled (its digits summed); the total ends in 0."""
    kept, doubled = digits[::-1][::2], digits[::-1][1::2].translate(DOUBLED)
    return (sum(map(int, kept)) + sum(map(int, doubled))) % 10 == 0


# North American Numbering Plan: area code and exchange are NXX (N is 2-9), an N11 code is
# a service code, and these area codes are toll-free (a company's line, never a person's):
# https://en.wikipedia.org/wiki/North_American_Numbering_Plan
# https://en.wikipedia.org/wiki/Toll-free_telephone_numbers_in_the_North_American_Numbering_Plan
_NANP_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})

# Lines a company answers, whatever country writes them: Spain's 900/901/902/905/80x
# (https://en.wikipedia.org/wiki/Telephone_numbers_in_Spain), the UK's 0800/0808
# freephone, 084/087 service and 03 non-geographic numbers (Ofcom,
# http://www.ofcom.org.uk/media/features/03nhs;
# https://www.santander.co.uk/personal/support/customer-support/call-charges),
# # and Mexico's 800 (read as NANP toll-free above). By length: an Australian 03 is a landline.
_COMPANY_LINES = {
    9: ("900", "901", "902", "905", "803", "806", "807"),
    11: ("0800", "0808", "084", "087", "03"),
}


# How Spain writes its nine digits; 3-2-4 is a US SSN's shape ("666-12-3456" is none).
_SPANISH_SPACINGS = ([9], [3, 3, 3], [3, 2, 2, 2], [2, 3, 2, 2], [3, 6])


def is_card(digits: str) -> bool:
    """13 to 19 digits passing Luhn, whose first digit names a card network (ISO/IEC 7812:
    2 and 5 Mastercard, 3 American Express, 4 Visa, 6 Discover and others; a run of zeros
    in a tracking number passes Luhn): https://www.iso.org/standard/70484.html"""
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn(digits)


def number_kind(groups: list[str], joints: list[str], plus: bool) -> str | None:
    """What consecutive digit groups, with the separators between them, are: a card, a
    phone, or nothing. `plus`: the first group is written after a "+"."""
    digits = "".join(groups)
    sizes = [len(g) for g in groups]
    if is_card(digits) and all(j in (" ", "-") for j in joints):
        return "card"
    if plus:
        return "phone" if 9 <= len(digits) <= 15 else None
    if digits.startswith(_COMPANY_LINES.get(len(digits), ())) and not _pakistani_mobile(
        digits, sizes
    ):
        return None
    if any("(" in j or ")" in j for j in joints):
        # An area in parentheses: North American (555) 234-5678, Mexican (55) 4139 2750.
        north_american = sizes == [3, 3, 4] and _nanp(digits)
        mexican = sizes == [2, 4, 4] and digits[:2] in _TWO_DIGIT_AREAS
        return "phone" if north_american or mexican else None
    if len(digits) == 9 and digits[0] in "6789" and sizes in _SPANISH_SPACINGS:
        return "phone"  # Spanish: 612 345 678, 612 34 56 78, 612345678, 91 234 56 78
    if len(digits) == 9 and digits[0] == "9" and sizes == [1, 4, 4]:
        return "phone"  # Chilean mobiles, 9 8765 4321: https://en.wikipedia.org/wiki/Telephone_numbers_in_Chile
    if len(digits) == 11 and digits[0] == "0" and digits[1] != "0" and len(sizes) <= 3:
        return "phone" if min(sizes) >= 3 else None  # UK: 07700 900123, 020 7946 0958
    if len(digits) == 11 and sizes == [1, 3, 3, 4] and digits[0] == "1":
        return "phone" if _nanp(digits[1:]) else None  # North American 1-415-555-0134
    if len(digits) == 10:
        return "phone" if _ten_digits(digits, sizes) else None
    return None


# The two-digit areas written 2-4-4: Mexico City, Guadalajara, Monterrey; Buenos Aires
# and Argentina's mobile prefix 15; Australia's landlines and mobiles (links in
# _ten_digits). Any other 2-4-4 is an amount or a code.
_TWO_DIGIT_AREAS = frozenset({"55", "56", "33", "81", "11", "15", "02", "03", "04", "07", "08"})


_IRISH_MOBILES = ("083", "085", "086", "087", "089")


def _ten_digits(digits: str, sizes: list[int]) -> bool:
    """The ten-digit shapes: North American 555-123-4567; Mexico's and Argentina's area
    and subscriber, 55 4139 2750 and 11 5823-4471 (IFT's dialling at 10 digits since 2019,
    https://wradio.com.mx/programa/2020/07/30/martha_debayle/1596121276_957527.html;
    https://en.wikipedia.org/wiki/Telephone_numbers_in_Argentina); Australia's mobiles
    0412 887 305 and landlines 02 9876 5432 (ACMA's plan,
    http://www.dbcde.gov.au/telephone_services/telephone_numbering); India's mobiles
    70214 86630, which start with 6 to 9
    (https://en.wikipedia.org/wiki/Telephone_numbers_in_India); Ireland's mobiles
    087 314 6628 (https://en.wikipedia.org/wiki/Telephone_numbers_in_the_Republic_of_Ireland)."""
    if digits.startswith(_IRISH_MOBILES):
        return sizes in ([3, 3, 4], [3, 7], [10])
    if sizes == [3, 3, 4] and digits[:2] in _SOUTH_AFRICAN_MOBILES:
        return not digits.startswith(_SOUTH_AFRICAN_COMPANY)
    if sizes == [3, 3, 4]:
        # Colombia's mobiles start with 3, whatever follows: 300 123 4567
        # (https://en.wikipedia.org/wiki/Telephone_numbers_in_Colombia).
        return _nanp(digits) or digits[0] == "3"
    if sizes == [2, 4, 4]:
        return digits[:2] in _TWO_DIGIT_AREAS
    if sizes in ([4, 3, 3], [10]):
        return digits.startswith("04") or (sizes == [4, 3, 3] and _kenyan_mobile(digits))
    if sizes == [5, 5]:
        return digits[0] in "6789"
    return False


# Mobiles written in the shapes of their countries, each in its regulator's plan: Kenya's
# 07xx and 011x, 0722 418 593 (Communications Authority of Kenya,
# http://www.ca.go.ke/index.php/numbering/); South Africa's 06x, 07x and 08x, 082 123 4567
# (ICASA's Numbering Plan Regulations: https://en.wikipedia.org/wiki/Telephone_numbers_in_South_Africa;
# 080 and 086 are freephone and shared-cost, a company's); Pakistan's 03xx and seven digits,
# 0333 5127804 (PTA's National Numbering Plan:
# https://en.wikipedia.org/wiki/Telephone_numbers_in_Pakistan), which the UK's 03 company
# lines, written 0345 300 0000, never take. Nigeria's (NCC) and the Philippines' (NTC)
# eleven digits, 0803 123 4567 and 0917 482 6153, read as the UK's do.
_SOUTH_AFRICAN_MOBILES = frozenset({"06", "07", "08"})
_SOUTH_AFRICAN_COMPANY = ("080", "086")


def _kenyan_mobile(digits: str) -> bool:
    return digits.startswith(("07", "011", "010"))


def _pakistani_mobile(digits: str, sizes: list[int]) -> bool:
    return sizes == [4, 7] and digits.startswith("03")


def _nanp(digits: str) -> bool:
    area, exchange = digits[:3], digits[3:6]
    return (
        area[0] in "23456789"
        and area[1:] != "11"
        and area not in _NANP_TOLL_FREE
        and exchange[0] in "23456789"
        and exchange[1:] != "11"
    )


def may_be_number(digits: int, groups: int, plus: bool, plain: bool) -> bool:
    """False where `number_kind` is sure to find nothing, told from the counts alone: a
    run of thousands of digit groups is read without building each window's lists."""
    return digits in (9, 10, 11) or (plus and digits <= 15) or (digits >= 13 and plain)


# What the author says of a number they called, or of the brand's line: "llamé al",
# "your helpline", "I rang". Within a few characters before.
_CALLED = re.compile(
    r"(?i)\b(?:llam[eé]|he llamado|hemos llamado|llamando|llamamos|marqu[eé]|vuestr[oa]"
    r"(?: (?:tel[eé]fono|n[uú]mero|l[ií]nea))?|su (?:tel[eé]fono|n[uú]mero|l[ií]nea)|your"
    r"(?: \w+)? (?:number|line|helpline|hotline)|called|rang|calling|ringing|phoned|"
    r"dialled|dialed)\b[^\w\n]{0,3}(?:al |el |on |the |a )?(?:n[uú]mero |number )?[(+]?$"
)


# "en el 912 320 320 me dicen que...": a line told by what its people said or did not.
_AT_THE = re.compile(r"(?i)\ben el[ \t]{1,3}$")
_TOLD = re.compile(
    r"(?i)[^\w\n]{0,3}(?:(?:me|nos) (?:dicen|dijeron|han dicho|contestan|contestaron|atienden|"
    r"atendieron|cuelgan|colgaron)|(?:no|nadie) (?:contesta|contestan|coge|cogen|atiende|atienden))"
)


def is_brand_line(text: str, start: int, end: int) -> bool:
    """A phone the author called or names as the brand's, not their own."""
    if _CALLED.search(text, max(0, start - 40), start):
        return True
    return bool(_AT_THE.search(text, max(0, start - 10), start) and _TOLD.match(text, end))


# A number named as an order, a booking, an invoice, a tracking or a case: "pedido 55 4139
# 2750", "order #10 2345 6789", "folio 12.345.678-5" (not a bare "#": "Tel #: ...").
_REFERENCE = re.compile(
    r"(?i)(?:\b(?:pedido|orden|order|ref|referencia|reference|factura|invoice|folio|ticket|"
    r"tracking|seguimiento|gu[ií]a|env[ií]o|shipment|booking|reserva|localizador|pnr|"
    r"expediente|case|caso|incidencia|policy|p[oó]liza|contrato|contract|serial|"
    r"matr[ií]cula|item|art[ií]culo|sku|modelo|model|account|cuenta|cliente|customer|client|"
    r"member|socio|membership|consumer|connection|meter|contador|suministro|complaint|queja|"
    r"reclamo|reclamaci[oó]n|request|solicitud|transaction|transacci[oó]n|operaci[oó]n|"
    r"utr|upi|imei)\b)[ \t:.]{0,3}"
    r"(?:n[ºo°]\.? ?|no\.? ?|nro\.? ?|number ?|n[uú]mero ?|#)?$"
)


def names_a_reference(text: str, start: int) -> bool:
    """The number is introduced as a reference of some kind, not as a person's."""
    return _REFERENCE.search(text, max(0, start - 30), start) is not None


# A phone named as one: "my number 9876543210", "cel 5541392750", "whatsapp: 300 123 4567".
# Unnamed, ten digits in a row are an order's as often.
_NAMED_PHONE = re.compile(
    r"(?i)\b(?:cel|celular|cell|cellphone|m[oó]vil|whats(?:app)?|wsp|tel[eé]fono|tel|phone|"
    r"mobile|mob|contact|contacto|number|n[uú]mero|ph|(?:call|text|ring|reach|contact) me"
    r"(?: on| at)?|give me a (?:call|ring)(?: on| at)?|ll[aá]ma(?:me|nos)(?: al)?|"
    r"escr[ií]be(?:me|nos)(?: al)?|m[aá]rca(?:me|nos)(?: al)?)"
    r"[ \t]{0,2}(?:(?:is|es|no\.?|number|n[uú]mero|:|#)[ \t]{0,2}){0,2}"
    r"(0[1-9]\d{8,9}|\d{10}|\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}|\(?\d{2}\)?[ .-]?\d{4}[ .-]\d{4}|"
    r"\d{3}[ .-]\d{7})"
    r"(?![\w-])"
)


_FOUR_DIGITS = re.compile(r"\d{4}")


# Freephone and premium lines written nationally, after a trunk 0: a company's, wherever.
_NATIONAL_COMPANY = ("080", "090")


def _named_number(number: str) -> bool:
    """A North American ten digits outside toll-free, or a national number after its trunk
    0 (Kenya's 0722418593, Nigeria's 08031234567) that is no company's line."""
    if number[0] == "0":
        return number[1] != "0" and not number.startswith(
            (*_NATIONAL_COMPANY, *_COMPANY_LINES.get(len(number), ()))
        )
    return number[0] in "23456789" and number[:3] not in _NANP_TOLL_FREE


def find_named_phones(text: str) -> Iterator[tuple[str, int, int]]:
    """Ten digits (eleven after a trunk 0) after the word for a phone, in a row or in any
    usual grouping ("call me at 555-123-4567", whose exchange no plan allows, is still the
    author's phone), not a company's toll-free line nor an order's number ("order number
    9876543210")."""
    if _FOUR_DIGITS.search(text) is None:  # a phone has a group of four or more
        return
    for match in _NAMED_PHONE.finditer(text):
        number = re.sub(r"\D", "", match.group(1))
        if _named_number(number) and not names_a_reference(text, match.start()):
            yield "phone", match.start(1), match.end(1)
