"""Load: concurrent deliveries from many senders; every one a case, each triaged once."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.reliability.common import SENDERS, percentile, triage_found
from socialcare_cli.samples import send_event
from socialcare_cli.synthetic import deliveries


def load(stack: LocalStack, api: str, total: int) -> dict[str, Any]:
    """Distinct deliveries over all channels (Meta batches among them), 30% repeated,
    shuffled, from 8 concurrent senders: one case per message, each triaged once from the
    table's stream (praise and spam: triage closes them, so no workflow starts)."""
    distinct = list(deliveries(round(total / 1.3), local_secrets({}), project_root()))
    rng = random.Random(1)
    sent = distinct + rng.sample(distinct, k=total - len(distinct))
    rng.shuffle(sent)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def deliver(delivery) -> None:
        started = time.perf_counter()
        status = send_event(api, delivery.event).status
        with lock:
            latencies.append(time.perf_counter() - started)
            statuses[status] += 1

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=SENDERS) as senders:
        list(senders.map(deliver, sent))
    acknowledged_in = time.monotonic() - started
    expected = sum(d.messages for d in distinct)
    found, triaged_once = triage_found(stack, expected, timeout=max(120, total))
    return {
        "sent": {
            "deliveries": len(sent),
            "distinct": len(distinct),
            "repeated": len(sent) - len(distinct),
            "messages": expected,
            "senders": SENDERS,
        },
        "found": {"http_statuses": dict(statuses), **found},
        "throughput_per_s": round(len(sent) / acknowledged_in, 1),
        "ack_latency_ms": {
            "p50": round(1000 * percentile(latencies, 0.5), 1),
            "p99": round(1000 * percentile(latencies, 0.99), 1),
        },
        "ok": statuses.keys() <= {200} and triaged_once,
    }
