"""The breached cases a report names, on the local stack: after a customer whose case is
named is erased, the day's kpis.json and report.html as the erasure rewrote them and as
the report computed again gives them name the same cases in the same order."""

from __future__ import annotations

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from socialcare.domain.privacy import ERASED
from tests.integration.test_case_workflow import act_late, telegram_complaint
from tests.integration.test_privacy_on_stack import privacy
from tests.integration.workflow_helpers import SUPPORT, deliver_more, email_to, link, wait_for


def breached_table(html: bytes) -> str:
    return re.search(r'<table id="breached"[^>]*>.*?</table>', html.decode(), re.S).group(0)


def test_the_breached_cases_named_are_the_same_rewritten_or_computed_again(
    stack, api, fast_deadlines, capsys
):
    # Given three Telegram customers whose cases went past every deadline (closed as
    # breached), one of them answered late by its department: the longest past it
    cases = [deliver_more(stack, telegram_complaint(number)) for number in range(3)]
    for case_id in cases:
        wait_for(stack, case_id, lambda c: c.get("status") == "breached")
    act_late(stack, link(email_to(stack, SUPPORT, cases[1]), "resolved"), "resolved")
    wait_for(stack, cases[1], lambda c: c.get("resolved_late"))
    # ... and the day's report
    today = datetime.now(ZoneInfo("Europe/Madrid")).date().isoformat()
    stack.run_report("daily", today)
    named = json.loads(stack.report_file("reports/latest/daily/kpis.json"))["breached_cases"]
    assert sorted(entry["case_id"] for entry in named) == sorted(cases)

    # When the customer of the case named first is erased
    first = stack.get_case(named[0]["case_id"])
    who = ["--platform", "telegram", "--author", str(first["author"]["id"])]
    code, said = privacy(capsys, "erase", *who, "--local", api, "--yes")
    assert code == 0, said
    rewritten = json.loads(stack.report_file("reports/latest/daily/kpis.json"))
    rewritten_html = stack.report_file("reports/latest/daily/report.html")
    # ... and the day's report runs again
    stack.run_report("daily", today)
    again = json.loads(stack.report_file("reports/latest/daily/kpis.json"))

    # Then both name the same cases in the same order, "erased" where the case was
    assert rewritten["breached_cases"] == again["breached_cases"]
    assert again["breached_cases"][0]["case_id"] == ERASED
    assert [e["case_id"] for e in again["breached_cases"][1:]] == [e["case_id"] for e in named[1:]]
    html = stack.report_file("reports/latest/daily/report.html")
    assert breached_table(rewritten_html) == breached_table(html)
