"""The second's share of SES's maximum send rate, shared by every function's containers:

  EMAIL_RATE#<epoch second> / EMAIL_RATE   sent: recipients taken in that second

One conditional `UpdateItem ADD` per email. A failed condition consumes a write unit too
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate),
so a container that finds its second full sends nothing more in it without asking again:
the item takes at most SES's rate plus one refusal per container and class of email each
second (14 + a few hundred at a crisis), under the 700 WCU/s we allow a partition (70%
of DynamoDB's 1,000:
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html).
Each second is a key of its own, written for that second only, and expires within a day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from socialcare.adapters.dynamodb.items import encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.email_pacing import second_cap

# How long a second's counter is kept (TTL deletes it later, free of charge).
_KEPT_SECONDS = 86_400


class DynamoDBSendSlots:
    """ports/email.SendSlots. `rate`: SES's maximum send rate as configured or read."""

    def __init__(self, table: CasesTable, rate: Callable[[], float]) -> None:
        self._table = table
        self._rate = rate
        # The second this container found full, per class (alert or not).
        self._full: dict[bool, int] = {}

    def take(self, now: datetime, recipients: int, *, alert: bool) -> bool:
        second = int(now.timestamp())
        if self._full.get(alert) == second:
            return False
        room = second_cap(self._rate(), alert=alert, second=second) - recipients
        taken = room >= 0 and self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=f"EMAIL_RATE#{second}", SK="EMAIL_RATE"),
            UpdateExpression="ADD sent :recipients SET expires_at = :expires",
            ConditionExpression="attribute_not_exists(sent) OR sent <= :room",
            ExpressionAttributeValues=encode_item(
                **{":recipients": recipients, ":room": room, ":expires": second + _KEPT_SECONDS}
            ),
        )
        if not taken:
            self._full[alert] = second
            if alert:  # no room for an alert: none for the rest either
                self._full[False] = second
        return taken
