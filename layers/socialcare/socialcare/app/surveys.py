"""Customer satisfaction: ask the one question when a case closes (in the customer's own
channel, while the platform lets the brand write), and take the answer given on the
survey page. Answers tapped in a conversation arrive as webhooks (app/webhook.py)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.app.answers import action_on, private_kind, send_on
from socialcare.app.outbound import OutboundDependencies, Outcome, Result
from socialcare.domain.cases import CASE_LINK, Case
from socialcare.domain.clock import Clock
from socialcare.domain.languages import ReaderLanguage, customer_language
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import Origin
from socialcare.domain.survey_answers import (
    MAX_COMMENT,
    PAGE_ANSWER,
    SurveyAnswer,
    SurveyForm,
    SurveyRecorded,
    survey_form,
)
from socialcare.domain.surveys import SurveyConfig, SurveyTexts, survey_choices

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.surveys import SurveyStore

SURVEY_PURPOSE = "survey"


@dataclass
class SurveyDependencies:
    cases: CaseReader
    surveys: SurveyStore
    outbound: OutboundDependencies
    config: SurveyConfig
    clock: Clock
    default_language: str
    # The survey page's public address for a link id (<case id>.<key>).
    page_url: Callable[[str], str]
    token: Callable[[], str] = lambda: secrets.token_urlsafe(24)


def ask_for_satisfaction(case: Case, status: str, deps: SurveyDependencies) -> Outcome | None:
    """The survey, once per case, when config asks for it on this closing; None when it
    does not (or the case keeps no address)."""
    category = case.triage.category if case.triage else None
    channel = Channel(case.channel)
    if not deps.config.asks(status, category, channel) or case.reply_to is None:
        return None
    if case.survey is not None and case.survey.sent_at:
        return None
    language = _language_of(case, deps)
    texts = deps.config.texts_for(language.language, deps.default_language)
    form = survey_form(channel, case.public)
    if form is SurveyForm.CHOICES:
        action = action_on(
            case,
            private_kind(case),
            texts.question,
            origin=Origin.AUTOMATIC,
            actor="socialcare (survey)",
            purpose=SURVEY_PURPOSE,
        )
        if action is not None:
            action = replace(
                action, choices=survey_choices(case.id, texts), choices_button=texts.list_button
            )
    else:
        action = action_on(
            case,
            private_kind(case),
            _link_text(case, texts, deps),
            origin=Origin.AUTOMATIC,
            actor="socialcare (survey)",
            purpose=SURVEY_PURPOSE,
        )
    outcome = send_on(case, action, deps.outbound)
    if outcome is not None and outcome.result is Result.SENT:
        deps.surveys.mark_survey_sent(case.id, form.value, deps.clock(), language)
    elif outcome is not None and outcome.result is Result.DEFERRED:
        deps.surveys.owe_survey(case.id, deps.clock())  # a token to renew, a platform down
    return outcome


def ask_owed_survey(case_id: str, deps: SurveyDependencies) -> bool:
    """A survey a closing could not send, asked again from the triage stream: True when
    nothing more is owed (it went, the closing no longer asks, the case is gone); False
    while it must wait (the case not closed yet, the platform still unable)."""
    case = deps.cases.case(case_id)
    if case is None:
        return True
    if not case.closed:  # the workflow has not recorded the closing yet
        return False
    outcome = ask_for_satisfaction(case, case.status, deps)
    return outcome is None or outcome.result is not Result.DEFERRED


def _language_of(case: Case, deps: SurveyDependencies) -> ReaderLanguage:
    """The customer's language, as the survey was asked in once it was (the page speaks
    the DM's language)."""
    if case.survey is not None and case.survey.language in deps.config.texts:
        return ReaderLanguage(str(case.survey.language), case.survey.language_fallback)
    return customer_language(case, deps.config.texts, deps.default_language)


def _link_text(case: Case, texts: SurveyTexts, deps: SurveyDependencies) -> str:
    key, _ = deps.surveys.open_survey_link(case.id, deps.token(), deps.token())
    return texts.link_question.format(link=deps.page_url(f"{case.id}.{key}"))


# --- the survey page ----------------------------------------------------------------------


class SurveyPageState(StrEnum):
    ASK = "ask"  # the question (GET: nothing changes; mail and chat scanners open links)
    THANKS = "thanks"  # recorded now
    ALREADY = "already"  # the case has its answer (the first one stands)
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"  # the form's CSRF token is not the link's
    INVALID = "invalid"  # no score chosen


@dataclass(frozen=True)
class SurveyPage:
    state: SurveyPageState
    language: str
    texts: SurveyTexts | None = None
    link_id: str = ""
    csrf_token: str = ""
    score: int | None = None


def show_survey(link_id: str, deps: SurveyDependencies) -> SurveyPage:
    case = _case_of(link_id, deps)
    if case is None or case.survey is None:
        return SurveyPage(SurveyPageState.NOT_FOUND, deps.default_language)
    language = _language_of(case, deps).language
    texts = deps.config.texts_for(language, deps.default_language)
    if case.survey.score is not None:
        return SurveyPage(SurveyPageState.ALREADY, language, texts, score=case.survey.score)
    return SurveyPage(
        SurveyPageState.ASK, language, texts, link_id, str(case.survey.csrf_token or "")
    )


def submit_survey(link_id: str, form: dict[str, str], deps: SurveyDependencies) -> SurveyPage:
    case = _case_of(link_id, deps)
    if case is None or case.survey is None:
        return SurveyPage(SurveyPageState.NOT_FOUND, deps.default_language)
    language = _language_of(case, deps).language
    texts = deps.config.texts_for(language, deps.default_language)
    if not case.survey.csrf_matches(form.get("csrf_token", "")):
        return SurveyPage(SurveyPageState.FORBIDDEN, language, texts)
    raw = form.get("score", "")
    if raw not in ("1", "2", "3", "4", "5"):
        page = show_survey(link_id, deps)
        return SurveyPage(SurveyPageState.INVALID, language, texts, link_id, page.csrf_token)
    comment = form.get("comment", "").strip()[:MAX_COMMENT] or None
    now = deps.clock()
    answer = SurveyAnswer(
        case_id=case.id,
        score=int(raw),
        channel=Channel(case.channel),
        author_id=PAGE_ANSWER,
        answered_at=now,
        answer_key=f"page:{case.id}:{raw}:{comment or ''}"[:300],
        comment=comment,
    )
    recorded = deps.surveys.record_survey_answer(answer, now)
    if recorded is SurveyRecorded.RECORDED:
        return SurveyPage(SurveyPageState.THANKS, language, texts, score=int(raw))
    if recorded in (SurveyRecorded.LATER_NOTED, SurveyRecorded.LATER_DROPPED):
        fresh = deps.cases.case(case.id)
        first = fresh.survey.score if fresh and fresh.survey else None
        return SurveyPage(SurveyPageState.ALREADY, language, texts, score=first)
    return SurveyPage(SurveyPageState.NOT_FOUND, language)


def _case_of(link_id: str, deps: SurveyDependencies) -> Case | None:
    found = CASE_LINK.fullmatch(link_id)  # the case id finds it, the key proves it
    if found is None:
        return None
    case = deps.cases.case(found.group(1))
    if case is None or case.survey is None or not case.survey.matches(found.group(2)):
        return None
    return case
