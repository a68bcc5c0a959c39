"""What the console records of each person's actions: every action is also on the case's
timeline with the username; these entries let admins see a person's last actions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditEntry:
    """`action`: a ConsoleAction's value, or a finer word ("approved", "returned");
    `detail`: a short description without personal data (no message text)."""

    username: str
    action: str
    at: str  # UTC ISO
    case_id: str = ""
    detail: str = ""
