"""A person's rights over their data (`socialcare privacy`): find everything the stack
holds about them, export it, erase it. Every store is a port: the cases table, the
customers table, the failed-deliveries queue, the report files, the workflows.

A person is found whole from any id they gave: each case found names the ids its author
wrote with (a WhatsApp phone beside the business-scoped id), and those are looked up in
turn. An erased case leaves its anonymised facts in its day, so every report computed
again afterwards has the figures it had."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from socialcare.domain.case_facts import ErasedCase, anonymised, case_facts, moment
from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.periods import Period, PeriodKind
from socialcare.domain.privacy import (
    ErasureAudit,
    Handle,
    HandleUse,
    Held,
    HoldingKind,
    Person,
    PersonalData,
    PersonInvalid,
    identities_in,
)
from socialcare.domain.routing import RoutingConfig

if TYPE_CHECKING:
    from socialcare.ports.privacy import (
        CustomerRecords,
        ParkedDeliveries,
        PersonalDataStore,
        ReportFiles,
        Workflows,
    )

RedactReport = Callable[[str, bytes, set[str]], bytes | None]


@dataclass(frozen=True)
class PrivacyDependencies:
    store: PersonalDataStore
    customers: CustomerRecords
    parked: ParkedDeliveries
    reports: ReportFiles
    workflows: Workflows
    redact_report: RedactReport
    routing: RoutingConfig  # the reports' time zone and calendar, the cases' retention
    clock: Clock
    actor: Callable[[], str]  # who asks (the caller's identity), for the audit


def find(people: Iterable[Person], deps: PrivacyDependencies) -> PersonalData:
    """Everything about `people` (one person's ids), and about every other id their cases
    show they were given. Parked deliveries found stay held back until
    `deps.parked.release()`: the caller releases them."""
    asked = tuple(sorted(set(people)))
    known = set(asked)
    pending = list(asked)
    seen: set[str] = set()
    held: list[Held] = []
    while pending:
        person = pending.pop(0)
        for case_id in deps.store.case_ids_of(person):
            if case_id in seen:
                continue
            seen.add(case_id)
            items = deps.store.case_items(case_id)
            held.extend(items)
            more = identities_in(items) - known
            known |= more
            pending.extend(sorted(more))
        pointer = deps.store.open_case_pointer(person)
        if pointer is not None:
            held.append(pointer)
        customer = deps.customers.find(person)
        if customer is not None:
            held.append(customer)
    people = tuple(sorted(known))
    held.extend(deps.parked.find(frozenset(person.author_id for person in people)))
    created = {
        item.case_id: str(item.data.get("created_at", ""))
        for item in held
        if item.kind is HoldingKind.CASE and item.case_id
    }
    if created:
        folders = report_folders(created.values(), deps.routing.reports.timezone)
        held.extend(deps.reports.naming(folders, set(created)))
    return PersonalData(people, tuple(held), asked)


def who_used(handle: Handle, deps: PrivacyDependencies) -> list[HandleUse]:
    """The platform ids that wrote under a username, with how many cases and when: what
    ops confirm with the person before finding, exporting or erasing by id."""
    by_author: dict[Person, list[str]] = {}
    for case in deps.store.cases(deps.store.case_ids_of_handle(handle)):
        author = case.data.get("author") or {}
        try:
            person = Person.of(str(case.data.get("platform")), str(author.get("id")))
        except PersonInvalid:  # not an id the command line could take back
            continue
        by_author.setdefault(person, []).append(str(case.data.get("created_at", "")))
    return [
        HandleUse(handle, person, len(days), min(days)[:10], max(days)[:10])
        for person, days in sorted(by_author.items())
    ]


def look(people: Iterable[Person], deps: PrivacyDependencies) -> PersonalData:
    """`find`, changing nothing (the parked deliveries go back at once)."""
    try:
        return find(people, deps)
    finally:
        deps.parked.release()


def erase(
    people: Iterable[Person], deps: PrivacyDependencies, request_id: str
) -> tuple[PersonalData, ErasureAudit | None]:
    """Erases every item about the person; None for the audit when nothing was found.
    Reports and the queue first, the cases table last (its case items name what the
    others hold), so an erasure cut short is finished by running it again."""
    try:
        data = find(people, deps)
        if data.empty:
            return data, None
        for case in data.of_kind(HoldingKind.CASE):
            arn = case.data.get("workflow_execution_arn")
            if arn and not case.data.get("closed_at"):
                deps.workflows.stop(str(arn), "the case's personal data was erased")
        case_ids = set(data.case_ids())
        for report in data.of_kind(HoldingKind.REPORT_FILE):
            _erase_from_report(report, case_ids, deps)
        deps.parked.erase(data.of_kind(HoldingKind.PARKED_DELIVERY))
    finally:
        deps.parked.release()
    for customer in data.of_kind(HoldingKind.CUSTOMER_ENTRY):
        deps.customers.erase(customer)
    now = deps.clock()
    kept_apart = (HoldingKind.CUSTOMER_ENTRY, HoldingKind.PARKED_DELIVERY, HoldingKind.REPORT_FILE)
    erased = {
        str(case.case_id): _what_figures_keep(case, now, deps)
        for case in data.of_kind(HoldingKind.CASE)
    }
    deps.store.erase([item for item in data.held if item.kind not in kept_apart], now, erased)
    audit = ErasureAudit(
        at=utc_iso(now), actor=deps.actor(), counts=data.counts(), request_id=request_id
    )
    deps.store.record_erasure(audit)
    return data, audit


def _what_figures_keep(case: Held, now: datetime, deps: PrivacyDependencies) -> ErasedCase:
    """The case's facts as every report reads them, without the person: measured now (an
    open case stops here: its workflow was stopped), forgotten when the case would have
    been (closed_case_days after it closed, or after now)."""
    routing = deps.routing
    row = case.row
    if row is None:
        raise ValueError(f"the store gave case {case.case_id} without its reporting row")
    facts = case_facts(row, routing.report_calendar(), now)
    closed = moment(row.closed_at) or now
    return ErasedCase(
        facts=anonymised(facts, routing.reports.timezone),
        expires_at=routing.retention.closed_case_expiry(closed),
    )


def _erase_from_report(report: Held, case_ids: set[str], deps: PrivacyDependencies) -> None:
    """The version managers read keeps its figures, without the cases; an older copy of
    it has nothing a reader needs and goes."""
    if not report.data.get("current"):
        deps.reports.delete(report.ref)
        return
    body = deps.reports.read(report.ref)
    if body is None:
        return
    redacted = deps.redact_report(str(report.data["key"]), body, case_ids)
    if redacted is not None and redacted != body:
        deps.reports.replace(report.ref, redacted)


def report_folders(created: Iterable[str], timezone: str) -> list[str]:
    """Where a report may name a case created at these times: its day's partial, the
    daily, weekly and monthly reports holding that day (in the reports' time zone), and
    the latest ones."""
    folders = {f"reports/latest/{kind.value}/" for kind in PeriodKind}
    for created_at in created:
        for day in _days_of(created_at, timezone):
            folders.add(f"reports/partials/{day.isoformat()}.")
            for kind in PeriodKind:
                folders.add(f"reports/{kind.value}/{Period.containing(kind, day, timezone).key}/")
    return sorted(folders)


def _days_of(created_at: str, timezone: str) -> set[date]:
    try:
        at = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return set()
    # A report's day is local; the table's day index is UTC.
    return {at.astimezone(ZoneInfo(timezone)).date(), at.date()}
