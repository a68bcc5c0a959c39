"""A case's deadline as a customer reads it: "antes del martes 9 a las 14:00", "by Tuesday 9
at 14:00", in the brand's time zone. Never "N horas laborables": a customer does not
count business hours ("24 horas laborables" is three days), so the reply names the day
and the time the department's deadline falls on (domain/calendar.py counted it). Never
"hoy" or "mañana" either: the reply is suggested at triage and may be published the next
day, when "mañana" would name the wrong one.

The time is rounded up to the next half hour: the brand never says a time earlier than
the deadline, and "14:30" reads as a time people say."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from socialcare.presentation.formatting import locale_of

_STEP = timedelta(minutes=30)
_WEEK = timedelta(days=6)  # within it, the weekday and the day of the month are enough


def deadline_words(deadline: datetime, now: datetime, language: str, timezone: str) -> str:
    zone = ZoneInfo(timezone)
    local = _rounded_up(deadline.astimezone(zone))
    today = now.astimezone(zone).date()
    clock = f"{local.hour}:{local.minute:02d}"
    spanish = language == "es"
    if spanish:
        pattern = "EEEE d" if local.date() - today <= _WEEK else "EEEE d 'de' MMMM"
    else:
        pattern = "EEEE d" if local.date() - today <= _WEEK else "EEEE d MMMM"
    day = format_date(local.date(), pattern, locale=locale_of(language))
    return f"antes del {day} {_a_las(local.hour)} {clock}" if spanish else f"by {day} at {clock}"


def _rounded_up(moment: datetime) -> datetime:
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = math.ceil((moment - midnight) / _STEP)
    return midnight + steps * _STEP


def _a_las(hour: int) -> str:
    """ "a la 1:00", "a las 14:00": Spanish says the hour with its article."""
    return "a la" if hour == 1 else "a las"
