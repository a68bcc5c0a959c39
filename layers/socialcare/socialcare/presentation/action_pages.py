"""The pages of the department's action link, one per outcome of the use case."""

from __future__ import annotations

from functools import singledispatch
from typing import Any

from socialcare.app.action_links import (
    ActionOutcome,
    Answered,
    Confirmation,
    LateAnswer,
    LinkGone,
    NotFound,
    Refusal,
    Refused,
    ReplyNotSent,
)
from socialcare.app.answers import private_kind
from socialcare.domain.action_links import CLOSING_CHOICES, LATE_CHOICES, ActionChoice
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import OutboundKind
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.case_views import case_context, local_time
from socialcare.presentation.labels import Labels
from socialcare.presentation.pages import Page, notice, outcome_line
from socialcare.presentation.rendering import render, strings

_REFUSALS = {
    Refusal.FORBIDDEN: (403, "forbidden_title", "forbidden"),
    Refusal.INVALID: (400, "invalid_title", "forbidden"),
    Refusal.EXTENSION_USED: (409, "invalid_title", "extension_used"),
    Refusal.UNAVAILABLE: (503, "unavailable_title", "unavailable"),
    Refusal.NO_DEPARTMENT: (400, "no_department_title", "no_department"),
    Refusal.REPLY_NEEDS_CONTACTED: (400, "reply_not_sent_yet_title", "reply_needs_contacted"),
}


def page_for(outcome: ActionOutcome, routing: RoutingConfig) -> Page:
    return _page(outcome, routing)


@singledispatch
def _page(outcome: Any, routing: RoutingConfig) -> Page:
    raise TypeError(f"no page for {type(outcome).__name__}")


@_page.register
def _(outcome: NotFound, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    return notice(404, outcome.language, t["not_found_title"], [t["not_found"]])


@_page.register
def _(outcome: Confirmation, routing: RoutingConfig) -> Page:
    link, language = outcome.link, outcome.language
    timezone = routing.timezone_of(link.plan.department)
    t = strings(language)
    # The page (no-store, behind the single-use link) is where the department holding
    # the case may read the personal data it needs to call the customer.
    context = case_context(
        outcome.case,
        timezone=timezone,
        language=language,
        routing=routing,
        reveal_personal_data=True,
    )
    context["deadline_local"] = local_time(link.plan.deadline, timezone, language)
    html = render(
        "action.html",
        **context,
        t=t,
        language=language,
        form_action=f"./{link.id}",
        csrf_token=link.csrf_token,
        choices=[c.value for c in ActionChoice],
        selected=outcome.selected.value if outcome.selected else None,
        departments=[
            (key, d.name_in(language))
            for key, d in routing.departments.items()
            if key != link.plan.department
        ],
        reply_form=_reply_form(outcome, t, context["L"]),
    )
    return Page(200, html)


def _reply_form(outcome: Confirmation, t: dict[str, str], labels: Labels) -> dict[str, Any] | None:
    """The customer can be answered where they wrote: a private conversation, or the one
    private reply to a comment or mention. Left empty (the suggestion is on the card
    above): a text already there would be refused with any choice but "contacted"."""
    case = outcome.case
    if case.reply_to is None or case.channel == Channel.INSTAGRAM_MENTION.value:
        return None
    kind = private_kind(case)
    channel = labels.channel(case.channel)
    if kind is not OutboundKind.MESSAGE:
        channel = f"{channel}, {t['kind_private_reply'].lower()}"
    if outcome.template is not None:  # said before «Confirmar»: the text will not go
        intro = t["reply_template_intro"].format(channel=channel, text=outcome.template.body)
        return {"intro": intro}
    return {"intro": t["reply_intro"].format(channel=channel)}


@_page.register
def _(outcome: LinkGone, routing: RoutingConfig) -> Page:
    """410: what happened to the link, and what became of a late answer; while none was
    noted, a form offers to note one."""
    link, language = outcome.link, outcome.language
    t = strings(language)
    used_at = local_time(link.used_at, routing.timezone_of(link.plan.department), language)
    what = t[outcome.reason.value].format(
        choice=t.get(str(link.choice), link.choice or ""), used_at=used_at
    )
    late_form = None
    if outcome.offers_late_answer:
        late_form = {
            "action": f"./{link.id}",
            "csrf_token": link.csrf_token,
            "choices": [choice.value for choice in LATE_CHOICES],
        }
    lines = [what, t[outcome.late.value]] if outcome.late else [what]
    if outcome.late is LateAnswer.RESOLVED_LATE:  # not "someone else holds it": it is closed
        lines = [t[outcome.late.value]]
    return notice(410, language, t["gone_title"], lines, case_id=link.case_id, late_form=late_form)


@_page.register
def _(outcome: Refused, routing: RoutingConfig) -> Page:
    status, title, line = _REFUSALS[outcome.reason]
    t = strings(outcome.language)
    return notice(status, outcome.language, t[title], [t[line]], case_id=outcome.case_id)


@_page.register
def _(outcome: ReplyNotSent, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    line = outcome_line(t, outcome.kind, outcome.outcome)
    status = 503 if outcome.outcome.result.value == "deferred" else 409
    return notice(
        status, outcome.language, t["reply_not_sent_title"], [line], case_id=outcome.case_id
    )


@_page.register
def _(outcome: Answered, routing: RoutingConfig) -> Page:
    t = strings(outcome.language)
    answer, following = outcome.answer, outcome.following
    if answer.choice in CLOSING_CHOICES:
        message = t["done_closed"].format(status=t[answer.choice.value])
    elif following and answer.choice is ActionChoice.MORE_TIME:
        timezone = routing.timezone_of(answer.department)
        deadline = local_time(following.deadline, timezone, outcome.language)
        message = t["done_extended"].format(deadline=deadline)
    else:
        key = following.department if following else answer.to
        name = routing.department_name(key, outcome.language) if key else "-"
        message = t["done_rederived"].format(department=name)
    lines = [message]
    if outcome.template is not None:  # what went, word for word: never the department's
        lines.append(t["done_template"].format(text=outcome.template.body))
    return notice(200, outcome.language, t["done_title"], lines, case_id=outcome.case_id)
