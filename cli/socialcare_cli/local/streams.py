"""DynamoDB Streams -> Lambda as the event source mapping delivers them: each of the
template's `AWS::Lambda::EventSourceMapping` on a table's stream reads the emulated stream
in order, drops what the filter criteria exclude, invokes the real handler in batches
(one lane per parallelization slot, a key's records always in the same lane), retries a
batch from its first reported failure, bisects a batch whose invocation fails, and after
the last retry sends the batch's coordinates to the on-failure destination, as AWS does."""

from __future__ import annotations

import json
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from socialcare_cli.local.names import ACCOUNT_ID, REGION
from socialcare_cli.local.stack_parts import StackParts
from socialcare_cli.triage_replay import epoch_seconds

_POLL_SECONDS = 0.02
_RETRY_BACKOFF_SECONDS = 0.05


@dataclass(frozen=True)
class StreamMapping:
    """One event source mapping of the template on a table's stream."""

    function: str
    table: str
    batch_size: int
    parallelization: int
    bisect: bool
    max_retries: int
    report_failures: bool
    filters: tuple[dict[str, Any], ...]
    on_failure_queue: str | None

    @classmethod
    def all_in(cls, template: Any) -> list[StreamMapping]:
        found = []
        for props in template.of_type("AWS::Lambda::EventSourceMapping").values():
            props = props["Properties"]
            source = props["EventSourceArn"].get("Fn::GetAtt", [None, None])
            if source[1] != "StreamArn":
                continue  # not a DynamoDB stream
            destination = props.get("DestinationConfig", {}).get("OnFailure", {})
            found.append(
                cls(
                    function=props["FunctionName"]["Ref"],
                    table=source[0],
                    batch_size=int(props.get("BatchSize", 100)),
                    parallelization=int(props.get("ParallelizationFactor", 1)),
                    bisect=bool(props.get("BisectBatchOnFunctionError", False)),
                    max_retries=int(props.get("MaximumRetryAttempts", -1)),
                    report_failures="ReportBatchItemFailures"
                    in props.get("FunctionResponseTypes", []),
                    filters=tuple(
                        json.loads(f["Pattern"])
                        for f in props.get("FilterCriteria", {}).get("Filters", [])
                    ),
                    on_failure_queue=(destination.get("Destination") or {}).get(
                        "Fn::GetAtt", [None]
                    )[0],
                )
            )
        return found

    def admits(self, record: dict[str, Any]) -> bool:
        return not self.filters or any(_matches(p, record) for p in self.filters)


def _matches(pattern: Any, value: Any) -> bool:
    """Lambda's event filtering, the part the template uses: nested keys, and a list of
    the values allowed, each exact or a `{"prefix": ...}`
    (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html)."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            key in value and _matches(sub, value[key]) for key, sub in pattern.items()
        )
    return any(_allows(allowed, value) for allowed in pattern)


def _allows(allowed: Any, value: Any) -> bool:
    if isinstance(allowed, dict) and "prefix" in allowed:
        return isinstance(value, str) and value.startswith(allowed["prefix"])
    return bool(allowed == value)


class StreamPoller:
    """One event source mapping: a thread reading the shard, lanes invoking the function."""

    def __init__(self, stack: Any, mapping: StreamMapping) -> None:
        self.stack = stack
        self.mapping = mapping
        self.delivered = 0
        self.failed_batches = 0
        self._shard: Any = None
        self._position = 0
        self._busy = False
        self.paused = False
        self._stop = threading.Event()
        self._lanes = ThreadPoolExecutor(mapping.parallelization, thread_name_prefix="stream")
        self._thread = threading.Thread(target=self._run, daemon=True, name="stream-poller")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._lanes.shutdown(wait=True)

    def idle(self) -> bool:
        """Every record written so far has been delivered (or sent to the destination)."""
        shard = self._current_shard()
        pending = shard is not None and shard is self._shard and self._position < len(shard.items)
        fresh = shard is not None and shard is not self._shard and len(shard.items) > 0
        return not self._busy and not pending and not fresh

    def _current_shard(self) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        tables = dynamodb_backends[ACCOUNT_ID][REGION].tables
        table = tables.get(self.stack.refs.get(self.mapping.table, ""))
        return table.stream_shard if table is not None else None

    def _run(self) -> None:
        while not self._stop.is_set():
            shard = self._current_shard()
            if shard is not self._shard:  # the table was made again (reset_data)
                self._shard, self._position = shard, 0
            if shard is None or self._position >= len(shard.items) or self.paused:
                time.sleep(_POLL_SECONDS)
                continue
            self._busy = True
            try:
                end = min(len(shard.items), self._position + 10_000)
                records = [self._record(r, shard) for r in shard.items[self._position : end]]
                self._position = end
                self._deliver([r for r in records if self.mapping.admits(r)])
            finally:
                self._busy = False

    def _record(self, stream_record: Any, shard: Any) -> dict[str, Any]:
        record = json.loads(json.dumps(stream_record.to_json(), default=epoch_seconds))
        table = shard.table
        record["eventSourceARN"] = f"{table.table_arn}/stream/{table.latest_stream_label}"
        record["awsRegion"] = REGION
        return record

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        """Records of one key stay in order in one lane; lanes run side by side."""
        lanes: list[list[dict[str, Any]]] = [[] for _ in range(self.mapping.parallelization)]
        for record in records:
            key = json.dumps(record["dynamodb"]["Keys"], sort_keys=True).encode()
            lanes[zlib.crc32(key) % len(lanes)].append(record)
        size = self.mapping.batch_size
        work = [
            self._lanes.submit(self._lane, [lane[i : i + size] for i in range(0, len(lane), size)])
            for lane in lanes
            if lane
        ]
        for future in work:
            future.result()

    def _lane(self, batches: list[list[dict[str, Any]]]) -> None:
        for batch in batches:
            self._batch(batch)

    def _batch(self, batch: list[dict[str, Any]]) -> None:
        """Retry from the first failure (or bisect on an error) until it passes or the
        retries run out; splitting does not count as a retry, as in Lambda."""
        pending = [(batch, 0)]
        while pending:
            records, attempts = pending.pop(0)
            remaining, errored = self._invoke(records)
            if not remaining:
                self.delivered += len(records)
                continue
            self.delivered += len(records) - len(remaining)
            if errored and self.mapping.bisect and len(remaining) > 1:
                half = len(remaining) // 2
                pending[:0] = [(remaining[:half], attempts), (remaining[half:], attempts)]
                continue
            if 0 <= self.mapping.max_retries <= attempts:
                self._send_to_destination(remaining, attempts + 1)
                continue
            time.sleep(_RETRY_BACKOFF_SECONDS * (attempts + 1))
            pending.insert(0, (remaining, attempts + 1))

    def _invoke(self, records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
        """What must be retried, and whether the invocation itself failed."""
        function = self.stack.function(self.mapping.function)
        adapters = self.stack.stream_adapters.get(self.mapping.function, {})
        try:
            response = function.invoke({"Records": records}, **adapters)
        except Exception as error:  # an unhandled error: the whole batch comes back
            self.stack.invocation_errors.append(f"{self.mapping.function}: {error!r}")
            return records, True
        failures = (response or {}).get("batchItemFailures") if self.mapping.report_failures else []
        if not failures:
            return [], False
        sequences = [r["dynamodb"]["SequenceNumber"] for r in records]
        failed = [f.get("itemIdentifier") for f in failures]
        if any(f not in sequences for f in failed):
            return records, False  # an identifier Lambda cannot place: the whole batch
        return records[min(sequences.index(f) for f in failed) :], False

    def _send_to_destination(self, records: list[dict[str, Any]], invocations: int) -> None:
        self.failed_batches += 1
        queue = self.mapping.on_failure_queue
        if queue is None:
            return
        first, last = records[0], records[-1]
        message = {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": self.stack.function(self.mapping.function).arn,
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": invocations,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "version": "1.0",
            "timestamp": datetime.now(UTC).isoformat(),
            "DDBStreamBatchInfo": {
                "shardId": self._shard.id,
                "startSequenceNumber": first["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": last["dynamodb"]["SequenceNumber"],
                "batchSize": len(records),
                "streamArn": first["eventSourceARN"],
            },
        }
        self.stack.client("sqs").send_message(
            QueueUrl=self.stack.refs[queue], MessageBody=json.dumps(message)
        )


class StreamDelivery(StackParts):
    """Mixed into LocalStack: the template's stream event source mappings, running."""

    def _start_stream_mappings(self) -> None:
        self.stream_pollers = [StreamPoller(self, m) for m in StreamMapping.all_in(self.template)]
        for poller in self.stream_pollers:
            poller.start()

    def _stop_stream_mappings(self) -> None:
        for poller in getattr(self, "stream_pollers", []):
            poller.stop()
        self.stream_pollers = []

    @contextmanager
    def streams_paused(self) -> Iterator[None]:
        """Records pile up meanwhile, and are then read together, as a busy stream's are."""
        for poller in self.stream_pollers:
            poller.paused = True
        try:
            yield
        finally:
            for poller in self.stream_pollers:
                poller.paused = False

    def wait_for_streams(self, timeout: float = 15.0) -> bool:
        """Until every record written so far was delivered; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # Twice in a row: a record written by a delivery (a case the triage wrote)
            # must not slip between one look and the next.
            if all(p.idle() for p in self.stream_pollers):
                time.sleep(_POLL_SECONDS * 2)
                if all(p.idle() for p in self.stream_pollers):
                    return True
            time.sleep(_POLL_SECONDS)
        return False
