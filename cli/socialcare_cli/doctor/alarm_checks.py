"""Alarms: each one notifies an SNS topic, and each such topic exists with at least one
confirmed subscription (an alarm nobody receives is no alarm).

CloudWatch DescribeAlarms
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html):
`AlarmActions`, `ActionsEnabled`. SNS ListSubscriptionsByTopic
(https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html) lists an
unconfirmed subscription with the SubscriptionArn "PendingConfirmation" (the API reference
does not spell the literal out), so a subscription counts as confirmed only when its ARN is
an ARN and GetSubscriptionAttributes
(https://docs.aws.amazon.com/sns/latest/api/API_GetSubscriptionAttributes.html) does not say
`PendingConfirmation` "true".
"""

from __future__ import annotations

from typing import Any

from socialcare_cli.doctor.checks import Check
from socialcare_cli.stack_target import StackTarget


def alarm_checks(target: StackTarget) -> list[Check]:
    cloudwatch = target.client("cloudwatch")
    alarms = _stack_alarms(target, cloudwatch)
    if not alarms:
        return [Check("alarms notify a topic", False, "the stack has no alarms")]
    checks = [actions_check(alarms)]
    sns = target.client("sns")
    for topic in sorted({t for alarm in alarms for t in _topics(alarm)}):
        checks.append(topic_check(sns, topic))
    return checks


def _stack_alarms(target: StackTarget, cloudwatch: Any) -> list[dict[str, Any]]:
    if target.endpoint is None:
        resources = target.client("cloudformation").get_paginator("list_stack_resources")
        names = [
            r["PhysicalResourceId"]
            for page in resources.paginate(StackName=target.stack_name)
            for r in page["StackResourceSummaries"]
            if r["ResourceType"] == "AWS::CloudWatch::Alarm" and r.get("PhysicalResourceId")
        ]
        found = []
        for start in range(0, len(names), 100):  # AlarmNames: at most 100
            pages = cloudwatch.get_paginator("describe_alarms").paginate(
                AlarmNames=names[start : start + 100], AlarmTypes=["MetricAlarm"]
            )
            found += [a for page in pages for a in page["MetricAlarms"]]
        return found
    # The local stack has no CloudFormation: its alarms are named <prefix>-<logical id>.
    pages = cloudwatch.get_paginator("describe_alarms").paginate(
        AlarmNamePrefix=f"{target.stack_name}-", AlarmTypes=["MetricAlarm"]
    )
    return [a for page in pages for a in page["MetricAlarms"]]


def _topics(alarm: dict[str, Any]) -> list[str]:
    if not alarm.get("ActionsEnabled", True):
        return []
    return [a for a in alarm.get("AlarmActions", []) if a.split(":")[2:3] == ["sns"]]


def actions_check(alarms: list[dict[str, Any]]) -> Check:
    silent = sorted(a["AlarmName"] for a in alarms if not _topics(a))
    if silent:
        return Check(
            "alarms notify a topic",
            False,
            f"no SNS action (or actions disabled): {', '.join(silent)}",
        )
    count = len(alarms)
    return Check("alarms notify a topic", True, f"{count} alarm{'' if count == 1 else 's'}")


def topic_check(sns: Any, topic: str) -> Check:
    from botocore.exceptions import ClientError

    name = f"alarm topic subscribed ({topic.rsplit(':', 1)[-1]})"
    try:
        sns.get_topic_attributes(TopicArn=topic)
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("NotFound", "NotFoundException"):
            raise
        return Check(name, False, f"{topic} does not exist")
    pages = sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic)
    subscriptions = [s for page in pages for s in page["Subscriptions"]]
    confirmed = [s for s in subscriptions if _confirmed(sns, s)]
    if confirmed:
        return Check(name, True, ", ".join(f"{s['Protocol']} {s['Endpoint']}" for s in confirmed))
    if subscriptions:
        pending = ", ".join(f"{s['Protocol']} {s['Endpoint']}" for s in subscriptions)
        return Check(
            name,
            False,
            f"no confirmed subscription; pending: {pending} (follow the link SNS sent; "
            "it expires after 48 hours, then subscribe again)",
        )
    return Check(
        name,
        False,
        "no subscription: nobody receives the alarms (deploy with AlarmEmail, or "
        "aws sns subscribe)",
    )


def _confirmed(sns: Any, subscription: dict[str, Any]) -> bool:
    arn = subscription.get("SubscriptionArn", "")
    if not arn.startswith("arn:"):  # "PendingConfirmation" (or "Deleted")
        return False
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    return attributes.get("PendingConfirmation", "false") != "true"
