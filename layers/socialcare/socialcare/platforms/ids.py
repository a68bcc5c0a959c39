"""Ids, numbers and times from the platforms, parsed strictly.

A value that cannot be what the platform sends (non-ASCII digits, longer than the
platform's ids can be, a float, a list) makes its item malformed: it is acknowledged,
logged and counted, never stored. Bounded ids also keep every key built from them far
below DynamoDB's limits (partition key 2,048 bytes, sort key 1,024).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Literal


class Malformed(Exception):
    """This item cannot be what the platform sends. The message names the field, never
    the value (it may be personal data)."""


# Meta's object ids are numbers of up to 20 digits; 32 leaves room and no more.
NUMERIC = re.compile(r"[0-9]{1,32}")
# Facebook feed ids join the page, post and comment ids: "<page>_<post>", "<post>_<comment>".
FEED = re.compile(r"[0-9]{1,32}(?:_[0-9]{1,32}){0,3}")
# Messenger and Instagram mids ("m_...", "aWdf..."), WhatsApp wamids ("wamid.HBg...=").
MESSAGE_ID = re.compile(r"[A-Za-z0-9._:$=+/-]{1,512}")
# WhatsApp's business-scoped user id: country, optional ENT, up to 128 characters.
BSUID = re.compile(r"[A-Z]{2}(?:\.ENT)?\.[A-Za-z0-9]{1,128}")
# Telegram's ids have at most 52 significant bits.
_TELEGRAM_BOUND = 2**53
_MAX_TIME_DIGITS = 13  # milliseconds until the year 2286
_LAST_SECOND = 253402300799  # 9999-12-31T23:59:59Z


def shaped(value: Any, field: str, pattern: re.Pattern[str]) -> str:
    """A required id: a string (or a JSON whole number) of the platform's shape."""
    found = optional(value, field, pattern)
    if found is None:
        raise Malformed(f"{field} is missing")
    return found


def optional(value: Any, field: str, pattern: re.Pattern[str]) -> str | None:
    """An id that may be absent (None); when present it must have the platform's shape."""
    if value is None:
        return None
    if type(value) is int and value >= 0:
        value = str(value)
    if type(value) is not str or not pattern.fullmatch(value):
        raise Malformed(f"{field} is not an id of the platform's shape")
    return value


def telegram_int(value: Any, field: str, *, signed: bool = False) -> int:
    """Telegram's numbers are JSON whole numbers: chat ids may be negative (groups)."""
    if type(value) is not int:
        raise Malformed(f"{field} is not a whole number")
    if not (-_TELEGRAM_BOUND if signed else 0) < value < _TELEGRAM_BOUND:
        raise Malformed(f"{field} is out of the platform's range")
    return value


def unix_time(value: Any, field: str, unit: Literal["s", "ms", "auto"] = "s") -> datetime | None:
    """A Unix time as a whole number or a string of ASCII digits; None when absent.
    "auto": Meta sends some times in seconds and some in milliseconds."""
    if value is None:
        return None
    if type(value) is int and value >= 0:
        value = str(value)
    if type(value) is not str or not value.isascii() or not value.isdigit():
        raise Malformed(f"{field} is not a Unix time")
    if len(value) > _MAX_TIME_DIGITS:
        raise Malformed(f"{field} is out of range")
    number = int(value)
    if unit == "ms" or (unit == "auto" and number > 10**11):
        number //= 1000
    if number > _LAST_SECOND:
        raise Malformed(f"{field} is out of range")
    return datetime.fromtimestamp(number, tz=UTC)


def author_id(platform: str, value: str) -> str:
    """An author id as the platform's parser gives it (the customers table's key): Meta's
    and X's are numeric ids; WhatsApp's the phone's digits from the country code (wa_id)
    or the business-scoped user id; Telegram's a user id, a whole number under 2**53."""
    if platform == "whatsapp" and (NUMERIC.fullmatch(value) or BSUID.fullmatch(value)):
        return value
    if platform == "telegram" and NUMERIC.fullmatch(value):
        return str(telegram_int(int(value), "author id"))
    if platform in ("facebook", "instagram", "x") and NUMERIC.fullmatch(value):
        return value
    raise Malformed(f"not a {platform} author id")
