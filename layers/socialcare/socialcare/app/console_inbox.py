"""The console's inbox and case view: the open cases with their queues (filtered, sorted
by deadline), or the cases a search of the last 90 days' messages found (`q`); and one
case with its conversation, the person's earlier cases, its SLA clock and who else has
it open."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialcare.domain.clock import Clock
from socialcare.domain.console_inbox import (
    BadFilter,
    Inbox,
    InboxCase,
    InboxFilter,
    inbox,
)
from socialcare.domain.message_search import BadSearch, plan_search

if TYPE_CHECKING:
    from socialcare.ports.console_inbox import CaseViews, OpenCases, PersonCases, Presence
    from socialcare.ports.search import MessageSearch

EARLIER_CASES = 20


@dataclass
class InboxDependencies:
    open_cases: OpenCases
    cases: CaseViews
    person_cases: PersonCases
    presence: Presence
    clock: Clock
    first_response_hours: float = 3.0
    search: MessageSearch | None = None


def open_inbox(query: Mapping[str, str], username: str, deps: InboxDependencies) -> Inbox:
    """BadFilter when the query asks for what the inbox cannot filter by or search. With
    `q`, the cases (open and closed) whose messages of the last 90 days hold its words,
    narrowed by the same filters and queues."""
    from socialcare.app.message_search import search_cases

    wanted = InboxFilter.from_query(query)
    now = deps.clock()
    words = (query.get("q") or "").strip()
    if not words:
        items = deps.open_cases.open_cases()
        cases = (InboxCase.from_item(i, deps.first_response_hours) for i in items)
        return inbox(cases, wanted, username, now)
    if deps.search is None:
        raise BadFilter("search is not available here")
    try:
        plan = plan_search(words, now)
    except BadSearch as refused:
        raise BadFilter(str(refused)) from None
    found = search_cases(plan, deps.search)
    cases = (InboxCase.from_item(i, deps.first_response_hours) for i in found.cases)
    return replace(inbox(cases, wanted, username, now), more_found=found.may_be_more)


@dataclass(frozen=True)
class SlaClock:
    deadline: str
    breached: bool
    seconds_left: int  # negative once past


@dataclass(frozen=True)
class CaseView:
    case: dict[str, Any]  # as stored, assembled: messages, timeline...
    summary: InboxCase
    sla: SlaClock
    earlier_cases: list[dict[str, Any]]
    viewers: list[str]  # others who have it open now
    holder: str | None  # the 10-minute reply claim's holder


def view_case(case_id: str, username: str, deps: InboxDependencies) -> CaseView | None:
    """The case, with the viewer recorded as having it open (None: no such case)."""
    case = deps.cases.get_case(case_id)
    if case is None or "id" not in case:
        return None
    now = deps.clock()
    deps.presence.seen(case_id, username, now)
    summary = InboxCase.from_item(case, deps.first_response_hours)
    author_key = str(case.get("author_key") or "")
    earlier = (
        [
            c
            for c in deps.person_cases.cases_of_author(author_key, EARLIER_CASES)
            if c.get("id") != case_id
        ]
        if author_key
        else []
    )
    viewers = [v for v in deps.presence.viewers(case_id, now) if v != username]
    return CaseView(
        case=case,
        summary=summary,
        sla=_sla(summary, now),
        earlier_cases=earlier,
        viewers=viewers,
        holder=summary.held_by(now),
    )


def _sla(summary: InboxCase, now: datetime) -> SlaClock:
    deadline = datetime.fromisoformat(summary.deadline.replace("Z", "+00:00"))
    left = int((deadline - now).total_seconds())
    return SlaClock(summary.deadline, summary.breached(now) or left < 0, left)


__all__ = ["BadFilter", "CaseView", "InboxDependencies", "open_inbox", "view_case"]
