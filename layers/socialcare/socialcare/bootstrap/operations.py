"""What the operator's commands run against a stack: `Root(settings, client)` with the
settings read from a deployed stack's outputs (or the local stack's), the clients the
operator's credentials (or the local emulator) give. Each builder imports its adapter
when called: a command pays only for what it runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socialcare.bootstrap import Root, adapters

if TYPE_CHECKING:
    from socialcare.adapters.cognito_users import CognitoConsoleUsers
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.customer_list import DynamoDBCustomerList
    from socialcare.adapters.dynamodb.past_cases import DynamoDBPastCases
    from socialcare.adapters.dynamodb.person_index import PersonIndexMigration
    from socialcare.adapters.dynamodb.table_scan import DynamoDBTableScan
    from socialcare.adapters.platform_api.x_tokens import XTokens
    from socialcare.app.privacy import PrivacyDependencies
    from socialcare.ports.outbound import TokenAlarm


def privacy(root: Root) -> PrivacyDependencies:
    """`socialcare privacy`: the use case runs in the operator's process, so the audit
    names the caller's identity (STS), not a function's role."""
    from socialcare.adapters.dynamodb.customers import DynamoDBCustomerRecords
    from socialcare.adapters.s3_report_files import S3ReportFiles
    from socialcare.adapters.secrets import StackKey
    from socialcare.adapters.sqs_parked_people import SqsParkedDeliveries
    from socialcare.adapters.step_functions import StepFunctionsWorkflows
    from socialcare.app.privacy import PrivacyDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from socialcare.presentation.report_redaction import redact_report

    seal_key = StackKey(
        root.required("delivery_seal_secret_id"), client=root.client("secretsmanager")
    )
    return PrivacyDependencies(
        store=adapters.personal_data_store(root),
        customers=DynamoDBCustomerRecords(
            root.client("dynamodb"), root.required("customers_table_name")
        ),
        parked=SqsParkedDeliveries(
            root.client("sqs"), root.required("failed_deliveries_queue_url"), seal_key
        ),
        reports=S3ReportFiles(root.client("s3"), root.required("reports_bucket_name")),
        workflows=StepFunctionsWorkflows(root.client("stepfunctions")),
        redact_report=redact_report,
        routing=routing_config(),
        clock=system_clock,
        actor=lambda: str(root.client("sts").get_caller_identity()["Arn"]),
    )


def person_index_migration(root: Root) -> PersonIndexMigration:
    """`socialcare privacy index`: cases and identities written before the person index."""
    from socialcare.adapters.dynamodb.person_index import PersonIndexMigration
    from socialcare.config.loaders import routing_config

    return PersonIndexMigration(
        root.client("dynamodb"), root.required("cases_table_name"), routing_config().retention
    )


def customer_list(root: Root) -> DynamoDBCustomerList:
    """`socialcare customers load`: the brand's known customers, written whole."""
    from socialcare.adapters.dynamodb.customer_list import DynamoDBCustomerList

    return DynamoDBCustomerList(root.client("dynamodb"), root.required("customers_table_name"))


def x_user_tokens(root: Root, alarm: TokenAlarm, read_timeout: float) -> XTokens:
    """The brand's X user token as the stack's containers hold it: renewed under the
    stack's own refresh lock and saved in its tokens secret, read afresh each time
    (max age 0: a person's command must see the pair a container just saved)."""
    from socialcare.adapters.dynamodb.token_lock import DynamoDBRefreshLock
    from socialcare.adapters.platform_api.http import HttpClient
    from socialcare.adapters.platform_api.x_tokens import XTokens
    from socialcare.adapters.secrets import PlatformTokensSource

    store = PlatformTokensSource(
        root.required("platform_tokens_secret_id"),
        client=root.client("secretsmanager"),
        max_age_seconds=0,
    )
    lock = DynamoDBRefreshLock(root.client("dynamodb"), root.required("cases_table_name"))
    http = HttpClient(read_timeout=read_timeout)
    return XTokens(http, root.settings.x_api_url, store, lock, alarm)


def case_reader(root: Root) -> DynamoDBCaseReader:
    """One case as the functions see it (`get_case`)."""
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader

    return DynamoDBCaseReader(adapters.cases_table(root))


def table_scan(root: Root) -> DynamoDBTableScan:
    """Every case, every action on the platforms: a small stack's whole table."""
    from socialcare.adapters.dynamodb.table_scan import DynamoDBTableScan

    return DynamoDBTableScan(root.client("dynamodb"), root.required("cases_table_name"))


def past_cases(root: Root) -> DynamoDBPastCases:
    """`socialcare protocol diff`: the stored cases of a period, read only (Scan pages)."""
    from socialcare.adapters.dynamodb.past_cases import DynamoDBPastCases

    return DynamoDBPastCases(root.client("dynamodb"), root.required("cases_table_name"))


def table_items(plain: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Plain rows as the cases table holds them (DynamoDB's typed attributes): what an
    emulated table answers in a benchmark."""
    from socialcare.adapters.dynamodb.items import encode_item

    return [encode_item(**row) for row in plain]


def console_users(root: Root, *, local: bool) -> CognitoConsoleUsers:
    """`socialcare users`: the stack's user pool with the operator's credentials (the
    local pool sends no email: its temporary passwords are returned to be printed)."""
    from socialcare.bootstrap import console_access

    return console_access.users(root, print_password=local)
