"""Fakes of the pacing's ports, as the DynamoDB adapters promise them (their own tests
hold them to it against moto): the second's places, the crisis digest's minute."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from socialcare.domain.crisis import CrisisDigestClaim
from socialcare.domain.email_pacing import second_cap


@dataclass
class SecondSlots:
    """SendSlots: recipients taken per second, within the rate's caps."""

    rate: float
    taken: Counter[int] = field(default_factory=Counter)

    def take(self, now: datetime, recipients: int, *, alert: bool) -> bool:
        second = int(now.timestamp())
        if self.taken[second] + recipients > second_cap(self.rate, alert=alert):
            return False
        self.taken[second] += recipients
        return True


@dataclass
class MinuteDigests:
    """CrisisDigests: a topic's digest claimed when none went within the interval."""

    last: dict[str, datetime] = field(default_factory=dict)

    def claim_crisis_digest(
        self, topic: str, now: datetime, interval: timedelta
    ) -> CrisisDigestClaim | None:
        previous = self.last.get(topic)
        if previous is not None and previous > now - interval:
            return None
        self.last[topic] = now
        return CrisisDigestClaim(topic, previous)


@dataclass
class TimedOutbox:
    """SES, keeping each email with the moment it went (`clock` is the simulation's)."""

    clock: Any
    sent: list[dict[str, Any]] = field(default_factory=list)

    def send(self, to: list[str], subject: str, text: str, html: str) -> str:
        self.sent.append({"to": list(to), "subject": subject, "text": text, "at": self.clock()})
        return f"message-{len(self.sent)}"

    def per_second(self) -> Counter[int]:
        """Recipients a second, as SES counts its rate."""
        counts: Counter[int] = Counter()
        for email in self.sent:
            counts[int(email["at"].timestamp())] += len(email["to"])
        return counts
