"""A case's satisfaction survey on its items: the link, the send, the one answer that
stands (one later answer noted, the rest dropped, a redelivery recognised), and the low
score's follow-up."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from socialcare.adapters.dynamodb.items import case_pk, encode_item
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.clock import utc_iso
from socialcare.domain.languages import ReaderLanguage
from socialcare.domain.messages import Channel
from socialcare.domain.survey_answers import (
    PAGE_ANSWER,
    SurveyAnswer,
    SurveyForm,
    SurveyRecorded,
    TapOrigin,
    is_low,
    survey_chat,
    survey_tap_origin,
    tap_counts,
)

LOW_SCORE_SK = "LOW_SCORE"  # its INSERT brings the social team's alert (the triage stream)
SURVEY_OWED_SK = "SURVEY_OWED"  # its INSERT brings the survey back to triage, to ask again


class DynamoDBSurveyRecords:
    """A case's survey (ports/surveys.SurveyStore, SurveyAnswers).

    Heat: one case's partition and its answer's DEDUP key per call."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def open_survey_link(self, case_id: str, key: str, csrf_token: str) -> tuple[str, str]:
        """The case's survey page key and CSRF token: these, or the ones it already had.
        ALL_NEW, "all of the attributes of the item, as they appear after the UpdateItem
        operation" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html),
        holds the link either way; UPDATED_NEW returns "only the updated attributes", and
        whether an if_not_exists that kept the value updated it is left unsaid (moto
        returns none: a retried survey's second call found no link)."""
        link = {"key": key, "csrf_token": csrf_token}
        answer = self._table.call(
            self._table.client.update_item,
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            UpdateExpression="SET survey_link = if_not_exists(survey_link, :link)",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeValues=encode_item(**{":link": link}),
            ReturnValues="ALL_NEW",
        )
        kept = answer["Attributes"]["survey_link"]["M"]
        return kept["key"]["S"], kept["csrf_token"]["S"]

    def mark_survey_sent(
        self, case_id: str, form: str, now: datetime, language: ReaderLanguage | None = None
    ) -> bool:
        """The survey reached the customer (once; a retry keeps the first time), in which
        language, and whether that was the brand's default (the customer's unknown)."""
        update = "SET survey_sent_at = :now, survey_form = :form"
        values: dict[str, Any] = {":now": utc_iso(now), ":form": form}
        if language is not None:
            update += ", survey_language = :language, survey_language_fallback = :fallback"
            values.update({":language": language.language, ":fallback": language.fallback})
        return self._table.conditional_update(
            case_id, update, "attribute_exists(PK) AND attribute_not_exists(survey_sent_at)", values
        )

    def survey_language(self, case_id: str) -> str | None:
        response = self._table.call(
            self._table.client.get_item,
            TableName=self._table.name,
            Key=encode_item(PK=case_pk(case_id), SK="CASE"),
            ProjectionExpression="survey_language",
        )
        language = (response.get("Item") or {}).get("survey_language") or {}
        return language.get("S")

    def record_survey_answer(self, answer: SurveyAnswer, now: datetime) -> SurveyRecorded:
        """The first answer stands; one later answer is noted on the timeline (the case
        keeps when), the rest are dropped; a tap counts only as `tap_counts` says (the
        condition below is that rule, as DynamoDB checks it)."""
        page = answer.author_id == PAGE_ANSWER
        origin = survey_tap_origin(answer)
        if not page and origin is None:
            return SurveyRecorded.NOT_ASKED  # no survey's choices ever go out from there
        fingerprint = hashlib.sha256(answer.answer_key.encode("utf-8")).hexdigest()[:16]
        low = is_low(answer.score)
        values: dict[str, Any] = {
            ":score": answer.score,
            ":at": utc_iso(answer.answered_at),
            ":channel": answer.channel.value,
            ":key": fingerprint,
            ":now": utc_iso(now),
        }
        sets = [
            "survey_score = :score",
            "survey_answered_at = :at",
            "survey_answer_channel = :channel",
            "survey_answer_key = :key",
            "updated_at = :now",
        ]
        if answer.comment:
            sets.append("survey_comment = :comment")
            values[":comment"] = answer.comment
        if low:
            sets.append("follow_up = :follow_up")
            opened = {"status": "open", "opened_at": utc_iso(now), "score": answer.score}
            values[":follow_up"] = opened
        update: dict[str, Any] = {
            "TableName": self._table.name,
            "Key": encode_item(PK=case_pk(answer.case_id), SK="CASE"),
            "UpdateExpression": "SET " + ", ".join(sets),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if page or origin is None:  # the page's key proved the link
            condition = "attribute_exists(survey_link) AND attribute_not_exists(survey_score)"
        else:
            condition, who = _tap_condition(answer, origin)
            values.update(who)
            update["ExpressionAttributeNames"] = {"#public": "public"}  # a reserved word
        update["ConditionExpression"] = condition
        update["ExpressionAttributeValues"] = encode_item(**values)
        items = [{"Update": update}, self._answer_event(answer, fingerprint, "survey_answered")]
        if low:
            items.append(self._low_score_item(answer, now))
            items.append(
                self._table.event_put(
                    answer.case_id,
                    now,
                    "follow_up_opened",
                    None,
                    suffix=fingerprint,
                    actor="socialcare",
                    reason=f"low satisfaction score ({answer.score}/5)",
                )
            )
        refused = self._table.transact_or_reasons(items)
        if refused is None:
            return SurveyRecorded.RECORDED
        case = refused[0]
        if not case or case.get("survey_score") is None or not _answers(case, answer):
            return SurveyRecorded.NOT_ASKED
        if fingerprint in (case.get("survey_answer_key"), case.get("survey_later_key")):
            # This very answer, delivered again: what it was the first time.
            first = case.get("survey_answer_key") == fingerprint
            return SurveyRecorded.RECORDED if first else SurveyRecorded.LATER_NOTED
        if case.get("survey_later_at") or not self._note_later_answer(answer, fingerprint, now):
            return SurveyRecorded.LATER_DROPPED
        return SurveyRecorded.LATER_NOTED

    def _note_later_answer(self, answer: SurveyAnswer, fingerprint: str, now: datetime) -> bool:
        """On the timeline, once per case: False when another got there first."""
        return self._table.transact(
            [
                {
                    "Update": {
                        "TableName": self._table.name,
                        "Key": encode_item(PK=case_pk(answer.case_id), SK="CASE"),
                        "UpdateExpression": "SET survey_later_at = :now, survey_later_key = :key",
                        "ConditionExpression": (
                            "attribute_exists(PK) AND attribute_not_exists(survey_later_at)"
                        ),
                        "ExpressionAttributeValues": encode_item(
                            **{":now": utc_iso(now), ":key": fingerprint}
                        ),
                    }
                },
                self._answer_event(answer, fingerprint, "survey_answer_later"),
            ]
        )

    def _answer_event(self, answer: SurveyAnswer, fingerprint: str, kind: str) -> dict[str, Any]:
        return self._table.event_put(
            answer.case_id,
            answer.answered_at,
            kind,
            None,
            suffix=fingerprint,
            actor="customer",
            score=answer.score,
            channel=answer.channel.value,
            comment=answer.comment,
        )

    def _low_score_item(self, answer: SurveyAnswer, now: datetime) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table.name,
                "Item": encode_item(
                    PK=case_pk(answer.case_id),
                    SK=LOW_SCORE_SK,
                    entity="low_score",
                    case_id=answer.case_id,
                    score=answer.score,
                    at=utc_iso(now),
                ),
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        }

    def owe_survey(self, case_id: str, now: datetime) -> None:
        """Once per case: a second deferral writes nothing (and no stream record)."""
        self._table.write(
            self._table.client.put_item,
            "ConditionalCheckFailedException",
            TableName=self._table.name,
            Item=encode_item(
                PK=case_pk(case_id),
                SK=SURVEY_OWED_SK,
                entity="survey_owed",
                case_id=case_id,
                at=utc_iso(now),
            ),
            ConditionExpression="attribute_not_exists(PK)",
        )


def _tap_condition(answer: SurveyAnswer, origin: TapOrigin) -> tuple[str, dict[str, Any]]:
    """`tap_counts` as a condition on the CASE item: a survey sent with choices, in the
    channel (a private conversation on the platform) the tap came back on, by the brand
    account it came back to and, on Telegram, to the chat it came from, to one of the
    tapper's ids."""
    ids = answer.author_ids
    who = " OR ".join(
        f"author.id = :who{n} OR contains(author.aliases, :who{n})" for n in range(len(ids))
    )
    chat = survey_chat(answer.channel, origin.chat_id)
    condition = (
        "attribute_exists(survey_sent_at) AND attribute_not_exists(survey_score)"
        " AND survey_form = :choices AND platform = :platform AND channel = :channel"
        " AND #public = :private AND reply_to.account_id = :account"
        + (" AND reply_to.conversation_id = :chat" if chat is not None else "")
        + f" AND ({who})"
    )
    values = {
        ":choices": SurveyForm.CHOICES.value,
        ":platform": answer.platform.value,
        ":private": False,
        ":account": origin.account_id,
        **({":chat": chat} if chat is not None else {}),
        **{f":who{n}": author_id for n, author_id in enumerate(ids)},
    }
    return condition, values


def _answers(case: dict[str, Any], answer: SurveyAnswer) -> bool:
    """Whether `answer` is one this case can take (the transaction's condition, read back
    from the item it refused on)."""
    if answer.author_id == PAGE_ANSWER:
        return True
    author = case.get("author") or {}
    reply_to = case.get("reply_to") or {}
    return case.get("platform") == answer.platform.value and tap_counts(
        answer,
        channel=Channel(str(case.get("channel"))),
        public=bool(case.get("public")),
        form=case.get("survey_form"),
        author_ids={str(author.get("id")), *map(str, author.get("aliases") or ())},
        account_id=reply_to.get("account_id"),
        conversation_id=reply_to.get("conversation_id"),
    )
