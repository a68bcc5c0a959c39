"""A case triage is unsure of, against in-memory ports: one the social team would close
alone waits open for a person (no answer, no close, no survey); a derived one still goes
to its department, flagged; a person's confirmation runs what triage would have done,
exactly once however often it is pressed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pytest

from socialcare.app.case_review import ReviewDependencies, ReviewResult, confirm_review
from socialcare.app.case_triage import TriageOutcome, triage_case
from socialcare.config.loaders import outbound_config
from socialcare.domain.clock import utc_iso
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.console_users import ConsoleUser, Role
from socialcare.domain.second_opinion import SecondOpinion
from socialcare.domain.triage import Category
from socialcare.observability.case_stream import record
from tests.conftest import NOW
from tests.fakes import InMemoryWorkflowStore
from tests.outbound_fakes import ScriptedPlatform, outbound_dependencies
from tests.service_fakes import Outbox, RecordingWorkflows
from tests.unit.test_case_triage import CASE_ID, COMPLAINT, PRAISE, TRIAGER, a_store, deps
from tests.unit.test_triage_answers import a_comment_store

PRAISE_WITH_PHONE = "¡Gracias por todo, un diez! Mi teléfono es 612 345 678 por si acaso"
ANA = ConsoleUser("ana", frozenset({Role.COMMUNITY_MANAGER}), "ana@example.com", "s1")


class UnsureTriager:
    """Triage as shipped, unsure of `reasons` (what the model slice decides)."""

    def __init__(self, reasons: tuple[str, ...] = ("category",)) -> None:
        self.routing = TRIAGER.routing
        self._reasons = reasons

    def assess(self, *args: Any, **kwargs: Any) -> Any:
        assessment = TRIAGER.assess(*args, **kwargs)
        unsure = replace(assessment.triage, needs_review=True, review_reasons=self._reasons)
        return replace(assessment, triage=unsure)


@dataclass
class ReviewStore(InMemoryWorkflowStore):
    """The store, also keeping CaseReviews' promise: confirmed once, while waiting."""

    def confirm_review(self, case_id: str, by: str, now: datetime) -> bool:
        self.calls.append("confirm_review")
        case = self.cases.get(case_id)
        if case is None or not case.needs_review or case.closed:
            return False
        self.cases[case_id] = replace(case, needs_review=False, review_confirmed_at=utc_iso(now))
        self._event(case_id, "review_confirmed", by=by)
        return True


class Audit:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)


def a_review_store(text: str = PRAISE) -> ReviewStore:
    store = ReviewStore()
    store.cases = a_store(text).cases
    return store


def review_deps(store, triage_deps) -> ReviewDependencies:
    return ReviewDependencies(
        cases=store, reviews=store, triage=lambda: triage_deps, audit=Audit(), clock=lambda: NOW
    )


def test_praise_triage_is_unsure_of_waits_open_for_review_without_any_email():
    # Given praise triage is unsure of
    store, outbox, workflows = a_review_store(), Outbox(), RecordingWorkflows()
    # When triaged
    triaged = triage_case(CASE_ID, deps(store, outbox, workflows, triager=UnsureTriager()))
    # Then it is held open in the review queue: not closed, not derived, nobody emailed
    assert triaged.outcome is TriageOutcome.HELD_FOR_REVIEW and triaged.to_close is None
    case = store.cases[CASE_ID]
    assert case.status == "triaged" and not case.closed and case.needs_review
    assert case.triage.needs_review and case.triage.review_reasons == ("category",)
    assert outbox.sent == [] and workflows.starts == 0 and store.owed_surveys == []
    triage_map = store.fields[CASE_ID]["triage"]
    assert triage_map["needs_review"] is True and triage_map["review_reasons"] == ["category"]


def test_a_held_case_sends_nothing_by_itself_until_confirmed_and_then_exactly_once():
    # Given praise with a phone on the brand's page (config hides it and writes privately)
    store = ReviewStore()
    store.cases = a_comment_store(PRAISE_WITH_PHONE).cases
    platform = ScriptedPlatform(["c", "r", "m"])
    outbound = outbound_dependencies(platform=platform, config=outbound_config(), clock=lambda: NOW)
    outbox = Outbox()
    triage_deps = deps(store, outbox, triager=UnsureTriager(), outbound=outbound)
    # When triaged, and its record redelivered
    first = triage_case(CASE_ID, triage_deps)
    again = triage_case(CASE_ID, triage_deps)
    # Then nothing went out on the platform and it stays open
    assert first.outcome is again.outcome is TriageOutcome.HELD_FOR_REVIEW
    assert platform.done == [] and not store.cases[CASE_ID].closed
    # When a person confirms it, twice
    confirmed = confirm_review(CASE_ID, ANA, review_deps(store, triage_deps))
    twice = confirm_review(CASE_ID, ANA, review_deps(store, triage_deps))
    # Then what triage would have done happens once: hidden, written to, closed, told
    assert confirmed.result is ReviewResult.CONFIRMED
    assert confirmed.then is TriageOutcome.AUTONOMOUS
    assert twice.result is ReviewResult.CLOSED
    assert [d.action.kind.value for d in platform.done] == ["hide", "private_reply", "public_reply"]
    assert store.fields[CASE_ID]["status"] == "autonomous" and len(outbox.sent) == 1
    assert store.events(CASE_ID, "review_confirmed") == [{"by": "ana"}]
    assert len(store.events(CASE_ID, "closed")) == 1


def test_a_second_confirmation_that_loses_the_race_runs_nothing():
    # Given a held case someone else confirmed between this person's read and write
    store, outbox = a_review_store(), Outbox()
    triage_deps = deps(store, outbox, triager=UnsureTriager())
    triage_case(CASE_ID, triage_deps)
    store.confirm_review(CASE_ID, "luis", NOW)
    stale = replace(store.cases[CASE_ID], needs_review=True, review_confirmed_at=None)

    class StaleRead(ReviewStore):
        def case(self, case_id: str):
            return stale

    reader = StaleRead()
    reviews = review_deps(store, triage_deps)
    reviews.cases = reader
    # When this person's confirmation arrives
    outcome = confirm_review(CASE_ID, ANA, reviews)
    # Then it is refused as reviewed already, and nothing is closed or emailed by it
    assert outcome.result is ReviewResult.ALREADY_REVIEWED
    assert outbox.sent == [] and not store.cases[CASE_ID].closed


def test_a_confirmation_whose_close_failed_is_finished_by_pressing_again():
    # Given a confirmation whose social team email was throttled
    store, outbox = a_review_store(), Outbox(fail_next=1)
    triage_deps = deps(store, outbox, triager=UnsureTriager())
    triage_case(CASE_ID, triage_deps)
    with pytest.raises(Exception, match="Throttling"):
        confirm_review(CASE_ID, ANA, review_deps(store, triage_deps))
    assert not store.cases[CASE_ID].closed and not store.cases[CASE_ID].needs_review
    # When pressed again
    outcome = confirm_review(CASE_ID, ANA, review_deps(store, triage_deps))
    # Then the close is finished, and the confirmation was recorded once
    assert outcome.result is ReviewResult.CONFIRMED and store.cases[CASE_ID].closed
    assert len(store.events(CASE_ID, "review_confirmed")) == 1 and len(outbox.sent) == 1


def test_a_corrected_case_is_not_closed_by_a_later_confirmation():
    # Given a held case a person corrected (the actions area clears needs_review)
    store = a_review_store()
    triage_deps = deps(store, triager=UnsureTriager())
    triage_case(CASE_ID, triage_deps)
    store.cases[CASE_ID] = replace(store.cases[CASE_ID], needs_review=False)
    # When someone presses confirm
    outcome = confirm_review(CASE_ID, ANA, review_deps(store, triage_deps))
    # Then nothing runs: the correction decided
    assert outcome.result is ReviewResult.ALREADY_REVIEWED and not store.cases[CASE_ID].closed


def test_a_derived_case_triage_is_unsure_of_still_goes_to_its_department_flagged():
    # Given a complaint triage is unsure of the urgency of
    store, outbox, workflows = a_review_store(COMPLAINT), Outbox(), RecordingWorkflows()
    triage_deps = deps(store, outbox, workflows, triager=UnsureTriager(("urgent",)))
    # When triaged
    triaged = triage_case(CASE_ID, triage_deps)
    # Then its workflow starts as before, and the case waits in the review queue
    assert triaged.outcome is TriageOutcome.DERIVED and workflows.starts == 1
    case = store.cases[CASE_ID]
    assert case.needs_review and not case.closed
    # And the department's email says truthfully what triage is unsure of
    email = triage_deps.emails.derivation(case, case.wait_plan, "x" * 32, "es")
    assert "Triaje dudoso: la urgencia" in email.text and "Triaje dudoso" in email.html
    copy = triage_deps.emails.social_team_copy(case, case.wait_plan, "x" * 32)
    assert "la urgencia" in copy.text
    # When a person confirms it, the workflow is not started again
    outcome = confirm_review(CASE_ID, ANA, review_deps(store, triage_deps))
    assert outcome.result is ReviewResult.CONFIRMED and outcome.then is TriageOutcome.DERIVED
    assert workflows.starts == 1 and not store.cases[CASE_ID].closed
    # And an email composed after that no longer says so
    reviewed = store.cases[CASE_ID]
    confirmed = triage_deps.emails.derivation(reviewed, reviewed.wait_plan, "x" * 32, "es")
    assert "Triaje dudoso" not in confirmed.text


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"closed_at": "2026-11-24T10:00:00Z", "status": "autonomous"}, ReviewResult.CLOSED),
        ({"status": "new"}, ReviewResult.NOT_TRIAGED),
    ],
)
def test_a_closed_or_untriaged_case_is_not_confirmed(state, expected):
    store = ReviewStore()
    store.cases = a_store(PRAISE, **state).cases
    outcome = confirm_review(CASE_ID, ANA, review_deps(store, deps(store)))
    assert outcome.result is expected and "confirm_review" not in store.calls


def test_an_unknown_case_is_not_found():
    store = ReviewStore()
    outcome = confirm_review("20261124-ffffffffffffffff", ANA, review_deps(store, deps(store)))
    assert outcome.result is ReviewResult.NOT_FOUND


def test_a_held_case_is_counted_as_triaged_and_held():
    class Metrics:
        def __init__(self) -> None:
            self.names: list[str] = []

        def add_metric(self, name: str, unit: str, value: int) -> None:
            self.names.append(name)

    class Logger:
        def info(self, *args: Any, **kwargs: Any) -> None: ...

    store = a_review_store()
    triaged = triage_case(CASE_ID, deps(store, triager=UnsureTriager()))
    metrics = Metrics()
    assert record(Logger(), metrics, triaged) == "held_for_review"
    assert metrics.names == ["CasesTriaged", "CasesHeldForReview"]


class Opinions:
    def __init__(self, answer: SecondOpinion | None) -> None:
        self.answer, self.asked = answer, []

    def opinion(self, text: str) -> SecondOpinion | None:
        self.asked.append(text)
        return self.answer


INCIDENT = SecondOpinion(Category.INCIDENT, True, False, "model-x", 420)


def test_a_second_opinion_is_recorded_beside_triage_and_decides_nothing():
    # Given praise triage is unsure of, and a language model reading it as an urgent incident
    store, workflows, opinions = a_review_store(), RecordingWorkflows(), Opinions(INCIDENT)
    # When triaged
    triaged = triage_case(
        CASE_ID, deps(store, workflows=workflows, triager=UnsureTriager(), second_opinion=opinions)
    )
    # Then the opinion is on the case beside the model's, and the case waits for a person
    assert opinions.asked == [PRAISE]
    assert store.fields[CASE_ID]["second_opinion"] == INCIDENT
    assert triaged.outcome is TriageOutcome.HELD_FOR_REVIEW and workflows.starts == 0
    assert store.cases[CASE_ID].triage.category == "praise"


def test_no_second_opinion_is_asked_when_triage_is_sure():
    store, opinions = a_review_store(), Opinions(INCIDENT)
    triaged = triage_case(CASE_ID, deps(store, second_opinion=opinions))
    assert opinions.asked == [] and "second_opinion" not in store.fields[CASE_ID]
    assert triaged.outcome is TriageOutcome.AUTONOMOUS


def test_no_answer_in_time_leaves_the_case_as_the_model_triaged_it():
    store, opinions = a_review_store(), Opinions(None)
    triaged = triage_case(CASE_ID, deps(store, triager=UnsureTriager(), second_opinion=opinions))
    assert opinions.asked and "second_opinion" not in store.fields[CASE_ID]
    assert triaged.outcome is TriageOutcome.HELD_FOR_REVIEW
