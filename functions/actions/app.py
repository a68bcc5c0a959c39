"""GET|POST /actions/{id}: the department's answer through the link in its email."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from aws_lambda_powertools import Logger

# The resolver's own module: the package would also import AppSync, Bedrock, VPC Lattice.
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths

if TYPE_CHECKING:  # annotations only: the handler imports its use case when called
    from socialcare.app.action_links import ActionDependencies, ActionOutcome

logger = Logger(service="actions")
app = APIGatewayHttpResolver()
_MAX_FORM_BYTES = 16 * 1024
_ERROR_PAGE = (
    "<!doctype html><title>Error</title><h1>Something went wrong</h1>"
    "<p>Please try again in a few minutes.</p>"
)


@app.get("/actions/<action_id>")
def confirm(action_id: str) -> Response:
    from socialcare.app import action_links

    deps = app.context["deps"]
    selected = app.current_event.get_query_string_value("do")
    return _page(action_links.show(action_id, selected, deps), deps)


@app.post("/actions/<action_id>")
def record(action_id: str) -> Response:
    from socialcare.app import action_links

    body = app.current_event.body or ""
    try:
        if app.current_event.is_base64_encoded:
            raw = base64.b64decode(body, validate=True)
        else:
            raw = body.encode("utf-8", errors="surrogatepass")
    except (binascii.Error, ValueError):
        page = "<!doctype html><title>Bad request</title><h1>Bad request</h1>"
        return Response(400, "text/html; charset=utf-8", page, _no_store())
    if len(raw) > _MAX_FORM_BYTES:
        page = "<!doctype html><title>Too large</title><h1>Too large</h1>"
        return Response(413, "text/html; charset=utf-8", page, _no_store())
    form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", errors="replace")).items()}
    deps = app.context["deps"]
    outcome = action_links.submit(action_id, form, deps)
    logger.info("action answered", extra={"outcome": type(outcome).__name__})
    return _page(outcome, deps)


@app.exception_handler(Exception)
def unexpected(error: Exception) -> Response:
    logger.exception("unexpected error on an action link")
    return Response(500, "text/html; charset=utf-8", _ERROR_PAGE, _no_store())


def _page(outcome: ActionOutcome, deps: ActionDependencies) -> Response:
    from socialcare.presentation.action_pages import page_for

    page = page_for(outcome, deps.routing)
    return Response(page.status, "text/html; charset=utf-8", page.html, _no_store())


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


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: ActionDependencies | None = None
) -> dict[str, Any]:
    app.append_context(deps=dependencies or _default_dependencies())
    return app.resolve(event, context)
