"""What a person reads for each code: categories, channels, relations, statuses and
priorities from templates/labels.yaml; departments, the social team and complaint topics
by their names in config/routing.yaml. One reader's language at a time."""

from __future__ import annotations

import re
from functools import cache

from socialcare.domain.personal_data import mask_personal_data
from socialcare.domain.routing import RoutingConfig
from socialcare.presentation.rendering import TEMPLATES

KINDS = ("category", "channel", "relation", "status", "priority", "survey_form")


@cache
def _table() -> dict[str, dict[str, dict[str, str]]]:
    from socialcare.config.yaml_files import read_yaml

    return read_yaml(TEMPLATES / "labels.yaml")


def placeholder(kind: str, language: str) -> str:
    """What stands for something a message does not show ("[teléfono]", "[phone]"): a
    code kept language-neutral until a reader's language is known. Masked personal data
    uses it; any other "[...]" a person reads (an attachment's) belongs in the same table."""
    words = (_table().get(language) or _table()["es"]).get("placeholder", {})
    return f"[{words.get(kind) or kind.replace('_', ' ')}]"


def masked(text: str, language: str) -> str:
    """The text with its personal data masked, and what the platforms' parsers wrote for
    what is not words ("[voice note]"), in the reader's words."""
    return mask_personal_data(_labelled(text, language), lambda kind: placeholder(kind, language))


# "[voice note]", "[photo] caption", "[document: name]": a parser's label opens a bracket.
_MESSAGE_LABEL = re.compile(r"\[([a-z][a-z _]{0,40})(?=[\]:])")


def _labelled(text: str, language: str) -> str:
    words = (_table().get(language) or _table()["es"]).get("message_label", {})
    if "[" not in text:
        return text

    def word(found: re.Match[str]) -> str:
        label = found.group(1).replace("_", " ")
        return "[" + words.get(label, found.group(1))

    return _MESSAGE_LABEL.sub(word, text)


class Labels:
    def __init__(self, language: str, routing: RoutingConfig) -> None:
        self.language = language
        self._words = _table().get(language) or _table()["es"]
        self._routing = routing

    def of(self, kind: str, code: str | None) -> str:
        """`code`'s label; a code no table knows (an old case's) is shown as words."""
        if code is None:
            return "–"  # noqa: RUF001 (an en dash: no value)
        if kind == "department":
            return self._routing.department_name(code, self.language)
        if kind == "topic":
            return self._routing.topic_name(code, self.language)
        return self._words.get(kind, {}).get(code) or code.replace("_", " ")

    def category(self, code: str | None) -> str:
        return self.of("category", code)

    def channel(self, code: str | None) -> str:
        return self.of("channel", code)

    def status(self, code: str | None) -> str:
        return self.of("status", code)

    def priority(self, code: str | None) -> str:
        return self.of("priority", code)

    def relation(self, code: str | None) -> str:
        return self.of("relation", code)

    def department(self, code: str | None) -> str:
        return self.of("department", code)

    def topic(self, code: str | None) -> str:
        return self.of("topic", code)

    def known(self, kind: str) -> dict[str, str]:
        return dict(self._words.get(kind, {}))
