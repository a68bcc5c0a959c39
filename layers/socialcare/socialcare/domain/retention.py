"""How long the table keeps what it keeps: DynamoDB's TTL (`expires_at`, Unix seconds)
forgets it by itself, and open cases never expire."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

# Nobody redelivers a message after this: WhatsApp retries a webhook for up to 7 days,
# Meta's other webhooks for 36 hours, Telegram for 24 hours, X for minutes; a delivery
# parked in the failed-deliveries queue can be replayed for its 14 days. Past it, the
# record that a message was seen has no use left.
DEDUP_RETENTION = timedelta(days=15)
# Action links answer late, and outbound records prove a send, for this long at most.
SATELLITE_RETENTION_DAYS = 90


class Retention(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # A closed case, its messages and timeline, and what points at it; at least as long
    # as a late answer through its link is still taken, and a month's report reads it.
    closed_case_days: int = Field(default=730, ge=SATELLITE_RETENTION_DAYS, le=3650)

    def closed_case_expiry(self, closed_at: datetime) -> int:
        return expiry(closed_at, timedelta(days=self.closed_case_days))


def expiry(at: datetime, keep: timedelta) -> int:
    """The `expires_at` DynamoDB's TTL reads."""
    return int((at + keep).timestamp())
