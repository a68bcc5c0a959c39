"""The day index (GSI1) spread over shards: `GSI1PK = DAY#<yyyy-mm-dd>#<shard>`, the shard a
stable hash of the item's id modulo the configured count (DAY_INDEX_SHARDS).

Why shards: DynamoDB gives a partition 1,000 WCU/s, and a throttled global secondary index
throttles the base table's writes
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html,
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations).
Every write of a case item is copied to GSI1 (projection ALL). The bench's cost meter counts
a case's index write units over its whole life (GSI2's keys-only copies included): 13.6 for
an autonomous case, 34 for a derived and resolved one, 47 escalated; the 60/30/10 mix 23.
At 1,000 deliveries/s (30% redeliveries, 5% replies to open cases) about 650 cases are
created a second. Even if a case's whole life landed in the second it was created, 32
shards take 650 x 23 / 32 = 470 WCU/s each on the mix, 650 x 34 / 32 = 690 if every case
were derived: under 700 (70% of the limit). In fact a derived case's later writes come
hours or days later (the department's answer, escalations, closing). The hash spreads
evenly (tested: no shard above 1.5x its share over 10,000 ids).

Readers query every shard up to MAX_DAY_INDEX_SHARDS, whatever the configured count, and
the unsharded `DAY#<date>` that items written before the shards carry: raising or lowering
the count never hides a case, and no migration is needed (the legacy keys age out with
their items' TTL). An empty shard's Query costs 0.5 read unit.
"""

from __future__ import annotations

import hashlib

# The readers' ceiling (settings.py caps DAY_INDEX_SHARDS at it): raising it is a code change
# that raises what readers read in the same release.
MAX_DAY_INDEX_SHARDS = 64
DEFAULT_DAY_INDEX_SHARDS = 32


def shard_of(item_id: str, shards: int) -> int:
    """Stable across processes and releases (Python's hash() is salted per process)."""
    digest = hashlib.sha256(item_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards


def day_key(day: str, item_id: str, shards: int) -> str:
    """GSI1PK of an item created on `day` (yyyy-mm-dd)."""
    return f"DAY#{day}#{shard_of(item_id, shards)}"


def day_keys(day: str) -> list[str]:
    """Every GSI1PK a day's items may carry: the legacy key, then each shard's."""
    return [f"DAY#{day}", *(f"DAY#{day}#{shard}" for shard in range(MAX_DAY_INDEX_SHARDS))]
