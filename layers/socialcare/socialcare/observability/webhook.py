"""The webhook's logs and metrics; never message text or author ids (personal data)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socialcare.app.webhook import WebhookResult

# Items acknowledged without a case that someone should look at: a platform sending what
# it cannot send, or deliveries for accounts that are not the brand's.
_COUNTED = {"malformed": "WebhookItemsMalformed", "other_account": "DeliveriesForOtherAccounts"}


def parked(logger: Any, metrics: Any, platform: str, outcome: str) -> None:
    """What became of a delivery kept for `socialcare replay` (the platform may give up)."""
    if outcome == "parked":
        metrics.add_metric(name="WebhookDeliveriesParked", unit="Count", value=1)
    elif outcome != "no_parking":
        logger.error("delivery not parked", extra={"platform": platform, "why": outcome})
        metrics.add_metric(name="WebhookDeliveriesNotParked", unit="Count", value=1)


def observe(logger: Any, metrics: Any, platform: str, result: WebhookResult) -> None:
    _reply(logger, metrics, platform, result)
    if result.repaired:
        # Text DynamoDB cannot store (invalid Unicode): kept as U+FFFD, never the text here.
        logger.warning(
            "delivery held invalid Unicode, replaced",
            extra={"platform": platform, "code_points": result.repaired},
        )
        metrics.add_metric(name="DeliveriesMalformed", unit="Count", value=1)
    for item in result.ignored:
        failed_status = item.kind == "status" and item.detail.get("status") == "failed"
        noteworthy = failed_status or item.kind in _COUNTED
        log = logger.warning if noteworthy else logger.debug
        log("item acknowledged without a case", extra={"kind": item.kind, **item.detail})
        if item.kind in _COUNTED:
            metrics.add_metric(name=_COUNTED[item.kind], unit="Count", value=1)
    if result.report:
        for outcome, count in result.report.counts().items():
            metrics.add_metric(name=f"Messages_{outcome}", unit="Count", value=count)
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


def _reply(logger: Any, metrics: Any, platform: str, result: WebhookResult) -> None:
    """A rejected signature, a delivery not recorded (5xx: the platform retries) or refused."""
    if result.signature_rejected:
        logger.warning("signature rejected", extra={"platform": platform, "why": result.error})
        metrics.add_metric(name="WebhookSignatureRejected", unit="Count", value=1)
    elif result.reply.status >= 500:
        logger.error(
            "delivery not recorded",
            extra={"platform": platform, "why": result.error},
            exc_info=result.failure,
        )
        metrics.add_metric(name="WebhookDeliveriesFailed", unit="Count", value=1)
        if result.failure is not None:
            metrics.add_metric(name="WebhookErrors", unit="Count", value=1)
    elif result.reply.status >= 400:
        logger.info("delivery refused", extra={"platform": platform, "status": result.reply.status})
