"""What privacy hands out, probed over HTTP on the local stack as the person and the
managers would use it: the access export a customer gets (does any string in it open a
route of the actions function: /actions, /publish, /survey?), and the list of breached
cases managers read after an erasure (the day's report as the erasure rewrote it, then
computed again: the same cases in the same order?)."""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.page_text import csrf_token
from socialcare_cli.reliability.common import privacy_command
from socialcare_cli.samples import SIGNATURE_HEADERS, http_request, load_event, signature_for
from socialcare_cli.synthetic import dated

# Every capability the actions function takes: 32 URL-safe characters (an action link's
# id; a publish or survey link's key after its case id).
_CANDIDATE = re.compile(r"(?=([A-Za-z0-9_-]{32}))")
_CASE_ID = re.compile(r"\d{8}-[0-9a-f]{16}")
_FORM = {"content-type": "application/x-www-form-urlencoded"}
_COMPLAINT = "Me habéis cobrado dos veces el recibo de noviembre, quiero la devolución"


def _deliver(api: str, sample: str, edit: Callable[[dict[str, Any]], None]) -> int:
    """A sample delivery written now, edited, signed as its platform signs it."""
    event = load_event(project_root() / "events" / f"{sample}.json")
    platform = event["rawPath"].rsplit("/", 1)[1]
    body = dated(json.loads(event["body"]), datetime.now(UTC))
    edit(body)
    raw = json.dumps(body).encode()
    headers = {
        "content-type": "application/json",
        SIGNATURE_HEADERS[platform]: signature_for(platform, raw, local_secrets({})),
    }
    return http_request("POST", f"{api}/webhooks/{platform}", headers, raw).status


def _telegram(api: str, user: int, text: str = _COMPLAINT) -> int:
    def edit(body: dict[str, Any]) -> None:
        body["update_id"] += user % 100_000
        message = body["message"]
        message.update(message_id=message["message_id"] + user % 100_000, text=text)
        message["from"]["id"] = message["chat"]["id"] = user

    return _deliver(api, "telegram_message", edit)


def _case_of(stack: LocalStack, author: str, ready: Callable[[dict], bool]) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        cases = [c for c in stack.list_cases() if str(c["author"]["id"]) == author]
        if cases and ready(cases[0]):
            return cases[0]
        time.sleep(0.1)
    raise RuntimeError(f"the case of {author} never got there")


def _link(stack: LocalStack, case_id: str, route: str, to_department: bool = True) -> str:
    """The first `route` link about the case in an email to its departments (or to the
    social team)."""
    from socialcare.config.loaders import routing_config

    social_team = set(routing_config().social_team.emails)
    # The case reads "derived" before its emails go (the team's copy last): wait for them.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for email in stack.outbox():
            department = not social_team & set(email["to"])
            if case_id in email["subject"] and department == to_department:
                for link in email["links"]:
                    if route in link:
                        return link
        time.sleep(0.05)
    raise RuntimeError(f"no {route} link for {case_id}")


def _csrf(page: bytes) -> str:
    return csrf_token(page)


def _post(url: str, **form: str) -> int:
    return http_request("POST", url.split("?")[0], _FORM, urlencode(form).encode()).status


# --- the export a customer gets -------------------------------------------------------------


def _tried(api: str, text: str) -> tuple[int, list[str], list[int]]:
    """Every 32-character string of the export on each route (with each case id in it for
    publish and survey links): how many, the routes that took one (not 404: a link that
    no longer acts still shows a late answer's form), and what posting `resolved` through
    each action page that opened answered."""
    candidates = sorted(set(_CANDIDATE.findall(text)))
    case_ids = sorted(set(_CASE_ID.findall(text)))
    paths = [f"/actions/{c}" for c in candidates] + [
        f"/{route}/{case_id}.{c}"
        for route in ("publish", "survey")
        for case_id in case_ids
        for c in candidates
    ]
    opened, posted = [], []
    for path in paths:
        answer = http_request("GET", api + path, {})
        if answer.status == 404:
            continue
        opened.append(path.split("/")[1])  # the route, never the key (results are kept)
        if path.startswith("/actions/") and b'name="csrf_token"' in answer.body:
            posted.append(_post(api + path, csrf_token=_csrf(answer.body), action="resolved"))
    return len(paths), opened, posted


def _export(api: str, platform: str, author: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export.json"
        code, said = privacy_command(
            api, "export", "--platform", platform, "--author", author, "-o", str(out)
        )
        if code != 0:
            raise RuntimeError(f"export failed: {said[-200:]}")
        return out.read_text(encoding="utf-8")


def export_opens_nothing(stack: LocalStack, api: str) -> dict[str, Any]:
    """A Telegram customer whose case was just derived (the tester's way in), and a
    Facebook commenter the social team answered through its publish link and whose
    department resolved the case (a survey link went to her): each exports her data and
    tries every string in it on the actions function."""
    stack.set_outbound_mode("live")
    telegram = "555000777"
    sent = [_telegram(api, int(telegram))]
    open_case = _case_of(stack, telegram, lambda c: c["status"] == "derived")

    def comment(body: dict[str, Any]) -> None:
        body["entry"][0]["changes"][0]["value"]["message"] = _COMPLAINT

    sent.append(_deliver(api, "meta_facebook_comment", comment))
    commenter = "6102938475610001"
    resolved = _case_of(stack, commenter, lambda c: c["status"] == "derived")
    publish = _link(stack, resolved["id"], "/publish/", to_department=False)
    form = http_request("GET", publish, {}).body
    sent.append(_post(publish, csrf_token=_csrf(form), public_text="Lo estamos mirando"))
    action = _link(stack, resolved["id"], "/actions/")
    page = http_request("GET", action, {}).body
    sent.append(_post(action, csrf_token=_csrf(page), action="resolved"))
    _case_of(stack, commenter, lambda c: bool(c.get("survey_sent_at")))
    found: dict[str, Any] = {}
    for name, platform, author in (
        ("derived", "telegram", telegram),
        ("resolved_with_survey_link", "facebook", commenter),
    ):
        tried, opened, posted = _tried(api, _export(api, platform, author))
        found[name] = {"strings_tried": tried, "routes_opened": opened, "posted": posted}
    status = stack.case(open_case["id"])["status"]
    found["derived_case_status_after"] = status
    ok = (
        sent == [200] * 4
        and status == "derived"
        and not any(part["routes_opened"] for part in found.values() if isinstance(part, dict))
    )
    return {"sent": {"deliveries_and_forms": len(sent), "exports": 2}, "found": found, "ok": ok}


# --- the breached cases managers read -------------------------------------------------------


def _breached_table(html: bytes | None) -> str:
    found = re.search(r'<table id="breached">.*?</table>', (html or b"").decode(), re.S)
    return found.group(0) if found else ""


def breached_list_kept(stack: LocalStack, api: str) -> dict[str, Any]:
    """Three Telegram customers whose cases went past every deadline, one answered late
    by its department; today's report; the customer whose case it names first erased;
    the day's kpis.json and report.html as the erasure rewrote them, then computed
    again."""
    users = [555000801, 555000802, 555000803]
    stack.set_time_scale(1e6)  # every wait is the 1-second minimum
    try:
        sent = [_telegram(api, user) for user in users]
        cases = [_case_of(stack, str(u), lambda c: c["status"] == "breached") for u in users]
    finally:
        stack.set_time_scale(1.0)
    # The department confirms late: the spent link notes it (410) and the case is
    # resolved late, past its deadline longer than the others
    late = _link(stack, cases[1]["id"], "/actions/").split("?")[0]
    page = http_request("GET", late, {}).body
    late_answer = _post(late, csrf_token=_csrf(page), action="resolved")
    _case_of(stack, str(users[1]), lambda c: bool(c.get("resolved_late")))
    today = datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()
    stack.run_report("daily", today)
    named = json.loads(stack.report_file("reports/latest/daily/kpis.json") or b"{}")
    if not named.get("breached_cases"):
        return {"sent": {"deliveries": 3}, "found": {"named": 0}, "ok": False}
    first = stack.case(named["breached_cases"][0]["case_id"])
    author = str(first["author"]["id"])
    code, _ = privacy_command(api, "erase", "--platform", "telegram", "--author", author, "--yes")
    rewritten = json.loads(stack.report_file("reports/latest/daily/kpis.json") or b"{}")
    rewritten_table = _breached_table(stack.report_file("reports/latest/daily/report.html"))
    stack.run_report("daily", today)
    again = json.loads(stack.report_file("reports/latest/daily/kpis.json") or b"{}")
    again_table = _breached_table(stack.report_file("reports/latest/daily/report.html"))

    def ids(kpis: dict[str, Any]) -> list[str]:
        listed = kpis.get("breached_cases") or []
        return ["erased" if e["case_id"] == "erased" else "case" for e in listed]

    same = rewritten.get("breached_cases") == again.get("breached_cases")
    found = {
        "late_answer": late_answer,
        "named_rewritten": ids(rewritten),
        "named_computed_again": ids(again),
        "same_list": same,
        "same_html_table": rewritten_table == again_table,
    }
    ok = (
        sent == [200] * 3
        and late_answer == 410
        and code == 0
        and same
        and rewritten_table == again_table
        and ids(again)[:1] == ["erased"]
    )
    return {"sent": {"deliveries": 3, "late_answers": 1, "erasures": 1}, "found": found, "ok": ok}
