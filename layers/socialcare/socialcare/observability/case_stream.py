"""The stream function's logs and metrics: what became of each record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socialcare.observability.emails import count_held

if TYPE_CHECKING:
    from socialcare.app.stream_records import BatchClosed, StreamOutcome

_METRICS = {
    "autonomous": ("CasesTriaged", "CasesAutonomous"),
    "spam": ("CasesTriaged", "CasesAutonomous"),
    "derived": ("CasesTriaged", "CasesDerived"),
    "held_for_review": ("CasesTriaged", "CasesHeldForReview"),
    "already_done": ("TriageRedeliveries",),
    "gone": ("TriageCasesGone",),
}


def record(logger: Any, metrics: Any, outcome: StreamOutcome) -> str:
    """Logs and counts `outcome`; what the batch processor reports for the record."""
    from socialcare.app.search_index import MessageIndexed
    from socialcare.app.stream_records import LowScoreAlert, Purged, SurveyAsked

    if isinstance(outcome, Purged):
        logger.info(
            "expired case purged", extra={"case_id": outcome.case_id, "items": outcome.items}
        )
        metrics.add_metric(name="ExpiredCasesPurged", unit="Count", value=1)
        return "expired"
    if isinstance(outcome, MessageIndexed):
        logger.info("message indexed", extra={"case_id": outcome.case_id, "words": outcome.words})
        metrics.add_metric(name="SearchWordsIndexed", unit="Count", value=outcome.words)
        return "search_index"
    if isinstance(outcome, SurveyAsked):
        logger.info("owed survey done", extra={"case_id": outcome.case_id})
        return "survey"
    if isinstance(outcome, LowScoreAlert):
        extra = {"case_id": outcome.case_id, "alerted": outcome.alerted}
        logger.info("low satisfaction score", extra=extra)
        metrics.add_metric(name="LowScoreAlerts", unit="Count", value=int(outcome.alerted))
        return "low_score"
    logger.info(
        "triaged",
        extra={
            "case_id": outcome.case_id,
            "outcome": outcome.outcome.value,
            "urgent": outcome.urgent,
        },
    )
    for name in _METRICS[outcome.outcome.value]:
        metrics.add_metric(name=name, unit="Count", value=1)
    count_held(metrics, outcome.emails_held)
    return outcome.outcome.value


def closed(logger: Any, metrics: Any, closed: BatchClosed) -> None:
    """The batch's autonomous cases: the emails SES held, or why they were not closed."""
    count_held(metrics, closed.held)
    if closed.failure is not None:
        extra = {"cases": len(closed.unclosed)}
        logger.error("autonomous cases not closed", extra=extra, exc_info=closed.failure)


def failures(metrics: Any, count: int) -> None:
    """Records the stream will retry (each one's exception is logged by the processor)."""
    if count:
        metrics.add_metric(name="TriageFailures", unit="Count", value=count)
