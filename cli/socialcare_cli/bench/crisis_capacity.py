"""DynamoDB's capacity arithmetic, as AWS documents it, over items in DynamoDB's JSON.

Item sizes: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
(names and values in UTF-8 bytes; a number 1 byte per two significant digits plus 1; a
binary's raw bytes; null and boolean 1 byte; a list or map 3 bytes plus 1 byte per element).
Units: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
(a write unit per 1 KB of the larger of the item before and after; a read unit per 4 KB,
half of it eventually consistent; a Query sums the sizes of the items it reads, before any
filter, and rounds the sum up to 4 KB; one unit at least).
Transactions: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling
(two underlying reads or writes per item).
Indexes: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
(a write to an index for each item that has the index's keys, of the projected size; an
update that changes an index key is a delete and a put on the index).
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from typing import Any

Item = dict[str, dict[str, Any]]
WRITE_UNIT_BYTES = 1024
READ_UNIT_BYTES = 4096
# A Query or Scan reads at most 1 MB a page:
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
PAGE_BYTES = 1024 * 1024


def value_size(value: dict[str, Any]) -> int:
    """Bytes of one attribute value (its name not included)."""
    [(kind, content)] = value.items()
    if kind == "S":
        return len(content.encode())
    if kind == "N":
        return _number_size(content)
    if kind == "B":
        return len(_raw(content))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(text.encode()) for text in content)
    if kind == "NS":
        return sum(_number_size(number) for number in content)
    if kind == "BS":
        return sum(len(_raw(blob)) for blob in content)
    if kind == "L":
        return 3 + sum(value_size(element) + 1 for element in content)
    if kind == "M":
        return 3 + sum(len(name.encode()) + value_size(v) + 1 for name, v in content.items())
    raise ValueError(f"not a DynamoDB attribute value: {value!r}")


def item_size(item: Item | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def _number_size(text: str) -> int:
    digits = text.lstrip("-+").lower().split("e")[0].replace(".", "").strip("0")
    return math.ceil(len(digits) / 2) + 1


def _raw(blob: Any) -> bytes:
    if isinstance(blob, bytes | bytearray):
        return bytes(blob)
    return base64.b64decode(blob)  # the wire's base64 text


def write_units(size: int, transactional: bool = False) -> float:
    units = max(1, math.ceil(size / WRITE_UNIT_BYTES))
    return float(units * (2 if transactional else 1))


def read_units(size: float, consistent: bool, transactional: bool = False) -> float:
    units = float(max(1, math.ceil(size / READ_UNIT_BYTES)))
    if transactional:
        return units * 2
    return units if consistent else units / 2


def query_read_units(sizes: list[float], consistent: bool) -> float:
    """The items a Query read, page by page (1 MB each), each page's sum rounded up to 4 KB."""
    pages: list[float] = [0.0]
    for size in sizes:
        if pages[-1] and pages[-1] + size > PAGE_BYTES:
            pages.append(0)
        pages[-1] += size
    return sum(read_units(page, consistent) for page in pages)


@dataclass(frozen=True)
class IndexSchema:
    name: str
    hash_key: str
    range_key: str | None
    projection: str  # ALL, KEYS_ONLY or INCLUDE
    included: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSchema:
    name: str
    hash_key: str
    range_key: str | None
    indexes: tuple[IndexSchema, ...]

    @classmethod
    def from_template(cls, name: str, props: dict[str, Any]) -> TableSchema:
        """The table's keys and its global secondary indexes as template.yaml declares them."""

        def keys(schema: list[dict[str, str]]) -> tuple[str, str | None]:
            kinds = {key["KeyType"]: key["AttributeName"] for key in schema}
            return kinds["HASH"], kinds.get("RANGE")

        indexes = []
        for index in props.get("GlobalSecondaryIndexes") or []:
            hash_key, range_key = keys(index["KeySchema"])
            projection = index.get("Projection", {})
            indexes.append(
                IndexSchema(
                    index["IndexName"],
                    hash_key,
                    range_key,
                    projection.get("ProjectionType", "KEYS_ONLY"),
                    tuple(projection.get("NonKeyAttributes", ())),
                )
            )
        hash_key, range_key = keys(props["KeySchema"])
        return cls(name, hash_key, range_key, tuple(indexes))

    def key_of(self, item: Item) -> Item:
        names = [self.hash_key, *([self.range_key] if self.range_key else [])]
        return {name: item[name] for name in names}

    def partition(self, item: Item) -> str:
        return _text(item[self.hash_key])

    def projected_size(self, item: Item, index: IndexSchema) -> int:
        if index.projection == "ALL":
            return item_size(item)
        names = {self.hash_key, index.hash_key}
        names.update(name for name in (self.range_key, index.range_key) if name)
        if index.projection == "INCLUDE":
            names.update(index.included)
        return item_size({name: value for name, value in item.items() if name in names})

    def index_writes(self, old: Item | None, new: Item | None) -> list[tuple[str, str, float]]:
        """(index, its partition key, write units) for one item written from `old` to `new`
        (None: absent). An index holds the items that have both of its keys."""
        writes: list[tuple[str, str, float]] = []
        for index in self.indexes:
            before = _index_key(old, index)
            after = _index_key(new, index)
            if before and after and before == after:
                size = max(
                    self.projected_size(old or {}, index), self.projected_size(new or {}, index)
                )
                writes.append((index.name, before[0], write_units(size)))
                continue
            if before:  # the old entry goes (a delete on the index)
                writes.append(
                    (index.name, before[0], write_units(self.projected_size(old or {}, index)))
                )
            if after:
                writes.append(
                    (index.name, after[0], write_units(self.projected_size(new or {}, index)))
                )
        return writes


def _index_key(item: Item | None, index: IndexSchema) -> tuple[str, str] | None:
    if not item or index.hash_key not in item:
        return None
    if index.range_key and index.range_key not in item:
        return None
    return _text(item[index.hash_key]), _text(item[index.range_key]) if index.range_key else ""


def _text(value: dict[str, Any]) -> str:
    [(_, content)] = value.items()
    return content if isinstance(content, str) else str(content)
