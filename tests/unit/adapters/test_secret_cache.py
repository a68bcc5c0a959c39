"""The secrets' cache (adapters/secrets.py, our own since Powertools' parameters utility
weighed on every cold start): read once per max age, afresh when asked, and every
failure a SecretsUnavailable that never quotes the secret."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from socialcare.adapters.secrets import PlatformSecretsSource, PlatformTokensSource, StackKey
from socialcare.domain.failures import SecretsUnavailable

SECRET = "hunter2-very-secret"


class FakeSecretsManager:
    def __init__(self, value: str) -> None:
        self.value, self.reads, self.failure = value, 0, None

    def get_secret_value(self, SecretId: str) -> dict:
        self.reads += 1
        if self.failure:
            raise self.failure
        return {"Name": SecretId, "SecretString": self.value}


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_secret_is_read_once_per_max_age_and_afresh_when_asked():
    # Given the platforms' secret, cached for 300 s
    client, clock = FakeSecretsManager(json.dumps({"meta_app_secret": "a"})), Clock()
    source = PlatformSecretsSource("s", client=client, max_age_seconds=300, clock=clock)
    # When it is read twice within its age, Then Secrets Manager is asked once
    assert source().meta_app_secret == "a" and source().meta_app_secret == "a"
    assert client.reads == 1
    # And once its age has passed, the value set meanwhile is read
    client.value, clock.now = json.dumps({"meta_app_secret": "b"}), clock.now + 300
    assert source().meta_app_secret == "b" and client.reads == 2


def test_a_max_age_of_zero_reads_every_time_and_fresh_bypasses_the_cache():
    client = FakeSecretsManager(json.dumps({"telegram_bot_token": "1:x"}))
    tokens = PlatformTokensSource("t", client=client, max_age_seconds=0)
    tokens(), tokens()
    assert client.reads == 2
    cached = PlatformTokensSource("t", client=client, max_age_seconds=300)
    cached(), cached.fresh(), cached()
    assert client.reads == 4


@pytest.mark.parametrize(
    ("value", "failure", "why"),
    [
        (SECRET, None, "the secret is not JSON"),
        (json.dumps({"meta_app_secret": [SECRET]}), None, "not a JSON object of strings"),
        ("{}", ClientError({"Error": {"Code": "AccessDenied"}}, "GetSecretValue"), "ClientError"),
    ],
)
def test_every_failure_is_secrets_unavailable_never_quoting_the_secret(value, failure, why):
    # Given a secret that cannot be read, or is not shaped as expected
    client = FakeSecretsManager(value)
    client.failure = failure
    # When it is read, Then the failure says why without the value
    with pytest.raises(SecretsUnavailable, match=why) as failed:
        PlatformSecretsSource("s", client=client)()
    assert SECRET not in str(failed.value)


def test_a_stack_key_is_the_secret_string_itself():
    assert StackKey("k", client=FakeSecretsManager("k" * 64))() == "k" * 64
    with pytest.raises(SecretsUnavailable, match="too short"):
        StackKey("k", client=FakeSecretsManager("short"))()
