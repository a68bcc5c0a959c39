"""The search's use cases on fakes: the stream indexes a customer message's words (never
one past the window), and the inbox with `q` shows the cases (open and closed) whose
messages hold every word of the search, narrowed by its filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socialcare.app.console_inbox import BadFilter, InboxDependencies, open_inbox
from socialcare.app.search_index import SearchIndexDependencies, index_message
from socialcare.app.stream_records import StreamBatch
from socialcare.domain.clock import utc_iso

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
SK = "MSG#2026-12-07T11:00:00Z#ab12"


class Messages:
    """ports/search.IndexedMessages and MessageSearch over dicts."""

    def __init__(self, messages: dict[tuple[str, str], dict[str, Any]]) -> None:
        self.messages = messages
        self.entries: dict[str, set[tuple[str, str]]] = {}  # word -> (sent_at, case id)
        self.items: dict[str, dict[str, Any]] = {}
        self.texts_read: list[str] = []

    def message(self, case_id: str, sort_key: str) -> dict[str, Any] | None:
        return self.messages.get((case_id, sort_key))

    def index(self, case_id: str, sent_at: datetime, words) -> int:
        words = list(words)
        for word in words:
            self.entries.setdefault(word, set()).add((utc_iso(sent_at), case_id))
        return len(words)

    def postings(self, word: str, since: datetime, limit: int) -> list[tuple[str, str]]:
        return sorted(p for p in self.entries.get(word, ()) if p[0] >= utc_iso(since))[-limit:]

    def texts(self, case_id: str, since: datetime) -> list[str]:
        self.texts_read.append(case_id)
        return [m["text"] for (c, _), m in self.messages.items() if c == case_id]

    def cases(self, case_ids: list[str]) -> list[dict[str, Any]]:
        return [self.items[i] for i in case_ids if i in self.items]


def _message(text: str, sent_at: datetime = NOW - timedelta(hours=1)) -> dict[str, Any]:
    return {"text": text, "sent_at": utc_iso(sent_at)}


def _indexed(messages: dict[tuple[str, str], dict[str, Any]]) -> Messages:
    store = Messages(messages)
    for case_id, sort_key in messages:
        index_message(case_id, sort_key, SearchIndexDependencies(store, lambda: NOW))
    return store


def test_a_message_s_words_go_into_the_index():
    # Given a customer message
    store = Messages({("c1", SK): _message("Mi devolución no llegó")})
    # When the stream indexes it
    done = index_message("c1", SK, SearchIndexDependencies(store, lambda: NOW))
    # Then each of its words has an entry for the case
    assert done.words == 2
    sent = utc_iso(NOW - timedelta(hours=1))
    assert store.entries == {"devolucion": {(sent, "c1")}, "llego": {(sent, "c1")}}


def test_a_gone_or_old_message_is_not_indexed():
    # Given a message erased since, and one sent before the search's window
    old = _message("reembolso", NOW - timedelta(days=91))
    store = Messages({("c2", SK): old})
    deps = SearchIndexDependencies(store, lambda: NOW)
    # When the stream brings their records
    # Then neither writes an entry
    assert index_message("c1", SK, deps).words == 0
    assert index_message("c2", SK, deps).words == 0
    assert store.entries == {}


def test_the_stream_sends_a_message_s_insert_to_the_search_index():
    # Given a MSG# insert record of the table's stream
    store = Messages({("20261207-00000000000000aa", SK): _message("factura duplicada")})
    record = {
        "eventName": "INSERT",
        "dynamodb": {
            "Keys": {"PK": {"S": "CASE#20261207-00000000000000aa"}, "SK": {"S": SK}},
            "SequenceNumber": "1",
        },
    }
    batch = StreamBatch(
        triage=_unused,
        surveys=_unused,
        expired=_unused,
        search=lambda: SearchIndexDependencies(store, lambda: NOW),
    )
    # When the batch handles it
    outcome = batch.handle(record)
    # Then its words are indexed, and triage was never built
    assert outcome.words == 2 and set(store.entries) == {"factura", "duplicada"}


def _unused() -> Any:
    raise AssertionError("not this use case")


def _inbox(store: Messages) -> InboxDependencies:
    return InboxDependencies(
        open_cases=_Nothing(),
        cases=None,
        person_cases=None,
        presence=None,  # type: ignore[arg-type]
        clock=lambda: NOW,
        search=store,
    )


class _Nothing:
    def open_cases(self) -> list[dict[str, Any]]:
        return [_case("open")]


def _case(case_id: str, **more: Any) -> dict[str, Any]:
    return {
        "id": case_id,
        "status": "triaged",
        "channel": "telegram",
        "created_at": utc_iso(NOW - timedelta(hours=2)),
        **more,
    }


def test_a_search_shows_the_cases_holding_every_word_open_and_closed():
    # Given three cases: two with "reembolso" (one closed), one of them with "tarjeta" too
    store = _indexed(
        {
            ("a", SK): _message("Quiero un reembolso con mi tarjeta"),
            ("b", SK): _message("Un REEMBOLSO por favor"),
            ("c", SK): _message("La tarjeta no funciona"),
        }
    )
    store.items = {
        "a": _case("a", status="closed", closed_at=utc_iso(NOW)),
        "b": _case("b", channel="whatsapp"),
        "c": _case("c"),
    }
    # When the inbox is searched
    both = open_inbox({"q": "reembolso Tarjeta"}, "ana", _inbox(store))
    one = open_inbox({"q": "reembolso"}, "ana", _inbox(store))
    filtered = open_inbox({"q": "reembolso", "channel": "whatsapp"}, "ana", _inbox(store))
    # Then only the cases holding every word are shown, the filters still apply
    assert [r.case.id for r in both.rows] == ["a"] and both.rows[0].case.status == "closed"
    assert {r.case.id for r in one.rows} == {"a", "b"}
    assert [r.case.id for r in filtered.rows] == ["b"]
    # And a one-word search reads no message
    assert sorted(store.texts_read) == ["a", "b"]


@pytest.mark.parametrize("query", ["de", "x" * 201])
def test_a_search_with_nothing_to_look_for_is_a_bad_filter(query):
    with pytest.raises(BadFilter):
        open_inbox({"q": query}, "ana", _inbox(Messages({})))


def test_a_word_no_message_holds_finds_nothing():
    store = _indexed({("a", SK): _message("reembolso")})
    store.items = {"a": _case("a")}
    assert open_inbox({"q": "factura"}, "ana", _inbox(store)).rows == ()


def test_without_q_the_inbox_lists_the_open_cases():
    # Given an index with a case, and one open case
    store = _indexed({("a", SK): _message("reembolso")})
    store.items = {"a": _case("a")}
    # When the inbox is asked for with an empty search
    shown = open_inbox({"q": "  "}, "ana", _inbox(store))
    # Then it lists the open cases
    assert [r.case.id for r in shown.rows] == ["open"]
