"""A person in the failed-deliveries queue (`socialcare privacy`): every parked delivery
is read once, those carrying the person's ids are parked again without them (sealed as
before) or deleted, and the others are handed back to `socialcare replay` at once."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from socialcare.adapters.calls import stored
from socialcare.domain.parked import ParkedDelivery
from socialcare.domain.privacy import Held, HoldingKind, redact_delivery

# Long enough to find and erase; a crash hands them back to replay after it anyway.
_HOLD_SECONDS = 300


class SqsParkedDeliveries:
    def __init__(self, client: Any, queue_url: str, seal_key: Callable[[], str]) -> None:
        self._client = client
        self._queue_url = queue_url
        self._seal_key = seal_key
        self._held: dict[str, str] = {}  # message id -> receipt handle, out of sight

    def find(self, ids: frozenset[str]) -> list[Held]:
        found: list[Held] = []
        for message in self._each_message():
            record = _record(message["Body"])
            if record is None:
                continue
            document = _document(record)
            if document is None:
                continue
            left, taken = redact_delivery(document, ids)
            if taken:
                data = {
                    "platform": record.platform,
                    "parked_at": record.parked_at,
                    "reason": record.reason,
                    "taken": taken,
                }
                found.append(
                    Held(
                        HoldingKind.PARKED_DELIVERY,
                        None,
                        (message["MessageId"], record, left),
                        data,
                    )
                )
        return found

    def erase(self, held: list[Held]) -> None:
        for item in held:
            message_id, record, left = item.ref
            if left is not None and record.verified and record.seal is not None:
                body = json.dumps(left, ensure_ascii=False, separators=(",", ":"))
                kept = record.model_copy(update={"body": body, "body_is_base64": False})
                self._send(kept.sealed(self._seal_key()))
            # Unverified: its platform signature would no longer hold without the person,
            # and a seal must never vouch for what the stack did not verify: it goes whole.
            self._call(
                self._client.delete_message,
                QueueUrl=self._queue_url,
                ReceiptHandle=self._held.pop(message_id),
            )

    def release(self) -> None:
        for message_id, receipt in list(self._held.items()):
            self._call(
                self._client.change_message_visibility,
                QueueUrl=self._queue_url,
                ReceiptHandle=receipt,
                VisibilityTimeout=0,
            )
            del self._held[message_id]

    def _each_message(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        while True:
            received = self._call(
                self._client.receive_message,
                QueueUrl=self._queue_url,
                MaxNumberOfMessages=10,
                WaitTimeSeconds=1,
                VisibilityTimeout=_HOLD_SECONDS,
            ).get("Messages", [])
            fresh = [m for m in received if m["MessageId"] not in self._held]
            if not fresh:
                return messages
            for message in fresh:
                self._held[message["MessageId"]] = message["ReceiptHandle"]
            messages.extend(fresh)

    def _send(self, record: ParkedDelivery) -> None:
        body = json.dumps(
            {"parked_delivery": record.model_dump(mode="json")}, separators=(",", ":")
        )
        self._call(self._client.send_message, QueueUrl=self._queue_url, MessageBody=body)

    _call = staticmethod(stored)


def _record(body: str) -> ParkedDelivery | None:
    try:
        parked = json.loads(body)
        if "parked_delivery" in parked:
            return ParkedDelivery.model_validate(parked["parked_delivery"])
        # Parked before records were sealed: the whole API Gateway event, never trusted.
        event = parked["event"]
        return ParkedDelivery(
            platform=str(event.get("rawPath", "")).rsplit("/", 1)[-1],
            headers={},
            body=str(event.get("body") or ""),
            body_is_base64=bool(event.get("isBase64Encoded")),
            reason=str(parked.get("reason", "")),
            parked_at="",
        )
    except (ValueError, AttributeError, KeyError, TypeError):
        return None


def _document(record: ParkedDelivery) -> Any | None:
    try:
        raw = base64.b64decode(record.body) if record.body_is_base64 else record.body
        return json.loads(raw)
    except ValueError:
        return None
