"""Amazon Comprehend as the optional source of language, sentiment and personal data,
answered by botocore's Stubber; the rules decide whenever it cannot."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from socialcare.adapters.comprehend import ComprehendTextSignals, truncate_utf8
from socialcare.app.triage import Triager
from socialcare.domain.messages import Channel
from socialcare.domain.triage import Sentiment, TextSignals


@pytest.fixture
def comprehend():
    client = boto3.client(
        "comprehend",
        region_name="eu-west-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    with Stubber(client) as stub:
        yield client, stub


def test_language_sentiment_and_personal_data_come_from_comprehend(comprehend):
    # Given Comprehend recognising Spanish, a negative tone, an email and a name
    client, stub = comprehend
    text = "Escribidme a ana@example.com, estoy harta"
    stub.add_response(
        "detect_dominant_language",
        {"Languages": [{"LanguageCode": "es", "Score": 0.99}]},
        {"Text": text},
    )
    stub.add_response(
        "detect_sentiment",
        {"Sentiment": "NEGATIVE", "SentimentScore": {}},
        {"Text": text, "LanguageCode": "es"},
    )
    stub.add_response(
        "detect_pii_entities",
        {
            "Entities": [
                {"Type": "EMAIL", "Score": 0.99, "BeginOffset": 12, "EndOffset": 26},
                {"Type": "NAME", "Score": 0.99, "BeginOffset": 0, "EndOffset": 3},
                {"Type": "PHONE", "Score": 0.3, "BeginOffset": 0, "EndOffset": 3},
            ]
        },
        {"Text": text, "LanguageCode": "es"},
    )
    # When it is asked
    signals = ComprehendTextSignals(client).signals(text)
    # Then only confident, relevant findings are kept
    assert signals == TextSignals(
        language="es", sentiment=Sentiment.NEGATIVE, personal_data=("email",)
    )


def test_an_unsupported_language_leaves_everything_to_the_rules(comprehend):
    client, stub = comprehend
    stub.add_response(
        "detect_dominant_language", {"Languages": [{"LanguageCode": "fr", "Score": 0.98}]}
    )
    assert ComprehendTextSignals(client).signals("Bonjour, j'ai un problème") is None


def test_comprehend_down_or_throttled_leaves_everything_to_the_rules(comprehend):
    client, stub = comprehend
    stub.add_client_error("detect_dominant_language", "ThrottlingException")
    assert ComprehendTextSignals(client).signals("Hola") is None


def test_mixed_sentiment_is_left_to_the_rules(comprehend):
    client, stub = comprehend
    stub.add_response(
        "detect_dominant_language", {"Languages": [{"LanguageCode": "en", "Score": 0.95}]}
    )
    stub.add_response("detect_sentiment", {"Sentiment": "MIXED", "SentimentScore": {}})
    stub.add_response("detect_pii_entities", {"Entities": []})
    signals = ComprehendTextSignals(client).signals("Great app, awful claims service")
    assert signals == TextSignals(language="en", sentiment=None, personal_data=())


def test_texts_are_cut_to_comprehends_limit_on_a_character_boundary():
    text = "ñ" * 3000  # 6,000 bytes
    cut = truncate_utf8(text)
    assert len(cut.encode()) <= 5000 and cut == "ñ" * 2500


def test_signals_override_the_rules_and_add_personal_data():
    # Given a neutral-looking public comment in which Comprehend found a passport number
    triager = Triager()
    text = "Hello, this is my passport number X1234567, can you check my policy?"
    signals = TextSignals(
        language="en", sentiment=Sentiment.NEGATIVE, personal_data=("id_document",)
    )
    # When triaged with and without the signals
    plain = triager.assess(text, Channel.FACEBOOK_COMMENT)
    helped = triager.assess(text, Channel.FACEBOOK_COMMENT, signals=signals)
    # Then the signals decide sentiment and add the exposed personal data
    assert plain.triage.personal_data_exposed is False
    assert helped.triage.personal_data_exposed is True
    assert helped.triage.sentiment is Sentiment.NEGATIVE
    assert helped.triage.language == "en"
