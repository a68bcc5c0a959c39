"""Emails through SES (v2), sent as MIME so both the text and the HTML part travel.
SendEmail's errors are translated, as AWS documents them, into an email held (its hold
says why) or a defect (EmailUnavailable); what follows is the use cases' to decide."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from socialcare.domain.email_delivery import EmailHeld, EmailHold
from socialcare.domain.failures import Unavailable

# SendEmail's errors (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html#API_SendEmail_Errors).
_HOLDS = {
    # "Too many requests have been made to the operation" (429).
    "TooManyRequestsException": EmailHold.THROTTLED,
    # "There are too many instances of the specified resource type" (400): a quota.
    "LimitExceededException": EmailHold.THROTTLED,
    # Over the sending rate or daily quota, "a ThrottlingException error" (the v1 API's
    # "Throttling" code), to retry "after an interval of up to 10 minutes"
    # (https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html).
    "ThrottlingException": EmailHold.THROTTLED,
    "Throttling": EmailHold.THROTTLED,
    # "Email address is not verified": an unverified sender, or any recipient while the
    # account is in the sandbox
    # (https://repost.aws/knowledge-center/ses-554-400-message-rejected-error).
    "MessageRejected": EmailHold.BLOCKED,
    # The MAIL FROM domain's MX record is not set up or not verified.
    "MailFromDomainNotVerifiedException": EmailHold.BLOCKED,
    # "sending of email from your account is currently paused".
    "SendingPausedException": EmailHold.BLOCKED,
    # "the account has been permanently restricted from sending email".
    "AccountSuspendedException": EmailHold.BLOCKED,
}


class EmailUnavailable(Unavailable):
    """SES failed in a way no wait or person fixes (a defect, e.g. BadRequestException),
    or could not be reached: the workflow step is retried, as before."""


class SesEmailSender:
    def __init__(self, client: Any, sender: str) -> None:
        self._client = client
        self._sender = sender

    def send(self, to: list[str], subject: str, text: str, html: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = ", ".join(to)
        message["Subject"] = subject
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        try:
            response = self._client.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": to},
                Content={"Raw": {"Data": message.as_bytes()}},
            )
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            hold = _HOLDS.get(code)
            if hold is not None:
                raise EmailHeld(hold, code) from error
            raise EmailUnavailable(code or type(error).__name__) from error
        except BotoCoreError as error:
            raise EmailUnavailable(type(error).__name__) from error
        return str(response.get("MessageId", ""))


# SES's rate in its sandbox (https://docs.aws.amazon.com/ses/latest/dg/quotas.html): what
# a container assumes while it cannot read the account's, so it never sends faster.
SANDBOX_SEND_RATE = 1.0
# GetAccount, like every SES action but sending, is allowed about once a second for the
# whole account (https://docs.aws.amazon.com/ses/latest/dg/quotas.html): each container
# reads it once in this long, and after a failure tries again this much sooner.
_RATE_MAX_AGE_SECONDS = 300.0
_RATE_RETRY_SECONDS = 30.0


class SesSendRate:
    """The account's maximum send rate, SendQuota.MaxSendRate from SESv2's GetAccount
    (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html), kept per
    container; the sandbox's rate while it cannot be read."""

    def __init__(self, client: Any, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._monotonic = monotonic
        self._rate = SANDBOX_SEND_RATE
        self._read_at: float | None = None
        self._max_age = _RATE_MAX_AGE_SECONDS

    def __call__(self) -> float:
        from botocore.exceptions import BotoCoreError, ClientError

        now = self._monotonic()
        if self._read_at is not None and now - self._read_at < self._max_age:
            return self._rate
        self._read_at = now
        try:
            quota = self._client.get_account().get("SendQuota", {})
            self._rate = float(quota["MaxSendRate"])
            self._max_age = _RATE_MAX_AGE_SECONDS
        except (BotoCoreError, ClientError, KeyError, TypeError, ValueError):
            # Keep what was read before (or the sandbox's): never faster than known.
            self._max_age = _RATE_RETRY_SECONDS
        return self._rate
