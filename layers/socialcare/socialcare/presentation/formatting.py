"""Numbers, percentages, dates and durations as the reader's locale writes them (CLDR data
through Babel), in the reader's time zone."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

_LOCALES = {"es": "es_ES", "en": "en_GB"}
MISSING = "\u2013"  # an en dash: no value


@cache
def locale_of(language: str) -> Locale:
    return Locale.parse(_LOCALES.get(language, language))


class Formats:
    """One reader's formats: `language` (es, en) and the time zone they read times in."""

    def __init__(self, language: str, timezone: str = "UTC") -> None:
        self.language = language
        self.locale = locale_of(language)
        self.zone = ZoneInfo(timezone)

    def number(self, value: float | int | None, decimals: int = 1) -> str:
        if value is None:
            return MISSING
        pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
        return format_decimal(_exact(value, decimals), format=pattern, locale=self.locale)

    def percent(self, value: float | int | None) -> str:
        """`value` in percent (12.5 -> "12,5 %" in Spanish, "12.5%" in English)."""
        if value is None:
            return MISSING
        share = _exact(value, 1) / 100
        return format_percent(share, locale=self.locale, decimal_quantization=False)

    def change(self, value: float | int | None, previous: float | int | None) -> str:
        if not isinstance(value, int | float) or not isinstance(previous, int | float):
            return MISSING
        difference = round(value - previous, 1)
        sign = "+" if difference > 0 else ""
        return sign + self.number(difference)

    def hours(self, value: float | None) -> str:
        """A duration in hours as people say it: "45 min", "2 h 15 min", "26 h"."""
        if value is None:
            return MISSING
        minutes = round(value * 60)
        whole, rest = divmod(minutes, 60)
        parts = []
        if whole:
            parts.append(self._unit(whole, "duration-hour"))
        if rest and whole < 10:
            parts.append(self._unit(rest, "duration-minute"))
        return " ".join(parts) or self._unit(0, "duration-minute")

    def business_days(self, hours: float, hours_per_day: float) -> str:
        """SLA lengths: "1,5 días laborables" / "1.5 business days"."""
        days = self.number(hours / hours_per_day if hours_per_day else 0)
        word = {"es": "días laborables", "en": "business days"}.get(self.language, "")
        if days in ("1",):
            word = {"es": "día laborable", "en": "business day"}.get(self.language, word)
        return f"{days} {word}"

    def moment(self, value: Any) -> str:
        """A date and time ("29 nov 2026, 22:17"), in the reader's time zone."""
        moment = _moment(value)
        if moment is None:
            return MISSING
        local = moment.astimezone(self.zone)
        day = format_skeleton("yMMMd", local, locale=self.locale)
        clock = format_time(local, "short", locale=self.locale)
        return str(self.locale.datetime_formats["medium"]).format(clock, day)

    def day(self, value: date | str | None) -> str:
        if value is None:
            return MISSING
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, format="medium", locale=self.locale)

    def short_day(self, value: date | str) -> str:
        """An axis label: "29 nov" / "29 Nov"."""
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return format_skeleton("MMMd", datetime(day.year, day.month, day.day), locale=self.locale)

    def _unit(self, value: int, unit: str) -> str:
        return format_unit(value, unit, length="short", locale=self.locale)


def _exact(value: float | int, decimals: int) -> Decimal:
    """Rounded as shown, without binary noise (33.3 / 100 is 0.33299999...)."""
    return round(Decimal(str(value)), decimals)


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
