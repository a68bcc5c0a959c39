"""AWS for the crisis simulator: moto's backends in this process (no HTTP server), with
every call the adapters make checked against botocore's service model and counted.

The handlers' clients are production's (`client_config`: DynamoDB's client-side
validation off), so each call's parameters are validated here, as boto3's default client
would (`ParamValidator`), before moto answers. Step Functions' StartExecution is answered
here (moto's interpreter is too slow for thousands of executions): the simulator runs the
workflow's first step itself. Capacity is counted from each call and the items it touches
(crisis_capacity.py), in the simulated second the clock says.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.validate import ParamValidator

from socialcare_cli.bench.crisis_capacity import (
    Item,
    TableSchema,
    item_size,
    query_read_units,
    read_units,
    write_units,
)
from socialcare_cli.bench.crisis_ledger import Ledger

_WRITES = {"PutItem", "UpdateItem", "DeleteItem"}
# A partition that holds more items than a crisis window's minute counters (60) holds an
# item per case: in a sampled run, a Query of it reads 1/fraction as many bytes.
GROWING_ITEMS = 60
# A Query answers at most 1 MB a call
# (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html):
# the bytes a sampled Query stands for are capped there (a reader wanting more calls again).
QUERY_PAGE_BYTES = 1024 * 1024


class CountedAws:
    """Counts what the clients it configures call; `second()` says when."""

    def __init__(
        self, tables: dict[str, TableSchema], second: Callable[[], int], fraction: float = 1.0
    ) -> None:
        self.tables = tables
        self.second = second
        self.fraction = fraction
        self.ledger = Ledger(fraction)
        self.scheduled = False  # a schedule's run is being invoked (crisis.py)
        # Distinct items written to each partition (up to one past GROWING_ITEMS).
        self._items_in: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.emails: dict[int, int] = defaultdict(int)
        self.email_recipients: dict[int, int] = defaultdict(int)
        self.starts: dict[int, int] = defaultdict(int)
        self.calls: dict[str, int] = defaultdict(int)
        self.started_executions: list[dict[str, Any]] = []
        self.aws_calls_in_handler = 0
        self.fake_seconds = 0.0  # time spent answering and counting, not the handlers'
        self._validator = ParamValidator()
        self._execution_names: set[str] = set()

    def install(self, client: Any) -> Any:
        events = client.meta.events
        events.register("provide-client-params", self._remember_params)
        events.register("before-call", self._before_call)
        events.register("after-call", self._after_call)
        return client

    # -- hooks ---------------------------------------------------------------------------

    def _remember_params(
        self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any
    ) -> None:
        """Validated as boto3's default client validates, before anything is serialised
        (production's DynamoDB client does not: client_config)."""
        began = time.perf_counter()
        context["crisis_params"] = params
        report = self._validator.validate(params, model.input_shape)
        self.fake_seconds += time.perf_counter() - began
        if report.has_errors():
            from botocore.exceptions import ParamValidationError

            raise ParamValidationError(report=report.generate_report())

    def _before_call(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any):
        context["crisis_started"] = time.perf_counter()
        service, operation = model.service_model.service_name, model.name
        self.calls[f"{service}.{operation}"] += 1
        self.aws_calls_in_handler += 1
        if service == "dynamodb":
            wire = json.loads(params["body"] or b"{}")
            context["crisis_wire"] = wire
            context["crisis_before"] = self._images(operation, wire)
        if service == "stepfunctions" and operation == "StartExecution":
            return self._start_execution(context.get("crisis_params", {}), context)
        return None

    def _after_call(self, http_response: Any, parsed: Any, model: Any, context: Any, **_: Any):
        if "crisis_started" not in context:
            return
        service, operation = model.service_model.service_name, model.name
        failed = http_response.status_code >= 300
        try:
            if service == "dynamodb":
                self._count_dynamodb(operation, context, failed)
            elif service in ("ses", "sesv2") and operation.startswith("Send") and not failed:
                self._count_email(context.get("crisis_params", {}))
        finally:
            self.fake_seconds += time.perf_counter() - context.pop("crisis_started")

    def _start_execution(self, params: dict[str, Any], context: Any) -> tuple[Any, dict]:
        """A name already used is answered ExecutionAlreadyExists (the adapter takes it as
        started before: names are per case); only a new execution counts as a start."""
        self.fake_seconds += time.perf_counter() - context.pop("crisis_started")
        name = params.get("name", "")
        if name in self._execution_names:
            error = {"Code": "ExecutionAlreadyExists", "Message": f"Execution {name} exists"}
            return AWSResponse("", 400, HTTPHeaders(), None), {"Error": error}
        self._execution_names.add(name)
        self.starts[self.second()] += 1
        self.started_executions.append(json.loads(params.get("input") or "{}"))
        arn = params["stateMachineArn"].replace(":stateMachine:", ":execution:")
        return AWSResponse("", 200, HTTPHeaders(), None), {
            "executionArn": f"{arn}:{name}",
            "startDate": datetime.now(UTC),
        }

    def _count_email(self, params: dict[str, Any]) -> None:
        second = self.second()
        self.emails[second] += 1
        destination = params.get("Destination") or {}
        recipients = sum(
            len(destination.get(k) or []) for k in ("ToAddresses", "CcAddresses", "BccAddresses")
        )
        self.email_recipients[second] += recipients or len(params.get("Destinations") or [1])

    # -- DynamoDB ------------------------------------------------------------------------

    def _images(self, operation: str, wire: dict[str, Any]) -> list[tuple[str, Item, Item | None]]:
        """(table, key, the item now) for each item a write touches."""
        touched: list[tuple[str, Item]] = []
        if operation in _WRITES:
            touched.append((wire["TableName"], self._key(wire["TableName"], wire)))
        elif operation == "TransactWriteItems":
            for entry in wire["TransactItems"]:
                [(_, action)] = entry.items()
                touched.append((action["TableName"], self._key(action["TableName"], action)))
        elif operation == "BatchWriteItem":
            for table, requests in wire["RequestItems"].items():
                for request in requests:
                    [(_, action)] = request.items()
                    touched.append((table, self._key(table, action)))
        return [(table, key, self._item(table, key)) for table, key in touched]

    def _key(self, table: str, action: dict[str, Any]) -> Item:
        return action.get("Key") or self.tables[table].key_of(action["Item"])

    def _item(self, table: str, key: Item) -> Item | None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        schema = self.tables[table]
        stored = (
            _backend()
            .get_table(table)
            .get_item(
                DynamoType(key[schema.hash_key]),
                DynamoType(key[schema.range_key]) if schema.range_key else None,
            )
        )
        return stored.to_json()["Attributes"] if stored is not None else None

    def _count_dynamodb(self, operation: str, context: Any, failed: bool) -> None:
        wire = context["crisis_wire"]
        second = self.second()
        if operation in _WRITES or operation in ("TransactWriteItems", "BatchWriteItem"):
            transactional = operation == "TransactWriteItems"
            for table, key, old in context["crisis_before"]:
                new = None if failed else self._item(table, key)
                size = max(item_size(old), item_size(new))
                schema = self.tables[table]
                partition = key[schema.hash_key]
                self.ledger.add(
                    second, table, "W", _text(partition), write_units(size, transactional)
                )
                if failed:
                    continue
                self._grows(table, _text(partition), json.dumps(key, sort_keys=True))
                for index, index_key, units in schema.index_writes(old, new):
                    self.ledger.add(second, f"{table}/{index}", "W", index_key, units)
                    self._grows(f"{table}/{index}", index_key, json.dumps(key, sort_keys=True))
        elif operation == "GetItem":  # billed for the whole item, whatever is projected
            size = item_size(self._item(wire["TableName"], wire["Key"]))
            partition = _text(wire["Key"][self.tables[wire["TableName"]].hash_key])
            units = read_units(size, bool(wire.get("ConsistentRead")))
            self.ledger.add(second, wire["TableName"], "R", partition, units)
        elif operation == "BatchGetItem":
            for table, request in wire["RequestItems"].items():
                schema = self.tables[table]
                for key in request["Keys"]:
                    size = item_size(self._item(table, key))
                    units = read_units(size, bool(request.get("ConsistentRead")))
                    self.ledger.add(second, table, "R", _text(key[schema.hash_key]), units)
        elif operation == "Query":
            self._count_query(wire, second)

    def _count_query(self, wire: dict[str, Any], second: int) -> None:
        """Billed for the items read before any filter or projection: moto's backend
        answers which, for the same key condition, limit and start."""
        from moto.dynamodb.parsing.key_condition_expression import parse_expression

        table, index = wire["TableName"], wire.get("IndexName")
        backend = _backend()
        names = wire.get("ExpressionAttributeNames") or {}
        values = wire.get("ExpressionAttributeValues") or {}
        hashes, ranges, _ = parse_expression(
            key_condition_expression=wire["KeyConditionExpression"],
            expression_attribute_names=names,
            expression_attribute_values=values,
            schema=backend.get_schema(table_name=table, index_name=index),
        )
        comparison, range_values = (ranges[-1][1], ranges[-1][2]) if ranges else (None, [])
        items, _, _ = backend.query(
            table,
            hashes[0][1],
            comparison,
            range_values,
            wire.get("Limit"),
            wire.get("ExclusiveStartKey"),
            wire.get("ScanIndexForward", True),
            None,
            index_name=index,
            consistent_read=bool(wire.get("ConsistentRead")),
            expr_names=names,
            expr_values=values,
            hash_key_conditions=hashes,
            range_key_conditions=ranges,
        )
        target = f"{table}/{index}" if index else table
        partition = _text(hashes[0][1])
        sizes: list[float] = [item_size(item.to_json()["Attributes"]) for item in items]
        if len(self._items_in[(target, partition)]) > GROWING_ITEMS:
            sizes = [size / self.fraction for size in sizes]  # see GROWING_ITEMS
            if sum(sizes) > QUERY_PAGE_BYTES:
                sizes = [QUERY_PAGE_BYTES]
        units = query_read_units(sizes, bool(wire.get("ConsistentRead")))
        # A scheduled run reads as often at any rate: its reads are not scaled back up.
        self.ledger.add(second, target, "R", partition, units, scaled=not self.scheduled)

    def _grows(self, target: str, partition: str, item: str) -> None:
        held = self._items_in[(target, partition)]
        if len(held) <= GROWING_ITEMS:
            held.add(item)


def _text(value: dict[str, Any]) -> str:
    [(_, content)] = value.items()
    return str(content)


def _backend() -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends["123456789012"]["us-east-1"]
