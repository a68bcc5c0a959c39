"""Personal data: nothing a customer wrote reaches the handlers' logs; and no log line
holds a link or token that acts for whoever reads it (a capability), however its client
spelt it (a report link's parameter names percent-encoded, an action link's route encoded
or in capitals)."""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from socialcare_cli.local.stack import LocalStack, project_root
from socialcare_cli.reliability.common import log_records, strings
from socialcare_cli.samples import send_event

# What a capability looks like in a log line, written apart from the redaction it checks
# (socialcare.domain.capabilities): a 32-character key or id, a 64-hex signature, a token.
_CAPABILITIES = {
    "publish link": re.compile(r"/publish/\d{8}-[0-9a-f]{16}\.[A-Za-z0-9_-]{32}"),
    "survey link": re.compile(r"/survey/\d{8}-[0-9a-f]{16}\.[A-Za-z0-9_-]{32}"),
    "action link": re.compile(r"/actions/[A-Za-z0-9_-]{32}"),
    "action id": re.compile(r"ACTION#[A-Za-z0-9_-]{32}"),
    "report link signature": re.compile(r"signature=[0-9a-fA-F]{64}"),
    "csrf token": re.compile(r"csrf_token[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9_-]{16}"),
    "task token": re.compile(r"(?i)task_?token[\"']?\s*[:=]\s*[\"']?[A-Za-z0-9+/=_-]{16}"),
    "telegram bot token": re.compile(r"/bot\d+:[A-Za-z0-9_-]{8}"),
    "bearer token": re.compile(r"Bearer [A-Za-z0-9._~+/=-]{8}"),
}


def capabilities_in(text: str, secrets: Iterable[str] = ()) -> Counter[str]:
    """Each kind of capability found in `text`, and each of the stack's own `secrets`."""
    found: Counter[str] = Counter()
    for kind, pattern in _CAPABILITIES.items():
        for _ in pattern.finditer(text):
            found[f"{kind} in log"] += 1
    for secret in secrets:
        if len(secret) >= 8 and secret in text:
            found["a secret of the stack in log"] += text.count(secret)
    return found


def stack_secrets(stack: LocalStack) -> list[str]:
    """The webhook secrets and platform tokens the local stack holds."""
    from socialcare_cli.local.stack import local_secrets

    return [*local_secrets({}).values(), *strings(stack.platforms.tokens)]


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
    spelt, spelt_secrets = _capabilities_spelt_otherwise(stack)
    sys.stdout.flush()
    sys.stderr.flush()
    logged = log_path.read_text(encoding="utf-8", errors="replace")
    records = log_records(logged)
    findings: Counter[str] = Counter()
    for record in records:
        for text in strings(record):
            for match in find_personal_data(text):
                findings[f"{match.kind} in log '{record.get('message', '?')}'"] += 1
    findings.update(capabilities_in(logged, [*stack_secrets(stack), *spelt_secrets]))
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
            "capabilities_spelt_otherwise": len(spelt),
        },
        "found": {"personal_data_or_capabilities": dict(findings), "answered": spelt},
        "ok": not findings and exposed > 0 and _answered_as_expected(spelt),
    }


def _capabilities_spelt_otherwise(stack: LocalStack) -> tuple[dict[str, int], list[str]]:
    """A manager's report link and a department's action link, requested with their
    secret part's name or route percent-encoded or in capitals: what each was answered
    (a redirect not followed), and the secrets they carried."""
    from socialcare_cli.reliability.common import wait_until

    def link_with(part: str) -> str:
        return next((u for e in stack.outbox() for u in e["links"] if part in u), "")

    report, action = (
        wait_until(lambda: link_with("signature=")),
        wait_until(lambda: link_with("/actions/")),
    )
    base, action_id = action.split("/actions/")[0], action.split("/actions/")[1].split("?")[0]
    urls = {
        "report link, %73ignature": report.replace("signature=", "%73ignature="),
        "report link, signatur%65": report.replace("signature=", "signatur%65="),
        "report link, SIGNATURE": report.replace("signature=", "SIGNATURE="),
        "action link, /%61ctions/": f"{base}/%61ctions/{action_id}",
        "action link, /ACTIONS/": f"{base}/ACTIONS/{action_id}",
        "action link, /actions%2F": f"{base}/actions%2F{action_id}",
    }
    answered = {name: _status_of(url) for name, url in urls.items()}
    return answered, [report.rsplit("signature=", 1)[1], action_id]


def _answered_as_expected(answered: dict[str, int]) -> bool:
    """A query's names are decoded before use, so an encoded name still works (302); a
    name in capitals is another name (403); an encoded or capitalised route none (404)."""
    return answered == {
        "report link, %73ignature": 302,
        "report link, signatur%65": 302,
        "report link, SIGNATURE": 403,
        "action link, /%61ctions/": 404,
        "action link, /ACTIONS/": 404,
        "action link, /actions%2F": 404,
    }


def _status_of(url: str) -> int:
    """The status answered to a GET, a redirect not followed."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=30)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path)
        return connection.getresponse().status
    finally:
        connection.close()
