"""The named hooks of the government newsrooms' profiles, value by value."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsroom_archive.profiles.hooks import nasa_image_article, tw_mnd_news

NASA = nasa_image_article.eastern_time
MND = tw_mnd_news.roc_date

CASES = [
    # NASA: Parse.ly's UTC publication time in Washington's time. Winter: EST.
    (NASA, "2024-01-17T19:55:24Z", "2024-01-17T14:55:24-05:00"),
    # Summer: EDT.
    (NASA, "2023-06-16T14:23:00Z", "2023-06-16T10:23:00-04:00"),
    # Late in the UTC day: the day before in Washington, the day the page shows.
    (NASA, "2023-10-26T02:10:00Z", "2023-10-25T22:10:00-04:00"),
    # An offset other than UTC is the same moment too.
    (NASA, "2023-11-03T15:18:03-04:00", "2023-11-03T15:18:03-04:00"),
    # A naive stamp or no timestamp at all is left for the date reader.
    (NASA, "2023-11-03T15:18:03", "2023-11-03T15:18:03"),
    (NASA, "Nov 03, 2023", "Nov 03, 2023"),
    # Taiwan's MND: list and page dates in the ROC calendar, year 115 is 2026.
    (MND, "115.03.19", "2026-03-19"),
    (MND, " 115.03.09 ", "2026-03-09"),
    (MND, "115/3/9", "2026-03-09"),
    (MND, "115-12-31", "2026-12-31"),
    (MND, "中華民國115年3月18日", "2026-03-18"),
    (MND, "民國 99 年 1 月 1 日", "2010-01-01"),
    (MND, "113.02.29", "2024-02-29"),
    # Not ROC dates: passed on for the date reader (which rejects the impossible).
    (MND, "2026.03.19", "2026.03.19"),
    (MND, "114.02.29", "114.02.29"),
    (MND, "115.13.01", "115.13.01"),
    (MND, "點閱次數：97 次", "點閱次數：97 次"),
    # Nothing found: nothing made.
    *((hook, raw, raw) for hook in (NASA, MND) for raw in ("", None)),
]


@pytest.mark.parametrize(("hook", "raw", "expected"), CASES)
def test_hook(
    hook: Callable[[str | None], str | None], raw: str | None, expected: str | None
) -> None:
    assert hook(raw) == expected
