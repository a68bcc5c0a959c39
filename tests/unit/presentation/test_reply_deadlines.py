"""A deadline as a customer reads it: a day and a time in the brand's time zone, never
"N horas laborables" (presentation/deadlines.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from socialcare.presentation.deadlines import deadline_words

MADRID = "Europe/Madrid"
# Monday 7 December 2026, 10:00 in Madrid (UTC+1)
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("deadline", "es", "en"),
    [
        # 13:00 UTC is 14:00 in Madrid
        (
            datetime(2026, 12, 9, 13, 0, tzinfo=UTC),
            "antes del miércoles 9 a las 14:00",
            "by Wednesday 9 at 14:00",
        ),
        # the same day and the next are named too: the reply may be published tomorrow
        (
            datetime(2026, 12, 7, 16, 0, tzinfo=UTC),
            "antes del lunes 7 a las 17:00",
            "by Monday 7 at 17:00",
        ),
        (
            datetime(2026, 12, 8, 8, 0, tzinfo=UTC),
            "antes del martes 8 a las 9:00",
            "by Tuesday 8 at 9:00",
        ),
        # more than six days ahead: the month too
        (
            datetime(2026, 12, 15, 9, 0, tzinfo=UTC),
            "antes del martes 15 de diciembre a las 10:00",
            "by Tuesday 15 December at 10:00",
        ),
        # never a time earlier than the deadline: rounded up to the half hour
        (
            datetime(2026, 12, 9, 13, 7, 12, tzinfo=UTC),
            "antes del miércoles 9 a las 14:30",
            "by Wednesday 9 at 14:30",
        ),
        (
            datetime(2026, 12, 10, 0, 0, tzinfo=UTC),
            "antes del jueves 10 a la 1:00",
            "by Thursday 10 at 1:00",
        ),
    ],
)
def test_a_deadline_is_a_day_and_a_time_in_the_brands_time_zone(deadline, es, en):
    assert deadline_words(deadline, NOW, "es", MADRID) == es
    assert deadline_words(deadline, NOW, "en", MADRID) == en


def test_the_day_is_the_brands_not_utcs():
    # Given a deadline at 0:30 in Madrid on Tuesday 8 (23:30 UTC on Monday 7)
    deadline = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    # Then it is Tuesday's, as the customer in Madrid counts days
    assert deadline_words(deadline, NOW, "es", MADRID) == "antes del martes 8 a las 0:30"
    assert deadline_words(deadline, NOW, "en", MADRID) == "by Tuesday 8 at 0:30"
