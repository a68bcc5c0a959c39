"""The console's `review` area (issue 34), as production builds it over a Root: the case
reader, the review's conditional write, triage's own bundle for the autonomous path a
confirmation runs, and the console's audit store once the actions area provides it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from socialcare.bootstrap import adapters as built
from socialcare.bootstrap import use_cases

if TYPE_CHECKING:
    from socialcare.app.case_review import ReviewDependencies
    from socialcare.bootstrap import Root
    from socialcare.ports.console_audit import ConsoleAudit


def dependencies(root: Root) -> ReviewDependencies:
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.adapters.dynamodb.case_reviews import DynamoDBCaseReviews
    from socialcare.app.case_review import ReviewDependencies
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)
    return ReviewDependencies(
        cases=DynamoDBCaseReader(table),
        reviews=DynamoDBCaseReviews(table),
        triage=lambda: root.once("triage", lambda: use_cases.triage(root)),
        clock=system_clock,
        audit=_audit(root),
    )


def _audit(root: Root) -> ConsoleAudit | None:
    """The actions area's audit store (issue 33); None where that area is not built."""
    try:
        actions = importlib.import_module("socialcare.bootstrap.console_actions")
    except ModuleNotFoundError:
        return None
    audit: ConsoleAudit = actions.console_audit(root)
    return audit
