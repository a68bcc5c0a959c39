"""The inbox area's dependencies: the open cases, the case reader, a person's earlier
cases, who else has a case open, the message search, and the pages' CSRF tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import adapters as built

if TYPE_CHECKING:
    from socialcare.bootstrap import Root
    from socialcare.presentation.console.inbox_pages import InboxArea


def dependencies(root: Root) -> InboxArea:
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.open_cases import (
        DynamoDBOpenCases,
        DynamoDBPersonCases,
        DynamoDBPresence,
    )
    from socialcare.adapters.dynamodb.search_index import DynamoDBSearchIndex
    from socialcare.app.console_inbox import InboxDependencies
    from socialcare.bootstrap.console import page_kit
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from socialcare.presentation.console.inbox_pages import InboxArea

    table = built.cases_table(root)
    routing = routing_config()
    use_cases = InboxDependencies(
        open_cases=DynamoDBOpenCases(table),
        cases=DynamoDBCaseReader(table),
        person_cases=DynamoDBPersonCases(table),
        presence=DynamoDBPresence(table),
        clock=system_clock,
        first_response_hours=routing.reports.first_response_target_hours,
        search=DynamoDBSearchIndex(table),
    )
    return InboxArea(
        use_cases=use_cases,
        kit=page_kit(root),
        routing=routing,
        saved_replies=lambda language: _saved_reply_titles(root, language),
    )


def _saved_reply_titles(root: Root, language: str) -> list[tuple[str, str]]:
    """The live saved replies written in the customer's language, for the reply form."""
    from socialcare.app.saved_replies import find
    from socialcare.bootstrap.console_approvals import saved_replies
    from socialcare.domain.saved_replies import SavedReplySearch

    found = find(SavedReplySearch(language=language), saved_replies(root))
    return [(reply.id, reply.title) for reply in found]
