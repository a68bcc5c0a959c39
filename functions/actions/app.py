"""The links in emails and messages, routed by bootstrap/links.py's table: /actions/{id}
(the department's answer), /publish/{id}, /follow-up/{id}, /survey/{id}, GET /media/{id}.
No Powertools event resolver for routes API Gateway already routes: its module was about
a third of this function's cold start."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Metrics

from socialcare.logs import service_logger
from socialcare.presentation import http

logger = service_logger("actions")
# PlatformTokenInvalid (the token alarm), flushed with service=actions.
metrics = Metrics(namespace="socialcare", service="actions")


def _answer(event: dict[str, Any], injected: dict[str, Any]) -> http.Response:
    """GET shows and changes nothing; POST submits the link's form."""
    from socialcare import bootstrap
    from socialcare.bootstrap.links import link_kind

    kind = link_kind(str(event.get("routeKey", "")))
    deps = injected[kind.injected]
    if deps is None:
        root = bootstrap.root()
        deps = kind.dependencies(root, _base_url(event, root.settings.actions_base_url))
    link_id = http.path_id(event)
    if http.method(event) == "GET" or kind.submit is None:
        outcome = kind.show(link_id, http.query(event), deps)
        if kind.submit is not None:  # a page shown, nothing done: not logged
            return kind.respond(outcome, deps)
    else:
        form, refusal = http.form(event)
        if refusal is not None:
            return refusal
        outcome = kind.submit(link_id, form, deps)
    logger.info(kind.logged, extra={"outcome": kind.described(outcome)})
    return kind.respond(outcome, deps)


def _base_url(event: dict[str, Any], configured: str | None) -> str:
    """Where this API is served (the survey links point back to it)."""
    return configured or f"https://{(event.get('requestContext') or {}).get('domainName', '')}"


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(
    event: dict[str, Any],
    context: Any,
    dependencies: Any = None,
    publish: Any = None,
    survey: Any = None,
    media: Any = None,
    follow_up: Any = None,
) -> dict[str, Any]:
    from socialcare.bootstrap import counted_in

    # API Gateway's request id, read directly (a JMESPath query per request otherwise).
    logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    injected = {"dependencies": dependencies, "publish": publish, "survey": survey}
    try:
        with counted_in(metrics):  # a token problem while answering: PlatformTokenInvalid
            return _answer(event, {**injected, "media": media, "follow_up": follow_up})
    except Exception:  # the trace in the log only, never in the page
        logger.exception("unexpected error on an action link")
        return http.html(500, http.ERROR_PAGE)
