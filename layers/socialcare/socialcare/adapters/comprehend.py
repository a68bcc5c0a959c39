"""Amazon Comprehend for language, sentiment and personal data (switched on with
TEXT_ANALYSIS=comprehend). Any failure or unsupported language leaves the rules to decide:
triage never stops because the service is down."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import BotoCoreError, ClientError

from socialcare.domain.triage import Sentiment, TextSignals

logger = Logger(service="triage", child=True)  # triage calls it: its handler writes the record

# Comprehend's synchronous calls take at most 5,000 bytes of UTF-8 (100 KB for PII);
# the start of a message is what decides its language and tone.
MAX_BYTES = 5000
SUPPORTED = ("es", "en")
_SENTIMENTS = {
    "POSITIVE": Sentiment.POSITIVE,
    "NEGATIVE": Sentiment.NEGATIVE,
    "NEUTRAL": Sentiment.NEUTRAL,
}
# Comprehend's PII entity types that match the kinds the rules look for.
_PERSONAL_DATA = {
    "EMAIL": "email",
    "PHONE": "phone",
    "BANK_ACCOUNT_NUMBER": "iban",
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER": "iban",
    "CREDIT_DEBIT_NUMBER": "card",
    "PASSPORT_NUMBER": "id_document",
    "DRIVER_ID": "id_document",
}


def truncate_utf8(text: str, limit: int = MAX_BYTES) -> str:
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


class ComprehendTextSignals:
    def __init__(self, client: Any, min_score: float = 0.8) -> None:
        self._client = client
        self._min_score = min_score

    def signals(self, text: str) -> TextSignals | None:
        """None when Comprehend cannot help (down, throttled, another language)."""
        sample = truncate_utf8(text)
        if not sample.strip():
            return None
        try:
            language = self._language(sample)
            if language not in SUPPORTED:
                return None
            sentiment = self._client.detect_sentiment(Text=sample, LanguageCode=language)
            entities = self._client.detect_pii_entities(Text=sample, LanguageCode=language)
        except (ClientError, BotoCoreError) as error:
            logger.warning("comprehend unavailable, triage by rules", extra={"why": str(error)})
            return None
        kinds = [
            _PERSONAL_DATA[entity["Type"]]
            for entity in entities.get("Entities", [])
            if entity.get("Type") in _PERSONAL_DATA and entity.get("Score", 0) >= self._min_score
        ]
        return TextSignals(
            language=language,
            sentiment=_SENTIMENTS.get(sentiment.get("Sentiment", "")),  # MIXED: the rules
            personal_data=tuple(dict.fromkeys(kinds)),
        )

    def _language(self, sample: str) -> str | None:
        found = self._client.detect_dominant_language(Text=sample).get("Languages", [])
        best = max(found, key=lambda language: language.get("Score", 0), default=None)
        if best is None or best.get("Score", 0) < self._min_score:
            return None
        return str(best["LanguageCode"]).split("-")[0]
