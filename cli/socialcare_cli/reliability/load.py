"""Load: concurrent deliveries from many senders; every one a case, each workflow started once."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.reliability.common import SENDERS, percentile, wait_for_workflows
from socialcare_cli.samples import send_event
from socialcare_cli.synthetic import deliveries


def load(stack: LocalStack, api: str, total: int) -> dict[str, Any]:
    """Distinct deliveries over all channels (Meta batches among them), 30% repeated,
    shuffled, from 8 concurrent senders: one case per message, one execution per case."""
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
    executions = wait_for_workflows(stack, expected, timeout=max(120, total))
    cases = stack.list_cases()
    per_case = Counter(e["name"] for e in executions)
    case_names = {f"case-{c['id']}" for c in cases}
    return {
        "sent": {
            "deliveries": len(sent),
            "distinct": len(distinct),
            "repeated": len(sent) - len(distinct),
            "messages": expected,
            "senders": SENDERS,
        },
        "found": {
            "http_statuses": dict(statuses),
            "cases": len(cases),
            "executions": len(executions),
            "cases_without_execution": len(case_names - set(per_case)),
            "max_executions_per_case": max(per_case.values(), default=0),
            "executions_by_status": dict(Counter(e["status"] for e in executions)),
        },
        "throughput_per_s": round(len(sent) / acknowledged_in, 1),
        "ack_latency_ms": {
            "p50": round(1000 * percentile(latencies, 0.5), 1),
            "p99": round(1000 * percentile(latencies, 0.99), 1),
        },
        "ok": statuses.keys() <= {200}
        and len(cases) == expected
        and len(executions) == len(cases)
        and set(per_case) == case_names
        and max(per_case.values(), default=0) == 1,
    }
