"""config/outbound.yaml as the domain reads it: what config lets go out by itself, the
WhatsApp template (and its translations) for closed windows, and the words that stand in
for a private reply that did not go."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeIs, get_args

from socialcare.domain.config_rules import STRICT, longest, not_empty, require
from socialcare.domain.languages import reader_language
from socialcare.domain.messages import Channel
from socialcare.domain.outbound import (
    WhatsAppTemplate,
)
from socialcare.domain.triage import Category

# The languages the outbound texts below are written in (the keys of their mappings).
TextLanguage = Literal["es", "en"]


def is_text_language(language: str | None) -> TypeIs[TextLanguage]:
    """Narrows a reader's language to a key of those mappings (any other has no text)."""
    return language in get_args(TextLanguage)


AutomaticStep = Literal["hide", "public_notice", "private_followup"]


@dataclass(frozen=True)
class AutomaticRule:
    """Cases this rule acts on by itself: every listed flag set, the category among
    `categories` (empty: any), on one of `channels`."""

    __pydantic_config__ = STRICT

    channels: list[Channel]
    steps: list[AutomaticStep]
    flags: list[Literal["personal_data_exposed", "authority_mentioned", "urgent"]] = field(
        default_factory=list
    )
    categories: list[Category] = field(default_factory=list)
    hours: Literal["always", "business_hours"] = "always"

    def __post_init__(self) -> None:
        not_empty(self.channels, "channels")
        not_empty(self.steps, "steps")

    def applies(self, *, flags: tuple[str, ...], category: str | None, channel: Channel) -> bool:
        return (
            channel in self.channels
            and all(flag in flags for flag in self.flags)
            and (not self.categories or category in self.categories)
        )


_TEMPLATE_NAME = re.compile(r"[a-z0-9_]{1,512}")
_TEMPLATE_LANGUAGE = re.compile(r"[a-z]{2}(_[A-Z]{2})?")  # WhatsApp's codes: es, en, en_US...


def _template(name: str | None, language: str, body: str) -> None:
    if name is not None:
        require(bool(_TEMPLATE_NAME.fullmatch(name)), "name", "is not a template's name")
    require(bool(_TEMPLATE_LANGUAGE.fullmatch(language)), "language", "is not es, en, en_US...")
    not_empty(body, "body")
    longest(body, "body", 1024)


@dataclass(frozen=True)
class TemplateTranslation:
    """The approved template for customers who read another language."""

    __pydantic_config__ = STRICT

    language: str
    body: str
    name: str | None = None  # None: the same name

    def __post_init__(self) -> None:
        _template(self.name, self.language, self.body)


@dataclass(frozen=True)
class WhatsAppTemplateConfig:
    """The brand's default language's template, and its translations by the customer's
    language (a template is sent as template.language.code, see adapters/platform_api/meta.py)."""

    __pydantic_config__ = STRICT

    name: str
    language: str
    # The approved body, word for word (WhatsApp Manager shows it): what the timeline and
    # the pages record as sent when the template replaces the written words.
    body: str
    translations: dict[TextLanguage, TemplateTranslation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _template(self.name, self.language, self.body)
        own = f"{self.reads} is the template's own language"
        require(self.reads not in self.translations, "translations", own)

    @property
    def reads(self) -> str:
        """The language its readers read (es for es_ES)."""
        return self.language.split("_")[0]

    def for_reader(self, languages: Sequence[str]) -> WhatsAppTemplate:
        """The template in the first of the customer's `languages` one is approved in,
        else the default one."""
        chosen = reader_language(languages, {self.reads, *self.translations}, self.reads)
        language = chosen.language
        if is_text_language(language) and (translation := self.translations.get(language)):
            name = translation.name or self.name
            return WhatsAppTemplate(name, translation.language, translation.body)
        return WhatsAppTemplate(self.name, self.language, self.body)


# Said in public when the private reply did not go (window closed, refused, unknown):
# how to reach the brand, never "we have written to you privately". {name} is the
# customer's first name when it is a plain one (domain/greeting.py), else nothing.
_REACH_US: dict[TextLanguage, str] = {
    "es": "Hola{name}, gracias por escribirnos. Para revisar tu caso, escríbenos por mensaje "
    "privado.",
    "en": "Hello{name}, thank you for writing to us. So we can look into your case, send us a "
    "private message.",
}


# Claims, not invitations: "escríbenos por mensaje privado" / "send us a DM" stay allowed.
_CLAIMS: dict[TextLanguage, tuple[str, ...]] = {
    "es": ("te hemos enviado", "te hemos escrito", "te hemos mandado", "te acabamos de escribir"),
    "en": ("sent you a", "messaged you", "written to you", "wrote to you", "in your inbox"),
}


def _with_name_only(texts: dict[TextLanguage, str]) -> None:
    missing = set(_REACH_US) - set(texts)
    require(not missing, "public_without_private", f"no text in {', '.join(sorted(missing))}")
    for language, text in texts.items():
        try:
            text.format(name="")
        except (KeyError, IndexError, ValueError) as error:
            problem = f"{language}: only {{name}} may be filled in ({error})"
            raise ValueError(f"public_without_private: {problem}") from None


@dataclass(frozen=True)
class OutboundConfig:
    """config/outbound.yaml."""

    __pydantic_config__ = STRICT

    # Links in X posts (about $0.20 a post with a URL against $0.015 without).
    x_links_allowed: bool = False
    # The Meta app has the human_agent permission: Messenger and Instagram messages up to
    # 7 days after the customer's last message (MESSAGE_TAG HUMAN_AGENT).
    human_agent_tag: bool = False
    # Outside WhatsApp's 24-hour window only an approved template may be sent.
    whatsapp_template: WhatsAppTemplateConfig | None = None
    # The public reply when the private one did not go, per language ({name}: see above).
    public_without_private: dict[TextLanguage, str] = field(default_factory=lambda: dict(_REACH_US))
    # Words that say the brand has written to the customer privately: a public reply with
    # them goes only after a private reply went (domain/truthful_replies.claims_private).
    private_message_claims: dict[TextLanguage, list[str]] = field(
        default_factory=lambda: {k: list(v) for k, v in _CLAIMS.items()}
    )
    automatic: list[AutomaticRule] = field(default_factory=list)

    def __post_init__(self) -> None:
        _with_name_only(self.public_without_private)
