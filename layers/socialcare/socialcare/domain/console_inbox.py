"""The console's inbox: open cases as the inbox lists them, the queues each belongs to, the
filters the team narrows them by, the order (the earliest deadline first) and the digest
that tells a browser nothing changed. Pure: the open cases come in as read."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from socialcare.domain.clock import utc_iso

# The queues, in the order the inbox shows them.
QUEUES = (
    "new",
    "needs_review",
    "needs_approval",
    "mine",
    "waiting_department",
    "due_soon",
    "breached",
    "crisis",
)
ALL = "all"
DUE_SOON = timedelta(hours=2)
FILTERS = ("channel", "category", "priority", "department", "language")
_WAITING_STATUSES = frozenset({"derived", "escalated"})
_NEW_STATUSES = frozenset({"new", "triaged"})
MAX_FILTER_LENGTH = 200


class BadFilter(ValueError):
    """A filter the inbox cannot apply (its words say which)."""


@dataclass(frozen=True)
class InboxCase:
    """An open case as GSI3 projects it. `deadline`: the department's when derived, else
    the first response's (created + the routing's target hours)."""

    id: str
    status: str
    channel: str
    created_at: str
    deadline: str
    platform: str = ""
    public: bool = False
    category: str | None = None
    priority: str | None = None
    department: str | None = None
    language: str | None = None
    flags: tuple[str, ...] = ()
    confidence: float | None = None
    assignee: str | None = None
    lease_holder: str | None = None
    lease_until: int | None = None
    approval_pending: int = 0
    crisis_topic: str | None = None
    needs_review: bool = False
    sla_breached: bool = False
    last_message_at: str | None = None

    @classmethod
    def from_item(cls, item: Mapping[str, Any], first_response_hours: float) -> InboxCase:
        created = str(item.get("created_at", ""))
        return cls(
            id=str(item["id"]),
            status=str(item.get("status", "new")),
            channel=str(item.get("channel", "")),
            created_at=created,
            deadline=str(item.get("deadline") or _after(created, first_response_hours)),
            platform=str(item.get("platform", "")),
            public=bool(item.get("public")),
            category=_text(item.get("category")),
            priority=_text(item.get("priority")),
            department=_text(item.get("department")),
            language=_text(item.get("language")),
            flags=tuple(str(f) for f in item.get("flags") or ()),
            confidence=float(item["confidence"]) if item.get("confidence") is not None else None,
            assignee=_text(item.get("assignee")),
            lease_holder=_text(item.get("lease_holder")),
            lease_until=int(item["lease_until"]) if item.get("lease_until") else None,
            approval_pending=int(item.get("approval_pending") or 0),
            crisis_topic=_text(item.get("crisis_topic")),
            # Triage writes it (issue 34; low confidence on cases triaged before), and a
            # confirmation or a correction clears it: the flag alone would keep them here.
            needs_review=bool(item.get("needs_review")),
            sla_breached=bool(item.get("sla_breached")),
            last_message_at=_text(item.get("last_message_at")),
        )

    def breached(self, now: datetime) -> bool:
        return self.sla_breached or self.deadline < utc_iso(now)

    def held_by(self, now: datetime) -> str | None:
        """Who holds the 10-minute reply claim now, if anyone."""
        if self.lease_holder and self.lease_until and self.lease_until > now.timestamp():
            return self.lease_holder
        return None

    def queues(self, username: str, now: datetime) -> tuple[str, ...]:
        breached = self.breached(now)
        member = {
            "new": self.status in _NEW_STATUSES and not self.assignee,
            "needs_review": self.needs_review,
            "needs_approval": self.approval_pending > 0,
            "mine": bool(username) and username in (self.assignee, self.held_by(now)),
            "waiting_department": self.status in _WAITING_STATUSES,
            "due_soon": not breached and self.deadline <= utc_iso(now + DUE_SOON),
            "breached": breached,
            "crisis": bool(self.crisis_topic) or "crisis" in self.flags,
        }
        return tuple(queue for queue in QUEUES if member[queue])


@dataclass(frozen=True)
class InboxFilter:
    """What the team narrows the inbox by: one queue, exact values, flags all present, and
    the cases a search found (None: no search)."""

    queue: str = ALL
    values: Mapping[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    found: frozenset[str] | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> InboxFilter:
        """From the page's or the API's query string; BadFilter when it cannot apply."""
        queue = query.get("queue") or ALL
        if queue != ALL and queue not in QUEUES:
            raise BadFilter(f"queue is one of {', '.join((ALL, *QUEUES))}")
        if any(len(v) > MAX_FILTER_LENGTH for v in query.values()):
            raise BadFilter(f"a filter has at most {MAX_FILTER_LENGTH} characters")
        values = {name: query[name] for name in FILTERS if query.get(name)}
        flags = tuple(f.strip() for f in (query.get("flags") or "").split(",") if f.strip())
        return cls(queue=queue, values=values, flags=flags)

    def keeps(self, case: InboxCase) -> bool:
        if self.found is not None and case.id not in self.found:
            return False
        if any(getattr(case, name) != value for name, value in self.values.items()):
            return False
        return all(flag in case.flags for flag in self.flags)


@dataclass(frozen=True)
class InboxRow:
    case: InboxCase
    queues: tuple[str, ...]
    holder: str | None


@dataclass(frozen=True)
class Inbox:
    rows: tuple[InboxRow, ...]
    counts: Mapping[str, int]
    total: int  # the open cases the filters keep, before the queue narrows them
    etag: str
    more_found: bool = False  # a search's page cap reached: older matches left out


def inbox(cases: Iterable[InboxCase], wanted: InboxFilter, username: str, now: datetime) -> Inbox:
    """The filtered cases' queue counts, and the chosen queue's cases, the earliest
    deadline first. Its ETag changes when any case shown or counted changes, and when a
    case crosses into "due soon" or "breached" (the counts are part of it)."""
    counts = dict.fromkeys((ALL, *QUEUES), 0)
    rows = []
    for case in cases:
        if not wanted.keeps(case):
            continue
        queues = case.queues(username, now)
        counts[ALL] += 1
        for queue in queues:
            counts[queue] += 1
        if wanted.queue == ALL or wanted.queue in queues:
            rows.append(InboxRow(case, queues, case.held_by(now)))
    rows.sort(key=lambda row: (row.case.deadline, row.case.id))
    return Inbox(tuple(rows), counts, counts[ALL], _etag(rows, counts))


def _etag(rows: list[InboxRow], counts: Mapping[str, int]) -> str:
    digest = hashlib.sha256(repr(sorted(counts.items())).encode())
    for row in rows:
        digest.update(repr((row.case, row.queues, row.holder)).encode())
    return '"' + digest.hexdigest()[:32] + '"'


def _after(created: str, hours: float) -> str:
    if not created:
        return ""
    start = datetime.fromisoformat(created.replace("Z", "+00:00"))
    return utc_iso(start + timedelta(hours=hours))


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None
