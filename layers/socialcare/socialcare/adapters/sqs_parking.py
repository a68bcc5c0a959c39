"""Deliveries that could not be recorded, parked in an SQS queue, so that nothing is lost
when a platform gives up retrying; `socialcare replay` re-drives them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:  # built at every cold start; the record's module only when one fails
    from socialcare.domain.parked import ParkedDelivery

logger = Logger(service="webhook", child=True)

# SQS takes 256 KiB a message; the record around the body needs a little room.
MAX_PARKED_BYTES = 250 * 1024


class SqsDeliveryParking:
    def __init__(self, client: Any, queue_url: str) -> None:
        """`client`: an SQS client, or a function making one: most containers never park,
        so production makes the client on the first delivery parked."""
        self._client = client
        self._queue_url = queue_url

    def park(self, delivery: ParkedDelivery) -> bool:
        """The message is the event `socialcare replay` sends to the webhook function."""
        body = json.dumps(
            {"parked_delivery": delivery.model_dump(mode="json")}, separators=(",", ":")
        )
        if len(body.encode()) > MAX_PARKED_BYTES:
            logger.error("delivery too large to park", extra={"bytes": len(body.encode())})
            return False
        if callable(self._client):
            self._client = self._client()
        try:
            self._client.send_message(QueueUrl=self._queue_url, MessageBody=body)
        except (ClientError, BotoCoreError) as error:
            logger.error("delivery not parked", extra={"why": type(error).__name__})
            return False
        return True
