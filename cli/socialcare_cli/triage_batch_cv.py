"""`socialcare triage cross-validate --by-batch`: how triage does on words by hands it
never saw. Each corpus batch written by another writer (the ones with a brief beside them
in triage/corpus/briefs/) is triaged, rules and all, by a model trained on every other
batch with `socialcare triage train`'s own code; the figures are the mean over those
batches and their spread. Messages by the corpus's first hand share its style, so a
random fold of them says little of a stranger's words (README, "Triage").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from socialcare.config.files import CONFIG_DIR
from socialcare.config.loaders import triage_config, triage_rules
from socialcare.config.model_file import ModelFile
from socialcare.domain.messages import Channel
from socialcare.domain.triage import TextTriage, TriageModel, TriageRules, triage_text
from socialcare_cli.errors import CommandFailed

# The doubts (1 - calibrated probability of the category) the curve is read at.
DOUBTS = (0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3)
# The urgency model's thresholds urgent precision and recall are read at.
URGENT_THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)
BINS = 10


@dataclass(frozen=True)
class Scored:
    """One message of a held-out batch: what was expected, what triage said."""

    expected: dict[str, Any]
    found: TextTriage
    # Urgent as triage would say it at each of URGENT_THRESHOLDS.
    urgent_at: tuple[bool, ...] = ()

    @property
    def right(self) -> bool:
        return self.found.category.value == self.expected["category"]

    def alone_at(self, doubt: float) -> bool:
        """Decided alone had `model.review_category_doubt` been `doubt`."""
        others = [r for r in self.found.review_reasons if r != "category"]
        sure = self.found.authority_mentioned or 1.0 - self.found.confidence <= doubt
        return sure and not others


@dataclass
class BatchFigures:
    name: str
    scored: list[Scored] = field(default_factory=list)

    def figures(self, doubt: float) -> dict[str, float]:
        rows = self.scored
        alone = [s for s in rows if s.alone_at(doubt)]
        found: dict[str, float] = {
            "category": _mean(s.right for s in rows),
            "sentiment": _mean(
                s.found.sentiment.value == s.expected["sentiment"]
                for s in rows
                if "sentiment" in s.expected
            ),
            "alone": len(alone) / len(rows),
            "alone_right": _mean(s.right for s in alone) if alone else 1.0,
        }
        for flag, attribute in (("urgent", "urgent"), ("authority", "authority_mentioned")):
            truth = [(bool(s.expected.get(attribute)), getattr(s.found, attribute)) for s in rows]
            tp = sum(e and f for e, f in truth)
            found[f"{flag}_p"] = tp / sum(f for _, f in truth) if any(f for _, f in truth) else 1.0
            found[f"{flag}_r"] = tp / sum(e for e, _ in truth) if any(e for e, _ in truth) else 1.0
        return found


def _mean(values: Any) -> float:
    items = [float(v) for v in values]
    return sum(items) / len(items) if items else 1.0


def other_hands(corpus: Path) -> list[Path]:
    """The batches written by other writers: those with a brief in corpus/briefs/."""
    briefs = corpus / "briefs"
    return [p for p in sorted(corpus.glob("*.jsonl")) if (briefs / f"{p.stem}.md").is_file()]


def cross_validate(
    corpus: Path,
    sink: TextIO = sys.stdout,
    trainer: Callable[[list[Path]], dict[str, Any]] | None = None,
) -> list[BatchFigures]:
    """Each other hand's batch triaged by a model trained on every other batch."""
    from socialcare_cli.triage_training import train

    held_out = other_hands(corpus)
    if not held_out:
        raise CommandFailed(f"{corpus}: no batch with a brief in briefs/ to hold out")
    every = sorted(corpus.glob("*.jsonl"))
    rules = triage_rules(CONFIG_DIR)
    results = []
    for batch in held_out:
        document = (trainer or train)([p for p in every if p != batch])
        result = score_batch(batch, _model(document), rules)
        results.append(result)
        _write_batch(result, sink)
    write_summary(results, sink)
    return results


def _model(document: dict[str, Any]) -> TriageModel:
    settings = triage_config(CONFIG_DIR).model
    return ModelFile.model_validate(document).triage_model(
        settings.confidence_threshold,
        settings.urgent_threshold,
        settings.review_category_doubt,
        settings.review_urgent_doubt,
    )


def score_batch(batch: Path, model: TriageModel, rules: TriageRules) -> BatchFigures:
    result = BatchFigures(batch.stem)
    for line in batch.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        public = Channel(record["channel"]).is_public
        found = triage_text(record["text"], public=public, model=model, rules=rules)
        urgent_at = tuple(
            triage_text(
                record["text"],
                public=public,
                model=replace(model, urgent_threshold=threshold),
                rules=rules,
            ).urgent
            for threshold in URGENT_THRESHOLDS
        )
        result.scored.append(Scored(record["expect"], found, urgent_at))
    return result


def _current_doubt() -> float:
    return triage_config(CONFIG_DIR).model.review_category_doubt


def _write_batch(result: BatchFigures, sink: TextIO) -> None:
    f = result.figures(_current_doubt())
    sink.write(
        f"{result.name:28} {len(result.scored):4} messages  category {f['category']:.3f}  "
        f"sentiment {f['sentiment']:.3f}  alone {f['alone']:.1%} at {f['alone_right']:.3f}  "
        f"urgent P/R {f['urgent_p']:.2f}/{f['urgent_r']:.2f}  "
        f"authority P/R {f['authority_p']:.2f}/{f['authority_r']:.2f}\n"
    )
    sink.flush()


def write_summary(results: list[BatchFigures], sink: TextIO) -> None:
    """The mean and the range over batches at the configured doubt, the curve of share
    decided alone against how often those were right, and the reliability table of the
    out-of-batch confidence."""
    doubt = _current_doubt()
    each = [r.figures(doubt) for r in results]
    sink.write(f"mean over {len(results)} batches [min-max], review_category_doubt {doubt}:\n")
    for name in each[0]:
        values = [f[name] for f in each]
        sink.write(
            f"  {name:12} {sum(values) / len(values):.3f} [{min(values):.3f}-{max(values):.3f}]\n"
        )
    sink.write("  doubt   alone (mean [min-max])        right when alone (mean [min-max])\n")
    for candidate in DOUBTS:
        rows = [r.figures(candidate) for r in results]
        share = [f["alone"] for f in rows]
        right = [f["alone_right"] for f in rows]
        sink.write(f"  {candidate:.2f}    {_spread(share, '.1%')}      {_spread(right, '.3f')}\n")
    _write_reliability([s for r in results for s in r.scored], sink)
    _write_urgency([s for r in results for s in r.scored], sink)


def _spread(values: list[float], shape: str) -> str:
    return f"{sum(values) / len(values):{shape}} [{min(values):{shape}}-{max(values):{shape}}]"


def _write_reliability(scored: list[Scored], sink: TextIO) -> None:
    """Calibrated confidence against accuracy, on out-of-batch predictions (messages an
    authority mention made a complaint are left out: their confidence is not asked)."""
    asked = [s for s in scored if not s.found.authority_mentioned]
    sink.write("  confidence band  messages  mean confidence  accuracy\n")
    for band in range(BINS):
        inside = [s for s in asked if min(int(s.found.confidence * BINS), BINS - 1) == band]
        if inside:
            sink.write(
                f"  {band / BINS:.1f}-{(band + 1) / BINS:.1f}        {len(inside):8}  "
                f"{_mean(s.found.confidence for s in inside):15.3f}  "
                f"{_mean(s.right for s in inside):8.3f}\n"
            )


def _write_urgency(scored: list[Scored], sink: TextIO) -> None:
    """Urgent precision and recall (all batches pooled) at each model threshold (a cue
    in the rules makes a message urgent whatever the threshold)."""
    sink.write("  urgent_threshold  precision  recall\n")
    truth = [bool(s.expected.get("urgent")) for s in scored]
    for index, threshold in enumerate(URGENT_THRESHOLDS):
        said = [s.urgent_at[index] for s in scored]
        tp = sum(t and f for t, f in zip(truth, said, strict=True))
        precision = tp / sum(said) if any(said) else 1.0
        recall = tp / sum(truth) if any(truth) else 1.0
        sink.write(f"  {threshold:16.2f}  {precision:9.3f}  {recall:6.3f}\n")
