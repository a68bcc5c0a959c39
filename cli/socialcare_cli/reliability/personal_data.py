"""Personal data: nothing a customer wrote reaches the handlers' logs."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from socialcare_cli.local.stack import LocalStack, project_root
from socialcare_cli.reliability.common import log_records, strings
from socialcare_cli.samples import send_event


def personal_data(log_path: Path, stack: LocalStack, api: str) -> dict:
    """Every sample delivery (phones, a DNI, emails among their texts) goes through the
    protocol, then the daily report runs; every string the handlers logged in all the
    scenarios, and every row of cases.csv, is scanned for personal data."""
    from socialcare.domain.personal_data import find_personal_data
    from socialcare_cli.samples import load_event

    samples = sorted((project_root() / "events").glob("*.json"))
    exposed = 0
    for path in samples:
        event = load_event(path)
        exposed += bool(find_personal_data(event.get("body") or ""))
        send_event(api, event)
    stack.wait_until_triaged()
    result = stack.run_report("daily", time.strftime("%Y-%m-%d"))
    csv_text = (stack.report_file(result["keys"][1]) or b"").decode()
    sys.stdout.flush()
    records = log_records(log_path.read_text(encoding="utf-8", errors="replace"))
    findings: Counter[str] = Counter()
    for record in records:
        for text in strings(record):
            for match in find_personal_data(text):
                findings[f"{match.kind} in log '{record.get('message', '?')}'"] += 1
    for line in csv_text.splitlines():
        for match in find_personal_data(line):
            findings[f"{match.kind} in cases.csv"] += 1
    return {
        "sent": {
            "samples": len(samples),
            "samples_with_personal_data": exposed,
            "log_records": len(records),
            "log_strings": sum(len(strings(r)) for r in records),
            "csv_rows": csv_text.count("\n") - 1,
        },
        "found": {"personal_data": dict(findings)},
        "ok": not findings and exposed > 0,
    }
