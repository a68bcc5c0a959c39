"""Builds the production adapters from the settings, once per container."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3

from socialcare.settings import get_settings, required

# Each builder imports its adapter itself: a function pays only for the adapters it uses
# (Powertools' parameters utility and the message models cost the workflow's cold start
# about 150 ms when imported here).


def client_config(service: str) -> Any:
    """DynamoDB requests are built by our adapters, and DynamoDB validates each itself:
    botocore's client-side validation of every attribute of every item was half of a
    warm delivery's time (`make bench`)."""
    from botocore.config import Config

    return Config(parameter_validation=service != "dynamodb")


@cache
def _client(service: str) -> Any:
    """One client per service and container: clients are thread-safe, and each costs
    tens of milliseconds of a cold start."""
    return boto3.client(service, config=client_config(service))


@cache
def cases_table():
    """The cases table every store of it shares (adapters/dynamodb/table.py)."""
    from socialcare.adapters.dynamodb.table import CasesTable

    name = required("cases_table_name")  # before the client: a missing variable is named first
    return CasesTable(_client("dynamodb"), name)


@cache
def case_reader():
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader

    return DynamoDBCaseReader(cases_table())


@cache
def message_records():
    from socialcare.adapters.dynamodb.intake import DynamoDBMessageRecords

    return DynamoDBMessageRecords(cases_table())


@cache
def case_notes():
    from socialcare.adapters.dynamodb.case_notes import DynamoDBCaseNotes

    return DynamoDBCaseNotes(cases_table())


@cache
def delivery_reports():
    from socialcare.adapters.dynamodb.delivery_reports import DynamoDBDeliveryReports

    return DynamoDBDeliveryReports(cases_table())


@cache
def survey_records():
    from socialcare.adapters.dynamodb.surveys import DynamoDBSurveyRecords

    return DynamoDBSurveyRecords(cases_table())


@cache
def workflow_starter():
    from socialcare.adapters.step_functions import StepFunctionsWorkflowStarter

    name = required("case_workflow_arn")  # before the client: a missing variable is named first
    return StepFunctionsWorkflowStarter(_client("stepfunctions"), name)


@cache
def platform_secrets():
    from socialcare.adapters.secrets import PlatformSecretsSource

    settings = get_settings()
    return PlatformSecretsSource(
        required("platform_secrets_id"),
        client=_client("secretsmanager"),
        max_age_seconds=settings.secrets_max_age_seconds,
    )


@cache
def case_states():
    from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
    from socialcare.config.loaders import routing_config

    return DynamoDBCaseStates(cases_table(), routing_config().retention)


@cache
def action_links():
    from socialcare.adapters.dynamodb.action_links import DynamoDBActionLinks

    return DynamoDBActionLinks(cases_table())


@cache
def case_alerts():
    from socialcare.adapters.dynamodb.alerts import DynamoDBCaseAlerts

    return DynamoDBCaseAlerts(cases_table())


@cache
def outbound_actions():
    from socialcare.adapters.dynamodb.outbound import DynamoDBOutboundActions

    return DynamoDBOutboundActions(cases_table())


@cache
def owed_emails():
    from socialcare.adapters.dynamodb.owed_emails import DynamoDBOwedEmails

    return DynamoDBOwedEmails(cases_table())


@cache
def publish_links():
    from socialcare.adapters.dynamodb.links import DynamoDBPublishLinks

    return DynamoDBPublishLinks(cases_table())


@cache
def follow_up_links():
    from socialcare.adapters.dynamodb.links import DynamoDBFollowUpLinks

    return DynamoDBFollowUpLinks(cases_table())


def personal_data_store():
    from socialcare.adapters.dynamodb.personal_data import DynamoDBPersonalData

    name = required("cases_table_name")  # before the client: a missing variable is named first
    return DynamoDBPersonalData(_client("dynamodb"), name)


@cache
def customer_directory():
    from socialcare.adapters.dynamodb.customers import DynamoDBCustomerDirectory

    name = required("customers_table_name")  # before the client: a missing variable is named first
    return DynamoDBCustomerDirectory(_client("dynamodb"), name)


@cache
def email_sender():
    from socialcare.adapters.ses import SesEmailSender

    name = required("sender_email")  # before the client: a missing variable is named first
    return SesEmailSender(_client("sesv2"), name)


@cache
def task_tokens():
    return _client("stepfunctions")


@cache
def text_signals():
    """Amazon Comprehend when switched on; None leaves triage to the rules."""
    settings = get_settings()
    if settings.text_analysis != "comprehend":
        return None
    from socialcare.adapters.comprehend import ComprehendTextSignals

    return ComprehendTextSignals(_client("comprehend"), settings.comprehend_min_score)


@cache
def case_days():
    from socialcare.adapters.dynamodb.report_days import DynamoDBCaseDays

    name = required("cases_table_name")  # before the client: a missing variable is named first
    return DynamoDBCaseDays(_client("dynamodb"), name)


@cache
def report_store():
    from botocore.config import Config

    from socialcare.adapters.s3_reports import S3ReportStore

    # SigV4: presigned links up to the 7 days the managers' email promises.
    bucket = required("reports_bucket_name")
    client = boto3.client("s3", config=Config(signature_version="s3v4"))
    return S3ReportStore(client, bucket)


@cache
def link_secret():
    """The key that signs the managers' report links."""
    return _stack_key(required("report_link_secret_id"))


@cache
def delivery_seal_key():
    """The key that seals parked deliveries (read only when one is parked or replayed)."""
    return _stack_key(required("delivery_seal_secret_id"))


def _stack_key(secret_id: str):
    from socialcare.adapters.secrets import StackKey

    return StackKey(
        secret_id,
        client=_client("secretsmanager"),
        max_age_seconds=get_settings().secrets_max_age_seconds,
    )


@cache
def delivery_parking():
    """Where deliveries that could not be recorded wait for `socialcare replay`."""
    from socialcare.adapters.sqs_parking import SqsDeliveryParking

    url = get_settings().failed_deliveries_queue_url
    return SqsDeliveryParking(lambda: _client("sqs"), url) if url else None


@cache
def platform_tokens():
    """The brand's access tokens (read when the first action is sent)."""
    from socialcare.adapters.secrets import PlatformTokensSource

    return PlatformTokensSource(
        required("platform_tokens_secret_id"),
        client=_client("secretsmanager"),
        max_age_seconds=get_settings().secrets_max_age_seconds,
    )


@cache
def token_alarm():
    """PlatformTokenInvalid, flushed with the handler's metrics."""
    from socialcare.adapters.alarms import MetricTokenAlarm

    return MetricTokenAlarm()


@cache
def x_token_refresh_lock():
    """One container at a time refreshes X's token pair."""
    from socialcare.adapters.dynamodb.token_lock import DynamoDBRefreshLock

    name = required("cases_table_name")  # before the client: a missing variable is named first
    return DynamoDBRefreshLock(_client("dynamodb"), name)


class _LazyGateway:
    """Built on the first action sent: most triage batches send nothing, and reading the
    tokens' secret (Powertools' parameters) would weigh on every cold start."""

    def __init__(self) -> None:
        self._apis: Any = None

    def send(self, delivery: Any) -> str:
        return self._built().send(delivery)

    def find_sent(self, delivery: Any) -> str | None:
        return self._built().find_sent(delivery)

    def _built(self) -> Any:
        if self._apis is None:
            self._apis = _platform_apis()
        return self._apis


@cache
def platform_gateway():
    return _LazyGateway()


@cache
def outbound_dependencies():
    """The outbound use case's ports and settings (triage and the link pages share them)."""
    from socialcare.app.outbound import OutboundDependencies
    from socialcare.config.loaders import outbound_config
    from socialcare.domain.clock import system_clock

    settings = get_settings()
    return OutboundDependencies(
        store=outbound_actions(),
        platforms=platform_gateway(),
        config=outbound_config(),
        clock=system_clock,
        mode=settings.outbound_mode,
        alarm=token_alarm(),
        time_scale=settings.time_scale,
    )


def survey_dependencies(base_url: str):
    """The satisfaction survey's ports; `base_url`: where the survey page is served."""
    from socialcare.app.surveys import SurveyDependencies
    from socialcare.config.loaders import routing_config, survey_config
    from socialcare.domain.clock import system_clock

    root = (base_url or get_settings().actions_base_url or "").rstrip("/")
    return SurveyDependencies(
        cases=case_reader(),
        surveys=survey_records(),
        outbound=outbound_dependencies(),
        config=survey_config(),
        clock=system_clock,
        default_language=routing_config().default_language,
        page_url=lambda link_id: f"{root}/survey/{link_id}",
    )


@cache
def platform_details():
    """Triage's reads on the Graph API (a mention's words, an author's name); None in
    dry-run, where nothing reaches the platforms."""
    settings = get_settings()
    if settings.outbound_mode != "live":
        return None
    from socialcare.adapters.platform_api.graph_details import GraphDetails
    from socialcare.adapters.platform_api.http import HttpClient

    http = HttpClient(read_timeout=settings.outbound_timeout_seconds)
    return GraphDetails(http, settings.meta_graph_api_url, platform_tokens())


@cache
def platform_media():
    """The platforms' media endpoints, for the department's media links."""
    from socialcare.adapters.platform_api.http import HttpClient
    from socialcare.adapters.platform_api.media import PlatformMedia

    settings = get_settings()
    http = HttpClient(read_timeout=settings.outbound_timeout_seconds)
    return PlatformMedia(
        http, settings.meta_graph_api_url, settings.telegram_api_url, platform_tokens()
    )


def _platform_apis():
    """The platforms' APIs, over one connection pool per container."""
    from socialcare.adapters.platform_api.gateway import PlatformApis
    from socialcare.adapters.platform_api.http import HttpClient
    from socialcare.adapters.platform_api.meta import GraphApi
    from socialcare.adapters.platform_api.telegram import TelegramApi
    from socialcare.adapters.platform_api.x import XApi
    from socialcare.adapters.platform_api.x_tokens import XTokens

    settings = get_settings()
    http = HttpClient(read_timeout=settings.outbound_timeout_seconds)
    tokens = platform_tokens()
    x_tokens = XTokens(http, settings.x_api_url, tokens, x_token_refresh_lock(), token_alarm())
    return PlatformApis(
        GraphApi(http, settings.meta_graph_api_url, tokens),
        XApi(http, settings.x_api_url, x_tokens),
        TelegramApi(http, settings.telegram_api_url, tokens),
    )
