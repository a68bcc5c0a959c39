"""Personal data in free text: found with checksums, not just shapes, and masked.

A Spanish DNI/NIE counts only with a valid check letter, an IBAN only when it passes
mod-97, a card number only when it passes Luhn: a policy number or an order id that
merely looks like one is not personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_DNI = re.compile(r"(?<![\w])(\d{8})[ -]?([A-Za-z])(?![\w])")
_NIE = re.compile(r"(?<![\w])([XYZxyz])[ -]?(\d{7})[ -]?([A-Za-z])(?![\w])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w])")
_IBAN = re.compile(
    r"(?<![\w])([A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,4})?)(?![\w])"
)
# Not inside a longer dashed token (a request id "…-8050-722594717986" is no card).
_CARD = re.compile(r"(?<![\w-])(\d(?:[ -]?\d){12,18})(?![\w-])")
# International (+CC ...) or Spanish-style 9 digits starting 6-9, spaces/dots/dashes allowed.
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(\+\d{1,3}[ .-]?(?:\(?\d{1,4}\)?[ .-]?){2,5}\d{2,4}|[6789]\d{2}(?:[ .-]?\d{2,3}){2,3})"
    r"(?![\w])"
)

# National numbers written the local way: UK (0 + 10 digits, e.g. 07700 900123) and
# North American ((555) 123-4567, 555-123-4567), separators required for the latter.
_PHONE_NATIONAL = re.compile(
    r"(?<![\w+])"
    r"(0\d{2,4}[ .-]?\d{3,4}[ .-]?\d{3,4}|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})"
    r"(?![\w])"
)


@dataclass(frozen=True)
class PersonalDataMatch:
    kind: str  # dni, nie, email, iban, card, phone
    start: int
    end: int


def valid_dni(number: str, letter: str) -> bool:
    return _DNI_LETTERS[int(number) % 23] == letter.upper()


def valid_nie(prefix: str, number: str, letter: str) -> bool:
    return valid_dni(str("XYZ".index(prefix.upper())) + number, letter)


# IBAN length by country (SWIFT IBAN registry), and the countries whose account part is
# digits only: mod-97 alone passes one random string in 97, and hex ids (case ids, request
# ids) were read as IBANs.
_IBAN_LENGTHS = {
    **dict.fromkeys(["NO"], 15),
    **dict.fromkeys(["BE"], 16),
    **dict.fromkeys(["DK", "FI", "FO", "GL", "NL", "SD", "FK"], 18),
    **dict.fromkeys(["MK", "SI"], 19),
    **dict.fromkeys(["AT", "BA", "EE", "KZ", "LT", "LU", "XK", "MN"], 20),
    **dict.fromkeys(["CH", "HR", "LI", "LV"], 21),
    **dict.fromkeys(["BG", "BH", "CR", "DE", "GB", "GE", "IE", "ME", "RS", "VA"], 22),
    **dict.fromkeys(["AE", "GI", "IL", "IQ", "TL", "SO", "OM"], 23),
    **dict.fromkeys(["AD", "CZ", "ES", "MD", "PK", "RO", "SA", "SE", "SK", "TN", "VG"], 24),
    **dict.fromkeys(["PT", "ST", "LY"], 25),
    **dict.fromkeys(["IS", "TR"], 26),
    **dict.fromkeys(["FR", "GR", "IT", "MC", "MR", "SM", "BI", "DJ"], 27),
    **dict.fromkeys(["AL", "AZ", "BY", "CY", "DO", "GT", "HU", "LB", "PL", "SV", "NI"], 28),
    **dict.fromkeys(["BR", "EG", "PS", "QA", "UA"], 29),
    **dict.fromkeys(["JO", "KW", "MU", "YE"], 30),
    **dict.fromkeys(["MT", "SC"], 31),
    **dict.fromkeys(["LC"], 32),
    **dict.fromkeys(["RU"], 33),
}
_NUMERIC_ACCOUNT = frozenset(
    {
        *("AT", "BA", "BE", "CZ", "DE", "DK", "EE", "EG", "ES", "FI", "FO", "GL", "HR", "HU"),
        *("IL", "IS", "LT", "ME", "NO", "PL", "PT", "RS", "SE", "SI", "SK", "TL", "TN", "XK"),
    }
)


def valid_iban(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    country, account = compact[:2], compact[4:]
    if _IBAN_LENGTHS.get(country) != len(compact) or not compact[2:4].isdigit():
        return False
    if country in _NUMERIC_ACCOUNT and not account.isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


@dataclass(frozen=True)
class _Span:
    """A found piece shorter than its regex match (see _iban_length)."""

    _start: int
    _end: int

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def _iban_length(candidate: str) -> int:
    """The length of the valid IBAN the candidate starts with, or 0. The pattern may run
    into a short word after the number ("ES76 ... 5766 lo que..."): drop trailing groups."""
    groups = candidate.split(" ")
    for keep in range(len(groups), max(len(groups) - 4, 0), -1):
        prefix = " ".join(groups[:keep])
        if valid_iban(prefix):
            return len(prefix)
    return 0


_GROUP = re.compile(r"\d+")


def _card_span(match: re.Match[str]) -> _Span | None:
    """The card number inside a run of digit groups: the pattern may take in a number
    written just before or after it ("4111 1111 1111 1111 2 veces"), so the longest run
    of whole groups with 13-19 digits passing Luhn wins."""
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(match.group(1))]
    spans = sorted(
        ((i, j) for i in range(len(groups)) for j in range(i, len(groups))),
        key=lambda pair: pair[0] - pair[1],
    )
    for i, j in spans:
        start, end = groups[i][0], groups[j][1]
        digits = re.sub(r"\D", "", match.group(1)[start:end])
        if 13 <= len(digits) <= 19 and luhn(digits):
            return _Span(match.start(1) + start, match.start(1) + end)
    return None


def find_personal_data(text: str) -> list[PersonalDataMatch]:
    found: list[PersonalDataMatch] = []

    def add(kind: str, match: re.Match[str] | _Span) -> None:
        if not any(f.start < match.end() and match.start() < f.end for f in found):
            found.append(PersonalDataMatch(kind, match.start(), match.end()))

    for match in _EMAIL.finditer(text):
        add("email", match)
    for match in _IBAN.finditer(text):
        length = _iban_length(match.group(1))
        if length:
            found_iban = _Span(match.start(), match.start() + length)
            add("iban", found_iban)
    for match in _CARD.finditer(text):
        span = _card_span(match)
        if span:
            add("card", span)
    for match in _NIE.finditer(text):
        if valid_nie(*match.groups()):
            add("nie", match)
    for match in _DNI.finditer(text):
        if valid_dni(*match.groups()):
            add("dni", match)
    for match in _PHONE.finditer(text):
        digits = len(re.sub(r"\D", "", match.group(0)))
        if digits == 9 or (match.group(0).startswith("+") and 9 <= digits <= 15):
            add("phone", match)
    for match in _PHONE_NATIONAL.finditer(text):
        digits = len(re.sub(r"\D", "", match.group(0)))
        if digits == (11 if match.group(0).startswith("0") else 10):
            add("phone", match)
    return sorted(found, key=lambda f: f.start)


def mask_personal_data(text: str) -> str:
    """The text with each piece of personal data replaced by its kind, e.g. [email]."""
    masked, last = [], 0
    for match in find_personal_data(text):
        masked.append(text[last : match.start])
        masked.append(f"[{match.kind}]")
        last = match.end
    masked.append(text[last:])
    return "".join(masked)
