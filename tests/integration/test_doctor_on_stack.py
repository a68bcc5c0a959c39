"""`socialcare doctor` against the local stack: a fresh one passes every AWS check, and
each thing taken away on purpose (through the AWS API, as a person could) fails its own
check with exit 1 and a last line naming it. Each test puts back what it took away: the
session's stack is shared."""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass

from socialcare.config.loaders import routing_config
from socialcare_cli.connect import PLATFORMS, connect_local
from socialcare_cli.doctor.checks import Check
from socialcare_cli.doctor.command import CHECK_GROUPS, run_checks
from socialcare_cli.doctor.platform_checks import platform_checks
from socialcare_cli.local.names import PREFIX, emulator_client
from socialcare_cli.local.stack import LocalStack, local_secrets
from socialcare_cli.main import main
from socialcare_cli.stack_target import StackTarget

# The AWS checks (the platforms' are tests/integration/test_platform_checks_on_stack.py).
AWS_GROUPS = [group for group in CHECK_GROUPS if group is not platform_checks]


def doctor(stack: LocalStack) -> tuple[int, list[str]]:
    target = StackTarget(stack.stack_outputs(), stack.endpoint_url, stack_name=PREFIX)
    out = io.StringIO()
    code = run_checks(target, AWS_GROUPS, out)
    return code, out.getvalue().splitlines()


def failed(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("FAIL")]


def test_a_fresh_local_stack_passes_every_check(stack, api, capsys):
    # Given a fresh local stack, served as `socialcare local` serves it (its webhooks
    # registered with the built-in emulator)
    connect_local(api, PLATFORMS, say=lambda line: None)
    # When `socialcare doctor --local URL` runs
    code = main(["doctor", "--local", api])
    lines = capsys.readouterr().out.splitlines()
    # Then every check passed, one line each, and the exit is 0
    assert code == 0, lines
    assert failed(lines) == []
    assert lines[-1].startswith("all ") and lines[-1].endswith(" checks passed")
    names = {line[5:].split(" (")[0] for line in lines[:-1]}
    assert {
        "ses sender verified",
        "ses sending enabled",
        "ses production access",
        "ses recipients verified",
        "secret PlatformSecrets",
        "secret PlatformTokensSecret",
        "secret DeliverySealSecret",
        "outbound mode",
        "alarms notify a topic",
        "alarm topic subscribed",
        "schedule report-daily",
        "schedule report-weekly",
        "schedule report-monthly",
        "schedule owed-emails",
    } <= names
    # The local account is a new account's: in the sandbox, every address verified
    assert any(line.startswith("ok   ses production access (sandbox") for line in lines)


def test_an_unverified_department_address_in_the_sandbox_fails(stack):
    # Given the account in the sandbox and one department's address no longer verified
    address = next(iter(routing_config().departments.values())).emails[0]
    stack.client("sesv2").delete_email_identity(EmailIdentity=address)
    try:
        # When the doctor runs
        code, lines = doctor(stack)
    finally:
        stack.client("ses").verify_email_identity(EmailAddress=address)
    # Then that check fails naming the address, and only it
    assert code == 1
    [line] = failed(lines)
    assert line.startswith("FAIL ses recipients verified:") and address in line
    assert lines[-1] == "missing: ses recipients verified"


def test_out_of_the_sandbox_an_unverified_department_address_is_no_fault(stack):
    # Given production access, and a department's address not verified
    address = next(iter(routing_config().departments.values())).emails[0]
    stack.ses_account.production_access_enabled = True
    stack.client("sesv2").delete_email_identity(EmailIdentity=address)
    try:
        code, lines = doctor(stack)
    finally:
        stack.client("ses").verify_email_identity(EmailAddress=address)
        stack.ses_account.production_access_enabled = False
    # Then SES may send to it: nothing fails
    assert code == 0, failed(lines)
    assert "ok   ses recipients verified (production access: any address)" in lines


def test_an_unverified_sender_fails(stack):
    sender = os.environ["SENDER_EMAIL"]
    stack.client("ses").delete_identity(Identity=sender)
    try:
        code, lines = doctor(stack)
    finally:
        stack.client("ses").verify_email_identity(EmailAddress=sender)
    assert code == 1
    [line] = failed(lines)
    assert line.startswith(f"FAIL ses sender verified: {sender} is not a verified identity")


def test_sending_paused_fails(stack):
    # Given sending paused for the account (PutAccountSendingAttributes)
    sesv2 = stack.client("sesv2")
    sesv2.put_account_sending_attributes(SendingEnabled=False)
    try:
        code, lines = doctor(stack)
    finally:
        sesv2.put_account_sending_attributes(SendingEnabled=True)
    assert code == 1
    [line] = failed(lines)
    assert line.startswith("FAIL ses sending enabled: sending is paused")


def test_an_empty_platform_secret_fails_and_no_secret_is_printed(stack):
    # Given the platform secrets with the Telegram secret token emptied
    secrets = stack.client("secretsmanager")
    arn = stack.stack_outputs()["PlatformSecretsArn"]
    before = secrets.get_secret_value(SecretId=arn)["SecretString"]
    secrets.put_secret_value(
        SecretId=arn, SecretString=json.dumps({**json.loads(before), "telegram_secret_token": ""})
    )
    try:
        code, lines = doctor(stack)
    finally:
        secrets.put_secret_value(SecretId=arn, SecretString=before)
    # Then that secret's check fails naming the empty key, and no value is printed
    assert code == 1
    assert failed(lines) == ["FAIL secret PlatformSecrets: empty: telegram_secret_token"]
    output = "\n".join(lines)
    for value in [*local_secrets({}).values(), *stack.platforms.tokens.values()]:
        if isinstance(value, str) and value:
            assert value not in output


def test_an_alarm_topic_without_a_confirmed_subscription_fails(stack):
    # Given the alarm topic's only subscriber is an email address not yet confirmed
    sns = stack.client("sns")
    topic = stack.stack_outputs()["AlarmTopicArn"]
    [queue] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    sns.unsubscribe(SubscriptionArn=queue["SubscriptionArn"])
    email = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    try:
        code, lines = doctor(stack)
    finally:
        sns.unsubscribe(SubscriptionArn=email["SubscriptionArn"])
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue["Endpoint"])
    # Then the topic's check fails, naming the pending subscription
    assert code == 1
    [line] = failed(lines)
    assert line.startswith(
        f"FAIL alarm topic subscribed ({PREFIX}-AlarmTopic): no confirmed subscription; "
        "pending: email ops@example.com"
    )
    assert lines[-1] == f"missing: alarm topic subscribed ({PREFIX}-AlarmTopic)"


def test_an_alarm_without_an_action_fails(stack):
    # Given one alarm whose actions were removed
    cloudwatch = stack.client("cloudwatch")
    name = f"{PREFIX}-SlaBreachesAlarm"
    [alarm] = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    kept = ("AlarmDescription", "Namespace", "MetricName", "Dimensions", "Statistic")
    settings = {k: alarm[k] for k in kept}
    settings.update(
        {k: alarm[k] for k in ("Period", "EvaluationPeriods", "Threshold", "ComparisonOperator")}
    )
    cloudwatch.put_metric_alarm(AlarmName=name, AlarmActions=[], **settings)
    try:
        code, lines = doctor(stack)
    finally:
        cloudwatch.put_metric_alarm(AlarmName=name, AlarmActions=alarm["AlarmActions"], **settings)
    assert code == 1
    assert failed(lines) == [
        f"FAIL alarms notify a topic: no SNS action (or actions disabled): {name}"
    ]


def test_a_deleted_schedule_fails(stack):
    # Given the weekly report's schedule deleted
    scheduler = stack.client("scheduler")
    name = f"{PREFIX}-report-weekly"
    saved = scheduler.get_schedule(Name=name)
    scheduler.delete_schedule(Name=name)
    try:
        code, lines = doctor(stack)
    finally:
        kept = ("ScheduleExpression", "ScheduleExpressionTimezone", "FlexibleTimeWindow")
        scheduler.create_schedule(
            Name=name, Target=saved["Target"], State=saved["State"], **{k: saved[k] for k in kept}
        )
    assert code == 1
    [line] = failed(lines)
    assert line == f"FAIL schedule report-weekly: {name} does not exist: " + (
        "deploy the stack again (sam deploy)"
    )
    assert lines[-1] == "missing: schedule report-weekly"


def test_dry_run_is_said_but_is_no_fault(stack):
    # Given the stack in dry_run, as a deployed stack starts
    stack.set_outbound_mode("dry_run")
    try:
        code, lines = doctor(stack)
    finally:
        stack.set_outbound_mode("live")
    assert code == 0, failed(lines)
    assert any(line.startswith("ok   outbound mode (dry_run: ") for line in lines)


class _StackResources:
    """CloudFormation's ListStackResources for a stack holding one alarm (moto's
    CloudFormation cannot create alarms)."""

    def get_paginator(self, name):
        assert name == "list_stack_resources"

        class _Pages:
            def paginate(self, StackName):
                assert StackName == "brand"
                alarm = {
                    "ResourceType": "AWS::CloudWatch::Alarm",
                    "PhysicalResourceId": "brand-Alarm-1",
                }
                topic = {"ResourceType": "AWS::SNS::Topic", "PhysicalResourceId": "arn:x"}
                return [{"StackResourceSummaries": [alarm, topic]}]

        return _Pages()


@dataclass(frozen=True)
class _Deployed(StackTarget):
    """A deployed stack (no local endpoint: its alarms are found through CloudFormation)
    whose CloudWatch and SNS are the local emulator's."""

    emulator: str = ""

    def client(self, service):
        if service == "cloudformation":
            return _StackResources()
        return emulator_client(self.emulator, service)


def test_a_deployed_stack_s_alarms_are_the_ones_cloudformation_lists(stack):
    # Given a deployed stack whose one alarm notifies a topic nobody subscribed to, and
    # an alarm of the same prefix, not the stack's, with no action at all (in the local
    # stack's emulator: moto's mock_aws would reset the session's stack on exit)
    from socialcare_cli.doctor.alarm_checks import alarm_checks

    alarm = {
        "Namespace": "socialcare",
        "MetricName": "SlaBreaches",
        "Statistic": "Sum",
        "Period": 300,
        "EvaluationPeriods": 1,
        "Threshold": 0,
        "ComparisonOperator": "GreaterThanThreshold",
    }
    topic = stack.client("sns").create_topic(Name="brand-alarms")["TopicArn"]
    cloudwatch = stack.client("cloudwatch")
    cloudwatch.put_metric_alarm(AlarmName="brand-Alarm-1", AlarmActions=[topic], **alarm)
    cloudwatch.put_metric_alarm(AlarmName="brand-elsewhere", **alarm)
    try:
        # When the alarm checks run against it by name
        checks = alarm_checks(_Deployed({}, None, stack_name="brand", emulator=stack.endpoint_url))
    finally:
        cloudwatch.delete_alarms(AlarmNames=["brand-Alarm-1", "brand-elsewhere"])
        stack.client("sns").delete_topic(TopicArn=topic)
    # Then only the stack's own alarm counts, and its topic has no subscription
    assert checks[0] == Check("alarms notify a topic", True, "1 alarm")
    assert checks[1].name == "alarm topic subscribed (brand-alarms)"
    assert not checks[1].ok and checks[1].detail.startswith("no subscription")
