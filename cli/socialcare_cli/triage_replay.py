"""`socialcare replay`, second half: the stream batches triage gave up on (after every
retry the event source mapping sends their coordinates to TriageFailuresQueue) are read
back from the table's stream and sent to the triage function again. Safe any time:
triage's NEW -> TRIAGED transition is conditional, so a case already triaged is left
alone; a batch that fails again stays in the queue."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from socialcare_cli.replay_queue import Invoke, each_message


def read_batch(streams: Any, info: dict[str, Any]) -> list[dict[str, Any]]:
    """The new-case records between the batch's first and last sequence numbers, shaped
    as the event source mapping delivers them. Empty once the stream trimmed them (24 h)."""
    from botocore.exceptions import ClientError

    first, last = int(info["startSequenceNumber"]), int(info["endSequenceNumber"])
    try:
        iterator = streams.get_shard_iterator(
            StreamArn=info["streamArn"],
            ShardId=info["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=info["startSequenceNumber"],
        )["ShardIterator"]
    except ClientError:  # TrimmedDataAccessException, ResourceNotFoundException
        return []
    found: list[dict[str, Any]] = []
    while iterator:
        page = streams.get_records(ShardIterator=iterator, Limit=1000)
        records = page.get("Records", [])
        for record in records:
            if int(record["dynamodb"]["SequenceNumber"]) > last:
                return found
            if int(record["dynamodb"]["SequenceNumber"]) >= first and _is_new_case(record):
                record["eventSourceARN"] = info["streamArn"]
                found.append(json.loads(json.dumps(record, default=epoch_seconds)))
        if not records:
            break
        iterator = page.get("NextShardIterator")
    return found


def drain_triage_failures(
    sqs: Any, queue_url: str, streams: Any, invoke: Invoke, *, max_rounds: int = 1000
) -> Counter[str]:
    outcome: Counter[str] = Counter()
    for message in each_message(sqs, queue_url, max_rounds):
        info = json.loads(message["Body"]).get("DDBStreamBatchInfo") or {}
        records = read_batch(streams, info) if info else []
        if not records:
            outcome["triage_batches_gone_from_stream"] += 1
            continue
        try:
            response = invoke({"Records": records}) or {}
        except Exception:  # the function failed again: keep the batch for next time
            response = {"errorType": "Unhandled"}
        if response.get("errorType") or response.get("batchItemFailures"):
            outcome["triage_still_failing"] += 1
            continue
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        outcome["triage_batches_replayed"] += 1
        messages = sum(str(r["dynamodb"]["Keys"]["SK"]["S"]).startswith("MSG#") for r in records)
        outcome["cases_sent_to_triage"] += len(records) - messages
        if messages:
            outcome["messages_sent_to_search_index"] += messages
    return outcome


def _is_new_case(record: dict[str, Any]) -> bool:
    """A new case, a survey it owes (both are asked again once replayed), or a customer
    message (its words into the search index: written again alike)."""
    keys = record.get("dynamodb", {}).get("Keys", {})
    sk = str(keys.get("SK", {}).get("S"))
    wanted = sk in ("CASE", "SURVEY_OWED") or sk.startswith("MSG#")
    return record.get("eventName") == "INSERT" and wanted


def epoch_seconds(value: Any) -> Any:
    """JSON for a stream record's ApproximateCreationDateTime, as Lambda sends it."""
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(type(value).__name__)
