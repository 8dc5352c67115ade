"""Taiwan's Ministry of National Defense: dates in the Republic of China calendar.

The ministry dates its news by the Minguo era, whose year 1 is 1912: ``115.03.19`` (or
``115/3/19``, ``115年3月19日``) is 19 March 2026. The era year is the Gregorian year
less 1911.
"""

from __future__ import annotations

import datetime as dt
import re

ROC_OFFSET = 1911
_ROC_DATE = re.compile(
    r"^\s*(?:民國|中華民國)?\s*(\d{2,3})\s*(?:[./-]|年)\s*(\d{1,2})\s*(?:[./-]|月)\s*(\d{1,2})\s*日?\s*$"
)


def roc_date(value: str | None) -> str | None:
    """An ROC-era date as ISO ``YYYY-MM-DD``; other text (a Gregorian date, a date that
    does not exist) is passed on unchanged for the date reader to judge."""
    match = _ROC_DATE.match(value) if value else None
    if match is None:
        return value
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year + ROC_OFFSET, month, day).isoformat()
    except ValueError:
        return value


HOOKS = {"roc_date": roc_date}
