"""The approvals area's dependencies (approvals and saved replies), over a Root's
adapters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.bootstrap import Root
from socialcare.bootstrap import adapters as built

if TYPE_CHECKING:
    from socialcare.app.approvals import ApprovalDependencies


def approvals(root: Root) -> ApprovalDependencies:
    from socialcare.adapters.dynamodb.approvals import DynamoDBApprovals
    from socialcare.adapters.dynamodb.case_reader import DynamoDBCaseReader
    from socialcare.app.approvals import ApprovalDependencies
    from socialcare.app.approved_replies import ApprovedSending
    from socialcare.bootstrap.use_cases import outbound
    from socialcare.config.loaders import approval_rules
    from socialcare.domain.clock import system_clock

    table = built.cases_table(root)
    cases = DynamoDBCaseReader(table)
    return ApprovalDependencies(
        store=DynamoDBApprovals(table),
        cases=cases,
        rules=approval_rules(),
        send_reply=ApprovedSending(cases, outbound(root)),
        clock=system_clock,
    )
