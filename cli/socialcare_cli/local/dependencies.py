"""The webhook's adapters on the local stack, as production builds them, with the clients a
scenario wants to fail (botocore hooks) put in their place."""

from __future__ import annotations

from typing import Any

from socialcare_cli.local.stack import LocalStack


def webhook_dependencies(
    stack: LocalStack, *, dynamodb: Any = None, stepfunctions: Any = None
) -> Any:
    from socialcare.adapters.dynamodb.cases import DynamoDBCaseStore
    from socialcare.adapters.secrets import PlatformSecretsSource, StackKey
    from socialcare.adapters.sqs_parking import SqsDeliveryParking
    from socialcare.adapters.step_functions import StepFunctionsWorkflowStarter
    from socialcare.app.webhook import WebhookDependencies
    from socialcare.domain.clock import system_clock

    secretsmanager = stack.client("secretsmanager")
    return WebhookDependencies(
        store=DynamoDBCaseStore(dynamodb or stack.client("dynamodb"), stack.cases_table),
        workflows=StepFunctionsWorkflowStarter(
            stepfunctions or stack.client("stepfunctions"), stack.case_workflow_arn
        ),
        secrets=PlatformSecretsSource(stack.refs["PlatformSecrets"], client=secretsmanager),
        clock=system_clock,
        telegram_bot_id=stack.refs["TelegramBotId"],
        parking=SqsDeliveryParking(stack.client("sqs"), stack.refs["FailedDeliveriesQueue"]),
        seal_key=StackKey(stack.refs["DeliverySealSecret"], client=secretsmanager),
    )
