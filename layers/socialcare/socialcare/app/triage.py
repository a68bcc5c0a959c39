"""One call from a message to its assessment, with the configured files: used by triage
(app/case_triage.py, on each new case from the table's stream) and by `socialcare triage`."""

from __future__ import annotations

from pathlib import Path

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


class Triager:
    def __init__(self, directory: Path = CONFIG_DIR) -> None:
        self._rules = triage_rules(directory)
        self._model = triage_model(directory)
        self._priorities = triage_config(directory).priority
        self.routing = routing_config(directory)
        replies = replies_config(directory)
        self._faq = replies.faq_entries()

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
