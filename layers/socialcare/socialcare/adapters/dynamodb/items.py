"""DynamoDB's typed values for the items the adapters write and read: the one codec every
table's adapter uses."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from typing import Any, cast

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
    return cast(dict[str, Any], _serializer.serialize(value))  # boto3's stubs: a TypedDict


def decode_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


# The person index (GSI2, keys only): a case under each identity of its author (its own
# item under the author id, one small item in its partition per other identity), and
# every item outside a case's partition under that case, so that a person's data is
# found without a scan.
PERSON_INDEX = "GSI2"


def key_digest(text: str) -> str:
    """A platform id (it may hold a person's phone) as a key: by digest."""
    return _digest(text)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def identity_pk(identity: str) -> str:
    """An identity's key in the person index, by digest (a phone, a BSUID or a username
    in a key would outlive an erasure in the stream): `PERSON#` for `<platform>#<id>`,
    `HANDLE#` for `<platform>@<username>` (never the same key, whatever the text)."""
    is_handle = "@" in identity.partition("#")[0]
    return ("HANDLE#" if is_handle else "PERSON#") + _digest(identity)


def person_keys(author_key: str, created_at: str, case_id: str) -> dict[str, str]:
    return {"GSI2PK": identity_pk(author_key), "GSI2SK": f"{created_at}#{case_id}"}


def identity_item(case_id: str, identity: str, created_at: str) -> dict[str, Any]:
    """One more identity of a case's author in the person index: in the case's partition
    (it goes with the case), its sort key the identity's digest (one item however often
    the identity comes back)."""
    key = identity_pk(identity)
    return encode_item(
        PK=case_pk(case_id),
        SK=key,
        entity="identity",
        GSI2PK=key,
        GSI2SK=f"{created_at}#{case_id}",
    )


def about_case(case_id: str, kind: str) -> dict[str, str]:
    """An item outside the case's partition that holds something of the case."""
    return {"GSI2PK": case_pk(case_id), "GSI2SK": kind}


def dedup_pk(message_key: str) -> str:
    """The record that a message was seen keeps a digest of its key, never the key:
    platform message keys hold the person's ids (a Telegram chat id, a WhatsApp wamid)."""
    return "DEDUP#" + _digest(message_key)


def author_pk(author_key: str) -> str:
    """The author's open-case pointer, keyed by a digest: the table's stream keeps the
    keys of what changed for 24 hours, past any erasure, and so never a platform id."""
    return "AUTHOR#" + _digest(author_key)
