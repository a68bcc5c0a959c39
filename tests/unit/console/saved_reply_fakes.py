"""An in-memory saved replies store for the use-case tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from socialcare.app.saved_replies import SavedReplyDependencies
from socialcare.domain.saved_replies import SavedReply, SavedReplyVersion
from tests.unit.console.approval_fakes import NOW, FakeAudit, FakeCases


@dataclass
class FakeSavedReplies:
    replies: dict[str, SavedReply] = field(default_factory=dict)
    versions: list[SavedReplyVersion] = field(default_factory=list)

    def all(self) -> list[SavedReply]:
        return list(self.replies.values())

    def reply(self, reply_id: str) -> SavedReply | None:
        return self.replies.get(reply_id)

    def save(self, reply: SavedReply, version: SavedReplyVersion, previous: int | None) -> bool:
        current = self.replies.get(reply.id)
        if (current.version if current else None) != previous:
            return False
        self.replies[reply.id] = reply
        self.versions.append(version)
        return True

    def history(self, reply_id: str) -> list[SavedReplyVersion]:
        return sorted(
            (v for v in self.versions if v.reply_id == reply_id), key=lambda v: -v.version
        )


def saved_reply_deps(*cases) -> SavedReplyDependencies:
    return SavedReplyDependencies(
        store=FakeSavedReplies(),
        cases=FakeCases({c.id: c for c in cases}),
        clock=lambda: NOW,
        department_names={"claims": "Siniestros"},
        audit=FakeAudit(),
    )
