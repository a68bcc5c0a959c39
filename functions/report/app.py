"""KPI reports: scheduled (EventBridge Scheduler sends {"period": "daily"|"weekly"|"monthly"})
or on demand ({"period": ..., "date": "YYYY-MM-DD"} for the period containing that day)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socialcare.logs import service_logger

if TYPE_CHECKING:  # annotations only: the handler imports its use case when called
    from socialcare.app.reports import ReportDependencies

logger = service_logger("report")


class BadRequest(ValueError):
    """The event does not name a period (or a valid date): retrying will not help."""


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: ReportDependencies | None = None
) -> dict[str, Any]:
    from socialcare import bootstrap
    from socialcare.app.reports import parse_day, period_for, run_report
    from socialcare.bootstrap import use_cases
    from socialcare.domain.reporting import PeriodKind

    try:
        kind = PeriodKind(str(event.get("period")))
        day = parse_day(event.get("date"))
    except ValueError as error:
        message = f"expected period daily|weekly|monthly and date YYYY-MM-DD: {error}"
        raise BadRequest(message) from error
    deps = dependencies or use_cases.report(bootstrap.root())
    period = period_for(kind, day, deps)
    logger.append_keys(period=kind.value, first_day=period.key)
    written = run_report(period, deps)
    logger.info("report written", extra={"keys": written.keys})
    return written.as_dict()
