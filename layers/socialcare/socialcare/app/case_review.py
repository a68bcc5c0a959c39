"""A person confirms the triage of a case triage was unsure of (the console's review
queue): `needs_review` is cleared (timeline `review_confirmed` with `by`), then what
triage would have done runs, exactly once: a case the social team answers alone is
closed as triage would have closed it (its automatic answers first, once each through
the outbound use case; the team's email), a derived case goes on waiting for its
department. A correction (the actions area) also clears `needs_review`; the person then
closes or derives the case themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.app.case_triage import TriageOutcome, finish_reviewed
from socialcare.domain.cases import Case, CaseStatus
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.console_users import ConsoleAction, ConsoleUser

if TYPE_CHECKING:
    from socialcare.app.case_triage import TriageDependencies
    from socialcare.ports.case_review import CaseReviews
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.console_audit import ConsoleAudit


@dataclass
class ReviewDependencies:
    cases: CaseReader
    reviews: CaseReviews
    # Triage's own bundle, built only when a held case is to be finished.
    triage: Callable[[], TriageDependencies]
    clock: Clock
    # The console's audit store (the actions area's); None until it is built: the
    # timeline's `review_confirmed` still names the person.
    audit: ConsoleAudit | None = None


class ReviewResult(StrEnum):
    CONFIRMED = "confirmed"  # cleared now, and what triage would have done is done
    ALREADY_REVIEWED = "already_reviewed"  # confirmed or corrected before: nothing ran
    NOT_FOUND = "not_found"
    CLOSED = "closed"
    NOT_TRIAGED = "not_triaged"  # triage has not decided yet: nothing to confirm


@dataclass(frozen=True)
class ReviewOutcome:
    case_id: str
    result: ReviewResult
    # What followed the confirmation: autonomous (closed), spam (closed), derived.
    then: TriageOutcome | None = None


def confirm_review(case_id: str, user: ConsoleUser, deps: ReviewDependencies) -> ReviewOutcome:
    """Raises what the autonomous path raises (storage, email, a workflow not reached):
    the confirmation stays recorded, and pressing again finishes what was begun."""
    case = deps.cases.case(case_id)
    if case is None:
        return ReviewOutcome(case_id, ReviewResult.NOT_FOUND)
    if case.closed:
        return ReviewOutcome(case_id, ReviewResult.CLOSED)
    if case.status == CaseStatus.NEW.value or case.triage is None:
        return ReviewOutcome(case_id, ReviewResult.NOT_TRIAGED)
    now = deps.clock()
    if case.needs_review:
        if not deps.reviews.confirm_review(case_id, user.username, now):
            # Someone else's confirmation or correction won: theirs runs, not this one.
            return ReviewOutcome(case_id, ReviewResult.ALREADY_REVIEWED)
        if deps.audit is not None:
            entry = AuditEntry(
                user.username, ConsoleAction.CORRECT.value, utc_iso(now), case_id, "review"
            )
            deps.audit.record(entry)
    elif not _confirmed_unfinished(case):
        return ReviewOutcome(case_id, ReviewResult.ALREADY_REVIEWED)
    # A derived case's workflow started at triage: nothing more to run for it.
    then = TriageOutcome.DERIVED
    if case.wait_plan is None:
        then = finish_reviewed(case, deps.triage()).outcome
    return ReviewOutcome(case_id, ReviewResult.CONFIRMED, then)


def _confirmed_unfinished(case: Case) -> bool:
    """Confirmed (not corrected) earlier, but its autonomous close did not happen (the
    email or the store failed): pressing again finishes it."""
    return case.review_confirmed_at is not None and case.wait_plan is None
