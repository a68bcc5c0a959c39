"""What a department sees of a case, in emails and on the action page: the message with
personal data masked (shown only on the action page, to the department holding the
case), every code in the reader's words, times in the reader's time zone and locale, the
post on the platform and the customer's reference."""

from __future__ import annotations

from typing import Any

from socialcare.domain.cases import Case, TriageRecord
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.formatting import Formats
from socialcare.presentation.labels import Labels, masked
from socialcare.presentation.rendering import strings


def local_time(moment_iso: str | None, timezone: str, language: str) -> str:
    """A moment as the reader writes it, with the time zone it is read in."""
    if not moment_iso:
        return "-"
    return f"{Formats(language, timezone).moment(moment_iso)} ({timezone})"


def post_url(case: Case) -> str | None:
    """The customer's post or comment on the platform, where it has a public address."""
    target = case.reply_to
    if target is None or not case.public:
        return None
    if case.channel == "facebook_comment":
        post = target.thread_id or target.message_id
        if target.message_id != post:
            return f"https://www.facebook.com/{post}?comment_id={target.message_id}"
        return f"https://www.facebook.com/{post}"
    if case.channel == "x_mention":
        return f"https://x.com/i/web/status/{target.message_id}"
    # Instagram addresses media by shortcode, which its webhooks do not carry: the
    # permalink triage read from the Graph API (app/case_details.py), when it could.
    return case.permalink if case.permalink and case.permalink.startswith("https://") else None


def case_title(case: Case, labels: Labels) -> str:
    """A case named in words a person recognises (category · channel · customer): its id
    is for reference, shown small in the body."""
    category = labels.category(case.triage.category if case.triage else None)
    words = [category, labels.channel(case.channel)]
    if case.author.label:  # an author the platform did not name is left out
        words.append(case.author.label)
    return " · ".join(words)


def case_context(
    case: Case,
    *,
    timezone: str,
    language: str,
    routing: RoutingConfig,
    reveal_personal_data: bool = False,
    links_base: str = "",
) -> dict[str, Any]:
    """`reveal_personal_data`: the action page (no-store, behind the single-use link), so
    the department can call the customer; emails and files never reveal it.
    `links_base`: where socialcare's links are served (emails); "" on its own pages."""
    triage = case.triage or TriageRecord()
    labels = Labels(language, routing)
    formats = Formats(language, timezone)
    shown = [masked(text, language) for text in case.texts]
    exposed = [raw for raw, text in zip(case.texts, shown, strict=True) if raw != text]
    return {
        "case": case,
        "case_title": case_title(case, labels),
        "triage": triage,
        "L": labels,
        "F": formats,
        # A word, never "-", when the platform told no name (slice: one label mechanism).
        "author": case.author.label or strings(language)["author_unknown"],
        "details_problem": case.details_problem,
        "attachments": attachment_links(case, language, links_base),
        "followers": case.author.followers,
        "messages": shown,
        "personal_data": exposed if reveal_personal_data else [],
        "replies": {"public": triage.public_reply, "private": triage.private_reply},
        "flags": list(triage.flags),
        "unsure": review_note(case, language),
        "deadline_local": local_time(case.deadline, timezone, language),
        "post_url": post_url(case),
        "history": [
            {
                "holder": labels.department(stop.department),
                "level": stop.level,
                "since": local_time(stop.at, timezone, language),
            }
            for stop in case.route
        ],
    }


def review_note(case: Case, language: str) -> str | None:
    """«Triaje dudoso: la urgencia…» while the case waits for a person to confirm or
    correct its triage (the case item's `needs_review`); None once one has."""
    triage = case.triage
    if not case.needs_review or triage is None:
        return None
    t = strings(language)
    reasons = [t.get(f"review_reason_{reason}", reason) for reason in triage.review_reasons]
    return str(t["review_unsure"]).format(reasons="; ".join(reasons) or "-")


def attachment_links(case: Case, language: str, links_base: str) -> list[dict[str, str | None]]:
    """What the customer sent beside words, each a label in the reader's language and a
    socialcare link (app/media_links.py: the platform's address and token stay inside)."""
    t = strings(language)
    link = case.media_link
    shown = []
    for number, attachment in enumerate(case.attachments):
        label = t.get(f"attachment_{attachment.kind}") or t["attachment_file"]
        url = f"{links_base.rstrip('/')}/media/{case.id}.{link.key}.{number}" if link else None
        shown.append({"label": label, "name": attachment.name, "url": url})
    return shown
