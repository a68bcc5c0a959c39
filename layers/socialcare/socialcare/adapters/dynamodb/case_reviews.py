"""A person's confirmation of a case's triage (ports/case_review.CaseReviews): one
transaction in the case's own partition, the CASE item's `needs_review` cleared on
condition that it was set and the case is open, and the `review_confirmed` event."""

from __future__ import annotations

from datetime import datetime

from socialcare.adapters.dynamodb.table import CasesTable
from socialcare.domain.clock import utc_iso


class DynamoDBCaseReviews:
    """Heat: one case's partition per call (2 write units a side, as a transaction)."""

    def __init__(self, table: CasesTable) -> None:
        self._table = table

    def confirm_review(self, case_id: str, by: str, now: datetime) -> bool:
        sets = {
            "needs_review": False,
            "review_confirmed_at": utc_iso(now),
            "review_confirmed_by": by,
            "updated_at": utc_iso(now),
        }
        condition = "needs_review = :waiting AND attribute_not_exists(closed_at)"
        return self._table.transact(
            [
                self._table.case_update(
                    case_id, sets, condition=condition, values={":waiting": True}
                ),
                self._table.event(case_id, now, "review_confirmed", actor=by, by=by),
            ]
        )
