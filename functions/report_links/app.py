"""GET /reports/{period}/{day}/{file}?expires=...&signature=...: the managers' 7-day link,
exchanged for a short S3 link (302). Forged, expired or unknown links get a short page."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

# The resolver's own module: the package would also import AppSync, Bedrock, VPC Lattice.
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths

logger = Logger(service="report-links")
app = APIGatewayHttpResolver()
S3_LINK_SECONDS = 300
_STATUS = {"not_found": 404, "forged": 403, "expired": 410}
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
}


@app.get("/reports/<period>/<day>/<name>")
def download(period: str, day: str, name: str) -> Response:
    from socialcare.domain.report_links import check
    from socialcare.presentation.rendering import render, strings

    deps = app.context["deps"]
    key = f"reports/{period}/{day}/{name}"
    query = app.current_event
    why = check(
        key,
        query.get_query_string_value("expires", "") or "",
        query.get_query_string_value("signature", "") or "",
        deps.secret(),
        deps.clock(),
    )
    if why:
        logger.info("report link refused", extra={"why": why})
        t = strings(deps.language)
        page = render(
            "notice.html",
            t=t,
            language=deps.language,
            title=t[f"report_link_{why}_title"],
            lines=[t[f"report_link_{why}"]],
            case_id=None,
            late_form=None,
        )
        return Response(_STATUS[why], "text/html; charset=utf-8", page, _HEADERS)
    url = deps.store.presigned_url(key, S3_LINK_SECONDS)
    return Response(302, "text/plain", "", {**_HEADERS, "Location": url})


@app.exception_handler(Exception)
def unexpected(error: Exception) -> Response:
    logger.exception("unexpected error on a report link")
    return Response(500, "text/plain; charset=utf-8", "Something went wrong.", _HEADERS)


def _default_dependencies() -> Any:
    from types import SimpleNamespace

    from socialcare.adapters import wiring
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    return SimpleNamespace(
        secret=wiring.link_secret(),
        store=wiring.report_store(),
        clock=system_clock,
        language=routing_config().reports.language,
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: Any, dependencies: Any = None) -> dict[str, Any]:
    app.append_context(deps=dependencies or _default_dependencies())
    return app.resolve(event, context)
