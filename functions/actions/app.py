"""GET|POST /actions/{id}: the department's answer through the link in its email.

Two routes API Gateway already routes, so no Powertools event resolver: its module was
about a third of this function's cold start."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from aws_lambda_powertools import Logger

if TYPE_CHECKING:  # annotations only: the handler imports its use case when called
    from socialcare.app.action_links import ActionDependencies, ActionOutcome

logger = Logger(service="actions")
_MAX_FORM_BYTES = 16 * 1024
_ERROR_PAGE = (
    "<!doctype html><title>Error</title><h1>Something went wrong</h1>"
    "<p>Please try again in a few minutes.</p>"
)


def _route(event: dict[str, Any], deps: ActionDependencies) -> dict[str, Any]:
    from socialcare.app import action_links

    method = str(((event.get("requestContext") or {}).get("http") or {}).get("method", ""))
    action_id = str((event.get("pathParameters") or {}).get("id", ""))
    if method.upper() == "GET":
        selected = (event.get("queryStringParameters") or {}).get("do")
        return _page(action_links.show(action_id, selected, deps), deps)
    if method.upper() != "POST":
        page = "<!doctype html><title>Not allowed</title><h1>Method not allowed</h1>"
        return _response(405, page)
    body = event.get("body") or ""
    try:
        if event.get("isBase64Encoded"):
            raw = base64.b64decode(body, validate=True)
        else:
            raw = body.encode("utf-8", errors="surrogatepass")
    except (binascii.Error, ValueError):
        return _response(400, "<!doctype html><title>Bad request</title><h1>Bad request</h1>")
    if len(raw) > _MAX_FORM_BYTES:
        return _response(413, "<!doctype html><title>Too large</title><h1>Too large</h1>")
    form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", errors="replace")).items()}
    outcome = action_links.submit(action_id, form, deps)
    logger.info("action answered", extra={"outcome": type(outcome).__name__})
    return _page(outcome, deps)


def _page(outcome: ActionOutcome, deps: ActionDependencies) -> dict[str, Any]:
    from socialcare.presentation.action_pages import page_for

    page = page_for(outcome, deps.routing)
    return _response(page.status, page.html)


def _response(status: int, html: str) -> dict[str, Any]:
    """API Gateway's HTTP API (payload 2.0) response."""
    headers = {"Content-Type": "text/html; charset=utf-8", **_no_store()}
    return {"statusCode": status, "headers": headers, "body": html, "isBase64Encoded": False}


def _no_store() -> dict[str, str]:
    # Pages carry a CSRF token and case details: never cached, never framed.
    return {
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'"
        ),
    }


def _default_dependencies() -> ActionDependencies:
    from socialcare.adapters import wiring
    from socialcare.adapters.step_functions import StepFunctionsTaskTokens
    from socialcare.app.action_links import ActionDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from socialcare.settings import get_settings

    return ActionDependencies(
        store=wiring.workflow_store(),
        tokens=StepFunctionsTaskTokens(wiring.task_tokens()),
        routing=routing_config(),
        clock=system_clock,
        time_scale=get_settings().time_scale,
    )


@logger.inject_lambda_context
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: ActionDependencies | None = None
) -> dict[str, Any]:
    # API Gateway's request id, read directly (a JMESPath query per request otherwise).
    logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    try:
        return _route(event, dependencies or _default_dependencies())
    except Exception:  # the trace in the log only, never in the page
        logger.exception("unexpected error on an action link")
        return _response(500, _ERROR_PAGE)
