"""A case as the console's API and case page show it: what the team needs, never a link's
key or CSRF token, nor the index keys."""

from __future__ import annotations

from typing import Any

from socialcare.app.console_inbox import CaseView

_SHOWN = (
    "id",
    "status",
    "platform",
    "channel",
    "public",
    "language",
    "author",
    "created_at",
    "closed_at",
    "first_message_at",
    "last_message_at",
    "message_count",
    "customer_returns",
    "department",
    "escalation_level",
    "category",
    "priority",
    "flags",
    "needs_review",
    "assignee",
    "lease_holder",
    "lease_until",
    "approval_pending",
    "crisis_topic",
    "customer_reference",
    "sla_breached",
    "route",
)
_TRIAGE = (
    "category",
    "relation",
    "priority",
    "confidence",
    "sentiment",
    "language",
    "suggested_replies",
)
# Timeline kinds whose `text` is what the brand said to the customer.
_BRAND_SAID = ("outbound_sent", "console_reply", "public_response", "outbound_dry_run")


def case_json(shown: CaseView) -> dict[str, Any]:
    case = shown.case
    triage = case.get("triage") or {}
    return {
        **{name: case[name] for name in _SHOWN if name in case},
        "deadline": shown.sla.deadline,
        "triage": {name: triage[name] for name in _TRIAGE if name in triage} or None,
        "sla": {
            "deadline": shown.sla.deadline,
            "breached": shown.sla.breached,
            "seconds_left": shown.sla.seconds_left,
        },
        "holder": shown.holder,
        "viewers": shown.viewers,
        "messages": [
            {
                k: m.get(k)
                for k in ("sent_at", "text", "channel", "public", "content_type", "attachments")
            }
            for m in case.get("messages", [])
        ],
        "timeline": [
            {"at": e.get("at"), "kind": e.get("kind"), **(e.get("data") or {})}
            for e in case.get("timeline", [])
        ],
        "earlier_cases": shown.earlier_cases,
    }


def conversation(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The customer's messages and what the brand answered, in time order."""
    said = [
        {"side": "customer", "at": str(m.get("sent_at", "")), "text": str(m.get("text") or "")}
        for m in case.get("messages", [])
    ]
    for event in case.get("timeline", []):
        data = event.get("data") or {}
        if event.get("kind") in _BRAND_SAID and data.get("text"):
            said.append(
                {"side": "brand", "at": str(event.get("at", "")), "text": str(data["text"])}
            )
    return sorted(said, key=lambda m: m["at"])


def timeline(case: dict[str, Any]) -> list[dict[str, Any]]:
    """Each event with who did it (`by` for the console's, `actor` for the system's) and
    a short detail (never a message's text)."""
    shown = []
    for event in case.get("timeline", []):
        data = event.get("data") or {}
        detail = ", ".join(
            f"{k}: {data[k]}"
            for k in ("field", "from", "to", "department", "level", "status", "reason")
            if data.get(k) not in (None, "")
        )
        shown.append(
            {
                "at": str(event.get("at", "")),
                "kind": str(event.get("kind", "")),
                "by": str(data.get("by") or data.get("actor") or ""),
                "detail": detail,
            }
        )
    return shown
