"""The day index's shards: stable, and even enough that no shard takes a crisis's heat."""

from __future__ import annotations

from collections import Counter

from socialcare.adapters.dynamodb.day_index import (
    DEFAULT_DAY_INDEX_SHARDS,
    MAX_DAY_INDEX_SHARDS,
    day_key,
    day_keys,
    shard_of,
)
from socialcare.bootstrap import Root, adapters
from socialcare.settings import Settings


def test_ten_thousand_case_ids_spread_with_no_shard_past_one_and_a_half_its_share():
    # Given 10,000 case ids as intake names them, and the default 32 shards
    ids = [f"20261207-{n * 7919:016x}" for n in range(10_000)]
    # When each is given its shard
    counts = Counter(shard_of(case_id, 32) for case_id in ids)
    # Then every shard is used and none takes more than 1.5 times its share
    assert len(counts) == 32
    assert max(counts.values()) <= 1.5 * 10_000 / 32


def test_a_shard_is_the_same_in_every_process():
    # Given Python's own hash() is salted per process, the shard must not use it:
    # a fixed id has a fixed shard (sha256's first 8 bytes, big-endian, modulo the count)
    assert shard_of("20261207-0000000000000001", 32) == 29
    assert day_key("2026-12-07", "20261207-0000000000000001", 32) == "DAY#2026-12-07#29"


def test_readers_read_the_legacy_key_and_every_shard_up_to_the_ceiling():
    keys = day_keys("2026-12-07")
    assert keys[0] == "DAY#2026-12-07" and len(keys) == 1 + MAX_DAY_INDEX_SHARDS
    # Whatever the configured count, its keys are among those read
    assert all(
        day_key("2026-12-07", f"case-{n}", shards) in keys
        for shards in (1, 7, 32, MAX_DAY_INDEX_SHARDS)
        for n in range(50)
    )


def test_the_configured_count_reaches_the_writers():
    # Given DAY_INDEX_SHARDS=8 in the environment
    settings = Settings.from_environment({"CASES_TABLE_NAME": "cases", "DAY_INDEX_SHARDS": "8"})
    # When the composition root builds the cases table
    table = adapters.cases_table(Root(settings, client=lambda service: object()))
    # Then its stores write 8 shards; unset, the default
    assert table.day_shards == 8
    assert Settings.from_environment({}).day_index_shards == DEFAULT_DAY_INDEX_SHARDS
