"""Where the console's audit entries are kept (adapters/dynamodb/console_audit.py)."""

from __future__ import annotations

from typing import Protocol

from socialcare.domain.console_audit import AuditEntry


class ConsoleAudit(Protocol):
    def record(self, entry: AuditEntry) -> None: ...

    def last_actions(self, username: str, limit: int = 5) -> list[AuditEntry]:
        """Newest first."""
        ...
