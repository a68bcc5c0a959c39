"""The cases table's stream, in batches with partial failures (app/stream_records.py says
which use case each record goes to): a record that cannot be handled now is retried (past
every retry, sent to TriageFailuresQueue) without holding back or repeating the others."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Metrics

from socialcare.logs import service_logger
from socialcare.observability import case_stream as observed

if TYPE_CHECKING:  # annotations only: the use cases are imported on the first record
    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.retention import ExpiredCases
    from socialcare.app.search_index import SearchIndexDependencies
    from socialcare.app.surveys import SurveyDependencies

# "triage": the service the dashboard, the alarms and the logs know this function by.
logger = service_logger("triage")
metrics = Metrics(namespace="socialcare", service="triage")


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any],
    context: Any,
    dependencies: TriageDependencies | None = None,
    expired: ExpiredCases | None = None,
    surveys: SurveyDependencies | None = None,
    search: SearchIndexDependencies | None = None,
) -> dict[str, list[dict[str, str]]]:
    """A partial batch response: the sequence numbers of the records to retry."""
    from socialcare.app.case_triage import Triaged
    from socialcare.app.stream_records import AnswersOwed, StreamBatch, handle_each
    from socialcare.bootstrap import counted_in, root, use_cases

    batch = StreamBatch(
        triage=lambda: dependencies or use_cases.triage(root()),
        surveys=lambda: surveys or use_cases.survey(root(), root().required("actions_base_url")),
        expired=lambda: expired or use_cases.expired_cases(root()),
        search=lambda: search or use_cases.search_index(root()),
    )

    def handle(record: dict[str, Any]) -> None:
        outcome = batch.handle(record)
        observed.record(logger, metrics, outcome)
        if isinstance(outcome, Triaged) and outcome.outbound_deferred:
            raise AnswersOwed(f"case {outcome.case_id}: an automatic answer is owed")

    with counted_in(metrics):  # a token problem while answering: PlatformTokenInvalid
        errors = handle_each(event["Records"], handle)
    for number, error in errors:
        logger.warning("record to retry", extra={"sequence_number": number}, exc_info=error)
    closed = batch.close_autonomous()
    observed.closed(logger, metrics, closed)
    failed = [{"itemIdentifier": number} for number, _ in errors]
    # The unclosed come back: told and closed then.
    failed.extend({"itemIdentifier": number} for number in closed.unreported(failed))
    observed.failures(metrics, len(failed))
    return {"batchItemFailures": failed}
