"""What one agent's day in the console costs AWS: the inbox's refreshes (Lambda, the HTTP
API, DynamoDB's reads of every open case), the case pages with their presence refresh,
and the person's share of the user pool's monthly price. List prices (us-east-1) from
aws_costs.PRICES; Cognito's: https://aws.amazon.com/cognito/pricing/ (Essentials, $0.015
per monthly active user above the account's 10,000 free ones)."""

from __future__ import annotations

import math
from typing import Any

from socialcare_cli.bench.aws_costs import PRICES, item_bytes

COGNITO_MAU_USD = 0.015  # Essentials, above the free tier (taken as used up: an upper bound)
WORKING_DAYS_A_MONTH = 21
HOURS = 8  # one tab open on the inbox all day, refreshing while visible
REFRESH_SECONDS = 15  # console.js: at most one refresh every 15 s
CASE_VIEWS = 60  # case pages opened in a day
CASE_PAGE_MINUTES = 3  # each open that long, refreshing (presence) every 15 s
CASE_PARTITION_BYTES = 12 * 1024  # a case with a few messages and its timeline
OPEN_INDEX_SHARDS = 16
NETWORK_MS = 30  # 16 Query round trips in parallel, beside the measured in-process time
CASE_PAGE_MS = 60  # a case page: a partition Query, a presence Put and Query, GSI2, BatchGet


def agent_day(items: list[dict[str, Any]], inbox_ms: float, memory_mb: int = 512) -> dict[str, Any]:
    """`items`: the open cases as GSI3 projects them (typed); `inbox_ms`: the inbox's
    measured time (p50), the function's duration per refresh with NETWORK_MS."""
    refreshes = HOURS * 3600 // REFRESH_SECONDS
    case_requests = CASE_VIEWS * (1 + CASE_PAGE_MINUTES * 60 // REFRESH_SECONDS)
    shard_bytes = sum(item_bytes(i) for i in items) / OPEN_INDEX_SHARDS
    # Eventually consistent Query: half a unit per 4 KB, per shard, at least half a unit.
    inbox_read_units = OPEN_INDEX_SHARDS * max(0.5, math.ceil(shard_bytes / 4096) / 2)
    # A case page: its partition (consistent), the viewers' Query, GSI2 and a BatchGet of
    # 20 small items; one presence Put (1 unit).
    case_read_units = math.ceil(CASE_PARTITION_BYTES / 4096) + 0.5 + 0.5 + 10
    gb = memory_mb / 1024
    lambda_usd = (refreshes + case_requests) * PRICES["lambda_request"] + (
        refreshes * (inbox_ms + NETWORK_MS) + case_requests * CASE_PAGE_MS
    ) / 1000 * gb * PRICES["lambda_gb_second"]
    api_usd = (refreshes + case_requests) * PRICES["http_request"]
    dynamodb_usd = (refreshes * inbox_read_units + case_requests * case_read_units) * PRICES[
        "read_unit"
    ] + case_requests * PRICES["write_unit"]
    cognito_usd = COGNITO_MAU_USD / WORKING_DAYS_A_MONTH
    total = lambda_usd + api_usd + dynamodb_usd + cognito_usd
    return {
        "open_cases": len(items),
        "inbox_refreshes": refreshes,
        "case_page_requests": case_requests,
        "inbox_read_units_per_refresh": inbox_read_units,
        "usd": {
            "lambda": round(lambda_usd, 4),
            "http_api": round(api_usd, 4),
            "dynamodb": round(dynamodb_usd, 4),
            "cognito": round(cognito_usd, 4),
            "total": round(total, 4),
        },
    }
