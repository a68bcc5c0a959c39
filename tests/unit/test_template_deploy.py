"""What a deploy to a real account needs from template.yaml, read as AWS documents it:
names that two stacks in one account do not share, the permissions AWS's own examples
list, failures that reach a queue with an alarm."""

from __future__ import annotations

import re

from socialcare_cli.local.template import Template, resolve
from tests.conftest import ROOT

TEMPLATE = Template.load(ROOT)
# https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html (Name)
SCHEDULE_NAME = re.compile(r"[0-9a-zA-Z\-_.]{1,64}")
LONGEST_STACK_NAME = 49  # README, Deploying


def _schedule_names(stack_name: str) -> set[str]:
    events = TEMPLATE.functions()["ReportFunction"]["Properties"]["Events"]
    refs = {"AWS::StackName": stack_name}
    return {
        resolve(event["Properties"]["Name"], refs, {})
        for event in events.values()
        if event["Type"] == "ScheduleV2"
    }


def test_two_stacks_in_one_account_name_their_schedules_apart():
    # Given production and staging deployed from the same template in one account
    production = _schedule_names("socialcare")
    staging = _schedule_names("socialcare-staging")
    # Then the three schedules of each have names of their own (the default group is shared)
    assert len(production) == len(staging) == 3
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
