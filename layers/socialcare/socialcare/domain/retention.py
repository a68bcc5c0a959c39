"""How long the table keeps what it keeps: DynamoDB's TTL (`expires_at`, Unix seconds)
forgets it by itself, and open cases never expire. (How long closed cases are kept is
configuration: `Retention` in domain/routing.py.) No pydantic here: the webhook imports
this at every cold start."""

from __future__ import annotations

from datetime import datetime, timedelta

# Nobody redelivers a message after this: WhatsApp retries a webhook for up to 7 days,
# Meta's other webhooks for 36 hours, Telegram for 24 hours, X for minutes; a delivery
# parked in the failed-deliveries queue can be replayed for its 14 days. Past it, the
# record that a message was seen has no use left.
DEDUP_RETENTION = timedelta(days=15)
# Action links answer late, and outbound records prove a send, for this long at most.
SATELLITE_RETENTION_DAYS = 90


def expiry(at: datetime, keep: timedelta) -> int:
    """The `expires_at` DynamoDB's TTL reads."""
    return int((at + keep).timestamp())
