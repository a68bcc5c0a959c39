"""Emails that could not go now, counted by who must act."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialcare.domain.email_delivery import EmailHold


def count_held(metrics: Any, held: tuple[EmailHold, ...]) -> None:
    """EmailsUndelivered (alarmed): emails owed until a person acts; EmailsThrottled:
    owed until SES takes them; EmailsPaced: owed because our pacing found the second's
    share of SES's rate taken (the OwedEmails schedule sends all three)."""
    from socialcare.domain.email_delivery import EmailHold, alarmed

    for hold in held:
        if alarmed(hold):
            metrics.add_metric(name="EmailsUndelivered", unit="Count", value=1)
        elif hold is EmailHold.PACED:
            metrics.add_metric(name="EmailsPaced", unit="Count", value=1)
        else:
            metrics.add_metric(name="EmailsThrottled", unit="Count", value=1)
