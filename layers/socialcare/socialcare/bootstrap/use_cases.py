"""Each use case's dependency bundle, as production builds it over a Root's adapters:
one function per bundle, so adding a port is one edit here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root, stores
from socialcare.bootstrap import adapters as built

if TYPE_CHECKING:
    from socialcare.app.action_links import ActionDependencies
    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.follow_ups import FollowUpDependencies
    from socialcare.app.media_links import MediaDependencies
    from socialcare.app.outbound import OutboundDependencies
    from socialcare.app.publish_links import PublishDependencies
    from socialcare.app.report_links import ReportLinkDependencies
    from socialcare.app.reports import ReportDependencies
    from socialcare.app.retention import ExpiredCases
    from socialcare.app.surveys import SurveyDependencies
    from socialcare.app.webhook import WebhookDependencies
    from socialcare.app.workflow_steps import WorkflowDependencies


def webhook(root: Root) -> WebhookDependencies:
    from socialcare.app.webhook import WebhookDependencies
    from socialcare.config.files import brand_accounts
    from socialcare.domain.clock import system_clock

    return WebhookDependencies(
        messages=stores.message_records(root),
        notes=stores.case_notes(root),
        delivery_reports=stores.delivery_reports(root),
        survey_answers=stores.survey_records(root),
        secrets=built.platform_secrets(root),
        clock=system_clock,
        telegram_bot_id=root.settings.telegram_bot_id,
        parking=built.delivery_parking(root),
        seal_key=built.delivery_seal_key(root),
        accounts=brand_accounts(),
    )


def triage(root: Root) -> TriageDependencies:
    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.triage import Triager
    from socialcare.domain.clock import system_clock
    from socialcare.presentation.case_emails import CaseEmailComposer
    from socialcare.presentation.replies import ReplyWriter

    triager = Triager()
    return TriageDependencies(
        cases=stores.case_reader(root),
        triage=stores.case_states(root),
        closing=stores.case_states(root),
        alerts=stores.case_alerts(root),
        owed_emails=stores.owed_emails(root),
        uncertain=stores.outbound_actions(root),
        follow_ups=stores.follow_up_links(root),
        customers=built.customer_directory(root),
        email=built.email_sender(root),
        emails=CaseEmailComposer(triager.routing, root.required("actions_base_url")),
        triager=triager,
        replies=ReplyWriter(),
        workflows=built.workflow_starter(root),
        clock=system_clock,
        time_scale=root.settings.time_scale,
        text_signals=built.text_signals(root),
        outbound=outbound(root),
        details=built.platform_details(root),
    )


def expired_cases(root: Root) -> ExpiredCases:
    """What purges an expired case's remaining items."""
    return built.personal_data_store(root)


def workflow(root: Root) -> WorkflowDependencies:
    from socialcare.app.workflow_steps import WorkflowDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from socialcare.presentation.case_emails import CaseEmailComposer
    from socialcare.presentation.replies import ReplyWriter

    routing = routing_config()
    return WorkflowDependencies(
        cases=stores.case_reader(root),
        actions=stores.action_links(root),
        closing=stores.case_states(root),
        owed_emails=stores.owed_emails(root),
        email=built.email_sender(root),
        emails=CaseEmailComposer(routing, root.required("actions_base_url")),
        routing=routing,
        clock=system_clock,
        time_scale=root.settings.time_scale,
        replies=ReplyWriter(),
    )


def outbound(root: Root) -> OutboundDependencies:
    """The outbound use case's ports and settings (triage and the link pages share them)."""

    def build() -> OutboundDependencies:
        from socialcare.app.outbound import OutboundDependencies
        from socialcare.config.loaders import outbound_config
        from socialcare.domain.clock import system_clock

        settings = root.settings
        return OutboundDependencies(
            store=stores.outbound_actions(root),
            platforms=built.platform_gateway(root),
            config=outbound_config(),
            clock=system_clock,
            mode=settings.outbound_mode,
            alarm=built.token_alarm(root),
            time_scale=settings.time_scale,
        )

    return root.once("outbound", build)


def survey(root: Root, base_url: str) -> SurveyDependencies:
    """The satisfaction survey's ports; `base_url`: where the survey page is served."""
    from socialcare.app.surveys import SurveyDependencies
    from socialcare.config.loaders import routing_config, survey_config
    from socialcare.domain.clock import system_clock

    served = (base_url or root.settings.actions_base_url or "").rstrip("/")
    return SurveyDependencies(
        cases=stores.case_reader(root),
        surveys=stores.survey_records(root),
        outbound=outbound(root),
        config=survey_config(),
        clock=system_clock,
        default_language=routing_config().default_language,
        page_url=lambda link_id: f"{served}/survey/{link_id}",
    )


def actions(root: Root, base_url: str) -> ActionDependencies:
    """The department's action links; `base_url`: where the survey it may send is served."""
    from socialcare.app.action_links import ActionDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    return ActionDependencies(
        cases=stores.case_reader(root),
        actions=stores.action_links(root),
        closing=stores.case_states(root),
        tokens=built.task_tokens(root),
        routing=routing_config(),
        clock=system_clock,
        time_scale=root.settings.time_scale,
        outbound=outbound(root),
        surveys=survey(root, base_url),
    )


def publish(root: Root) -> PublishDependencies:
    from socialcare.app.publish_links import PublishDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    return PublishDependencies(
        cases=stores.case_reader(root),
        links=stores.publish_links(root),
        outbound=outbound(root),
        clock=system_clock,
        language=routing_config().social_team_language,
    )


def follow_up(root: Root) -> FollowUpDependencies:
    from socialcare.app.follow_ups import FollowUpDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    return FollowUpDependencies(
        cases=stores.case_reader(root),
        links=stores.follow_up_links(root),
        outbound=outbound(root),
        clock=system_clock,
        language=routing_config().default_language,
    )


def media(root: Root) -> MediaDependencies:
    from socialcare.app.media_links import MediaDependencies
    from socialcare.domain.clock import system_clock

    return MediaDependencies(
        cases=stores.case_reader(root),
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
