"""The survey half of the in-memory workflow store (tests/fakes.py mixes it in): the
DynamoDB adapter's promises (one answer stands, a redelivery is that answer, one later
answer noted per case and the rest dropped, only the asked person's tap in the conversation
the choices went out in counts), kept over the fake's cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from socialcare.domain.action_links import Answer
from socialcare.domain.cases import FinalStatus, FollowUpLink, SurveyState
from socialcare.domain.clock import utc_iso
from socialcare.domain.languages import ReaderLanguage
from socialcare.domain.messages import Channel
from socialcare.domain.survey_answers import (
    PAGE_ANSWER,
    SurveyAnswer,
    SurveyRecorded,
    is_low,
    tap_counts,
)


class SurveyFakes:
    # InMemoryWorkflowStore's state and helpers (_set, _event, _claim) are used as is.
    cases: dict[str, Any]
    calls: list[str]
    fields: dict[str, dict[str, Any]]
    _claims: set[str]

    def open_survey_link(self, case_id: str, key: str, csrf_token: str) -> tuple[str, str]:
        self.calls.append("open_survey_link")
        case = self.cases[case_id]
        survey = case.survey or SurveyState()
        if not survey.link_key:
            survey = replace(survey, link_key=key, csrf_token=csrf_token)
            self.cases[case_id] = replace(case, survey=survey)
        return str(survey.link_key), str(survey.csrf_token)

    def mark_survey_sent(
        self, case_id: str, form: str, now: datetime, language: ReaderLanguage | None = None
    ) -> bool:
        self.calls.append("mark_survey_sent")
        case = self.cases[case_id]
        survey = case.survey or SurveyState()
        if survey.sent_at:
            return False
        survey = replace(survey, sent_at=utc_iso(now), form=form)
        if language is not None:
            survey = replace(
                survey, language=language.language, language_fallback=language.fallback
            )
        self.cases[case_id] = replace(case, survey=survey)
        return True

    def survey_language(self, case_id: str) -> str | None:
        case = self.cases.get(case_id)
        return case.survey.language if case and case.survey else None

    def record_survey_answer(self, answer: SurveyAnswer, now: datetime) -> SurveyRecorded:
        self.calls.append("record_survey_answer")
        case = self.cases.get(answer.case_id)
        survey = case.survey if case else None
        if case is None or survey is None:
            return SurveyRecorded.NOT_ASKED
        if answer.author_id == PAGE_ANSWER:
            asked = bool(survey.link_key)
        else:
            asked = bool(survey.sent_at) and tap_counts(
                answer,
                channel=Channel(case.channel),
                public=case.public,
                form=survey.form,
                author_ids=case.author.ids,
                account_id=case.reply_to.account_id if case.reply_to else None,
                conversation_id=case.reply_to.conversation_id if case.reply_to else None,
            )
        if not asked:
            return SurveyRecorded.NOT_ASKED
        kept = self.fields.setdefault(answer.case_id, {})
        if survey.score is not None:
            if answer.answer_key == kept.get("survey_answer_key"):
                return SurveyRecorded.RECORDED
            if answer.answer_key == kept.get("survey_later_key"):
                return SurveyRecorded.LATER_NOTED
            if "survey_later_key" in kept:
                return SurveyRecorded.LATER_DROPPED
            self._set(answer.case_id, survey_later_key=answer.answer_key)
            self._event(answer.case_id, "survey_answer_later", score=answer.score)
            return SurveyRecorded.LATER_NOTED
        self._set(answer.case_id, survey_answer_key=answer.answer_key)
        at = utc_iso(answer.answered_at)
        self.cases[answer.case_id] = replace(
            case, survey=replace(survey, score=answer.score, answered_at=at, comment=answer.comment)
        )
        self._set(answer.case_id, survey_comment=answer.comment)
        self._event(answer.case_id, "survey_answered", score=answer.score, comment=answer.comment)
        if is_low(answer.score):
            self._set(answer.case_id, follow_up={"status": "open", "score": answer.score})
            self._event(answer.case_id, "follow_up_opened", score=answer.score)
            self._claims.add(f"low_score_item:{answer.case_id}")
        return SurveyRecorded.RECORDED

    def resolve_late(self, case_id: str, answer: Answer, now: datetime) -> bool:
        self.calls.append("resolve_late")
        case = self.cases.get(case_id)
        status = answer.closing_status
        if case is None or status is None or case.status != FinalStatus.BREACHED.value:
            return False
        self.cases[case_id] = replace(case, status=status.value)
        self._set(case_id, resolved_late=True, **answer.milestones())
        self._event(case_id, "resolved_late", status=status.value)
        return True

    def claim_low_score_alert(self, case_id: str, now: datetime) -> bool:
        self.calls.append("claim_low_score_alert")
        if f"low_score_item:{case_id}" not in self._claims:
            return False
        return self._claim(f"low_score:{case_id}")

    def release_low_score_alert(self, case_id: str) -> None:
        self._claims.discard(f"low_score:{case_id}")

    def open_follow_up_link(self, case_id: str, key: str, csrf_token: str) -> FollowUpLink:
        self.calls.append("open_follow_up_link")
        case = self.cases[case_id]
        if case.follow_up_link is None:  # a retry keeps the first link
            case = replace(case, follow_up_link=FollowUpLink(key, csrf_token))
            self.cases[case_id] = case
        return case.follow_up_link

    def use_follow_up_link(self, case_id: str, actor: str, now_iso: str) -> bool:
        self.calls.append("use_follow_up_link")
        case = self.cases.get(case_id)
        link = case.follow_up_link if case else None
        if link is None or link.used_at:
            return False
        self.cases[case_id] = replace(case, follow_up_link=replace(link, used_at=now_iso))
        self._set(case_id, follow_up={"status": "contacted", "by": actor})
        self._event(case_id, "follow_up_contacted", actor=actor)
        return True

    def release_follow_up_link(self, case_id: str) -> None:
        case = self.cases[case_id]
        if case.follow_up_link is not None:
            link = replace(case.follow_up_link, used_at=None)
            self.cases[case_id] = replace(case, follow_up_link=link)
            self._set(case_id, follow_up={"status": "open"})
