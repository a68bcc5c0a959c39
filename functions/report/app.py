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


def _default_dependencies() -> ReportDependencies:
    from socialcare.adapters import wiring
    from socialcare.app.reports import ReportDependencies, SignedLinks
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from socialcare.presentation.report_files import ReportRenderer
    from socialcare.settings import get_settings, required

    return ReportDependencies(
        days=wiring.case_days(),
        store=wiring.report_store(),
        email=wiring.email_sender(),
        routing=routing_config(),
        clock=system_clock,
        links=SignedLinks(required("actions_base_url"), wiring.link_secret(), system_clock),
        files=ReportRenderer(routing_config()),
        time_scale=get_settings().time_scale,
    )


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: ReportDependencies | None = None
) -> dict[str, Any]:
    from socialcare.app.reports import parse_day, period_for, run_report
    from socialcare.domain.reporting import PeriodKind

    try:
        kind = PeriodKind(str(event.get("period")))
        day = parse_day(event.get("date"))
    except ValueError as error:
        message = f"expected period daily|weekly|monthly and date YYYY-MM-DD: {error}"
        raise BadRequest(message) from error
    deps = dependencies or _default_dependencies()
    period = period_for(kind, day, deps)
    logger.append_keys(period=kind.value, first_day=period.key)
    written = run_report(period, deps)
    logger.info("report written", extra={"keys": written.keys})
    return written.as_dict()
