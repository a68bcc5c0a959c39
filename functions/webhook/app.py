"""GET|POST /webhooks/{platform}: signed deliveries from Meta, X and Telegram become cases."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit

from socialcare.domain.clock import system_clock
from socialcare.webhooks import (
    WebhookDependencies,
    WebhookRequest,
    WebhookResult,
    error_reply,
    handle_webhook,
)

logger = Logger(service="webhook")
metrics = Metrics(namespace="socialcare", service="webhook")
app = APIGatewayHttpResolver()


@app.route("/webhooks/<platform>", method=["GET", "POST"])
def webhook(platform: str) -> Response:
    event = app.current_event
    request = WebhookRequest(
        platform=platform,
        method=event.request_context.http.method.upper(),
        headers={k.lower(): v for k, v in (event.headers or {}).items()},
        query=event.query_string_parameters or {},
        body=event.body,
        body_is_base64=event.is_base64_encoded,
    )
    deps = app.context["deps"]
    result = handle_webhook(request, deps)
    _observe(platform, result)
    if result.reply.status >= 500:
        _park(deps, event.raw_event, result.error or "unavailable")
    reply = result.reply
    return Response(status_code=reply.status, content_type=reply.content_type, body=reply.body)


@app.exception_handler(Exception)
def unexpected(error: Exception) -> Response:
    logger.exception("unexpected error while handling a webhook")
    metrics.add_metric(name="WebhookErrors", unit=MetricUnit.Count, value=1)
    _park(app.context["deps"], app.current_event.raw_event, type(error).__name__)
    reply = error_reply(500, "internal_error", "unexpected error, retry later")
    return Response(status_code=500, content_type=reply.content_type, body=reply.body)


def _park(deps: WebhookDependencies, event: dict[str, Any], reason: str) -> None:
    """The platform will retry, but may give up: keep the delivery for `socialcare replay`."""
    if deps.parking and deps.parking.park(event, reason):
        metrics.add_metric(name="WebhookDeliveriesParked", unit=MetricUnit.Count, value=1)


def _observe(platform: str, result: WebhookResult) -> None:
    """Logs and EMF metrics; never message text or author ids (personal data)."""
    if result.signature_rejected:
        logger.warning("signature rejected", extra={"platform": platform, "why": result.error})
        metrics.add_metric(name="WebhookSignatureRejected", unit=MetricUnit.Count, value=1)
    elif result.reply.status >= 500:
        logger.error("delivery not recorded", extra={"platform": platform, "why": result.error})
        metrics.add_metric(name="WebhookDeliveriesFailed", unit=MetricUnit.Count, value=1)
    elif result.reply.status >= 400:
        logger.info("delivery refused", extra={"platform": platform, "status": result.reply.status})
    for item in result.ignored:
        failed_status = item.kind == "status" and item.detail.get("status") == "failed"
        log = logger.warning if failed_status or item.kind == "malformed" else logger.debug
        log("item acknowledged without a case", extra={"kind": item.kind, **item.detail})
    if result.report:
        for outcome, count in result.report.counts().items():
            metrics.add_metric(name=f"Messages_{outcome}", unit=MetricUnit.Count, value=count)
        logger.info(
            "delivery recorded",
            extra={
                "platform": platform,
                "cases": [f"{r.case_id}:{r.outcome.value}" for r in result.report.recorded],
                "ignored": len(result.ignored),
            },
        )


def _default_dependencies() -> WebhookDependencies:
    from socialcare.adapters import wiring
    from socialcare.settings import get_settings

    return WebhookDependencies(
        store=wiring.case_store(),
        workflows=wiring.workflow_starter(),
        secrets=wiring.platform_secrets(),
        clock=system_clock,
        telegram_bot_id=get_settings().telegram_bot_id,
        parking=wiring.delivery_parking(),
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: WebhookDependencies | None = None
) -> dict[str, Any]:
    app.append_context(deps=dependencies or _default_dependencies())
    return app.resolve(event, context)
