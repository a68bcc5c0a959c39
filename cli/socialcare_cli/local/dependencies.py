"""The webhook's adapters on the local stack, as production builds them, with the clients a
scenario wants to fail (botocore hooks) put in their place."""

from __future__ import annotations

from typing import Any

from socialcare_cli.local.stack import LocalStack


def webhook_dependencies(stack: LocalStack, *, dynamodb: Any = None) -> Any:
    from socialcare.adapters.dynamodb.case_notes import DynamoDBCaseNotes
    from socialcare.adapters.dynamodb.delivery_reports import DynamoDBDeliveryReports
    from socialcare.adapters.dynamodb.intake import DynamoDBMessageRecords
    from socialcare.adapters.dynamodb.surveys import DynamoDBSurveyRecords
    from socialcare.adapters.dynamodb.table import CasesTable
    from socialcare.adapters.secrets import PlatformSecretsSource, StackKey
    from socialcare.adapters.sqs_parking import SqsDeliveryParking
    from socialcare.app.webhook import WebhookDependencies
    from socialcare.domain.clock import system_clock

    secretsmanager = stack.client("secretsmanager")
    table = CasesTable(dynamodb or stack.client("dynamodb"), stack.cases_table)
    return WebhookDependencies(
        messages=DynamoDBMessageRecords(table),
        notes=DynamoDBCaseNotes(table),
        delivery_reports=DynamoDBDeliveryReports(table),
        survey_answers=DynamoDBSurveyRecords(table),
        secrets=PlatformSecretsSource(stack.refs["PlatformSecrets"], client=secretsmanager),
        clock=system_clock,
        telegram_bot_id=stack.refs["TelegramBotId"],
        parking=SqsDeliveryParking(stack.client("sqs"), stack.refs["FailedDeliveriesQueue"]),
        seal_key=StackKey(stack.refs["DeliverySealSecret"], client=secretsmanager),
    )


def triage_dependencies(
    stack: LocalStack, *, dynamodb: Any = None, stepfunctions: Any = None
) -> Any:
    """The triage function's adapters on the local stack, with clients a scenario wants to
    fail in place of the real ones."""
    from socialcare.adapters.dynamodb.alerts import DynamoDBCaseAlerts
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
    from socialcare.adapters.dynamodb.customers import DynamoDBCustomerDirectory
    from socialcare.adapters.dynamodb.links import DynamoDBFollowUpLinks
    from socialcare.adapters.dynamodb.outbound import DynamoDBOutboundActions
    from socialcare.adapters.dynamodb.owed_emails import DynamoDBOwedEmails
    from socialcare.adapters.dynamodb.table import CasesTable
    from socialcare.adapters.ses import SesEmailSender
    from socialcare.adapters.step_functions import StepFunctionsWorkflowStarter
    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.triage import Triager
    from socialcare.domain.clock import system_clock
    from socialcare.domain.routing import Retention
    from socialcare.presentation.case_emails import CaseEmailComposer
    from socialcare.presentation.replies import ReplyWriter
    from socialcare.settings import get_settings

    settings = get_settings()
    triager = Triager()
    table = CasesTable(dynamodb or stack.client("dynamodb"), stack.cases_table)
    states = DynamoDBCaseStates(table, Retention())
    return TriageDependencies(
        cases=DynamoDBCaseReader(table),
        triage=states,
        closing=states,
        alerts=DynamoDBCaseAlerts(table),
        owed_emails=DynamoDBOwedEmails(table),
        uncertain=DynamoDBOutboundActions(table),
        follow_ups=DynamoDBFollowUpLinks(table),
        customers=DynamoDBCustomerDirectory(stack.client("dynamodb"), stack.refs["CustomersTable"]),
        email=SesEmailSender(stack.client("sesv2"), settings.sender_email),
        emails=CaseEmailComposer(triager.routing, settings.actions_base_url),
        triager=triager,
        replies=ReplyWriter(),
        workflows=StepFunctionsWorkflowStarter(
            stepfunctions or stack.client("stepfunctions"), stack.case_workflow_arn
        ),
        clock=system_clock,
        time_scale=settings.time_scale,
    )


def outbound_container(
    stack: LocalStack,
    alarm: Any,
    *,
    secretsmanager: Any = None,
    sleep: Any = None,
) -> Any:
    """One Lambda container's outbound dependencies, wired as production wires them: its
    own cache of PlatformTokensSecret and its own connections, the stack's one X refresh
    lock; `secretsmanager`: a client a scenario wants to fail in place of the real one."""
    import time

    from socialcare.adapters.dynamodb.outbound import DynamoDBOutboundActions
    from socialcare.adapters.dynamodb.table import CasesTable
    from socialcare.adapters.dynamodb.token_lock import DynamoDBRefreshLock
    from socialcare.adapters.platform_api.gateway import PlatformApis
    from socialcare.adapters.platform_api.http import HttpClient
    from socialcare.adapters.platform_api.meta import GraphApi
    from socialcare.adapters.platform_api.telegram import TelegramApi
    from socialcare.adapters.platform_api.x import XApi
    from socialcare.adapters.platform_api.x_tokens import XTokens
    from socialcare.adapters.secrets import PlatformTokensSource
    from socialcare.app.outbound import OutboundDependencies
    from socialcare.config.loaders import outbound_config
    from socialcare.domain.clock import system_clock
    from socialcare.settings import get_settings

    settings = get_settings()
    dynamodb = stack.client("dynamodb")
    tokens = PlatformTokensSource(
        stack.refs["PlatformTokensSecret"], client=secretsmanager or stack.client("secretsmanager")
    )
    http = HttpClient(read_timeout=settings.outbound_timeout_seconds)
    lock = DynamoDBRefreshLock(dynamodb, stack.cases_table)
    x_tokens = XTokens(http, settings.x_api_url, tokens, lock, alarm, sleep=sleep or time.sleep)
    return OutboundDependencies(
        store=DynamoDBOutboundActions(CasesTable(dynamodb, stack.cases_table)),
        platforms=PlatformApis(
            GraphApi(http, settings.meta_graph_api_url, tokens),
            XApi(http, settings.x_api_url, x_tokens),
            TelegramApi(http, settings.telegram_api_url, tokens),
        ),
        config=outbound_config(),
        clock=system_clock,
        mode="live",
        alarm=alarm,
        time_scale=settings.time_scale,
    )
