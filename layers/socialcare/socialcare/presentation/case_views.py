"""What a department sees of a case, in emails and on the action page: the message with
personal data masked, the triage, the deadline in the reader's own time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from socialcare.domain.personal_data import mask_personal_data


def author_label(case: dict[str, Any]) -> str:
    author = case.get("author", {})
    handle = author.get("handle")
    name = author.get("display_name")
    if handle and name:
        return f"{name} (@{handle})"
    return name or (f"@{handle}" if handle else "-")


def masked_messages(case: dict[str, Any]) -> list[str]:
    return [mask_personal_data(m.get("text", "")) for m in case.get("messages", [])]


def local_time(moment_iso: str | None, timezone: str, language: str) -> str:
    if not moment_iso:
        return "-"
    moment = datetime.fromisoformat(moment_iso.replace("Z", "+00:00")).astimezone(
        ZoneInfo(timezone)
    )
    pattern = "%d/%m/%Y %H:%M" if language == "es" else "%Y-%m-%d %H:%M"
    return f"{moment.strftime(pattern)} ({timezone})"


def case_context(case: dict[str, Any], *, timezone: str, language: str) -> dict[str, Any]:
    triage = case.get("triage") or {}
    return {
        "case": case,
        "triage": triage,
        "author": author_label(case),
        "messages": masked_messages(case),
        "replies": triage.get("suggested_replies") or {},
        "flags": [
            flag
            for flag in (
                "urgent",
                "authority_mentioned",
                "personal_data_exposed",
                "crisis",
                "needs_details",
                "low_confidence",
            )
            if triage.get(flag)
        ],
        "deadline_local": local_time(case.get("deadline"), timezone, language),
    }
