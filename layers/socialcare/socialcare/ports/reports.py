"""The daily report's reads, files and words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.case_facts import CaseFacts, ReportedCase
    from socialcare.domain.emails import Email
    from socialcare.domain.report_kpis import Kpis


class CaseDays(Protocol):
    def cases_created_on(
        self, day: str, since: str | None = None, until: str | None = None
    ) -> Iterator[ReportedCase]:
        """The cases created on the UTC `day` (and the facts of those erased); only from
        `since` to before `until` (UTC ISO times) when given."""


class ReportStore(Protocol):
    bucket: str

    def put(self, key: str, body: Any, content_type: str) -> None: ...
    def copy(self, source: str, key: str) -> None: ...
    def get(self, key: str) -> bytes | None: ...
    def concatenate(self, sources: list[str], key: str, skip_bytes: int, content_type: str) -> None:
        """`key` = the sources one after another, each but the first without its first
        `skip_bytes` (a repeated header); stored-side where the objects allow."""

    def presigned_url(self, key: str, seconds: int) -> str: ...


class ReportPresentation(Protocol):
    """What a report's files and email say (presentation/report_files.py)."""

    csv_columns: tuple[str, ...]

    def csv_row(self, case: ReportedCase, facts: CaseFacts) -> list[Any]: ...
    def html(self, kpis: Kpis, language: str) -> str: ...
    def email(self, kpis: Kpis, links: dict[str, str], language: str) -> Email: ...
