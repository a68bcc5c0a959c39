"""Corrections teach triage: every case a person corrected in the console, as a line of
the labelled corpus `socialcare triage train` reads (text, channel and the labels as the
case has them now, corrected). The text has its personal data masked: a corpus is a file
people keep and share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socialcare.domain.personal_data import mask_personal_data

if TYPE_CHECKING:
    from socialcare.ports.cases import CaseReader
    from socialcare.ports.console_actions import ConsoleCases


@dataclass
class CorrectionDependencies:
    cases: CaseReader
    console: ConsoleCases


@dataclass(frozen=True)
class CorrectionCorpus:
    lines: tuple[dict[str, Any], ...]
    # Corrected cases left out: erased or expired since, or with nothing to learn from
    # (no text, or triage kept no sentiment).
    skipped: int


def correction_corpus(deps: CorrectionDependencies) -> CorrectionCorpus:
    lines: list[dict[str, Any]] = []
    skipped = 0
    for case_id in deps.console.corrected_cases():
        case = deps.cases.case(case_id)
        triage = case.triage if case else None
        if case is None or triage is None or not case.text.strip():
            skipped += 1
            continue
        if not (triage.category and triage.sentiment):
            skipped += 1
            continue
        lines.append(
            {
                "id": f"correction-{case.id}",
                "lang": triage.language or case.language or "es",
                "channel": case.channel,
                "text": mask_personal_data(case.text),
                "expect": {
                    "category": triage.category,
                    "sentiment": triage.sentiment,
                    "authority_mentioned": "authority_mentioned" in triage.flags,
                    "personal_data_exposed": "personal_data_exposed" in triage.flags,
                    "urgent": "urgent" in triage.flags,
                },
            }
        )
    return CorrectionCorpus(tuple(lines), skipped)
