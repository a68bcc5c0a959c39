"""The template's operations resources created in the emulator as CloudFormation would
(IAM roles, the alarm topic and its subscriptions, the alarms, the schedules, each
function's environment as GetFunctionConfiguration answers it), and what a person sets
up once in a well-kept account: the SES identities verified, the alarm topic subscribed.

Honest about what the emulator does not do: moto keeps the alarms and the schedules, but
never evaluates an alarm nor runs a schedule (the reports run on demand, POST
/_local/reports/run).
"""

from __future__ import annotations

import json
import os
from typing import Any

from socialcare_cli.local.names import PREFIX
from socialcare_cli.local.stack_parts import StackParts
from socialcare_cli.local.template import resolve

# The local stack's own subscriber to the alarm topic: an SQS queue of the same account,
# which SNS confirms at once ("If the endpoint type is HTTP/S or email, or if the endpoint
# and the topic are not in the same Amazon Web Services account, the endpoint owner must
# run the ConfirmSubscription action", https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html).
# A deployed stack gets the AlarmEmail subscription, confirmed by a person.
ALARM_QUEUE = "AlarmNotifications"

# Environment variables the local stack sets otherwise than the template's defaults.
_LOCAL_OVERRIDES = ("OUTBOUND_MODE",)


class OperationsProvisioning(StackParts):
    """Mixed into LocalStack, after the functions and the state machine exist."""

    def _provision_operations(self) -> None:
        self._roles()
        self._alarm_topics()
        self._alarms()
        self._schedules()
        self.configure_functions()
        self._verify_identities()

    def _wanted(self, resource: dict[str, Any]) -> bool:
        return self.conditions.get(resource.get("Condition", ""), True)

    def _resolved(self, value: Any) -> Any:
        return resolve(value, self.refs, self.attributes, self.conditions)

    def _roles(self) -> None:
        iam = self.client("iam")
        for logical_id, resource in self.template.of_type("AWS::IAM::Role").items():
            trust = self._resolved(resource["Properties"]["AssumeRolePolicyDocument"])
            role = iam.create_role(
                RoleName=f"{PREFIX}-{logical_id}", AssumeRolePolicyDocument=json.dumps(trust)
            )
            self.attributes[f"{logical_id}.Arn"] = role["Role"]["Arn"]

    def _alarm_topics(self) -> None:
        sns = self.client("sns")
        for logical_id, resource in self.template.of_type("AWS::SNS::Topic").items():
            if self._wanted(resource):
                created = sns.create_topic(Name=f"{PREFIX}-{logical_id}")
                self.refs[logical_id] = created["TopicArn"]
        for resource in self.template.of_type("AWS::SNS::Subscription").values():
            if self._wanted(resource):
                props = self._resolved(resource["Properties"])
                sns.subscribe(**{k: props[k] for k in ("TopicArn", "Protocol", "Endpoint")})
        sqs = self.client("sqs")
        queue = sqs.create_queue(QueueName=f"{PREFIX}-{ALARM_QUEUE}")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
        topic = self._resolved(self.template.body["Outputs"]["AlarmTopicArn"]["Value"])
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn["Attributes"]["QueueArn"])

    def _alarms(self) -> None:
        cloudwatch = self.client("cloudwatch")
        for logical_id, resource in self.template.of_type("AWS::CloudWatch::Alarm").items():
            props = self._resolved(resource["Properties"])
            name = props.pop("AlarmName", f"{PREFIX}-{logical_id}")
            cloudwatch.put_metric_alarm(AlarmName=name, **props)

    def _schedules(self) -> None:
        """Each function's ScheduleV2 events, as SAM makes them (AWS::Scheduler::Schedule)."""
        scheduler = self.client("scheduler")
        for logical_id, function in self.template.functions().items():
            for event in function.get("Properties", {}).get("Events", {}).values():
                if event.get("Type") != "ScheduleV2":
                    continue
                props = self._resolved(event["Properties"])
                target = {"Arn": self.attributes[f"{logical_id}.Arn"], "RoleArn": props["RoleArn"]}
                passed = ("Input", "RetryPolicy", "DeadLetterConfig")
                target.update({k: props[k] for k in passed if k in props})
                request = {
                    "Name": props["Name"],
                    "ScheduleExpression": props["ScheduleExpression"],
                    "FlexibleTimeWindow": props.get("FlexibleTimeWindow", {"Mode": "OFF"}),
                    "State": props.get("State", "ENABLED"),
                    "Target": target,
                }
                optional = ("Description", "ScheduleExpressionTimezone", "GroupName")
                request.update({k: props[k] for k in optional if k in props})
                scheduler.create_schedule(**request)

    def configure_functions(self) -> None:
        """Each function's environment in the emulator, as GetFunctionConfiguration
        answers it for a deployed function (the handlers themselves read os.environ)."""
        functions = self.client("lambda")
        for logical_id in self.template.functions():
            variables = self.function_environment(logical_id)
            for name in _LOCAL_OVERRIDES:
                if name in variables and name in os.environ:
                    variables[name] = os.environ[name]
            functions.update_function_configuration(
                FunctionName=self.refs[logical_id], Environment={"Variables": variables}
            )

    def _verify_identities(self) -> None:
        """The sender, and every address routing.yaml emails: the account is in the
        sandbox (ses_account.py), where SES sends only to verified addresses; a person
        verifies each by following the link SES emails it, which the emulator takes as
        done."""
        from socialcare.config.loaders import routing_config

        ses = self.client("ses")
        sender = os.environ.get("SENDER_EMAIL") or self.refs.get("SenderEmail", "")
        for address in [sender, *routing_config().email_addresses()]:
            if address:
                ses.verify_email_identity(EmailAddress=address)
