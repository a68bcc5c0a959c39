"""GET|POST /webhooks/{platform}: signed deliveries from Meta, X and Telegram become cases.

One route, so no Powertools event resolver: its module costs about 85 ms of every cold
start (the platforms want an answer in seconds) for routing API Gateway already did.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from socialcare.app.webhook import (
    WebhookDependencies,
    WebhookRequest,
    WebhookResult,
    error_reply,
    handle_webhook,
    park,
    replay,
)
from socialcare.domain.clock import system_clock
from socialcare.logs import service_logger

logger = service_logger("webhook")
metrics = Metrics(namespace="socialcare", service="webhook")
# Items acknowledged without a case that someone should look at: a platform sending what
# it cannot send, or deliveries for accounts that are not the brand's.
_COUNTED = {"malformed": "WebhookItemsMalformed", "other_account": "DeliveriesForOtherAccounts"}


def webhook(event: dict[str, Any], deps: WebhookDependencies) -> dict[str, Any]:
    if "parked_delivery" in event:  # `socialcare replay`, invoking the function directly
        result = replay(event["parked_delivery"], deps)
        _observe("replay", result)
        return _response(result.reply.status, result.reply.content_type, result.reply.body)
    context = event.get("requestContext") or {}
    request = WebhookRequest(
        platform=(event.get("pathParameters") or {}).get("platform", ""),
        method=str((context.get("http") or {}).get("method", "")).upper(),
        headers={k.lower(): v for k, v in (event.get("headers") or {}).items()},
        query=event.get("queryStringParameters") or {},
        body=event.get("body"),
        body_is_base64=bool(event.get("isBase64Encoded")),
    )
    result = handle_webhook(request, deps)
    _observe(request.platform, result)
    if result.reply.status >= 500:
        _park(request, result, deps)
    return _response(result.reply.status, result.reply.content_type, result.reply.body)


def _response(status: int, content_type: str, body: str) -> dict[str, Any]:
    """API Gateway's HTTP API (payload 2.0) response."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_type, "X-Content-Type-Options": "nosniff"},
        "body": body,
        "isBase64Encoded": False,
    }


def _park(request: WebhookRequest, result: WebhookResult, deps: WebhookDependencies) -> None:
    """The platform will retry, but may give up: keep the delivery for `socialcare replay`."""
    outcome = park(request, result, deps)
    if outcome == "parked":
        metrics.add_metric(name="WebhookDeliveriesParked", unit=MetricUnit.Count, value=1)
    elif outcome != "no_parking":
        logger.error("delivery not parked", extra={"platform": request.platform, "why": outcome})
        metrics.add_metric(name="WebhookDeliveriesNotParked", unit=MetricUnit.Count, value=1)


def _observe(platform: str, result: WebhookResult) -> None:
    """Logs and EMF metrics; never message text or author ids (personal data)."""
    if result.signature_rejected:
        logger.warning("signature rejected", extra={"platform": platform, "why": result.error})
        metrics.add_metric(name="WebhookSignatureRejected", unit=MetricUnit.Count, value=1)
    elif result.reply.status >= 500:
        logger.error(
            "delivery not recorded",
            extra={"platform": platform, "why": result.error},
            exc_info=result.failure,
        )
        metrics.add_metric(name="WebhookDeliveriesFailed", unit=MetricUnit.Count, value=1)
        if result.failure is not None:
            metrics.add_metric(name="WebhookErrors", unit=MetricUnit.Count, value=1)
    elif result.reply.status >= 400:
        logger.info("delivery refused", extra={"platform": platform, "status": result.reply.status})
    if result.repaired:
        # Text DynamoDB cannot store (invalid Unicode): kept as U+FFFD, never the text here.
        logger.warning(
            "delivery held invalid Unicode, replaced",
            extra={"platform": platform, "code_points": result.repaired},
        )
        metrics.add_metric(name="DeliveriesMalformed", unit=MetricUnit.Count, value=1)
    for item in result.ignored:
        failed_status = item.kind == "status" and item.detail.get("status") == "failed"
        noteworthy = failed_status or item.kind in _COUNTED
        log = logger.warning if noteworthy else logger.debug
        log("item acknowledged without a case", extra={"kind": item.kind, **item.detail})
        if item.kind in _COUNTED:
            metrics.add_metric(name=_COUNTED[item.kind], unit=MetricUnit.Count, value=1)
    if result.report:
        for outcome, count in result.report.counts().items():
            metrics.add_metric(name=f"Messages_{outcome}", unit=MetricUnit.Count, value=count)
        # Debug, not info: a formatted line per delivery weighs on the hot path; the
        # outcomes are in the metrics above and each case's timeline, and
        # LogLevel=DEBUG brings the lines back when tracing a delivery.
        logger.debug(
            "delivery recorded",
            extra={
                "platform": platform,
                "cases": [f"{r.case_id}:{r.outcome.value}" for r in result.report.recorded],
                "ignored": len(result.ignored),
            },
        )


def _default_dependencies() -> WebhookDependencies:
    from socialcare.adapters import wiring
    from socialcare.config.files import brand_accounts
    from socialcare.settings import get_settings

    return WebhookDependencies(
        messages=wiring.message_records(),
        notes=wiring.case_notes(),
        delivery_reports=wiring.delivery_reports(),
        survey_answers=wiring.survey_records(),
        secrets=wiring.platform_secrets(),
        clock=system_clock,
        telegram_bot_id=get_settings().telegram_bot_id,
        parking=wiring.delivery_parking(),
        seal_key=wiring.delivery_seal_key(),
        accounts=brand_accounts(),
    )


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: WebhookDependencies | None = None
) -> dict[str, Any]:
    # API Gateway's request id, read directly (a JMESPath query per delivery otherwise).
    logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    try:
        return webhook(event, dependencies or _default_dependencies())
    except Exception:  # a bug outside the use case: the platform gets a 500 and retries
        logger.exception("unexpected error while handling a webhook")
        metrics.add_metric(name="WebhookErrors", unit=MetricUnit.Count, value=1)
        reply = error_reply(500, "internal_error", "unexpected error, retry later")
        return _response(500, reply.content_type, reply.body)
