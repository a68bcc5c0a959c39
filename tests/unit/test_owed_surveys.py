"""A satisfaction survey the platform could not take when the case closed (a token to
renew, a platform down) is owed, and asked again from the triage stream until it goes:
once, never lost (in-memory fakes)."""

from __future__ import annotations

from socialcare.app.outbound import Result
from socialcare.app.surveys import ask_for_satisfaction, ask_owed_survey
from socialcare.domain.platform_errors import PlatformFailed, PlatformTokenInvalid, TokenProblem
from tests.fakes import InMemoryWorkflowStore
from tests.outbound_fakes import NOW, ScriptedPlatform
from tests.unit.test_surveys import CASE_ID, a_closed_case, survey_dependencies

REVOKED = PlatformTokenInvalid("telegram", TokenProblem.REJECTED)


def test_a_survey_the_platform_cannot_take_now_is_owed_and_goes_once_later():
    # Given a resolved Telegram case whose bot token was revoked when it closed
    store = InMemoryWorkflowStore()
    store.add(a_closed_case())
    platform = ScriptedPlatform([REVOKED, "tg_2"])
    deps = survey_dependencies(store, platform)
    # When the closing asks for satisfaction
    outcome = ask_for_satisfaction(store.case(CASE_ID), "resolved", deps)
    # Then it is deferred, and the case owes its survey
    assert outcome.result is Result.DEFERRED
    assert store.owed_surveys == [CASE_ID]
    assert store.case(CASE_ID).survey is None or not store.case(CASE_ID).survey.sent_at
    # When the stream brings the owed survey back, once the case is closed as resolved
    store.close_case(CASE_ID, "resolved", NOW, actor="workflow")
    assert ask_owed_survey(CASE_ID, deps) is True
    # Then it went, once, and a redelivered record sends nothing more
    assert store.case(CASE_ID).survey.sent_at
    assert ask_owed_survey(CASE_ID, deps) is True
    assert len(platform.done) == 1


def test_an_owed_survey_waits_while_the_platform_still_cannot_take_it():
    # Given an owed survey on a closed case, and a platform down again
    store = InMemoryWorkflowStore()
    store.add(a_closed_case())
    store.close_case(CASE_ID, "resolved", NOW, actor="workflow")
    deps = survey_dependencies(store, ScriptedPlatform([PlatformFailed("503")] * 3))
    # When the stream brings it back
    # Then it is still owed (the record must come back), and owed once
    assert ask_owed_survey(CASE_ID, deps) is False
    assert store.owed_surveys == [CASE_ID]


def test_an_owed_survey_waits_for_the_closing_and_is_dropped_with_its_case():
    # Given an owed survey whose case the workflow has not closed yet
    store = InMemoryWorkflowStore()
    store.add(a_closed_case())
    platform = ScriptedPlatform()
    deps = survey_dependencies(store, platform)
    # When the stream brings it back, then after the case was erased
    waiting = ask_owed_survey(CASE_ID, deps)
    del store.cases[CASE_ID]
    gone = ask_owed_survey(CASE_ID, deps)
    # Then it waits for the closing, and nothing is owed for a case that is gone
    assert (waiting, gone) == (False, True)
    assert platform.calls == 0
