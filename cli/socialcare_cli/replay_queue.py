"""What both halves of `socialcare replay` share: reading a queue of what failed (parked
deliveries, stream batches triage gave up on) once per run, and the function each
message is sent to again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Invoke = Callable[[dict[str, Any]], dict[str, Any]]


def each_message(sqs: Any, queue_url: str, max_rounds: int = 1000) -> Iterator[dict[str, Any]]:
    """Every message of the queue once per run (one left undeleted is not seen again)."""
    seen: set[str] = set()
    for _ in range(max_rounds):
        received = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=60
        ).get("Messages", [])
        fresh = [m for m in received if m["MessageId"] not in seen]
        if not fresh:
            return
        for message in fresh:
            seen.add(message["MessageId"])
            yield message
