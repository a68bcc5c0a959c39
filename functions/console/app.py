"""The social team's console: pages under /console/ and its JSON API under /console/api/
(ANY /console and ANY /console/{proxy+}), routed by bootstrap/console.py's area table."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Metrics

from socialcare.logs import service_logger

logger = service_logger("console")
# PlatformTokenInvalid (the token alarm) while a reply is sent, flushed with service=console.
metrics = Metrics(namespace="socialcare", service="console")


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: Any, console: Any = None) -> dict[str, Any]:
    from socialcare import bootstrap
    from socialcare.presentation.console.responses import error
    from socialcare.presentation.console.router import answer

    logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    try:
        if console is None:
            from socialcare.bootstrap.console import console as build_console

            console = build_console(bootstrap.root())
        with bootstrap.counted_in(metrics):
            response = answer(event, console)
    except Exception:  # the trace in the log only, never in the answer
        logger.exception("unexpected error in the console")
        path = str(event.get("rawPath") or "")
        return error(500, path.startswith("/console/api/"), "please try again in a minute")
    logger.info(
        "console request",
        extra={"route": event.get("rawPath"), "status": response.get("statusCode")},
    )
    return response
