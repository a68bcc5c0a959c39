"""Suggested replies for the community manager, from the prepared templates.

These are plain-text templates (social networks show text, not HTML), so they are
rendered without HTML escaping; wherever they are embedded in HTML (emails, pages) the
HTML template escapes them.
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, Template

from socialcare.config.loaders import CONFIG_DIR, replies_config, routing_config
from socialcare.domain.assessment import Assessment
from socialcare.domain.cases import SuggestedReplies
from socialcare.domain.greeting import greeting_name
from socialcare.domain.messages import Channel
from socialcare.domain.triage import Category, Sentiment

_SILENT = {Category.TROLL, Category.SPAM}
_PROBLEMS = {Category.COMPLAINT, Category.INCIDENT}


@cache
def _environment() -> Environment:
    return Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False)  # noqa: S701 (plain text, see module docstring)


def _render(template: dict[str, str] | None, language: str, **values: Any) -> str | None:
    if not template:
        return None
    source = template.get(language) or next(iter(template.values()))
    return _compiled(source).render(**values).strip()


@lru_cache(maxsize=512)
def _compiled(source: str) -> Template:
    """Each configured reply compiled once: compiling costs far more than rendering."""
    return _environment().from_string(source)


def suggest_replies(
    assessment: Assessment,
    *,
    text: str,
    channel: Channel,
    public: bool,
    replies: dict[str, Any],
    openings: dict[str, list[str]],
    sober_openings: dict[str, list[str]] | None = None,
    author_name: str | None = None,
    department_name: str | None = None,
    sla_hours: float | None = None,
) -> SuggestedReplies:
    triage = assessment.triage
    language = triage.language
    if triage.category in _SILENT and not assessment.department:
        return SuggestedReplies(None, None, "Do not feed: no reply.")
    upset = triage.sentiment is Sentiment.NEGATIVE or triage.category in _PROBLEMS
    greetings = openings.get(language) or ["Hola"]
    if upset:  # "Hola, ¿qué tal?" reads as mockery to someone angry
        greetings = (sober_openings or {}).get(language) or greetings[:1]
    # Rotate the greeting by the message so two customers rarely get the same words.
    opening = greetings[int(hashlib.sha256(text.encode()).hexdigest(), 16) % len(greetings)]
    values = {
        "opening": opening,
        "name": greeting_name(author_name),  # the customer chose it: a plain name or none
        "answer": assessment.faq.answer if assessment.faq else "",
        "department": department_name or "",
        "sla_hours": f"{sla_hours:g}" if sla_hours else "",
    }
    if assessment.department:
        kind = "derived"
    elif "needs_details" in assessment.flags:
        kind = "needs_details"
    elif assessment.faq:
        kind = "faq"
    elif triage.category is Category.PRAISE:
        kind = "praise"
    else:
        kind = "derived"
    public_reply = private_reply = note = None
    if public:
        public_reply = _render(replies["public"].get(kind), language, **values)
        if kind == "derived" or triage.personal_data_exposed:
            private_reply = _render(replies["private"].get("derived"), language, **values)
    else:
        private_reply = _render(replies["private"].get(kind), language, **values)
    hidden_notice = followup = None
    if triage.personal_data_exposed:
        public_reply = _render(replies["public"].get("personal_data"), language, **values)
        if channel is Channel.FACEBOOK_COMMENT:
            note = _render(
                replies.get("own_page_personal_data_note"),
                language,
                kinds=", ".join(triage.personal_data),
            )
        if channel in (Channel.FACEBOOK_COMMENT, Channel.INSTAGRAM_COMMENT):
            hidden_notice = _render(
                replies["public"].get("personal_data_hidden"), language, **values
            )
            followup = _render(replies["private"].get("personal_data_followup"), language, **values)
    return SuggestedReplies(public_reply, private_reply, note, hidden_notice, followup)


class ReplyWriter:
    """The suggested replies of a triaged case, with the configured templates (SuggestReplies)."""

    def __init__(self, directory: Path = CONFIG_DIR) -> None:
        self._routing = routing_config(directory)
        configured = replies_config(directory)
        self._replies = configured.replies
        self._openings = configured.openings
        self._sober_openings = configured.sober_openings

    def suggest(
        self,
        assessment: Assessment,
        text: str,
        channel: Channel,
        *,
        public: bool | None = None,
        author_name: str | None = None,
    ) -> SuggestedReplies:
        department = (
            self._routing.departments[assessment.department] if assessment.department else None
        )
        return suggest_replies(
            assessment,
            text=text,
            channel=channel,
            public=channel.is_public if public is None else public,
            replies=self._replies,
            openings=self._openings,
            sober_openings=self._sober_openings,
            author_name=author_name,
            department_name=department.name_in(assessment.triage.language) if department else None,
            sla_hours=department.sla_hours[assessment.priority] if department else None,
        )
