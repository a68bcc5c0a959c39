"""The brand's list of known customers written to the customers table, 25 at a time.

BatchWriteItem (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html):
at most 25 put or delete requests a call, never two for the same key in one call; what
DynamoDB could not write (throughput, an internal failure) comes back in UnprocessedItems,
"we strongly recommend that you use an exponential backoff algorithm" before resending.
A put replaces the item whole, so writing the same list again changes nothing.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from socialcare.adapters.dynamodb.items import encode_item
from socialcare.domain.customers import CustomersNotWritten, KnownCustomer

BATCH = 25  # BatchWriteItem's limit of requests a call
ATTEMPTS = 8  # a batch's first write and its resends of what came back unprocessed
FIRST_WAIT = 0.1  # seconds; doubled each resend (with jitter), at most MAX_WAIT
MAX_WAIT = 5.0


@dataclass(frozen=True)
class Written:
    customers: int
    calls: int
    resends: int  # calls that only resent unprocessed items


def customer_item(customer: KnownCustomer) -> dict[str, Any]:
    """The item triage reads (customer_key, reference) and a person's export shows."""
    fields = {"reference": customer.reference, "name": customer.name}
    return encode_item(
        customer_key=customer.key,
        platform=customer.person.platform.value,
        author_id=customer.person.author_id,
        **{k: v for k, v in fields.items() if v is not None},
    )


class DynamoDBCustomerList:
    """Heat: an operator's load of the customers table, one key per customer."""

    def __init__(
        self, client: Any, table_name: str, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._client = client
        self._table = table_name
        self._sleep = sleep

    def put_all(self, customers: Sequence[KnownCustomer]) -> Written:
        written = calls = resends = 0
        for start in range(0, len(customers), BATCH):
            batch = customers[start : start + BATCH]
            requests = [{"PutRequest": {"Item": customer_item(c)}} for c in batch]
            for attempt in range(ATTEMPTS):
                if attempt:
                    resends += 1
                    self._sleep(_backoff(attempt))
                try:
                    answer = self._client.batch_write_item(RequestItems={self._table: requests})
                except ClientError as refused:  # its code says why (access, no such table)
                    code = refused.response.get("Error", {}).get("Code", "ClientError")
                    raise CustomersNotWritten(code, written) from refused
                except BotoCoreError as failed:
                    raise CustomersNotWritten(type(failed).__name__, written) from failed
                calls += 1
                requests = (answer.get("UnprocessedItems") or {}).get(self._table, [])
                if not requests:
                    break
            if requests:
                written += len(batch) - len(requests)
                raise CustomersNotWritten("throughput exceeded (UnprocessedItems)", written)
            written += len(batch)
        return Written(written, calls, resends)


def _backoff(attempt: int) -> float:
    """Exponential, with full jitter so parallel loads do not resend in step."""
    return random.uniform(0, min(MAX_WAIT, FIRST_WAIT * 2**attempt))  # noqa: S311 (not a secret)
