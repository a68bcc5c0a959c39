"""GET /reports/{period}/{day}/{file}?expires=...&signature=...: the managers' 7-day link,
exchanged for a short S3 link (302). Forged, expired or unknown links get a short page.
No Powertools event resolver for the one route API Gateway already routes: its package
(the resolver, OpenAPI, the event classes, asyncio) was about a tenth of this function's
cold start."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from socialcare.logs import service_logger
from socialcare.presentation import http
from socialcare.presentation.http import REPORT_LINK_HEADERS as HEADERS

if TYPE_CHECKING:  # annotations only: the handler imports its use case when called
    from socialcare.app.report_links import ReportLinkDependencies

logger = service_logger("report-links")
_STATUS = {"not_found": 404, "forged": 403, "expired": 410}


def _download(event: dict[str, Any], deps: ReportLinkDependencies) -> http.Response:
    from socialcare.app.report_links import LinkRefused, open_report_link

    path = event.get("pathParameters") or {}
    key = "/".join(str(path.get(part, "")) for part in ("period", "day", "file"))
    query = http.query(event)
    outcome = open_report_link(
        f"reports/{key}", query.get("expires") or "", query.get("signature") or "", deps
    )
    if isinstance(outcome, LinkRefused):  # a page (jinja2) only for a refused link
        from socialcare.presentation.notices import report_link_refused

        logger.info("report link refused", extra={"why": outcome.why})
        page = report_link_refused(outcome.why, outcome.language)
        return _response(_STATUS[outcome.why], "text/html; charset=utf-8", page, HEADERS)
    return _response(302, "text/plain", "", {**HEADERS, "Location": outcome.url})


def _response(status: int, content_type: str, body: str, headers: dict[str, str]) -> http.Response:
    return {
        "statusCode": status,
        "headers": {"Content-Type": content_type, **headers},
        "body": body,
        "isBase64Encoded": False,
    }


@logger.inject_lambda_context
def lambda_handler(
    event: dict[str, Any], context: Any, dependencies: ReportLinkDependencies | None = None
) -> dict[str, Any]:
    from socialcare import bootstrap
    from socialcare.bootstrap import use_cases

    # API Gateway's request id, read directly (a JMESPath query per request otherwise).
    logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    try:
        return _download(event, dependencies or use_cases.report_links(bootstrap.root()))
    except Exception:  # the trace in the log only, never in the page
        logger.exception("unexpected error on a report link")
        return _response(500, "text/plain; charset=utf-8", "Something went wrong.", HEADERS)
