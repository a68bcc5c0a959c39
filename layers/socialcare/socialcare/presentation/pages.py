"""What every page of the links is made of: a status and its HTML, the notice page, and
how an outbound action's outcome is said to a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from socialcare.app.outbound import Outcome
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
    reason = outcome.reason or "-"
    if outcome.retry_at is not None:  # until when the platform limits the brand
        reason = outcome.retry_at.strftime("%d/%m %H:%M UTC")
    key = f"outbound_{outcome.result.value}"
    if outcome.code:
        reason = t.get(f"blocked_{outcome.code}", reason)
        # When what blocks this went (an earlier template), as the store recorded it.
        reason = reason.replace("{at}", _utc(outcome.at) if outcome.at else "-")
        key = f"{key}_{outcome.code}" if f"{key}_{outcome.code}" in t else key
    return t[key].format(kind=t[f"kind_{kind.value}"], reason=reason)


def _utc(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%d/%m %H:%M UTC")
