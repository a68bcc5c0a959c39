"""A case as the use cases read it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a port costs no cold start
    from socialcare.domain.cases import Case


class CaseReader(Protocol):
    def case(self, case_id: str) -> Case | None:
        """The case as stored now (None: never recorded, or erased)."""
