"""Digest periods: ISO weeks (``2026-W48``) turned into UTC bounds in the digest's time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class PeriodError(ValueError):
    """A period string that is not an ISO week."""


@dataclass(frozen=True)
class Period:
    """One ISO week: its name and its bounds as ISO 8601 UTC strings (start inclusive, end exclusive)."""

    name: str
    start: str
    end: str
    monday: date

    def previous(self, tz: str) -> Period:
        """The week before."""
        return week_of(self.monday - timedelta(days=7), tz)


def week_of(day: date, tz: str) -> Period:
    """The ISO week containing ``day``, bounded at local midnight on Mondays in ``tz``."""
    year, week, weekday = day.isocalendar()
    monday = day - timedelta(days=weekday - 1)
    zone = ZoneInfo(tz)
    start = datetime.combine(monday, time(0), zone).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), time(0), zone).astimezone(UTC)
    return Period(
        name=f"{year}-W{week:02d}",
        start=start.isoformat(timespec="seconds"),
        end=end.isoformat(timespec="seconds"),
        monday=monday,
    )


def parse_period(text: str | None, tz: str, today: date | None = None) -> Period:
    """``YYYY-Www`` to a :class:`Period`; None means the current week.

    :raises PeriodError: when ``text`` is not an ISO week
    """
    if text is None:
        return week_of(today or datetime.now(ZoneInfo(tz)).date(), tz)
    match = re.fullmatch(r"(\d{4})-W(\d{2})", text.strip())
    if not match:
        raise PeriodError(f"period {text!r} is not an ISO week; write it as YYYY-Www, e.g. 2026-W48")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError as exc:
        raise PeriodError(f"period {text!r} does not exist: {exc}") from exc
    return week_of(monday, tz)
