"""SES v2 SendEmail's errors, as AWS documents them, translated into what they mean for
an email: held (throttled: passes by itself; blocked: a person must act) or a defect."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from socialcare.adapters.ses import EmailUnavailable, SesEmailSender
from socialcare.domain.email_delivery import EmailHeld, EmailHold


def sender_failing_with(code: str, status: int, message: str = "") -> SesEmailSender:
    client = boto3.client("sesv2", region_name="eu-west-1")
    stubber = Stubber(client)
    stubber.add_client_error("send_email", code, message, status)
    stubber.activate()
    return SesEmailSender(client, "socialcare@segurosmarea.example")


@pytest.mark.parametrize(
    ("code", "status", "hold"),
    [
        ("TooManyRequestsException", 429, EmailHold.THROTTLED),
        ("LimitExceededException", 400, EmailHold.THROTTLED),
        ("Throttling", 400, EmailHold.THROTTLED),
        ("MessageRejected", 400, EmailHold.BLOCKED),
        ("MailFromDomainNotVerifiedException", 400, EmailHold.BLOCKED),
        ("SendingPausedException", 400, EmailHold.BLOCKED),
        ("AccountSuspendedException", 400, EmailHold.BLOCKED),
    ],
)
def test_throttling_and_what_a_person_must_fix_hold_the_email(code, status, hold):
    # Given SES answers SendEmail with the error
    sender = sender_failing_with(code, status, "Email address is not verified.")
    # When an email is sent, Then it is held, for the reason the error means
    with pytest.raises(EmailHeld) as held:
        sender.send(["a@example.com"], "s", "t", "<p>h</p>")
    assert held.value.hold is hold


@pytest.mark.parametrize("code", ["BadRequestException", "NotFoundException"])
def test_a_request_ses_cannot_take_is_a_defect_raised_as_before(code):
    # Given SES answers with an error that no wait or person fixes
    sender = sender_failing_with(code, 400)
    # When an email is sent, Then it fails as it always did (the step is retried)
    with pytest.raises(EmailUnavailable) as failed:
        sender.send(["a@example.com"], "s", "t", "<p>h</p>")
    assert not isinstance(failed.value, EmailHeld)
