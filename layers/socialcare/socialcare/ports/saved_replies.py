"""Where the saved replies and their versions are kept (adapters/dynamodb/saved_replies.py)."""

from __future__ import annotations

from typing import Protocol

from socialcare.domain.saved_replies import SavedReply, SavedReplyVersion


class SavedReplyStore(Protocol):
    def all(self) -> list[SavedReply]:
        """Every saved reply, live and retired."""

    def reply(self, reply_id: str) -> SavedReply | None: ...

    def save(self, reply: SavedReply, version: SavedReplyVersion, previous: int | None) -> bool:
        """The reply as it is now and its version, together; only if it is still at
        version `previous` (None: only if no reply has its id). False: it was not."""

    def history(self, reply_id: str) -> list[SavedReplyVersion]:
        """Every version, the newest first."""
