"""In-memory fakes of the console actions' ports, keeping the DynamoDB adapters' promises
(tests/integration/test_console_actions_store.py proves those): a lease is held by one
person until it expires, a closed case cannot be claimed, every action is an event."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from socialcare.app.console_replies import ReplyDependencies
from socialcare.domain.cases import Case
from socialcare.domain.console_actions import Correction, Lease, lease_until
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.console_replies import ReplyDraft
from socialcare.domain.outbound import OutboundTarget
from tests.fakes import a_case
from tests.outbound_fakes import NOW, InMemoryOutboundStore, ScriptedPlatform, outbound_dependencies

CASE_ID = "20261124-0123456789abcdef"


def an_open_case(**fields: Any) -> Case:
    target = OutboundTarget(account_id="brand", message_id="1861", conversation_id="42")
    values: dict[str, Any] = {
        "reply_to": target,
        "first_message_at": "2026-11-24T09:00:00Z",
        "last_message_at": "2026-11-24T09:00:00Z",
        "status": "derived",
    }
    values.update(fields)
    return a_case(CASE_ID, **values)


@dataclass
class InMemoryCases:
    """CaseReader over a dict."""

    cases: dict[str, Case] = field(default_factory=dict)

    def case(self, case_id: str) -> Case | None:
        return self.cases.get(case_id)


@dataclass
class InMemoryConsoleCases:
    cases: InMemoryCases
    leases: dict[str, Lease] = field(default_factory=dict)
    events: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    assignees: dict[str, str] = field(default_factory=dict)
    corrections: dict[str, list[Correction]] = field(default_factory=dict)
    crisis: dict[str, str] = field(default_factory=dict)
    private_sent: set[str] = field(default_factory=set)  # first_private_response_at set
    claims: int = 0

    def claim(self, case_id: str, username: str, now: datetime) -> Lease | None:
        self.claims += 1
        case = self.cases.case(case_id)
        if case is None or case.closed:
            raise LookupError(case_id)
        held = self.leases.get(case_id)
        if held is not None and held.held_against(username, now):
            return held
        self.leases[case_id] = Lease(username, lease_until(now))
        return None

    def release(self, case_id: str, username: str) -> bool:
        held = self.leases.get(case_id)
        if held is None or held.holder != username:
            return False
        del self.leases[case_id]
        return True

    def lease(self, case_id: str) -> Lease | None:
        return self.leases.get(case_id)

    def private_reply_sent(self, case_id: str) -> bool:
        return case_id in self.private_sent

    def record(self, case_id: str, kind: str, now: datetime, by: str, **data: Any) -> None:
        self.events.append((case_id, kind, {"by": by, **data}))

    def assign(self, case_id: str, assignee: str | None, now: datetime, by: str) -> bool:
        case = self.cases.case(case_id)
        if case is None or case.closed:
            return False
        if assignee:
            self.assignees[case_id] = assignee
        else:
            self.assignees.pop(case_id, None)
        self.record(case_id, "assigned", now, by, assignee=assignee or "")
        return True

    def correct(self, case_id: str, correction: Correction, now: datetime, by: str) -> bool:
        if self.cases.case(case_id) is None:
            return False
        self.corrections.setdefault(case_id, []).append(correction)
        self.record(
            case_id,
            "triage_correction",
            now,
            by,
            field=correction.field.value,
            to=correction.after,
            **{"from": correction.before},
        )
        return True

    def mark_crisis(self, case_id: str, topic: str, now: datetime, by: str) -> bool:
        if self.cases.case(case_id) is None:
            return False
        self.crisis[case_id] = topic
        self.record(case_id, "crisis_marked", now, by, topic=topic)
        return True

    def reopen(self, case_id: str, now: datetime, by: str) -> str | None:
        case = self.cases.case(case_id)
        if case is None:
            return "missing"
        if not case.closed:
            return "not_closed"
        self.cases.cases[case_id] = replace(case, closed_at=None, status="triaged")
        self.record(case_id, "reopened", now, by, status=case.status)
        return None

    def corrected_cases(self) -> list[str]:
        return list(self.corrections)

    def kinds(self) -> list[str]:
        return [kind for _, kind, _ in self.events]


@dataclass
class InMemoryAudit:
    entries: list[AuditEntry] = field(default_factory=list)

    def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def last_actions(self, username: str, limit: int = 5) -> list[AuditEntry]:
        return [e for e in reversed(self.entries) if e.username == username][:limit]


@dataclass
class ScriptedApprovals:
    """approvals.yaml as a list of reasons for every reply; the drafts put to approvers."""

    reasons_given: tuple[str, ...] = ()
    submitted: list[ReplyDraft] = field(default_factory=list)

    def reasons(self, case: Case, draft: ReplyDraft) -> tuple[str, ...]:
        return self.reasons_given

    def submit(self, draft: ReplyDraft) -> str:
        self.submitted.append(draft)
        return f"approval-{len(self.submitted)}"


@dataclass(frozen=True)
class Saved:
    text: str
    language: str = "es"


@dataclass
class SavedReplyBook:
    replies: dict[str, Saved] = field(default_factory=dict)

    def text_for(self, reply_id: str, case_id: str, language: str) -> str | None:
        saved = self.replies.get(reply_id)
        return saved.text.replace("{caso}", case_id) if saved else None


def reply_dependencies(
    case: Case | None = None,
    *,
    platform: ScriptedPlatform | None = None,
    mode: str = "live",
    approvals: ScriptedApprovals | None = None,
    clock: Any = lambda: NOW,
) -> ReplyDependencies:
    cases = InMemoryCases({CASE_ID: case or an_open_case()})
    return ReplyDependencies(
        cases=cases,
        console=InMemoryConsoleCases(cases),
        outbound=outbound_dependencies(
            InMemoryOutboundStore(), platform or ScriptedPlatform(), mode=mode, clock=clock
        ),
        audit=InMemoryAudit(),
        clock=clock,
        approvals=approvals,
        saved=SavedReplyBook(
            {"thanks": Saved("Gracias por escribirnos, revisamos el caso {caso}.")}
        ),
    )
