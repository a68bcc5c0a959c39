"""A person's rights, as ops answer a real request on the local stack with the README's
commands: a customer who wrote on Telegram and WhatsApp, whose case was derived,
answered and rated, is found, exported and erased; then every store of the emulator is
searched for her ids and texts, and the daily report's figures are compared."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from socialcare.config.loaders import routing_config
from socialcare_cli.main import main
from socialcare_cli.synthetic import dated
from tests.conftest import EVENTS, sample_payload, signed_event
from tests.integration.test_surveys_on_stack import survey_call, tap
from tests.integration.webhook_helpers import client, dependencies
from tests.integration.webhook_helpers import deliver as deliver_with
from tests.integration.workflow_helpers import SUPPORT, act, email_to, link, wait_for

TELEGRAM_ID, WHATSAPP_ID, OTHER_ID = "555000111", "34699000111", "34600222333"
WHATSAPP_TEXT = "Soy Nuria Campos otra vez, sigo esperando la devolución del recibo duplicado"
PARKED_TEXT = "Nuria de nuevo: os dejo mi DNI 12345678Z para que lo miréis"
OTHER_TEXT = "Buenas, quería saber el estado de mi parte de hogar"
HER = (TELEGRAM_ID, WHATSAPP_ID, "Nuria", "nuriacampos", "cobrado dos veces", "recibo devuelto")


def whatsapp(messages: list[tuple[str, str, str]]) -> dict:
    """A WhatsApp delivery (now) with these (wa_id, name, text) messages."""
    body = dated(sample_payload("meta_whatsapp_text"), datetime.now(UTC))
    value = body["entry"][0]["changes"][0]["value"]
    template = value["messages"][0]
    value["contacts"] = [{"profile": {"name": name}, "wa_id": wa_id} for wa_id, name, _ in messages]
    value["messages"] = []
    for number, (wa_id, _, text) in enumerate(messages):
        message = copy.deepcopy(template)
        message.update(id=f"wamid.privacy{wa_id}{number}", text={"body": text})
        message["from"] = wa_id
        value["messages"].append(message)
    return signed_event("meta", body)


def everything_in(stack, *, executions: bool = True) -> str:
    """Every item, message, object and (with `executions`) execution the emulator holds,
    as text."""
    found: list[str] = []
    dynamodb = stack.client("dynamodb")
    for table in (stack.cases_table, stack.refs["CustomersTable"]):
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            found.append(json.dumps(page["Items"], ensure_ascii=False))
    sqs = stack.client("sqs")
    for queue in ("FailedDeliveriesQueue", "TriageFailuresQueue"):
        answer = sqs.receive_message(
            QueueUrl=stack.refs[queue], MaxNumberOfMessages=10, VisibilityTimeout=0
        )
        found.extend(m["Body"] for m in answer.get("Messages", []))
    s3 = stack.client("s3")  # every version: the bucket keeps overwritten reports a while
    for listed in s3.list_object_versions(Bucket=stack.reports_bucket).get("Versions", []):
        body = s3.get_object(
            Bucket=stack.reports_bucket, Key=listed["Key"], VersionId=listed["VersionId"]
        )["Body"].read()
        found.append(body.decode("utf-8", errors="replace"))
    states = stack.client("stepfunctions")
    for execution in stack.executions() if executions else []:
        found.append(states.describe_execution(executionArn=execution["executionArn"])["input"])
        history = states.get_execution_history(executionArn=execution["executionArn"])
        found.append(json.dumps(history["events"], default=str, ensure_ascii=False))
    return "\n".join(found)


def privacy(capsys, *arguments: str) -> tuple[int, str]:
    code = main(["privacy", *arguments])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_ops_find_export_and_erase_a_person_who_wrote_on_two_channels(stack, api, tmp_path, capsys):
    # Given Nuria's Telegram complaint, derived, resolved by the department, and rated 2
    stack.set_outbound_mode("live")
    telegram = signed_event(
        "telegram", dated(sample_payload("telegram_message"), datetime.now(UTC))
    )
    assert stack.function("WebhookFunction").invoke(telegram)["statusCode"] == 200
    [first] = stack.list_cases()
    wait_for(stack, first["id"], lambda c: c["status"] == "derived")
    action = link(email_to(stack, SUPPORT, first["id"]), "resolved")
    status, _ = act(stack, action, "resolved", note="Llamé a Nuria, recibo devuelto")
    assert status == 200
    wait_for(stack, first["id"], lambda c: c.get("survey_sent_at"))
    tap(stack, survey_call(stack, "telegram"), 2)
    wait_for(stack, first["id"], lambda c: c.get("follow_up"))
    # ... her WhatsApp message, still waiting for its department
    stack.function("WebhookFunction").invoke(whatsapp([(WHATSAPP_ID, "Nuria C", WHATSAPP_TEXT)]))
    # ... another customer's case, which must stay
    stack.function("WebhookFunction").invoke(whatsapp([(OTHER_ID, "Pedro Gil", OTHER_TEXT)]))
    stack.wait_until_triaged()
    cases = {c["author"]["id"]: c["id"] for c in stack.list_cases()}
    second, other = cases[WHATSAPP_ID], cases[OTHER_ID]
    wait_for(stack, second, lambda c: c.get("workflow_started_at"))
    # ... a delivery parked when the table failed, carrying her and someone else
    failing = dependencies(stack, dynamodb=client(stack, "dynamodb", fail={"TransactWriteItems"}))
    from socialcare.adapters.sqs_parking import SqsDeliveryParking

    failing.parking = SqsDeliveryParking(client(stack, "sqs"), stack.refs["FailedDeliveriesQueue"])
    parked = whatsapp([(WHATSAPP_ID, "Nuria C", PARKED_TEXT), ("34600333444", "Ana", "Hola")])
    status, _ = deliver_with(stack, parked, failing)
    assert status == 503 and stack.parked_deliveries() == 1
    # ... and the day's report, run twice: the bucket keeps the first as an older version
    # (the report's day is the brand's: after 23:00 UTC, Madrid's is already tomorrow)
    today = datetime.now(ZoneInfo(routing_config().reports.timezone)).date().isoformat()
    for _ in range(2):
        stack.run_report("daily", today)
    kpis_before = json.loads(stack.report_file("reports/latest/daily/kpis.json"))
    rows_before = stack.report_file("reports/latest/daily/cases.csv").decode().splitlines()
    assert any(row.startswith(first["id"]) for row in rows_before)
    who = [
        "--platform",
        "telegram",
        "--author",
        TELEGRAM_ID,
        "--customer",
        f"whatsapp#{WHATSAPP_ID}",
    ]

    # When ops look for her
    code, found = privacy(capsys, "find", *who, "--local", api)
    # Then every kind is counted, and nothing she wrote is printed
    assert code == 0
    for line in (
        "cases: 2",
        "survey answers: 1",
        "action-link notes: 1",
        "parked deliveries: 1",
        "customers table entries: 1",
        "outbound messages:",
        "report files:",
    ):
        assert line in found, found
    assert "cobrado" not in found and "Nuria" not in found

    # When they export it for her access request
    export = tmp_path / "nuria.json"
    code, _ = privacy(capsys, "export", *who, "--local", api, "-o", str(export))
    # Then the file holds her texts, times, channels, the department's answer, what the
    # brand sent and her rating, readable, and none of the stack's secrets
    assert code == 0 and export.stat().st_mode & 0o777 == 0o600
    document = json.loads(export.read_text())
    texts = [m["text"] for case in document["cases"] for m in case["messages"]]
    assert WHATSAPP_TEXT in texts and any("cobrado dos veces" in t for t in texts)
    [rated] = [c for c in document["cases"] if c["case"]["id"] == first["id"]]
    assert rated["case"]["survey_score"] == 2 and rated["case"]["channel"] == "telegram"
    assert rated["action_links"][0]["choice"] == "resolved"
    assert rated["messages_sent_by_the_brand"]
    [parked_part] = document["parked_deliveries"]
    assert PARKED_TEXT in [t.get("text", {}).get("body") for t in parked_part["taken"]]
    assert "Ana" not in json.dumps(document["parked_deliveries"])
    assert "task_token" not in export.read_text() and "csrf_token" not in export.read_text()

    # When they erase without --yes
    code, said = privacy(capsys, "erase", *who, "--local", api)
    # Then nothing goes, and they are told what would
    assert code == 1 and "add --yes" in said and len(stack.list_cases()) == 3

    # When they erase for real
    code, erased = privacy(capsys, "erase", *who, "--local", api, "--yes")
    # Then no store of the emulator holds her ids or texts any more
    assert code == 0 and "audit record" in erased
    remaining = everything_in(stack)
    for trace in (*HER, WHATSAPP_TEXT, PARKED_TEXT):
        assert trace not in remaining, trace
    # ... nor her case ids, but in Step Functions' histories (kept 90 days, never
    # deleted), where they are ids of nothing now
    for trace in (first["id"], second):
        assert trace not in everything_in(stack, executions=False), trace
    # ... the other customer's case and parked message stay
    assert [c["id"] for c in stack.list_cases()] == [other]
    assert OTHER_TEXT in remaining and "34600333444" in remaining
    # ... her waiting workflow stopped cleanly, the other one waits on
    states = {e["name"]: e["status"] for e in stack.executions()}
    assert states[f"case-{second}"] == "ABORTED" and states[f"case-{other}"] == "RUNNING"
    # ... the report's figures are what they were, its rows anonymised, not removed
    after = json.loads(stack.report_file("reports/latest/daily/kpis.json"))
    assert {k: v for k, v in after.items() if k != "breached_cases"} == {
        k: v for k, v in kpis_before.items() if k != "breached_cases"
    }
    rows = stack.report_file("reports/latest/daily/cases.csv").decode().splitlines()
    assert len(rows) == len(rows_before) == 4  # the header and three cases
    assert sum(r.startswith("erased,") for r in rows) == 2
    # ... an audit record says when, who and how many, without her
    [audit] = [
        item
        for item in stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
        if item["PK"]["S"] == "PRIVACY_AUDIT"
    ]
    assert audit["actor"]["S"].startswith("arn:aws:") and audit["counts"]["M"]["cases"]["N"] == "2"
    # ... the parked delivery replays the other person's message only
    assert stack.replay_failed_deliveries()["created"] == 1
    assert "Ana" in json.dumps(stack.list_cases(), ensure_ascii=False)

    # When they erase her again
    code, again = privacy(capsys, "erase", *who, "--local", api, "--yes")
    # Then nothing is found, and they are told so
    assert code == 0 and "nothing found" in again


def test_a_closed_case_expires_by_itself_and_everything_of_it_follows(stack):
    # Given a Telegram case a department resolved (closed), and another case still open
    telegram = signed_event(
        "telegram", dated(sample_payload("telegram_message"), datetime.now(UTC))
    )
    stack.function("WebhookFunction").invoke(telegram)
    [closed] = stack.list_cases()
    wait_for(stack, closed["id"], lambda c: c["status"] == "derived")
    act(stack, link(email_to(stack, SUPPORT, closed["id"]), "resolved"), "resolved")
    case = wait_for(stack, closed["id"], lambda c: c.get("closed_at"))
    stack.function("WebhookFunction").invoke(whatsapp([(OTHER_ID, "Pedro Gil", OTHER_TEXT)]))
    stack.wait_until_triaged()
    [open_id] = [c["id"] for c in stack.list_cases() if c["id"] != closed["id"]]
    # Then the closed case expires after retention.closed_case_days (730), the open never,
    # and the record that a message was seen after the platforms' retries (15 days)
    closed_at = datetime.fromisoformat(case["closed_at"].replace("Z", "+00:00"))
    assert case["expires_at"] == int(closed_at.timestamp()) + 730 * 86400
    assert "expires_at" not in stack.get_case(open_id)
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    dedups = [i for i in items if i["PK"]["S"].startswith("DEDUP#")]
    assert dedups
    for dedup in dedups:
        recorded = datetime.fromisoformat(dedup["recorded_at"]["S"].replace("Z", "+00:00"))
        assert int(dedup["expires_at"]["N"]) == int(recorded.timestamp()) + 15 * 86400

    # When DynamoDB's TTL deletes the case item, and the stream says so
    dynamodb = stack.client("dynamodb")
    dynamodb.delete_item(
        TableName=stack.cases_table,
        Key={"PK": {"S": f"CASE#{closed['id']}"}, "SK": {"S": "CASE"}},
    )
    event = json.loads((EVENTS / "streams" / "expired_case.json").read_text())
    event["Records"][0]["dynamodb"]["Keys"]["PK"]["S"] = f"CASE#{closed['id']}"
    answer = stack.function("TriageFunction").invoke(event)
    # Then nothing of it is left: messages, timeline, action link, outbound records
    assert answer == {"batchItemFailures": []}
    left = json.dumps(dynamodb.scan(TableName=stack.cases_table)["Items"])
    assert closed["id"] not in left
    assert TELEGRAM_ID not in left
    # ... and the open case is untouched
    assert stack.get_case(open_id)["status"] == "derived"


def as_written_before_the_person_index(stack) -> None:
    """The table as an older version left it: no GSI2 keys, no expiry on a closed case,
    message keys and author ids in the keys of dedup records and open-case pointers."""
    dynamodb = stack.client("dynamodb")
    for item in dynamodb.scan(TableName=stack.cases_table)["Items"]:
        key = {"PK": item["PK"], "SK": item["SK"]}
        pk = item["PK"]["S"]
        if pk.startswith(("DEDUP#", "AUTHOR#")):
            dynamodb.delete_item(TableName=stack.cases_table, Key=key)
            if pk.startswith("DEDUP#") and ":" not in pk:
                case = stack.get_case(item["case_id"]["S"])
                item["PK"] = {"S": "DEDUP#" + case["messages"][0]["dedup_key"]}
            elif pk.startswith("AUTHOR#"):
                item["PK"] = {"S": "AUTHOR#" + stack.get_case(item["case_id"]["S"])["author_key"]}
            item.pop("expires_at", None)
            dynamodb.put_item(TableName=stack.cases_table, Item=item)
        elif "GSI2PK" in item:
            dynamodb.update_item(
                TableName=stack.cases_table, Key=key, UpdateExpression="REMOVE GSI2PK, GSI2SK"
            )


def test_items_written_before_the_person_index_are_brought_into_it_once(stack, api, capsys):
    # Given her Telegram case derived and her WhatsApp case, as an older version wrote them
    telegram = signed_event(
        "telegram", dated(sample_payload("telegram_message"), datetime.now(UTC))
    )
    stack.function("WebhookFunction").invoke(telegram)
    stack.function("WebhookFunction").invoke(whatsapp([(WHATSAPP_ID, "Nuria C", WHATSAPP_TEXT)]))
    stack.wait_until_triaged()
    as_written_before_the_person_index(stack)
    who = ["--platform", "telegram", "--author", TELEGRAM_ID, "--platform", "whatsapp"]
    who += ["--author", WHATSAPP_ID]
    assert "cases:" not in privacy(capsys, "find", *who, "--local", api)[1]
    # When ops run the migration, twice
    code, first = privacy(capsys, "index", "--local", api)
    _, second = privacy(capsys, "index", "--local", api)
    # Then everything of hers is found, and the second run had nothing left to do
    assert code == 0 and "2 cases" in first and "4 keys replaced" in first
    assert "0 cases and 0 items outside their partitions indexed, 0 keys" in second
    code, found = privacy(capsys, "find", *who, "--local", api)
    for line in (
        "cases: 2",
        "action links: 2",
        "duplicate-detection records: 2",
        "crisis-window items: 2",
        "open-case pointers: 2",
    ):
        assert line in found, found
    # ... a redelivery is still a duplicate, and a new message joins her open case
    assert stack.function("WebhookFunction").invoke(telegram)["statusCode"] == 200
    later = dated(sample_payload("telegram_message"), datetime.now(UTC))
    later["update_id"] += 1
    later["message"]["message_id"] += 1
    stack.function("WebhookFunction").invoke(signed_event("telegram", later))
    assert len(stack.list_cases()) == 2
    assert any(c["message_count"] == 2 for c in stack.list_cases())
