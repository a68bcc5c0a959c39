"""The low-score alert's link: the social team writes to the unhappy customer in their
channel. `show` changes nothing (mail scanners open every link); `submit` (with the page's
CSRF token) sends the message once: the link is single use, and the message is an
outbound action with a deterministic id, so a second click or a retry never sends twice."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from socialcare.app.answers import action_on, private_kind, send_on
from socialcare.app.outbound import OutboundDependencies, Outcome, Result
from socialcare.domain.cases import CASE_LINK, Case
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.outbound import Origin, OutboundKind

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.links import FollowUpLinks

MAX_TEXT = 2000
ACTOR = "social team"


@dataclass
class FollowUpDependencies:
    cases: CaseReader
    links: FollowUpLinks
    outbound: OutboundDependencies
    clock: Clock
    language: str  # the social team's


class FollowUpRefusal(StrEnum):
    FORBIDDEN = "forbidden"  # the form's CSRF token is not the link's
    EMPTY = "empty"  # nothing to send


@dataclass(frozen=True)
class FollowUpNotFound:
    language: str


@dataclass(frozen=True)
class FollowUpForm:
    case: Case
    link_id: str
    csrf_token: str
    kind: OutboundKind  # how the customer is written to
    language: str


@dataclass(frozen=True)
class FollowUpGone:
    case_id: str
    used_at: str | None
    language: str


@dataclass(frozen=True)
class FollowUpRefused:
    reason: FollowUpRefusal
    case_id: str
    language: str


@dataclass(frozen=True)
class FollowUpSent:
    case_id: str
    kind: OutboundKind
    outcome: Outcome
    language: str

    @property
    def link_kept(self) -> bool:
        """Something went out (or may have): the link is spent."""
        return self.outcome.delivered or self.outcome.result is Result.UNCERTAIN


FollowUpOutcome = FollowUpNotFound | FollowUpForm | FollowUpGone | FollowUpRefused | FollowUpSent


def show_follow_up(link_id: str, deps: FollowUpDependencies) -> FollowUpOutcome:
    case = _case_of(link_id, deps)
    if case is None or case.follow_up_link is None:
        return FollowUpNotFound(deps.language)
    if case.follow_up_link.used_at:
        return FollowUpGone(case.id, case.follow_up_link.used_at, deps.language)
    link = case.follow_up_link
    return FollowUpForm(case, link_id, link.csrf_token, private_kind(case), deps.language)


def submit_follow_up(
    link_id: str, form: dict[str, str], deps: FollowUpDependencies
) -> FollowUpOutcome:
    case = _case_of(link_id, deps)
    if case is None or case.follow_up_link is None:
        return FollowUpNotFound(deps.language)
    if not case.follow_up_link.csrf_matches(form.get("csrf_token", "")):
        return FollowUpRefused(FollowUpRefusal.FORBIDDEN, case.id, deps.language)
    text = form.get("text", "").strip()[:MAX_TEXT]
    if not text:
        return FollowUpRefused(FollowUpRefusal.EMPTY, case.id, deps.language)
    now = deps.clock()
    if not deps.links.use_follow_up_link(case.id, ACTOR, utc_iso(now)):
        fresh = deps.cases.case(case.id) or case
        used_at = fresh.follow_up_link.used_at if fresh.follow_up_link else None
        return FollowUpGone(case.id, used_at, deps.language)
    kind = private_kind(case)
    action = action_on(
        case, kind, text, origin=Origin.SOCIAL_TEAM, actor=ACTOR, purpose="follow_up"
    )
    outcome = send_on(case, action, deps.outbound) or Outcome(
        "-", Result.BLOCKED, reason="the case keeps no address to answer to", code="no_address"
    )
    sent = FollowUpSent(case.id, kind, outcome, deps.language)
    if not sent.link_kept:
        deps.links.release_follow_up_link(case.id)
    return sent


def _case_of(link_id: str, deps: FollowUpDependencies) -> Case | None:
    """The case, if the id is one the stack could have made and its key is the case's."""
    found = CASE_LINK.fullmatch(link_id)  # the case id finds it, the key proves it
    if found is None:
        return None
    case = deps.cases.case(found.group(1))
    link = case.follow_up_link if case else None
    if case is None or link is None or not link.matches(found.group(2)):
        return None
    return case
