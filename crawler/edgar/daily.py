"""Where EDGAR's daily form indexes live, and which days have one.

``/Archives/edgar/daily-index/<year>/QTR<n>/form.<YYYYMMDD>.idx`` lists every filing accepted that business
day, sorted by form type (parsed by :func:`crawler.edgar.index.parse_index`). EDGAR files nothing on
weekends, so those days are not asked for; a holiday answers 403 or 404 and is skipped quietly.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta


def daily_index_path(day: date) -> str:
    """Path of a day's ``form.idx`` under the archives base URL."""
    quarter = (day.month - 1) // 3 + 1
    return f"/Archives/edgar/daily-index/{day.year}/QTR{quarter}/form.{day:%Y%m%d}.idx"


def index_days(start: date, end: date) -> Iterator[date]:
    """The weekdays from ``start`` to ``end`` (inclusive)."""
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)
