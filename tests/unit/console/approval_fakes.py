"""In-memory approvals and cases for the approvals' use-case tests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from socialcare.app.approvals import ApprovalDependencies, SentReply
from socialcare.config.loaders import approval_rules
from socialcare.domain.approvals import ApprovalState, PendingApproval
from socialcare.domain.cases import Case, CaseAuthor, TriageRecord
from socialcare.domain.console_audit import AuditEntry
from socialcare.domain.console_replies import ReplyDraft, Visibility

CASE_ID = "20261207-0123456789abcdef"
NOW = datetime(2026, 12, 7, 22, 0, tzinfo=UTC)


def a_case(
    *,
    flags: tuple[str, ...] = (),
    category: str = "question",
    followers: int | None = None,
    crisis_topic: str | None = None,
    case_id: str = CASE_ID,
) -> Case:
    return Case(
        id=case_id,
        platform="x",
        channel="x_mention",
        created_at="2026-12-07T21:00:00.000Z",
        author=CaseAuthor("42", handle="lucia", followers=followers),
        public=True,
        triage=TriageRecord(category=category, flags=flags),
        crisis_topic=crisis_topic,
    )


def a_draft(
    text: str = "Hola, lo revisamos contigo por privado.",
    *,
    visibility: Visibility = Visibility.PUBLIC,
    author: str = "ana",
    case_id: str = CASE_ID,
) -> ReplyDraft:
    return ReplyDraft(case_id, text, visibility, author)


@dataclass
class FakeCases:
    cases: dict[str, Case] = field(default_factory=dict)

    def case(self, case_id: str) -> Case | None:
        return self.cases.get(case_id)


@dataclass
class FakeApprovals:
    items: dict[str, PendingApproval] = field(default_factory=dict)
    pending: dict[str, int] = field(default_factory=dict)  # the cases' approval_pending
    timeline: list[tuple[str, str, dict[str, object]]] = field(default_factory=list)

    def submit(self, approval: PendingApproval, *, timeline: bool = True) -> None:
        self.items[approval.id] = approval
        self.pending[approval.case_id] = self.pending.get(approval.case_id, 0) + 1
        if timeline:
            by = {"by": approval.draft.author}
            self.timeline.append((approval.case_id, "reply_submitted_for_approval", by))

    def approval(self, approval_id: str) -> PendingApproval | None:
        return self.items.get(approval_id)

    def decide(self, decided: PendingApproval) -> bool:
        if self.items[decided.id].state is not ApprovalState.WAITING:
            return False
        self.items[decided.id] = decided
        self.pending[decided.case_id] -= 1
        kind = "reply_approved" if decided.state is ApprovalState.APPROVED else "reply_returned"
        data = {"by": decided.decided_by, "edited": decided.edited_text is not None}
        self.timeline.append((decided.case_id, kind, data))
        return True

    def record_result(self, approval: PendingApproval, result: str) -> None:
        self.items[approval.id] = replace(self.items[approval.id], result=result)

    def waiting(self, limit: int = 200) -> list[PendingApproval]:
        found = [a for a in self.items.values() if a.state is ApprovalState.WAITING]
        return sorted(found, key=lambda a: a.submitted_at)[:limit]

    def of_case(self, case_id: str) -> list[PendingApproval]:
        return sorted(
            (a for a in self.items.values() if a.case_id == case_id),
            key=lambda a: a.submitted_at,
        )


@dataclass
class FakeSender:
    result: str = "sent"
    sent: list[ReplyDraft] = field(default_factory=list)

    def __call__(self, draft: ReplyDraft) -> SentReply:
        self.sent.append(draft)
        return SentReply(self.result)


@dataclass
class FakeAudit:
    entries: list[AuditEntry] = field(default_factory=list)

    def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    def last_actions(self, username: str, limit: int = 5) -> list[AuditEntry]:
        return [e for e in reversed(self.entries) if e.username == username][:limit]


def approval_deps(*cases: Case, result: str = "sent") -> ApprovalDependencies:
    counter = iter(range(1, 10**6))
    return ApprovalDependencies(
        store=FakeApprovals(),
        cases=FakeCases({c.id: c for c in cases}),
        rules=approval_rules(),
        send_reply=FakeSender(result),
        clock=lambda: NOW,
        audit=FakeAudit(),
        nonce=lambda: f"{next(counter):06x}",
    )
