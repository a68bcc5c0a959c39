"""What an erased case leaves for the figures: its facts, without an id, a name, a text or
a time finer than its day, read back exactly as they were measured."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from socialcare.adapters.dynamodb.items import decode_item, encode_item
from socialcare.adapters.dynamodb.report_days import case_row, reported_case
from socialcare.config.loaders import routing_config
from socialcare.domain.case_facts import anonymised, case_facts, fact_record, facts_of
from socialcare.domain.cases import other_identities
from socialcare.domain.privacy import ERASED
from tests.unit.test_erasure_keeps_figures import her_open_case, her_resolved_complaint

ROUTING = routing_config()
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("created", "timezone", "start"),
    [
        # Madrid's day began at 23:00 UTC the day before: the UTC day's start is later
        ("2026-11-24T10:32:17.120Z", "Europe/Madrid", "2026-11-24T00:00:00.000Z"),
        # 00:30 in Madrid on the 25th, still the 24th in UTC: Madrid's midnight
        ("2026-11-24T23:30:00.000Z", "Europe/Madrid", "2026-11-24T23:00:00.000Z"),
        # Bogotá's day begins at 05:00 UTC
        ("2026-11-24T04:59:59.000Z", "America/Bogota", "2026-11-24T00:00:00.000Z"),
        ("2026-11-24T05:00:01.000Z", "America/Bogota", "2026-11-24T05:00:00.000Z"),
        # Kolkata is 5:30 ahead
        ("2026-11-24T18:29:00.000Z", "Asia/Kolkata", "2026-11-24T00:00:00.000Z"),
        ("2026-11-24T18:31:00.000Z", "Asia/Kolkata", "2026-11-24T18:30:00.000Z"),
    ],
)
def test_an_erased_case_keeps_the_start_of_its_day_in_both_calendars(created, timezone, start):
    # Given a case created at a time to the millisecond
    facts = case_facts(
        case_row({**her_resolved_complaint(), "created_at": created}), _calendar(), NOW
    )
    # When it is anonymised
    kept = anonymised(facts, timezone)
    # Then it keeps the start of its day: the same local day and the same UTC day
    assert fact_record(kept)["created_at"] == start
    assert (
        kept.created.astimezone(ZoneInfo(timezone)).date()
        == facts.created.astimezone(ZoneInfo(timezone)).date()
    )
    assert kept.created.date() == facts.created.astimezone(UTC).date()
    assert kept.id == ERASED


@pytest.mark.parametrize("case", [her_resolved_complaint(), her_open_case()])
def test_the_fact_read_back_from_the_table_measures_what_the_case_measured(case):
    # Given a case's facts, anonymised, written as DynamoDB keeps them and read back
    facts = anonymised(case_facts(case_row(case), _calendar(), NOW), "Europe/Madrid")
    stored = decode_item(encode_item(**fact_record(facts)))
    # When a report reads it
    read = facts_of(reported_case(stored), _calendar(), datetime(2027, 1, 1, tzinfo=UTC))
    # Then every fact is the same, to the last bit of every time (however late it is read)
    assert read == facts


def test_the_fact_names_no_one_and_says_nothing_anyone_wrote():
    case = her_resolved_complaint()
    record = fact_record(anonymised(case_facts(case_row(case), _calendar(), NOW), "Europe/Madrid"))
    text = repr(record)
    for trace in (case["id"], "555000111", "Nuria", "nuriacampos", "09:12"):
        assert trace not in text, trace
    assert set(record) == {
        "entity",
        "created_at",
        "channel",
        "category",
        "relation",
        "priority",
        "department",
        "status",
        "derived",
        "escalated_l1",
        "escalated_l2",
        "breached",
        "authority",
        "personal_data",
        "crisis_alert",
        "returned",
        "resolved_late",
        "survey_sent",
        "hops",
        "topics",
        "survey_score",
        "times",
        "department_hours",
        "past_deadline",
    }


@pytest.mark.parametrize(
    ("author", "identities"),
    [
        # WhatsApp: the business-scoped id is the author, the phone an alias, the username
        (
            {"id": "ES.1410018717833190", "aliases": ["34699000111"], "handle": "Nuria.C"},
            ["whatsapp#34699000111", "whatsapp@nuria.c"],
        ),
        ({"id": "34699000111", "aliases": None, "handle": None}, []),
        # an alias that is the author id itself is no other identity
        ({"id": "34699000111", "aliases": ["34699000111"], "handle": "@nuria"}, ["whatsapp@nuria"]),
        # a display name cut at its bound, or with spaces, is no username
        ({"id": "1", "aliases": None, "handle": "Nuria Campos"}, []),
        ({"id": "1", "aliases": None, "handle": "n" * 200 + " […]"}, []),
    ],
)
def test_an_author_is_indexed_under_each_alias_and_username(author, identities):
    found = other_identities("whatsapp", author["id"], author["aliases"], author["handle"])
    assert found == identities


def _calendar():
    return ROUTING.report_calendar()
