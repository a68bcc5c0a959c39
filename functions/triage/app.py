"""The table's stream -> triage: each new case's CASE item, each low satisfaction
score's LOW_SCORE item (the social team's alert), and each CASE item DynamoDB's TTL
deleted (the rest of the expired case goes too; the event source mapping's filter lets
nothing else through), in batches with partial failures, so one case that
cannot be triaged now is retried (and, after every retry, sent to TriageFailuresQueue)
without holding back or repeating the others. The batch's autonomous cases reach the
social team in one email (one per batch, not per case: emails are most of a case's cost)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

from socialcare.adapters.alarms import counted_in
from socialcare.logs import service_logger

if TYPE_CHECKING:  # annotations only: the use case is imported on the first record
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
        DynamoDBRecord,
    )

    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.surveys import SurveyDependencies
    from socialcare.domain.email_delivery import EmailHold
    from socialcare.ports.retention import ExpiredCases

logger = service_logger("triage")
metrics = Metrics(namespace="socialcare", service="triage")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
# The CASE item's key, as the webhook writes it: CASE#<yyyymmdd>-<16 hex>.
_CASE_KEY = re.compile(r"CASE#(\d{8}-[0-9a-f]{16})")
_ITEMS = ("CASE", "LOW_SCORE", "SURVEY_OWED")
_METRICS = {
    "autonomous": ("CasesTriaged", "CasesAutonomous"),
    "spam": ("CasesTriaged", "CasesAutonomous"),
    "derived": ("CasesTriaged", "CasesDerived"),
    "already_done": ("TriageRedeliveries",),
    "gone": ("TriageCasesGone",),
}


class NotACase(ValueError):
    """A record the filter should have kept out: reported failed, never guessed at."""


class AnswersOwed(RuntimeError):
    """The case is triaged, but an automatic answer could not go out now: the record is
    reported failed so the stream brings it back and the answer follows (once)."""


class SurveyOwed(RuntimeError):
    """A closed case's satisfaction survey still cannot go (a token to renew, a platform
    down): reported failed, so the stream (past its retries, `socialcare replay`) brings
    it back and it goes once."""


def _count_held(held: tuple[EmailHold, ...]) -> None:
    """EmailsUndelivered (alarmed): emails owed until a person acts; EmailsThrottled:
    owed until SES takes them (the OwedEmails schedule sends both)."""
    from socialcare.domain.email_delivery import alarmed

    for hold in held:
        name = "EmailsUndelivered" if alarmed(hold) else "EmailsThrottled"
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)


def item_of(record: dict[str, Any]) -> tuple[str, str]:
    """(case id, "CASE", "LOW_SCORE" or "SURVEY_OWED")."""
    keys = (record.get("dynamodb") or {}).get("Keys") or {}
    pk = (keys.get("PK") or {}).get("S", "")
    sk = (keys.get("SK") or {}).get("S", "")
    match = _CASE_KEY.fullmatch(pk)
    if match is None or sk not in _ITEMS:
        raise NotACase("the record's keys are not a case's")
    return match.group(1), sk


def _default_dependencies() -> TriageDependencies:
    from socialcare.adapters import wiring
    from socialcare.app.case_triage import TriageDependencies
    from socialcare.app.triage import Triager
    from socialcare.domain.clock import system_clock
    from socialcare.presentation.case_emails import CaseEmailComposer
    from socialcare.presentation.replies import ReplyWriter
    from socialcare.settings import get_settings, required

    triager = Triager()
    return TriageDependencies(
        cases=wiring.case_reader(),
        triage=wiring.case_states(),
        closing=wiring.case_states(),
        alerts=wiring.case_alerts(),
        owed_emails=wiring.owed_emails(),
        uncertain=wiring.outbound_actions(),
        follow_ups=wiring.follow_up_links(),
        customers=wiring.customer_directory(),
        email=wiring.email_sender(),
        emails=CaseEmailComposer(triager.routing, required("actions_base_url")),
        triager=triager,
        replies=ReplyWriter(),
        workflows=wiring.workflow_starter(),
        clock=system_clock,
        time_scale=get_settings().time_scale,
        text_signals=wiring.text_signals(),
        outbound=wiring.outbound_dependencies(),
        details=wiring.platform_details(),
    )


def _survey_dependencies() -> SurveyDependencies:
    from socialcare.adapters import wiring
    from socialcare.settings import required

    return wiring.survey_dependencies(required("actions_base_url"))


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any],
    context: Any,
    dependencies: TriageDependencies | None = None,
    expired: ExpiredCases | None = None,
    surveys: SurveyDependencies | None = None,
) -> dict[str, Any]:
    from socialcare.app.case_triage import close_autonomous, triage_case

    deps = dependencies
    to_close: dict[str, Any] = {}  # sequence number -> an autonomous case to close

    def triage_record(record: DynamoDBRecord) -> str:
        nonlocal deps, expired, surveys
        case_id, item = item_of(record.raw_event)
        if record.raw_event.get("eventName") == "REMOVE":  # only TTL's, by the filter
            from socialcare.app.retention import purge_expired_case

            if expired is None:
                from socialcare.adapters import wiring

                expired = wiring.personal_data_store()
            purged = purge_expired_case(case_id, expired)
            logger.info("expired case purged", extra={"case_id": case_id, "items": purged})
            metrics.add_metric(name="ExpiredCasesPurged", unit=MetricUnit.Count, value=1)
            return "expired"
        if item == "SURVEY_OWED":
            from socialcare.app.surveys import ask_owed_survey

            surveys = surveys or _survey_dependencies()
            if not ask_owed_survey(case_id, surveys):
                raise SurveyOwed(f"case {case_id}: its satisfaction survey is still owed")
            logger.info("owed survey done", extra={"case_id": case_id})
            return "survey"
        deps = deps or _default_dependencies()
        if item == "LOW_SCORE":
            from socialcare.app.low_scores import alert_low_score

            alerted = alert_low_score(case_id, deps)
            logger.info("low satisfaction score", extra={"case_id": case_id, "alerted": alerted})
            metrics.add_metric(name="LowScoreAlerts", unit=MetricUnit.Count, value=int(alerted))
            return "low_score"
        triaged = triage_case(case_id, deps, batch=True)
        if triaged.to_close is not None:
            to_close[record.dynamodb.sequence_number] = triaged.to_close
        logger.info(
            "triaged",
            extra={"case_id": case_id, "outcome": triaged.outcome.value, "urgent": triaged.urgent},
        )
        for name in _METRICS[triaged.outcome.value]:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
        _count_held(triaged.emails_held)
        if triaged.outbound_deferred:
            raise AnswersOwed(f"case {case_id}: an automatic answer is owed")
        return triaged.outcome.value

    with counted_in(metrics):  # a token problem while answering: PlatformTokenInvalid
        response = process_partial_response(
            event=event, record_handler=triage_record, processor=processor, context=context
        )
    try:
        if to_close and deps is not None:
            _count_held(close_autonomous(list(to_close.values()), deps))
    except Exception:  # their records come back: still triaged, they are told and closed then
        logger.exception("autonomous cases not closed", extra={"cases": len(to_close)})
        failed = response.setdefault("batchItemFailures", [])
        reported = {item["itemIdentifier"] for item in failed}
        failed.extend({"itemIdentifier": s} for s in to_close if s not in reported)
    failures = len(response.get("batchItemFailures", []))
    if failures:
        # Each failure's exception is logged by the batch processor; the stream retries.
        metrics.add_metric(name="TriageFailures", unit=MetricUnit.Count, value=failures)
    return response
