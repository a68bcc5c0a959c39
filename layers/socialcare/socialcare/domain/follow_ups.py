"""A low satisfaction score, followed up: who closed the case and how (what the social
team needs to know before writing to the customer)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from socialcare.domain.cases import Case, FinalStatus


class ClosedBy(StrEnum):
    DEPARTMENT = "department"  # answered through its action link
    SOCIAL_TEAM = "social_team"  # answered by the social team (never derived)
    AUTOMATIC = "automatic"  # nobody answered in time at any level, or spam


@dataclass(frozen=True)
class Closure:
    by: ClosedBy
    status: str  # the FinalStatus: how it was closed
    at: str | None
    department: str | None = None  # the department that closed it


def closure_of(case: Case) -> Closure | None:
    """From the case's final status and the departments that held it (the last one
    answered); None while the case is open."""
    if not case.closed:
        return None
    status = case.status
    if status in (FinalStatus.RESOLVED, FinalStatus.CONTACTED):
        holder = case.route[-1].department if case.route else None
        return Closure(ClosedBy.DEPARTMENT, status, case.closed_at, holder)
    if status == FinalStatus.AUTONOMOUS:
        return Closure(ClosedBy.SOCIAL_TEAM, status, case.closed_at)
    return Closure(ClosedBy.AUTOMATIC, status, case.closed_at)
