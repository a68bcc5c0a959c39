"""The cases table's small stores, each built once per Root over the one CasesTable they
share (adapters/dynamodb/table.py): one store a concern, as the use cases' ports ask."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root

if TYPE_CHECKING:
    from socialcare.adapters.dynamodb.action_links import DynamoDBActionLinks
    from socialcare.adapters.dynamodb.alerts import DynamoDBCaseAlerts
    from socialcare.adapters.dynamodb.case_notes import DynamoDBCaseNotes
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
    from socialcare.adapters.dynamodb.delivery_reports import DynamoDBDeliveryReports
    from socialcare.adapters.dynamodb.intake import DynamoDBMessageRecords
    from socialcare.adapters.dynamodb.links import DynamoDBFollowUpLinks, DynamoDBPublishLinks
    from socialcare.adapters.dynamodb.outbound import DynamoDBOutboundActions
    from socialcare.adapters.dynamodb.owed_emails import DynamoDBOwedEmails
    from socialcare.adapters.dynamodb.surveys import DynamoDBSurveyRecords
    from socialcare.adapters.dynamodb.table import CasesTable


def cases_table(root: Root) -> CasesTable:
    """The cases table every store of it shares (adapters/dynamodb/table.py)."""

    def build() -> CasesTable:
        from socialcare.adapters.dynamodb.table import CasesTable

        name = root.required("cases_table_name")
        return CasesTable(root.client("dynamodb"), name)

    return root.once("cases_table", build)


def case_states(root: Root) -> DynamoDBCaseStates:
    """A case's states: triaged, derived, answered, closed (with its retention)."""

    def build() -> DynamoDBCaseStates:
        from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
        from socialcare.config.loaders import routing_config

        return DynamoDBCaseStates(cases_table(root), routing_config().retention)

    return root.once("case_states", build)


def case_reader(root: Root) -> DynamoDBCaseReader:
    """One case, read as the functions see it."""

    def build() -> DynamoDBCaseReader:
        from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader

        return DynamoDBCaseReader(cases_table(root))

    return root.once("case_reader", build)


def message_records(root: Root) -> DynamoDBMessageRecords:
    """Inbound messages becoming cases (the webhook)."""

    def build() -> DynamoDBMessageRecords:
        from socialcare.adapters.dynamodb.intake import DynamoDBMessageRecords

        return DynamoDBMessageRecords(cases_table(root))

    return root.once("message_records", build)


def case_notes(root: Root) -> DynamoDBCaseNotes:
    """The brand's own replies and edited messages, noted on their cases."""

    def build() -> DynamoDBCaseNotes:
        from socialcare.adapters.dynamodb.case_notes import DynamoDBCaseNotes

        return DynamoDBCaseNotes(cases_table(root))

    return root.once("case_notes", build)


def delivery_reports(root: Root) -> DynamoDBDeliveryReports:
    """The platforms' receipts of what the brand sent."""

    def build() -> DynamoDBDeliveryReports:
        from socialcare.adapters.dynamodb.delivery_reports import DynamoDBDeliveryReports

        return DynamoDBDeliveryReports(cases_table(root))

    return root.once("delivery_reports", build)


def survey_records(root: Root) -> DynamoDBSurveyRecords:
    """Satisfaction surveys asked and answered."""

    def build() -> DynamoDBSurveyRecords:
        from socialcare.adapters.dynamodb.surveys import DynamoDBSurveyRecords

        return DynamoDBSurveyRecords(cases_table(root))

    return root.once("survey_records", build)


def case_alerts(root: Root) -> DynamoDBCaseAlerts:
    """Urgent, low-score and crisis alerts, each claimed once."""

    def build() -> DynamoDBCaseAlerts:
        from socialcare.adapters.dynamodb.alerts import DynamoDBCaseAlerts

        return DynamoDBCaseAlerts(cases_table(root))

    return root.once("case_alerts", build)


def outbound_actions(root: Root) -> DynamoDBOutboundActions:
    """What is sent on the platforms, each action claimed once."""

    def build() -> DynamoDBOutboundActions:
        from socialcare.adapters.dynamodb.outbound import DynamoDBOutboundActions

        return DynamoDBOutboundActions(cases_table(root))

    return root.once("outbound_actions", build)


def owed_emails(root: Root) -> DynamoDBOwedEmails:
    """Emails SES held, and the social team's hourly mail."""

    def build() -> DynamoDBOwedEmails:
        from socialcare.adapters.dynamodb.owed_emails import DynamoDBOwedEmails

        return DynamoDBOwedEmails(cases_table(root))

    return root.once("owed_emails", build)


def action_links(root: Root) -> DynamoDBActionLinks:
    """The department's action links."""

    def build() -> DynamoDBActionLinks:
        from socialcare.adapters.dynamodb.action_links import DynamoDBActionLinks

        return DynamoDBActionLinks(cases_table(root))

    return root.once("action_links", build)


def publish_links(root: Root) -> DynamoDBPublishLinks:
    """The social team's publish links."""

    def build() -> DynamoDBPublishLinks:
        from socialcare.adapters.dynamodb.links import DynamoDBPublishLinks

        return DynamoDBPublishLinks(cases_table(root))

    return root.once("publish_links", build)


def follow_up_links(root: Root) -> DynamoDBFollowUpLinks:
    """The low-score alert's follow-up links."""

    def build() -> DynamoDBFollowUpLinks:
        from socialcare.adapters.dynamodb.links import DynamoDBFollowUpLinks

        return DynamoDBFollowUpLinks(cases_table(root))

    return root.once("follow_up_links", build)
