"""The console's `actions` area, as production builds it over a Root: replies through the
outbound use case, the case actions and derivations through the workflow's own path,
the audit store. `send_reply_dependencies` is also what the approvals area sends with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root, use_cases
from socialcare.bootstrap import adapters as built

if TYPE_CHECKING:
    from socialcare.app.console_replies import ReplyDependencies
    from socialcare.app.triage_corrections import CorrectionDependencies
    from socialcare.ports.console_actions import MentionAddresses
    from socialcare.ports.console_audit import ConsoleAudit
    from socialcare.presentation.console.actions_routes import ActionsArea


def console_audit(root: Root) -> ConsoleAudit:
    from socialcare.adapters.dynamodb.console_audit import DynamoDBConsoleAudit

    return root.once("console_audit", lambda: DynamoDBConsoleAudit(built.cases_table(root)))


def send_reply_dependencies(root: Root) -> ReplyDependencies:
    """What `send_reply` and `reply` take; `approvals` is wired by the approvals area."""

    def build() -> ReplyDependencies:
        from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
        from socialcare.adapters.dynamodb.console_cases import DynamoDBConsoleCases
        from socialcare.app.console_replies import ReplyDependencies
        from socialcare.domain.clock import system_clock

        table = built.cases_table(root)
        return ReplyDependencies(
            cases=DynamoDBCaseReader(table),
            console=DynamoDBConsoleCases(table),
            outbound=use_cases.outbound(root),
            audit=console_audit(root),
            clock=system_clock,
        )

    return root.once("console_replies", build)


def actions_area(root: Root) -> ActionsArea:
    from socialcare.adapters.dynamodb.action_links import DynamoDBActionLinks
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
    from socialcare.adapters.dynamodb.console_cases import DynamoDBConsoleCases
    from socialcare.app.console_actions import CaseActionDependencies
    from socialcare.app.console_routing import RoutingDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from socialcare.presentation.console.actions_routes import ActionsArea
    from socialcare.presentation.console.mention_email import mention_email

    table = built.cases_table(root)
    routing = routing_config()
    cases = DynamoDBCaseReader(table)
    console = DynamoDBConsoleCases(table)
    links = DynamoDBActionLinks(table)
    states = DynamoDBCaseStates(table, routing.retention)
    language = routing.social_team_language
    console_url = root.settings.actions_base_url or ""
    return ActionsArea(
        replies=send_reply_dependencies(root),
        cases=CaseActionDependencies(
            cases=cases,
            console=console,
            closing=states,
            links=links,
            tokens=built.task_tokens(root),
            audit=console_audit(root),
            people=console_people(root),
            email=built.email_sender(root),
            mention_email=lambda case_id, by: mention_email(
                case_id, by, language=language, console_url=console_url
            ),
            clock=system_clock,
            surveys=use_cases.survey(root, console_url),
        ),
        routing=RoutingDependencies(
            cases=cases,
            console=console,
            links=links,
            tokens=built.task_tokens(root),
            workflows=built.workflow_starter(root),
            started=states,
            audit=console_audit(root),
            routing=routing,
            clock=system_clock,
            time_scale=root.settings.time_scale,
        ),
    )


class _NobodyYet:
    """Until the identity area's user directory is wired: nobody is known, so an
    assignment names no one and a mention emails no one (both say so)."""

    def email_of(self, username: str) -> str | None:
        return None


def console_people(root: Root) -> MentionAddresses:
    return _NobodyYet()


def triage_corrections(root: Root) -> CorrectionDependencies:
    """What `socialcare triage corrections` reads: the corrected cases, as they are now."""
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.console_cases import DynamoDBConsoleCases
    from socialcare.app.triage_corrections import CorrectionDependencies

    table = built.cases_table(root)
    return CorrectionDependencies(DynamoDBCaseReader(table), DynamoDBConsoleCases(table))
