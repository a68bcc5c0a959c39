"""The crisis simulator's capacity arithmetic against DynamoDB's documented rules and
examples (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html,
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html),
and the HTTP API's token bucket."""

from __future__ import annotations

import pytest

from socialcare_cli.bench.crisis_capacity import (
    IndexSchema,
    TableSchema,
    item_size,
    query_read_units,
    read_units,
    write_units,
)
from socialcare_cli.bench.crisis_ledger import Ledger, TokenBucket, mask, moving_peak
from socialcare_cli.bench.crisis_report import mixed_quantile, throttled_share

TABLE = TableSchema(
    "cases",
    "PK",
    "SK",
    (
        IndexSchema("GSI1", "GSI1PK", "GSI1SK", "ALL"),
        IndexSchema("GSI2", "GSI2PK", "GSI2SK", "KEYS_ONLY"),
    ),
)


def test_item_size_follows_each_type_rule():
    # Given one attribute of each type
    # Then strings count their UTF-8 bytes, numbers a byte per two significant digits
    # plus one, binaries their raw bytes, booleans and nulls one byte, all beside the name
    assert item_size({"a": {"S": "hello"}}) == 1 + 5
    assert item_size({"ñ": {"S": "ñ"}}) == 2 + 2
    assert item_size({"n": {"N": "12345"}}) == 1 + 3 + 1
    assert item_size({"n": {"N": "-0.0012300"}}) == 1 + 2 + 1  # zeros trimmed: 123
    assert item_size({"b": {"B": b"\x00\x01\x02"}}) == 1 + 3
    assert item_size({"t": {"BOOL": True}, "z": {"NULL": True}}) == 2 + 2
    # And a list or map 3 bytes plus one byte per element; an empty one just 3
    assert item_size({"l": {"L": [{"S": "ab"}, {"N": "1"}]}}) == 1 + 3 + (2 + 1) + (2 + 1)
    assert item_size({"m": {"M": {"k": {"S": "v"}}}}) == 1 + 3 + (1 + 1 + 1)
    assert item_size({"m": {"M": {}}}) == 1 + 3


@pytest.mark.parametrize(
    ("size", "units"),
    [(500, 1), (1024, 1), (1025, 2), (3584, 4)],  # "3.5 KB ... 4 write capacity units"
)
def test_a_write_unit_per_kilobyte_rounded_up(size: int, units: int):
    assert write_units(size) == units
    assert write_units(size, transactional=True) == 2 * units


def test_reads_round_to_4_kb_halved_when_eventually_consistent():
    # "if you read an item that is 3.5 KB, DynamoDB rounds the item size to 4 KB"; "10 KB
    # ... rounds the item size to 12 KB"
    assert read_units(3584, consistent=True) == 1
    assert read_units(10 * 1024, consistent=True) == 3
    assert read_units(10 * 1024, consistent=False) == 1.5
    assert read_units(4096, consistent=True, transactional=True) == 2
    # And a read of nothing costs the minimum
    assert read_units(0, consistent=False) == 0.5


def test_a_query_sums_its_items_before_rounding_page_by_page():
    # Given ten items of 40 bytes: one 4 KB read for all of them, not ten
    assert query_read_units([40] * 10, consistent=True) == 1
    # And a query past 1 MB reads in pages, each rounded on its own
    assert query_read_units([600 * 1024, 600 * 1024], consistent=True) == 2 * 150


def test_index_writes_by_projection_and_key_change():
    case = {"PK": {"S": "CASE#1"}, "SK": {"S": "CASE"}, "text": {"S": "x" * 1500}}
    dated = {**case, "GSI1PK": {"S": "DAY#2026-12-07"}, "GSI1SK": {"S": "t#1"}}
    person = {**dated, "GSI2PK": {"S": "PERSON#ab"}, "GSI2SK": {"S": "t#1"}}
    # An item without an index's keys is not in it
    assert TABLE.index_writes(None, case) == []
    # A new item with both: the ALL index gets the whole item, KEYS_ONLY its keys only
    writes = TABLE.index_writes(None, person)
    assert ("GSI1", "DAY#2026-12-07", 2.0) in writes
    assert ("GSI2", "PERSON#ab", 1.0) in writes
    # An update that keeps the key writes once; one that moves it deletes and puts
    moved = {**person, "GSI1PK": {"S": "DAY#2026-12-08"}}
    assert [w for w in TABLE.index_writes(person, person) if w[0] == "GSI1"] == [
        ("GSI1", "DAY#2026-12-07", 2.0)
    ]
    assert [w[:2] for w in TABLE.index_writes(person, moved) if w[0] == "GSI1"] == [
        ("GSI1", "DAY#2026-12-07"),
        ("GSI1", "DAY#2026-12-08"),
    ]


def test_keys_are_reported_without_ids():
    assert mask("CASE#20261207-0123456789abcdef") == "CASE#<id>"
    assert mask("ACTION#wgMlh_ozqa9p9ZQG9sbaQOaJRCzfD9Re") == "ACTION#<id>"
    assert mask("ACTION#wgSpIDNQjocoKh-REspg_yilWhtXMcUz") == "ACTION#<id>"  # no digit
    assert mask("CRISIS#claims_and_repairs") == "CRISIS#claims_and_repairs"
    assert mask("DAY#2026-12-07#3") == "DAY#9999-99-99#9"
    assert mask("OUTBOUND_UNCERTAIN") == "OUTBOUND_UNCERTAIN"
    # ids of any length make one pattern
    assert mask("instagram#178123") == mask("instagram#1781234567") == "instagram#<n>"


def test_a_sampled_run_scales_shared_keys_only():
    # Given a run of a tenth of the deliveries: one day key every case writes, and a key
    # of each case
    ledger = Ledger(fraction=0.1, deliveries=100)
    for second in range(60):
        ledger.add(second, "cases/GSI1", "W", "DAY#2026-12-07", 3.0)
        ledger.add(second, "cases", "W", f"CASE#20261207-{second:016x}", 4.0)
    # And a key of a case touched once, unlike any other
    ledger.add(0, "cases", "W", "ODD#key", 4.0)
    # Then the shared key stands for ten times its traffic, a case's key for itself
    peaks = ledger.peaks()
    assert peaks[("cases", "W", "ODD#key")] == 4.0
    assert peaks[("cases/GSI1", "W", "DAY#2026-12-07")] == pytest.approx(30.0)
    assert peaks[("cases", "W", "CASE#20261207-0000000000000001")] == 4.0
    assert ledger.peak("W", index=True) == 30.0 and ledger.peak("W", index=False) == 4.0


def test_a_scheduled_runs_reads_are_not_scaled_like_the_bursts():
    # Given a sampled run in which a schedule reads a shared key every 10 seconds (as
    # often as at the whole burst's rate) and the cases write it
    ledger = Ledger(fraction=0.1, deliveries=100)
    for second in range(60):
        ledger.add(second, "cases/GSI1", "W", "EMAIL_OWED#3", 2.0)
        if second % 10 == 0:
            ledger.add(second, "cases/GSI1", "R", "EMAIL_OWED#3", 128.0, scaled=False)
    # Then the writes stand for ten times their traffic, the reads for themselves
    peaks = ledger.peaks()
    assert peaks[("cases/GSI1", "W", "EMAIL_OWED#3")] == pytest.approx(20.0)
    assert peaks[("cases/GSI1", "R", "EMAIL_OWED#3")] == 128.0


def test_moving_peak_is_the_busiest_window_mean():
    assert moving_peak({0: 1.0, 1: 5.0, 2: 1.0, 3: 9.0}, 2) == 5.0
    assert moving_peak({4: 2.0}, 60) == 2.0


def test_the_token_bucket_allows_its_burst_then_its_rate():
    # Given a bucket of 5 refilled at 10 a second
    bucket = TokenBucket(rate=10, burst=5)
    # When 6 requests arrive at once: the sixth is refused
    assert [bucket.take(0.0) for _ in range(6)] == [True] * 5 + [False]
    # And a tenth of a second later one more token has come back
    assert bucket.take(0.1) and not bucket.take(0.1)


def test_throttling_refuses_what_exceeds_the_rate_with_retries_counted():
    # Under the configured rate nothing is refused
    assert throttled_share(50, seconds=20, rate=100, burst=200)["pct"] == 0
    # At ten times the rate about nine in ten attempts are refused (retries among them)
    over = throttled_share(1000, seconds=20, rate=100, burst=200)
    assert 85 < over["pct"] < 95 and over["attempts"] > 20_000


def test_a_few_cold_starts_move_the_median_not_the_99th_percentile_of_many():
    warm = [float(ms) for ms in range(1, 101)]
    # One cold answer in a thousand stays above the 99th percentile: a warm one it is
    assert mixed_quantile(warm, 900.0, 0.001, 0.99) in warm
    # One in twenty makes it a cold one
    assert mixed_quantile(warm, 900.0, 0.05, 0.99) > 900
