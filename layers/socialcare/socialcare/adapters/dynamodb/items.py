"""DynamoDB's typed values for the items the adapters write and read: the one codec every
table's adapter uses."""

from __future__ import annotations

import hashlib
import math
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def encode_item(**attributes: Any) -> dict[str, Any]:
    return {
        k: {"S": v} if type(v) is str else encode_value(v)
        for k, v in attributes.items()
        if v is not None
    }


# DynamoDB keeps 38 significant digits: larger whole numbers go to boto3, which refuses
# them as DynamoDB would.
_MAX_NUMBER = 10**38


def encode_value(value: Any) -> dict[str, Any]:
    """What boto3's TypeSerializer gives for the types a case holds (strings, numbers,
    booleans, maps, lists, null), without its dozen checks per value, which weigh on the
    webhook's hot path. Anything else (Decimal, sets, bytes) goes through boto3's."""
    kind = type(value)
    if kind is str:
        return {"S": value}
    if kind is bool:
        return {"BOOL": value}
    if kind is int and -_MAX_NUMBER < value < _MAX_NUMBER:
        return {"N": str(value)}
    if kind is float and math.isfinite(value):
        return {"N": repr(value)}  # a triage confidence; read back as a Decimal
    if kind is dict:
        return {"M": {k: encode_value(v) for k, v in value.items()}}
    if kind is list:
        return {"L": [encode_value(v) for v in value]}
    if value is None:
        return {"NULL": True}
    return _serializer.serialize(value)


def decode_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


# The person index (GSI2, keys only): a case under its author, and every item outside a
# case's partition under that case, so that a person's data is found without a scan.
PERSON_INDEX = "GSI2"


def person_keys(author_key: str, created_at: str, case_id: str) -> dict[str, str]:
    return {"GSI2PK": f"PERSON#{author_key}", "GSI2SK": f"{created_at}#{case_id}"}


def about_case(case_id: str, kind: str) -> dict[str, str]:
    """An item outside the case's partition that holds something of the case."""
    return {"GSI2PK": case_pk(case_id), "GSI2SK": kind}


def dedup_pk(message_key: str) -> str:
    """The record that a message was seen keeps a digest of its key, never the key:
    platform message keys hold the person's ids (a Telegram chat id, a WhatsApp wamid)."""
    return "DEDUP#" + hashlib.sha256(message_key.encode("utf-8")).hexdigest()[:32]


def author_pk(author_key: str) -> str:
    """The author's open-case pointer, keyed by a digest: the table's stream keeps the
    keys of what changed for 24 hours, past any erasure, and so never a platform id."""
    return "AUTHOR#" + hashlib.sha256(author_key.encode("utf-8")).hexdigest()[:32]
