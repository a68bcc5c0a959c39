"""Every store a person's data rights reach: the cases table, the customers table, the
failed-deliveries queue, the report files, the workflows."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.case_facts import ErasedCase
    from socialcare.domain.privacy import ErasureAudit, Handle, Held, Person


class PersonalDataStore(Protocol):
    def case_ids_of(self, person: Person) -> list[str]:
        """Every case whose author was given this id, as author id or as an alias."""

    def case_items(self, case_id: str) -> list[Held]:
        """The case with its messages, timeline and index entries, what lies outside its
        partition (links, outbound records, markers) and its duplicate-detection
        records; the case item last."""

    def open_case_pointer(self, person: Person) -> Held | None: ...

    def case_ids_of_handle(self, handle: Handle) -> list[str]:
        """Every case a message under this username belongs to."""

    def cases(self, case_ids: list[str]) -> list[Held]:
        """The case items alone."""

    def erase(self, held: list[Held], now: datetime, erased: dict[str, ErasedCase]) -> None:
        """Deletes them (a case item last, with its fact for the figures written in its
        place: `erased`, by case id), but for a recent duplicate-detection record, which
        keeps only its key digest until the platforms stop retrying."""

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
