"""`make demo`: a day of social customer care on the local stack, with business time
running fast. Every sample delivery arrives (some twice), the workflow triages and derives,
a department answers through its email link over HTTP, another case runs out of time and
escalates, the daily report runs, and a summary is printed with the report's path."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from socialcare_cli.errors import CommandFailed
from socialcare_cli.local.http import LocalApiServer
from socialcare_cli.local.stack import LocalStack, free_port, project_root
from socialcare_cli.samples import http_request, load_event, send_event

# Platforms retry: these are sent twice, and must not create anything new.
_REDELIVERED = ("meta_facebook_comment.json", "meta_batched_page.json", "x_mention.json")
# Business time runs this many times faster: a 24-business-hour deadline passes in
# seconds (about 9 s on a working day, longer over a weekend).
TIME_SCALE = 30_000
# The case a department answers through its link: the double charge on Telegram.
_ANSWERED_TEXT = "cobrado dos veces"


class _Clock:
    def __init__(self) -> None:
        self.started = time.monotonic()

    def step(self, text: str) -> None:
        print(f"\n[{time.monotonic() - self.started:5.1f} s] {text}", flush=True)


def run_demo(events_dir: Path | None = None, time_scale: float = TIME_SCALE) -> int:
    clock = _Clock()
    events_dir = events_dir or project_root() / "events"
    output = project_root() / "demo-output"
    clock.step(
        f"Starting the local stack (AWS emulator, real handlers, real state machine; "
        f"business time x{time_scale:g})"
    )
    with LocalStack(quiet=True, time_scale=time_scale) as stack:
        api = LocalApiServer(stack, port=free_port())
        threading.Thread(target=api.serve_forever, daemon=True).start()
        base_url = f"http://127.0.0.1:{api.server_address[1]}"
        stack.set_api_base_url(base_url)
        try:
            clock.step(f"A day of deliveries from {events_dir.name}/ to {base_url}")
            failures = _replay(base_url, sorted(events_dir.glob("*.json")))
            stack.wait_until_triaged()
            clock.step("Triaged and derived: each department got an email with action links")
            _answer_by_link(stack, base_url)
            clock.step("Nobody answers the others; waiting for a deadline to pass...")
            escalated = _wait_for_escalation(stack, timeout=45)
            clock.step("The daily report runs")
            report = _run_report(base_url, output)
            _print_summary(stack, escalated, report)
        finally:
            api.shutdown()
    clock.step(f"Done. Open {report / 'report.html'}")
    return 1 if failures or not escalated else 0


def _replay(base_url: str, paths: list[Path]) -> int:
    failures = 0
    print(f"  {'delivery':36} {'HTTP':>4}  answer")
    for path in [*paths, *(p for p in paths if p.name in _REDELIVERED)]:
        answer = send_event(base_url, load_event(path))
        text = answer.body.decode("utf-8", errors="replace")
        failures += answer.status >= 300
        again = " (again)" if path.name in _REDELIVERED and "duplicate" in text else ""
        print(f"  {path.stem + again:36} {answer.status:>4}  {_summary(text)}")
    return failures


def _summary(text: str) -> str:
    try:
        body = json.loads(text)
    except ValueError:
        return text[:60]
    if not isinstance(body, dict):
        return text[:60]
    return ", ".join(f"{k} {v}" for k, v in body.items())[:80]


def _answer_by_link(stack: LocalStack, base_url: str) -> None:
    """What a department does: open the link from its email, confirm on the page."""
    case = next(
        (
            c
            for c in stack.list_cases()
            if _ANSWERED_TEXT in c["messages"][0]["text"] and c["status"] == "derived"
        ),
        None,
    )
    if case is None:
        raise CommandFailed(
            f"no derived case says {_ANSWERED_TEXT!r}: the demo answers the double charge of "
            "events/telegram_message.json, which this folder of events lacks"
        )
    email = next(m for m in stack.outbox() if case["id"] in m["subject"])
    link = next(u for u in email["links"] if u.endswith("?do=resolved"))
    print(f"  email to {', '.join(email['to'])}: {email['subject']}")
    page = http_request("GET", link, {})
    print(f"  GET  {urlsplit(link).path}?do=resolved -> {page.status} (a confirmation page)")
    csrf = re.search(rb'name="csrf_token" value="([^"]+)"', page.body).group(1).decode()
    form = urlencode({"csrf_token": csrf, "action": "resolved", "note": "Cargo devuelto"})
    headers = {"content-type": "application/x-www-form-urlencoded"}
    answer = http_request("POST", link.split("?")[0], headers, form.encode())
    print(f"  POST {urlsplit(link).path} -> {answer.status}")
    again = http_request("POST", link.split("?")[0], headers, form.encode())
    print(f"  POST again -> {again.status} (the link is single-use)")
    deadline = time.monotonic() + 15
    while "closed_at" not in (stack.get_case(case["id"]) or {}):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    print(f"  case {case['id']}: {stack.get_case(case['id'])['status']}")


def _wait_for_escalation(stack: LocalStack, timeout: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        escalated = [c for c in stack.list_cases() if c.get("escalation_level")]
        if escalated:
            time.sleep(0.5)  # let the escalation email go out
            escalated = [c for c in stack.list_cases() if c.get("escalation_level")]
            for case in escalated:
                who = {1: "its supervisor emailed"}.get(
                    case["escalation_level"], "the main contact emailed, SLA breached"
                )
                print(
                    f"  case {case['id']} ({case['department']}): deadline passed -> "
                    f"level {case['escalation_level']}, {who}"
                )
            return escalated
        time.sleep(0.2)
    print("  no deadline passed in time (is the time scale too small?)")
    return []


def _run_report(base_url: str, output: Path) -> Path:
    today = datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()
    answer = http_request("POST", f"{base_url}/_local/reports/run?period=daily&date={today}", {})
    result = answer.json()
    for key in result.get("keys", []):
        print(f"  s3://{result['bucket']}/{key}")
    folder = output / "daily" / today
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("report.html", "kpis.json", "cases.csv"):
        content = http_request("GET", f"{base_url}/_local/reports/latest/daily/{name}", {})
        (folder / name).write_bytes(content.body)
    return folder


def _print_summary(stack: LocalStack, escalated: list[dict[str, Any]], report: Path) -> None:
    cases = stack.list_cases()
    statuses = Counter(c["status"] for c in cases)
    departments = Counter(c.get("department") or "(social team)" for c in cases)
    closed_at_triage = sum(
        c["status"] in ("autonomous", "spam") and not c.get("department_action_at") for c in cases
    )
    print(
        f"\n  {len(cases)} cases: {len(stack.executions())} workflow executions, "
        f"{closed_at_triage} closed at triage (no workflow), "
        f"{len(stack.outbox())} emails, {len(escalated)} escalated"
    )
    print("  statuses:    " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print("  departments: " + ", ".join(f"{k} {v}" for k, v in sorted(departments.items())))
    print(
        f"\n  {'case':26} {'channel':17} {'status':10} {'prio':4} {'category':11} "
        f"{'department':16} {'lvl':>3}  flags"
    )
    for case in cases:
        triage = case.get("triage") or {}
        flags = [
            name
            for name, key in (
                ("urgent", "urgent"),
                ("authority", "authority_mentioned"),
                ("personal data", "personal_data_exposed"),
                ("needs details", "needs_details"),
                ("unsure", "low_confidence"),
            )
            if triage.get(key)
        ]
        flags += ["returned"] if case.get("customer_returns") else []
        print(
            f"  {case['id']:26} {case['channel']:17} {case['status']:10} "
            f"{triage.get('priority', '-'):4} {triage.get('category', '-'):11} "
            f"{case.get('department') or '(social team)':16} "
            f"{case.get('escalation_level', 0):>3}  {', '.join(flags)}"
        )
    print(f"\n  report: {report / 'report.html'}")
