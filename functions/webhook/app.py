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
    error_reply,
    handle_webhook,
    park,
    replay,
)
from socialcare.logs import service_logger
from socialcare.observability import webhook as observed
from socialcare.presentation import http

logger = service_logger("webhook")
metrics = Metrics(namespace="socialcare", service="webhook")


def webhook(event: dict[str, Any], deps: WebhookDependencies) -> dict[str, Any]:
    if "parked_delivery" in event:  # `socialcare replay`, invoking the function directly
        result = replay(event["parked_delivery"], deps)
        observed.observe(logger, metrics, "replay", result)
        return http.plain(result.reply.status, result.reply.content_type, result.reply.body)
    request = WebhookRequest(
        platform=(event.get("pathParameters") or {}).get("platform", ""),
        method=http.method(event),
        headers=http.lower_cased_headers(event),
        query=http.query(event),
        body=event.get("body"),
        body_is_base64=bool(event.get("isBase64Encoded")),
    )
    result = handle_webhook(request, deps)
    observed.observe(logger, metrics, request.platform, result)
    if result.reply.status >= 500:  # the platform will retry, but may give up: kept
        observed.parked(logger, metrics, request.platform, park(request, result, deps))
    return http.plain(result.reply.status, result.reply.content_type, result.reply.body)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: WebhookDependencies | None = None
) -> dict[str, Any]:
    # API Gateway's request id, read directly (a JMESPath query per delivery otherwise).
    logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    try:
        if dependencies is None:
            from socialcare import bootstrap
            from socialcare.bootstrap import use_cases

            dependencies = use_cases.webhook(bootstrap.root())
        return webhook(event, dependencies)
    except Exception:  # a bug outside the use case: the platform gets a 500 and retries
        logger.exception("unexpected error while handling a webhook")
        metrics.add_metric(name="WebhookErrors", unit=MetricUnit.Count, value=1)
        reply = error_reply(500, "internal_error", "unexpected error, retry later")
        return http.plain(500, reply.content_type, reply.body)
