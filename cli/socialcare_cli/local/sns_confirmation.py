"""Subscriptions that wait for their endpoint's confirmation, as in SNS; moto confirms
every subscription at once.

SNS Subscribe (https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html): "If the
endpoint type is HTTP/S or email, or if the endpoint and the topic are not in the same
Amazon Web Services account, the endpoint owner must run the ConfirmSubscription action
to confirm the subscription." Until then GetSubscriptionAttributes says
`PendingConfirmation` "true". An SQS queue of the same account is confirmed at once.
"""

from __future__ import annotations

from typing import Any

_CONFIRMED_BY_THEIR_OWNER = ("email", "email-json", "http", "https")


def install() -> None:
    from moto.sns.models import SNSBackend

    if getattr(SNSBackend.subscribe, "_waits_for_confirmation", False):
        return
    subscribe = SNSBackend.subscribe

    def subscribe_pending(self: Any, topic_arn: str, endpoint: str, protocol: str) -> Any:
        subscription = subscribe(self, topic_arn, endpoint, protocol)
        if protocol in _CONFIRMED_BY_THEIR_OWNER:
            subscription.attributes["PendingConfirmation"] = "true"
            subscription.attributes["ConfirmationWasAuthenticated"] = "false"
        return subscription

    subscribe_pending._waits_for_confirmation = True  # type: ignore[attr-defined]
    SNSBackend.subscribe = subscribe_pending  # type: ignore[method-assign]
