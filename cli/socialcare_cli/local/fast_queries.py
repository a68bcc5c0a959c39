"""Two costs of moto's server that grow with use, removed for the local stack:

- `Table.query` on a table's own key sorts every item of the table to pick one partition,
  so each query costs time in proportion to the table (seconds per delivery once a load
  run holds tens of thousands of items). Here it sees only the queried partition, which
  is what DynamoDB reads.
- every request lists moto's package folder on disk to find its service.

Local emulator only; DynamoDB requests are serialised (see emulator.py), so swapping the
item source for the length of one query is safe."""

from __future__ import annotations

from typing import Any

from moto import backends
from moto.dynamodb.models.table import Table

_moto_query = Table.query


def _partition_query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
    if index_name is not None or hash_key is None or not self.range_key_attr:
        return _moto_query(self, hash_key, *args, **kwargs)
    partition = self.items.get(hash_key, {})
    # moto's table, patched for this query: its partition's items only
    self.all_items = lambda: sorted(partition.values(), key=lambda item: item.range_key)  # type: ignore[method-assign]
    try:
        return _moto_query(self, hash_key, *args, **kwargs)
    finally:
        del self.all_items


def install() -> None:
    Table.query = _partition_query  # type: ignore[method-assign]  # moto, patched (see above)
    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules
