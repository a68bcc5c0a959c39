"""Helpers of the webhook handler tests: the real adapters on the local stack, or failing."""

from __future__ import annotations

import json

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from socialcare.adapters.dynamodb.case_notes import DynamoDBCaseNotes
from socialcare.adapters.dynamodb.delivery_reports import DynamoDBDeliveryReports
from socialcare.adapters.dynamodb.intake import DynamoDBMessageRecords
from socialcare.adapters.dynamodb.surveys import DynamoDBSurveyRecords
from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.adapters.secrets import PlatformSecretsSource, StackKey
from socialcare.app.webhook import WebhookDependencies
from socialcare.domain.clock import system_clock
from socialcare_cli.local.stack import LocalStack


def client(stack: LocalStack, service: str, *, fail: set[str] | None = None, times: int = 0):
    """A client of the local stack whose calls named in `fail` answer a throttling error
    (the first `times` of them; all when 0), through botocore's own event hooks."""
    made = boto3.client(
        service,
        endpoint_url=stack.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"total_max_attempts": 1}),
    )
    failures = {"left": times or 10**9}

    def throttle(model, **_):
        if model.name in (fail or set()) and failures["left"] > 0:
            failures["left"] -= 1
            error = {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}
            return AWSResponse(stack.endpoint_url, 400, {}, None), error
        return None

    made.meta.events.register(f"before-call.{made.meta.service_model.service_name}", throttle)
    return made


def dependencies(stack: LocalStack, *, dynamodb=None, clock=None) -> WebhookDependencies:
    table = CasesTable(dynamodb or client(stack, "dynamodb"), stack.cases_table)
    return WebhookDependencies(
        messages=DynamoDBMessageRecords(table),
        notes=DynamoDBCaseNotes(table),
        delivery_reports=DynamoDBDeliveryReports(table),
        survey_answers=DynamoDBSurveyRecords(table),
        secrets=PlatformSecretsSource(
            stack.refs["PlatformSecrets"], client=client(stack, "secretsmanager")
        ),
        clock=clock or system_clock,
        telegram_bot_id="socialcare_bot",
        seal_key=StackKey(stack.refs["DeliverySealSecret"], client=client(stack, "secretsmanager")),
    )


def deliver(stack: LocalStack, event, deps=None):
    response = stack.function("WebhookFunction").invoke(
        event, dependencies=deps or dependencies(stack)
    )
    return response["statusCode"], json.loads(response["body"]) if response.get(
        "body", ""
    ).startswith(("{", "[")) else response.get("body")


def executions_by_case(stack: LocalStack) -> dict[str, int]:
    """Once every case is past triage (most then wait days for a department)."""
    stack.wait_until_triaged()
    counts: dict[str, int] = {}
    for execution in stack.executions():
        counts[execution["name"]] = counts.get(execution["name"], 0) + 1
    return counts


def assert_one_workflow_per_derived_case(stack: LocalStack) -> list[dict]:
    """Every case triaged once; one execution per derived case, none for one triage
    closed (autonomous or spam). The cases."""
    executions = executions_by_case(stack)
    cases = stack.list_cases()
    closed_by_triage = {"autonomous", "spam"}
    expected = {f"case-{c['id']}": 1 for c in cases if c["status"] not in closed_by_triage}
    assert executions == expected
    for case in cases:
        assert [e["kind"] for e in case["timeline"]].count("triaged") == 1, case["id"]
    return cases
