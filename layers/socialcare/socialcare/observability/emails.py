"""Emails that could not go now, counted by who must act."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialcare.domain.email_delivery import EmailHold


def count_held(metrics: Any, held: tuple[EmailHold, ...]) -> None:
    """EmailsUndelivered (alarmed): emails owed until a person acts; EmailsThrottled:
    owed until SES takes them (the OwedEmails schedule sends both)."""
    from socialcare.domain.email_delivery import alarmed

    for hold in held:
        name = "EmailsUndelivered" if alarmed(hold) else "EmailsThrottled"
        metrics.add_metric(name=name, unit="Count", value=1)
