"""Each use case's dependency bundle, as production builds it over a Root's adapters:
one function per bundle, so adding a port is one edit here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root
from socialcare.bootstrap import adapters as built
from socialcare.bootstrap.outbound import outbound

if TYPE_CHECKING:
    from socialcare.app.action_links import ActionDependencies
    from socialcare.app.approvals import ApprovalDependencies
    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.follow_ups import FollowUpDependencies
    from socialcare.app.media_links import MediaDependencies
    from socialcare.app.publish_links import PublishDependencies
    from socialcare.app.report_links import ReportLinkDependencies
    from socialcare.app.reports import ReportDependencies
    from socialcare.app.retention import ExpiredCases
    from socialcare.app.search_index import SearchIndexDependencies
    from socialcare.app.surveys import SurveyDependencies
    from socialcare.app.webhook import WebhookDependencies
    from socialcare.app.workflow_steps import WorkflowDependencies
    from socialcare.presentation.case_emails import CaseEmailComposer
    from socialcare.presentation.replies import ReplyWriter


def webhook(root: Root) -> WebhookDependencies:
    from socialcare.adapters.dynamodb.case_notes import DynamoDBCaseNotes
    from socialcare.adapters.dynamodb.delivery_reports import DynamoDBDeliveryReports
    from socialcare.adapters.dynamodb.intake import DynamoDBMessageRecords
    from socialcare.adapters.dynamodb.surveys import DynamoDBSurveyRecords
    from socialcare.app.webhook import WebhookDependencies
    from socialcare.config.files import brand_accounts
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)

    return WebhookDependencies(
        messages=DynamoDBMessageRecords(table),
        notes=DynamoDBCaseNotes(table),
        delivery_reports=DynamoDBDeliveryReports(table),
        survey_answers=DynamoDBSurveyRecords(table),
        secrets=built.platform_secrets(root),
        clock=system_clock,
        telegram_bot_id=root.settings.telegram_bot_id,
        parking=built.delivery_parking(root),
        seal_key=built.delivery_seal_key(root),
        accounts=brand_accounts(),
    )


def triage(root: Root) -> TriageDependencies:
    from socialcare.adapters.dynamodb.alerts import DynamoDBCaseAlerts
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
    from socialcare.adapters.dynamodb.links import DynamoDBFollowUpLinks
    from socialcare.adapters.dynamodb.outbound import DynamoDBOutboundActions
    from socialcare.adapters.dynamodb.owed_emails import DynamoDBOwedEmails
    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.triage import Triager
    from socialcare.bootstrap.second_opinion import second_opinions
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)
    triager = Triager()  # the rules, the model and routing.yaml, from config/
    states = DynamoDBCaseStates(table, triager.routing.retention)
    return TriageDependencies(
        cases=DynamoDBCaseReader(table),
        triage=states,
        closing=states,
        alerts=DynamoDBCaseAlerts(table),
        owed_emails=DynamoDBOwedEmails(table),
        uncertain=DynamoDBOutboundActions(table),
        follow_ups=DynamoDBFollowUpLinks(table),
        customers=built.customer_directory(root),
        email=built.paced_email_sender(root),
        emails=case_emails(root),
        triager=triager,
        replies=reply_writer(root),
        workflows=built.workflow_starter(root),
        clock=system_clock,
        time_scale=root.settings.time_scale,
        text_signals=built.text_signals(root),
        outbound=outbound(root),
        details=built.platform_details(root),
        alerts_sender=built.paced_email_sender(root, alert=True),
        crisis_digests=built.crisis_digests(root),
        second_opinion=second_opinions(root),
    )


def expired_cases(root: Root) -> ExpiredCases:
    """What purges an expired case's remaining items."""
    return built.personal_data_store(root)


def search_index(root: Root) -> SearchIndexDependencies:
    """What writes a customer message's words into the search index (the stream's)."""
    from socialcare.adapters.dynamodb.search_index import DynamoDBSearchIndex
    from socialcare.app.search_index import SearchIndexDependencies
    from socialcare.domain.clock import system_clock

    return SearchIndexDependencies(DynamoDBSearchIndex(built.cases_table(root)), system_clock)


def workflow(root: Root) -> WorkflowDependencies:
    from socialcare.adapters.dynamodb.action_links import DynamoDBActionLinks
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
    from socialcare.adapters.dynamodb.owed_emails import DynamoDBOwedEmails
    from socialcare.app.workflow_steps import WorkflowDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)
    routing = routing_config()
    return WorkflowDependencies(
        cases=DynamoDBCaseReader(table),
        actions=DynamoDBActionLinks(table),
        closing=DynamoDBCaseStates(table, routing.retention),
        owed_emails=DynamoDBOwedEmails(table),
        email=built.paced_email_sender(root),
        emails=case_emails(root),
        routing=routing,
        clock=system_clock,
        time_scale=root.settings.time_scale,
        replies=reply_writer(root),
    )


def case_emails(root: Root) -> CaseEmailComposer:
    """The emails about cases (triage's and the workflow's), with links to this API."""

    def build() -> CaseEmailComposer:
        from socialcare.config.loaders import routing_config
        from socialcare.presentation.case_emails import CaseEmailComposer

        return CaseEmailComposer(routing_config(), root.required("actions_base_url"))

    return root.once("case_emails", build)


def reply_writer(root: Root) -> ReplyWriter:
    """The suggested replies (triage's, and the workflow's after a re-derivation)."""

    def build() -> ReplyWriter:
        from socialcare.presentation.replies import ReplyWriter

        return ReplyWriter()

    return root.once("reply_writer", build)


def survey(root: Root, base_url: str) -> SurveyDependencies:
    """The satisfaction survey's ports; `base_url`: where the survey page is served."""
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.surveys import DynamoDBSurveyRecords
    from socialcare.app.surveys import SurveyDependencies
    from socialcare.config.loaders import routing_config, survey_config
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)

    served = (base_url or root.settings.actions_base_url or "").rstrip("/")
    return SurveyDependencies(
        cases=DynamoDBCaseReader(table),
        surveys=DynamoDBSurveyRecords(table),
        outbound=outbound(root),
        config=survey_config(),
        clock=system_clock,
        default_language=routing_config().default_language,
        page_url=lambda link_id: f"{served}/survey/{link_id}",
    )


def actions(root: Root, base_url: str) -> ActionDependencies:
    """The department's action links; `base_url`: where the survey it may send is served."""
    from socialcare.adapters.dynamodb.action_links import DynamoDBActionLinks
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
    from socialcare.app.action_links import ActionDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)

    return ActionDependencies(
        cases=DynamoDBCaseReader(table),
        actions=DynamoDBActionLinks(table),
        closing=DynamoDBCaseStates(table, routing_config().retention),
        tokens=built.task_tokens(root),
        routing=routing_config(),
        clock=system_clock,
        time_scale=root.settings.time_scale,
        outbound=outbound(root),
        surveys=survey(root, base_url),
    )


def publish(root: Root) -> PublishDependencies:
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.links import DynamoDBPublishLinks
    from socialcare.app.publish_links import PublishDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)

    return PublishDependencies(
        cases=DynamoDBCaseReader(table),
        links=DynamoDBPublishLinks(table),
        outbound=outbound(root),
        clock=system_clock,
        language=routing_config().social_team_language,
        approvals=approvals(root),  # approvals.yaml holds some replies
    )


def approvals(root: Root) -> ApprovalDependencies:
    """Replies waiting for an approver: the console's, and the publish links'."""
    """Replies waiting for an approver, queued (the publish links, the console's `reply`);
    the console's approvals area adds the send (bootstrap/console_approvals.py)."""
    from socialcare.adapters.dynamodb.approvals import DynamoDBApprovals
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.app.approvals import ApprovalDependencies
    from socialcare.config.loaders import approval_rules
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)
    return ApprovalDependencies(
        store=DynamoDBApprovals(table),
        cases=DynamoDBCaseReader(table),
        rules=approval_rules(),
        send_reply=None,
        clock=system_clock,
    )


def follow_up(root: Root) -> FollowUpDependencies:
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.links import DynamoDBFollowUpLinks
    from socialcare.app.follow_ups import FollowUpDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)

    return FollowUpDependencies(
        cases=DynamoDBCaseReader(table),
        links=DynamoDBFollowUpLinks(table),
        outbound=outbound(root),
        clock=system_clock,
        language=routing_config().default_language,
    )


def media(root: Root) -> MediaDependencies:
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.app.media_links import MediaDependencies
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)

    return MediaDependencies(
        cases=DynamoDBCaseReader(table),
        media=built.platform_media(root),
        clock=system_clock,
        alarm=built.token_alarm(root),
    )


def report(root: Root) -> ReportDependencies:
    from socialcare.app.reports import ReportDependencies, SignedLinks
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from socialcare.presentation.report_files import ReportRenderer

    routing = routing_config()
    return ReportDependencies(
        days=built.case_days(root),
        store=built.report_store(root),
        email=built.email_sender(root),
        routing=routing,
        clock=system_clock,
        links=SignedLinks(root.required("actions_base_url"), built.link_secret(root), system_clock),
        files=ReportRenderer(routing),
        time_scale=root.settings.time_scale,
    )


def report_links(root: Root) -> ReportLinkDependencies:
    from socialcare.app.report_links import ReportLinkDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    return ReportLinkDependencies(
        secret=built.link_secret(root),
        store=built.report_store(root),
        clock=system_clock,
        language=routing_config().reports.language,
    )
