"""The links in emails and messages, routed by one table: each route's use cases (show on
GET, submit on POST), its page and its dependencies. Each kind imports its use case and
page when its route is first asked for: a container pays only for the links it serves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from socialcare.bootstrap import Root, use_cases

Response = dict[str, Any]


def _type_name(outcome: Any) -> str:
    return type(outcome).__name__


@dataclass(frozen=True)
class LinkKind:
    """`injected`: the actions handler's keyword through which tests pass dependencies;
    `logged`: the log line after a submit (after a show for links with no form)."""

    injected: str
    dependencies: Callable[[Root, str], Any]  # (root, the API's base URL)
    show: Callable[[str, dict[str, str], Any], Any]  # (link id, query, dependencies)
    submit: Callable[[str, dict[str, str], Any], Any] | None  # (link id, form, dependencies)
    respond: Callable[[Any, Any], Response]  # (outcome, dependencies)
    logged: str
    described: Callable[[Any], str] = _type_name


def _page(page: Any) -> Response:
    from socialcare.presentation import http

    return http.html(page.status, page.html)


def _actions() -> LinkKind:
    from socialcare.app import action_links
    from socialcare.presentation.action_pages import page_for

    return LinkKind(
        injected="dependencies",
        dependencies=use_cases.actions,
        show=lambda link_id, query, deps: action_links.show(link_id, query.get("do"), deps),
        submit=action_links.submit,
        respond=lambda outcome, deps: _page(page_for(outcome, deps.routing)),
        logged="action answered",
    )


def _publish() -> LinkKind:
    from socialcare.app import publish_links
    from socialcare.config.loaders import routing_config
    from socialcare.presentation.publish_pages import publish_page_for

    return LinkKind(
        injected="publish",
        dependencies=lambda root, _: use_cases.publish(root),
        show=lambda link_id, _, deps: publish_links.show(link_id, deps),
        submit=publish_links.submit,
        respond=lambda outcome, _: _page(publish_page_for(outcome, routing_config())),
        logged="publish link",
    )


def _follow_up() -> LinkKind:
    from socialcare.app import follow_ups
    from socialcare.config.loaders import routing_config
    from socialcare.presentation.follow_up_pages import follow_up_page_for

    return LinkKind(
        injected="follow_up",
        dependencies=lambda root, _: use_cases.follow_up(root),
        show=lambda link_id, _, deps: follow_ups.show_follow_up(link_id, deps),
        submit=follow_ups.submit_follow_up,
        respond=lambda outcome, _: _page(follow_up_page_for(outcome, routing_config())),
        logged="follow-up sent",
    )


def _survey() -> LinkKind:
    from socialcare.app import surveys
    from socialcare.presentation.survey_pages import survey_page_for

    return LinkKind(
        injected="survey",
        dependencies=use_cases.survey,
        show=lambda link_id, _, deps: surveys.show_survey(link_id, deps),
        submit=surveys.submit_survey,
        respond=lambda outcome, _: _page(survey_page_for(outcome)),
        logged="survey answered",
    )


def _media() -> LinkKind:
    from socialcare.app.media_links import open_media
    from socialcare.config.loaders import routing_config
    from socialcare.presentation.media_pages import media_response

    return LinkKind(
        injected="media",
        dependencies=lambda root, _: use_cases.media(root),
        show=lambda link_id, _, deps: open_media(link_id, deps),
        submit=None,
        respond=lambda opened, _: media_response(opened, routing_config().default_language),
        logged="media link opened",
        described=lambda opened: opened.state.value,
    )


# A path's kind answers each of its methods; the media link answers GET only.
LINKS: dict[str, Callable[[], LinkKind]] = {
    "/actions/{id}": _actions,
    "/publish/{id}": _publish,
    "/follow-up/{id}": _follow_up,
    "/survey/{id}": _survey,
    "GET /media/{id}": _media,
}


def link_kind(route_key: str) -> LinkKind:
    """The kind of link API Gateway's `route_key` ("GET /survey/{id}") serves; the
    department's action link for any other."""
    path = route_key.partition(" ")[2]
    kind = LINKS.get(route_key) or LINKS.get(path) or _actions
    return kind()
