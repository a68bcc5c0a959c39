"""The derivation contact list and the decisions taken from it: priority, department,
whether the social team answers alone. The configuration is plain frozen dataclasses, each
checking its own values when built (config/validation.py adds pydantic's type checks where
no cold start pays for them); decisions are pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from itertools import pairwise
from typing import Literal, get_args

from socialcare.domain.calendar import BusinessCalendar, CalendarConfig, known_zone
from socialcare.domain.config_rules import STRICT, not_empty, require, within
from socialcare.domain.crisis_settings import OTHER_TOPIC, Crisis
from socialcare.domain.public_contacts import (
    Emergency,
    missing_emergency_lines,
    phone_number,
    public_address,
)
from socialcare.domain.retention import SATELLITE_RETENTION_DAYS, expiry
from socialcare.domain.triage import Category, TextTriage, compile_pattern, normalise

Priority = Literal["P1", "P2", "P3", "P4"]
PRIORITIES: tuple[Priority, ...] = ("P1", "P2", "P3", "P4")
Flag = Literal[
    "authority_mentioned",
    "personal_data_exposed",
    "urgent",
    "crisis",
    "needs_details",
    "low_confidence",
]
Language = Literal["es", "en"]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def email_addresses(value: list[str], field: str) -> None:
    not_empty(value, field)
    for email in value:
        require(bool(_EMAIL.match(email)), field, f"not an email address: {email!r}")


@dataclass(frozen=True)
class Contact:
    __pydantic_config__ = STRICT

    name: str
    emails: list[str]
    # The name in other languages (people read the social team's name in reports).
    names: dict[Language, str] = field(default_factory=dict)
    # What they read every email and page in; None: the brand's default (the social
    # team) or their department's (a supervisor).
    language: Language | None = None

    def __post_init__(self) -> None:
        email_addresses(self.emails, "emails")

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)  # type: ignore[call-overload]


def _default_sla() -> dict[Priority, float]:
    return {"P1": 24, "P2": 24, "P3": 48, "P4": 48}


@dataclass(frozen=True)
class Department:
    __pydantic_config__ = STRICT

    name: str  # in the department's own language
    emails: list[str]
    language: Language
    calendar: str
    supervisor: Contact
    names: dict[Language, str] = field(default_factory=dict)  # in the other languages
    sla_hours: dict[Priority, float] = field(default_factory=_default_sla)
    # Takes people at risk (accidents, injuries, danger): needs an emergency line.
    safety: bool = False
    emergency_line: str | None = None  # its own, for the cases it takes
    # Where the public may write to it (a supplier's offer): given in its replies.
    public_contact: str | None = None

    def __post_init__(self) -> None:
        email_addresses(self.emails, "emails")
        if self.emergency_line is not None:
            phone_number(self.emergency_line, "emergency_line")
        if self.public_contact is not None:
            public_address(self.public_contact, "public_contact")
        self._every_priority(self.sla_hours)

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)  # type: ignore[call-overload]

    @staticmethod
    def _every_priority(value: dict[Priority, float]) -> None:
        """A deadline for each priority: a missing one failed every case of it."""
        missing = [p for p in PRIORITIES if p not in value]
        verb = "is" if len(missing) == 1 else "are"
        require(not missing, "sla_hours", f"{', '.join(missing)} {verb} missing")
        short = [p for p, hours in value.items() if not hours > 0]
        require(not short, "sla_hours", f"{', '.join(short)}: the hours must be more than 0")
        # Urgent cases are P1 and must get the shortest deadline.
        for higher, lower in pairwise(PRIORITIES):
            problem = f"{higher} must not wait longer than {lower}"
            require(value[higher] <= value[lower], "sla_hours", problem)


def compiled(patterns: list[str], field: str) -> None:
    for pattern in patterns:
        try:
            compile_pattern(pattern)
        except re.error as error:
            raise ValueError(f"{field}: bad pattern {pattern[:40]!r}: {error}") from None


@dataclass(frozen=True)
class Rule:
    __pydantic_config__ = STRICT

    department: str
    categories: list[Category] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        compiled(self.keywords, "keywords")

    @cached_property
    def keyword_patterns(self) -> tuple[re.Pattern[str], ...]:
        """The keywords as matching compiles them (the ReDoS check reads them too)."""
        return tuple(compile_pattern(p) for p in self.keywords)

    def matches(self, assessment: TextTriage, flags: set[str], plain_text: str) -> bool:
        return (
            (not self.categories or assessment.category in self.categories)
            and (not self.relations or assessment.relation.value in self.relations)
            and (not self.flags or bool(flags & set(self.flags)))
            and (not self.keywords or any(p.search(plain_text) for p in self.keyword_patterns))
        )


@dataclass(frozen=True)
class Retention:
    __pydantic_config__ = STRICT

    # A closed case, its messages and timeline, and what points at it; at least as long
    # as a late answer through its link is still taken, and a month's report reads it.
    closed_case_days: int = 730

    def __post_init__(self) -> None:
        within(self.closed_case_days, "closed_case_days", SATELLITE_RETENTION_DAYS, 3650)

    def closed_case_expiry(self, closed_at: datetime) -> int:
        return expiry(closed_at, timedelta(days=self.closed_case_days))


@dataclass(frozen=True)
class Reports:
    """KPI reports: who gets them, in which language, measured in which calendar."""

    __pydantic_config__ = STRICT

    # Who gets the reports: nobody would, with an empty list.
    managers: list[str]
    timezone: str = "Europe/Madrid"
    language: Language = "es"
    # Business hours in reports are counted in this calendar (default: the main
    # department's).
    calendar: str | None = None
    first_response_target_hours: float = 3.0
    top_topics: int = 5

    def __post_init__(self) -> None:
        known_zone(self.timezone, "timezone")
        not_empty(self.managers, "managers")
        bad = [v for v in self.managers if not _EMAIL.match(v)]
        require(not bad, "managers", f"not email addresses: {bad}")
        require(
            self.first_response_target_hours > 0,
            "first_response_target_hours",
            "must be more than 0",
        )
        within(self.top_topics, "top_topics", 1, 20)


@dataclass(frozen=True)
class RoutingConfig:
    __pydantic_config__ = STRICT

    company: str
    default_language: Language
    main_department: str
    social_team: Contact
    crisis: Crisis
    autonomous_categories: list[Category]
    calendars: dict[str, CalendarConfig]
    departments: dict[str, Department]
    rules: list[Rule]
    reports: Reports
    # The industry's topics (billing, delays...), for the reports' top complaints.
    topics: dict[str, str] = field(default_factory=dict)
    # What people read for each topic, per language (and for "other": none matched).
    topic_names: dict[str, dict[Language, str]] = field(default_factory=dict)
    retention: Retention = field(default_factory=Retention)
    emergency: Emergency = field(default_factory=Emergency)

    def __post_init__(self) -> None:
        for name, pattern in self.topics.items():
            try:
                compile_pattern(pattern)
            except re.error as error:
                raise ValueError(f"topics: {name}: bad pattern: {error}") from None
        self._names_in_every_language()
        self._references()

    @cached_property
    def topic_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """Each topic's pattern as `topics_of` compiles it (the ReDoS check reads them too)."""
        return tuple((name, compile_pattern(p)) for name, p in self.topics.items())

    def topics_of(self, text: str) -> tuple[str, ...]:
        plain = normalise(text)
        return tuple(name for name, pattern in self.topic_patterns if pattern.search(plain))

    def email_addresses(self) -> tuple[str, ...]:
        """Every address the stack emails: the social team, crisis contacts, report
        managers, each department and its supervisor (in order, once each)."""
        found = [*self.social_team.emails, *self.crisis.contacts, *self.reports.managers]
        for department in self.departments.values():
            found += [*department.emails, *department.supervisor.emails]
        return tuple(dict.fromkeys(found))

    @property
    def social_team_language(self) -> str:
        """What the social team reads: its alerts, digests, copies and publish pages."""
        return self.social_team.language or self.default_language

    @property
    def crisis_language(self) -> str:
        return self.crisis.language or self.default_language

    def department_name(self, key: str, language: str) -> str:
        """A department (or the social team, who hold what is not derived), as people
        reading `language` call it."""
        if key in self.departments:
            return self.departments[key].name_in(language)
        return self.social_team.name_in(language)

    def topic_name(self, key: str, language: str) -> str:
        names = self.topic_names.get(key) or self.topic_names.get("other") or {}
        return names.get(language) or key  # type: ignore[call-overload]

    def _names_in_every_language(self) -> None:
        """Every name a person reads exists in each language: no sentence mixes two."""
        problems = []
        languages = set(get_args(Language))
        for key, department in self.departments.items():
            missing = languages - {department.language, *department.names}
            if missing:
                problems.append(f"department {key}: no name in {sorted(missing)} (names:)")
        if languages - {self.default_language, *self.social_team.names}:
            problems.append("social_team: a name in every language is needed (names:)")
        for topic in [*self.topics, OTHER_TOPIC]:
            missing = languages - set(self.topic_names.get(topic, {}))
            if missing:
                problems.append(f"topic {topic}: no name in {sorted(missing)} (topic_names:)")
        for topic, answer in self.crisis.answers.items():
            if topic not in [*self.topics, OTHER_TOPIC]:
                problems.append(f"crisis answers: unknown topic {topic!r} (topics:)")
            elif missing := languages - {k for k, v in answer.items() if v.strip()}:
                problems.append(f"crisis answers: {topic}: no answer in {sorted(missing)}")
        if problems:
            raise ValueError("; ".join(problems))

    def _references(self) -> None:
        problems = []
        if self.main_department not in self.departments:
            problems.append(f"main_department {self.main_department!r} is not a department")
        for key, department in self.departments.items():
            if department.calendar not in self.calendars:
                problems.append(f"department {key}: unknown calendar {department.calendar!r}")
        for number, rule in enumerate(self.rules, 1):
            if rule.department not in self.departments:
                problems.append(f"rule {number}: unknown department {rule.department!r}")
        if self.reports.calendar and self.reports.calendar not in self.calendars:
            problems.append(f"reports: unknown calendar {self.reports.calendar!r}")
        problems += missing_emergency_lines(self.departments, self.emergency)
        if problems:
            raise ValueError("\n".join(problems))  # one line each in `config check`

    def department_for(self, assessment: TextTriage, flags: set[str], text: str) -> str:
        plain = normalise(text)
        for rule in self.rules:
            if rule.matches(assessment, flags, plain):
                return rule.department
        return self.main_department

    def emergency_line_of(self, department: str | None) -> str | None:
        own = self.departments[department].emergency_line if department else None
        return own or self.emergency.line

    def timezone_of(self, department: str) -> str:
        return self.calendars[self.departments[department].calendar].timezone

    def calendar_of(self, department: str) -> BusinessCalendar:
        """Built once per calendar: its days' working hours are worked out once, however
        many deadlines are counted on it (a protocol rehearsal counts thousands)."""
        name = self.departments[department].calendar
        built = self._built_calendars
        if name not in built:
            built[name] = self.calendars[name].calendar()
        return built[name]

    @cached_property
    def _built_calendars(self) -> dict[str, BusinessCalendar]:
        return {}

    def report_calendar(self) -> BusinessCalendar:
        return self._report_calendar

    @cached_property
    def _report_calendar(self) -> BusinessCalendar:
        """Built once: triage asks for it on every case (config's business-hours rules),
        and the calendar keeps each day's working intervals it has worked out."""
        name = self.reports.calendar or self.departments[self.main_department].calendar
        return self.calendars[name].calendar()
