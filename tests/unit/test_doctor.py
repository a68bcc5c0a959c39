"""`socialcare doctor`: the output (one line per check, a last line naming what is
missing), AWS errors as one line, and the checks' decisions on AWS's documented answers."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, fields

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from socialcare.domain.credentials import PlatformTokens
from socialcare_cli.doctor.alarm_checks import actions_check, topic_check
from socialcare_cli.doctor.checks import Check
from socialcare_cli.doctor.command import line, run_checks
from socialcare_cli.doctor.secret_checks import secret_shape_check
from socialcare_cli.doctor.ses_checks import recipients_check, sender_check, sending_check
from socialcare_cli.errors import CommandFailed
from socialcare_cli.main import main
from socialcare_cli.stack_target import StackTarget

TARGET = StackTarget({}, "http://127.0.0.1:1", stack_name="s")
SANDBOX = {"ProductionAccessEnabled": False, "SendingEnabled": True}


def ses_checks(target):
    return [Check("ses sender verified", True, "brand@example.com")]


def secret_checks(target):
    return [Check("secret PlatformSecrets", False, "empty: meta_app_secret")]


def refused(target):
    raise ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "not\nallowed"}}, "GetAccount"
    )


def unreachable(target):
    raise EndpointConnectionError(endpoint_url="https://email.eu-west-1.amazonaws.com/")


def test_each_check_is_one_line_and_the_last_names_what_is_missing():
    # Given a group that passes and one that fails
    out = io.StringIO()
    # When the doctor runs them
    code = run_checks(TARGET, [ses_checks, secret_checks], out)
    # Then one line each, ok or FAIL, and a last line naming the failed check; exit 1
    assert out.getvalue().splitlines() == [
        "ok   ses sender verified (brand@example.com)",
        "FAIL secret PlatformSecrets: empty: meta_app_secret",
        "missing: secret PlatformSecrets",
    ]
    assert code == 1


def test_every_check_passing_exits_0():
    out = io.StringIO()
    assert run_checks(TARGET, [ses_checks, ses_checks], out) == 0
    assert out.getvalue().splitlines()[-1] == "all 2 checks passed"
    assert line(Check("outbound mode", True, "")) == "ok   outbound mode"


def test_aws_refusing_a_call_fails_that_group_in_one_line_and_the_others_still_run():
    out = io.StringIO()
    code = run_checks(TARGET, [refused, ses_checks], out)
    assert out.getvalue().splitlines() == [
        "FAIL refused: AWS refused: An error occurred (AccessDeniedException) when calling "
        "the GetAccount operation: not allowed",
        "ok   ses sender verified (brand@example.com)",
        "missing: refused",
    ]
    assert code == 1


def test_aws_out_of_reach_stops_with_one_line():
    with pytest.raises(CommandFailed, match=r"^cannot reach AWS: Could not connect"):
        run_checks(TARGET, [unreachable], io.StringIO())


def test_no_local_stack_is_one_line_and_exit_1(capsys):
    # Given nothing listening where --local points
    # When the doctor runs
    code = main(["doctor", "--local", "http://127.0.0.1:1"])
    # Then one line on stderr, no traceback, exit 1
    error = capsys.readouterr().err
    assert code == 1
    assert error.startswith("socialcare doctor: ") and error.count("\n") == 1
    assert "Traceback" not in error


def test_a_sender_is_verified_by_itself_or_by_its_domain():
    assert sender_check("brand@example.com", {"example.com"}).ok
    assert sender_check("Brand@Example.com", {"brand@example.com"}).ok
    assert not sender_check("brand@example.com", {"other@example.com"}).ok
    assert not sender_check("", set()).ok


def test_in_the_sandbox_every_recipient_must_be_verified_out_of_it_none():
    addresses = ("a@dept.example", "b@other.example")
    missing = recipients_check(SANDBOX, {"dept.example"}, addresses)
    assert not missing.ok and missing.detail.endswith(
        "not verified: b@other.example (verify each, or request production access)"
    )
    assert recipients_check({**SANDBOX, "ProductionAccessEnabled": True}, set(), addresses).ok


def test_sending_paused_or_shut_down_fails():
    assert not sending_check({"SendingEnabled": False}).ok
    assert not sending_check({"SendingEnabled": True, "EnforcementStatus": "SHUTDOWN"}).ok
    assert sending_check({"SendingEnabled": True, "EnforcementStatus": "HEALTHY"}).ok


def test_a_malformed_tokens_secret_names_the_field_never_the_value():
    # Given tokens where a page token map is a string (a secret value)
    value = json.dumps({"facebook_page_tokens": "EAAG-very-secret", "telegram_bot_token": "1:x"})
    check = secret_shape_check("secret PlatformTokensSecret", "PlatformTokensSecretArn", value)
    # Then the check fails naming the field, and the value is not in the line
    assert not check.ok
    assert check.detail.startswith("not well shaped: facebook_page_tokens: ")
    assert "EAAG-very-secret" not in check.detail


def test_not_json_is_said_without_the_value():
    check = secret_shape_check("secret PlatformSecrets", "PlatformSecretsArn", "hunter2")
    assert check == Check(
        "secret PlatformSecrets", False, "not JSON (put-secret-value with a JSON object)"
    )


def test_empty_tokens_are_named_but_a_public_x_client_needs_no_secret():
    tokens = {
        "facebook_page_tokens": {"*": "t"},
        "instagram_tokens": {"*": ""},
        "whatsapp_token": "t",
        "whatsapp_phone_number_id": "1",
        "x_access_token": "t",
        "x_refresh_token": "t",
        "x_client_id": "c",
        "x_client_secret": "",
        "telegram_bot_token": "",
    }
    check = secret_shape_check("s", "PlatformTokensSecretArn", json.dumps(tokens))
    assert check == Check("s", False, "empty: instagram_tokens, telegram_bot_token")


def test_an_alarm_without_a_topic_action_or_with_actions_disabled_is_named():
    topic = "arn:aws:sns:eu-west-1:1:alarms"
    alarms = [
        {"AlarmName": "a", "AlarmActions": [topic]},
        {"AlarmName": "b", "AlarmActions": []},
        {"AlarmName": "c", "AlarmActions": [topic], "ActionsEnabled": False},
    ]
    check = actions_check(alarms)
    assert check.detail == "no SNS action (or actions disabled): b, c"


class _Topic:
    """SNS answering as documented: an unconfirmed subscription listed as
    "PendingConfirmation" instead of an ARN."""

    def __init__(self, subscriptions):
        self.subscriptions = subscriptions

    def get_topic_attributes(self, TopicArn):
        return {"Attributes": {"TopicArn": TopicArn}}

    def get_paginator(self, name):
        subscriptions = self.subscriptions

        class _Pages:
            def paginate(self, TopicArn):
                return [{"Subscriptions": subscriptions}]

        return _Pages()

    def get_subscription_attributes(self, SubscriptionArn):
        return {"Attributes": {"PendingConfirmation": "false"}}


def test_a_pending_confirmation_subscription_is_not_confirmed():
    topic = "arn:aws:sns:eu-west-1:1:alarms"
    pending = {"SubscriptionArn": "PendingConfirmation", "Protocol": "email", "Endpoint": "o@x"}
    check = topic_check(_Topic([pending]), topic)
    assert not check.ok and check.detail.startswith("no confirmed subscription; pending: email o@x")
    confirmed = {**pending, "SubscriptionArn": f"{topic}:1234"}
    assert topic_check(_Topic([pending, confirmed]), topic).ok
    assert topic_check(_Topic([]), topic).detail.startswith("no subscription")


class _Secrets:
    """Secrets Manager refusing GetSecretValue with `code`."""

    def __init__(self, code):
        self.code = code

    def get_secret_value(self, SecretId):
        raise ClientError({"Error": {"Code": self.code, "Message": "m"}}, "GetSecretValue")


@dataclass(frozen=True)
class _WithSecrets(StackTarget):
    refusal: str = ""

    def client(self, service):
        return _Secrets(self.refusal)


def test_a_secret_deleted_or_scheduled_for_deletion_fails_its_own_line():
    from socialcare_cli.doctor.secret_checks import secret_checks

    outputs = {"PlatformSecretsArn": "arn:s", "WebhookBaseUrl": "https://x"}
    [gone] = secret_checks(_WithSecrets(outputs, None, refusal="ResourceNotFoundException"))
    assert gone == Check("secret PlatformSecrets", False, "arn:s does not exist (deleted?)")
    [held] = secret_checks(_WithSecrets(outputs, None, refusal="InvalidRequestException"))
    assert held.detail.startswith("arn:s cannot be read: scheduled for deletion?")
    # Access denied is about the caller: the group's one line says so (run_checks)
    with pytest.raises(ClientError):
        secret_checks(_WithSecrets(outputs, None, refusal="AccessDeniedException"))


def test_a_public_x_client_without_a_secret_passes_and_says_what_is_set():
    from socialcare_cli.local.platform_emulator import LOCAL_TOKENS

    value = json.dumps({**LOCAL_TOKENS, "x_client_secret": ""})
    check = secret_shape_check("s", "PlatformTokensSecretArn", value)
    keys = len(fields(PlatformTokens))
    assert check == Check("s", True, f"{keys - 1} of {keys} keys set")
