"""The pages of the social team's publish link: before «Publicar», what can go now (by the
sender's own rule); after it, what went, word for word, in plain words."""

from __future__ import annotations

from functools import singledispatch
from typing import Any

from socialcare.app.outbound import Outcome, Result
from socialcare.app.publish_links import (
    PartNow,
    Published,
    PublishForm,
    PublishGone,
    PublishNotFound,
    PublishOutcome,
    PublishRefusal,
    PublishRefused,
)
from socialcare.domain.outbound import OutboundKind
from socialcare.domain.outbound_rules import FIXED_BY_EDITING, Blocked
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.case_views import case_context, local_time
from socialcare.presentation.pages import Page, notice, outcome_line, reason_words
from socialcare.presentation.rendering import render, strings

# Where a reply went, as people name it (the same in every language).
_PLATFORM_NAMES = {
    "facebook_comment": "Facebook",
    "messenger": "Messenger",
    "instagram_comment": "Instagram",
    "instagram_mention": "Instagram",
    "instagram_dm": "Instagram",
    "whatsapp": "WhatsApp",
    "x_mention": "X",
    "x_dm": "X",
    "telegram": "Telegram",
}


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
    context["replies"] = {"public": None, "private": None}  # shown once: in their fields
    public_text = outcome.public_text if _open(outcome.public_now) else None
    private_field = _private_field(outcome.private_now)
    template = outcome.private_now.template
    html = render(
        "publish.html",
        **context,
        t=t,
        language=language,
        title=t["publish_title"].format(case=context["case_title"]),
        before=_before(t, outcome, public_text, private_field),
        template_text=template.body if template else None,
        instead_text=outcome.without_private
        if public_text is not None and private_field == "text"
        else None,
        form_action=f"./{outcome.link_id}",
        csrf_token=outcome.csrf_token,
        public_text=public_text,
        private_text=outcome.private_text,
        private_field=private_field,
        private_label=private_label,
    )
    return Page(200, html)


def _open(part: PartNow) -> bool:
    """Its field is offered: it can go now, or only its text stands in the way."""
    return part.blocked is None or part.blocked.code in FIXED_BY_EDITING


def _private_field(part: PartNow) -> str | None:
    """ "text" to write, "template" when the approved template goes, None when nothing can."""
    if part.template is not None:
        return "template"
    return "text" if _open(part) else None


def _before(
    t: dict[str, str], form: PublishForm, public_text: str | None, private_field: str | None
) -> list[str]:
    """What the sender's rules let go now, said before the button."""
    lines: list[str] = []
    private = form.private_now
    if private.blocked is not None and not _open(private):
        key = "publish_private_cannot" if form.case.public else "publish_message_cannot"
        lines.append(t[key].format(reason=_blocked(t, private.blocked)))
        if public_text is not None:
            lines.append(t["publish_contact_instead"])
    elif private.template is not None:
        lines.append(t["publish_template_instead"].format(name=private.template.name))
    elif public_text is not None:
        lines.append(t["publish_order"])
    if form.case.public and form.public_now.blocked is not None:
        lines.append(t["publish_public_cannot"].format(reason=_blocked(t, form.public_now.blocked)))
    if public_text is None and private_field is None:
        lines.append(t["publish_nothing_now"])
    if form.approval_reasons:
        reasons = "; ".join(form.approval_reasons)
        lines.append(t["publish_needs_approval"].format(reasons=reasons))
    return lines


def _blocked(t: dict[str, str], blocked: Blocked) -> str:
    return t.get(f"blocked_{blocked.code}", blocked.reason)


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
    platform = _PLATFORM_NAMES.get(outcome.channel, outcome.channel)
    lines = [_said(t, kind, result, outcome, platform) for kind, result in outcome.outcomes]
    lines += [
        t[f"held_{part.kind.value}"].format(reasons="; ".join(part.reasons))
        for part in outcome.held
    ]
    missing = any(not (o.delivered or o.result is Result.UNCERTAIN) for _, o in outcome.outcomes)
    if missing and not outcome.link_kept:
        lines.append(t["publish_next_retry"])
    elif missing and outcome.public_without_private:
        lines.append(t["publish_next_contact"])
    status = 200 if outcome.anything_out or outcome.held else 409
    return notice(status, outcome.language, t["publish_done_title"], lines, case_id=outcome.case_id)


def _said(
    t: dict[str, str], kind: OutboundKind, result: Outcome, published: Published, platform: str
) -> str:
    """What went, word for word (the template's words when it replaced the written ones), or
    why it did not, in words; the rest (a dry run, unconfirmed, later) as the action page
    says it."""
    if result.result is Result.SENT:
        if result.template:
            return t["said_template"].format(
                platform=platform, name=result.template, text=result.text or ""
            )
        key = f"said_{kind.value}"
        if kind is OutboundKind.PUBLIC_REPLY and published.public_without_private:
            key = "said_public_instead"
        return t[key].format(platform=platform, text=result.text or "")
    if result.result in (Result.BLOCKED, Result.REFUSED):
        return t[f"not_said_{kind.value}"].format(reason=_why_not(t, result))
    return outcome_line(t, kind, result)


def _why_not(t: dict[str, str], result: Outcome) -> str:
    if result.result is Result.BLOCKED:  # with when an earlier template went, if it did
        return reason_words(t, result)
    code = (result.reason or "").split(":", 1)[0].strip()
    return t.get(f"refused_{code}", t["refused_any"])
