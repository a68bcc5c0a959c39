"""An erasure takes the person and keeps the protocol's figures: any day's report computed
again after it, a day still running included, has the figures it had before. One
in-memory table stands behind both use cases, as the cases table does in the stack."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from socialcare.adapters.dynamodb.report_days import case_row, reported_case
from socialcare.app import privacy
from socialcare.app.reports import ReportDependencies, run_report
from socialcare.config.loaders import routing_config
from socialcare.domain.case_facts import ErasedCase, fact_record
from socialcare.domain.privacy import ERASED, Held, HoldingKind, Person
from socialcare.domain.reporting import Period, PeriodKind
from socialcare.presentation.report_files import ReportRenderer
from socialcare.presentation.report_redaction import redact_report
from tests.report_fakes import InMemoryReportStore

ROUTING = routing_config()
DAY = date(2026, 11, 24)
FINISHED = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # the morning after
IN_PROGRESS = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # the same afternoon
NURIA = (Person.of("telegram", "555000111"), Person.of("whatsapp", "34699000111"))


def her_resolved_complaint() -> dict[str, Any]:
    """Telegram, derived, answered by its department, resolved, surveyed and rated 2."""
    return {
        "id": "20261124-00000000000000a1",
        "platform": "telegram",
        "channel": "telegram",
        "author": {"id": "555000111", "display_name": "Nuria Campos", "handle": "nuriacampos"},
        "created_at": "2026-11-24T09:12:07.120Z",
        "first_message_at": "2026-11-24T09:12:05.000Z",
        "triage": {
            "category": "complaint",
            "relation": "customer",
            "priority": "P1",
            "topics": ["billing"],
            "personal_data_exposed": True,
        },
        "status": "resolved",
        "department": "customer_service",
        "derived_at": "2026-11-24T09:12:09.400Z",
        "route": [{"department": "customer_service", "level": 0, "at": "2026-11-24T09:12:09.400Z"}],
        "first_public_response_at": None,
        "department_action_at": "2026-11-24T11:47:31.250Z",
        "resolved_at": "2026-11-24T11:47:31.250Z",
        "closed_at": "2026-11-24T11:47:31.250Z",
        "customer_returns": 1,
        "survey_sent_at": "2026-11-24T11:47:40.000Z",
        "survey_score": 2,
        "crisis_alert_at": "2026-11-24T09:12:10.000Z",
    }


def her_open_case() -> dict[str, Any]:
    """WhatsApp, derived and still waiting for its department (its workflow runs)."""
    return {
        "id": "20261124-00000000000000b2",
        "platform": "whatsapp",
        "channel": "whatsapp",
        "author": {"id": "34699000111", "display_name": "Nuria C"},
        "created_at": "2026-11-24T10:03:44.901Z",
        "first_message_at": "2026-11-24T10:03:43.000Z",
        "triage": {"category": "incident", "relation": "customer", "priority": "P2"},
        "status": "derived",
        "department": "claims",
        "derived_at": "2026-11-24T10:03:46.000Z",
        "route": [{"department": "claims", "level": 0, "at": "2026-11-24T10:03:46.000Z"}],
        "workflow_execution_arn": "arn:aws:states:::execution:case-b2",
        "escalated_l1_at": "2026-11-24T14:03:46.000Z",
        "sla_breached": True,
    }


def someone_elses_case() -> dict[str, Any]:
    return {
        "id": "20261124-00000000000000c3",
        "platform": "x",
        "channel": "x_mention",
        "author": {"id": "777000111", "display_name": "Pedro Gil", "handle": "pgil"},
        "created_at": "2026-11-24T12:00:00.000Z",
        "first_message_at": "2026-11-24T11:59:58.000Z",
        "triage": {"category": "question", "relation": "prospect", "priority": "P3"},
        "status": "autonomous",
        "first_public_response_at": "2026-11-24T12:40:00.000Z",
        "closed_at": "2026-11-24T12:40:00.000Z",
    }


class Table:
    """The cases table, as both use cases see it: the day index (GSI1) that reports read,
    and the person's items that privacy finds and erases, with the anonymised fact each
    erased case leaves in its day."""

    def __init__(self, *cases: dict[str, Any]) -> None:
        self.cases = {case["id"]: case for case in cases}
        self.facts: list[dict[str, Any]] = []
        self.audits: list[Any] = []

    # --- the day index (CaseDays) ---
    def cases_created_on(self, day: str, since: str | None = None, until: str | None = None):
        for item in [*self.cases.values(), *self.facts]:
            created = str(item["created_at"])
            if created[:10] == day and (since is None or since <= created <= str(until)):
                yield reported_case(item)

    # --- the person's items (PersonalDataStore) ---
    def case_ids_of(self, person: Person) -> list[str]:
        return [
            case_id
            for case_id, case in self.cases.items()
            if case["platform"] == person.platform.value
            and person.author_id == case["author"]["id"]
        ]

    def case_ids_of_handle(self, handle: Any) -> list[str]:
        return []

    def cases(self, case_ids: list[str]) -> list[Held]:
        return [h for case_id in case_ids for h in self.case_items(case_id)]

    def case_items(self, case_id: str) -> list[Held]:
        case = self.cases.get(case_id)
        return (
            [Held(HoldingKind.CASE, case_id, case_id, dict(case), case_row(case))] if case else []
        )

    def open_case_pointer(self, person: Person) -> Held | None:
        return None

    def erase(self, held: list[Held], now: datetime, erased: dict[str, ErasedCase]) -> None:
        for item in held:
            self.cases.pop(str(item.case_id), None)
        for fact in erased.values():
            self.facts.append(fact_record(fact.facts))

    def record_erasure(self, audit: Any) -> None:
        self.audits.append(audit)


class Nobody:
    """No customers entry, no parked delivery, no workflow to stop that matters here."""

    def find(self, _: Any) -> Any:
        return None if not isinstance(_, frozenset) else []

    def erase(self, _: Any) -> None: ...

    def release(self) -> None: ...

    def stop(self, arn: str, cause: str) -> None: ...


class ReportFilesIn:
    """The report bucket, as privacy reads and rewrites it (one version per file)."""

    def __init__(self, store: InMemoryReportStore) -> None:
        self.store = store

    def naming(self, folders: list[str], case_ids: set[str]) -> list[Held]:
        return [
            Held(HoldingKind.REPORT_FILE, None, key, {"key": key, "current": True})
            for key, (body, _) in self.store.objects.items()
            if key.startswith(tuple(folders)) and any(c.encode() in body for c in case_ids)
        ]

    def read(self, key: str) -> bytes | None:
        return self.store.get(key)

    def replace(self, key: str, body: bytes) -> None:
        self.store.objects[key] = (body, self.store.objects[key][1])

    def delete(self, key: str) -> None:
        self.store.objects.pop(key)


def report_of_the_day(
    table: Table, store: InMemoryReportStore, now: datetime, kind: PeriodKind = PeriodKind.DAILY
) -> dict:
    deps = ReportDependencies(
        days=table,
        store=store,
        email=None,
        routing=ROUTING,
        clock=lambda: now,
        links=lambda key: key,
        files=ReportRenderer(ROUTING),
    )
    written = run_report(Period.containing(kind, DAY, ROUTING.reports.timezone), deps)
    return json.loads(store.get(written.keys[0]))


def erase_her(table: Table, store: InMemoryReportStore, now: datetime) -> None:
    deps = privacy.PrivacyDependencies(
        store=table,
        customers=Nobody(),
        parked=Nobody(),
        reports=ReportFilesIn(store),
        workflows=Nobody(),
        redact_report=redact_report,
        routing=ROUTING,
        clock=lambda: now,
        actor=lambda: "arn:aws:iam::123456789012:user/ops",
    )
    _, audit = privacy.erase(NURIA, deps, request_id="r1")
    assert audit is not None and table.audits == [audit]


def figures(kpis: dict) -> dict:
    """Everything a manager reads in kpis.json but when it was generated."""
    return {k: v for k, v in kpis.items() if k != "generated_at"}


@pytest.mark.parametrize("now", [FINISHED, IN_PROGRESS], ids=["finished-day", "day-in-progress"])
def test_the_days_report_computed_again_after_an_erasure_has_the_same_figures(now):
    # Given her resolved and rated complaint, her open breached case, and Pedro's case,
    # and the day's report as managers got it
    table = Table(her_resolved_complaint(), her_open_case(), someone_elses_case())
    store = InMemoryReportStore()
    before = report_of_the_day(table, store, now)
    assert before["overall"]["cases_received"]["value"] == 3
    # When she is erased and the day's report runs again
    erase_her(table, store, now)
    after = report_of_the_day(table, store, now)
    # Then none of her cases is left, and every figure is what it was: counts, splits,
    # times, satisfaction, the most frequent complaint; the breached case listed as erased
    assert list(table.cases) == ["20261124-00000000000000c3"]
    assert after["overall"]["cases_received"]["value"] == 3
    expected = figures(before)
    expected["breached_cases"] = [
        {**case, "case_id": ERASED} for case in expected["breached_cases"]
    ]
    assert figures(after) == expected


@pytest.mark.parametrize("kind", [PeriodKind.WEEKLY, PeriodKind.MONTHLY])
@pytest.mark.parametrize("now", [FINISHED, IN_PROGRESS], ids=["finished-day", "day-in-progress"])
def test_the_week_and_the_month_computed_again_after_an_erasure_have_the_same_figures(now, kind):
    # Given the week's or month's report, its days' partials stored by that run
    table = Table(her_resolved_complaint(), her_open_case(), someone_elses_case())
    store = InMemoryReportStore()
    before = report_of_the_day(table, store, now, kind)
    # When she is erased and it runs again (a finished day from its partial, the day in
    # progress computed afresh)
    erase_her(table, store, now)
    after = report_of_the_day(table, store, now, kind)
    # Then its figures are what they were
    expected = figures(before)
    expected["breached_cases"] = [
        {**case, "case_id": ERASED} for case in expected["breached_cases"]
    ]
    assert figures(after) == expected
