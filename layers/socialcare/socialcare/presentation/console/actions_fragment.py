"""What the case page's action forms (templates/console/case_actions.html) need: the
case page passes `actions=case_actions_context(...)` beside its own context (its `csrf`
goes in every form). Forms post to /console/cases/{id}/<action>; the answer redirects
back with `?notice=<code>`, which this context words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from socialcare.domain.cases import TRIAGE_FLAGS
from socialcare.domain.console_actions import CloseReason
from socialcare.domain.console_users import ConsoleAction, ConsoleUser
from socialcare.domain.routing import PRIORITIES, RoutingConfig
from socialcare.domain.triage import Category
from socialcare.presentation.console.actions_words import words

_NOTICES = {
    "done",
    "claimed",
    "reply_submitted",
    *(f"reply_{result}" for result in ("sent", "dry_run", "blocked", "refused", "uncertain")),
    "reply_deferred",
}


def case_actions_context(
    case: Mapping[str, Any],
    user: ConsoleUser,
    language: str,
    routing: RoutingConfig,
    *,
    notice: str | None = None,
    saved_replies: Sequence[tuple[str, str]] = (),  # (id, title) of the approvals area's
) -> dict[str, Any]:
    t = words(language)
    triage = case.get("triage") or {}
    suggested = triage.get("suggested_replies") or {}
    return {
        "t": t,
        "case_id": str(case.get("id", "")),
        "closed": bool(case.get("closed_at")),
        "public": bool(case.get("public")),
        "may": {action.value: user.may(action) for action in ConsoleAction},
        "suggested_public": suggested.get("public") or "",
        "suggested_private": suggested.get("private") or "",
        "saved_replies": list(saved_replies),
        "departments": [
            (key, department.name_in(language)) for key, department in routing.departments.items()
        ],
        "categories": [category.value for category in Category],
        "priorities": list(PRIORITIES),
        "flags": list(TRIAGE_FLAGS),
        "close_reasons": [reason.value for reason in CloseReason],
        "notice": t[notice] if notice in _NOTICES else None,
    }
