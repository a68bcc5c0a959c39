"""The probes of the hardening audit, as `make reliability` scenarios, so the classes of bug
it found stay closed: signing oracles, odd numbers and ids, answers without nosniff,
secrets in the parking queue, unbounded late answers. Each sends what an attacker or a
platform's odd day would, over HTTP to the local stack, and counts what came back."""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from socialcare_cli.local.stack import LocalStack, local_secrets, project_root
from socialcare_cli.page_text import csrf_token
from socialcare_cli.samples import http_request, load_event, raw_body, send_event, signature_for


def _sample(name: str) -> dict[str, Any]:
    return load_event(project_root() / "events" / f"{name}.json")


def _signed(platform: str, raw: bytes) -> tuple[dict[str, str], bytes]:
    headers = {"content-type": "application/json"}
    from socialcare_cli.samples import SIGNATURE_HEADERS

    headers[SIGNATURE_HEADERS[platform]] = signature_for(platform, raw, local_secrets({}))
    return headers, raw


def _items(stack: LocalStack) -> int:
    return stack.client("dynamodb").scan(TableName=stack.cases_table, Select="COUNT")["Count"]


def signing_oracles(stack: LocalStack, api: str, attempts: int) -> dict[str, Any]:
    """Whatever a stranger sends as X's crc_token or Meta's hub.challenge: no answer is a
    signature that a delivery of theirs would pass with, and nothing is echoed back raw."""
    rng = random.Random(13)
    bodies = [raw_body(_sample(n)).decode() for n in ("x_mention", "x_dm")]
    tokens = [*bodies, "{}", "[]", " {}", "<script>", "tökén", "a" * 300, "c2lnbmVk", "1158201444"]
    found: Counter[str] = Counter()
    before = _items(stack)
    for n in range(attempts):
        token = tokens[n % len(tokens)] if n < len(tokens) else rng.choice(tokens) + str(n)
        answer = http_request("GET", f"{api}/webhooks/x?{urlencode({'crc_token': token})}", {})
        found[f"crc {answer.status}"] += 1
        if answer.status == 200:  # a base64 token: its answer must not pass as a delivery
            signature = answer.json()["response_token"]
            headers = {
                "content-type": "application/json",
                "x-twitter-webhooks-signature": signature,
            }
            posted = http_request("POST", f"{api}/webhooks/x", headers, token.encode())
            found[f"post with the crc answer {posted.status}"] += 1
        query = urlencode(
            {
                "hub.mode": "subscribe",
                "hub.verify_token": "local-meta-verify-token",
                "hub.challenge": token,
            }
        )
        echoed = http_request("GET", f"{api}/webhooks/meta?{query}", {})
        found[f"meta challenge {echoed.status}"] += 1
        found["echo without nosniff"] += echoed.headers.get("x-content-type-options") != "nosniff"
    stored = _items(stack) - before
    return {
        "sent": {"tokens": attempts, "kinds": "JSON bodies, markup, unicode, 300 chars, base64"},
        "found": {**dict(found), "items_stored": stored},
        "ok": stored == 0
        and found["echo without nosniff"] == 0
        and not any(k.startswith("post with the crc answer 2") for k in found)
        and found["crc 200"] + found["crc 400"] == attempts,
    }


def _odd_deliveries() -> list[tuple[str, str, bytes]]:
    """Real deliveries with one id or number no platform can send."""
    odd: list[tuple[str, str, bytes]] = []
    telegram = raw_body(_sample("telegram_message")).decode()
    assert '"update_id":918273001' in telegram
    for value in ("7" * 3000, '"\\u0661\\u0662"', "1.5", "-3", '"918273001"', "9007199254740993"):
        body = telegram.replace('"update_id":918273001', f'"update_id":{value}')
        odd.append((f"telegram update_id {value[:12]}", "telegram", body.encode()))
    entry_ids: tuple[str | float, ...] = ("1" * 40, "\u0661\u0662\u0663", 1.5)
    for entry_id in entry_ids:
        meta = json.loads(raw_body(_sample("meta_messenger_message")))
        meta["entry"][0]["id"] = entry_id
        odd.append((f"meta entry.id {str(entry_id)[:12]}", "meta", json.dumps(meta).encode()))
    messenger = json.loads(raw_body(_sample("meta_messenger_message")))
    messenger["entry"][0]["messaging"][0]["message"]["mid"] = "m_" + "a" * 3000
    odd.append(("meta mid of 3,000 chars", "meta", json.dumps(messenger).encode()))
    messenger = json.loads(raw_body(_sample("meta_messenger_message")))
    messenger["entry"][0]["messaging"][0]["timestamp"] = "9" * 30
    odd.append(("meta timestamp of 30 digits", "meta", json.dumps(messenger).encode()))
    user_ids: tuple[str | float, ...] = ("1" * 40, "\uff11\uff12", 1e3)
    for user_id in user_ids:
        tweet = json.loads(raw_body(_sample("x_mention")))
        tweet["for_user_id"] = user_id
        odd.append((f"x for_user_id {str(user_id)[:12]}", "x", json.dumps(tweet).encode()))
    return odd


def odd_numbers(stack: LocalStack, api: str) -> dict[str, Any]:
    """Ids and numbers no platform sends are malformed items (200, no case, nothing parked
    to fail again); report links and action ids of the wrong shape are refused, not 500."""
    found: Counter[str] = Counter()
    before = _items(stack)
    for _label, platform, raw in _odd_deliveries():
        headers, body = _signed(platform, raw)
        answer = http_request("POST", f"{api}/webhooks/{platform}", headers, body)
        found[f"delivery {answer.status}"] += 1
    report = f"{api}/reports/daily/2026-11-24/kpis.json"
    for expires in ("%C2%B2", "9" * 5000, "-1", "1e9", "0x10"):
        answer = http_request("GET", f"{report}?expires={expires}&signature=0", {})
        found[f"report link {answer.status}"] += 1
    for action_id in ("a" * 3000, "%F0%9F%98%80" * 8, "A" * 31, "../" * 11):
        answer = http_request("GET", f"{api}/actions/{action_id}", {})
        found[f"action id {answer.status}"] += 1
    stored, parked = _items(stack) - before, stack.parked_deliveries()
    deliveries = len(_odd_deliveries())
    return {
        "sent": {"deliveries": deliveries, "report_links": 5, "action_ids": 4},
        "found": {**dict(found), "items_stored": stored, "parked": parked},
        "ok": found["delivery 200"] == deliveries
        and found["report link 403"] == 5
        and found["action id 404"] == 4
        and stored == 0
        and parked == 0,
    }


def headers_everywhere(stack: LocalStack, api: str) -> dict[str, Any]:
    """Every route's answers, good and bad, carry nosniff; pages pin their base."""
    send_event(api, _sample("telegram_message"))
    stack.wait_until_triaged()
    link = next(link for e in stack.outbox() for link in e["links"] if "/actions/" in link)
    requests = [
        ("GET", "/webhooks/meta?hub.mode=subscribe&hub.challenge=1"),
        ("GET", "/webhooks/x?crc_token=abc"),
        ("GET", "/webhooks/telegram"),
        ("POST", "/webhooks/x"),
        ("POST", "/webhooks/myspace"),
        ("GET", link.split("/", 3)[3]),
        ("POST", link.split("/", 3)[3].split("?")[0]),
        ("GET", f"/actions/{'A' * 32}"),
        ("GET", "/reports/daily/2026-11-24/kpis.json?expires=1&signature=0"),
        ("GET", "/reports/weekly/2026-11-24/secret.txt"),
        ("GET", "/_local/cases"),
        ("GET", "/_local/outbox"),
        ("GET", "/nowhere"),
    ]
    missing, pages, without_base = [], 0, []
    for method, path in requests:
        answer = http_request(
            method, f"{api}/{path.lstrip('/')}", {}, b"" if method == "POST" else None
        )
        if answer.headers.get("x-content-type-options") != "nosniff":
            missing.append(f"{method} {path[:40]} {answer.status}")
        if answer.content_type.startswith("text/html"):
            pages += 1
            if "base-uri 'none'" not in answer.headers.get("content-security-policy", ""):
                without_base.append(f"{method} {path[:40]}")
    return {
        "sent": {"requests": len(requests)},
        "found": {
            "without_nosniff": missing,
            "html_pages": pages,
            "without_base_uri": without_base,
        },
        "ok": not missing and not without_base and pages >= 3,
    }


def parking_queue(stack: LocalStack, api: str) -> dict[str, Any]:
    """Deliveries parked while storage fails keep no secret; altered in the queue, their
    replay is refused; unaltered, recorded once."""
    from socialcare_cli.local.dependencies import webhook_dependencies
    from socialcare_cli.reliability.common import failing_client

    broken, _ = failing_client(stack, "dynamodb", {"TransactWriteItems"}, 1.0, 7)
    deps = webhook_dependencies(stack, dynamodb=broken)
    names = ["telegram_message", "telegram_photo", "meta_whatsapp_text", "x_dm"]
    webhook = stack.function("WebhookFunction")
    answers = Counter(webhook.invoke(_sample(n), dependencies=deps)["statusCode"] for n in names)
    sqs, queue = stack.client("sqs"), stack.refs["FailedDeliveriesQueue"]
    bodies = [
        m["Body"]
        for m in sqs.receive_message(
            QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0
        ).get("Messages", [])
    ]
    secrets = [v for v in local_secrets({}).values() if v]
    leaks = sum(secret in body for body in bodies for secret in secrets)
    tampered = json.loads(bodies[0])["parked_delivery"] if bodies else {}
    tampered = {**copy.deepcopy(tampered), "body": tampered.get("body", "").replace("a", "o", 1)}
    refused = webhook.invoke({"parked_delivery": tampered})["statusCode"]
    replay = stack.replay_failed_deliveries()
    return {
        "sent": {"deliveries_while_storage_fails": len(names)},
        "found": {
            "answers": dict(answers),
            "parked": len(bodies),
            "secrets_in_queue": leaks,
            "sealed": sum('"seal":"' in body for body in bodies),
            "tampered_replay": refused,
            "replay": replay,
        },
        "ok": len(bodies) == len(names)
        and leaks == 0
        and refused == 401
        and replay.get("replayed") == len(names)
        and stack.parked_deliveries() == 0,
    }


def late_answers(stack: LocalStack, api: str, posts: int) -> dict[str, Any]:
    """Posting again and again through a spent link notes one late answer, not one each."""
    send_event(api, _sample("telegram_message"))
    stack.wait_until_triaged()
    link = next(link for e in stack.outbox() for link in e["links"] if "/actions/" in link)
    page = http_request("GET", link, {}).body
    token = csrf_token(page)
    form = urlencode({"csrf_token": token, "action": "resolved", "note": "x" * 2000}).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    statuses = Counter(
        http_request("POST", link.split("?")[0], headers, form).status for _ in range(posts)
    )
    [case] = stack.list_cases()
    noted = sum(e["kind"] == "late_answer" for e in stack.case(case["id"])["timeline"])
    return {
        "sent": {"posts": posts},
        "found": {"statuses": dict(statuses), "late_answers_noted": noted},
        "ok": statuses[200] == 1 and statuses[410] == posts - 1 and noted == 1,
    }
