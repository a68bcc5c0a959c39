"""Schedules: each ScheduleV2 event of template.yaml (the daily, weekly and monthly
reports, the owed emails) exists and is enabled, found by the name the template gives it
(`${AWS::StackName}-...`) with EventBridge Scheduler GetSchedule
(https://docs.aws.amazon.com/scheduler/latest/APIReference/API_GetSchedule.html; a
missing one is ResourceNotFoundException)."""

from __future__ import annotations

from typing import Any

from socialcare_cli.doctor.checks import Check
from socialcare_cli.stack_target import StackTarget

# The local stack's emulator keeps schedules but never runs them.
_LOCAL_NOTE = "; local: kept, never run (reports: POST /_local/reports/run)"


def schedule_names(stack_name: str) -> list[str]:
    from socialcare_cli.local.stack import project_root
    from socialcare_cli.local.template import Template, resolve

    template = Template.load(project_root())
    refs = {"AWS::StackName": stack_name}
    return sorted(
        resolve(event["Properties"]["Name"], refs, {})
        for function in template.functions().values()
        for event in function.get("Properties", {}).get("Events", {}).values()
        if event.get("Type") == "ScheduleV2"
    )


def schedule_checks(target: StackTarget) -> list[Check]:
    scheduler = target.client("scheduler")
    note = _LOCAL_NOTE if target.endpoint is not None else ""
    return [
        schedule_check(scheduler, name, name.removeprefix(f"{target.stack_name}-"), note)
        for name in schedule_names(target.stack_name)
    ]


def schedule_check(scheduler: Any, name: str, label: str, note: str = "") -> Check:
    from botocore.exceptions import ClientError

    check = f"schedule {label}"
    try:
        schedule = scheduler.get_schedule(Name=name)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        return Check(check, False, f"{name} does not exist: deploy the stack again (sam deploy)")
    if schedule.get("State") != "ENABLED":
        return Check(check, False, f"{name} is {schedule.get('State')}: enable it")
    when = schedule["ScheduleExpression"]
    zone = schedule.get("ScheduleExpressionTimezone", "UTC")
    return Check(check, True, f"{when} {zone}{note}")
