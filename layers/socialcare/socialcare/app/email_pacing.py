"""Every email through SES takes its place in the second first (domain/email_pacing.py):
one the second has no room for is held as paced, which every sender's caller already
keeps as owed, so the OwedEmails schedule sends it at the rate; nothing is lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.domain.clock import Clock
from socialcare.domain.email_delivery import EmailHeld, EmailHold

if TYPE_CHECKING:
    from socialcare.ports.email import EmailSender, SendSlots


class PacedSender:
    """An EmailSender that sends only within the second's share of SES's rate; `alert`:
    the urgent, crisis and digest alerts, which may use the share kept for them."""

    def __init__(self, sender: EmailSender, slots: SendSlots, clock: Clock, *, alert: bool):
        self._sender = sender
        self._slots = slots
        self._clock = clock
        self._alert = alert

    def send(self, to: list[str], subject: str, text: str, html: str) -> str:
        if not self._slots.take(self._clock(), len(to), alert=self._alert):
            raise EmailHeld(EmailHold.PACED, "the second's sends are taken")
        return self._sender.send(to, subject, text, html)
