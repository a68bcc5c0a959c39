"""The local emulator's faster TransactWriteItems keeps DynamoDB's all-or-nothing rules."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def put(table: str, pk: str, condition: bool = True) -> dict:
    op = {"TableName": table, "Item": {"PK": {"S": pk}, "SK": {"S": "X"}}}
    if condition:
        op["ConditionExpression"] = "attribute_not_exists(PK)"
    return {"Put": op}


def test_a_failed_condition_writes_nothing_of_the_transaction(stack):
    dynamodb, table = stack.client("dynamodb"), stack.cases_table
    update_missing = {
        "Update": {
            "TableName": table,
            "Key": {"PK": {"S": "B"}, "SK": {"S": "X"}},
            "UpdateExpression": "SET n = :one",
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }
    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(TransactItems=[put(table, "A"), update_missing])
    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"
    reasons = [r["Code"] for r in refused.value.response["CancellationReasons"]]
    assert reasons == ["None", "ConditionalCheckFailed"]
    assert dynamodb.scan(TableName=table)["Items"] == []


def test_conditions_see_the_state_before_the_transaction(stack):
    dynamodb, table = stack.client("dynamodb"), stack.cases_table
    dynamodb.transact_write_items(TransactItems=[put(table, "A"), put(table, "B")])
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=[put(table, "C"), put(table, "A")])
    keys = sorted(i["PK"]["S"] for i in dynamodb.scan(TableName=table)["Items"])
    assert keys == ["A", "B"]


def test_two_operations_on_one_item_are_refused(stack):
    dynamodb, table = stack.client("dynamodb"), stack.cases_table
    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(
            TransactItems=[put(table, "A", False), put(table, "A", False)]
        )
    assert refused.value.response["Error"]["Code"] == "ValidationException"
