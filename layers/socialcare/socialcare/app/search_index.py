"""A customer message's words into the search index, from the table's stream (its MSG#
insert), never on the webhook's path: the webhook's time and cost stay as they were, and a
failure here is retried by the stream without touching the case. Searching them is
app/message_search.py's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from socialcare.domain.clock import Clock
from socialcare.domain.message_search import SEARCH_WINDOW, message_words

if TYPE_CHECKING:
    from socialcare.ports.search import IndexedMessages


@dataclass
class SearchIndexDependencies:
    messages: IndexedMessages
    clock: Clock


@dataclass(frozen=True)
class MessageIndexed:
    case_id: str
    words: int  # 0: gone, no text, or already past the search's window


def index_message(case_id: str, sort_key: str, deps: SearchIndexDependencies) -> MessageIndexed:
    """The message's words, each an index entry; written again alike when the stream
    brings the record back."""
    message = deps.messages.message(case_id, sort_key)
    if message is None or not message.get("text") or not message.get("sent_at"):
        return MessageIndexed(case_id, 0)
    sent_at = datetime.fromisoformat(str(message["sent_at"]).replace("Z", "+00:00"))
    if sent_at < deps.clock() - SEARCH_WINDOW:  # a replay of an old record: TTL would drop it
        return MessageIndexed(case_id, 0)
    words = message_words(str(message["text"]))
    return MessageIndexed(case_id, deps.messages.index(case_id, sent_at, words))
