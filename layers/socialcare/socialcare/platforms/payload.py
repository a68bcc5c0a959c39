"""A delivery's body as every platform's parser reads it: JSON whose strings DynamoDB can
store, whatever the bytes held.

DynamoDB keeps strings as Unicode in UTF-8
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html):
a lone surrogate (JSON's escape "\\ud800", which json.loads accepts) or bytes that are not
UTF-8 can never be stored, so a delivery holding one would fail on every retry, and the
platforms retry for days. The rule, in this one place before any parser: each such code
point becomes U+FFFD, REPLACEMENT CHARACTER, as a UTF-8 decoder does with bytes it cannot
read. The message is kept with the rest of what the customer wrote (usually an emoji a
client cut in half), and so is every other message of the delivery; ids holding one fail
their strict shapes (platforms/ids.py) and only that item is malformed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from socialcare.platforms.base import PayloadInvalid

REPLACEMENT = "\ufffd"
# After json.loads has joined every escaped pair, any surrogate left is a lone one.
_SURROGATE = re.compile("[\ud800-\udfff]")
# A surrogate's JSON escape (a lone one, or half of a pair such as an emoji's).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class Decoded:
    payload: Any
    repaired: int  # code points replaced by U+FFFD (0 for a well-formed delivery)


def decoded(raw: bytes) -> Decoded:
    """The JSON object of `raw`, every string storable; PayloadInvalid when it is not one."""
    try:
        text, repaired = raw.decode("utf-8"), 0
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        repaired = text.count(REPLACEMENT) - raw.count(REPLACEMENT.encode())
    try:
        payload = json.loads(text.removeprefix("\ufeff"))  # a BOM, as json.loads(bytes) did
    except (ValueError, RecursionError) as error:
        raise PayloadInvalid("body is not valid JSON") from error
    if not isinstance(payload, dict):
        raise PayloadInvalid("body must be a JSON object")
    if _SURROGATE_ESCAPE.search(raw):
        repaired += _repair(payload)
    return Decoded(payload, repaired)


def _repair(payload: dict[str, Any]) -> int:
    """Replace lone surrogates in every key and string, in place; how many. Iterative: a
    payload json.loads accepted may nest deeper than Python's recursion limit allows."""
    repaired = 0
    pending: list[Any] = [payload]
    while pending:
        node = pending.pop()
        pairs = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, value in pairs:
            if isinstance(value, dict | list):
                pending.append(value)
            elif isinstance(value, str) and _SURROGATE.search(value):
                value, count = _SURROGATE.subn(REPLACEMENT, value)
                node[key], repaired = value, repaired + count
            if isinstance(key, str) and _SURROGATE.search(key):
                fixed, count = _SURROGATE.subn(REPLACEMENT, key)
                del node[key]
                node[fixed], repaired = value, repaired + count
    return repaired
