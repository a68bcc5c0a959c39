"""The webhook's models are plain frozen dataclasses (no pydantic at cold start): what
pydantic refused they still refuse, naming the field and never the value, and the
platforms' parsers still turn such an item into a malformed one, never a case."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from socialcare.config.files import read_accounts
from socialcare.domain.credentials import PlatformSecrets, PlatformTokens
from socialcare.domain.messages import Author, Channel, InboundMessage, ReplyTarget
from socialcare.domain.survey_answers import SurveyAnswer
from socialcare.domain.values import InvalidValue
from socialcare.platforms.base import ParsedDelivery

AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SECRET = "s3cr3t-value"


def _message(**changes) -> InboundMessage:
    fields = {
        "text": "hola",
        "author": Author(id="42"),
        "dedup_key": "telegram:1:2",
        "reply_to": ReplyTarget(account_id="bot", conversation_id="42", message_id="2"),
        "sent_at": AT,
        "received_at": AT,
    }
    return InboundMessage.on(Channel.TELEGRAM, **{**fields, **changes})


def test_a_message_is_built_with_its_platform_and_visibility_from_the_channel():
    message = _message()
    assert (message.platform, message.public, message.attachments) == ("telegram", False, ())
    with pytest.raises(AttributeError):
        message.text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Author(id=42), "author.id"),  # type: ignore[arg-type]
        (lambda: Author(id="42", followers="12"), "author.followers"),  # type: ignore[arg-type]
        (lambda: Author(id="42", followers=True), "author.followers"),
        (lambda: Author(id="42", aliases=[1]), "author.aliases"),  # type: ignore[list-item]
        (lambda: ReplyTarget(account_id="a", message_id=None), "reply_to.message_id"),  # type: ignore[arg-type]
        (lambda: _message(sent_at="2026-11-24"), "sent_at"),
        (lambda: _message(extra={"k": 1}), "extra"),
        (lambda: _message(language=SECRET.encode()), "language"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_naming_the_field(build, field):
    with pytest.raises(InvalidValue, match=rf"^{field}: ") as refused:
        build()
    assert SECRET not in str(refused.value) and refused.value.field == field


def test_a_survey_answer_is_held_to_its_bounds():
    answer = SurveyAnswer(
        case_id="20261124-0123456789abcdef",
        score=5,
        channel=Channel.TELEGRAM,
        author_id="42",
        answered_at=AT,
        answer_key="k",
    )
    for change, field in [
        ({"score": 6}, "score"),
        ({"score": 0}, "score"),
        ({"case_id": "x20261124-0123456789abcdef"}, "case_id"),
        ({"answer_key": "k" * 301}, "answer_key"),
        ({"comment": "c" * 1001}, "comment"),
    ]:
        with pytest.raises(InvalidValue, match=rf"^{field}: "):
            replace(answer, **change)


def test_an_item_a_model_refuses_is_acknowledged_as_malformed_and_the_others_count():
    # Given a delivery of two items, one whose parser builds a model the model refuses
    delivery = ParsedDelivery()

    def parse(item, parsed):
        parsed.messages.append(_message(author=Author(id=item)))

    # When each item is parsed
    delivery.each([42, "7"], parse)
    # Then the bad one is ignored as malformed, naming the field; the other is a message
    assert [m.author.id for m in delivery.messages] == ["7"]
    assert [(i.kind, i.detail) for i in delivery.ignored] == [
        ("malformed", {"reason": "author.id: must be a string"})
    ]


def test_secrets_are_read_from_their_document_strictly_and_never_quoted():
    secrets = PlatformSecrets.from_document({"meta_app_secret": "a", "unknown": 1})
    assert secrets.meta_app_secret == "a" and secrets.telegram_secret_token == ""
    with pytest.raises(InvalidValue, match=r"^telegram_secret_token: ") as refused:
        PlatformSecrets.from_document({"telegram_secret_token": [SECRET]})
    assert SECRET not in str(refused.value)
    with pytest.raises(InvalidValue, match="must be a JSON object"):
        PlatformSecrets.from_document([SECRET])


def test_tokens_keep_their_shapes():
    tokens = PlatformTokens.from_document(
        {"facebook_page_tokens": {"*": "t"}, "x_token_expires_at": 17}
    )
    assert tokens.facebook_page_tokens == {"*": "t"} and tokens.x_token_expires_at == 17
    for document, field in [
        ({"facebook_page_tokens": SECRET}, "facebook_page_tokens"),
        ({"instagram_tokens": {"1": 2}}, "instagram_tokens"),
        ({"x_token_expires_at": True}, "x_token_expires_at"),
        ({"x_token_expires_at": "17"}, "x_token_expires_at"),
    ]:
        with pytest.raises(InvalidValue, match=rf"^{field}: "):
            PlatformTokens.from_document(document)


def test_accounts_are_ids_written_as_numbers_or_digits():
    accounts = read_accounts({"facebook_pages": [104857600000001, "2"], "x_users": []})
    assert accounts.facebook_pages == frozenset({"104857600000001", "2"})
    assert accounts.owns("x_users", "anyone")
    for document, field in [
        ({"x_users": ["@marea"]}, "x_users.0"),
        ({"x_users": [True]}, "x_users.0"),
        ({"x_users": [-5]}, "x_users.0"),
        ({"x_users": "1"}, "x_users"),
        ({"facebook_page": []}, "facebook_page"),
    ]:
        with pytest.raises(InvalidValue, match=rf"^{field}: "):
            read_accounts(document)
