"""One call from a message to its assessment, with the configured files: used by triage
(app/case_triage.py, on each new case from the table's stream) and by `socialcare triage`."""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path

from socialcare.config.loaders import (
    CONFIG_DIR,
    replies_config,
    routing_config,
    triage_config,
    triage_model,
    triage_rules,
)
from socialcare.domain.assessment import Assessment, assess, assess_triaged
from socialcare.domain.messages import Channel
from socialcare.domain.triage import TextSignals, TextTriage


class Triager:
    def __init__(self, directory: Path = CONFIG_DIR) -> None:
        self._rules = triage_rules(directory)
        self._model = triage_model(directory)
        self._priorities = triage_config(directory).priority
        self.routing = routing_config(directory)
        replies = replies_config(directory)
        self._faq = replies.faq_entries()
        self._directory = directory

    def reads_text_as(self, other: Triager) -> bool:
        """Both read a message's words alike: the same triage rules (triage.yaml but its
        priorities) and the same model file, byte for byte."""
        return self._text_rules() == other._text_rules()

    def _text_rules(self) -> tuple[object, ...]:
        config = triage_config(self._directory)
        rules = tuple(getattr(config, f.name) for f in fields(config) if f.name != "priority")
        model = (self._directory / config.model.file).read_bytes()
        return (*rules, hashlib.sha256(model).hexdigest())

    def assess_triaged(
        self,
        triage: TextTriage,
        text: str,
        *,
        public: bool,
        followers: int | None = None,
        crisis: bool = False,
    ) -> Assessment:
        """`assess` on a text triage already made (the rules and model unchanged)."""
        return assess_triaged(
            triage,
            text,
            public=public,
            followers=followers,
            confidence_threshold=self._model.confidence_threshold,
            priorities=self._priorities,
            routing=self.routing,
            faq=self._faq,
            crisis=crisis,
        )

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
