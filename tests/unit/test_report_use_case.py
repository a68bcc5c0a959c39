"""The report use case against in-memory ports: what it reads, writes and sends."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

from socialcare.app.reports import ReportDependencies, run_report
from socialcare.config.loaders import routing_config
from socialcare.domain.reporting import Period, PeriodKind
from socialcare.presentation.report_files import ReportRenderer
from tests.report_fakes import InMemoryCaseDays, InMemoryReportStore
from tests.service_fakes import Outbox

ROUTING = routing_config()
DAY = date(2026, 11, 24)


def a_case_item(number: int, **fields) -> dict:
    item = {
        "id": f"20261124-{number:016x}",
        "created_at": f"2026-11-24T10:{number:02d}:00Z",
        "channel": "x_mention",
        "author": {"id": str(number), "display_name": "Ana María López", "handle": "ana"},
        "triage": {"category": "complaint", "relation": "customer", "priority": "P2"},
        "status": "resolved",
        "derived_at": f"2026-11-24T10:{number:02d}:30Z",
        "closed_at": "2026-11-24T15:00:00Z",
        "department": "claims",
    }
    return {**item, **fields}


def report(
    days: dict,
    outbox: Outbox | None = None,
    kind: PeriodKind = PeriodKind.DAILY,
    store: InMemoryReportStore | None = None,
):
    store = store if store is not None else InMemoryReportStore()
    deps = ReportDependencies(
        days=InMemoryCaseDays(days),
        store=store,
        email=outbox,
        routing=ROUTING,
        clock=lambda: datetime(2026, 11, 25, 8, 0, tzinfo=UTC),
        links=lambda key: f"https://api.example/{key}?signed",
        files=ReportRenderer(ROUTING),
    )
    period = Period.containing(kind, DAY, ROUTING.reports.timezone)
    return run_report(period, deps), store


def test_a_daily_report_writes_three_files_refreshes_latest_and_emails_the_managers():
    # Given two cases created on the day and one the day before
    outbox = Outbox()
    days = {
        "2026-11-24": [a_case_item(1), a_case_item(2, status="breached")],
        "2026-11-23": [a_case_item(3, created_at="2026-11-23T10:00:00Z")],
    }
    # When the day's report runs
    written, store = report(days, outbox)
    # Then the files are stored under the period and copied to latest/
    prefix = "reports/daily/2026-11-24"
    assert written.keys == [
        f"{prefix}/{name}" for name in ("kpis.json", "cases.csv", "report.html")
    ]
    for name in ("kpis.json", "cases.csv", "report.html"):
        assert store.objects[f"reports/latest/daily/{name}"] == store.objects[f"{prefix}/{name}"]
    kpis = json.loads(store.get(f"{prefix}/kpis.json"))
    assert kpis["overall"]["cases_received"] == {"value": 2, "previous": 1}
    # And cases.csv has one masked row per case (initials, not the name)
    rows = list(csv.reader(io.StringIO(store.get(f"{prefix}/cases.csv").decode())))
    assert tuple(rows[0]) == ReportRenderer(ROUTING).csv_columns and len(rows) == 3
    assert {row[3] for row in rows[1:]} == {"A. M. L."}
    # And the managers got one email with a signed link per file
    [email] = outbox.sent
    assert email["to"] == list(ROUTING.reports.managers) == written.emailed
    assert all(f"https://api.example/{key}?signed" in email["text"] for key in written.keys)


def test_a_day_without_cases_still_gets_its_report_and_no_email_without_a_sender():
    written, store = report({})
    # three files, their latest/ copies, and the partials of the day and the day before
    assert len(store.objects) == 10 and written.emailed == []
    assert {k for k in store.objects if "partials" in k} == {
        f"reports/partials/2026-11-2{d}.{ext}" for d in (3, 4) for ext in ("json", "csv")
    }


WEEK = {
    "2026-11-23": [a_case_item(3, created_at="2026-11-23T10:00:00Z")],
    "2026-11-24": [a_case_item(1), a_case_item(2, status="breached")],
    "2026-11-26": [a_case_item(4, created_at="2026-11-26T10:00:00Z", status="autonomous")],
    "2026-11-17": [a_case_item(5, created_at="2026-11-17T10:00:00Z")],
}


def test_a_week_from_its_days_partials_is_the_week_computed_from_its_cases():
    # Given the 24th's daily run (it stored the partials of the 23rd and the 24th)
    from_partials = InMemoryReportStore()
    report(WEEK, store=from_partials)
    assert from_partials.get("reports/partials/2026-11-23.json") is not None
    # When the weekly report runs on partials for some days and computes the rest
    written, store = report(WEEK, kind=PeriodKind.WEEKLY, store=from_partials)
    fresh, fresh_store = report(WEEK, kind=PeriodKind.WEEKLY)
    # Then its indicators are those of the cases themselves, last week's included
    merged = json.loads(store.get(written.keys[0]))
    computed = json.loads(fresh_store.get(fresh.keys[0]))
    for part in ("overall", "by", "statuses", "volume_by_day", "top_complaint_topics"):
        assert merged[part] == computed[part]
    assert merged["overall"]["cases_received"] == {"value": 4, "previous": 1}
    # And its cases.csv is the days' files one after another, one header
    rows = list(csv.reader(io.StringIO(store.get(written.keys[1]).decode())))
    assert tuple(rows[0]) == ReportRenderer(ROUTING).csv_columns and len(rows) == 5


def test_a_damaged_partial_is_computed_again_not_merged():
    # Given the 24th's partial damaged in the bucket
    store = InMemoryReportStore()
    store.put("reports/partials/2026-11-24.json", b'{"version": 1, "overall": {}}', "x")
    # When the week is reported
    written, store = report(WEEK, kind=PeriodKind.WEEKLY, store=store)
    # Then the day was computed from its cases, and the partial replaced
    kpis = json.loads(store.get(written.keys[0]))
    assert kpis["overall"]["cases_received"]["value"] == 4
    assert json.loads(store.get("reports/partials/2026-11-24.json"))["overall"]["cases"] == 2
