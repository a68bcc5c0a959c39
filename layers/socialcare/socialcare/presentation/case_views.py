"""What a department sees of a case, in emails and on the action page: the message with
personal data masked, the triage, the deadline in the reader's own time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from socialcare.domain.cases import Case, TriageRecord
from socialcare.domain.personal_data import mask_personal_data


def local_time(moment_iso: str | None, timezone: str, language: str) -> str:
    if not moment_iso:
        return "-"
    moment = datetime.fromisoformat(moment_iso.replace("Z", "+00:00")).astimezone(
        ZoneInfo(timezone)
    )
    pattern = "%d/%m/%Y %H:%M" if language == "es" else "%Y-%m-%d %H:%M"
    return f"{moment.strftime(pattern)} ({timezone})"


def case_context(case: Case, *, timezone: str, language: str) -> dict[str, Any]:
    triage = case.triage or TriageRecord()
    return {
        "case": case,
        "triage": triage,
        "author": case.author.label,
        "messages": [mask_personal_data(text) for text in case.texts],
        "replies": {"public": triage.public_reply, "private": triage.private_reply},
        "flags": list(triage.flags),
        "deadline_local": local_time(case.deadline, timezone, language),
    }
