"""moto's TransactWriteItems deep-copies every table it touches before writing, so that it
can roll back: each transaction costs time in proportion to the table's size, and a local
run slows down quadratically (0.3 s a transaction at a few thousand items). This version
checks every condition against the state before the transaction first (as DynamoDB does),
then writes, keeping copies of only the items it touches in case a write fails. Local
emulator only; requests are already serialised (see emulator.py).

A transaction reaches the table's stream only once it has completed: "Once a transaction
completes in DynamoDB, its changes start propagating to global secondary indexes (GSIs),
streams, and backups" (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html),
and TransactWriteItems is all-or-nothing
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).
So its stream records are held while it writes and added when every write has succeeded;
a rollback adds none (moto's own writes would add an INSERT and a REMOVE a consumer such
as triage would read, for an item that never existed)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend

_OPERATIONS = {"ConditionCheck", "Put", "Delete", "Update"}


def _key(backend: DynamoDBBackend, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return op["Key"]
    table = backend.get_table(op["TableName"])
    attrs = op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


# Complexity 16: it keeps moto's own branches (one per kind of item, and its errors) so
# the two can be compared when moto is upgraded.
def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    operations: list[tuple[str, dict[str, Any], dict[str, Any], Any]] = []
    seen: set[tuple[str, str]] = set()
    errors: list[tuple[str | None, str | None, Any]] = []  # (code, message, old item) each
    for item in transact_items:
        if len(item) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(item.items()))
        if op_type not in _OPERATIONS:
            raise ValueError("Unsupported transaction operation")
        key = _key(self, op_type, op)
        identity = (op["TableName"], str(dict(sorted(key.items()))))
        if identity in seen:
            raise MultipleTransactionsException()
        seen.add(identity)
        current = self.get_item(op["TableName"], key)
        condition = op.get("ConditionExpression")
        passed = condition is None or get_filter_expression(
            condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        ).expr(current)
        if passed:
            errors.append((None, None, None))
        else:
            old = None
            if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                old = current.to_json()["Attributes"]
            errors.append(("ConditionalCheckFailed", "The conditional request failed", old))
        operations.append((op_type, op, key, copy.deepcopy(current)))
    if any(code is not None for code, _, _ in errors):
        raise TransactionCanceledException(errors)
    applied: list[tuple[str, dict[str, Any], Any]] = []
    with _held_stream_records(self, {op["TableName"] for _, op, _, _ in operations}) as held:
        _apply(self, operations, applied, held)


def _apply(
    self: DynamoDBBackend,
    operations: list[tuple[str, dict[str, Any], dict[str, Any], Any]],
    applied: list[tuple[str, dict[str, Any], Any]],
    held: list[tuple[Any, Any, Any]],
) -> None:
    """Every write, or (one failing) none: the items restored, the held records dropped."""
    try:
        for op_type, op, key, before in operations:
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                self.put_item(op["TableName"], op["Item"])
            elif op_type == "Delete":
                self.delete_item(op["TableName"], key)
            elif op_type == "Update":
                self.update_item(
                    op["TableName"],
                    key,
                    update_expression=op["UpdateExpression"],
                    # None where the update names none: moto's own transaction passes it so
                    expression_attribute_names=names,  # type: ignore[arg-type]
                    expression_attribute_values=values,  # type: ignore[arg-type]
                )
            applied.append((op["TableName"], key, before))
    except Exception as error:
        for table_name, key, before in reversed(applied):
            if before is None:
                self.delete_item(table_name, key)
            else:
                self.put_item(table_name, before.to_json()["Attributes"])
        held.clear()
        failed: list = [(None, None, None)] * len(operations)
        failed[len(applied)] = (type(error).__name__, str(error), None)
        raise TransactionCanceledException(failed) from error


def _holding(shard: Any, held: list[tuple[Any, Any, Any]]) -> Callable[[Any, Any], None]:
    def add(old: Any, new: Any) -> None:
        held.append((shard, old, new))

    return add


@contextmanager
def _held_stream_records(
    self: DynamoDBBackend, table_names: set[str]
) -> Iterator[list[tuple[Any, Any, Any]]]:
    """The stream records the tables' writes make, held until the block ends, then added
    in order (none, when the block cleared them). The stream poller reads a shard's items
    as they grow, so nothing a rollback undoes may ever reach them."""
    held: list[tuple[Any, Any, Any]] = []
    shards = [
        shard for name in table_names if (shard := self.get_table(name).stream_shard) is not None
    ]
    for shard in shards:
        # moto's shard, patched for the block: its records held back
        shard.add = _holding(shard, held)  # type: ignore[assignment]
    try:
        yield held
    finally:
        for shard in shards:
            del shard.add  # the class's own again
        for shard, old, new in held:
            shard.add(old, new)


def install() -> None:
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
