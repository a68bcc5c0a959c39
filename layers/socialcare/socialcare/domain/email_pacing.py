"""Emails are paced to SES's maximum send rate, shared by every function: each second
carries at most that many, and alerts keep a share of it that the rest never takes, so an
urgent or crisis alert never waits behind a crisis's backlog of derivations."""

from __future__ import annotations

import math
from datetime import timedelta

# Of each second's sends, the part kept for alerts (urgent, crisis, crisis digest).
ALERT_SHARE = 0.2
# The social team gets at most one crisis digest a topic in this long.
CRISIS_DIGEST_INTERVAL = timedelta(minutes=1)


def second_cap(rate: float, *, alert: bool, second: int = 0) -> int:
    """How many recipients one second may carry (SES counts its rate in recipients, not
    messages: https://docs.aws.amazon.com/ses/latest/dg/quotas.html): SES's whole rate for
    an alert; the rate less the alerts' share for any other email. At least one, so a
    sandbox's rate of one a second still sends (alerts then share it). A rate under one a
    second (GetAccount's MaxSendRate is a number, not a count; the crisis simulator's
    sampled share of SES's rate) gives a send in the seconds (`second`, the epoch's) where
    the running total reaches the next whole one."""
    if rate < 1:
        share = rate if alert else rate * (1 - ALERT_SHARE)
        return math.floor((second + 1) * share) - math.floor(second * share)
    whole = max(1, math.floor(rate))
    if alert:
        return whole
    return max(1, math.floor(rate * (1 - ALERT_SHARE)))
