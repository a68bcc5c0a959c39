"""A reduced version of the personal-data scenario: everything the handlers log while the
samples (some with phone numbers, IDs and emails) go through the whole protocol and a
report is written, scanned for raw personal data."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from socialcare.domain.personal_data import find_personal_data
from socialcare_cli.reliability.common import log_records, strings
from socialcare_cli.samples import load_event
from tests.conftest import EVENTS
from tests.integration.test_case_workflow import SUPPORT, act, email_to, link, wait_for

pytestmark = pytest.mark.e2e


def test_logs_and_cases_csv_hold_no_raw_personal_data(stack, capfd):
    # Given every sample delivered, one case answered through its link, a report written
    for path in sorted(EVENTS.glob("*.json")):
        stack.function("WebhookFunction").invoke(load_event(Path(path)))
    cases = stack.wait_until_triaged()
    answered = next(c for c in cases if c["channel"] == "telegram" and c["status"] == "derived")
    act(stack, link(email_to(stack, SUPPORT, answered["id"]), "resolved"), "resolved")
    wait_for(stack, answered["id"], lambda c: "closed_at" in c)
    today = datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()
    result = stack.run_report("daily", today)
    # When everything logged is read back
    logged = capfd.readouterr().out
    lines = log_records(logged)
    assert len(lines) > 40  # the handlers did log
    # Then (the scan does see personal data where there is some: in what was delivered)
    delivered = load_event(EVENTS / "x_mention_personal_data.json")
    assert {m.kind for m in find_personal_data(delivered["body"])} == {"phone", "dni"}
    # no text in any log line is a phone number, ID, IBAN, card or email
    found = [
        (line.get("message"), line) for line in lines if any(map(find_personal_data, strings(line)))
    ]
    assert found == []
    # And neither does cases.csv
    text = stack.report_file(result["keys"][1]).decode()
    assert [row for row in csv.reader(io.StringIO(text)) if find_personal_data(",".join(row))] == []
