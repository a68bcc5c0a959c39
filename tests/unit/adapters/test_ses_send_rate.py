"""The account's send rate, read from SES's GetAccount once in a while, and never
guessed higher than the sandbox's while it cannot be read."""

from __future__ import annotations

from socialcare.adapters.ses import SANDBOX_SEND_RATE, SesSendRate


class Ses:
    def __init__(self, *answers):
        self.answers, self.calls = list(answers), 0

    def get_account(self):
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return {"SendQuota": {"MaxSendRate": answer, "Max24HourSend": 50_000.0}}


def test_the_send_rate_is_read_from_ses_once_in_a_while_and_never_guessed_higher():
    from botocore.exceptions import ClientError

    throttled = ClientError({"Error": {"Code": "TooManyRequestsException"}}, "GetAccount")
    clock = [0.0]
    ses = Ses(throttled, 14.0, 20.0)
    rate = SesSendRate(ses, monotonic=lambda: clock[0])
    # When GetAccount is throttled, then read, then asked again within five minutes
    assert rate() == SANDBOX_SEND_RATE  # the sandbox's until it can be read
    clock[0] = 31.0
    assert rate() == 14.0
    clock[0] = 200.0
    assert rate() == 14.0 and ses.calls == 2
    # Then past five minutes it reads it again
    clock[0] = 400.0
    assert rate() == 20.0
