"""Turn normalised messages into cases, each exactly once, each new case's workflow once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from socialcare.domain.cases import Recorded, RecordOutcome
from socialcare.domain.clock import Clock
from socialcare.domain.messages import InboundMessage
from socialcare.domain.ports import CaseStore, WorkflowStarter, WorkflowUnavailable


@dataclass
class IngestReport:
    recorded: list[Recorded] = field(default_factory=list)
    workflows_started: int = 0
    responses: int = 0  # the brand's own public replies noted on their cases
    changes: int = 0  # customers' edits and deletions noted on their cases

    def counts(self) -> Counter[str]:
        counts = Counter(r.outcome.value for r in self.recorded)
        if self.responses:
            counts["responses"] = self.responses
        if self.changes:
            counts["changes"] = self.changes
        return counts


def ingest(
    messages: Iterable[InboundMessage],
    store: CaseStore,
    workflows: WorkflowStarter,
    clock: Clock,
) -> IngestReport:
    """Record every message, then make sure each new case has its workflow running.

    Raises StorageUnavailable or WorkflowUnavailable: the sender must get a 5xx and retry;
    what was already recorded is recognised as duplicate on the retry, and a case whose
    workflow did not start gets it started then.
    """
    report = IngestReport()
    for message in messages:
        recorded = store.record(message, clock())
        report.recorded.append(recorded)
        if _may_start(recorded, store, clock):
            _start(recorded.case_id, store, workflows, clock)
            report.workflows_started += 1
    return report


def _may_start(recorded: Recorded, store: CaseStore, clock: Clock) -> bool:
    if recorded.outcome is RecordOutcome.CREATED:
        return True  # the creating write holds the claim already
    if recorded.outcome is RecordOutcome.DUPLICATE:
        # A redelivery after a failed start: take over the claim if it is free.
        return store.claim_workflow_start(recorded.case_id, clock())
    return False


def _start(case_id: str, store: CaseStore, workflows: WorkflowStarter, clock: Clock) -> None:
    try:
        execution_arn = workflows.start(case_id)
    except WorkflowUnavailable:
        store.release_workflow_claim(case_id)
        raise
    store.mark_workflow_started(case_id, execution_arn, clock())
