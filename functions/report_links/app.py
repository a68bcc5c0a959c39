"""GET /reports/{period}/{day}/{file}?expires=...&signature=...: the managers' 7-day link,
exchanged for a short S3 link (302). Forged, expired or unknown links get a short page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The resolver's own module: the package would also import AppSync, Bedrock, VPC Lattice.
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths

from socialcare.logs import service_logger
from socialcare.presentation.http import REPORT_LINK_HEADERS as HEADERS

if TYPE_CHECKING:  # annotations only: the handler imports its use case when called
    from socialcare.app.report_links import ReportLinkDependencies

logger = service_logger("report-links")
app = APIGatewayHttpResolver()
_STATUS = {"not_found": 404, "forged": 403, "expired": 410}


@app.get("/reports/<period>/<day>/<name>")
def download(period: str, day: str, name: str) -> Response:
    from socialcare.app.report_links import LinkRefused, open_report_link
    from socialcare.presentation.notices import report_link_refused

    query = app.current_event
    outcome = open_report_link(
        f"reports/{period}/{day}/{name}",
        query.get_query_string_value("expires", "") or "",
        query.get_query_string_value("signature", "") or "",
        app.context["deps"],
    )
    if isinstance(outcome, LinkRefused):
        logger.info("report link refused", extra={"why": outcome.why})
        page = report_link_refused(outcome.why, outcome.language)
        return Response(_STATUS[outcome.why], "text/html; charset=utf-8", page, HEADERS)
    return Response(302, "text/plain", "", {**HEADERS, "Location": outcome.url})


@app.exception_handler(Exception)
def unexpected(error: Exception) -> Response:
    logger.exception("unexpected error on a report link")
    return Response(500, "text/plain; charset=utf-8", "Something went wrong.", HEADERS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: ReportLinkDependencies | None = None
) -> dict[str, Any]:
    from socialcare import bootstrap
    from socialcare.bootstrap import use_cases

    app.append_context(deps=dependencies or use_cases.report_links(bootstrap.root()))
    return app.resolve(event, context)
