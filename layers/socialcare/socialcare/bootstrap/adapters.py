"""The production adapters, each built once per Root from its settings and clients.

Each builder imports its adapter itself: a function pays only for the adapters it uses
(Powertools' parameters utility and the message models cost the workflow's cold start
about 150 ms when imported up front). A required setting is read before the client is
built, so a missing variable is what the error names."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from socialcare.bootstrap import Root

if TYPE_CHECKING:
    from socialcare.adapters.alarms import MetricTokenAlarm
    from socialcare.adapters.comprehend import ComprehendTextSignals
    from socialcare.adapters.dynamodb.crisis_digests import DynamoDBCrisisDigests
    from socialcare.adapters.dynamodb.customers import DynamoDBCustomerDirectory
    from socialcare.adapters.dynamodb.personal_data import DynamoDBPersonalData
    from socialcare.adapters.dynamodb.report_days import DynamoDBCaseDays
    from socialcare.adapters.dynamodb.send_slots import DynamoDBSendSlots
    from socialcare.adapters.dynamodb.table import CasesTable
    from socialcare.adapters.dynamodb.token_lock import DynamoDBRefreshLock
    from socialcare.adapters.platform_api.gateway import PlatformApis
    from socialcare.adapters.platform_api.graph_details import GraphDetails
    from socialcare.adapters.platform_api.http import HttpClient
    from socialcare.adapters.platform_api.media import PlatformMedia
    from socialcare.adapters.s3_reports import S3ReportStore
    from socialcare.adapters.secrets import PlatformSecretsSource, PlatformTokensSource, StackKey
    from socialcare.adapters.ses import SesEmailSender
    from socialcare.adapters.sqs_parking import SqsDeliveryParking
    from socialcare.adapters.step_functions import (
        StepFunctionsTaskTokens,
        StepFunctionsWorkflowStarter,
    )
    from socialcare.app.email_pacing import PacedSender
    from socialcare.domain.outbound import Delivery


def cases_table(root: Root) -> CasesTable:
    """The cases table every store of it shares (adapters/dynamodb/table.py)."""

    def build() -> CasesTable:
        from socialcare.adapters.dynamodb.table import CasesTable

        name = root.required("cases_table_name")
        return CasesTable(root.client("dynamodb"), name, root.settings.day_index_shards)

    return root.once("cases_table", build)


def personal_data_store(root: Root) -> DynamoDBPersonalData:
    def build() -> DynamoDBPersonalData:
        from socialcare.adapters.dynamodb.personal_data import DynamoDBPersonalData

        name = root.required("cases_table_name")
        return DynamoDBPersonalData(root.client("dynamodb"), name, root.settings.day_index_shards)

    return root.once("personal_data_store", build)


def customer_directory(root: Root) -> DynamoDBCustomerDirectory:
    def build() -> DynamoDBCustomerDirectory:
        from socialcare.adapters.dynamodb.customers import DynamoDBCustomerDirectory

        name = root.required("customers_table_name")
        return DynamoDBCustomerDirectory(root.client("dynamodb"), name)

    return root.once("customer_directory", build)


def case_days(root: Root) -> DynamoDBCaseDays:
    def build() -> DynamoDBCaseDays:
        from socialcare.adapters.dynamodb.report_days import DynamoDBCaseDays

        name = root.required("cases_table_name")
        return DynamoDBCaseDays(root.client("dynamodb"), name)

    return root.once("case_days", build)


def x_token_refresh_lock(root: Root) -> DynamoDBRefreshLock:
    """One container at a time refreshes X's token pair."""

    def build() -> DynamoDBRefreshLock:
        from socialcare.adapters.dynamodb.token_lock import DynamoDBRefreshLock

        name = root.required("cases_table_name")
        return DynamoDBRefreshLock(root.client("dynamodb"), name)

    return root.once("x_token_refresh_lock", build)


def workflow_starter(root: Root) -> StepFunctionsWorkflowStarter:
    def build() -> StepFunctionsWorkflowStarter:
        from socialcare.adapters.step_functions import StepFunctionsWorkflowStarter

        arn = root.required("case_workflow_arn")
        return StepFunctionsWorkflowStarter(root.client("stepfunctions"), arn)

    return root.once("workflow_starter", build)


def task_tokens(root: Root) -> StepFunctionsTaskTokens:
    """The workflow's waiting tasks, resumed by the department's answer."""

    def build() -> StepFunctionsTaskTokens:
        from socialcare.adapters.step_functions import StepFunctionsTaskTokens

        return StepFunctionsTaskTokens(root.client("stepfunctions"))

    return root.once("task_tokens", build)


def email_sender(root: Root) -> SesEmailSender:
    def build() -> SesEmailSender:
        from socialcare.adapters.ses import SesEmailSender

        sender = root.required("sender_email")
        return SesEmailSender(root.client("sesv2"), sender)

    return root.once("email_sender", build)


def paced_email_sender(root: Root, *, alert: bool = False) -> PacedSender:
    """SES within the second's share of its rate (app/email_pacing.py); `alert`: the
    urgent and crisis alerts' sender, which may use the share kept for them."""

    def build() -> PacedSender:
        from socialcare.app.email_pacing import PacedSender
        from socialcare.domain.clock import system_clock

        return PacedSender(email_sender(root), send_slots(root), system_clock, alert=alert)

    return root.once(f"paced_email_sender_{alert}", build)


def send_slots(root: Root) -> DynamoDBSendSlots:
    """The rate as configured (SES_MAX_SEND_RATE), else the account's, read from SES."""

    def build() -> DynamoDBSendSlots:
        from socialcare.adapters.dynamodb.send_slots import DynamoDBSendSlots

        table = cases_table(root)
        configured = root.settings.ses_max_send_rate
        if configured is not None:
            return DynamoDBSendSlots(table, lambda: configured)
        from socialcare.adapters.ses import SesSendRate

        return DynamoDBSendSlots(table, SesSendRate(root.client("sesv2")))

    return root.once("send_slots", build)


def crisis_digests(root: Root) -> DynamoDBCrisisDigests:
    """The social team's one crisis digest a topic a minute (claims kept per container)."""

    def build() -> DynamoDBCrisisDigests:
        from socialcare.adapters.dynamodb.crisis_digests import DynamoDBCrisisDigests

        return DynamoDBCrisisDigests(cases_table(root))

    return root.once("crisis_digests", build)


def text_signals(root: Root) -> ComprehendTextSignals | None:
    """Amazon Comprehend when switched on; None leaves triage to the rules."""

    def build() -> ComprehendTextSignals | None:
        settings = root.settings
        if settings.text_analysis != "comprehend":
            return None
        from socialcare.adapters.comprehend import ComprehendTextSignals

        return ComprehendTextSignals(root.client("comprehend"), settings.comprehend_min_score)

    return root.once("text_signals", build)


def report_store(root: Root) -> S3ReportStore:
    def build() -> S3ReportStore:
        from socialcare.adapters.s3_reports import S3ReportStore

        bucket = root.required("reports_bucket_name")
        return S3ReportStore(root.client("s3"), bucket)

    return root.once("report_store", build)


def platform_secrets(root: Root) -> PlatformSecretsSource:
    def build() -> PlatformSecretsSource:
        from socialcare.adapters.secrets import PlatformSecretsSource

        secret_id = root.required("platform_secrets_id")
        return PlatformSecretsSource(
            secret_id,
            client=root.client("secretsmanager"),
            max_age_seconds=root.settings.secrets_max_age_seconds,
        )

    return root.once("platform_secrets", build)


def platform_tokens(root: Root) -> PlatformTokensSource:
    """The brand's access tokens (read when the first action is sent)."""

    def build() -> PlatformTokensSource:
        from socialcare.adapters.secrets import PlatformTokensSource

        secret_id = root.required("platform_tokens_secret_id")
        return PlatformTokensSource(
            secret_id,
            client=root.client("secretsmanager"),
            max_age_seconds=root.settings.secrets_max_age_seconds,
        )

    return root.once("platform_tokens", build)


def link_secret(root: Root) -> StackKey:
    """The key that signs the managers' report links."""
    return root.once("link_secret", lambda: _stack_key(root, "report_link_secret_id"))


def delivery_seal_key(root: Root) -> StackKey:
    """The key that seals parked deliveries (read only when one is parked or replayed)."""
    return root.once("delivery_seal_key", lambda: _stack_key(root, "delivery_seal_secret_id"))


def _stack_key(root: Root, setting: str) -> StackKey:
    from socialcare.adapters.secrets import StackKey

    secret_id = root.required(setting)
    return StackKey(
        secret_id,
        client=root.client("secretsmanager"),
        max_age_seconds=root.settings.secrets_max_age_seconds,
    )


def delivery_parking(root: Root) -> SqsDeliveryParking | None:
    """Where deliveries that could not be recorded wait for `socialcare replay`; the
    client is built when one is parked."""

    def build() -> SqsDeliveryParking | None:
        from socialcare.adapters.sqs_parking import SqsDeliveryParking

        url = root.settings.failed_deliveries_queue_url
        return SqsDeliveryParking(lambda: root.client("sqs"), url) if url else None

    return root.once("delivery_parking", build)


def token_alarm(root: Root) -> MetricTokenAlarm:
    """PlatformTokenInvalid, flushed with the handler's metrics."""

    def build() -> MetricTokenAlarm:
        from socialcare.adapters.alarms import MetricTokenAlarm

        return MetricTokenAlarm()

    return root.once("token_alarm", build)


class LazyGateway:
    """Built on the first action sent: most triage batches send nothing, and reading the
    tokens' secret would weigh on every cold start."""

    def __init__(self, root: Root) -> None:
        self._root = root

    def send(self, delivery: Delivery) -> str:
        return platform_apis(self._root).send(delivery)

    def find_sent(self, delivery: Delivery) -> str | None:
        return platform_apis(self._root).find_sent(delivery)


def platform_gateway(root: Root) -> LazyGateway:
    return root.once("platform_gateway", lambda: LazyGateway(root))


def platform_apis(root: Root) -> PlatformApis:
    """The platforms' APIs, over one connection pool per root."""

    def build() -> PlatformApis:
        from socialcare.adapters.platform_api.gateway import PlatformApis
        from socialcare.adapters.platform_api.meta import GraphApi
        from socialcare.adapters.platform_api.telegram import TelegramApi
        from socialcare.adapters.platform_api.x import XApi
        from socialcare.adapters.platform_api.x_tokens import XTokens

        settings = root.settings
        http = _http(root)
        tokens = platform_tokens(root)
        lock, alarm = x_token_refresh_lock(root), token_alarm(root)
        sleep = root.once("sleep", lambda: time.sleep)  # waits for another's refresh
        x_tokens = XTokens(http, settings.x_api_url, tokens, lock, alarm, sleep=sleep)
        return PlatformApis(
            GraphApi(http, settings.meta_graph_api_url, tokens),
            XApi(http, settings.x_api_url, x_tokens),
            TelegramApi(http, settings.telegram_api_url, tokens),
        )

    return root.once("platform_apis", build)


def platform_details(root: Root) -> GraphDetails | None:
    """Triage's reads on the Graph API (a mention's words, an author's name); None in
    dry-run, where nothing reaches the platforms."""

    def build() -> GraphDetails | None:
        settings = root.settings
        if settings.outbound_mode != "live":
            return None
        from socialcare.adapters.platform_api.graph_details import GraphDetails

        return GraphDetails(_http(root), settings.meta_graph_api_url, platform_tokens(root))

    return root.once("platform_details", build)


def platform_media(root: Root) -> PlatformMedia:
    """The platforms' media endpoints, for the department's media links."""

    def build() -> PlatformMedia:
        from socialcare.adapters.platform_api.media import PlatformMedia

        settings = root.settings
        return PlatformMedia(
            _http(root),
            settings.meta_graph_api_url,
            settings.telegram_api_url,
            platform_tokens(root),
        )

    return root.once("platform_media", build)


def _http(root: Root) -> HttpClient:
    """A connection pool of its own for each of the platforms' adapters."""
    from socialcare.adapters.platform_api.http import HttpClient

    return HttpClient(read_timeout=root.settings.outbound_timeout_seconds)
