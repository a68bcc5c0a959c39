"""The console's `actions` area, as production builds it over a Root: replies through the
outbound use case (held for an approver when approvals.yaml asks), the case actions and
derivations through the workflow's own path, every action in the audit store."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from socialcare.bootstrap import Root, use_cases
from socialcare.bootstrap import adapters as built
from socialcare.bootstrap.console_access import users
from socialcare.bootstrap.console_approvals import approvals, saved_replies
from socialcare.bootstrap.console_replies import console_audit, send_reply_dependencies

if TYPE_CHECKING:
    from socialcare.app.triage_corrections import CorrectionDependencies
    from socialcare.presentation.console.actions_routes import ActionsArea


def dependencies(root: Root) -> ActionsArea:
    """The `actions` area's bundle (bootstrap/console.py builds each area's by this name)."""
    from socialcare.adapters.dynamodb.action_links import DynamoDBActionLinks
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.case_states import DynamoDBCaseStates
    from socialcare.adapters.dynamodb.console_cases import DynamoDBConsoleCases
    from socialcare.app.console_actions import CaseActionDependencies
    from socialcare.app.console_approval_hook import ApprovalQueue, SavedReplyTexts
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
    replies = replace(
        send_reply_dependencies(root),
        approvals=ApprovalQueue(approvals(root)),
        saved=SavedReplyTexts(saved_replies(root)),
    )
    return ActionsArea(
        replies=replies,
        cases=CaseActionDependencies(
            cases=cases,
            console=console,
            closing=states,
            links=links,
            tokens=built.task_tokens(root),
            audit=console_audit(root),
            people=_People(root),
            email=built.email_sender(root),
            mention_email=lambda case_id, by, url: mention_email(
                case_id, by, language=language, console_url=url
            ),
            clock=system_clock,
            surveys=lambda url: use_cases.survey(root, url),
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
        console_url=console_url,
    )


def triage_corrections(root: Root) -> CorrectionDependencies:
    """What `socialcare triage corrections` reads: the corrected cases, as they are now."""
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.console_cases import DynamoDBConsoleCases
    from socialcare.app.triage_corrections import CorrectionDependencies

    table = built.cases_table(root)
    return CorrectionDependencies(DynamoDBCaseReader(table), DynamoDBConsoleCases(table))


class _People:
    """The pool's users, built when an assignment or a mention first asks (the rest of
    the area works without the pool's settings)."""

    def __init__(self, root: Root) -> None:
        self._root = root

    def email_of(self, username: str) -> str | None:
        return users(self._root).email_of(username)
