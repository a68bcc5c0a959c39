"""What a deploy to a real account needs from template.yaml, read as AWS documents it:
names that two stacks in one account do not share, the permissions AWS's own examples
list, failures that reach a queue with an alarm."""

from __future__ import annotations

import re

import pytest

from socialcare_cli.local.template import Template, resolve
from tests.conftest import ROOT

TEMPLATE = Template.load(ROOT)
# https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html (Name)
SCHEDULE_NAME = re.compile(r"[0-9a-zA-Z\-_.]{1,64}")
LONGEST_STACK_NAME = 49  # README, Deploying


def _schedule_names(stack_name: str) -> set[str]:
    refs = {"AWS::StackName": stack_name}
    return {
        resolve(event["Properties"]["Name"], refs, {})
        for function in TEMPLATE.functions().values()
        for event in (function["Properties"].get("Events") or {}).values()
        if event["Type"] == "ScheduleV2"
    }


def test_two_stacks_in_one_account_name_their_schedules_apart():
    # Given production and staging deployed from the same template in one account
    production = _schedule_names("socialcare")
    staging = _schedule_names("socialcare-staging")
    # Then every schedule of each (three reports, the owed emails) has a name of its own
    # (the default group is shared)
    assert len(production) == len(staging) == 4
    assert production.isdisjoint(staging)
    # And the longest stack name the README allows still gives names Scheduler accepts
    for name in _schedule_names("s" * LONGEST_STACK_NAME):
        assert SCHEDULE_NAME.fullmatch(name), name


# AWS's example policy for a state machine that logs to CloudWatch Logs:
# https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
STEP_FUNCTIONS_LOGGING = {
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
}


def test_the_state_machine_role_may_do_what_aws_documents_for_logging():
    # Given the state machine's policy statements
    [machine] = TEMPLATE.of_type("AWS::Serverless::StateMachine").values()
    statements = [s for p in machine["Properties"]["Policies"] for s in p["Statement"]]
    # Then one allows exactly the actions of AWS's example, on "*" (they have no resource)
    [logging] = [s for s in statements if str(s["Action"]).count("logs:") > 1]
    assert set(logging["Action"]) == STEP_FUNCTIONS_LOGGING
    assert logging["Resource"] == "*"


def test_a_report_run_that_fails_lands_in_the_queue_its_alarm_watches():
    # Given the Scheduler invokes the report function asynchronously
    # (https://docs.aws.amazon.com/lambda/latest/dg/with-eventbridge-scheduler.html): the
    # Scheduler's DLQ only gets invocations it could not hand over; errors the function
    # raises need the function's own on-failure destination
    configs = [
        c["Properties"]
        for c in TEMPLATE.of_type("AWS::Lambda::EventInvokeConfig").values()
        if c["Properties"]["FunctionName"] == {"Ref": "ReportFunction"}
    ]
    # Then there is one, on the function's unpublished version, sending to a queue
    [config] = configs
    assert config["Qualifier"] == "$LATEST"
    assert 0 <= config["MaximumRetryAttempts"] <= 2
    destination = config["DestinationConfig"]["OnFailure"]["Destination"]
    [queue, attribute] = destination["Fn::GetAtt"]
    assert attribute == "Arn"
    assert TEMPLATE.resources[queue]["Type"] == "AWS::SQS::Queue"
    assert "FifoQueue" not in TEMPLATE.resources[queue]["Properties"]  # standard queues only
    # And the function's role may send to it (Lambda sends with the function's role)
    policies = TEMPLATE.functions()["ReportFunction"]["Properties"]["Policies"]
    assert any(
        s["Action"] == "sqs:SendMessage" and s["Resource"] == destination
        for p in policies
        for s in p["Statement"]
    )
    # And an alarm watches that queue's depth
    watched = [
        d["Value"]
        for a in TEMPLATE.of_type("AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == "ApproximateNumberOfMessagesVisible"
        for d in a["Properties"]["Dimensions"]
    ]
    assert {"Fn::GetAtt": [queue, "QueueName"]} in watched


def test_no_comment_calls_the_report_function_synchronous():
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    assert "the Scheduler with its own retries and DLQ): a Lambda DLQ" not in text


def test_make_security_excuses_only_the_logging_permission_aws_documents():
    from socialcare_cli.parliament_gate import undocumented

    # Given parliament's finding on the state machine's PutResourcePolicy, and the same
    # finding on another role's policy
    def finding(filepath: str) -> dict:
        location = {"actions": ["logs:putresourcepolicy"], "filepath": filepath}
        return {"issue": "PERMISSIONS_MANAGEMENT_ACTIONS", "location": location}

    documented = finding(".aws-sam/security/policies/CaseWorkflowRole-CaseWorkflowRolePolicy0.json")
    other = finding(
        ".aws-sam/security/policies/WebhookFunctionRole-WebhookFunctionRolePolicy0.json"
    )
    # Then only the documented one is excused
    assert undocumented([documented, other]) == [other]


def test_every_alarm_notifies_the_given_topic_or_the_stacks_own():
    # Given a deploy with AlarmTopicArn left empty (its default)
    assert TEMPLATE.parameter_defaults()["AlarmTopicArn"] == ""
    conditions = TEMPLATE.body["Conditions"]
    given = {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmTopicArn"}, ""]}]}
    assert conditions["HasAlarmTopic"] == given
    # Then the stack creates a topic exactly when none is given
    topic = TEMPLATE.resources["AlarmTopic"]
    assert topic["Type"] == "AWS::SNS::Topic"
    assert conditions[topic["Condition"]] == {"Fn::Not": [{"Condition": "HasAlarmTopic"}]}
    # And every alarm notifies one or the other: none is left without an action
    either = {"Fn::If": ["HasAlarmTopic", {"Ref": "AlarmTopicArn"}, {"Ref": "AlarmTopic"}]}
    alarms = TEMPLATE.of_type("AWS::CloudWatch::Alarm")
    assert len(alarms) >= 11
    for name, alarm in alarms.items():
        assert alarm["Properties"]["AlarmActions"] == [either], name
    # And the output says which topic to subscribe to
    assert TEMPLATE.body["Outputs"]["AlarmTopicArn"]["Value"] == either


def test_an_alarm_email_subscribes_to_the_stacks_topic():
    # Given AlarmEmail (empty by default: no subscription)
    parameter = TEMPLATE.body["Parameters"]["AlarmEmail"]
    assert parameter["Default"] == ""
    assert re.fullmatch(parameter["AllowedPattern"], "")
    assert re.fullmatch(parameter["AllowedPattern"], "ops@brand.example")
    assert not re.fullmatch(parameter["AllowedPattern"], "not an address")
    # Then an email subscription to the stack's topic exists when both apply
    subscription = TEMPLATE.resources["AlarmEmailSubscription"]
    assert subscription["Properties"] == {
        "TopicArn": {"Ref": "AlarmTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }
    condition = TEMPLATE.body["Conditions"][subscription["Condition"]]
    assert condition == {
        "Fn::And": [
            {"Condition": "CreateAlarmTopic"},
            {"Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmEmail"}, ""]}]},
        ]
    }


def _deploying_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Deploying\n", 1)[1].split("\n## ", 1)[0]


def test_the_prod_profile_deploys_without_a_question():
    import tomllib

    from samcli.cli.types import CfnParameterOverridesType

    # Given samconfig.toml's prod environment, read as the SAM CLI reads its overrides
    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))["prod"]
    deploy = config["deploy"]["parameters"]
    overrides = CfnParameterOverridesType().convert(deploy["parameter_overrides"], None, None)
    # Then `sam deploy --config-env prod` asks nothing and fails on nothing it need not
    assert deploy["confirm_changeset"] is False
    assert deploy["fail_on_empty_changeset"] is False
    assert deploy["capabilities"] == "CAPABILITY_IAM"
    assert deploy["resolve_s3"] is True
    assert config["global"]["parameters"]["region"]
    assert len(config["global"]["parameters"]["stack_name"]) <= LONGEST_STACK_NAME
    # And each override is a template parameter, the ones a brand must set among them
    parameters = set(TEMPLATE.body["Parameters"])
    assert set(overrides) <= parameters
    assert {"SenderEmail", "AlarmEmail", "TelegramBotId", "OutboundMode"} <= set(overrides)
    # (the links' domain named, empty until the brand has one: links then use execute-api)
    assert overrides["LinksDomainName"] == overrides["LinksCertificateArn"] == ""
    # And the README's Deploying section names every parameter
    section = _deploying_section()
    assert [p for p in sorted(parameters) if f"`{p}`" not in section] == []


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside the SAM CLI's reader
def test_the_readme_explains_each_route_without_aws_auth():
    # Given the HTTP API's routes, none behind an authoriser (platforms and link holders
    # cannot sign requests with AWS credentials)
    from samcli.commands.deploy.auth_utils import auth_per_resource
    from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider

    routes = TEMPLATE.http_routes()
    stacks, _ = SamLocalStackProvider.get_stacks(
        str(ROOT / "template.yaml"), global_parameter_overrides={"AWS::Region": "eu-west-1"}
    )
    # (what `sam deploy --guided` asks "has no authentication. Is this okay? [y/N]" about)
    unauthenticated = [name for name, ok in auth_per_resource(stacks) if not ok]
    assert len(unauthenticated) == len(routes) == 14
    # Then the Deploying section names each, deploys without --guided by default, and
    # tells a person who prefers --guided to answer y to each of SAM's questions
    section = _deploying_section()
    assert [r.route_key for r in routes if f"`{r.route_key}`" not in section] == []
    assert "sam deploy --config-env prod" in section
    assert "Security Constraints Not Satisfied" in section
