"""Turn normalised messages into cases, each exactly once. Recording is all the webhook
does: the table's stream brings each new case to triage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from socialcare.domain.cases import Recorded
from socialcare.domain.clock import Clock
from socialcare.domain.messages import InboundMessage

if TYPE_CHECKING:
    from socialcare.ports.intake import MessageRecords


@dataclass
class IngestReport:
    recorded: list[Recorded] = field(default_factory=list)
    responses: int = 0  # the brand's own public replies noted on their cases
    changes: int = 0  # customers' edits and deletions noted on their cases

    def counts(self) -> Counter[str]:
        counts = Counter(r.outcome.value for r in self.recorded)
        if self.responses:
            counts["responses"] = self.responses
        if self.changes:
            counts["changes"] = self.changes
        return counts


def ingest(messages: Iterable[InboundMessage], store: MessageRecords, clock: Clock) -> IngestReport:
    """Record every message. Raises StorageUnavailable: the sender must get a 5xx and
    retry; what was already recorded is recognised as duplicate on the retry."""
    report = IngestReport()
    for message in messages:
        report.recorded.append(store.record(message, clock()))
    return report
