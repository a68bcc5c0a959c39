"""The satisfaction survey's records on a case."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.languages import ReaderLanguage
    from socialcare.domain.survey_answers import SurveyAnswer, SurveyRecorded


class SurveyStore(Protocol):
    def open_survey_link(self, case_id: str, key: str, csrf_token: str) -> tuple[str, str]:
        """The case's page key and CSRF token (an earlier call's, when there was one)."""

    def mark_survey_sent(
        self, case_id: str, form: str, now: datetime, language: ReaderLanguage | None = None
    ) -> bool:
        """Sent once; `language` is kept with it (and whether it was the default)."""

    def owe_survey(self, case_id: str, now: datetime) -> None:
        """The survey could not go now: noted once per case, by an item whose insert
        brings the case back through the triage stream (which asks again)."""

    def record_survey_answer(self, answer: SurveyAnswer, now: datetime) -> SurveyRecorded: ...


class SurveyAnswers(Protocol):
    """The answers tapped in a conversation (the webhook)."""

    def record_survey_answer(self, answer: SurveyAnswer, now: datetime) -> SurveyRecorded:
        """The case's satisfaction answer, once: the first one stands (a low score also
        opens a follow-up and the social team's alert), one later answer is noted on the
        timeline and the rest dropped, and one for a case that asked no survey of that
        person there (`tap_counts`) is ignored."""

    def survey_language(self, case_id: str) -> str | None:
        """The language the case's survey was asked in (None: not asked, or before it
        was recorded)."""
