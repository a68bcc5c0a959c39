"""The local stack as a user meets it: HTTP on a port, /_local/cases, the AWS endpoint."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from socialcare_cli.samples import http_request, load_event, send_event
from tests.conftest import EVENTS, ROOT, sample, signed_event

pytestmark = pytest.mark.e2e


def get_json(url: str):
    answer = http_request("GET", url, {})
    return answer.status, answer.json()


def test_every_sample_delivered_over_http_gives_exactly_the_expected_cases(stack, api):
    # Given every sample delivery in events/, and three of them delivered again
    paths = sorted(EVENTS.glob("*.json"))
    for path in [*paths, *paths[:3]]:
        answer = send_event(api, load_event(path))
        assert answer.status == 200, (path.name, answer.body)
    stack.wait_until_triaged()
    # When the cases are read back
    status, body = get_json(f"{api}/_local/cases")
    # Then: one case per customer message, the returning customer threaded
    assert status == 200
    cases = body["cases"]
    assert Counter(c["channel"] for c in cases) == {
        "facebook_comment": 4,
        "messenger": 2,
        "instagram_comment": 2,
        "instagram_mention": 1,
        "instagram_dm": 1,
        "whatsapp": 4,
        "x_mention": 2,
        "x_dm": 1,
        "telegram": 2,
    }
    assert {c["status"] for c in cases} <= {"derived", "autonomous"}
    assert all(c["triage"]["category"] for c in cases)
    returning = [c for c in cases if c["customer_returns"]]
    assert [(c["channel"], len(c["messages"])) for c in returning] == [("messenger", 2)]
    for case in cases:
        assert {"id", "status", "channel", "platform", "author", "messages", "created_at"} <= set(
            case
        )
        assert all({"text", "sent_at", "received_at"} <= set(m) for m in case["messages"])
    # one workflow per derived case; triage closed the rest without one
    assert len(stack.executions()) == sum(c["status"] == "derived" for c in cases)
    # And each case is also readable on its own
    status, one = get_json(f"{api}/_local/cases/{cases[0]['id']}")
    assert (status, one["id"]) == (200, cases[0]["id"])


def test_unsigned_forged_and_odd_requests_over_http(stack, api):
    unsigned = load_event(EVENTS / "x_mention.json")
    del unsigned["headers"]["x-twitter-webhooks-signature"]
    assert send_event(api, unsigned).status == 401
    forged = load_event(EVENTS / "telegram_message.json")
    forged["headers"]["x-telegram-bot-api-secret-token"] = "nope"
    assert send_event(api, forged).status == 401
    big = json.dumps({"update_id": 1, "pad": "x" * (1024 * 1024 + 1)}).encode()
    too_large = http_request(
        "POST",
        f"{api}/webhooks/telegram",
        {"content-type": "application/json", **signed_event("telegram", big)["headers"]},
        big,
    )
    assert too_large.status == 413
    assert http_request("POST", f"{api}/webhooks/myspace", {}, b"{}").status == 404
    assert http_request("GET", f"{api}/nowhere", {}).status == 404
    assert get_json(f"{api}/_local/cases/nope") == (404, {"message": "no such case"})
    assert get_json(f"{api}/_local/cases") == (200, {"cases": []})
    bad_day = http_request("POST", f"{api}/_local/reports/run?period=daily&date=2026-13-45", {})
    assert bad_day.status == 400


def test_every_http_answer_tells_browsers_not_to_sniff_and_pages_pin_their_base(stack, api):
    # Given a derived case, so its department's action link exists
    send_event(api, sample("telegram_message"))
    stack.wait_until_triaged()
    link = next(link for e in stack.outbox() for link in e["links"] if "/actions/" in link)
    action = link.split("?")[0]
    report = f"{api}/reports/daily/2026-11-24/kpis.json"
    requests = [
        ("GET", f"{api}/webhooks/meta?hub.mode=subscribe&hub.challenge=1"),
        ("GET", f"{api}/webhooks/x?crc_token=abc"),
        ("POST", f"{api}/webhooks/telegram"),
        ("GET", link),
        ("POST", action),
        ("GET", f"{api}/actions/{'A' * 32}"),
        ("GET", f"{api}/actions/{'a' * 3000}"),
        ("GET", f"{report}?expires=%C2%B2&signature=ab"),
        ("GET", f"{report}?expires={'9' * 5000}&signature=ab"),
        ("GET", f"{api}/nowhere"),
        ("GET", f"{api}/_local/cases"),
        ("GET", f"{api}/_local/cases/nope"),
    ]
    for method, url in requests:
        # When each is answered
        answer = http_request(method, url, {}, b"" if method == "POST" else None)
        # Then no 5xx, the content type is the only one a browser uses, and HTML pages
        # cannot be given another base for their links and form
        assert answer.status < 500, (method, url[:80], answer.status)
        assert answer.headers.get("x-content-type-options") == "nosniff", (method, url[:80])
        if answer.content_type.startswith("text/html"):
            assert "base-uri 'none'" in answer.headers["content-security-policy"], url[:80]


def test_the_emulator_answers_the_aws_api_on_its_endpoint(stack):
    # Given the endpoint printed by `socialcare local` (what `aws --endpoint-url` uses)
    tables = stack.client("dynamodb").list_tables()["TableNames"]
    machines = stack.client("stepfunctions").list_state_machines()["stateMachines"]
    assert stack.cases_table in tables
    assert [m["stateMachineArn"] for m in machines] == [stack.case_workflow_arn]


def test_make_demo_replays_the_samples_and_prints_the_cases():
    # Given a fresh process, as `make demo` runs it
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    result = subprocess.run(
        [sys.executable, "-m", "socialcare_cli.main", "demo"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Then it succeeds: the cases and their workflows, one answered by link, one escalated
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    counts = re.search(r"20 cases: (\d+) workflow executions, (\d+) closed at triage", out)
    assert counts and int(counts[1]) + int(counts[2]) == 20 and int(counts[2]) >= 1
    assert "POST again -> 410" in out and "contacted" in out
    # ... the phone comment hidden, answered and followed up; replies published; the
    # Telegram chat answered; the platforms' calls listed
    assert "POST /v21.0/998877665544_7001 -> 200" in out
    assert "POST /v21.0/998877665544_7001/comments -> 200" in out
    assert re.search(r"POST /publish/\S+ -> 200", out)
    assert re.search(r"telegram +POST +/bot<token>/sendMessage +200", out)
    assert re.search(r"deadline passed -> level [12]", out)
    assert "meta_returning_customer" in out
    # ... the web incidents moved to customer service, rehearsed: they move, nothing else
    assert re.search(r"20 cases read \(\S+ to \S+, UTC\); 2 would change", out)
    assert "moves: web_it -> customer_service: 2" in out and "department         2" in out
    others = ("priority", "autonomy", "urgent", "authority", "needs_review", "automatic_actions")
    assert all(re.search(rf"\n  {kind} +0\n", out) for kind in (*others, "deadline"))
    # And the report was written and copied to a local folder
    report = Path(re.search(r"report: (\S+report\.html)", out).group(1))
    assert report.is_file() and "<svg" in report.read_text(encoding="utf-8")
    assert Path(ROOT / "events").is_dir() and sample("x_crc")


def _all_at_once(clients: int, url_of) -> Counter:
    """What `clients` requests made at the same moment were answered (status or error)."""
    import threading

    from socialcare_cli.samples import NoAnswer

    ready = threading.Barrier(clients)
    answers: list[int | str] = []

    def one(n: int) -> None:
        ready.wait()
        try:
            answers.append(http_request("POST", url_of(n), {}, b"score=5").status)
        except (NoAnswer, OSError) as error:
            answers.append(type(error).__name__)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(answers)


def test_fifty_clients_at_once_are_all_answered(api, stack):
    # Given fifty clients that connect at the same moment (a platform's burst, a team
    # opening their links), to the API and to the emulated platforms
    def survey(n: int) -> str:
        return f"{api}/survey/20261124-0123456789abcdef.{n:032d}"

    def platform(n: int) -> str:
        return f"{stack.platforms.url}/nothing/{n}"

    # When they send their requests
    on_api, on_platforms = _all_at_once(50, survey), _all_at_once(50, platform)
    # Then every one is answered (none reset or refused)
    assert on_api == {404: 50}
    assert sum(on_platforms.values()) == 50, on_platforms
    assert all(isinstance(answer, int) for answer in on_platforms), on_platforms
