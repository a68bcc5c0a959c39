"""What every page of the links is made of: a status and its HTML, the notice page, and
how an outbound action's outcome is said to a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from socialcare.app.outbound import Outcome, Result
from socialcare.domain.outbound import OutboundKind
from socialcare.presentation.rendering import render, strings


@dataclass(frozen=True)
class Page:
    status: int
    html: str


def notice(
    status: int,
    language: str,
    title: str,
    lines: list[str],
    *,
    case_id: str | None = None,
    late_form: dict[str, Any] | None = None,
) -> Page:
    html = render(
        "notice.html",
        t=strings(language),
        language=language,
        title=title,
        lines=lines,
        case_id=case_id,
        late_form=late_form,
    )
    return Page(status, html)


def outcome_line(t: dict[str, str], kind: OutboundKind, outcome: Outcome) -> str:
    """In the reader's words: a blocked action's rule, a refusal's platform code, a
    deferral the reader must hear apart (a token to renew is not an outage)."""
    key = f"outbound_{outcome.result.value}"
    if outcome.code and f"{key}_{outcome.code}" in t:
        key = f"{key}_{outcome.code}"
    return t[key].format(kind=t[f"kind_{kind.value}"], reason=reason_words(t, outcome))


def reason_words(t: dict[str, str], outcome: Outcome) -> str:
    """Why, in the reader's language; what the platform or the code said in its own
    words stays on the case's timeline, never on a page."""
    if outcome.retry_at is not None:  # until when the platform limits the brand
        return outcome.retry_at.strftime("%d/%m %H:%M UTC")
    if outcome.result is Result.REFUSED:  # "10900: ..." as the platform adapters word it
        code = (outcome.reason or "").split(":", 1)[0].strip()
        return t.get(f"refused_{code}", t["reason_on_timeline"])
    words = t.get(f"blocked_{outcome.code}", t["reason_on_timeline"])
    # When what blocks this went (an earlier template), as the store recorded it.
    return words.replace("{at}", _utc(outcome.at) if outcome.at else "-")


def _utc(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%d/%m %H:%M UTC")
