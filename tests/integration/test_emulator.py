"""The local emulator's shortcuts keep DynamoDB's rules: TransactWriteItems all-or-nothing,
queries on the table's key that read only their partition, in key order, page by page."""

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


def stream_records(stack) -> list[dict]:
    """Every record of the table's stream, as DynamoDB Streams serves them."""
    streams = stack.client("dynamodbstreams")
    arn = stack.client("dynamodb").describe_table(TableName=stack.cases_table)["Table"][
        "LatestStreamArn"
    ]
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records += streams.get_records(ShardIterator=iterator, Limit=1000)["Records"]
    return records


def test_a_transaction_that_fails_while_writing_leaves_no_stream_record(stack):
    # Given an item whose attribute n is text
    dynamodb, table = stack.client("dynamodb"), stack.cases_table
    dynamodb.put_item(TableName=table, Item={"PK": {"S": "B"}, "SK": {"S": "X"}, "n": {"S": "t"}})
    before = stream_records(stack)
    # When a transaction passes its conditions, then fails on its second write (adding to
    # text): DynamoDB refuses the whole transaction, all or nothing
    add_to_text = {
        "Update": {
            "TableName": table,
            "Key": {"PK": {"S": "B"}, "SK": {"S": "X"}},
            "UpdateExpression": "SET n = n + :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=[put(table, "A"), add_to_text])
    # Then nothing of it is in the table, and its stream shows nothing either: a stream
    # records changes once a transaction has completed, never a rolled-back one
    assert [i["PK"]["S"] for i in dynamodb.scan(TableName=table)["Items"]] == ["B"]
    assert stream_records(stack) == before


def test_a_query_on_the_table_key_reads_its_partition_in_order_page_by_page(stack):
    # Given items in three partitions, written out of order
    dynamodb, table = stack.client("dynamodb"), stack.cases_table
    for pk in ("B", "A", "C"):
        for sk in ("3", "1", "2", "10"):
            item = {"PK": {"S": pk}, "SK": {"S": sk}}
            dynamodb.put_item(TableName=table, Item=item)
    query = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk AND SK > :from",
        "ExpressionAttributeValues": {":pk": {"S": "B"}, ":from": {"S": "1"}},
        "Limit": 2,
    }
    # When the partition is queried with a key condition, two items a page
    first = dynamodb.query(**query)
    second = dynamodb.query(**query, ExclusiveStartKey=first["LastEvaluatedKey"])
    backwards = dynamodb.query(**{**query, "Limit": 10}, ScanIndexForward=False)
    # Then only that partition's items come back, in key order, none twice
    pages = [i["SK"]["S"] for i in first["Items"] + second["Items"]]
    assert pages == ["10", "2", "3"]
    assert {i["PK"]["S"] for i in first["Items"] + second["Items"]} == {"B"}
    assert [i["SK"]["S"] for i in backwards["Items"]] == ["3", "2", "10"]
    assert (
        dynamodb.query(
            **{**query, "ExpressionAttributeValues": {":pk": {"S": "Z"}, ":from": {"S": "0"}}}
        )["Items"]
        == []
    )
