"""The social team's single-use links on a case's item: "publish the suggested replies"
and "follow up the low score" (ports/links.py)."""

from __future__ import annotations

from socialcare.adapters.dynamodb.items import case_pk, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.cases import FollowUpLink


class DynamoDBPublishLinks:
    """Heat: one case's partition per use."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def use_publish_link(self, case_id: str, actor: str, now_iso: str) -> bool:
        return self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            UpdateExpression="SET publish_link.used_at = :now, publish_link.used_by = :actor",
            ConditionExpression=(
                "attribute_exists(publish_link) AND attribute_not_exists(publish_link.used_at)"
            ),
            ExpressionAttributeValues=encode_item(**{":now": now_iso, ":actor": actor}),
        )

    def release_publish_link(self, case_id: str) -> None:
        self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            UpdateExpression="REMOVE publish_link.used_at, publish_link.used_by",
            ConditionExpression="attribute_exists(publish_link)",
        )


class DynamoDBFollowUpLinks:
    """Heat: one case's partition per link."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def open_follow_up_link(self, case_id: str, key: str, csrf_token: str) -> FollowUpLink:
        """The case's follow-up link: these, or the ones it already had (ALL_NEW holds
        the link either way, as in open_survey_link)."""
        link = {"key": key, "csrf_token": csrf_token}
        answer = self._table.call(
            self._table.client.update_item,
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            UpdateExpression="SET follow_up_link = if_not_exists(follow_up_link, :link)",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeValues=encode_item(**{":link": link}),
            ReturnValues="ALL_NEW",
        )
        kept = answer["Attributes"]["follow_up_link"]["M"]
        return FollowUpLink(kept["key"]["S"], kept["csrf_token"]["S"])

    def use_follow_up_link(self, case_id: str, actor: str, now_iso: str) -> bool:
        """Unused -> used, once, and the follow-up the low score opened contacted."""
        return self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            UpdateExpression=(
                "SET follow_up_link.used_at = :now, follow_up_link.used_by = :actor,"
                " follow_up.#status = :contacted"
            ),
            ConditionExpression=(
                "attribute_exists(follow_up_link) AND attribute_exists(follow_up)"
                " AND attribute_not_exists(follow_up_link.used_at)"
            ),
            ExpressionAttributeNames={"#status": "status"},  # a reserved word
            ExpressionAttributeValues=encode_item(
                **{":now": now_iso, ":actor": actor, ":contacted": "contacted"}
            ),
        )

    def release_follow_up_link(self, case_id: str) -> None:
        self._table.write(
            self._table.client.update_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            UpdateExpression=(
                "REMOVE follow_up_link.used_at, follow_up_link.used_by"
                " SET follow_up.#status = :open"
            ),
            ConditionExpression="attribute_exists(follow_up_link) AND attribute_exists(follow_up)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=encode_item(**{":open": "open"}),
        )
