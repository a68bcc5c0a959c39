"""The alerts, in the staff's language. The crisis alert: the topic as configured, the
trend, the window's cases (excerpts masked as in every email, reach, links) and the
answers approved ahead. The low-score alert: the customer's comment, who closed the case
and how, and the link that writes to the customer."""

from __future__ import annotations

from typing import Any

from socialcare.domain.cases import Case
from socialcare.domain.crisis import CrisisFacts
from socialcare.domain.emails import Email
from socialcare.domain.follow_ups import closure_of
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.case_views import case_context, local_time, post_url
from socialcare.presentation.formatting import Formats
from socialcare.presentation.labels import Labels, masked
from socialcare.presentation.rendering import render, strings

EXCERPT = 280  # characters of a case's messages the alert quotes


def crisis_email(
    facts: CrisisFacts,
    routing: RoutingConfig,
    publish_url: Any,
    language: str,
    since_last: int | None = None,
) -> Email:
    """`publish_url(case)`: the social team's link for the case (None once used).
    `since_last`: the social team's crisis digest, with the cases since the last one."""
    t = strings(language)
    timezone = routing.timezone_of(routing.main_department)
    labels = Labels(language, routing)
    latest = facts.cases[0].id if facts.cases else "-"
    values = {
        "count": facts.count,
        "topic": labels.topic(facts.topic),
        "minutes": facts.minutes,
        "case_id": latest,
        "previous": facts.previous_count,
        "shown": len(facts.cases),
        "new": since_last,
    }
    kind = "crisis" if since_last is None else "crisis_digest"
    subject = t[f"{kind}_subject"].format(**values)
    context = {
        "t": t,
        "language": language,
        "subject": subject,
        "intro": t[f"{kind}_body"].format(**values),
        "trend": t["crisis_trend"].format(**values),
        "cases_title": t["crisis_cases_title"].format(**values),
        "cases": [_item(c, publish_url(c), labels, timezone, language) for c in facts.cases],
        "answers": [
            (t[f"crisis_answer_in_{code}"], text)
            for code, text in sorted(facts.answers.items(), key=lambda kv: kv[0] != language)
        ],
    }
    return Email(subject, render("crisis.txt", **context), render("crisis.html", **context))


def _item(
    case: Case, publish: str | None, labels: Labels, timezone: str, language: str
) -> dict[str, Any]:
    text = masked(case.text, language)
    excerpt = text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"
    return {
        "id": case.id,
        "channel": labels.channel(case.channel),
        "public": case.public,
        "author": case.author.label or strings(language)["author_unknown"],
        "followers": Formats(language).number(case.author.followers, 0)
        if case.author.followers
        else None,
        "at": local_time(case.created_at, timezone, language),
        "excerpt": excerpt,
        "post_url": post_url(case),
        "publish_url": publish,
        # Counted by the crisis while another container was still triaging it: its
        # link did not exist yet when the alert went out.
        "in_triage": case.triage is None,
    }


def low_score_email(
    case: Case, score: int, routing: RoutingConfig, follow_up_url: str | None, language: str
) -> Email:
    t = strings(language)
    timezone = routing.timezone_of(routing.main_department)
    context = case_context(case, timezone=timezone, language=language, routing=routing)
    values = {"score": score, "case_id": case.id}
    subject = t["low_score_subject"].format(**values)
    context.update(
        t=t,
        language=language,
        subject=subject,
        intro=t["intro_low_score"].format(**values),
        deadline_local=None,  # closed: no deadline to meet
        replies={"public": None, "private": None},  # triage's were for the open case
        **follow_up_facts(case, routing, language),
        follow_up_url=follow_up_url,
    )
    return Email(subject, render("low_score.txt", **context), render("low_score.html", **context))


def follow_up_facts(case: Case, routing: RoutingConfig, language: str) -> dict[str, str | None]:
    """The customer's comment (personal data masked) and who closed the case and how."""
    t = strings(language)
    comment = case.survey.comment if case.survey else None
    closure = closure_of(case)
    words = "-"
    if closure is not None:
        timezone = routing.timezone_of(routing.main_department)
        department = Labels(language, routing).department(closure.department)
        at = local_time(closure.at, timezone, language)
        words = t[f"closure_{closure.status}"].format(department=department, at=at)
    return {"comment": masked(comment, language) if comment else None, "closure": words}
