"""Personal data in free text: found with checksums, not just shapes, and masked.

A Spanish DNI/NIE counts only with a valid check letter, an IBAN only when it passes
mod-97, a card number only when it passes Luhn: a policy number or an order id that
merely looks like one is not personal data.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate

from socialcare.domain.personal_data_ids import find_identity_numbers
from socialcare.domain.personal_data_phones import (
    DOUBLED,
    find_named_phones,
    is_brand_line,
    may_be_number,
    names_a_reference,
    number_kind,
)

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_DNI = re.compile(r"(?<![\w])(\d{8})[ -]?([A-Za-z])(?![\w])")
_NIE = re.compile(r"(?<![\w])([XYZxyz])[ -]?(\d{7})[ -]?([A-Za-z])(?![\w])")
# Tried only where a run of [\w.+-] begins; the local part and each label taken whole.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)*\.[A-Za-z]{2,}+(?![\w])")
_IBAN = re.compile(
    r"(?<![\w])([A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,4})?)(?![\w])"
)
# Numbers: a run of digit groups joined by one separator (space, dot, dash, parentheses),
# not inside a longer token (a request id "…-8050-722594717986", a version "v1.2.3"). A run
# may hold a number next to other numbers ("612 345 678 00", "2024 4111 1111 1111 1111"):
# each window of whole groups inside it is checked for a phone or a card (see _numbers).
# Possessive, so it never backtracks (dates and ids are masked by the million in reports);
# groups glued to a letter at its end are dropped afterwards (see _clean_end).
_RUN = re.compile(
    r"(?:(?<![\w+])\+|(?<![\w+])(?<!\w[.-]))"
    r"\(?[0-9]++\)?(?:(?:[ .-]|\) ?| ?\()[0-9]++\)?)*+"
)
_GLUED = re.compile(r"\w|[.-][^\W\d]")
# A UUID (request ids, in every Lambda log line) whose first groups are all digits reads
# as a card number ("18077142-1959-4412-8d95-…"): it is an id, not a number.
_UUID = re.compile(
    r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])"
)
_GROUP = re.compile(r"[0-9]+")
# Longer than any card (19 digits) or international number (15) needs.
_MAX_WINDOW_GROUPS = 8
_MAX_WINDOW_DIGITS = 19
_MIN_WINDOW_DIGITS = 9  # the shortest phone


@dataclass(frozen=True)
class PersonalDataMatch:
    kind: str  # dni, nie, email, iban, card, phone, and personal_data_ids.py's kinds
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


def _luhn_windows(digits: str) -> Callable[[int, int], bool]:
    """Whether digits[a:b] passes Luhn, for any window, in constant time: prefix sums of
    the digits and of their doubles by the parity of their position (a digit is doubled
    when its distance to the window's end is odd, so when its position has b's parity)."""
    count = len(digits)
    plain, doubled = list(map(int, digits)), list(map(int, digits.translate(DOUBLED)))
    sums = {}
    for name, values in (("plain", plain), ("doubled", doubled)):
        for parity in (0, 1):
            kept = [0] * count
            kept[parity::2] = values[parity::2]
            sums[name, parity] = list(accumulate(kept, initial=0))

    def passes(a: int, b: int) -> bool:
        twice, once = sums["doubled", b % 2], sums["plain", (b + 1) % 2]
        return (twice[b] - twice[a] + once[b] - once[a]) % 10 == 0

    return passes


def _iban_length(candidate: str) -> int:
    """The length of the valid IBAN the candidate starts with, or 0. The pattern may run
    into a short word after the number ("ES76 ... 5766 lo que..."): drop trailing groups."""
    groups = candidate.split(" ")
    for keep in range(len(groups), max(len(groups) - 4, 0), -1):
        prefix = " ".join(groups[:keep])
        if valid_iban(prefix):
            return len(prefix)
    return 0


def _numbers(text: str) -> list[tuple[str, int, int]]:
    """Phones and cards in the text's runs of digit groups. Every window of whole groups
    is a candidate and the longest ones win, so a number written next to another is found
    without being cut short ("4111 1111 1111 1111 2 veces", "612 345 678 00")."""
    found: list[tuple[str, int, int]] = []
    for run_match in _RUN.finditer(text):
        found.extend(_run_numbers(text, run_match.group(), run_match.start()))
    return found


def _run_numbers(text: str, run: str, offset: int) -> list[tuple[str, int, int]]:
    if len(run) < _MIN_WINDOW_DIGITS:  # fewer characters than the shortest phone
        return []
    spans = _clean_end(text, offset, [g.span() for g in _GROUP.finditer(run)])
    if not spans:
        return []
    groups = [run[a:b] for a, b in spans]
    # What stands before each group: "(" or "+" at the start, a separator after.
    joints = [run[: spans[0][0]]] + [
        run[spans[i - 1][1] : spans[i][0]] for i in range(1, len(spans))
    ]
    found: list[tuple[str, int, int]] = []
    taken: set[int] = set()
    for _, first, last, kind in sorted(_candidates(groups, joints)):
        if taken.isdisjoint(range(first, last + 1)):
            taken.update(range(first, last + 1))
            start = offset + (0 if first == 0 else spans[first][0])
            end = offset + spans[last][1]
            if run[spans[last][1] : spans[last][1] + 1] == ")":
                end += 1
            found.append((kind, start, end))
    return found


def _candidates(groups: list[str], joints: list[str]) -> list[tuple[int, int, int, str]]:
    """Each window of groups that reads as a phone or a card: (-digits, first, last, kind),
    so that sorting puts the longest first."""
    sizes = [len(group) for group in groups]
    starts = list(accumulate(sizes, initial=0))  # each group's place in the digits
    plain = [joint in (" ", "-") for joint in joints]
    numbers = "".join(groups)
    card = _luhn_windows(numbers)
    candidates = []
    for first in range(len(groups)):
        digits, plus, all_plain = 0, "+" in joints[first], True
        opened = first == 0 and "(" in joints[0]
        for last in range(first, min(len(groups), first + _MAX_WINDOW_GROUPS)):
            digits += sizes[last]
            all_plain = all_plain and (last == first or plain[last])
            if digits > _MAX_WINDOW_DIGITS:
                break
            if digits < _MIN_WINDOW_DIGITS or not may_be_number(
                digits, last - first + 1, plus, all_plain
            ):
                continue
            if digits >= 13 and not plus:  # only a card is this long: no lists built
                kind = (
                    "card"
                    if all_plain
                    and not opened
                    and numbers[starts[first]] in "23456"
                    and card(starts[first], starts[last + 1])
                    else None
                )
            else:
                inner = joints[first + 1 : last + 1]
                kind = number_kind(
                    groups[first : last + 1], [joints[0], *inner] if opened else inner, plus
                )
            if kind:
                candidates.append((-digits, first, last, kind))
    return candidates


def _clean_end(text: str, offset: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The run's groups without those at its end that are glued to a letter ("…1111 0A",
    "12345678Z"): they belong to another token."""
    while spans and _GLUED.match(text, offset + spans[-1][1]):
        spans.pop()
    return spans


def find_personal_data(text: str, *, authors: bool = False) -> list[PersonalDataMatch]:
    """Every piece of personal data in the text, to mask. `authors`: only the author's,
    to flag: not a phone the author called or names as the brand's ("llamé al 912 320
    320"), nor a number introduced as an order's or a booking's ("pedido 33 1876 2045")."""
    found: list[PersonalDataMatch] = []
    # The characters already found: a later kind never overlaps an earlier one, checked
    # in time proportional to the candidate's length (against every match found so far,
    # a text of thousands of emails cost their square).
    taken = bytearray(len(text))

    def add(kind: str, start: int, end: int) -> None:
        if taken.find(1, start, end) == -1:
            taken[start:end] = b"\x01" * (end - start)
            found.append(PersonalDataMatch(kind, start, end))

    for kind, start, end in _checked_tokens(text, authors):
        add(kind, start, end)
    # Numbers next to what was found ("12345678Z-612345678") are read with that blanked
    # out, so they do not look like the tail of a longer token.
    for kind, start, end in _numbers_outside_ids(text, _blanked(text, found), authors):
        add(kind, start, end)
    return sorted(found, key=lambda f: f.start)


def _checked_tokens(text: str, authors: bool) -> Iterator[tuple[str, int, int]]:
    """Emails, then IBANs, NIEs, DNIs and the other regions' identity numbers whose check
    digits hold, in that precedence."""
    for match in _EMAIL.finditer(text):
        yield "email", match.start(), match.end()
    for match in _IBAN.finditer(text):
        length = _iban_length(match.group(1))
        if length:
            yield "iban", match.start(), match.start() + length
    for match in _NIE.finditer(text):
        if valid_nie(*match.groups()):
            yield "nie", match.start(), match.end()
    for match in _DNI.finditer(text):
        if valid_dni(*match.groups()):
            yield "dni", match.start(), match.end()
    yield from find_identity_numbers(text, authors=authors)
    yield from find_named_phones(text)


def _blanked(text: str, found: list[PersonalDataMatch]) -> str:
    if not found:
        return text
    characters = list(text)
    for item in found:
        characters[item.start : item.end] = " " * (item.end - item.start)
    return "".join(characters)


def _numbers_outside_ids(text: str, blanked: str, authors: bool) -> Iterator[tuple[str, int, int]]:
    """The phones and cards of `blanked` that are not inside one of the text's UUIDs (and
    with `authors`, not the brand's line nor a reference: see find_personal_data)."""
    ids = [m.span() for m in _UUID.finditer(text)]
    id_starts = [a for a, _ in ids]
    for kind, start, end in _numbers(blanked):
        inside = bisect_right(id_starts, start) - 1  # the id that starts last before it
        if (inside < 0 or ids[inside][1] < end) and not (
            authors
            and kind == "phone"
            and (is_brand_line(text, start, end) or names_a_reference(text, start))
        ):
            yield kind, start, end


def _kind_code(kind: str) -> str:
    return f"[{kind}]"


def mask_personal_data(text: str, mark: Callable[[str], str] = _kind_code) -> str:
    """The text with each piece of personal data replaced by `mark(kind)`: its code, e.g.
    [email], in files; the reader's word for it in what people read (presentation)."""
    masked, last = [], 0
    for match in find_personal_data(text):
        masked.append(text[last : match.start])
        masked.append(mark(match.kind))
        last = match.end
    masked.append(text[last:])
    return "".join(masked)
