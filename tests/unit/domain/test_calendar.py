"""The business calendar: working hours, weekends, holidays, time zones and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from socialcare.domain.calendar import BusinessCalendar, WorkingInterval

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
NINE_TO_SIX = (WorkingInterval(time(9), time(18)),)
SPLIT_DAY = (WorkingInterval(time(9), time(14)), WorkingInterval(time(15), time(18)))


def weekdays(intervals, zone="Europe/Madrid", holidays=()) -> BusinessCalendar:
    return BusinessCalendar(zone, {day: intervals for day in range(5)}, frozenset(holidays))


def at(zone, *parts) -> datetime:
    return datetime(*parts, tzinfo=zone)


def test_within_one_day():
    calendar = weekdays(NINE_TO_SIX)
    assert calendar.add_business_hours(at(MADRID, 2026, 11, 24, 10), 3) == at(
        MADRID, 2026, 11, 24, 13
    )


def test_nights_do_not_count():
    # Given a Tuesday at 16:00 and 24 working hours of 9 a day
    deadline = weekdays(NINE_TO_SIX).add_business_hours(at(MADRID, 2026, 11, 24, 16), 24)
    # Then 2 h Tuesday + 9 Wednesday + 9 Thursday + 4 Friday
    assert deadline == at(MADRID, 2026, 11, 27, 13)


def test_weekends_do_not_count():
    # Given Friday 17:00 + 2 working hours -> Monday 10:00
    deadline = weekdays(NINE_TO_SIX).add_business_hours(at(MADRID, 2026, 11, 27, 17), 2)
    assert deadline == at(MADRID, 2026, 11, 30, 10)


def test_holidays_do_not_count():
    # Given Tuesday 8 December a holiday (Inmaculada Concepción)
    calendar = weekdays(NINE_TO_SIX, holidays=[date(2026, 12, 8)])
    deadline = calendar.add_business_hours(at(MADRID, 2026, 12, 4, 16), 24)
    # Then Fri 2 + Mon 9 + (Tue skipped) Wed 9 + Thu 4
    assert deadline == at(MADRID, 2026, 12, 10, 13)


def test_a_lunch_break_does_not_count():
    deadline = weekdays(SPLIT_DAY).add_business_hours(at(MADRID, 2026, 11, 24, 13), 2)
    assert deadline == at(MADRID, 2026, 11, 24, 16)


def test_a_start_outside_hours_begins_at_the_next_opening():
    calendar = weekdays(NINE_TO_SIX)
    assert calendar.add_business_hours(at(MADRID, 2026, 11, 28, 23), 1) == at(
        MADRID, 2026, 11, 30, 10
    )
    assert calendar.add_business_hours(at(MADRID, 2026, 11, 24, 6), 1) == at(
        MADRID, 2026, 11, 24, 10
    )


def test_each_department_counts_in_its_own_time_zone():
    # Given the same UTC moment, 16:00 in Madrid and 10:00 in New York
    moment = datetime(2026, 11, 24, 15, tzinfo=UTC)
    madrid = weekdays(NINE_TO_SIX).add_business_hours(moment, 4)
    new_york = weekdays(NINE_TO_SIX, "America/New_York").add_business_hours(moment, 4)
    # Then Madrid continues next morning; New York finishes the same afternoon
    assert madrid == at(MADRID, 2026, 11, 25, 11)
    assert new_york == at(NEW_YORK, 2026, 11, 24, 14)


def test_daylight_saving_start_is_wall_clock_correct():
    # Given Friday 26 March 2027 17:00 CET (UTC+1); clocks go forward on Sunday the 28th
    deadline = weekdays(NINE_TO_SIX).add_business_hours(at(MADRID, 2027, 3, 26, 17), 2)
    # Then Monday 10:00 CEST, which is 08:00 UTC (not 09:00)
    assert deadline == datetime(2027, 3, 29, 8, tzinfo=UTC)


def test_daylight_saving_end_is_wall_clock_correct():
    # Clocks go back on Sunday 31 October 2027 in Madrid
    deadline = weekdays(NINE_TO_SIX).add_business_hours(at(MADRID, 2027, 10, 29, 17), 2)
    assert deadline == datetime(2027, 11, 1, 9, tzinfo=UTC)  # Monday 10:00 CET


def test_round_trip_with_business_hours_between():
    calendar = weekdays(SPLIT_DAY, holidays=[date(2026, 12, 8)])
    start = at(MADRID, 2026, 12, 4, 12, 30)
    for hours in (0.5, 3, 24, 48, 100):
        assert calendar.business_hours_between(
            start, calendar.add_business_hours(start, hours)
        ) == pytest.approx(hours)


def test_working_time():
    calendar = weekdays(SPLIT_DAY)
    assert calendar.is_working_time(at(MADRID, 2026, 11, 24, 10))
    assert not calendar.is_working_time(at(MADRID, 2026, 11, 24, 14, 30))
    assert not calendar.is_working_time(at(MADRID, 2026, 11, 28, 10))  # Saturday


def test_a_calendar_without_hours_fails_clearly():
    with pytest.raises(ValueError, match="no working hours"):
        BusinessCalendar("UTC", {}).add_business_hours(datetime(2026, 1, 1, tzinfo=UTC), 1)
