"""One call from a message to its full triage result, with the configured files: used by
the workflow's triage step and by `socialcare triage`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socialcare.config.loaders import (
    CONFIG_DIR,
    replies_config,
    routing_config,
    triage_config,
    triage_model,
    triage_rules,
)
from socialcare.domain.assessment import Assessment, assess
from socialcare.domain.messages import Channel
from socialcare.domain.triage import TextSignals
from socialcare.presentation.replies import SuggestedReplies, suggest_replies


class Triager:
    def __init__(self, directory: Path = CONFIG_DIR) -> None:
        self._rules = triage_rules(directory)
        self._model = triage_model(directory)
        self._priorities = triage_config(directory).priority
        self.routing = routing_config(directory)
        replies = replies_config(directory)
        self._faq = replies.faq_entries()
        self._replies = replies.replies
        self._openings = replies.openings

    def assess(
        self,
        text: str,
        channel: Channel,
        *,
        public: bool | None = None,
        followers: int | None = None,
        known_customer: bool = False,
        language_hint: str | None = None,
        crisis: bool = False,
        signals: TextSignals | None = None,
    ) -> Assessment:
        return assess(
            text,
            public=channel.is_public if public is None else public,
            followers=followers,
            model=self._model,
            rules=self._rules,
            priorities=self._priorities,
            routing=self.routing,
            faq=self._faq,
            known_customer=known_customer,
            language_hint=language_hint,
            crisis=crisis,
            signals=signals,
        )

    def replies(
        self,
        assessment: Assessment,
        text: str,
        channel: Channel,
        *,
        public: bool | None = None,
        author_name: str | None = None,
    ) -> SuggestedReplies:
        department = (
            self.routing.departments[assessment.department] if assessment.department else None
        )
        return suggest_replies(
            assessment,
            text=text,
            channel=channel,
            public=channel.is_public if public is None else public,
            replies=self._replies,
            openings=self._openings,
            author_name=author_name,
            department_name=department.name if department else None,
            sla_hours=department.sla_hours[assessment.priority] if department else None,
        )

    def triage_line(self, record: dict[str, Any]) -> dict[str, Any]:
        """`socialcare triage`: {"text", "channel", "followers"?} -> one result."""
        channel = Channel(record["channel"])
        text = str(record["text"])
        followers = record.get("followers")
        assessment = self.assess(text, channel, followers=followers)
        replies = self.replies(assessment, text, channel)
        return {
            **assessment.as_dict(),
            "suggested_reply": replies.public or replies.private,
            "suggested_replies": replies.as_dict(),
        }
