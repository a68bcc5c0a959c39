"""Suggested replies for the community manager, from the prepared templates.

These are plain-text templates (social networks show text, not HTML), so they are
rendered without HTML escaping; wherever they are embedded in HTML (emails, pages) the
HTML template escapes them.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, Template

from socialcare.config.loaders import CONFIG_DIR, replies_config, routing_config
from socialcare.domain.assessment import Assessment
from socialcare.domain.cases import Case, SuggestedReplies
from socialcare.domain.derivation import WaitPlan
from socialcare.domain.greeting import greeting_line, greeting_name
from socialcare.domain.messages import Channel
from socialcare.domain.outbound_rules import UNANSWERABLE
from socialcare.domain.replies import ReplyKind, ReplyPlan, replanned, reply_plan
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.deadlines import deadline_words


@dataclass(frozen=True)
class ReplyFacts:
    """What a reply may state about the case, as the customer reads it; empty: not said."""

    department: str = ""  # its name in the customer's language
    deadline: str = ""  # "antes del martes 9 a las 14:00" (presentation/deadlines.py)
    emergency_number: str = ""  # the public one (112)
    emergency_line: str = ""  # the brand's or the department's, answered 24 hours
    contact: str = ""  # where the public may write to the department


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
    facts: ReplyFacts | None = None,
) -> SuggestedReplies:
    triage = assessment.triage
    language = triage.language
    plan = reply_plan(assessment)
    if plan.kind is ReplyKind.SILENT:
        return SuggestedReplies(None, None, "Do not feed: no reply.")
    if channel in UNANSWERABLE:  # a suggestion would promise what cannot go
        return SuggestedReplies(None, None, None)
    greetings = openings.get(language) or ["Hola"]
    if plan.upset:  # a cheerful greeting reads as mockery to someone angry or at risk
        greetings = (sober_openings or {}).get(language) or greetings[:1]
    name = greeting_name(author_name)  # the customer chose it: a plain name or none
    if not name:  # «Buenas:» alone reads oddly; the first opening reads well alone
        greetings = greetings[:1]
    # Rotate the greeting by the message so two customers rarely get the same words.
    opening = greetings[int(hashlib.sha256(text.encode()).hexdigest(), 16) % len(greetings)]
    values = {
        "greeting": greeting_line(opening, name, language),
        "name": name,
        "upset": plan.upset,
        "answer": assessment.faq.answer if assessment.faq else "",
        **asdict(facts or ReplyFacts()),
    }
    kind = plan.kind.value
    public_reply = private_reply = note = None
    if public:
        public_reply = _render(
            replies["public"].get(kind) or replies["public"].get("derived"), language, **values
        )
        if plan.kind.derived or triage.personal_data_exposed:
            private_reply = _render(replies["private"].get(_private(plan)), language, **values)
    else:
        private_reply = _render(replies["private"].get(_private(plan)), language, **values)
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


def _private(plan: ReplyPlan) -> str:
    """The private template: a derived case asks who they are only when the plan says so."""
    return "identify" if plan.identify else plan.kind.value


def case_facts(
    routing: RoutingConfig,
    assessment: Assessment,
    *,
    deadline: datetime | None,
    now: datetime,
) -> ReplyFacts:
    """The department, its real deadline as a day and a time, the emergency lines, the
    contact the public may write to: in the customer's language."""
    emergency = {
        "emergency_number": routing.emergency.number,
        "emergency_line": routing.emergency_line_of(assessment.department) or "",
    }
    if not assessment.department:
        return ReplyFacts(**emergency)
    language = assessment.triage.language
    department = routing.departments[assessment.department]
    if deadline is None:  # not planned yet (`socialcare triage`): as the workflow would
        calendar = routing.calendar_of(assessment.department)
        deadline = calendar.add_business_hours(now, department.sla_hours[assessment.priority])
    return ReplyFacts(
        department=department.name_in(language),
        deadline=deadline_words(deadline, now, language, routing.reports.timezone),
        contact=department.public_contact or "",
        **emergency,
    )


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
        deadline: datetime | None = None,
        now: datetime | None = None,
    ) -> SuggestedReplies:
        facts = case_facts(
            self._routing, assessment, deadline=deadline, now=now or datetime.now(UTC)
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
            facts=facts,
        )

    def restate(self, case: Case, plan: WaitPlan, now: datetime) -> SuggestedReplies | None:
        """The case's replies for the department and deadline of `plan` (another department
        took it, or more time): None when triage suggested none."""
        record = case.triage
        if record is None or not (record.public_reply or record.private_reply):
            return None
        return self.suggest(
            replanned(record, plan.department, plan.priority),
            case.text,
            Channel(case.channel),
            public=case.public,
            author_name=case.author.display_name,
            deadline=datetime.fromisoformat(plan.deadline.replace("Z", "+00:00")),
            now=now,
        )
