"""`make demo`: a day of social customer care on the local stack, with business time
running fast. Every sample delivery arrives (some twice), the workflow triages and derives,
a comment exposing a phone number is hidden and answered on the platform by itself, the
social team publishes suggested replies through its links, a department answers a
Telegram chat from its action page, another case runs out of time and escalates, the
daily report runs, and a summary is printed with the calls the platforms received."""

from __future__ import annotations

import html
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

from socialcare.domain.capabilities import redact_capabilities
from socialcare_cli.demo_console import walk_the_console
from socialcare_cli.demo_rehearsal import rehearse_the_day
from socialcare_cli.errors import CommandFailed
from socialcare_cli.local.http import LocalApiServer
from socialcare_cli.local.stack import LocalStack, free_port, local_secrets, project_root
from socialcare_cli.page_text import csrf_token
from socialcare_cli.samples import (
    SIGNATURE_HEADERS,
    http_request,
    load_event,
    send_event,
    signature_for,
)

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
            clock.step("A customer publishes their phone under the brand's Facebook post")
            _exposed_phone(stack, base_url)
            clock.step("The social team publishes suggested replies from its emails' links")
            published = _publish_replies(stack)
            clock.step("Triaged and derived: a department answers the customer's Telegram chat")
            _answer_by_link(stack, base_url)
            clock.step("The customer taps a score under the satisfaction survey in the chat")
            surveyed = _answer_survey(stack, base_url)
            clock.step("Nobody answers the others; waiting for a deadline to pass...")
            escalated = _wait_for_escalation(stack, timeout=45)
            clock.step("The social team's console, in Chromium: answer, and approve")
            inbox = walk_the_console(stack, base_url, output)
            clock.step("A protocol change rehearsed on the day's cases before it goes live")
            rehearse_the_day(stack, base_url, output)
            clock.step("The daily report runs")
            report = _run_report(base_url, output)
            _print_summary(stack, escalated, report)
            _print_platform_calls(stack)
        finally:
            api.shutdown()
    clock.step(f"Done. Open {report / 'report.html'}")
    if inbox is not None:
        print(f"  and the console's inbox, as the community manager saw it: {inbox}")
    return 1 if failures or not escalated or not published or not surveyed else 0


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
    link = next(u for u in email["links"] if u.endswith("?do=contacted"))
    print(f"  email to {', '.join(email['to'])}: {email['subject']}")
    page = http_request("GET", link, {})
    shown = redact_capabilities(urlsplit(link).path)  # the demo's output is a log too
    print(f"  GET  {shown}?do=contacted -> {page.status} (page with a reply form)")
    csrf = csrf_token(page.body)
    reply = "Hola Nuria, ya hemos devuelto el cargo duplicado: lo verás en 2-3 días."
    print(f"  reply to the customer: {reply!r}")
    form = urlencode({"csrf_token": csrf, "action": "contacted", "reply": reply})
    headers = {"content-type": "application/x-www-form-urlencoded"}
    answer = http_request("POST", link.split("?")[0], headers, form.encode())
    print(f"  POST {shown} -> {answer.status}")
    again = http_request("POST", link.split("?")[0], headers, form.encode())
    print(f"  POST again -> {again.status} (the link is single-use)")
    deadline = time.monotonic() + 15
    while "closed_at" not in (stack.get_case(case["id"]) or {}):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    print(f"  case {case['id']}: {stack.case(case['id'])['status']}")


def _answer_survey(stack: LocalStack, base_url: str) -> bool:
    """The survey the closing sent (read from the emulated Telegram), answered by a tap,
    delivered as Telegram would: a signed callback_query."""
    calls = stack.platforms.calls_made()
    survey = next((c for c in calls if "reply_markup" in (c.get("body") or {})), None)
    if survey is None:
        print("  no survey reached the chat")
        return False
    [row] = survey["body"]["reply_markup"]["inline_keyboard"]
    print(f"  the bot asked: {survey['body']['text']!r}")
    print(f"  buttons: {' | '.join(button['text'] for button in row)}")
    tap = row[3]  # "4"
    update = {
        "update_id": 918279999,
        "callback_query": {
            "id": "demo-tap-1",
            "from": {"id": int(survey["body"]["chat_id"]), "is_bot": False, "first_name": "Nuria"},
            "message": {"message_id": 1, "chat": {"id": int(survey["body"]["chat_id"])}},
            "chat_instance": "1",
            "data": tap["callback_data"],
        },
    }
    raw = json.dumps(update).encode()
    headers = {
        "content-type": "application/json",
        SIGNATURE_HEADERS["telegram"]: signature_for("telegram", raw, local_secrets()),
    }
    answer = http_request("POST", f"{base_url}/webhooks/telegram", headers, raw)
    print(
        f"  tap {tap['text']!r} -> POST /webhooks/telegram {answer.status} {answer.body.decode()}"
    )
    case_id = tap["callback_data"].split(":")[1]
    score = (stack.get_case(case_id) or {}).get("survey_score")
    print(f"  case {case_id}: survey_score {score}")
    return score == 4


def _exposed_phone(stack: LocalStack, base_url: str) -> None:
    """A fresh comment (the samples are days old) with a phone number in it: config hides
    it and answers by itself."""
    from datetime import UTC

    from socialcare_cli.synthetic import dated, resigned

    event = load_event(project_root() / "events" / "meta_facebook_comment.json")
    body = dated(json.loads(event["body"]), datetime.now(UTC))
    value = body["entry"][0]["changes"][0]["value"]
    value["comment_id"] = "998877665544_7001"
    value["from"] = {"id": "6102938475619999", "name": "Marcos Gil"}
    value["message"] = "Llamadme al 612 345 678 por el parte del coche, nadie me contesta"
    before = len(stack.platforms.calls_made())
    answer = send_event(base_url, resigned(event, body))
    print(f"  comment delivered -> {answer.status}; triage hides it and answers:")
    deadline = time.monotonic() + 20
    while len(stack.platforms.calls_made()) < before + 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    for call in stack.platforms.calls_made()[before:]:
        body_sent = call.get("body") or {}
        said = body_sent.get("message") or body_sent
        print(f"  {call['method']} {call['path']} -> {call['status']}: {_short(said)}")


def _publish_replies(stack: LocalStack) -> int:
    """The social team follows the "Publish reply" link of each case it answers: GET the
    page (changes nothing), POST it as suggested."""
    links = [u for m in stack.outbox() for u in m["links"] if "/publish/" in u]
    published = 0
    for url in dict.fromkeys(links):
        page = http_request("GET", url, {})
        if page.status != 200:
            continue
        case_id = urlsplit(url).path.rsplit("/", 1)[1][:26]
        csrf = _field(page.body, "csrf_token")
        if csrf is None:  # the page says why nothing can go now (a window closed)
            first = re.findall(rb"<p>([^<]+)</p>", page.body.split(b"</h2>", 1)[-1])[:1]
            why = html.unescape(first[0].decode()) if first else "-"
            print(f"  GET  /publish/{case_id}.… -> nothing to publish: {why[:100]}")
            continue
        form = {"csrf_token": csrf}
        for field in ("public_text", "private_text"):  # a field, or the template's words
            text = re.search(
                rf'name="{field}"(?:[^>]*>([^<]*)</textarea>| value="([^"]*)")'.encode(), page.body
            )
            if text and (value := text.group(1) or text.group(2) or b"").strip():
                form[field] = html.unescape(value.decode())
        headers = {"content-type": "application/x-www-form-urlencoded"}
        answer = http_request("POST", url, headers, urlencode(form).encode())
        lines = re.findall(rb"<p>([^<]+)</p>", answer.body)
        said = "; ".join(html.unescape(line.decode()) for line in lines[:2])
        published += answer.status == 200
        print(f"  POST /publish/{case_id}.… -> {answer.status}: {said[:110]}")
    return published


def _field(page: bytes, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]+)"'.encode(), page)
    return found.group(1).decode() if found else None


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = redact_capabilities(text)  # a survey link in what the platform received
    return text if len(text) <= 90 else text[:87] + "..."


def _print_platform_calls(stack: LocalStack) -> None:
    calls = stack.platforms.calls_made()
    print(f"\n  the platforms received {len(calls)} calls (GET /_local/platform/calls):")
    print(f"  {'platform':10} {'method':6} {'path':52} status")
    for call in calls:
        print(f"  {call['platform']:10} {call['method']:6} {call['path'][:52]:52} {call['status']}")


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
