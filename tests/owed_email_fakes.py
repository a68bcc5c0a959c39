"""The owed-email half of the in-memory workflow store (tests/fakes.py mixes it in): the
DynamoDB adapter's promises (owed once per case and key, claimed by one sender, gone once
sent), and an SES that holds emails as the adapter reports it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from socialcare.domain.email_delivery import EmailHeld, EmailHold, OwedEmail


class OwedEmailFakes:
    # InMemoryWorkflowStore's state and helpers (_event) are used as is.
    calls: list[str]
    cases: dict[str, Any]
    owed: dict[tuple[str, str], OwedEmail]
    team_emails: dict[str, datetime]  # case id -> when the social team was last emailed
    _owed_claims: set[tuple[str, str]]

    def owe_email(self, owed: OwedEmail) -> bool:
        self.calls.append("owe_email")
        if (owed.case_id, owed.key) in self.owed:
            return False
        self.owed[owed.case_id, owed.key] = owed
        if owed.hold is not EmailHold.DIGEST:
            self._event(owed.case_id, "email_owed", to=", ".join(owed.to), hold=owed.hold.value)
        return True

    def owed_emails(self) -> list[OwedEmail]:
        """The oldest first, as the adapter's index sorts them."""
        return sorted(self.owed.values(), key=lambda owed: (owed.owed_at, owed.case_id, owed.key))

    def claim_owed_email(self, owed: OwedEmail, now: datetime) -> bool:
        key = (owed.case_id, owed.key)
        if key not in self.owed or key in self._owed_claims:
            return False
        self._owed_claims.add(key)
        return True

    def release_owed_email(self, owed: OwedEmail) -> None:
        self._owed_claims.discard((owed.case_id, owed.key))

    def owed_email_sent(self, owed: OwedEmail, now: datetime) -> None:
        del self.owed[owed.case_id, owed.key]
        self._owed_claims.discard((owed.case_id, owed.key))
        self._event(owed.case_id, "owed_email_sent", to=", ".join(owed.to))

    def drop_owed_email(self, owed: OwedEmail) -> None:
        self.owed.pop((owed.case_id, owed.key), None)

    def claim_team_email(self, case_id: str, now: datetime, interval: timedelta) -> bool:
        if case_id not in self.cases:  # the adapter's condition: the case must be there
            return False
        last = self.team_emails.get(case_id)
        if last is not None and last > now - interval:
            return False
        self.team_emails[case_id] = now
        return True

    def release_team_email(self, case_id: str, claimed_at: datetime) -> None:
        if self.team_emails.get(case_id) == claimed_at:
            del self.team_emails[case_id]

    def _event(self, case_id: str, kind: str, **data: Any) -> None: ...


@dataclass
class HoldingOutbox:
    """SES that holds every email while `hold` is set (the adapter's EmailHeld), and
    sends (keeps) them once it is None."""

    hold: EmailHold | None = EmailHold.BLOCKED
    sent: list[dict[str, Any]] = field(default_factory=list)

    def send(self, to: list[str], subject: str, text: str, html: str) -> str:
        if self.hold is not None:
            raise EmailHeld(self.hold, "MessageRejected")
        self.sent.append({"to": list(to), "subject": subject, "text": text, "html": html})
        return f"message-{len(self.sent)}"
