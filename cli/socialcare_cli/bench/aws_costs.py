"""What AWS bills, item by item, at the us-east-1 list prices: the units a request
consumes, and the fixed monthly costs a deployment of the template carries."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

PRICES = {
    "transition": 0.025 / 1000,  # Step Functions Standard
    "lambda_request": 0.20 / 1_000_000,
    "lambda_gb_second": 0.0000133334,  # arm64, init included for on-demand ZIP functions
    "http_request": 1.00 / 1_000_000,  # HTTP API
    "write_unit": 0.625 / 1_000_000,  # DynamoDB on-demand (base table and GSI alike)
    "read_unit": 0.125 / 1_000_000,
    "stream_read_request": 0.0,  # GetRecords by a Lambda trigger is free
    "email_recipient": 0.10 / 1000,  # SES, per recipient
    # Traces recorded, at Lambda's sampling (volume_costs.py); the free tier (100,000 a
    # month) not counted. https://aws.amazon.com/xray/pricing/
    "xray_trace": 5.00 / 1_000_000,
    "log_gb": 0.50,  # CloudWatch Logs ingestion (EMF lines are log lines)
}
# What the platforms themselves bill per call (not AWS: reported beside the AWS cost).
# X API pay-per-use: about $0.015 a post, $0.20 with a URL; DMs taken at a post's price.
# Graph API, WhatsApp service messages and Telegram: no per-call price.
PLATFORM_PRICES = {"x_post": 0.015, "x_post_with_url": 0.20}
# A platform's API answers in a few hundred milliseconds in production (the emulator in
# about one): each call bills this much Lambda time at the caller's memory.
PLATFORM_CALL_MS = 300
FIXED_MONTHLY = {
    "secret": 0.40,  # Secrets Manager, per secret
    "alarm": 0.10,  # standard resolution, per alarm
    "custom_metric": 0.30,  # per metric (EMF: name x dimension set)
    "dashboard": 3.00,
}
# Lambda's lines around each invocation (START, END, REPORT with init and X-Ray ids).
PLATFORM_LOG_BYTES = 420
_READS = {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}
_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
_INDEX_KEY = "GSI1PK"


def item_bytes(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names plus values (numbers about half their digits)."""
    return sum(len(name.encode()) + _value_bytes(value) for name, value in item.items())


def _value_bytes(value: dict[str, Any]) -> int:
    (kind, content), *_ = value.items()
    if kind in ("S", "B"):
        return len(content.encode() if isinstance(content, str) else content)
    if kind == "N":
        return math.ceil(len(content.lstrip("-").replace(".", "")) / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + _value_bytes(v) + 1 for k, v in content.items())
    if kind == "L":
        return 3 + sum(_value_bytes(v) + 1 for v in content)
    return sum(len(str(v).encode()) for v in content)  # sets


def request_units(
    operation: str, params: dict[str, Any], parsed: dict[str, Any], sizes: dict[str, int]
) -> tuple[float, float]:
    """(read units, write units) of one DynamoDB request, on-demand: writes 1 per 1 KB of
    item, reads 1 per 4 KB strongly consistent (half eventually), transactions double.
    An update is charged on the item's size, taken as its final size (an upper bound)."""

    def written(request: dict[str, Any]) -> int:
        if "Item" in request:
            return math.ceil(item_bytes(request["Item"]) / 1024) or 1
        return math.ceil(sizes.get(_key_of(request.get("Key", {})), 0) / 1024) or 1

    def read(items: list[dict[str, Any]], consistent: bool) -> float:
        units = math.ceil(sum(item_bytes(i) for i in items) / 4096) or 1
        return units if consistent else units / 2

    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        return 0.0, float(written(params))
    if operation == "TransactWriteItems":
        return 0.0, float(
            sum(2 * written(next(iter(entry.values()))) for entry in params["TransactItems"])
        )
    if operation == "GetItem":
        items = [parsed["Item"]] if parsed.get("Item") else []
        return read(items, bool(params.get("ConsistentRead"))), 0.0
    if operation in ("Query", "Scan"):
        return read(parsed.get("Items", []), bool(params.get("ConsistentRead"))), 0.0
    if operation == "TransactGetItems":
        items = [r["Item"] for r in parsed.get("Responses", []) if r.get("Item")]
        return 2 * read(items, True), 0.0
    return 0.0, 0.0


def _key_of(key: dict[str, Any]) -> str:
    return f"{key.get('PK', {}).get('S')}|{key.get('SK', {}).get('S')}"


_PERSON_INDEX_KEY = "GSI2PK"
_OPEN_INDEX_KEY = "GSI3PK"


def index_write_units(
    operation: str, params: dict[str, Any], sizes: dict[str, int], indexed: set[str]
) -> float:
    """GSI1 (ProjectionType ALL) keeps a copy of every item with GSI1PK: each write to
    such an item writes the copy too, at the standard rate (not doubled in a transaction).
    GSI2 (keys only) is written when an item with its keys is put; GSI3 (open cases) by
    every write of a case item."""
    requests: list[dict[str, Any]] = []
    if operation == "TransactWriteItems":
        requests = [next(iter(entry.values())) for entry in params["TransactItems"]]
    elif operation in ("PutItem", "UpdateItem", "DeleteItem"):
        requests = [params]
    units = 0.0
    for request in requests:
        item = request.get("Item")
        key = _key_of(item if item else request.get("Key", {}))
        if (item and _INDEX_KEY in item) or (not item and key in indexed):
            size = item_bytes(item) if item else sizes.get(key, 0)
            units += math.ceil(size / 1024) or 1
        # GSI2, the person index, keeps keys only (well under 1 KB): a put of an item
        # with its keys writes one unit there; an update never changes them.
        if item and _PERSON_INDEX_KEY in item:
            units += 1
        # GSI3, the open cases (a few attributes, under 1 KB): a case's put, and each
        # update of it (taken as open: the closing's removal writes too), one unit.
        if (item and _OPEN_INDEX_KEY in item) or (not item and key.endswith("|CASE")):
            units += 1
    return units


def counted_requests(operation: str) -> tuple[int, int]:
    return int(operation in _READS), int(operation in _WRITES)


def email_recipients(params: dict[str, Any]) -> int:
    destination = params.get("Destination") or {}
    return sum(
        len(destination.get(k) or []) for k in ("ToAddresses", "CcAddresses", "BccAddresses")
    )


def fixed_monthly(root: Path, template: Any) -> dict[str, Any]:
    """What the stack costs a month before its first case."""
    secrets = len(template.of_type("AWS::SecretsManager::Secret"))
    alarms = len(template.of_type("AWS::CloudWatch::Alarm"))
    dashboards = len(template.of_type("AWS::CloudWatch::Dashboard"))
    metrics = custom_metrics(root)
    usd = (
        secrets * FIXED_MONTHLY["secret"]
        + alarms * FIXED_MONTHLY["alarm"]
        + len(metrics) * FIXED_MONTHLY["custom_metric"]
        + dashboards * FIXED_MONTHLY["dashboard"]
    )
    return {
        "secrets": secrets,
        "alarms": alarms,
        "custom_metrics": len(metrics),
        "metric_names": sorted(metrics),
        "dashboards": dashboards,
        "usd_per_month": round(usd, 2),
    }


# adapters/alarms.py's METRIC, added by the handlers' `counted_in` (the CLI reaches no
# adapter; tests/unit/bench/test_fixed_costs.py holds the two together).
TOKEN_METRIC = "PlatformTokenInvalid"


def custom_metrics(root: Path) -> set[str]:
    """Every EMF metric the handlers can emit (one dimension set each: service): in the
    handlers, and in what they log and count through (socialcare/observability/)."""
    names: set[str] = set()
    observability = root / "layers" / "socialcare" / "socialcare" / "observability"
    sources = sorted((root / "functions").glob("*/app.py")) + sorted(observability.glob("*.py"))
    for path in sources:
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r'name="([A-Z][A-Za-z]+)"', text))
        # Names held in a table or chosen by a condition before they are counted.
        for block in re.findall(r"_(?:METRICS|COUNTED) = \{(.*?)\}", text, re.S):
            names.update(re.findall(r'"([A-Z][A-Za-z]+)"', block))
        for block in re.findall(r"\{([^{}]*)\}\.get\(", text):
            names.update(re.findall(r'"([A-Z][A-Za-z]+)"', block))
        names.update(re.findall(r'_count\(\s*"([A-Z][A-Za-z]+)"', text))
        names.update(re.findall(r'\["([A-Z][A-Za-z]+)"\] if ', text))
        names.update(re.findall(r'= "([A-Z][A-Za-z]+)" if ', text))
        names.update(re.findall(r'(?:else|or) "([A-Z][A-Za-z]+)"', text))
        if "counted_in(" in text:  # token problems, counted by adapters/alarms.py
            names.add(TOKEN_METRIC)
    # The webhook's per-outcome counters (Messages_{outcome}).
    names.update(
        f"Messages_{o}" for o in ("created", "appended", "duplicate", "responses", "changes")
    )
    return names


def break_even_cases(fixed_usd: float, usd_per_1000: float, share: float = 0.10) -> int:
    """The monthly cases at which the fixed costs fall under `share` of the total."""
    return math.ceil(fixed_usd * (1 - share) / share / usd_per_1000 * 1000)
