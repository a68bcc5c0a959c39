"""The derivation contact list and the decisions taken from it: priority, department,
whether the social team answers alone. Config models are pydantic; decisions are pure."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cached_property
from itertools import pairwise
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from socialcare.domain.calendar import BusinessCalendar, WorkingInterval
from socialcare.domain.crisis_settings import OTHER_TOPIC, Crisis
from socialcare.domain.public_contacts import (
    Emergency,
    PhoneNumber,
    PublicAddress,
    missing_emergency_lines,
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
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_INTERVAL = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(_Strict):
    name: str
    # The name in other languages (people read the social team's name in reports).
    names: dict[Language, str] = {}
    emails: list[str] = Field(min_length=1)
    # What they read every email and page in; None: the brand's default (the social
    # team) or their department's (a supervisor).
    language: Language | None = None

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)  # type: ignore[call-overload]

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        for email in value:
            if not _EMAIL.match(email):
                raise ValueError(f"not an email address: {email!r}")
        return value


def known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None
    return value


TimeZone = Annotated[str, AfterValidator(known_zone)]


class CalendarConfig(_Strict):
    timezone: TimeZone
    hours: dict[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], list[str]]
    holidays: list[date] = []

    @field_validator("hours")
    @classmethod
    def _intervals(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if not any(value.values()):
            raise ValueError("a calendar needs working hours on at least one day")
        for day, intervals in value.items():
            for interval in intervals:
                found = _INTERVAL.match(interval)
                if not found or found.group(1, 2) >= found.group(3, 4):
                    raise ValueError(f"{day}: {interval!r} is not HH:MM-HH:MM with start < end")
        return value

    def calendar(self) -> BusinessCalendar:
        week = {}
        for day, intervals in self.hours.items():
            parsed = []
            for interval in intervals:
                start, end = interval.split("-")
                end_time = time.max if end == "24:00" else time.fromisoformat(end)
                parsed.append(WorkingInterval(time.fromisoformat(start), end_time))
            week[_DAYS.index(day)] = tuple(parsed)
        return BusinessCalendar(self.timezone, week, frozenset(self.holidays))


class Department(_Strict):
    name: str  # in the department's own language
    names: dict[Language, str] = {}  # in the other languages reports and pages speak
    emails: list[str] = Field(min_length=1)
    language: Language

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)  # type: ignore[call-overload]

    calendar: str
    sla_hours: dict[Priority, float] = {"P1": 24, "P2": 24, "P3": 48, "P4": 48}
    supervisor: Contact
    # Takes people at risk (accidents, injuries, danger): needs an emergency line.
    safety: bool = False
    emergency_line: PhoneNumber | None = None  # its own, for the cases it takes
    # Where the public may write to it (a supplier's offer): given in its replies.
    public_contact: PublicAddress | None = None

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        return Contact._emails(value)

    @field_validator("sla_hours")
    @classmethod
    def _every_priority(cls, value: dict[str, float]) -> dict[str, float]:
        """A deadline for each priority: a missing one failed every case of it."""
        missing = [p for p in PRIORITIES if p not in value]
        if missing:
            raise ValueError(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing")
        short = [p for p, hours in value.items() if not hours > 0]
        if short:
            raise ValueError(f"{', '.join(short)}: the hours must be more than 0")
        # Urgent cases are P1 and must get the shortest deadline.
        for higher, lower in pairwise(PRIORITIES):
            if value[higher] > value[lower]:
                raise ValueError(f"{higher} must not wait longer than {lower}")
        return value


class Rule(_Strict):
    department: str
    categories: list[Category] = []
    relations: list[str] = []
    flags: list[Flag] = []
    keywords: list[str] = []

    @field_validator("keywords")
    @classmethod
    def _compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                compile_pattern(pattern)
            except re.error as error:
                raise ValueError(f"bad pattern {pattern[:40]!r}: {error}") from None
        return value

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


class Retention(_Strict):
    # A closed case, its messages and timeline, and what points at it; at least as long
    # as a late answer through its link is still taken, and a month's report reads it.
    closed_case_days: int = Field(default=730, ge=SATELLITE_RETENTION_DAYS, le=3650)

    def closed_case_expiry(self, closed_at: datetime) -> int:
        return expiry(closed_at, timedelta(days=self.closed_case_days))


class Reports(_Strict):
    """KPI reports: who gets them, in which language, measured in which calendar."""

    timezone: TimeZone = "Europe/Madrid"
    language: Language = "es"
    # Business hours in reports are counted in this calendar (default: the main
    # department's).
    calendar: str | None = None
    # Who gets the reports: nobody would, with an empty list.
    managers: list[str] = Field(min_length=1)
    first_response_target_hours: float = Field(3.0, gt=0)
    top_topics: int = Field(5, ge=1, le=20)

    @field_validator("managers")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not _EMAIL.match(v)]
        if bad:
            raise ValueError(f"not email addresses: {bad}")
        return value


class RoutingConfig(_Strict):
    company: str
    default_language: Language
    main_department: str
    social_team: Contact
    crisis: Crisis
    autonomous_categories: list[Category]
    # The industry's topics (billing, delays...), for the reports' top complaints.
    topics: dict[str, str] = {}
    # What people read for each topic, per language (and for "other": none matched).
    topic_names: dict[str, dict[Language, str]] = {}
    calendars: dict[str, CalendarConfig]
    departments: dict[str, Department]
    rules: list[Rule]
    reports: Reports
    retention: Retention = Retention()
    emergency: Emergency = Emergency()

    @field_validator("topics")
    @classmethod
    def _topics_compile(cls, value: dict[str, str]) -> dict[str, str]:
        for name, pattern in value.items():
            try:
                compile_pattern(pattern)
            except re.error as error:
                raise ValueError(f"{name}: bad pattern: {error}") from None
        return value

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

    @model_validator(mode="after")
    def _names_in_every_language(self) -> RoutingConfig:
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
        return self

    @model_validator(mode="after")
    def _references(self) -> RoutingConfig:
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
        return self

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
        return self.calendars[self.departments[department].calendar].calendar()

    def report_calendar(self) -> BusinessCalendar:
        return self._report_calendar

    @cached_property
    def _report_calendar(self) -> BusinessCalendar:
        """Built once: triage asks for it on every case (config's business-hours rules),
        and the calendar keeps each day's working intervals it has worked out."""
        name = self.reports.calendar or self.departments[self.main_department].calendar
        return self.calendars[name].calendar()
