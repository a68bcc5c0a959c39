"""GET|POST /actions/{id}: the department's answer through the link in its email (and
its reply to the customer); GET|POST /publish/{id}: the social team's publish link;
GET|POST /follow-up/{id}: the low-score alert's link that writes to the customer;
GET|POST /survey/{id}: the customer's satisfaction survey page; GET /media/{id}: an
image or voice note a customer sent, read from the platform when opened.

Routes API Gateway already routes, so no Powertools event resolver: its module was
about a third of this function's cold start."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from aws_lambda_powertools import Metrics

from socialcare.adapters.alarms import counted_in
from socialcare.logs import service_logger

if TYPE_CHECKING:  # annotations only: the handler imports its use case when called
    from socialcare.app.action_links import ActionDependencies, ActionOutcome
    from socialcare.app.follow_ups import FollowUpDependencies
    from socialcare.app.media_links import MediaDependencies
    from socialcare.app.publish_links import PublishDependencies
    from socialcare.app.surveys import SurveyDependencies

logger = service_logger("actions")
# PlatformTokenInvalid (adapters/alarms.py), flushed with service=actions.
metrics = Metrics(namespace="socialcare", service="actions")
_MAX_FORM_BYTES = 16 * 1024
_ERROR_PAGE = (
    "<!doctype html><title>Error</title><h1>Something went wrong</h1>"
    "<p>Please try again in a few minutes.</p>"
)


def _method(event: dict[str, Any]) -> str:
    return str(((event.get("requestContext") or {}).get("http") or {}).get("method", "")).upper()


def _route(event: dict[str, Any], deps: ActionDependencies) -> dict[str, Any]:
    from socialcare.app import action_links

    method = _method(event)
    action_id = str((event.get("pathParameters") or {}).get("id", ""))
    if method == "GET":
        selected = (event.get("queryStringParameters") or {}).get("do")
        return _page(action_links.show(action_id, selected, deps), deps)
    form, refusal = _form(event)
    if refusal is not None:
        return refusal
    outcome = action_links.submit(action_id, form, deps)
    logger.info("action answered", extra={"outcome": type(outcome).__name__})
    return _page(outcome, deps)


def _publish(event: dict[str, Any], deps: PublishDependencies) -> dict[str, Any]:
    from socialcare.app import publish_links
    from socialcare.config.loaders import routing_config
    from socialcare.presentation.publish_pages import publish_page_for

    return _link_page(
        event,
        lambda link_id: publish_links.show(link_id, deps),
        lambda link_id, form: publish_links.submit(link_id, form, deps),
        lambda outcome: publish_page_for(outcome, routing_config()),
        "publish link",
    )


def _follow_up(event: dict[str, Any], deps: FollowUpDependencies) -> dict[str, Any]:
    from socialcare.app import follow_ups
    from socialcare.config.loaders import routing_config
    from socialcare.presentation.follow_up_pages import follow_up_page_for

    return _link_page(
        event,
        lambda link_id: follow_ups.show_follow_up(link_id, deps),
        lambda link_id, form: follow_ups.submit_follow_up(link_id, form, deps),
        lambda outcome: follow_up_page_for(outcome, routing_config()),
        "follow-up sent",
    )


def _survey(event: dict[str, Any], deps: SurveyDependencies) -> dict[str, Any]:
    from socialcare.app import surveys
    from socialcare.presentation.survey_pages import survey_page_for

    return _link_page(
        event,
        lambda link_id: surveys.show_survey(link_id, deps),
        lambda link_id, form: surveys.submit_survey(link_id, form, deps),
        survey_page_for,
        "survey answered",
    )


def _link_page(
    event: dict[str, Any],
    show: Callable[[str], Any],
    submit: Callable[[str, dict[str, str]], Any],
    page_of: Callable[[Any], Any],
    logged: str,
) -> dict[str, Any]:
    """A link's page: GET shows and changes nothing, POST submits its form."""
    link_id = str((event.get("pathParameters") or {}).get("id", ""))
    if _method(event) == "GET":
        outcome = show(link_id)
    else:
        form, refusal = _form(event)
        if refusal is not None:
            return refusal
        outcome = submit(link_id, form)
        logger.info(logged, extra={"outcome": type(outcome).__name__})
    page = page_of(outcome)
    return _response(page.status, page.html)


def _media(event: dict[str, Any], deps: MediaDependencies) -> dict[str, Any]:
    """The file's bytes (inline, never run as a page), a redirect to the platform's CDN,
    or a short page in the staff's language saying why not."""
    from socialcare.app.media_links import MediaState, open_media
    from socialcare.config.loaders import routing_config
    from socialcare.presentation.notices import media_refused

    opened = open_media(str((event.get("pathParameters") or {}).get("id", "")), deps)
    logger.info("media link opened", extra={"outcome": opened.state.value})
    if opened.state is MediaState.SHOWN and opened.content is not None:
        headers = {
            **_no_store(),
            "Content-Type": opened.content.content_type,
            "Content-Disposition": "inline",
        }
        body = base64.b64encode(opened.content.body).decode()
        return {"statusCode": 200, "headers": headers, "body": body, "isBase64Encoded": True}
    if opened.state is MediaState.REDIRECT and opened.url:
        return {"statusCode": 302, "headers": {**_no_store(), "Location": opened.url}, "body": ""}
    status = {"gone": 410, "unavailable": 503, "too_large": 413}[opened.state.value]
    return _response(status, media_refused(opened.state.value, routing_config().default_language))


def _media_dependencies() -> MediaDependencies:
    from socialcare.adapters import wiring
    from socialcare.app.media_links import MediaDependencies
    from socialcare.domain.clock import system_clock

    return MediaDependencies(
        cases=wiring.case_reader(),
        media=wiring.platform_media(),
        clock=system_clock,
        alarm=wiring.token_alarm(),
    )


def _base_url(event: dict[str, Any]) -> str:
    """Where this API is served (the survey links point back to it)."""
    from socialcare.settings import get_settings

    configured = get_settings().actions_base_url
    if configured:
        return configured
    domain = str((event.get("requestContext") or {}).get("domainName", ""))
    return f"https://{domain}"


def _form(event: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any] | None]:
    """The POSTed form's fields, or the response refusing the request."""
    if _method(event) != "POST":
        page = "<!doctype html><title>Not allowed</title><h1>Method not allowed</h1>"
        return {}, _response(405, page)
    body = event.get("body") or ""
    try:
        if event.get("isBase64Encoded"):
            raw = base64.b64decode(body, validate=True)
        else:
            raw = body.encode("utf-8", errors="surrogatepass")
    except (binascii.Error, ValueError):
        page = "<!doctype html><title>Bad request</title><h1>Bad request</h1>"
        return {}, _response(400, page)
    if len(raw) > _MAX_FORM_BYTES:
        page = "<!doctype html><title>Too large</title><h1>Too large</h1>"
        return {}, _response(413, page)
    fields = parse_qs(raw.decode("utf-8", errors="replace"))
    return {k: _typed(v[0]) for k, v in fields.items()}, None


def _typed(value: str) -> str:
    """A field as the person typed it: browsers submit a textarea's line breaks as CR LF
    (HTML's form submission), which would reach the customer, and fail any comparison."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


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


def _default_dependencies(base_url: str = "") -> ActionDependencies:
    from socialcare.adapters import wiring
    from socialcare.adapters.step_functions import StepFunctionsTaskTokens
    from socialcare.app.action_links import ActionDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock
    from socialcare.settings import get_settings

    return ActionDependencies(
        cases=wiring.case_reader(),
        actions=wiring.action_links(),
        closing=wiring.case_states(),
        tokens=StepFunctionsTaskTokens(wiring.task_tokens()),
        routing=routing_config(),
        clock=system_clock,
        time_scale=get_settings().time_scale,
        outbound=wiring.outbound_dependencies(),
        surveys=wiring.survey_dependencies(base_url),
    )


def _survey_dependencies(base_url: str) -> SurveyDependencies:
    from socialcare.adapters import wiring

    return wiring.survey_dependencies(base_url)


def _publish_dependencies() -> PublishDependencies:
    from socialcare.adapters import wiring
    from socialcare.app.publish_links import PublishDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    return PublishDependencies(
        cases=wiring.case_reader(),
        links=wiring.publish_links(),
        outbound=wiring.outbound_dependencies(),
        clock=system_clock,
        language=routing_config().social_team_language,
    )


def _follow_up_dependencies() -> FollowUpDependencies:
    from socialcare.adapters import wiring
    from socialcare.app.follow_ups import FollowUpDependencies
    from socialcare.config.loaders import routing_config
    from socialcare.domain.clock import system_clock

    return FollowUpDependencies(
        cases=wiring.case_reader(),
        links=wiring.follow_up_links(),
        outbound=wiring.outbound_dependencies(),
        clock=system_clock,
        language=routing_config().default_language,
    )


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any],
    context: Any,
    dependencies: ActionDependencies | None = None,
    publish: PublishDependencies | None = None,
    survey: SurveyDependencies | None = None,
    media: MediaDependencies | None = None,
    follow_up: FollowUpDependencies | None = None,
) -> dict[str, Any]:
    # API Gateway's request id, read directly (a JMESPath query per request otherwise).
    logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    try:
        route = str(event.get("routeKey", ""))
        with counted_in(metrics):  # a token problem while answering: PlatformTokenInvalid
            if route.endswith(" /publish/{id}"):
                return _publish(event, publish or _publish_dependencies())
            if route == "GET /media/{id}":
                return _media(event, media or _media_dependencies())
            if route.endswith(" /follow-up/{id}"):
                return _follow_up(event, follow_up or _follow_up_dependencies())
            if route.endswith(" /survey/{id}"):
                return _survey(event, survey or _survey_dependencies(_base_url(event)))
            return _route(event, dependencies or _default_dependencies(_base_url(event)))
    except Exception:  # the trace in the log only, never in the page
        logger.exception("unexpected error on an action link")
        return _response(500, _ERROR_PAGE)
