"""KPI periods and indicators, on case items whose figures can be checked by hand."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest

from socialcare.adapters.dynamodb.report_days import reported_case
from socialcare.app.triage import Triager
from socialcare.domain.histograms import Histogram
from socialcare.domain.report_kpis import Kpis, PeriodInfo, TopicCount
from socialcare.domain.reporting import (
    KpiAggregator,
    Period,
    PeriodKind,
    with_previous,
)

MADRID = "Europe/Madrid"


@pytest.fixture(scope="module")
def calendar():
    return Triager().routing.report_calendar()


def test_periods_are_local_days_weeks_and_months():
    day = Period.containing(PeriodKind.DAILY, date(2026, 3, 29), MADRID)  # DST starts
    assert (day.start.isoformat(), day.end.isoformat()) == (
        "2026-03-29T00:00:00+01:00",
        "2026-03-30T00:00:00+02:00",
    )
    assert day.utc_days() == ["2026-03-28", "2026-03-29"]
    week = Period.containing(PeriodKind.WEEKLY, date(2026, 11, 26), MADRID)
    assert (week.first_day, week.last_day) == (date(2026, 11, 23), date(2026, 11, 29))
    month = Period.containing(PeriodKind.MONTHLY, date(2026, 12, 15), MADRID)
    assert (month.first_day, month.last_day) == (date(2026, 12, 1), date(2026, 12, 31))
    assert month.following().first_day == date(2027, 1, 1)
    assert month.previous().first_day == date(2026, 11, 1)


def test_a_scheduled_run_reports_the_period_just_closed():
    monday_morning = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # 07:00 in Madrid
    assert Period.just_closed(PeriodKind.DAILY, monday_morning, MADRID).first_day == date(
        2026, 11, 29
    )
    assert Period.just_closed(PeriodKind.WEEKLY, monday_morning, MADRID).first_day == date(
        2026, 11, 23
    )
    first_of_month = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    assert Period.just_closed(PeriodKind.MONTHLY, first_of_month, MADRID).first_day == date(
        2026, 11, 1
    )


def test_histogram_quantiles_are_within_two_and_a_half_percent():
    values = [random.Random(7).lognormvariate(1, 1.2) for _ in range(5000)]
    histogram = Histogram()
    for value in values:
        histogram.add(value)
    ordered = sorted(values)
    for q in (0.5, 0.9):
        exact = ordered[int(q * (len(ordered) - 1))]
        assert abs(histogram.quantile(q) - exact) / exact < 0.025
    assert histogram.summary()["mean"] == round(sum(values) / len(values), 2)


def case(number: int, **fields):
    base = {
        "id": f"c{number}",
        "channel": "facebook_comment",
        "status": "derived",
        "created_at": "2026-11-24T09:00:00.000Z",
        "first_message_at": "2026-11-24T09:00:00.000Z",
        "triage": {"category": "complaint", "relation": "customer", "topics": ["billing"]},
        "priority": "P2",
        "department": "customer_service",
    }
    return base | fields


def test_indicators_of_a_hand_made_day(calendar):
    # Given four cases on Tuesday 24 November 2026 (Madrid working hours 9-14, 15-18)
    items = [
        # resolved by customer service: answered publicly in 1 h, acted in 2 h, closed at 3 h
        case(
            1,
            status="resolved",
            derived_at="2026-11-24T09:00:00.000Z",
            first_public_response_at="2026-11-24T10:00:00.000Z",
            department_action_at="2026-11-24T11:00:00.000Z",
            closed_at="2026-11-24T12:00:00.000Z",
            route=[{"department": "customer_service", "at": "2026-11-24T09:00:00.000Z"}],
        ),
        # autonomous praise, on Instagram
        case(
            2,
            status="autonomous",
            channel="instagram_comment",
            closed_at="2026-11-24T09:30:00.000Z",
            triage={"category": "praise", "relation": "unknown"},
            department=None,
        ),
        # escalated twice and breached, after a hop from claims; authority mentioned
        case(
            3,
            status="breached",
            derived_at="2026-11-24T09:00:00.000Z",
            escalated_l1_at="2026-11-25T09:00:00.000Z",
            escalated_l2_at="2026-11-26T09:00:00.000Z",
            sla_breached=True,
            hops=1,
            closed_at="2026-11-27T09:00:00.000Z",
            triage={
                "category": "complaint",
                "relation": "customer",
                "authority_mentioned": True,
                "topics": ["claims_and_repairs"],
            },
            route=[
                {"department": "claims", "at": "2026-11-24T09:00:00.000Z"},
                {"department": "customer_service", "at": "2026-11-24T11:00:00.000Z"},
            ],
        ),
        # still waiting, customer came back
        case(4, derived_at="2026-11-24T09:00:00.000Z", customer_returns=1),
    ]
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    aggregator = KpiAggregator(calendar, now, target_hours=3)
    for item in items:
        aggregator.add(reported_case(item), MADRID)
    result = aggregator.result(top_topics=5)
    overall = result["overall"]
    # Then the rates are over the four cases, escalations over the three derived
    assert overall["cases_received"] == 4
    assert overall["resolved_pct"] == 50.0  # resolved + autonomous
    assert overall["autonomy_rate_pct"] == 25.0
    assert overall["derivation_rate_pct"] == 75.0
    assert overall["escalation_l1_rate_pct"] == overall["escalation_l2_rate_pct"] == 33.3
    assert overall["sla_breach_rate_pct"] == 33.3
    assert overall["mean_hops"] == 0.33
    assert (overall["authority_mentions"], overall["returning_customers"]) == (1, 1)
    # And the times are measured in Madrid business hours and in calendar hours
    first = overall["first_response_hours"]
    assert first["calendar"]["count"] == 1 and first["calendar"]["mean"] == 1.0
    assert overall["department_action_hours"]["business"]["mean"] == 2.0
    assert overall["resolution_hours"]["calendar"]["count"] == 2  # resolved, autonomous
    assert overall["first_response_within_target_pct"] == 100.0
    # Claims held case 3 two business hours; customer service from 12:00 (Madrid) on
    assert overall["business_hours_in_department"]["claims"] == 2.0
    # And the splits and the complaint topics
    assert set(result["by"]["channel"]) == {"facebook_comment", "instagram_comment"}
    assert result["by"]["category"]["praise"]["autonomy_rate_pct"] == 100.0
    assert result["top_complaint_topics"][0] == {"topic": "billing", "cases": 2}


def test_each_indicator_sits_beside_its_previous_value(calendar):
    now = datetime(2026, 11, 28, tzinfo=UTC)
    current, previous = (KpiAggregator(calendar, now, 3) for _ in range(2))
    current.add(reported_case(case(1)), MADRID)
    paired = with_previous(current.result(5), previous.result(5))
    assert paired["overall"]["cases_received"] == {"value": 1, "previous": 0}
    assert paired["by"]["channel"]["facebook_comment"]["cases_received"] == {
        "value": 1,
        "previous": None,
    }


@pytest.mark.parametrize(("language", "title"), [("es", "Informe"), ("en", "Social customer")])
def test_the_report_page_renders_in_each_language(calendar, language, title):
    from socialcare.presentation.report_files import report_html

    now = datetime(2026, 11, 28, tzinfo=UTC)
    current, previous = (KpiAggregator(calendar, now, 3) for _ in range(2))
    current.add(reported_case(case(1)), MADRID)
    compared = with_previous(current.result(5), previous.result(5))
    kpis = Kpis(
        company="Seguros Marea",
        period=PeriodInfo("daily", "2026-11-24", "2026-11-24", MADRID, "", ""),
        previous_period=PeriodInfo("daily", "2026-11-23", "2026-11-23", MADRID, "", ""),
        generated_at="2026-11-28T00:00:00.000Z",
        business_hours_calendar=MADRID,
        first_response_target_hours=3,
        overall=compared["overall"],
        by=compared["by"],
        volume_by_day={"2026-11-24": 1},
        previous_volume_by_day={},
        statuses={},
        breached_cases=(),
        time_scale=1.0,
        top_complaint_topics=(TopicCount("billing", 1),),
        previous_top_complaint_topics=(),
    )
    page = report_html(kpis, language, Triager().routing)
    assert title in page and page.count("<svg") == 5 and "<script" not in page


def test_problems_solved_counts_questions_complaints_and_incidents_answered_only(calendar):
    # Given a troll and a praise handled by the team (not problems), two complaints
    # resolved or contacted, a question answered autonomously, an incident breached and
    # one resolved late after its breach
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    items = [
        case(1, status="autonomous", triage={"category": "troll"}),
        case(2, status="autonomous", triage={"category": "praise"}),
        case(3, status="resolved", closed_at="2026-11-24T10:00:00Z"),
        case(4, status="contacted", closed_at="2026-11-24T10:00:00Z"),
        case(5, status="autonomous", triage={"category": "question"}),
        case(6, status="breached", sla_breached=True, triage={"category": "incident"}),
        case(
            7,
            status="resolved",
            sla_breached=True,
            resolved_late=True,
            closed_at="2026-11-24T12:00:00Z",
            resolved_at="2026-11-24T15:00:00Z",
            triage={"category": "incident"},
        ),
    ]
    aggregator = KpiAggregator(calendar, now, 3)
    for item in items:
        aggregator.add(reported_case(item), MADRID)
    result = aggregator.result(5)
    overall = result["overall"]
    # Then 4 of the 5 problems were solved (the late one included, the breach not)
    assert (overall["problems"], overall["problems_solved_pct"]) == (5, 80.0)
    assert overall["resolved_late"] == 1
    # And the late resolution's time runs to when it was answered (6 h), not to the
    # breach (3 h): the two others took 1 h
    assert overall["resolution_hours"]["calendar"]["mean"] == round((1 + 1 + 6) / 3, 2)
    # And the breached cases are named by id, department and how long they were past the
    # deadline (not known here: neither escalated), nothing else
    assert result["breached_cases"] == [
        {"case_id": "c6", "department": "customer_service", "past_deadline_hours": None},
        {"case_id": "c7", "department": "customer_service", "past_deadline_hours": None},
    ]


def test_satisfaction_is_the_share_of_4_and_5_over_answers_and_response_rate_over_sent(calendar):
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    sent = {"survey_sent_at": "2026-11-24T11:00:00Z", "status": "resolved"}
    items = [
        case(1, **sent, survey_score=5),
        case(2, **sent, survey_score=4, channel="telegram"),
        case(3, **sent, survey_score=2, channel="telegram"),
        case(4, **sent),  # asked, not answered
        case(5, status="resolved"),  # never asked
    ]
    aggregator = KpiAggregator(calendar, now, 3)
    for item in items:
        aggregator.add(reported_case(item), MADRID)
    result = aggregator.result(5)
    overall = result["overall"]
    assert overall["satisfaction_pct"] == 66.7  # 2 of 3 answers
    assert overall["satisfaction_mean"] == 3.67
    assert overall["survey_response_rate_pct"] == 75.0  # 3 answers, 4 sent
    telegram = result["by"]["channel"]["telegram"]
    assert (telegram["satisfaction_pct"], telegram["satisfaction_mean"]) == (50.0, 3.0)
    assert result["by"]["department"]["customer_service"]["survey_answers"] == 3


def test_the_breached_cases_kept_are_bounded_however_many_breach(calendar):
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    aggregator = KpiAggregator(calendar, now, 3)
    for number in range(1000):
        aggregator.add(reported_case(case(number, id=f"c{number:04d}", sla_breached=True)), MADRID)
    listed = aggregator.result(5)["breached_cases"]
    assert len(aggregator.breached_cases) <= 100 and len(listed) == 50
    assert listed[0]["case_id"] == "c0000" and listed[-1]["case_id"] == "c0049"


def test_the_most_frequent_complaints_are_the_same_whatever_order_the_cases_are_read_in(
    calendar,
):
    # Given complaints about billing and refunds, as many of each: the day's index reads
    # an erased case's fact (at the start of its day) before the cases
    items = [
        case(1, triage={"category": "complaint", "topics": ["refunds"]}),
        case(2, triage={"category": "complaint", "topics": ["billing"]}),
    ]
    now = datetime(2026, 11, 25, tzinfo=UTC)
    tops = []
    for ordered in (items, items[::-1]):
        aggregator = KpiAggregator(calendar, now, target_hours=3)
        for item in ordered:
            aggregator.add(reported_case(item), MADRID)
        tops.append(aggregator.result(top_topics=5)["top_complaint_topics"])
    # Then ties are listed by name, whichever came first
    by_name = [{"topic": "billing", "cases": 1}, {"topic": "refunds", "cases": 1}]
    assert tops[0] == tops[1] == by_name
