"""What a report reads of one case, as the store gives it (adapters/dynamodb/report_days.py
builds it from the case's item): the moments, labels, flags and counts its indicators and
its cases.csv row come from. The labels' defaults ("untriaged", "social_team"...) are the
report's (domain/case_facts.py), so a missing value stays None here."""

from __future__ import annotations

from dataclasses import dataclass

from socialcare.domain.cases import RouteStop


@dataclass(frozen=True)
class CaseRow:
    id: str
    created_at: str  # UTC ISO, as recorded ("" when the store has none)
    channel: str | None = None
    status: str | None = None
    priority: str | None = None  # the case's (set at triage), else triage's
    department: str | None = None
    # What triage decided
    category: str | None = None
    relation: str | None = None
    authority_mentioned: bool = False
    personal_data_exposed: bool = False
    topics: tuple[str, ...] = ()
    # When things happened (UTC ISO; None: not yet, or never)
    first_message_at: str | None = None
    first_public_response_at: str | None = None
    derived_at: str | None = None
    department_action_at: str | None = None
    escalated_l1_at: str | None = None
    escalated_l2_at: str | None = None
    resolved_at: str | None = None
    contacted_at: str | None = None
    closed_at: str | None = None
    crisis_alert_at: str | None = None
    survey_sent_at: str | None = None
    # Outcomes and counts
    sla_breached: bool = False
    resolved_late: bool = False
    hops: int = 0
    customer_returns: int = 0
    survey_score: int | None = None  # as stored: the report keeps 1 to 5 only
    route: tuple[RouteStop, ...] = ()  # who held it from when
    author_name: str = ""  # the name or username the platform told ("" when neither)
