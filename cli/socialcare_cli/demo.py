"""`make demo`: the local stack receives every sample delivery (and some again), then the
cases it created are printed."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from socialcare_cli.local.http import LocalApiServer
from socialcare_cli.local.stack import LocalStack, free_port, project_root
from socialcare_cli.samples import load_event, send_event

# Platforms retry: these are sent twice more, and must not create anything new.
_REDELIVERED = ("meta_facebook_comment.json", "meta_batched_page.json", "x_mention.json")


def run_demo(events_dir: Path | None = None) -> int:
    started = time.monotonic()
    events_dir = events_dir or project_root() / "events"
    print("Starting the local stack (AWS emulator, real handlers, real state machine)...")
    with LocalStack(quiet=True) as stack:
        api = LocalApiServer(stack, port=free_port())
        threading.Thread(target=api.serve_forever, daemon=True).start()
        base_url = f"http://127.0.0.1:{api.server_address[1]}"
        stack.set_api_base_url(base_url)
        try:
            print(f"Replaying the deliveries in {events_dir} to {base_url}\n")
            failures = _replay(base_url, sorted(events_dir.glob("*.json")))
            stack.wait_until_triaged()
            _print_cases(stack)
        finally:
            api.shutdown()
    print(f"\nDone in {time.monotonic() - started:.1f} s.")
    return 1 if failures else 0


def _replay(base_url: str, paths: list[Path]) -> int:
    failures = 0
    print(f"{'delivery':38} {'HTTP':>4}  answer")
    for path in [*paths, *(p for p in paths if p.name in _REDELIVERED)]:
        event = load_event(path)
        answer = send_event(base_url, event)
        text = answer.body.decode("utf-8", errors="replace")
        if answer.status >= 300:
            failures += 1
        repeat = " (again)" if path.name in _REDELIVERED and text.count("duplicate") else ""
        print(f"{path.stem + repeat:38} {answer.status:>4}  {_summary(text)}")
    return failures


def _summary(text: str) -> str:
    try:
        body = json.loads(text)
    except ValueError:
        return text[:60]
    if not isinstance(body, dict):
        return text[:60]
    return ", ".join(f"{k} {v}" for k, v in body.items())[:80]


def _print_cases(stack: LocalStack) -> None:
    cases = stack.list_cases()
    executions = stack.executions()
    emails = stack.outbox()
    print(f"\n{len(cases)} cases, {len(executions)} workflow executions, {len(emails)} emails sent")
    print(
        f"{'case':26} {'channel':17} {'status':10} {'prio':4} {'category':11} "
        f"{'department':16} {'msgs':>4}  text"
    )
    for case in cases:
        triage = case.get("triage") or {}
        first = case["messages"][0]["text"].replace("\n", " ")
        print(
            f"{case['id']:26} {case['channel']:17} {case['status']:10} "
            f"{triage.get('priority', '-'):4} {triage.get('category', '-'):11} "
            f"{case.get('department') or '(social team)':16} {case['message_count']:>4}  "
            f"{first[:44]}"
        )
