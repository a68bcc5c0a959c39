"""A person's rights over their data (`socialcare privacy`): find everything the stack
holds about them, export it, erase it. Every store is a port: the cases table, the
customers table, the failed-deliveries queue, the report files, the workflows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from socialcare.domain.clock import Clock, utc_iso
from socialcare.domain.periods import Period, PeriodKind
from socialcare.domain.privacy import ErasureAudit, Held, HoldingKind, Person, PersonalData


class PersonalDataStore(Protocol):
    def find(self, person: Person) -> list[Held]:
        """The person's cases with their messages and timeline, what lies outside their
        partitions (links, outbound records, markers), duplicate-detection records and
        the open-case pointer."""

    def erase(self, held: list[Held], now: datetime) -> None:
        """Deletes them (a case item last), but for a recent duplicate-detection record,
        which keeps only its key digest until the platforms stop retrying."""

    def record_erasure(self, audit: ErasureAudit) -> None: ...


class CustomerRecords(Protocol):
    def find(self, person: Person) -> Held | None: ...

    def erase(self, held: Held) -> None: ...


class ParkedDeliveries(Protocol):
    def find(self, ids: frozenset[str]) -> list[Held]:
        """Parked deliveries carrying one of the ids, held out of sight until release."""

    def erase(self, held: list[Held]) -> None:
        """Each delivery without the person (parked again, sealed), or gone when nothing
        else was in it."""

    def release(self) -> None:
        """Every delivery `find` held back, visible to `socialcare replay` again."""


class ReportFiles(Protocol):
    def naming(self, folders: list[str], case_ids: set[str]) -> list[Held]:
        """Every version of a report file that names one of the cases (a versioned
        bucket keeps an overwritten report for a while); `data["current"]` for the
        version readers get."""

    def read(self, ref: Any) -> bytes | None: ...

    def replace(self, ref: Any, body: bytes) -> None:
        """The current version written again, the version it replaces deleted."""

    def delete(self, ref: Any) -> None:
        """An older version, deleted."""


class Workflows(Protocol):
    def stop(self, execution_arn: str, cause: str) -> None: ...


RedactReport = Callable[[str, bytes, set[str]], bytes | None]


@dataclass(frozen=True)
class PrivacyDependencies:
    store: PersonalDataStore
    customers: CustomerRecords
    parked: ParkedDeliveries
    reports: ReportFiles
    workflows: Workflows
    redact_report: RedactReport
    report_timezone: str
    clock: Clock
    actor: Callable[[], str]  # who asks (the caller's identity), for the audit


def find(people: Iterable[Person], deps: PrivacyDependencies) -> PersonalData:
    """Everything about `people` (one person's identities). Parked deliveries found stay
    held back until `deps.parked.release()`: the caller releases them."""
    people = tuple(sorted(set(people)))
    held: list[Held] = []
    for person in people:
        held.extend(deps.store.find(person))
        customer = deps.customers.find(person)
        if customer is not None:
            held.append(customer)
    held.extend(deps.parked.find(frozenset(person.author_id for person in people)))
    created = {
        item.case_id: str(item.data.get("created_at", ""))
        for item in held
        if item.kind is HoldingKind.CASE and item.case_id
    }
    if created:
        folders = report_folders(created.values(), deps.report_timezone)
        held.extend(deps.reports.naming(folders, set(created)))
    return PersonalData(people, tuple(held))


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
    deps.store.erase([item for item in data.held if item.kind not in kept_apart], now)
    audit = ErasureAudit(
        at=utc_iso(now), actor=deps.actor(), counts=data.counts(), request_id=request_id
    )
    deps.store.record_erasure(audit)
    return data, audit


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
