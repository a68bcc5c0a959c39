"""What the console's actions write and read beyond the case reader: the case item's
console attributes (reply claim, assignee, corrections, crisis, notes, reopening), the
saved replies (approvals slice), the addresses of people @mentioned (identity slice) and
the approvals a reply may need (approvals slice)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.cases import Case
    from socialcare.domain.console_actions import Correction, Lease
    from socialcare.domain.console_replies import ReplyDraft


class ConsoleCases(Protocol):
    def claim(self, case_id: str, username: str, now: datetime) -> Lease | None:
        """Claim (or extend) the reply lease on an open case: None when claimed; the lease
        someone else holds otherwise. LookupError when the case is not there or closed."""

    def release(self, case_id: str, username: str) -> bool:
        """Release the lease if `username` holds it (False when they do not)."""

    def lease(self, case_id: str) -> Lease | None:
        """The lease as stored (expired or not); None when there is none."""

    def private_reply_sent(self, case_id: str) -> bool:
        """A private reply or message reached the customer (`first_private_response_at`)."""

    def record(self, case_id: str, kind: str, now: datetime, by: str, **data: Any) -> None:
        """A console event on the case's timeline (`by`: the username)."""

    def assign(self, case_id: str, assignee: str | None, now: datetime, by: str) -> bool:
        """The case's assignee (None: nobody), with its `assigned` event; False when the
        case is not there or closed."""

    def correct(self, case_id: str, correction: Correction, now: datetime, by: str) -> bool:
        """The triage field changed, its `triage_correction` event, and the case listed
        for `socialcare triage corrections`; False when the case is not there."""

    def mark_crisis(self, case_id: str, topic: str, now: datetime, by: str) -> bool:
        """`crisis_topic` on the case and its `crisis_marked` event; False when not there."""

    def reopen(self, case_id: str, now: datetime, by: str) -> str | None:
        """A closed case open again (its author's open case once more, no expiry), with
        its `reopened` event. None when done; else why not: "not_closed", "missing",
        "author_has_open_case"."""

    def corrected_cases(self) -> list[str]:
        """The ids of every case a person corrected (for the triage corpus)."""


class SavedReplies(Protocol):
    """The argumentario (approvals slice)."""

    def text_for(self, reply_id: str, case_id: str, language: str) -> str | None:
        """The saved reply's words in `language`, its variables filled from the case;
        None when there is no such reply (or not in that language)."""


class MentionAddresses(Protocol):
    """The console users' email addresses (identity slice's ConsoleUsers port)."""

    def email_of(self, username: str) -> str | None: ...


class ReplyApprovals(Protocol):
    """approvals.yaml's rules and the approvals queue (approvals slice)."""

    def reasons(self, case: Case, draft: ReplyDraft) -> tuple[str, ...]:
        """Why this reply needs an approver before it goes; empty when it needs none."""

    def submit(self, draft: ReplyDraft) -> str | None:
        """Put the reply to an approver (with its `reply_submitted_for_approval` event on
        the timeline and its audit entry); the approval's id, None when it could not be
        (the case gone meanwhile)."""
