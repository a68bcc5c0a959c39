"""The breached cases a report names (at most 50): longest past the deadline first, so
that a case erased since keeps its place as "erased" whether the report was rewritten by
the erasure or computed again from the case's anonymised fact."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from socialcare.adapters.dynamodb.report_days import case_row, reported_case
from socialcare.config.loaders import routing_config
from socialcare.domain.case_facts import anonymised, case_facts, fact_record
from socialcare.domain.privacy import ERASED
from socialcare.domain.report_partials import merge_partial, partial_of
from socialcare.domain.reporting import BREACHED_LISTED, KpiAggregator
from socialcare.presentation.report_redaction import redact_report

ROUTING = routing_config()
MADRID = "Europe/Madrid"
NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
# Tuesday 24 November 2026, 10:00 in Madrid: inside its working hours (9-14, 15-18)
DEADLINE = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def breached_case(case_id: str, minutes_late: int, department: str = "claims") -> dict:
    """Derived, its department's deadline passed (escalated), closed as breached
    `minutes_late` later: within the working morning, so as many business minutes."""
    escalated = DEADLINE
    return {
        "id": case_id,
        "channel": "telegram",
        "status": "breached",
        "created_at": "2026-11-24T07:00:00.000Z",
        "first_message_at": "2026-11-24T07:00:00.000Z",
        "triage": {"category": "complaint", "relation": "customer"},
        "priority": "P1",
        "department": department,
        "derived_at": "2026-11-24T07:00:05.000Z",
        "route": [{"department": department, "level": 0, "at": "2026-11-24T07:00:05.000Z"}],
        "escalated_l1_at": _iso(escalated),
        "escalated_l2_at": _iso(escalated + timedelta(minutes=minutes_late // 2)),
        "sla_breached": True,
        "closed_at": _iso(escalated + timedelta(minutes=minutes_late)),
    }


def a_day_of_breaches(count: int = BREACHED_LISTED + 10) -> list[dict]:
    """Cases whose ids say nothing of how late they were."""
    rng = random.Random(28)
    lateness = rng.sample(range(1, 4 * 60), count)
    return [breached_case(f"20261124-{rng.getrandbits(64):016x}", minutes) for minutes in lateness]


def listed(items: list[dict]) -> list[dict]:
    aggregator = KpiAggregator(ROUTING.report_calendar(), NOW, 3)
    for item in items:
        aggregator.add(reported_case(item), MADRID)
    return aggregator.result(5)["breached_cases"]


def erased(item: dict) -> dict:
    """The fact the erasure leaves in the case's place (as the table keeps it)."""
    facts = case_facts(case_row(item), ROUTING.report_calendar(), NOW)
    return json.loads(json.dumps(fact_record(anonymised(facts, MADRID))))


def as_rewritten(entries: list[dict], case_id: str) -> list[dict]:
    """What the erasure's rewrite of kpis.json makes of the list: the id becomes
    "erased" where it stood."""
    kpis = json.dumps({"breached_cases": entries}).encode()
    return json.loads(redact_report("kpis.json", kpis, {case_id}))["breached_cases"]


def test_the_list_runs_from_the_longest_past_the_deadline():
    # Given a day of breached cases, their ids in no order of lateness
    items = a_day_of_breaches()
    # When the day's report lists them
    entries = listed(items)
    # Then 50 are named, longest past the deadline first, with how long
    assert len(entries) == BREACHED_LISTED
    late = [entry["past_deadline_hours"]["business"] for entry in entries]
    assert late == sorted(late, reverse=True)
    latest = max(items, key=lambda item: item["closed_at"])
    assert entries[0]["case_id"] == latest["id"]


@pytest.mark.parametrize("place", [0, 1, BREACHED_LISTED // 2, BREACHED_LISTED - 1])
def test_an_erased_case_keeps_its_place_when_the_day_is_computed_again(place):
    # Given the day's list as managers got it, and a case named in it at `place`
    items = a_day_of_breaches()
    before = listed(items)
    gone = before[place]["case_id"]
    # When that case is erased (its fact left in its day) and the day computed again
    again = listed([erased(item) if item["id"] == gone else item for item in items])
    # Then the list is the one the erasure's rewrite left: the same cases in the same
    # order, "erased" in its place
    assert again == as_rewritten(before, gone)
    assert [entry["case_id"] for entry in again].count(ERASED) == 1


def test_a_case_past_the_cut_that_is_erased_stays_out():
    # Given the day's list, and a breached case that was not named in it
    items = a_day_of_breaches()
    before = listed(items)
    named = {entry["case_id"] for entry in before}
    [unnamed, *_] = [item["id"] for item in items if item["id"] not in named]
    # When it is erased and the day computed again
    again = listed([erased(item) if item["id"] == unnamed else item for item in items])
    # Then the list is unchanged
    assert again == before


def test_a_week_merged_from_rewritten_partials_lists_what_its_days_listed():
    # Given a day's partial, stored, then rewritten by an erasure of its latest case
    items = a_day_of_breaches()
    day = KpiAggregator(ROUTING.report_calendar(), NOW, 3)
    for item in items:
        day.add(reported_case(item), MADRID)
    gone = day.result(5)["breached_cases"][0]["case_id"]
    stored = json.dumps(partial_of(day, "2026-11-24", complete=True)).encode()
    rewritten = json.loads(redact_report("reports/partials/2026-11-24.json", stored, {gone}))
    # When a week merges it
    week = KpiAggregator(ROUTING.report_calendar(), NOW, 3)
    merge_partial(week, rewritten)
    # Then it names what the day computed again after the erasure names
    again = listed([erased(item) if item["id"] == gone else item for item in items])
    assert week.result(5)["breached_cases"] == again
    assert again[0]["case_id"] == ERASED


def test_cases_as_late_as_each_other_are_listed_in_one_order_whatever_the_reading_order():
    # Given cases exactly as late as each other, in two departments
    items = [
        breached_case("20261124-00000000000000b2", 90, "sales"),
        breached_case("20261124-00000000000000a1", 90, "sales"),
        breached_case("20261124-00000000000000c3", 90, "claims"),
    ]
    # When the day is read in either order
    # Then they are listed by department, then id
    expected = [
        "20261124-00000000000000c3",
        "20261124-00000000000000a1",
        "20261124-00000000000000b2",
    ]
    assert [entry["case_id"] for entry in listed(items)] == expected
    assert [entry["case_id"] for entry in listed(items[::-1])] == expected


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
