"""The search index's keys: a word's entries spread over 4 shards by case id, so a word in
every message of a crisis (700 messages/s) stays under the 700 WCU/s we allow a key."""

from __future__ import annotations

from collections import Counter

from socialcare.adapters.dynamodb.day_index import shard_of
from socialcare.adapters.dynamodb.search_index import WORD_SHARDS, word_pk


def test_a_common_word_s_entries_at_the_crisis_rate_stay_under_a_key_s_budget():
    # Given 10,000 case ids as intake names them, each a message with the same word
    ids = [f"20261207-{n * 7919:016x}" for n in range(10_000)]

    # When each entry is given its key
    keys = Counter(word_pk("reembolso", shard_of(case_id, WORD_SHARDS)) for case_id in ids)
    # Then the 4 shards share them, none past 1.2 times its share: at 700 messages a
    # second, the busiest key takes at most 210 of the 700 WCU/s allowed
    assert len(keys) == WORD_SHARDS
    busiest = max(keys.values()) / len(ids)
    assert busiest * 700 <= 210


def test_a_word_s_key_is_a_digest_never_the_word():
    key = word_pk("devolucion", 3)
    assert "devolucion" not in key
    assert key.startswith("WORD#") and key.endswith("#3") and len(key) == len("WORD#") + 32 + 2
