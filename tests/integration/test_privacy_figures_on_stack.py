"""An erasure keeps the day's figures, on the local stack: the daily report run again after
a customer who wrote today is erased (the day still running) gives what it gave before,
and the table keeps of her cases no id, no text and no time finer than the day."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from socialcare.adapters.dynamodb.personal_data import DynamoDBPersonalData
from socialcare.config.loaders import routing_config
from socialcare.domain.case_facts import ErasedCase, anonymised, case_facts
from socialcare.domain.privacy import Person
from socialcare_cli.synthetic import dated
from tests.conftest import sample_payload, signed_event
from tests.integration.test_privacy_on_stack import (
    OTHER_ID,
    OTHER_TEXT,
    TELEGRAM_ID,
    WHATSAPP_ID,
    WHATSAPP_TEXT,
    privacy,
    whatsapp,
)
from tests.integration.test_surveys_on_stack import survey_call, tap
from tests.integration.workflow_helpers import SUPPORT, act, email_to, link, wait_for


def without_department_hours(node):
    """The figures but the hours departments held open cases: those grow with the clock
    until the erasure stops them, so two runs a second apart may differ by a second."""
    if isinstance(node, dict):
        return {
            k: without_department_hours(v)
            for k, v in node.items()
            if k not in ("business_hours_in_department", "generated_at")
        }
    if isinstance(node, list):
        return [without_department_hours(v) for v in node]
    return node


def test_todays_report_run_again_after_an_erasure_has_the_same_figures(stack, api, capsys):
    # Given Nuria's Telegram complaint today, resolved by its department and rated 2
    stack.set_outbound_mode("live")
    telegram = signed_event(
        "telegram", dated(sample_payload("telegram_message"), datetime.now(UTC))
    )
    assert stack.function("WebhookFunction").invoke(telegram)["statusCode"] == 200
    [first] = stack.list_cases()
    wait_for(stack, first["id"], lambda c: c["status"] == "derived")
    act(stack, link(email_to(stack, SUPPORT, first["id"]), "resolved"), "resolved")
    wait_for(stack, first["id"], lambda c: c.get("survey_sent_at"))
    tap(stack, survey_call(stack, "telegram"), 2)
    wait_for(stack, first["id"], lambda c: c.get("survey_score"))
    # ... her WhatsApp case, still with its department, and another customer's case
    stack.function("WebhookFunction").invoke(whatsapp([(WHATSAPP_ID, "Nuria C", WHATSAPP_TEXT)]))
    stack.function("WebhookFunction").invoke(whatsapp([(OTHER_ID, "Pedro Gil", OTHER_TEXT)]))
    stack.wait_until_triaged()
    # ... and today's report, the day still running
    today = datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()
    stack.run_report("daily", today)
    before = json.loads(stack.report_file("reports/latest/daily/kpis.json"))
    assert before["overall"]["cases_received"]["value"] == 3

    # When she is erased and today's report runs again
    who = ["--platform", "telegram", "--author", TELEGRAM_ID]
    who += ["--platform", "whatsapp", "--author", WHATSAPP_ID]
    code, _ = privacy(capsys, "erase", *who, "--local", api, "--yes")
    assert code == 0
    stack.run_report("daily", today)
    after = json.loads(stack.report_file("reports/latest/daily/kpis.json"))

    # Then every figure is what it was: cases received, splits, times, satisfaction
    assert after["overall"]["cases_received"]["value"] == 3
    assert after["overall"]["survey_answers"] == before["overall"]["survey_answers"]
    assert without_department_hours(after) == without_department_hours(before)
    held = after["overall"]["business_hours_in_department"]
    assert held.keys() == before["overall"]["business_hours_in_department"].keys()
    # ... its rows are there, hers anonymised, with her day and not her time
    rows = stack.report_file("reports/latest/daily/cases.csv").decode().splitlines()
    erased = [row for row in rows if row.startswith("erased,")]
    assert len(rows) == 4 and len(erased) == 2
    assert all(row.split(",")[1] == row.split(",")[1][:10] for row in erased), erased
    # ... and what the table keeps of her cases names no one and no time of day
    facts = [
        item
        for item in stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
        if item["PK"]["S"].startswith("ERASED#")
    ]
    assert len(facts) == 2
    text = json.dumps(facts, ensure_ascii=False)
    for trace in (TELEGRAM_ID, WHATSAPP_ID, "Nuria", first["id"], WHATSAPP_TEXT):
        assert trace not in text, trace
    # ... created at the start of their day: UTC's midnight, or Madrid's (23:00 or 22:00 UTC)
    starts = {item["created_at"]["S"][11:] for item in facts}
    assert starts <= {"00:00:00.000Z", "23:00:00.000Z", "22:00:00.000Z"}, starts


def test_an_erasure_cut_short_and_run_again_leaves_one_fact_per_case(stack):
    # Given her case, as the erasure finds it in the table, and the fact it leaves
    stack.function("WebhookFunction").invoke(whatsapp([(WHATSAPP_ID, "Nuria C", WHATSAPP_TEXT)]))
    stack.wait_until_triaged()
    store = DynamoDBPersonalData(stack.client("dynamodb"), stack.cases_table)
    [case_id] = store.case_ids_of(Person.of("whatsapp", WHATSAPP_ID))
    held = store.case_items(case_id)
    now = datetime.now(UTC)
    routing = routing_config()
    facts = case_facts(held[-1].row, routing.report_calendar(), now)
    erased = {case_id: ErasedCase(anonymised(facts, routing.reports.timezone), 0)}
    # When the table's part of the erasure runs twice (the first cut short before it
    # could say it had finished)
    for _ in range(2):
        store.erase(held, now, erased)
    # Then the case is gone, and it left one fact, not two
    items = stack.client("dynamodb").scan(TableName=stack.cases_table)["Items"]
    assert not [i for i in items if i["PK"]["S"].startswith("CASE#")]
    assert len([i for i in items if i["PK"]["S"].startswith("ERASED#")]) == 1
