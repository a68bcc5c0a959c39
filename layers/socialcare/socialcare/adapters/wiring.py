"""Builds the production adapters from the settings, once per container."""

from __future__ import annotations

from functools import cache

import boto3

from socialcare.adapters.dynamodb_cases import DynamoDBCaseStore
from socialcare.adapters.secrets import PlatformSecretsSource
from socialcare.adapters.workflow import StepFunctionsWorkflowStarter
from socialcare.settings import get_settings


@cache
def case_store() -> DynamoDBCaseStore:
    return DynamoDBCaseStore(boto3.client("dynamodb"), get_settings().cases_table_name)


@cache
def workflow_starter() -> StepFunctionsWorkflowStarter:
    return StepFunctionsWorkflowStarter(
        boto3.client("stepfunctions"), get_settings().case_workflow_arn
    )


@cache
def platform_secrets() -> PlatformSecretsSource:
    settings = get_settings()
    return PlatformSecretsSource(
        settings.platform_secrets_id,
        client=boto3.client("secretsmanager"),
        max_age_seconds=settings.secrets_max_age_seconds,
    )
