"""The open cases' index (GSI3, sparse): a case item carries `GSI3PK = OPEN#<shard>` (the
case id's shard, of OPEN_CASE_SHARDS) and `GSI3SK = <created_at>#<id>` from its creation
until it closes (case_states.py removes both in the closing transaction; a reopening puts
them back with `open_case_keys`). The console's inbox reads every shard. GSI3 projects
only what the inbox shows (template.yaml), about 300 bytes a case: one write unit per copy.

Heat at the crisis rate (650 new cases/s, README "DynamoDB key design"): an open case's
item is written about 5 times in its first seconds (created, triaged, workflow started,
derived, a returning message), each copied to GSI3 at 1 WCU: 650 x 5 = 3,250 WCU/s, over
16 shards about 200 WCU/s each, under the 700 we allow a key (1,000 is a partition's
limit: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html).
Kept apart from the reader (open_cases.py) so the webhook's import path loads no thread
pool."""

from __future__ import annotations

from typing import Any

from socialcare.adapters.dynamodb.day_index import shard_of
from socialcare.domain.cases import TRIAGE_FLAGS

OPEN_CASES_INDEX = "GSI3"
OPEN_CASE_SHARDS = 16
OPEN_CASE_KEYS = ("GSI3PK", "GSI3SK")


def open_case_keys(case_id: str, created_at: str) -> dict[str, str]:
    return {
        "GSI3PK": f"OPEN#{shard_of(case_id, OPEN_CASE_SHARDS)}",
        "GSI3SK": f"{created_at}#{case_id}",
    }


def open_case_shards() -> list[str]:
    return [f"OPEN#{shard}" for shard in range(OPEN_CASE_SHARDS)]


def inbox_fields(triage: dict[str, Any]) -> dict[str, Any]:
    """What the console's inbox filters on, beside the triage map (GSI3 projects these
    few attributes, not the map and its suggested replies); a correction changes them."""
    fields = {
        "category": triage.get("category"),
        "flags": [flag for flag in TRIAGE_FLAGS if triage.get(flag)],
        "confidence": triage.get("confidence"),
        # Until triage sets it itself (issue 34): its low confidence asks for a review.
        "needs_review": bool(triage.get("low_confidence")),
    }
    return {name: value for name, value in fields.items() if value is not None}
