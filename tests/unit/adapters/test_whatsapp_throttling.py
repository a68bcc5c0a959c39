"""WhatsApp's throttling codes are "wait and retry", never a final refusal; 131049 asks for
24 hours. https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
"""

from __future__ import annotations

import pytest

from socialcare.adapters.platform_api.graph_errors import graph_result
from socialcare.adapters.platform_api.graph_usage import GraphUsage
from socialcare.adapters.platform_api.http import HttpAnswer
from socialcare.domain.messages import Platform
from socialcare.domain.platform_errors import PlatformBusy, PlatformRefused


def whatsapp_error(code: int, status: int = 400) -> HttpAnswer:
    return HttpAnswer(
        status,
        {},
        {
            "error": {
                "message": f"(#{code})",
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": "..."},
            }
        },
    )


def read(answer: HttpAnswer) -> dict:
    """The answer to a send, as the Graph adapter reads it (its usage headers set the wait)."""
    wait = GraphUsage(clock=lambda: 0.0).wait(answer, "106540352242922")
    return graph_result(answer, method="POST", platform=Platform.WHATSAPP, wait=wait)


@pytest.mark.parametrize("code", [130429, 131056, 131048])
def test_whatsapp_throttling_is_busy_not_refused(code):
    # Given the Cloud API's throughput, pair-rate or spam-rate limit
    # When its answer is read
    with pytest.raises(PlatformBusy) as busy:
        read(whatsapp_error(code))
    # Then the send is retried later (a wait of at least a minute)
    assert busy.value.retry_after >= 60


def test_131049_waits_a_day_before_trying_again():
    with pytest.raises(PlatformBusy) as busy:
        read(whatsapp_error(131049))
    assert busy.value.retry_after == 24 * 3600


def test_a_closed_window_is_still_a_refusal():
    with pytest.raises(PlatformRefused):
        read(whatsapp_error(131047))
