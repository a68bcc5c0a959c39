"""The console's inbox over 10,000 open cases: the real use case (`open_inbox`) through
the real adapter (16 shards of GSI3 queried, every case decoded, queued, filtered and
sorted), DynamoDB's Query pages of the template's GSI3 projection answered in-process;
beside its floor, one Query of the same items under one key (the same bytes, parsed by
botocore, nothing else). The issue's target: the inbox's p95 within 3x the floor's.

Run as `python -m socialcare_cli.bench.console_inbox [CASES] [SAMPLES]`, or
`socialcare bench --only console_inbox`."""

from __future__ import annotations

import json
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

REGION = "eu-west-1"
TARGET_RATIO = 3.0
_PAGE_BYTES = (
    1024 * 1024
)  # DynamoDB's Query page: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
_CHANNELS = ("facebook_comment", "messenger", "instagram_dm", "whatsapp", "x_mention", "telegram")
_CATEGORIES = ("complaint", "question", "praise", "lead", "claim", "incident")
_STATUSES = ("new", "triaged", "derived", "derived", "escalated")
SHARDS = 16  # adapters/dynamodb/open_case_index.py's OPEN_CASE_SHARDS


def open_case_items(count: int, now: datetime) -> list[dict[str, Any]]:
    """Open case items as GSI3 projects them (the attributes the template lists)."""
    from socialcare.domain.clock import utc_iso

    rng = random.Random(33)
    items = []
    for number in range(count):
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 5))
        case_id = f"{created:%Y%m%d}-{number:016x}"
        status = rng.choice(_STATUSES)
        item: dict[str, Any] = {
            "PK": f"CASE#{case_id}",
            "SK": "CASE",
            "id": case_id,
            "status": status,
            "channel": rng.choice(_CHANNELS),
            "platform": "meta",
            "public": rng.random() < 0.4,
            "language": rng.choice(("es", "es", "en")),
            "created_at": utc_iso(created),
            "last_message_at": utc_iso(created),
            "priority": rng.choice(("P1", "P2", "P3")),
            "category": rng.choice(_CATEGORIES),
            "flags": rng.sample(["urgent", "authority_mentioned", "crisis", "low_confidence"], 1),
            "confidence": Decimal(str(round(rng.random(), 3))),
            "needs_review": rng.random() < 0.1,
            # Spread over the 16 shards evenly, as the id's hash spreads them.
            "GSI3PK": f"OPEN#{number % SHARDS}",
            "GSI3SK": f"{utc_iso(created)}#{case_id}",
        }
        if status in ("derived", "escalated"):
            item["department"] = rng.choice(("customer_service", "claims", "sales"))
            item["deadline"] = utc_iso(created + timedelta(hours=rng.randint(4, 96)))
        if rng.random() < 0.3:
            item["assignee"] = rng.choice(("ana", "luis", "marta"))
        items.append(item)
    return items


def sized(scale: float) -> dict[str, int]:
    """The issue's 10,000 open cases and 30 samples at full scale; fewer below (the test
    suite's run is a smoke test of the step, not a measure)."""
    if scale >= 1:
        return {"cases": 10_000, "samples": 30}
    return {"cases": max(500, round(10_000 * scale)), "samples": max(3, round(30 * scale))}


def measure(root: Path, cases: int = 10_000, samples: int = 30) -> dict[str, Any]:
    """DynamoDB answered at botocore's `before-send` with the Query pages DynamoDB would
    send (typed JSON, cut at 1 MB): botocore parses real bytes and the real adapter and use
    case run, with no network and no emulator to hide our own time (moto's Query over
    10,000 items took 15-26 s a call on the shared machine: it measured moto)."""
    import boto3
    from boto3.dynamodb.types import TypeSerializer

    from socialcare.app.console_inbox import open_inbox
    from socialcare.bootstrap import Root
    from socialcare.bootstrap.console_inbox import dependencies
    from socialcare.settings import Settings
    from socialcare_cli.bench.console_costs import agent_day
    from socialcare_cli.local.template import Template

    props = Template.load(root).resources["CasesTable"]["Properties"]
    [gsi3] = [i for i in props["GlobalSecondaryIndexes"] if i["IndexName"] == "GSI3"]
    projected = set(gsi3["Projection"]["NonKeyAttributes"]) | {"PK", "SK", "GSI3PK", "GSI3SK"}
    now = datetime.now(UTC)
    typed = TypeSerializer().serialize
    items = [
        {k: typed(v) for k, v in item.items() if k in projected}
        for item in open_case_items(cases, now)
    ]
    keys: dict[str, list[dict[str, Any]]] = {"FLOOR": items}
    for item in items:
        keys.setdefault(item["GSI3PK"]["S"], []).append(item)
    pages = QueryPages(keys)
    client = boto3.client(
        "dynamodb",
        region_name=REGION,
        aws_access_key_id="bench",
        aws_secret_access_key="bench",  # noqa: S106 (answered here: nothing is sent)
    )
    client.meta.events.register("before-send.dynamodb.Query", pages.answer)
    # Built as the console function builds it, over the answering client.
    composed = Root(Settings(cases_table_name="cases"), client=lambda _service: client)
    deps = dependencies(composed).use_cases
    listed = len(open_inbox({}, "ana", deps).rows)
    inbox_ms, floor_ms = [], []
    for _ in range(samples):
        began = time.perf_counter()
        open_inbox({}, "ana", deps)
        inbox_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        floor_pages = _floor(client)
        floor_ms.append((time.perf_counter() - began) * 1000)
    p95, floor_p95 = _p95(inbox_ms), _p95(floor_ms)
    memory = Template.load(root).function_memory("ConsoleFunction")
    cost = agent_day(items, statistics.median(inbox_ms), memory)
    return {
        "cases": cases,
        "listed": listed,
        "samples": samples,
        "p50_ms": round(statistics.median(inbox_ms), 1),
        "p95_ms": round(p95, 1),
        "floor_p50_ms": round(statistics.median(floor_ms), 1),
        "floor_p95_ms": round(floor_p95, 1),
        "floor_pages": floor_pages,
        "projected_kb": round(sum(len(json.dumps(i)) for i in items) / 1024),
        "ratio_p95": round(p95 / floor_p95, 2),
        "target": TARGET_RATIO,
        "ok": listed == cases and p95 <= TARGET_RATIO * floor_p95,
        "agent_day": cost,
    }


class QueryPages:
    """Each partition key's items as DynamoDB's Query pages (at most 1 MB of items each,
    `LastEvaluatedKey` to go on), answered before botocore sends anything."""

    def __init__(self, keys: dict[str, list[dict[str, Any]]]) -> None:
        self._pages: dict[tuple[str, int], bytes] = {}
        for key, items in keys.items():
            start = 0
            while True:
                end, size = start, 0
                while end < len(items) and size < _PAGE_BYTES:
                    size += len(json.dumps(items[end]))
                    end += 1
                page: dict[str, Any] = {"Items": items[start:end], "Count": end - start}
                if end < len(items):
                    page["LastEvaluatedKey"] = {"n": {"N": str(end)}}
                self._pages[(key, start)] = json.dumps(page).encode()
                if end >= len(items):
                    break
                start = end

    def answer(self, request: Any, **_: Any) -> Any:
        from socialcare_cli.bench.report_aws import _Response

        params = json.loads(request.body)
        key = next(iter(params["ExpressionAttributeValues"].values()))["S"]
        start = int((params.get("ExclusiveStartKey") or {}).get("n", {}).get("N", 0))
        body = self._pages.get((key, start), b'{"Items": [], "Count": 0}')
        return _Response.make(200, body, {"Content-Type": "application/x-amz-json-1.0"})


def _floor(client: Any) -> int:
    """The same items under one key: one Query (the next pages where 1 MB cuts it),
    parsed by botocore, nothing else. How many pages."""
    kwargs: dict[str, Any] = {
        "TableName": "cases",
        "KeyConditionExpression": "PK = :k",
        "ExpressionAttributeValues": {":k": {"S": "FLOOR"}},
    }
    pages = 0
    while True:
        page = client.query(**kwargs)
        pages += 1
        if "LastEvaluatedKey" not in page:
            return pages
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def table_lines(result: dict[str, Any] | None) -> list[str]:
    if not result:
        return []
    return [
        "",
        f"console inbox ({result['cases']:,} open cases): p95 {result['p95_ms']} ms vs one "
        f"Query of the same items {result['floor_p95_ms']} ms: ratio {result['ratio_p95']} "
        f"(target <={result['target']}) {'ok' if result['ok'] else 'MISSED'}",
        f"  an agent's day in the console: ${result['agent_day']['usd']['total']:.4f} "
        f"({', '.join(f'{k} {v}' for k, v in result['agent_day']['usd'].items() if k != 'total')})",
    ]


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


if __name__ == "__main__":
    import sys

    from socialcare_cli.local.stack import project_root

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    print(
        json.dumps(
            measure(
                project_root(), cases=count, samples=int(sys.argv[2]) if len(sys.argv) > 2 else 10
            )
        )
    )
