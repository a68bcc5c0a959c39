"""Identity numbers of the regions socialcare serves, found by their check digits.

Where a number carries a check digit (CURP, RUT, CUIT/CUIL, PPSN, CLABE, Peru's DNI when
its check character is given) it counts only when the check holds; where it has none
(Argentina's and Peru's DNI, Colombia's cédula, a US SSN without its dashes) only right
after the word that names it. The algorithms follow python-stdnum's, cited per rule
(https://github.com/arthurdejong/python-stdnum), written here so the stream function's
layer gains no dependency.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from socialcare.domain.personal_data_phones import luhn, names_a_reference

# The word that names a number, and what may stand between it and the number: "RUT:",
# "DNI nº", "CC No.", "SSN is", "cédula de ciudadanía".
_BETWEEN = r"[ \t]{0,3}(?:n[º°o]\.?|nro\.?|no\.?|number|#|:|es|is|was)?[ \t:]{0,3}"

# CURP: 4 letters, birth date, sex, state, 3 consonants, a homonym character and a check
# digit (RENAPO, https://www.gob.mx/curp/; python-stdnum stdnum/mx/curp.py).
_CURP = re.compile(r"(?<![\w])([A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z\d]\d)(?![\w])", re.IGNORECASE)
_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ"
_CURP_STATES = frozenset(
    {
        *("AS", "BC", "BS", "CC", "CH", "CL", "CM", "CS", "DF", "DG", "GR", "GT", "HG", "JC"),
        *("MC", "MN", "MS", "NE", "NL", "NT", "OC", "PL", "QR", "QT", "SL", "SP", "SR", "TC"),
        *("TL", "TS", "VZ", "YN", "ZS"),
    }
)

# RFC of a person (Mexico): four letters, birth date, a three-character homoclave whose
# last is a mod-11 check (SAT, https://www.sat.gob.mx/; python-stdnum stdnum/mx/rfc.py,
# which checks it only on request: many a real RFC fails it). Unnamed, only when the check
# holds; after "RFC", any with a real date.
_RFC = re.compile(r"(?<![\w&])([A-ZÑ&]{4}\d{6}[A-Z\d]{3})(?![\w])")
_RFC_NAMED = re.compile(rf"(?i)\bRFC{_BETWEEN}([A-ZÑ&]{{4}}\d{{6}}[A-Z\d]{{3}})(?![\w])")
_RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"

# RUT/RUN (Chile): a body and a mod-11 check digit or K, "12.345.678-5"; undotted only
# after "RUT"/"RUN" (SII, https://www.sii.cl/; python-stdnum stdnum/cl/rut.py).
_RUT_DOTTED = re.compile(r"(?<![\w.-])(\d{1,2}\.\d{3}\.\d{3})-([\dkK])(?![\w-])")
_RUT_NAMED = re.compile(rf"(?i)\bRU[TN]{_BETWEEN}(\d{{7,8}})-?([\dk])(?![\w-])")

# CUIT/CUIL (Argentina): type, DNI, mod-11 check, "20-31987654-6"; undotted only after
# its name (AFIP, https://www.afip.gob.ar/; python-stdnum stdnum/ar/cuit.py).
_CUIT_DASHED = re.compile(r"(?<![\w-])(2[0347]|3[034])-(\d{8})-(\d)(?![\w-])")
_CUIT_NAMED = re.compile(rf"(?i)\bCUI[TL]{_BETWEEN}(\d{{2}})[ -]?(\d{{8}})[ -]?(\d)(?![\w-])")

# DNI of Argentina (7-8 digits, dotted or not) and Peru (8 digits, and a check digit or
# letter when the card's is given: RENIEC, https://www.gob.pe/235-documento-nacional-de-
# identidad-dni; python-stdnum stdnum/pe/cui.py), and Colombia's cédula (no check digit:
# Registraduría, https://www.registraduria.gov.co/): after the
# word only. "CC" in capitals only ("cc" is a copy in an email).
_NAMED_ID = re.compile(
    rf"(?:(?i:\bD\.?N\.?I\.?|\bc[ée]dula(?: de ciudadan[ií]a)?)|\b(?:CC|C\.C\.?)){_BETWEEN}"
    r"(\d{1,3}(?:\.\d{3}){2,3}|\d{6,10})(?:-([\dA-Ka-k]))?(?![\w-])"
)

# National Insurance number (UK): two prefix letters (no D, F, I, Q, U, V; no O second;
# not BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A-D (HMRC, NIM39110,
# https://www.gov.uk/hmrc-internal-manuals/national-insurance-manual/nim39110).
_NINO = re.compile(
    r"(?<![\w])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])(?![\w])",
    re.IGNORECASE,
)
_NINO_UNUSED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})

# Social Security number (US): area, group, serial; never area 000, 666 or 9xx, group 00,
# serial 0000 (SSA, https://ssa.gov/employer/randomizationfaqs.html; python-stdnum
# stdnum/us/ssn.py). Dashed, or after its name.
_SSN_DASHED = re.compile(r"(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w-])")
_SSN_NAMED = re.compile(
    rf"(?i)\b(?:SSN|social security(?: number| no\.?| #)?){_BETWEEN}"
    r"(\d{3})[ -]?(\d{2})[ -]?(\d{4})(?![\w-])"
)
_SSN_NEVER_ISSUED = frozenset({"078051120", "457555462", "219099999"})

# PPS number (Ireland): 7 digits, a mod-23 check letter, and A/H (or W/T/X before 2013)
# (https://en.wikipedia.org/wiki/Personal_Public_Service_Number; python-stdnum
# stdnum/ie/pps.py, stdnum/ie/vat.py).
# Never the first group of a UUID (a request id "4635760b-9dd4-..." in every log line).
_PPSN = re.compile(r"(?<![\w])(\d{7})([A-W])([ABHWTX]?)(?![\w]|-[0-9a-f]{4}-)", re.IGNORECASE)
_PPSN_LETTERS = "WABCDEFGHIJKLMNOPQRSTUV"

# CLABE (Mexico): bank, place, account and a check digit, 18 digits (ABM,
# http://www.abm.org.mx/preguntas-frecuentes; weights 3, 7, 1:
# https://es.wikipedia.org/wiki/CLABE): tracking numbers are 18 digits too, so only
# after its name.
_CLABE = re.compile(r"(?i)\bCLABE(?: interbancaria)?[ \t:]{0,3}(\d{18})(?![\w])")


# Aadhaar (India): 12 digits, never starting with 0 or 1, a Verhoeff check digit (UIDAI;
# https://en.wikipedia.org/wiki/Aadhaar; python-stdnum stdnum/in_/aadhaar.py,
# stdnum/verhoeff.py): a twelve-digit order number passes one time in ten, so only after
# its name.
_AADHAAR = re.compile(
    rf"(?i)\b(?:aadhaa?r|adhaa?r|uid){_BETWEEN}(?:card[ \t]{{0,2}})?(?:no\.?[ \t]{{0,2}})?"
    r"([2-9]\d{3})[ -]?(\d{4})[ -]?(\d{4})(?![\w-])"
)
_VERHOEFF_MULTIPLY = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_PERMUTE = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)

# PAN (India): five letters, four digits, a letter; the fourth letter is the holder's
# type, P a person (https://en.wikipedia.org/wiki/Permanent_account_number; python-stdnum
# stdnum/in_/pan.py). Its check letter's algorithm is unpublished: a person's PAN in
# capitals, the shape itself, is what is found.
_PAN = re.compile(r"(?<![\w])([A-Z]{3}P[A-Z]\d{4}[A-Z])(?![\w])")


# NRIC and FIN (Singapore): a series letter (S, T citizens and residents; F, G, M
# foreigners), seven digits weighted 2, 7, 6, 5, 4, 3, 2, and a check letter from the
# weighted sum mod 11 (T and G start at 4, M at 3), as GovTech checks it:
# https://github.com/opengovsg/FormSG/blob/develop/shared/utils/nric-validation.ts
# Unnamed only in capitals; after "NRIC", "IC" or "FIN", any case.
_NRIC = re.compile(r"(?<![\w])([STFGM])(\d{7})([A-Z])(?![\w])")
_NRIC_NAMED = re.compile(rf"(?i)\b(?:NRIC|IC|FIN){_BETWEEN}([STFGM])(\d{{7}})([A-Z])(?![\w])")
_NRIC_WEIGHTS = (2, 7, 6, 5, 4, 3, 2)
_NRIC_LETTERS = {"S": "JZIHGFEDCBA", "T": "JZIHGFEDCBA", "F": "XWUTRQPNMLK", "G": "XWUTRQPNMLK"}
_NRIC_M_LETTERS = "KLJNPQRTUWX"

# Identity number (South Africa): birth date YYMMDD, a four-digit sequence, citizenship
# (0 citizen, 1 permanent resident, 2 refugee), a digit that is 8 (9 on older cards) and a
# Luhn check digit (Home Affairs' layout, https://www.westerncape.gov.za/general-
# publication/decoding-your-south-african-id-number-0; python-stdnum stdnum/za/idnr.py):
# one random thirteen-digit number in about 3,000 passes all four.
_ZA_ID = re.compile(r"(?<![\w.,-])(\d{6})[ ]?(\d{4})[ ]?([012][89]\d)(?![\w-]|[.,]\d)")


# Reports mask every field of millions of rows: a text with fewer digits than any number
# here, or without a number's name, is not searched for what needs them.
_DIGIT = re.compile(r"\d")
_NAMES = re.compile(
    r"(?i)\b(?:RU[TN]|CUI[TL]|D\.?N\.?I|c[ée]dula|C\.?C|SSN|social security|CLABE|"
    r"aadhaa?r|adhaa?r|uid|RFC|NRIC|IC\b|FIN\b)"
)


def find_identity_numbers(text: str, *, authors: bool) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of each identity number whose check holds, in the order above.
    `authors`: not those introduced as a reference ("folio 12.345.678-5") unless named,
    which masking still hides (a lookalike masked costs nothing; a person's number shown
    costs much)."""
    if len(_DIGIT.findall(text)) < 4:  # the shortest, a PAN, has four: most texts end here
        return
    names = _NAMES.search(text) is not None
    for kind, pattern, named, valid in _RULES:
        if named and not names:
            continue
        for match in pattern.finditer(text):
            if valid(match) and (
                named or not authors or not names_a_reference(text, match.start())
            ):
                groups = [i for i in range(1, len(match.groups()) + 1) if match.group(i)]
                yield kind, match.start(groups[0]), match.end(groups[-1])


def valid_curp(curp: str) -> bool:
    curp = curp.upper()
    if not _real_date(curp[4:10]) or curp[11:13] not in _CURP_STATES:
        return False
    total = sum(_CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(curp[:17]))
    return str((10 - total % 10) % 10) == curp[17]


def valid_rfc(rfc: str, *, check: bool) -> bool:
    if not _real_date(rfc[4:10]):
        return False
    total = sum(_RFC_ALPHABET.index(c) * (13 - i) for i, c in enumerate(rfc[:12]))
    return not check or _RFC_ALPHABET[(11 - total) % 11] == rfc[12]


def _real_date(yymmdd: str) -> bool:
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return False
    return True


def valid_rut(body: str, check: str) -> bool:
    total = sum(int(n) * (4 + (5 - i) % 6) for i, n in enumerate(body[::-1]))
    return "0123456789K"[total % 11] == check.upper()


def valid_cuit(number: str) -> bool:
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    total = sum(w * int(n) for w, n in zip(weights, number, strict=False)) % 11
    return number[:2] in ("20", "23", "24", "27", "30", "33", "34") and (
        "012345678990"[11 - total] == number[10]
    )


def valid_ssn(number: str) -> bool:
    area, group, serial = number[:3], number[3:5], number[5:]
    return (
        area not in ("000", "666")
        and area[0] != "9"
        and group != "00"
        and serial != "0000"
        and number not in _SSN_NEVER_ISSUED
    )


def valid_ppsn(digits: str, check: str, second: str) -> bool:
    total = sum((8 - i) * int(n) for i, n in enumerate(digits))
    if second.upper() in ("A", "B", "H"):  # since 2013 the second letter counts, weight 9
        total += 9 * _PPSN_LETTERS.index(second.upper())
    return _PPSN_LETTERS[total % 23] == check.upper()


def valid_clabe(number: str) -> bool:
    total = sum((w * int(n)) % 10 for w, n in zip((3, 7, 1) * 6, number[:17], strict=False))
    return str((10 - total % 10) % 10) == number[17]


def valid_aadhaar(number: str) -> bool:
    check = 0
    for i, digit in enumerate(reversed(number)):
        check = _VERHOEFF_MULTIPLY[check][_VERHOEFF_PERMUTE[i % 8][int(digit)]]
    return check == 0 and number != number[::-1]


def valid_nric(series: str, digits: str, check: str) -> bool:
    total = sum(w * int(n) for w, n in zip(_NRIC_WEIGHTS, digits, strict=True))
    series, check = series.upper(), check.upper()
    if series == "M":
        return _NRIC_M_LETTERS[10 - (total + 3) % 11] == check
    return _NRIC_LETTERS[series][(total + (4 if series in "TG" else 0)) % 11] == check


def valid_za_id(number: str) -> bool:
    return (
        len(number) == 13
        and _real_date(number[:6])
        and number[10] in "012"
        and number[11] in "89"
        and luhn(number)
    )


def _valid_id_check(number: str, check: str) -> bool:
    """Peru's DNI check character (a digit or a letter), python-stdnum stdnum/pe/cui.py."""
    if len(number) != 8:
        return False
    total = sum(w * int(n) for w, n in zip((3, 2, 7, 6, 5, 4, 3, 2), number, strict=True)) % 11
    return check.upper() in ("65432110987"[total] + "KJIHGFEDCBA"[total])


def _named_id(match: re.Match[str]) -> bool:
    number, check = match.group(1).replace(".", ""), match.group(2)
    return 6 <= len(number) <= 10 and (check is None or _valid_id_check(number, check))


def _joined(match: re.Match[str]) -> str:
    return "".join(match.groups())


# (kind, pattern, whether the pattern names the number, its check), in precedence order:
# the first kind to claim characters keeps them.
_RULES: tuple[tuple[str, re.Pattern[str], bool, Callable[[re.Match[str]], bool]], ...] = (
    ("curp", _CURP, False, lambda m: valid_curp(m.group(1))),
    ("rfc", _RFC, False, lambda m: valid_rfc(m.group(1), check=True)),
    ("rfc", _RFC_NAMED, True, lambda m: valid_rfc(m.group(1).upper(), check=False)),
    ("rut", _RUT_DOTTED, False, lambda m: valid_rut(m.group(1).replace(".", ""), m.group(2))),
    ("rut", _RUT_NAMED, True, lambda m: valid_rut(m.group(1), m.group(2))),
    ("cuit", _CUIT_DASHED, False, lambda m: valid_cuit(_joined(m))),
    ("cuit", _CUIT_NAMED, True, lambda m: valid_cuit(_joined(m))),
    ("nino", _NINO, False, lambda m: m.group(1).upper() not in _NINO_UNUSED),
    ("ssn", _SSN_DASHED, False, lambda m: valid_ssn(_joined(m))),
    ("ssn", _SSN_NAMED, True, lambda m: valid_ssn(_joined(m))),
    ("ppsn", _PPSN, False, lambda m: valid_ppsn(*m.groups())),
    ("clabe", _CLABE, True, lambda m: valid_clabe(m.group(1))),
    ("aadhaar", _AADHAAR, True, lambda m: valid_aadhaar(_joined(m))),
    ("pan", _PAN, False, lambda m: m.group(1)[5:9] != "0000"),
    ("nric", _NRIC, False, lambda m: valid_nric(*m.groups())),
    ("nric", _NRIC_NAMED, True, lambda m: valid_nric(*m.groups())),
    ("za_id", _ZA_ID, False, lambda m: valid_za_id(_joined(m))),
    ("national_id", _NAMED_ID, True, _named_id),
)
