"""An in-memory fake of what the webhook records (ports/intake.py, ports/surveys.SurveyAnswers)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from socialcare.domain.cases import Recorded, RecordOutcome, case_id_for
from socialcare.domain.delivery_reports import DeliveryReport, ReportRecorded
from socialcare.domain.failures import StorageUnavailable
from socialcare.domain.messages import BrandResponse, InboundMessage, MessageChange
from socialcare.domain.survey_answers import SurveyAnswer, SurveyRecorded


class StoredCases:
    """The webhook's stores over lists, refusing what DynamoDB refuses: a string that
    is not Unicode it can store as UTF-8 (a lone surrogate) fails the write, as the
    adapter reports a ValidationException (StorageUnavailable), and nothing is kept."""

    def __init__(self) -> None:
        self.messages: list[InboundMessage] = []
        self.changes: list[MessageChange] = []
        self.outbound: Any = None  # an InMemoryOutboundStore, when sends are reported on

    def record(self, message: InboundMessage, now: datetime) -> Recorded:
        _storable(asdict(message))
        self.messages.append(message)
        return Recorded(case_id_for(message), RecordOutcome.CREATED)

    def record_brand_response(self, response: BrandResponse, now: datetime) -> str | None:
        _storable(asdict(response))
        return None

    def record_message_change(self, change: MessageChange, now: datetime) -> str | None:
        _storable(asdict(change))
        self.changes.append(change)
        return "20261124-0123456789abcdef"

    def record_delivery_report(self, report: DeliveryReport, now: datetime) -> ReportRecorded:
        if self.outbound is None:
            return ReportRecorded.UNKNOWN
        return self.outbound.record_delivery_report(report, now)

    def record_survey_answer(self, answer: SurveyAnswer, now: datetime) -> SurveyRecorded:
        _storable(asdict(answer))
        return SurveyRecorded.NOT_ASKED

    def survey_language(self, case_id: str) -> str | None:
        return None  # no survey is asked on these cases


def _storable(value: Any) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise StorageUnavailable("ValidationException") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key)
            _storable(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _storable(item)
