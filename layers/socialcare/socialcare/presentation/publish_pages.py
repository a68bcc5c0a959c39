"""The pages of the social team's publish link, and how an outbound action's outcome is
said to a person (also on the department's action page)."""

from __future__ import annotations

from functools import singledispatch
from typing import Any

from socialcare.app.publish_links import (
    Published,
    PublishForm,
    PublishGone,
    PublishNotFound,
    PublishOutcome,
    PublishRefusal,
    PublishRefused,
)
from socialcare.domain.outbound import OutboundKind
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.case_views import case_context, local_time
from socialcare.presentation.pages import Page, notice, outcome_line
from socialcare.presentation.rendering import render, strings


def publish_page_for(outcome: PublishOutcome, routing: RoutingConfig) -> Page:
    return _page(outcome, routing)


@singledispatch
def _page(outcome: Any, routing: RoutingConfig) -> Page:
    raise TypeError(f"no page for {type(outcome).__name__}")


@_page.register
def _(outcome: PublishNotFound, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    return notice(404, outcome.language, t["not_found_title"], [t["not_found"]])


@_page.register
def _(outcome: PublishForm, routing: RoutingConfig) -> Page:
    language = outcome.language
    t = strings(language)
    timezone = routing.timezone_of(routing.main_department)
    private_label = (
        t["publish_private_reply"]
        if outcome.private_kind is OutboundKind.PRIVATE_REPLY
        else t["publish_message"]
    )
    context = case_context(outcome.case, timezone=timezone, language=language, routing=routing)
    html = render(
        "publish.html",
        **context,
        t=t,
        language=language,
        title=t["publish_title"].format(case=context["case_title"]),
        form_action=f"./{outcome.link_id}",
        csrf_token=outcome.csrf_token,
        public_text=outcome.public_text,
        private_text=outcome.private_text,
        private_label=private_label,
    )
    return Page(200, html)


@_page.register
def _(outcome: PublishGone, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    timezone = routing.timezone_of(routing.main_department)
    used_at = local_time(outcome.used_at, timezone, outcome.language)
    lines = [t["publish_gone"].format(used_at=used_at)]
    return notice(410, outcome.language, t["publish_gone_title"], lines, case_id=outcome.case_id)


@_page.register
def _(outcome: PublishRefused, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    if outcome.reason is PublishRefusal.FORBIDDEN:
        return notice(403, outcome.language, t["forbidden_title"], [t["forbidden"]])
    return notice(
        400, outcome.language, t["invalid_title"], [t["publish_empty"]], case_id=outcome.case_id
    )


@_page.register
def _(outcome: Published, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    lines = [outcome_line(t, kind, result) for kind, result in outcome.outcomes]
    status = 200 if outcome.link_kept else 409
    return notice(status, outcome.language, t["publish_done_title"], lines, case_id=outcome.case_id)
