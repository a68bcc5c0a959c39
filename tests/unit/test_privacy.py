"""A person's rights over their data, below the stores: who a person is, what a parked
delivery keeps without them, what a report keeps, and the order an erasure follows."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from socialcare.adapters.dynamodb.report_days import case_row
from socialcare.app.privacy import PrivacyDependencies, erase, look, report_folders
from socialcare.config.loaders import routing_config
from socialcare.domain.clock import utc_iso
from socialcare.domain.privacy import (
    ErasureAudit,
    Held,
    HoldingKind,
    Person,
    PersonInvalid,
    redact_delivery,
)
from socialcare.presentation.privacy_export import export_document
from socialcare.presentation.report_redaction import redact_report
from socialcare_cli.main import main
from tests.conftest import NOW, sample_payload

NURIA = Person.of("telegram", "555000111")
CASE_ID = "20261124-0123456789abcdef"


# --- who ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "author"),
    [("myspace", "1"), ("telegram", ""), ("telegram", "1 OR 1=1"), ("x", "9" * 200)],
)
def test_a_person_is_a_known_platform_and_a_strict_author_id(platform, author):
    with pytest.raises(PersonInvalid):
        Person.of(platform, author)


def test_a_customer_key_names_the_same_person_as_platform_and_author():
    assert Person.from_customer_key("telegram#555000111") == NURIA
    with pytest.raises(PersonInvalid):
        Person.from_customer_key("555000111")


# --- parked deliveries -------------------------------------------------------------------


def test_a_telegram_update_is_the_persons_alone():
    # Given a parked Telegram update from her
    update = sample_payload("telegram_message")
    # When it is redacted for her id
    left, taken = redact_delivery(update, frozenset({"555000111"}))
    # Then nothing is left of it
    assert left is None and taken == [update]


def test_a_whatsapp_delivery_keeps_the_other_peoples_messages():
    # Given a WhatsApp delivery with her message and contact, and another person's
    body = sample_payload("meta_whatsapp_text")
    value = body["entry"][0]["changes"][0]["value"]
    mine, theirs = dict(value["messages"][0]), dict(value["messages"][0])
    theirs.update({"from": "34600222333", "id": "wamid.other"})
    value["messages"] = [mine, theirs]
    value["contacts"].append({"profile": {"name": "Ana"}, "wa_id": "34600222333"})
    # When it is redacted for her number
    left, taken = redact_delivery(body, frozenset({"34600111222"}))
    # Then her message and contact are taken; the other person's stay, with the account
    kept = left["entry"][0]["changes"][0]["value"]
    assert [m["from"] for m in kept["messages"]] == ["34600222333"]
    assert [c["wa_id"] for c in kept["contacts"]] == ["34600222333"]
    assert kept["metadata"] == value["metadata"]
    assert len(taken) == 2 and "34600111222" not in json.dumps(left)


def test_an_x_dm_delivery_loses_her_event_and_her_user_entry():
    # Given X's DM delivery: events, and a users map keyed by id
    body = sample_payload("x_dm")
    sender = body["direct_message_events"][0]["message_create"]["sender_id"]
    # When it is redacted for the sender
    left, taken = redact_delivery(body, frozenset({sender}))
    # Then no trace of her is left, and the brand's own user entry stays
    assert sender not in json.dumps(left)
    assert left["for_user_id"] == body["for_user_id"] and taken


# --- report files ------------------------------------------------------------------------


def test_a_report_keeps_its_rows_and_figures_without_her_case():
    # Given cases.csv and kpis.json naming her case
    csv_body = (
        "Caso,Creado,Canal,Autor\r\n"
        f"{CASE_ID},2026-11-24,Telegram,N. C.\r\n"
        "20261124-ffffffffffffffff,2026-11-24,X,I. P.\r\n"
    ).encode()
    kpis = json.dumps({"cases": 2, "breached_cases": [{"id": CASE_ID}]}).encode()
    # When they are redacted
    rows = redact_report("reports/latest/daily/cases.csv", csv_body, {CASE_ID}).decode()
    figures = json.loads(redact_report("reports/latest/daily/kpis.json", kpis, {CASE_ID}))
    # Then her row is anonymised (id and initials), not removed, and the figures stand
    assert rows.splitlines() == [
        "Caso,Creado,Canal,Autor",
        "erased,2026-11-24,Telegram,erased",
        "20261124-ffffffffffffffff,2026-11-24,X,I. P.",
    ]
    assert figures == {"cases": 2, "breached_cases": [{"id": "erased"}]}


def test_a_case_is_looked_for_in_the_reports_of_its_day_week_month_and_the_latest():
    folders = report_folders(["2026-11-24T23:30:00.000Z"], "Europe/Madrid")
    # Madrid's day is the 25th; the table's, the 24th
    assert "reports/partials/2026-11-25." in folders and "reports/partials/2026-11-24." in folders
    assert "reports/weekly/2026-11-23/" in folders and "reports/monthly/2026-11-01/" in folders
    assert "reports/latest/daily/" in folders


# --- the use case ------------------------------------------------------------------------


class Recorder:
    """Every store of the stack, in memory, writing down what was done in what order."""

    def __init__(self, held: list[Held]) -> None:
        self.held, self.done, self.audits = held, [], []

    # store
    def case_ids_of(self, person):
        return sorted({h.case_id for h in self.held if h.kind is HoldingKind.CASE})

    def case_items(self, case_id):
        kinds = (HoldingKind.CUSTOMER_ENTRY, HoldingKind.PARKED_DELIVERY, HoldingKind.REPORT_FILE)
        return [h for h in self.held if h.kind not in kinds and h.case_id == case_id]

    def open_case_pointer(self, person):
        return None

    def find(self, ids):  # parked deliveries
        return [h for h in self.held if h.kind is HoldingKind.PARKED_DELIVERY]

    def erase(self, held, now=None, erased=None):
        self.done.append(("erase", sorted({h.kind.value for h in held})))
        self.held = [h for h in self.held if h not in held]
        self.erased = erased

    def record_erasure(self, audit: ErasureAudit):
        self.audits.append(audit)

    # workflows, parked, reports
    def stop(self, arn, cause):
        self.done.append(("stop", arn))

    def release(self):
        self.done.append(("release", None))

    def naming(self, folders, case_ids):
        return [h for h in self.held if h.kind is HoldingKind.REPORT_FILE]

    def read(self, ref):
        return f"{CASE_ID},x,y,N. C.\r\n".encode()

    def replace(self, ref, body):
        self.done.append(("replace", ref))
        self.held = [h for h in self.held if h.ref != ref]

    def delete(self, ref):
        self.done.append(("delete", ref))
        self.held = [h for h in self.held if h.ref != ref]


class NoCustomer:
    def find(self, person):
        return None


def deps(recorder: Recorder) -> PrivacyDependencies:
    return PrivacyDependencies(
        store=recorder,
        customers=NoCustomer(),
        parked=recorder,
        reports=recorder,
        workflows=recorder,
        redact_report=redact_report,
        routing=routing_config(),
        clock=lambda: NOW,
        actor=lambda: "arn:aws:iam::123456789012:user/ops",
    )


def her_data() -> list[Held]:
    case = {
        "id": CASE_ID,
        "created_at": utc_iso(NOW - timedelta(days=1)),
        "workflow_execution_arn": "arn:aws:states:::execution:case",
        "channel": "telegram",
        "survey_score": 5,
    }
    return [
        Held(HoldingKind.MESSAGE, CASE_ID, ("CASE#x", "MSG#1"), {"text": "cobrado dos veces"}),
        Held(HoldingKind.CASE, CASE_ID, ("CASE#x", "CASE"), case, case_row(case)),
        Held(HoldingKind.PARKED_DELIVERY, None, "m1", {"taken": [{"id": 555000111}]}),
        Held(HoldingKind.REPORT_FILE, CASE_ID, "latest", {"key": "a/cases.csv", "current": True}),
        Held(HoldingKind.REPORT_FILE, CASE_ID, "older", {"key": "a/cases.csv"}),
    ]


def test_an_erasure_stops_the_workflow_cleans_reports_and_queue_then_the_table():
    # Given her open case (its workflow waits), a parked delivery and a report naming her
    recorder = Recorder(her_data())
    # When she is erased
    _, audit = erase([NURIA], deps(recorder), request_id="r1")
    # Then the workflow stops first, the report and queue go before the table, and the
    # parked deliveries found are handed back to replay
    steps = [step for step, _ in recorder.done]
    assert steps == ["stop", "replace", "delete", "erase", "release", "erase"]
    assert recorder.done[-1] == ("erase", ["cases", "messages"])
    # ... and the audit says when, who and how many, without her
    assert audit == ErasureAudit(
        at=utc_iso(NOW),
        actor="arn:aws:iam::123456789012:user/ops",
        counts={
            "cases": 1,
            "messages": 1,
            "parked deliveries": 1,
            "report files": 2,
            "survey answers": 1,
        },
        request_id="r1",
    )
    assert "555000111" not in json.dumps(audit.__dict__) and recorder.audits == [audit]


def test_a_person_not_found_is_erased_without_an_audit_and_said_so():
    recorder = Recorder([])
    data, audit = erase([NURIA], deps(recorder), request_id="r2")
    assert data.empty and audit is None and recorder.audits == []
    assert look([NURIA], deps(recorder)).empty


def test_the_export_is_readable_and_keeps_none_of_the_stacks_secrets():
    # Given her case with its link keys and a message
    held = her_data()
    held[1].data["survey_link"] = {"key": "k", "csrf_token": "t"}
    data = look([NURIA], deps(Recorder(held)))
    # When it is exported
    document = export_document(data, "2026-11-24T10:00:00+00:00")
    # Then the case has its messages and rating, and no secret
    [case] = document["cases"]
    assert case["messages"] == [{"text": "cobrado dos veces"}]
    assert case["case"]["survey_score"] == 5 and "survey_link" not in case["case"]
    assert document["subject"] == [{"platform": "telegram", "author_id": "555000111"}]


# --- the command line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["find", "--platform", "myspace", "--author", "1"], "unknown platform"),
        (["find", "--platform", "telegram"], "in pairs"),
        (["find"], "say who"),
        (["erase", "--customer", "555000111"], "not a customer key"),
    ],
)
def test_a_bad_request_is_one_line_and_exit_1(arguments, said, capsys):
    assert main(["privacy", *arguments, "--local", "http://127.0.0.1:9"]) == 1
    error = capsys.readouterr().err
    assert said in error and error.count("\n") == 1


def test_a_stack_that_is_not_there_is_one_line(capsys):
    who = ["--platform", "telegram", "--author", "555000111"]
    assert main(["privacy", "find", *who, "--local", "http://127.0.0.1:9"]) == 1
    error = capsys.readouterr().err
    assert "nothing answers at http://127.0.0.1:9" in error and error.count("\n") == 1
