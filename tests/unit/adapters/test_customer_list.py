"""The customers written 25 a call (BatchWriteItem's limit), what DynamoDB leaves
unprocessed resent after a growing wait, and a stop that says how many were written.
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from socialcare.adapters.dynamodb import customer_list
from socialcare.adapters.dynamodb.customer_list import DynamoDBCustomerList
from socialcare.domain.customers import CustomersNotWritten, KnownCustomer
from socialcare.domain.privacy import Person

TABLE = "customers"


def _customers(count: int) -> list[KnownCustomer]:
    return [KnownCustomer(Person.of("x", str(1000 + n)), f"REF-{n}") for n in range(count)]


class _DynamoDB:
    """BatchWriteItem as documented: refuses more than 25 requests or a key twice in one
    call; leaves the first `unprocessed` requests of each of its first `throttled` calls."""

    def __init__(self, *, throttled: int = 0, unprocessed: int = 0, refuse: bool = False):
        self.items: dict[str, dict[str, Any]] = {}
        self.calls: list[int] = []
        self._throttled, self._unprocessed, self._refuse = throttled, unprocessed, refuse

    def batch_write_item(self, RequestItems: dict[str, list[dict]]) -> dict[str, Any]:
        if self._refuse:
            error = {"Error": {"Code": "AccessDeniedException", "Message": "no"}}
            raise ClientError(error, "BatchWriteItem")
        [(table, requests)] = RequestItems.items()
        keys = [r["PutRequest"]["Item"]["customer_key"]["S"] for r in requests]
        assert table == TABLE and 0 < len(requests) <= 25 and len(set(keys)) == len(keys)
        self.calls.append(len(requests))
        left = requests[: self._unprocessed] if len(self.calls) <= self._throttled else []
        for request in requests[len(left) :]:
            item = request["PutRequest"]["Item"]
            self.items[item["customer_key"]["S"]] = item
        return {"UnprocessedItems": {TABLE: left} if left else {}}


def test_sixty_customers_are_three_calls_of_at_most_25():
    # Given 60 customers
    dynamodb = _DynamoDB()
    # When they are written
    written = DynamoDBCustomerList(dynamodb, TABLE, sleep=lambda _: None).put_all(_customers(60))
    # Then in three calls, every item as triage reads it
    assert dynamodb.calls == [25, 25, 10]
    assert (written.customers, written.calls, written.resends) == (60, 3, 0)
    assert dynamodb.items["x#1000"] == {
        "customer_key": {"S": "x#1000"},
        "platform": {"S": "x"},
        "author_id": {"S": "1000"},
        "reference": {"S": "REF-0"},
    }


def test_unprocessed_items_are_resent_after_growing_waits(monkeypatch):
    # Given DynamoDB leaves 5 of a batch unprocessed on its first three calls
    monkeypatch.setattr(customer_list.random, "uniform", lambda low, high: high)
    dynamodb, waits = _DynamoDB(throttled=3, unprocessed=5), []
    # When 25 customers are written
    written = DynamoDBCustomerList(dynamodb, TABLE, sleep=waits.append).put_all(_customers(25))
    # Then only what was left is resent, after waits that double, and all are written
    assert dynamodb.calls == [25, 5, 5, 5]
    assert waits == [0.2, 0.4, 0.8]
    assert written.customers == len(dynamodb.items) == 25 and written.resends == 3


def test_a_batch_still_unprocessed_after_every_resend_stops_the_load():
    # Given DynamoDB never takes 5 of the first batch
    dynamodb = _DynamoDB(throttled=100, unprocessed=5)
    loader = DynamoDBCustomerList(dynamodb, TABLE, sleep=lambda _: None)
    # When 30 customers are written
    with pytest.raises(CustomersNotWritten) as stopped:
        loader.put_all(_customers(30))
    # Then it stops after the documented resends, saying how many are in the table
    assert len(dynamodb.calls) == customer_list.ATTEMPTS
    assert stopped.value.written == len(dynamodb.items) == 20


def test_a_refused_call_stops_with_what_was_written():
    dynamodb = _DynamoDB(refuse=True)
    with pytest.raises(CustomersNotWritten) as stopped:
        DynamoDBCustomerList(dynamodb, TABLE, sleep=lambda _: None).put_all(_customers(3))
    assert stopped.value.written == 0 and str(stopped.value) == "AccessDeniedException"
