"""The pages of the low-score alert's link: the form that writes to the customer, and
what happened when it was sent."""

from __future__ import annotations

from functools import singledispatch
from typing import Any, get_args

from socialcare.app.follow_ups import (
    FollowUpForm,
    FollowUpGone,
    FollowUpNotFound,
    FollowUpOutcome,
    FollowUpRefusal,
    FollowUpRefused,
    FollowUpSent,
)
from socialcare.app.outbound import Result
from socialcare.domain.cases import Case
from socialcare.domain.languages import customer_language
from socialcare.domain.routing import Language, RoutingConfig
from socialcare.presentation.alert_emails import follow_up_facts
from socialcare.presentation.case_views import case_context, local_time
from socialcare.presentation.pages import Page, notice, outcome_line
from socialcare.presentation.rendering import render, strings


def follow_up_page_for(outcome: FollowUpOutcome, routing: RoutingConfig) -> Page:
    return _page(outcome, routing)


@singledispatch
def _page(outcome: Any, routing: RoutingConfig) -> Page:
    raise TypeError(f"no page for {type(outcome).__name__}")


@_page.register
def _(outcome: FollowUpNotFound, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    return notice(404, outcome.language, t["not_found_title"], [t["not_found"]])


@_page.register
def _(outcome: FollowUpForm, routing: RoutingConfig) -> Page:
    language, case = outcome.language, outcome.case
    t = strings(language)
    timezone = routing.timezone_of(routing.main_department)
    context = case_context(case, timezone=timezone, language=language, routing=routing)
    labels = context["L"]
    title = t["follow_up_title"].format(
        category=labels.category(case.triage.category if case.triage else None),
        channel=labels.channel(case.channel),
        author=case.author.label or t["author_unknown"],
    )
    score = case.survey.score if case.survey else "-"
    # The suggested words are in the customer's language (the one their survey was asked
    # in, else what triage detected); the page is in the team's.
    customer = strings(_customer_language(case, routing))
    context["replies"] = {"public": None, "private": None}  # triage's, for an open case
    context.update(
        t=t,
        language=language,
        title=title,
        intro=t["follow_up_intro"].format(score=score),
        deadline_local=None,
        form_action=f"./{outcome.link_id}",
        csrf_token=outcome.csrf_token,
        suggested=customer["follow_up_suggested"],
        **follow_up_facts(case, routing, language),
    )
    return Page(200, render("follow_up.html", **context))


@_page.register
def _(outcome: FollowUpGone, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    timezone = routing.timezone_of(routing.main_department)
    used_at = local_time(outcome.used_at, timezone, outcome.language)
    lines = [t["follow_up_gone"].format(used_at=used_at)]
    title = t["follow_up_gone_title"]
    return notice(410, outcome.language, title, lines, case_id=outcome.case_id)


@_page.register
def _(outcome: FollowUpRefused, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    if outcome.reason is FollowUpRefusal.FORBIDDEN:
        return notice(403, outcome.language, t["forbidden_title"], [t["forbidden"]])
    lines = [t["follow_up_empty"]]
    return notice(400, outcome.language, t["invalid_title"], lines, case_id=outcome.case_id)


@_page.register
def _(outcome: FollowUpSent, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    went = outcome.outcome
    if went.result is Result.SENT and went.text:  # the words the customer got
        lines = [t["follow_up_said"].format(text=went.text)]
    else:
        lines = [outcome_line(t, outcome.kind, went)]
    status = 200 if outcome.link_kept else 409
    title = t["follow_up_done_title"]
    return notice(status, outcome.language, title, lines, case_id=outcome.case_id)


def _customer_language(case: Case, routing: RoutingConfig) -> str:
    if case.survey and case.survey.language:
        return case.survey.language
    return customer_language(case, get_args(Language), routing.default_language).language
